"""The server's response cache: per-story versions, invalidation by any writer, one build."""

from __future__ import annotations

import asyncio
import sqlite3
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the API needs fastapi (pip install -e .)")
pytest.importorskip("httpx", reason="FastAPI's TestClient needs httpx")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

import httpx

from conftest import FIRE, VISIT
from marsad import views
from marsad.api import create_app
from marsad.api.cache import ResponseCacheMiddleware, VersionedCache
from marsad.api.writer import Writer
from marsad.service import ReadService
from marsad.store import Store
from marsad.text.arabic import NORMALIZER_VERSION

TOKEN = "cache-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BRIDGE = (
    "افتتح وزير النقل صباح اليوم جسرا جديدا يربط ضفتي النهر بطول ثلاثة كيلومترات في وسط المدينة."
)
FLOOD = (
    "اجتاحت السيول ثلاث قرى جنوب البلاد وأجلت فرق الدفاع المدني مئات العائلات من منازلها الليلة."
)


def article(
    n: int, source: str, text: str, title: str, date: str = "2026-04-01T10:00:00"
) -> dict[str, Any]:
    return {
        "id": f"c{n}",
        "source": source,
        "date": date,
        "title": title,
        "text": text,
    }


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[TestClient, Path, list[int]]]:
    """A writable app whose story-page builds are counted."""
    db = tmp_path / "c.db"
    app = create_app(db, token=TOKEN)
    service: ReadService = app.state.service
    builds: list[int] = []
    original = service.story_page

    def counted(story_id: int) -> dict[str, Any] | None:
        builds.append(story_id)
        return original(story_id)

    service.story_page = counted  # type: ignore[method-assign]
    with TestClient(app, base_url="http://localhost") as client:
        yield client, db, builds


def post(client: TestClient, *articles: dict[str, Any]) -> None:
    response = client.post("/api/v1/articles", json=list(articles), headers=AUTH)
    assert response.status_code == 200, response.text


def wait_for_the_refresher(writer: Writer) -> None:
    """Wait until the background rebuilds asked for so far have run (in the refresher
    process); the deadline only stops a hung refresher from hanging the test run."""
    deadline = time.monotonic() + 60
    while writer.refreshing and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not writer.refreshing, "the refresher did not finish its rebuilds within 60 s"


def story_ids(client: TestClient) -> dict[str, int]:
    stories = client.get("/api/v1/stories").json()["stories"]
    return {s["sources"][0]: s["id"] for s in stories}


def test_story_page_survives_an_ingest_elsewhere_and_changes_with_its_story(
    served: tuple[TestClient, Path, list[int]],
) -> None:
    client, _db, builds = served
    post(
        client, article(1, "wire-a", BRIDGE, "افتتاح جسر جديد"), article(2, "wire-b", FLOOD, "سيول")
    )
    bridge = story_ids(client)["wire-a"]
    first = client.get(f"/story/{bridge}")
    assert first.status_code == 200
    assert client.get(f"/story/{bridge}").text == first.text
    assert builds == [bridge], "the second view came from the cache"

    # A month earlier: too far to be related coverage of the bridge, so its page stays cached.
    flood = FLOOD + " وقال المحافظ إن الأضرار كبيرة."
    post(client, article(3, "wire-c", flood, "السيول تجتاح القرى", "2026-03-01T10:00:00"))
    assert client.get(f"/story/{bridge}").text == first.text
    assert builds == [bridge], "an ingest into another story left this page cached"

    post(client, article(4, "wire-d", BRIDGE + " وقال الوزير إن الجسر يخفف الازدحام.", "جسر جديد"))
    updated = client.get(f"/story/{bridge}")
    assert builds == [bridge, bridge], "an article joining the story rebuilt its page"
    assert "wire-d" in updated.text and "wire-d" not in first.text


