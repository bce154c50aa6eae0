"""`marsad watch` against twenty outlets on a loopback server, healthy and faulty."""

from __future__ import annotations

import dataclasses
import gzip
import json
import os
import random
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from fixtures.watch.loopback import (
    Item,
    LoopbackServer,
    Outlet,
    Route,
    invented_article,
    outlets,
    page,
    rss,
    serving,
    sources_toml,
)
from marsad.cli.main import main
from marsad.errors import ConfigError, StoreError
from marsad.ingest.urls import canonical_url
from marsad.pipeline import Pipeline
from marsad.refresh import analysis_outdated
from marsad.store import Store, open_store
from marsad.watch.fetch import Fetcher, FetchError, FetchLimits
from marsad.watch.poller import Watcher, WatchSettings
from marsad.watch.sources import SourceConfig, load_sources

LIMITS = FetchLimits(timeout_s=0.5, total_timeout_s=3.0, max_bytes=1_000_000, host_interval_s=0.0)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with serving() as running:
        yield running


@pytest.fixture
def world(server: LoopbackServer, tmp_path: Path) -> tuple[list[Outlet], list[SourceConfig], Path]:
    twenty = outlets(server)
    path = tmp_path / "sources.toml"
    path.write_text(sources_toml(twenty), encoding="utf-8")
    return twenty, load_sources(path), path


def _watcher(
    sources: list[SourceConfig], db: str = ":memory:", **kwargs: object
) -> tuple[Watcher, list[str]]:
    lines: list[str] = []
    pipeline = Pipeline(open_store(db))
    watcher = Watcher(pipeline, sources, settings=WatchSettings(limits=LIMITS), log=lines.append,
                      **kwargs)  # type: ignore[arg-type]  # fmt: skip
    return watcher, lines


def _count(store: Store, source: str | None = None) -> int:
    if source is None:
        return int(store.db.execute("SELECT count(*) FROM articles").fetchone()[0])
    return int(
        store.db.execute("SELECT count(*) FROM articles WHERE source = ?", (source,)).fetchone()[0]
    )


def test_twenty_outlets_one_poll(world: tuple[list[Outlet], list[SourceConfig], Path]) -> None:
    twenty, sources, _ = world
    assert len(twenty) == 20
    watcher, lines = _watcher(sources)
    report = watcher.poll()
    store = watcher.store
    for outlet in twenty:
        assert _count(store, outlet.name) == outlet.expected_articles, outlet.name
    assert report.stored == sum(o.expected_articles for o in twenty)
    # Each failing feed is one line naming source and URL; the watch went on past all of them.
    failing = {o.name for o in twenty if o.expected_articles == 0}
    assert report.source_errors == len(failing) == 6
    for name in failing:
        assert any(line.startswith(f"watch: {name}: http://127.0.0.1:") for line in lines), name
    assert all("\n" not in line for line in lines)
    by_reason = "\n".join(lines)
    assert "redirect loop" in by_reason and "decompression bomb" in by_reason
    assert "over the 1,000,000-byte limit" in by_reason and "timeout" in by_reason
    assert "HTTP 500" in by_reason and "not a readable RSS/Atom feed" in by_reason
    assert "coding-program.html: HTTP 404" in by_reason  # the per-item error of the Atom outlet
    # Every stored article went through the pipeline into a summarized story.
    assert (
        store.db.execute("SELECT count(*) FROM articles WHERE story_id IS NULL").fetchone()[0] == 0
    )
    assert store.dirty_stories() == []


