"""Top stories, one story count everywhere, watchlists with their Atom feeds."""

from __future__ import annotations

import warnings
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from tests.test_export import build_demo_store

from marsad.alerts import watchlists
from marsad.alerts.atom import watchlist_feed
from marsad.api import create_app
from marsad.cli.main import main
from marsad.models import RawArticle
from marsad.pipeline import Pipeline, Settings
from marsad.store import Store
from marsad.text.arabic import NORMALIZER_VERSION
from marsad.views import find_stories_view, top_view

ATOM = "{http://www.w3.org/2005/Atom}"
NOW = datetime(2026, 5, 1, 12, 0)
TOKEN = "desk-token"


def story(store: Store, story_id: int, outlets: list[str], *, hours_ago: float) -> None:
    """A story row with one article per entry of ``outlets`` (the ranking reads rows only)."""
    store.create_story(story_id)
    for outlet in outlets:
        store.touch_story(story_id, outlet, NOW - timedelta(hours=hours_ago))
    store.db.execute("UPDATE stories SET title = ? WHERE id = ?", (f"قصة {story_id}", story_id))


def fragment(store: Store, story_id: int) -> None:
    """A story known only from two passages of roundups: 0 articles of its own."""
    store.create_story(story_id)
    store.db.execute(
        "UPDATE stories SET n_passages = 2, title = 'سطر من قائمة', first_seen = ?,"
        " last_seen = ? WHERE id = ?",
        (NOW.isoformat(), NOW.isoformat(), story_id),
    )