def test_related_coverage_arriving_later_rebuilds_the_story_page(
    served: tuple[TestClient, Path, list[int]],
) -> None:
    client, _db, builds = served
    post(client, article(1, "wire-a", FIRE, "حريق مصنع أثاث في بريدة"))
    fire = story_ids(client)["wire-a"]
    before = client.get(f"/story/{fire}").text
    assert "wire-v" not in before
    # Six days on, another outlet's report of the visit is a story of its own, and related.
    post(
        client,
        article(2, "wire-v", VISIT, "أمير القصيم يتفقد المصنع المحترق", "2026-04-07T10:00:00"),
    )
    assert story_ids(client)["wire-v"] != fire
    after = client.get(f"/story/{fire}").text
    assert builds == [fire, fire], "an article in the story's related window rebuilt its page"
    assert "wire-v" in after


def test_a_write_by_another_process_is_seen(served: tuple[TestClient, Path, list[int]]) -> None:
    client, db, builds = served
    post(client, article(1, "wire-a", BRIDGE, "افتتاح جسر جديد"))
    story = story_ids(client)["wire-a"]
    before = client.get(f"/story/{story}").text
    assert client.get("/api/v1/health").json()["articles"] == 1
    other = Store(db, normalizer_version=NORMALIZER_VERSION)  # e.g. a CLI ingest
    with other.transaction():
        headline = "عنوان جديد من عملية أخرى"
        other.set_summary(story, headline, {"headline": headline, "sentences": []})
    other.close()
    assert "عنوان جديد من عملية أخرى" in client.get(f"/story/{story}").text != before
    assert len(builds) == 2


def test_revision_triggers_follow_every_write(tmp_path: Path) -> None:
    store = Store(tmp_path / "r.db", normalizer_version=NORMALIZER_VERSION)
    with store.transaction():
        store.create_story(7)
    start = store.story_revision(7)
    assert start is not None
    with store.transaction():
        store.set_summary(7, "عنوان", {"headline": "عنوان", "sentences": []})
    after_summary = store.story_revision(7)
    assert after_summary is not None and after_summary > start
    assert store.set_analysis(7, {"x": 1}, revision=after_summary - 1) is False, "stale snapshot"
    assert store.story_analysis(7) is None
    assert store.set_analysis(7, {"x": 1}, revision=after_summary) is True
    assert store.story_revision(7) == after_summary + 1
    assert store.story_revision(999) is None
    store.close()


def test_a_reader_built_analysis_is_kept_for_the_next_view(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    app = create_app(db, token=TOKEN)
    with TestClient(app, base_url="http://localhost") as client:
        post(
            client,
            article(1, "wire-a", BRIDGE, "افتتاح جسر جديد"),
            article(2, "wire-b", BRIDGE + " وقال الوزير إن الكلفة بلغت مليار دينار.", "جسر جديد"),
        )
        (story,) = {s["id"] for s in client.get("/api/v1/stories").json()["stories"]}
        assert client.get(f"/api/v1/stories/{story}").json()["analysis"] is not None
        # The view asked the refresher to keep it. Shutting down drops a rebuild still
        # queued (the next view asks again), so leaving before it ran made this test flaky.
        wait_for_the_refresher(app.state.writer)
    with sqlite3.connect(db) as raw:
        (kept,) = raw.execute("SELECT analysis FROM stories WHERE id = ?", (story,)).fetchone()
    assert kept is not None, "the analysis built for the page view was stored"


def test_concurrent_misses_build_a_page_once() -> None:
    calls = 0

    async def slow_app(scope: Any, receive: Any, send: Any) -> None:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.05)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": f"build {calls}".encode()})

    cache = VersionedCache(lambda: ("v1",))
    app = ResponseCacheMiddleware(slow_app, cache=cache)

    async def fetch_all() -> list[str]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            responses = await asyncio.gather(*(client.get("/river") for _ in range(20)))
        return [r.text for r in responses]

    bodies = asyncio.run(fetch_all())
    assert calls == 1
    assert set(bodies) == {"build 1"}


def test_entries_expire_with_their_version() -> None:
    version = ["a"]
    cache = VersionedCache(lambda: (version[0],), maxsize=2)
    cache.put("x", cache.version(), 1)
    assert cache.get("x", cache.version()) == 1
    version[0] = "b"
    assert cache.get("x", cache.version()) is None
    for key in ("p", "q", "r"):
        cache.put(key, ("own",), key)
    assert cache.get("p", ("own",)) is None, "least recently used entry evicted"
    assert cache.get("r", ("own",)) == "r"
    cache.invalidate()
    assert cache.get("r", ("own",)) == "r", "own-versioned entries survive a generation bump"