def test_feed_and_page_dates_and_text(world: tuple[list[Outlet], list[SourceConfig], Path]) -> None:
    _, sources, _ = world
    watcher, _ = _watcher(sources)
    watcher.poll()

    def article(title_part: str) -> tuple[str, str, str]:
        row = watcher.store.db.execute(
            "SELECT published, body, extra FROM articles WHERE title LIKE ?", (f"%{title_part}%",)
        ).fetchone()
        assert row is not None, title_part
        return str(row[0]), str(row[1]), str(row[2])

    published, body, extra = article("معرض الكتاب")  # Levantine date with Arabic-Indic digits
    assert published == "2023-03-14T10:30:00"
    assert json.loads(extra)["author"] == "ليلى حداد"
    published, body, extra = article("خط ملاحي")  # Atom teaser: page fetched and extracted
    assert published == "2023-04-02T04:15:00"  # +04:00 converted to UTC
    assert "ألفي حاوية" in body and "جميع الحقوق" not in body and "الرئيسية" not in body
    assert json.loads(extra)["author"] == "خالد المنصوري"
    published, body, _ = article("maghreb-0")  # Maghrebi month in the feed
    assert published == "2024-01-03T08:15:00"
    published, body, _ = article("nile-0")  # declared UTF-8, sent as cp1256
    assert published == "2023-03-14T22:00:00" and "nile-0" in body
    published, body, _ = article("controls-0")
    assert "\x01" not in body and "\x0b" not in body


def test_second_poll_is_conditional_and_skips_seen_items(
    server: LoopbackServer, world: tuple[list[Outlet], list[SourceConfig], Path]
) -> None:
    _, sources, _ = world
    watcher, _ = _watcher(sources)
    watcher.poll()
    stored = _count(watcher.store)
    page_fetches = len(server.requests_for("/maghreb/a0.html"))
    report = watcher.poll(only_due=False)
    assert _count(watcher.store) == stored
    assert report.not_modified == 1  # the ETag outlet answered 304
    assert server.requests_for("/etag/feed.xml")[-1]["if-none-match"] == '"v1"'
    assert "if-modified-since" in server.requests_for("/etag/feed.xml")[-1]
    assert len(server.requests_for("/maghreb/a0.html")) == page_fetches  # seen: not refetched
    assert report.new_items == 27  # nothing new since the first poll (27 items then)


def test_new_item_is_picked_up_within_one_poll(server: LoopbackServer) -> None:
    import random

    rng = random.Random(3)
    items = [Item(f"live-{i}", server.url(f"/n/{i}.html"), *invented_article(rng, f"n{i}"), "14 مارس 2023", True)
             for i in range(3)]  # fmt: skip
    server.set("/n/feed.xml", Route(rss(items[:2]).encode(), etag='"a"'))
    watcher, _ = _watcher([SourceConfig(name="متابعة", feeds=(server.url("/n/feed.xml"),))])
    watcher.poll()
    assert _count(watcher.store) == 2
    server.set("/n/feed.xml", Route(rss(items).encode(), etag='"b"'))
    report = watcher.poll(only_due=False)
    assert _count(watcher.store) == 3 and report.stored == 3
    article_id = watcher.store.article_at(canonical_url(server.url("/n/2.html")))
    assert article_id is not None
    story = watcher.store.story_of(article_id)
    assert story is not None and watcher.store.story(story) is not None
    # The watch is a writer: every story that gained articles has its analysis kept.
    stories = watcher.store.story_ids_with_articles()
    assert story in stories
    assert not [s for s in stories if analysis_outdated(watcher.store, s)]


def test_edited_item_becomes_a_new_version(server: LoopbackServer) -> None:
    import random

    rng = random.Random(4)
    title, body = invented_article(rng, "edit")
    item = Item("edit-1", server.url("/e/1.html"), title, body, "14 مارس 2023", True)
    server.set("/e/feed.xml", Route(rss([item]).encode()))
    watcher, _ = _watcher([SourceConfig(name="تحرير", feeds=(server.url("/e/feed.xml"),))])
    watcher.poll()
    edited = Item(
        item.guid,
        item.link + "?utm_source=x",
        title,
        body + "\n\nتحديث: ارتفع عدد المشاركين.",
        item.date,
    )
    server.set("/e/feed.xml", Route(rss([edited]).encode()))
    report = watcher.poll(only_due=False)
    assert report.updated == 1
    rows = watcher.store.db.execute(
        "SELECT superseded_by IS NULL FROM articles ORDER BY id"
    ).fetchall()
    assert rows == [(0,), (1,)]  # the old version is kept and superseded