def test_top_ranks_by_outlets_then_articles_then_recency(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.db", normalizer_version=NORMALIZER_VERSION)
    with store.transaction():
        story(store, 1, ["a"] * 9, hours_ago=0)  # one outlet's busy beat
        story(store, 2, ["a", "b", "c", "d"], hours_ago=2)  # four outlets
        story(store, 3, ["a", "b", "c", "d", "d", "d"], hours_ago=2)  # four, more articles
        story(store, 4, ["a", "b", "c", "d", "e", "f"], hours_ago=72)  # wide but three days old
        story(store, 5, ["b", "c"], hours_ago=1)
        fragment(store, 6)
    view = top_view(store, limit=10)
    assert [s["id"] for s in view["stories"]] == [3, 2, 5, 1, 4]
    scores = [s["score"] for s in view["stories"]]
    assert scores == sorted(scores, reverse=True)
    assert view["total"] == 5
    assert view["reference"] == NOW.isoformat()
    assert [s["id"] for s in top_view(store, limit=2, offset=1)["stories"]] == [2, 5]


def test_fragments_are_listed_nowhere(tmp_path: Path) -> None:
    store = Store(tmp_path / "f.db", normalizer_version=NORMALIZER_VERSION)
    with store.transaction():
        story(store, 1, ["a", "b"], hours_ago=1)
        fragment(store, 2)
    assert [s["id"] for s in find_stories_view(store)["stories"]] == [1]
    assert [s["id"] for s in top_view(store)["stories"]] == [1]
    assert store.count_listed_stories() == 1


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The demo store plus a fragment, a two-story thread and a one-story thread."""
    path = build_demo_store(tmp_path_factory.mktemp("desk") / "demo.db")
    store = Store(path, normalizer_version=NORMALIZER_VERSION)
    with store.transaction():
        ids = [r["id"] for r in store.rows("SELECT id FROM stories ORDER BY id")]
        store.db.execute("UPDATE stories SET thread_id = NULL")
        store.set_thread(ids[0], ids[0])
        store.set_thread(ids[1], ids[0])
        store.set_thread(ids[2], ids[2])  # a thread of one story: not listed
        fragment(store, max(ids) + 100)
    store.close()
    with TestClient(create_app(path, token=TOKEN), base_url="http://localhost") as test_client:
        yield test_client


def test_story_counts_agree_between_health_river_top_threads(client: TestClient) -> None:
    health = client.get("/api/v1/health").json()
    river = client.get("/api/v1/stories", params={"limit": 200}).json()
    top = client.get("/api/v1/top", params={"limit": 200}).json()
    threads = client.get("/api/v1/threads", params={"limit": 200}).json()
    assert health["stories"] == river["total"] == top["total"] == len(river["stories"])
    assert {s["id"] for s in river["stories"]} == {s["id"] for s in top["stories"]}
    assert all(s["n_articles"] > 0 for s in top["stories"])
    assert health["threads"] == threads["total"] == 1
    assert all(t["n_stories"] >= 2 for t in threads["threads"])
    html = client.get("/").text  # the landing page is the top stories
    assert "أهم القصص" in html
    assert html.count('class="story-card') == min(top["total"], 30)
    assert f'id="threads-total">{threads["total"]}<' in client.get("/threads").text


def test_landing_page_tabs_keep_the_river(client: TestClient) -> None:
    top = client.get("/").text
    river = client.get("/", params={"tab": "newest"}).text
    assert "نهر القصص" in river and "نهر القصص" not in top
    first_top = client.get("/api/v1/top", params={"limit": 1}).json()["stories"][0]["id"]
    assert top.index(f'href="/story/{first_top}"') < top.index("</ol>")


def test_watchlist_run_lists_new_matches_only_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "w.db", normalizer_version=NORMALIZER_VERSION)
    pipeline = Pipeline(store, Settings(extract=False))

    def ingest(ext_id: str, source: str, title: str, text: str, hour: int) -> None:
        pipeline.ingest([RawArticle(ext_id=ext_id, source=source, title=title, text=text,
                                    date=datetime(2026, 5, 1, hour))])  # fmt: skip

    ingest("a1", "north", "محادثات أستانة", "انطلقت محادثات أستانة حول سوريا اليوم.", 8)
    ingest("a2", "south", "أسعار النفط", "ارتفعت أسعار النفط في الأسواق العالمية.", 9)
    search = watchlists.add(store, kind="search", query="استانة")  # without the hamza
    outlet = watchlists.add(store, kind="outlet", query="south")
    first = {r.watchlist.id: r.new_article_ids for r in watchlists.run(store)}
    assert len(first[search.id]) == 1 and len(first[outlet.id]) == 1
    assert all(not r.new_article_ids for r in watchlists.run(store))  # nothing new
    ingest("a3", "south", "جولة جديدة في أستانة", "تعقد جولة جديدة من محادثات أستانة.", 10)
    again = {r.watchlist.id: r.new_article_ids for r in watchlists.run(store)}
    newest = store.max_article_id()
    assert again == {search.id: (newest,), outlet.id: (newest,)}
    assert all(not r.new_article_ids for r in watchlists.run(store))
    with pytest.raises(ValueError, match="no watchlist"):
        watchlists.run(store, [999])
    with pytest.raises(ValueError, match="kind"):
        watchlists.add(store, kind="mood", query="x")


def parse_feed(text: str) -> ET.Element:
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None, required
    return root


def test_feed_is_valid_atom_with_stable_ids_and_clean_rtl_titles(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.db", normalizer_version=NORMALIZER_VERSION)
    pipeline = Pipeline(store, Settings(extract=False))
    pipeline.ingest([RawArticle(ext_id="h1", source="north", date=datetime(2026, 5, 1, 8),
                                title="انفجار في الميناء", text="وقع انفجار في الميناء صباح اليوم.")])  # fmt: skip
    watchlist = watchlists.add(store, kind="search", query="انفجار")
    empty = parse_feed(watchlist_feed(store, watchlist.id, base_url="http://x") or "")
    assert empty.findall(f"{ATOM}entry") == []
    watchlists.run(store)
    # A title with a bidi override written straight to the store (ingest would strip it).
    store.db.execute("UPDATE articles SET title = ? WHERE ext_id = 'h1'", ("\u202eانفجار <b>",))
    root = parse_feed(watchlist_feed(store, watchlist.id, base_url="http://x") or "")
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"
    (entry,) = root.findall(f"{ATOM}entry")
    for required in ("id", "title", "updated", "link", "author"):
        assert entry.find(f"{ATOM}{required}") is not None, required
    title = entry.findtext(f"{ATOM}title") or ""
    assert title == "انفجار <b>" and "\u202e" not in title
    div = entry.find(f"{ATOM}summary/{{http://www.w3.org/1999/xhtml}}div")
    assert div is not None and div.get("dir") == "rtl"
    for stamp in (root.findtext(f"{ATOM}updated"), entry.findtext(f"{ATOM}updated")):
        assert stamp and stamp.endswith("Z") and datetime.fromisoformat(stamp[:-1])
    entry_id = entry.findtext(f"{ATOM}id")
    watchlists.run(store)
    again = parse_feed(watchlist_feed(store, watchlist.id, base_url="http://x") or "")
    assert [e.findtext(f"{ATOM}id") for e in again.findall(f"{ATOM}entry")] == [entry_id]
    assert watchlist_feed(store, 999, base_url="http://x") is None


def test_alerts_api_needs_the_token_to_write_and_serves_the_feed(client: TestClient) -> None:
    assert client.post("/api/v1/alerts/add", json={"query": "أستانا"}).status_code == 401
    auth = {"Authorization": f"Bearer {TOKEN}"}
    made = client.post("/api/v1/alerts/add", json={"query": "أستانا"}, headers=auth)
    assert made.status_code == 201
    wid = made.json()["id"]
    ran = client.post(f"/api/v1/alerts/{wid}/run", headers=auth).json()
    assert ran["runs"][0]["new"]
    assert client.post(f"/api/v1/alerts/{wid}/run", headers=auth).json()["runs"][0]["new"] == []
    feed = client.get(f"/api/v1/alerts/{wid}/feed.atom")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    entries = parse_feed(feed.text).findall(f"{ATOM}entry")
    assert len(entries) == len(ran["runs"][0]["new"])
    assert client.get("/api/v1/alerts/999/feed.atom").status_code == 404
    page = client.get(f"/alerts/{wid}").text
    assert f'href="/api/v1/alerts/{wid}/feed.atom"' in page
    assert "أستانا" in client.get("/alerts").text


def test_cli_alerts_add_run_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(build_demo_store(tmp_path / "cli.db"))
    assert main(["--db", db, "alerts", "add", "--kind", "outlet", "levant-wire"]) == 0
    assert main(["--db", db, "alerts", "run"]) == 0
    first = capsys.readouterr().out.strip().splitlines()[-1]
    assert first.startswith("new_matches=") and first != "new_matches=0"
    assert main(["--db", db, "alerts", "run"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "new_matches=0"
    assert main(["--db", db, "top", "--limit", "3"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 4  # 3 stories and a total


def test_eval_breaking_scores_flagged_stories_by_shared_articles(tmp_path: Path) -> None:
    from marsad.evaluate.breaking_eval import evaluate_breaking

    store = Store(tmp_path / "b.db", normalizer_version=NORMALIZER_VERSION)
    pipeline = Pipeline(store, Settings(extract=False))
    pipeline.ingest([
        RawArticle(ext_id="q1", source="north", date=datetime(2026, 5, 1, 8), title="زلزال يضرب الساحل",
                   text="ضرب زلزال قوي الساحل الشرقي فجر اليوم وهرع السكان إلى الشوارع."),
        RawArticle(ext_id="f1", source="north", date=datetime(2026, 5, 1, 9), title="افتتاح مهرجان الصيف",
                   text="افتتح أمير المنطقة مهرجان الصيف في الحديقة العامة بحضور الأهالي."),
    ])  # fmt: skip
    store.db.execute("UPDATE stories SET breaking = 1")
    judged = tmp_path / "judged.tsv"
    judged.write_text("# label\tids\nyes\tq1,q2\nno\tf1\n", encoding="utf-8")
    report = evaluate_breaking(
        store, judged, since=datetime(2026, 5, 1), until=datetime(2026, 5, 2)
    ).splitlines()
    assert report[-2:] == ["unjudged=0", "breaking_precision=0.500"]
    judged.write_text("yes\tq1\n", encoding="utf-8")
    report = evaluate_breaking(
        store, judged, since=datetime(2026, 5, 1), until=datetime(2026, 5, 2)
    )
    assert report.splitlines()[-2:] == ["unjudged=1", "breaking_precision=1.000"]
    judged.write_text("maybe\tq1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="yes or no"):
        evaluate_breaking(store, judged, since=datetime(2026, 5, 1), until=datetime(2026, 5, 2))


def test_watch_with_alerts_runs_watchlists_after_each_poll(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from fixtures.watch.loopback import outlets, serving, sources_toml

    with serving() as server:
        twenty = outlets(server)
        sources = tmp_path / "sources.toml"
        sources.write_text(sources_toml(twenty), encoding="utf-8")
        db = str(tmp_path / "watch.db")
        assert main(["--db", db, "alerts", "add", "--kind", "outlet", "شام برس"]) == 0
        watch = ["--db", db, "watch", "--sources", str(sources), "--once", "--alerts",
                 "--host-interval", "0", "--timeout", "0.5"]  # fmt: skip
        assert main(watch) == 0
    assert "alerts: #1 شام برس: 2 new" in capsys.readouterr().out
    assert main(["--db", db, "alerts", "run"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "new_matches=0"