def test_a_stale_analysis_is_shown_then_rebuilt_in_the_background(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "s.db"
    app = create_app(db, token=TOKEN)
    writer: Writer = app.state.writer

    with TestClient(app, base_url="http://localhost") as client:
        post(
            client,
            article(1, "wire-a", BRIDGE, "افتتاح جسر جديد"),
            article(2, "wire-b", BRIDGE + " وقال الوزير إن الكلفة بلغت مليار دينار.", "جسر جديد"),
        )
        (story,) = {s["id"] for s in client.get("/api/v1/stories").json()["stories"]}
        first = client.get(f"/api/v1/stories/{story}").json()["analysis"]
        assert first["basis"][0] == 2 and "stale" not in first
        # The reader built that one in memory; the refresher (a writer) keeps it.
        wait_for_the_refresher(writer)
        post(client, article(3, "wire-c", BRIDGE + " وأكد المحافظ أن الافتتاح تم اليوم.", "الجسر"))
        second = client.get(f"/api/v1/stories/{story}").json()
        assert second["n_articles"] == 3
        assert second["analysis"]["basis"] == first["basis"] and second["analysis"]["stale"]
        assert not writer.refreshing, "built seconds ago: not rebuilt again yet"
        monkeypatch.setattr(views, "ANALYSIS_REFRESH_SECONDS", 0.0)
        assert client.get(f"/api/v1/stories/{story}?again").json()["analysis"]["stale"]
        wait_for_the_refresher(writer)
        third = client.get(f"/api/v1/stories/{story}").json()["analysis"]
        assert third["basis"][0] == 3 and "stale" not in third
        assert "wire-c" in {row["outlet"] for row in third["coverage"]["outlets"]}


def test_the_river_reads_its_index(tmp_path: Path) -> None:
    store = Store(tmp_path / "i.db", normalizer_version=NORMALIZER_VERSION)
    plan = store.db.execute(
        "EXPLAIN QUERY PLAN SELECT count(*) FROM stories WHERE (n_articles > 0 OR n_passages > 1)"
    ).fetchall()
    assert any("COVERING INDEX stories_river" in row[-1] for row in plan), plan
    store.close()


def test_during_a_rebuild_others_get_the_previous_version() -> None:
    # Events, not sleeps: with a 10 ms sleep meaning "the rebuild has begun" and a 50 ms one
    # meaning "it is still running", a loaded machine finished the rebuild first (seen: the
    # five requests got build 2 under load 17).
    builds = 0
    events: dict[str, asyncio.Event] = {}

    async def slow_app(scope: Any, receive: Any, send: Any) -> None:
        nonlocal builds
        builds += 1
        body = f"build {builds}".encode()
        if builds > 1:  # the rebuild runs until the other requests have been answered
            events["rebuilding"].set()
            await events["release"].wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": body})

    version = ["v1"]
    cache = VersionedCache(lambda: (version[0],))
    app = ResponseCacheMiddleware(slow_app, cache=cache)

    async def scenario() -> tuple[str, list[str], str]:
        events.update(rebuilding=asyncio.Event(), release=asyncio.Event())
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            first = (await client.get("/river")).text
            version[0] = "v2"  # a commit
            rebuild = asyncio.create_task(client.get("/river"))
            await asyncio.wait_for(events["rebuilding"].wait(), 60)
            # Requests that waited for the rebuild would never be answered: bounded.
            during = await asyncio.wait_for(
                asyncio.gather(*(client.get("/river") for _ in range(5))), 60
            )
            events["release"].set()
            return first, [r.text for r in during], (await rebuild).text

    first, during, rebuilt = asyncio.run(scenario())
    assert first == "build 1"
    assert during == ["build 1"] * 5, "served the previous version while rebuilding"
    assert rebuilt == "build 2", "the request that rebuilt waited for the fresh page"
    assert builds == 2