def test_failing_source_backs_off_exponentially(server: LoopbackServer) -> None:
    server.set("/bad/feed.xml", Route(b"down", status=503))
    server.set("/ok/feed.xml", Route(rss([]).encode()))
    clock = FakeClock()
    sources = [
        SourceConfig(name="متعثر", feeds=(server.url("/bad/feed.xml"),), poll_interval_s=10),
        SourceConfig(name="سليم", feeds=(server.url("/ok/feed.xml"),), poll_interval_s=10),
    ]
    watcher, lines = _watcher(sources, clock=clock)
    polled_at = []
    for _ in range(8):  # 80 s of polls every 10 s
        before = len(server.requests_for("/bad/feed.xml"))
        watcher.poll()
        if len(server.requests_for("/bad/feed.xml")) > before:
            polled_at.append(clock.now - 1000)
        clock.now += 10
    assert polled_at == [0, 20, 60]  # waits 20 s, then 40 s, ...
    assert len(server.requests_for("/ok/feed.xml")) == 8
    assert "next try in 20 s" in lines[0] and "next try in 40 s" in lines[1]
    status = {s.name: s for s in watcher.store.source_status()}
    assert status["متعثر"].consecutive_errors == 3 and "HTTP 503" in (
        status["متعثر"].last_error or ""
    )
    assert status["سليم"].last_success is not None


@pytest.mark.parametrize("pragma", ["PRAGMA query_only = ON", "PRAGMA max_page_count = {pages}"])
def test_unwritable_store_stops_with_one_line_and_loses_nothing(
    world: tuple[list[Outlet], list[SourceConfig], Path], tmp_path: Path, pragma: str
) -> None:
    _, sources, _ = world
    db = str(tmp_path / "store.db")
    watcher, _ = _watcher(sources[:1], db)
    watcher.poll()
    before = _count(watcher.store)
    assert before == 2
    watcher.sources = sources[1:4]
    pages = watcher.store.db.execute("PRAGMA page_count").fetchone()[0]
    watcher.store.db.execute(pragma.format(pages=pages))  # read-only, or a disk that is full
    with pytest.raises(StoreError) as error:
        watcher.poll(only_due=False)
    message = str(error.value)
    assert "\n" not in message and db in message and "cannot write to the store" in message
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == before


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_store_file_via_cli(world: tuple[list[Outlet], list[SourceConfig], Path], tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    _, _, sources_path = world
    db = tmp_path / "ro.db"
    assert main(["--db", str(db), "demo"]) == 0
    db.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        code = main(
            [
                "--db",
                str(db),
                "watch",
                "--sources",
                str(sources_path),
                "--once",
                "--host-interval",
                "0",
            ]
        )
    finally:
        tmp_path.chmod(0o755)
        db.chmod(0o644)
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and err[-1].startswith("marsad: error:") and "cannot write" in err[-1]


def test_cli_watch_once_then_sources(world: tuple[list[Outlet], list[SourceConfig], Path], tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    twenty, _, sources_path = world
    db = str(tmp_path / "cli.db")
    args = [
        "--db",
        db,
        "watch",
        "--sources",
        str(sources_path),
        "--once",
        "--host-interval",
        "0",
        "--timeout",
        "0.5",
    ]
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert (
        "1 poll(s)" in out
        and f"{sum(o.expected_articles for o in twenty)} article(s) stored" in out
    )
    assert "watch: بطيء: " in err
    assert main(["--db", db, "sources", "--json", "--sources", str(sources_path)]) == 0
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)["sources"]}
    assert set(rows) == {o.name for o in twenty}
    assert rows["شام برس"]["last_success"] and rows["شام برس"]["articles_today"] == 2
    assert rows["شام برس"]["lag_s"] > 0
    assert rows["خطأ خادم"]["last_success"] is None and "HTTP 500" in rows["خطأ خادم"]["last_error"]
    assert main(["--db", db, "sources"]) == 0
    assert "(20 sources)" in capsys.readouterr().out


# -- responses cut short, and the per-response deadline ---------------------------------------
_ENDING = "وهذه خاتمة النص الكامل."  # only in the last part of each body: cut bodies lack it


def _whole_items(server: LoopbackServer, slug: str, n: int, *, full: bool) -> list[Item]:
    rng, items = random.Random(slug), []
    for i in range(n):
        title, body = invented_article(rng, f"{slug}{i}")
        link = server.url(f"/{slug}/{i}.html")
        items.append(Item(f"{slug}-{i}", link, title, f"{body}\n\n{_ENDING}", "14 مارس 2023", full))
    return items


def _bodies(store: Store, source: str) -> list[str]:
    rows = store.db.execute("SELECT body FROM articles WHERE source = ? ORDER BY id", (source,))
    return [str(row[0]) for row in rows]


@pytest.mark.parametrize(
    ("chunked", "send_length", "gzipped"),
    [
        pytest.param(False, True, False, id="content-length"),
        pytest.param(True, False, False, id="chunked-without-last-chunk"),
        pytest.param(False, False, True, id="close-delimited-gzip"),
    ],
)
def test_feed_cut_mid_body_stores_nothing_and_next_poll_stores_it_whole(
    server: LoopbackServer, chunked: bool, send_length: bool, gzipped: bool
) -> None:
    whole = rss(_whole_items(server, "cut", 6, full=True)).encode()
    if gzipped:
        whole = gzip.compress(whole)
    headers = {"Content-Encoding": "gzip"} if gzipped else {}
    route = Route(whole, etag='"v1"', headers=headers, chunked=chunked, send_length=send_length)
    server.set("/cut/feed.xml", dataclasses.replace(route, cut_at=len(whole) * 55 // 100))
    url = server.url("/cut/feed.xml")
    watcher, lines = _watcher([SourceConfig(name="مقطوع", feeds=(url,))])
    report = watcher.poll()
    assert _count(watcher.store) == 0  # not the first three items of six
    assert report.source_errors == 1 and len(lines) == 1
    assert lines[0].startswith(f"watch: مقطوع: {url}: body cut short") and "\n" not in lines[0]
    assert watcher.store.validators(url).etag is None  # else the retry would be a 304
    server.set("/cut/feed.xml", route)
    report = watcher.poll(only_due=False)
    assert "if-none-match" not in server.requests_for("/cut/feed.xml")[-1]
    bodies = _bodies(watcher.store, "مقطوع")
    assert report.stored == 6 and len(bodies) == 6 and all(_ENDING in b for b in bodies)


def test_page_cut_mid_body_is_retried_until_stored_whole(server: LoopbackServer) -> None:
    # A watched page (ETag and all), and a feed of teasers whose article page is cut.
    title, body = invented_article(random.Random(5), "page")
    whole_page = page(title, f"{body}\n\n{_ENDING}").encode()
    cut_page = Route(
        whole_page, "text/html; charset=utf-8", etag='"p"', cut_at=len(whole_page) * 55 // 100
    )
    server.set("/live/page.html", cut_page)
    teasers = _whole_items(server, "teaser", 2, full=False)
    server.set("/teaser/feed.xml", Route(rss(teasers).encode()))
    server.set(
        "/teaser/0.html", Route(page(teasers[0].title, teasers[0].body).encode(), "text/html")
    )
    teaser_page = page(teasers[1].title, teasers[1].body).encode()
    server.set("/teaser/1.html", Route(teaser_page, "text/html", cut_at=len(teaser_page) // 2))
    page_url, item_url = server.url("/live/page.html"), server.url("/teaser/1.html")
    watcher, lines = _watcher([
        SourceConfig(name="صفحة", pages=(page_url,)),
        SourceConfig(name="ملخصات", feeds=(server.url("/teaser/feed.xml"),)),
    ])  # fmt: skip
    report = watcher.poll()
    assert _count(watcher.store, "صفحة") == 0 and _count(watcher.store, "ملخصات") == 1
    assert report.item_errors == 1 and report.source_errors == 1
    assert any(line.startswith(f"watch: ملخصات: {item_url}: body cut short") for line in lines)
    assert any(line.startswith(f"watch: صفحة: {page_url}: body cut short") for line in lines)
    server.set("/live/page.html", Route(whole_page, "text/html; charset=utf-8", etag='"p"'))
    server.set("/teaser/1.html", Route(teaser_page, "text/html"))
    report = watcher.poll(only_due=False)
    assert report.item_errors == 1 and report.source_errors == 1  # no new errors
    assert "if-none-match" not in server.requests_for("/live/page.html")[-1]
    assert len(server.requests_for("/teaser/0.html")) == 1  # stored item: not fetched again
    assert [_ENDING in b for b in _bodies(watcher.store, "صفحة")] == [True]
    assert [_ENDING in b for b in _bodies(watcher.store, "ملخصات")] == [True, True]
    report = watcher.poll(only_due=False)  # stored whole: now its validators are kept
    assert server.requests_for("/live/page.html")[-1].get("if-none-match") == '"p"'
    assert report.not_modified == 1


def test_trickling_server_is_cut_at_the_source_deadline(
    server: LoopbackServer, tmp_path: Path
) -> None:
    # One byte every 0.2 s keeps each read under the 0.5 s read timeout: only a deadline
    # for the whole response stops it (the header alone would take over 30 s).
    server.set("/slow/feed.xml", Route(rss(_whole_items(server, "slow", 1, full=True)).encode(),
                                       trickle_s=0.2))  # fmt: skip
    server.set("/fine/feed.xml", Route(rss(_whole_items(server, "fine", 2, full=True)).encode()))
    path = tmp_path / "sources.toml"
    path.write_text(
        f'[[source]]\nname = "بطيء جدا"\nfeeds = ["{server.url("/slow/feed.xml")}"]\n'
        "total_timeout_s = 1.5\n"
        f'[[source]]\nname = "سريع"\nfeeds = ["{server.url("/fine/feed.xml")}"]\n',
        encoding="utf-8",
    )
    logged: list[tuple[float, str]] = []
    watcher = Watcher(
        Pipeline(open_store(":memory:")),
        load_sources(path),
        settings=WatchSettings(limits=LIMITS),
        log=lambda line: logged.append((time.monotonic(), line)),
    )
    started = time.monotonic()
    report = watcher.poll()  # the slow source first: its line is logged when it gives up
    assert len(logged) == 1 and logged[0][0] - started < 1.5 + 3
    assert logged[0][1].startswith(
        f"watch: بطيء جدا: {server.url('/slow/feed.xml')}: no complete response within 1.5 s (timeout)"
    )
    assert report.source_errors == 1 and _count(watcher.store, "سريع") == 2  # the poll went on


def test_fetch_deadline_defaults_to_the_limits(server: LoopbackServer) -> None:
    server.set("/slow", Route(b"<rss/>", trickle_s=0.2))
    started = time.monotonic()
    with pytest.raises(FetchError, match=r" 1 s \(timeout\)") as error:
        Fetcher(FetchLimits(timeout_s=0.5, total_timeout_s=1.0, host_interval_s=0.0)).get(
            server.url("/slow")
        )
    assert time.monotonic() - started < 1.0 + 3 and error.value.transient


# -- fetcher limits --------------------------------------------------------------------------
def test_fetch_redirect_limit_and_loop(server: LoopbackServer) -> None:
    for hop in range(7):
        server.set(f"/r/{hop}", Route(status=302, headers={"Location": f"/r/{hop + 1}"}))
    server.set("/r/7", Route(b"<rss/>"))
    fetcher = Fetcher(LIMITS)
    assert fetcher.get(server.url("/r/2")).body == b"<rss/>"  # five hops: allowed
    with pytest.raises(FetchError, match="more than 5 redirects") as error:
        fetcher.get(server.url("/r/0"))
    assert not error.value.transient
    server.set("/self", Route(status=307, headers={"Location": "/self"}))
    with pytest.raises(FetchError, match="redirect loop"):
        fetcher.get(server.url("/self"))


def test_fetch_rate_limit_per_host(server: LoopbackServer) -> None:
    server.set("/x", Route(b"ok"))
    clock, sleeps = FakeClock(), list[float]()
    fetcher = Fetcher(FetchLimits(host_interval_s=2.0), clock=clock, sleep=sleeps.append)
    fetcher.get(server.url("/x"))
    fetcher.get(server.url("/x"))  # same host, no time passed: waits the whole interval
    clock.now += 0.5
    fetcher.get(server.url("/x"))
    assert sleeps == [2.0, 3.5]


def test_fetch_gzip_within_limit_and_deflate_bomb(server: LoopbackServer) -> None:
    import zlib

    server.set(
        "/bomb", Route(zlib.compress(b"\0" * 5_000_000), headers={"Content-Encoding": "deflate"})
    )
    with pytest.raises(FetchError, match="decompression bomb"):
        Fetcher(LIMITS).get(server.url("/bomb"))
    server.set("/corrupt", Route(b"not gzip at all", headers={"Content-Encoding": "gzip"}))
    with pytest.raises(FetchError, match="corrupt gzip"):
        Fetcher(LIMITS).get(server.url("/corrupt"))


def test_sources_file_errors_are_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    cases = {
        'source = "x"': "[[source]]",
        "[[source]]\nname = 'a'\nfeeds = 'http://x'": "'feeds' must be a list",
        "[[source]]\nname = 'a'\nfeeds = ['ftp://x/feed']": "not an http(s) URL",
        "[[source]]\nfeeds = ['http://x/f']": "'name' is missing",
        "[[source]]\nname = 'a'\nfeeds = ['http://x/f']\npoll = 3": "unknown key 'poll'",
        "[[source]]\nname = 'a'\nfeeds = ['http://x/f']\npoll_interval_s = 0": "poll_interval_s",
        "[[source]]\nname = 'a'\nfeeds = ['http://x/f']\ntotal_timeout_s = -1": "'total_timeout_s' must be a number of seconds > 0",
        "[[source]]\nname = 'a'\nfeeds = ['http://x/f']\n[[source]]\nname = 'a'\nfeeds = ['http://y/f']": "used twice",
        "[[source]]\nname = 'a'": "no 'feeds' or 'pages'",
        "[[source]\nname = 'a'": "not valid TOML",
    }
    for text, expected in cases.items():
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError) as error:
            load_sources(path)
        message = str(error.value)
        assert expected in message and str(path) in message and "\n" not in message, message
    with pytest.raises(ConfigError, match="no such sources file"):
        load_sources(tmp_path / "missing.toml")


def test_store_migration_adds_watch_tables(tmp_path: Path) -> None:
    store = open_store(tmp_path / "m.db")
    names = {r[0] for r in store.db.execute("SELECT name FROM _migrations")}
    assert "0003_sources" in names
    with store.transaction():
        with store.transaction():  # nested blocks join the outer transaction
            store.mark_seen(["guid:a:1"], source="a", item_hash="h", article_id=None)
        assert store.db.in_transaction
    assert store.seen(["url:x", "guid:a:1"]) is not None


def test_source_status_reaches_api_and_web(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from marsad.api.app import create_app

    db = tmp_path / "w.db"
    store = open_store(db)
    with store.transaction():
        store.record_success("outlet-ok")
    store.record_error("outlet-down", "http 500 <script>")
    store.close()
    client = TestClient(create_app(str(db)), base_url="http://localhost")
    sources = {s["name"]: s for s in client.get("/api/v1/sources").json()["sources"]}
    assert sources["outlet-ok"]["last_success"] is not None
    assert sources["outlet-down"]["last_error"] == "http 500 <script>"
    page = client.get("/outlets").text
    assert "outlet-down" in page
    assert "http 500 &lt;script&gt;" in page


def test_watch_state_is_one_concern_of_the_store_and_commits_with_the_articles() -> None:
    """Every store has the watcher's tables (no store class of its own), and the watcher's
    writes inside an outer transaction vanish with it when it fails, as the articles do."""
    from marsad.store.sources import Validators, WatchSources

    store = open_store(":memory:")
    assert isinstance(store, WatchSources)
    with pytest.raises(RuntimeError), store.transaction():
        store.save_validators("http://x/feed", "x", Validators(etag='"e1"'))
        with store.transaction():  # the pipeline's own block joins the outer one
            store.mark_seen(["guid:1"], source="x", item_hash="h", article_id=None)
        raise RuntimeError("killed before the commit")
    assert store.validators("http://x/feed") == Validators()
    assert store.seen(["guid:1"]) is None
    with store.transaction():
        store.save_validators("http://x/feed", "x", Validators(etag='"e1"'))
    assert store.validators("http://x/feed").etag == '"e1"'
