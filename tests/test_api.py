"""JSON API: every route, its filters, and its error cases, over the demo corpus."""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the API needs fastapi (pip install -e .)")
pytest.importorskip("httpx", reason="FastAPI's TestClient needs httpx")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's note about httpx's successor
    from fastapi.testclient import TestClient

from tests.conftest import BACKENDS, FIRE
from tests.pg_support import PostgresServer
from tests.test_export import build_demo_store

from marsad.api import create_app
from marsad.store import Store
from marsad.text.arabic import NORMALIZER_VERSION
from marsad.views import find_stories_view, search_view, stories_view, story_view

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module", params=BACKENDS)
def demo_db(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> str:
    """The demo corpus in a store of each backend (the API reads both the same way)."""
    if request.param == "sqlite":
        return str(build_demo_store(tmp_path_factory.mktemp("api") / "demo.db"))
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return str(build_demo_store(server.new_database()))


@pytest.fixture(scope="module")
def client(demo_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(demo_db), base_url="http://localhost") as test_client:
        yield test_client


@pytest.fixture
def writable(store_url: str) -> Iterator[TestClient]:
    app = create_app(store_url, token=TOKEN, max_body_bytes=200_000)
    with TestClient(app, base_url="http://localhost") as test_client:
        yield test_client


def article(n: int, **fields: Any) -> dict[str, Any]:
    return {
        "id": f"t{n}",
        "source": "test-wire",
        "date": "2026-04-01T10:00:00",
        "title": f"افتتاح جسر الملك فهد الجديد رقم {n}",
        "text": "افتتح وزير النقل صباح اليوم جسراً جديداً يربط ضفتي النهر بطول ثلاثة كيلومترات. "
        f"وقال الوزير إن المشروع رقم {n} سيخفف الازدحام في وسط المدينة.",
        **fields,
    }


# -- reads ----------------------------------------------------------------------------------
def test_health_counts_the_store(client: TestClient) -> None:
    data = client.get("/api/v1/health").json()
    assert data["status"] == "ok"
    assert data["articles"] >= 40
    assert data["writable"] is False


def test_stories_match_the_cli_json(client: TestClient, demo_db: str) -> None:
    data = client.get("/api/v1/stories", params={"limit": 5}).json()
    store = Store(demo_db, normalizer_version=NORMALIZER_VERSION)
    cli = stories_view(store, limit=5)
    assert set(data) == set(cli)
    assert data["stories"] == cli["stories"]
    assert data["total"] == len(store.stories(limit=10_000))


def test_stories_paginate(client: TestClient) -> None:
    first = client.get("/api/v1/stories", params={"limit": 3}).json()["stories"]
    second = client.get("/api/v1/stories", params={"limit": 3, "offset": 3}).json()["stories"]
    assert len(first) == len(second) == 3
    assert not {s["id"] for s in first} & {s["id"] for s in second}


def test_stories_filter_by_outlet(client: TestClient) -> None:
    data = client.get("/api/v1/stories", params={"outlet": "gulf-daily", "limit": 200}).json()
    assert data["stories"]
    assert all("gulf-daily" in s["sources"] for s in data["stories"])
    assert data["total"] == len(data["stories"])


def test_stories_filter_by_text_with_a_spelling_variant(client: TestClient) -> None:
    # The corpus writes أستانا with a hamza; the query leaves it out.
    data = client.get("/api/v1/stories", params={"q": "استانا", "limit": 200}).json()
    assert data["stories"]
    assert any("أستانا" in s["title"] for s in data["stories"])
    assert data["total"] < client.get("/api/v1/stories").json()["total"]


def test_stories_filter_by_breaking_and_time(client: TestClient) -> None:
    breaking = client.get("/api/v1/stories", params={"breaking": True, "limit": 200}).json()
    calm = client.get("/api/v1/stories", params={"breaking": False, "limit": 200}).json()
    assert all(s["breaking"] for s in breaking["stories"])
    assert not any(s["breaking"] for s in calm["stories"])
    everything = client.get("/api/v1/stories", params={"limit": 1}).json()["total"]
    assert breaking["total"] + calm["total"] == everything
    late = client.get("/api/v1/stories", params={"since": "2026-03-10T00:00:00", "limit": 200})
    assert late.status_code == 200
    assert all(s["last_seen"] >= "2026-03-10" for s in late.json()["stories"])
    early = client.get("/api/v1/stories", params={"until": "2026-03-03T00:00:00+00:00"}).json()
    assert all(s["first_seen"] <= "2026-03-03" for s in early["stories"])
    assert 0 < early["total"] < everything


def test_stories_filter_by_thread(client: TestClient, demo_db: str) -> None:
    store = Store(demo_db, normalizer_version=NORMALIZER_VERSION)
    expected = find_stories_view(store, thread=0)["total"]
    data = client.get("/api/v1/stories", params={"thread": 0}).json()
    assert data["total"] == expected


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 1000}, {"offset": -1}, {"since": "yesterday"}, {"breaking": "maybe"}],
)
def test_stories_reject_bad_parameters(client: TestClient, params: dict[str, Any]) -> None:
    assert client.get("/api/v1/stories", params=params).status_code == 422


def test_story_detail_is_the_story_view(client: TestClient, demo_db: str) -> None:
    story_id = client.get("/api/v1/stories", params={"limit": 1}).json()["stories"][0]["id"]
    store = Store(demo_db, normalizer_version=NORMALIZER_VERSION)
    # The server's refresher may commit the story's analysis meanwhile; on PostgreSQL the
    # server hears of a commit a moment after it (ChangeListener): the page catches up.
    # Each try compares the page with the view read just before it, never with a later read
    # (a commit in between would make a later view newer than the page it is compared with).
    deadline = time.monotonic() + 10
    while True:
        expected = story_view(store, story_id)
        data = client.get(f"/api/v1/stories/{story_id}").json()
        if data == expected or time.monotonic() >= deadline:
            break
        time.sleep(0.05)
    assert data == expected
    assert {"summary", "articles", "duplicate_copies"} <= set(data)


def test_story_detail_shows_duplicate_copies(client: TestClient) -> None:
    stories = client.get("/api/v1/stories", params={"limit": 200}).json()["stories"]
    details = [client.get(f"/api/v1/stories/{s['id']}").json() for s in stories]
    with_copies = [d for d in details if d["duplicate_copies"]]
    assert with_copies, "the demo corpus has wire copies"
    copy = with_copies[0]["articles"]
    assert any(a["copies"] for a in copy)


def test_missing_story_article_thread_outlet_are_404(client: TestClient) -> None:
    for url in (
        "/api/v1/stories/999999",
        "/api/v1/articles/999999",
        "/api/v1/threads/999999",
        "/api/v1/outlets/no-such-outlet",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["detail"]
    assert client.get("/api/v1/stories/not-a-number").status_code == 422


def test_article_detail_has_its_body(client: TestClient) -> None:
    data = client.get("/api/v1/articles/1").json()
    assert data["id"] == 1
    assert len(data["body"]) > 100
    assert data["story_id"] is not None


def test_threads_list(client: TestClient) -> None:
    data = client.get("/api/v1/threads", params={"limit": 5}).json()
    assert set(data) >= {"total", "threads", "limit", "offset"}
    for thread in data["threads"]:
        assert thread["n_stories"] == len(thread["stories"])
        one = client.get(f"/api/v1/threads/{thread['id']}").json()
        assert one["total"] == thread["n_stories"]


def test_outlets_list_and_detail(client: TestClient) -> None:
    outlets = client.get("/api/v1/outlets").json()["outlets"]
    names = {o["name"] for o in outlets}
    assert {"levant-wire", "gulf-daily"} <= names
    total = client.get("/api/v1/health").json()["articles"]
    assert sum(o["articles"] for o in outlets) == total
    detail = client.get("/api/v1/outlets/levant-wire", params={"limit": 2}).json()
    assert detail["outlet"]["name"] == "levant-wire"
    assert len(detail["stories"]) == 2
    assert detail["total"] == detail["outlet"]["stories"]


def test_search_finds_spelling_variants_with_highlights(client: TestClient, demo_db: str) -> None:
    data = client.get("/api/v1/search", params={"q": "استانا"}).json()
    assert data["hits"]
    hit = data["hits"][0]
    start, end = hit["highlights"][0]
    assert hit["snippet"][start:end] in ("أستانا", "أستانة")  # one name, two transliterations
    store = Store(demo_db, normalizer_version=NORMALIZER_VERSION)
    assert data == search_view(store, "استانا")


def test_search_paginates_and_validates(client: TestClient) -> None:
    first = client.get("/api/v1/search", params={"q": "استانا", "limit": 1}).json()["hits"]
    second = client.get("/api/v1/search", params={"q": "استانا", "limit": 1, "offset": 1}).json()
    assert first[0]["article_id"] != second["hits"][0]["article_id"]
    assert client.get("/api/v1/search").status_code == 422
    assert client.get("/api/v1/search", params={"q": "x" * 501}).status_code == 422
    # FTS syntax in the query is data, not an expression.
    odd = client.get("/api/v1/search", params={"q": 'NEAR("a" OR *) "'})
    assert odd.status_code == 200


def test_entities_list_and_detail(client: TestClient) -> None:
    data = client.get("/api/v1/entities", params={"limit": 5}).json()
    assert data["available"] is True
    assert len(data["entities"]) == min(5, data["total"])
    for entity in data["entities"]:
        assert entity["mentions"] >= entity["articles"] >= 1
        detail = client.get(f"/api/v1/entities/{entity['name']}").json()
        assert detail["mentions"] >= 1
    assert client.get("/api/v1/entities/ككككك").status_code == 404


def test_openapi_lists_every_route(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/stories",
        "/api/v1/stories/{story_id}",
        "/api/v1/threads",
        "/api/v1/outlets",
        "/api/v1/search",
        "/api/v1/entities",
        "/api/v1/articles",
    ):
        assert path in paths
    assert "post" in paths["/api/v1/articles"]
    assert not any(p.startswith("/story") for p in paths), "HTML pages stay out of the schema"


def test_security_headers_and_host_check(client: TestClient) -> None:
    response = client.get("/api/v1/stories")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-type"].startswith("application/json")
    rebinding = client.get("/api/v1/stories", headers={"Host": "evil.example"})
    assert rebinding.status_code == 400


# -- writes ---------------------------------------------------------------------------------
def test_write_is_disabled_without_a_configured_token(client: TestClient) -> None:
    response = client.post("/api/v1/articles", json={"articles": [article(1)]}, headers=AUTH)
    assert response.status_code == 403
    assert "token" in response.json()["detail"]


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}, {"Authorization": "Basic x"}],
)
def test_write_needs_the_right_token(writable: TestClient, headers: dict[str, str]) -> None:
    response = writable.post("/api/v1/articles", json={"articles": [article(1)]}, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert writable.get("/api/v1/health").json()["articles"] == 0


def test_ingest_through_the_api_then_read_it_back(writable: TestClient) -> None:
    assert writable.get("/api/v1/health").json()["articles"] == 0  # now cached
    response = writable.post(
        "/api/v1/articles", json={"articles": [article(1), article(2)]}, headers=AUTH
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["ingested"] == 2
    assert report["skipped"] == []
    assert writable.get("/api/v1/health").json()["articles"] == 2, "the cache was refreshed"
    hits = writable.get("/api/v1/search", params={"q": "الجسر"}).json()["hits"]
    assert {h["source"] for h in hits} == {"test-wire"}
    again = writable.post("/api/v1/articles", json=[article(1)], headers=AUTH).json()
    assert again["already_stored"] == 1


def test_ingest_reports_unusable_records(writable: TestClient) -> None:
    response = writable.post(
        "/api/v1/articles", json=[article(1), {"title": "بلا نص", "text": "   "}], headers=AUTH
    )
    assert response.status_code == 200
    assert len(response.json()["skipped"]) == 1
    assert "text" in response.json()["skipped"][0]["reason"]


@pytest.mark.parametrize(
    "body", [{"articles": []}, [], {"articles": [{"title": "no text"}]}, {"x": 1}, "nonsense"]
)
def test_ingest_rejects_malformed_bodies(writable: TestClient, body: Any) -> None:
    response = writable.post("/api/v1/articles", json=body, headers=AUTH)
    assert response.status_code == 422


def test_oversized_bodies_get_413(writable: TestClient) -> None:
    huge = {"articles": [article(1, text="كلمة " * 60_000)]}
    response = writable.post("/api/v1/articles", json=huge, headers=AUTH)
    assert response.status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while streaming
        yield b'{"articles": [{"text": "'
        for _ in range(30):
            yield b"x" * 10_000
        yield b'"}]}'

    streamed = writable.post(
        "/api/v1/articles",
        content=chunks(),
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert streamed.status_code == 413
    assert writable.get("/api/v1/health").json()["articles"] == 0


def test_compare_over_a_story_and_the_whole_store(client: TestClient) -> None:
    story_id = client.get("/api/v1/stories").json()["stories"][0]["id"]
    view = client.get("/api/v1/compare", params={"story": story_id}).json()
    assert view["scope"] == f"story #{story_id}"
    assert view["summary"]["sentences"]
    assert "framing" in view["analysis"]
    everything = client.get("/api/v1/compare", params={"limit": 1000}).json()
    assert everything["articles"] >= view["articles"]
    assert client.get("/api/v1/compare", params={"story": 999999}).status_code == 404


def test_compare_narrows_a_story_by_its_thread(client: TestClient, demo_db: str) -> None:
    # Both filters are schema-valid together: the thread narrows (was a 422 the schema hid).
    story = Store(demo_db, normalizer_version=NORMALIZER_VERSION).story(
        client.get("/api/v1/stories").json()["stories"][0]["id"]
    )
    assert story is not None and story.thread_id is not None
    params = {"story": story.id, "thread": story.thread_id}
    both = client.get("/api/v1/compare", params=params)
    assert both.status_code == 200
    assert both.json()["scope"] == f"story #{story.id}"
    other = client.get("/api/v1/compare", params={**params, "thread": story.thread_id + 10_000})
    assert other.status_code == 404
    assert "thread" in other.json()["detail"]


def test_stories_filter_by_entity_in_any_spelling(client: TestClient) -> None:
    # The demo spells the fire official إدريس بنعلي / إدريس بن علي.
    one = client.get("/api/v1/stories", params={"entity": "إدريس بنعلي"}).json()
    other = client.get("/api/v1/stories", params={"entity": "إدريس بن علي"}).json()
    assert one["total"] >= 1
    assert [s["id"] for s in one["stories"]] == [s["id"] for s in other["stories"]]
    none = client.get("/api/v1/stories", params={"entity": "اسم لا وجود له"}).json()
    assert none["total"] == 0


# -- any input gets a documented 4xx, never a 5xx ------------------------------------------
BIG = 10**20  # past SQLite's integers: used to overflow the query (500)
MAX_ID = 2**63 - 1


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (f"/api/v1/stories/{BIG}", {}),
        (f"/api/v1/articles/{BIG}", {}),
        (f"/api/v1/threads/{BIG}", {}),
        (f"/api/v1/stories/{MAX_ID + 1}", {}),
        ("/api/v1/stories/-1", {}),
        ("/api/v1/stories", {"thread": BIG}),
        ("/api/v1/compare", {"story": BIG}),
        ("/api/v1/compare", {"thread": BIG}),
    ],
)
def test_out_of_range_ids_are_422(client: TestClient, url: str, params: dict[str, Any]) -> None:
    response = client.get(url, params=params)
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] in {"less_than_equal", "greater_than_equal"}


def test_the_largest_id_is_in_range_and_missing(client: TestClient) -> None:
    for url in (f"/api/v1/stories/{MAX_ID}", f"/api/v1/articles/{MAX_ID}"):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("url", [f"/story/{BIG}", f"/article/{BIG}", f"/story/{MAX_ID}"])
def test_web_pages_of_out_of_range_ids_are_not_found(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize(
    "params",
    [
        {"since": "0001-01-01T00:00:00+05:00"},  # before year 1 in UTC: used to overflow
        {"until": "9999-12-31T23:59:59-05:00"},  # after year 9999 in UTC: likewise
        {"since": "0001-01-01T00:00:00-05:00", "until": "9999-12-31T23:59:59+05:00"},
    ],
)
def test_times_at_the_ends_of_the_calendar_clamp(
    client: TestClient, params: dict[str, str]
) -> None:
    response = client.get("/api/v1/stories", params={**params, "limit": 200})
    assert response.status_code == 200
    everything = client.get("/api/v1/stories", params={"limit": 1}).json()["total"]
    assert response.json()["total"] == everything  # the clamped bounds exclude nothing


def test_naive_utc_clamps_instead_of_overflowing() -> None:
    from datetime import UTC, datetime, timedelta, timezone

    from marsad.api.routes import naive_utc

    east, west = timezone(timedelta(hours=5)), timezone(timedelta(hours=-5))
    assert naive_utc(datetime(1, 1, 1, tzinfo=east)) == datetime.min
    assert naive_utc(datetime(9999, 12, 31, 23, 59, tzinfo=west)) == datetime.max
    assert naive_utc(datetime(2026, 3, 1, 12, tzinfo=east)) == datetime(2026, 3, 1, 7)
    assert naive_utc(datetime(2026, 3, 1, 12, tzinfo=UTC)) == datetime(2026, 3, 1, 12)
    assert naive_utc(datetime(2026, 3, 1, 12)) == datetime(2026, 3, 1, 12)


@pytest.mark.parametrize("value", ["0.5", "1700000000", "-1"])
def test_times_must_be_iso_not_unix_numbers(client: TestClient, value: str) -> None:
    # Lax parsing read these as Unix times: a value the schema (date-time) says is invalid.
    response = client.get("/api/v1/stories", params={"since": value})
    assert response.status_code == 422
    assert "ISO 8601" in response.json()["detail"][0]["msg"]


@pytest.fixture(scope="module")
def extreme_dates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, int]]:
    """A store with one story dated at the last second of 9999 and one in year 1."""
    from marsad.ingest.readers import article_from_fields
    from marsad.pipeline import Pipeline

    path = tmp_path_factory.mktemp("extreme") / "extreme.db"
    store = Store(path, normalizer_version=NORMALIZER_VERSION)
    fire = {"source": "wire-c", "date": "2026-01-01", "title": "حريق", "text": FIRE}
    records = [
        article_from_fields(article(1, source="wire-a"), origin="a"),
        article_from_fields(article(2, source="wire-b"), origin="b"),
        article_from_fields(fire, origin="c"),
    ]
    assert Pipeline(store).ingest(records).ingested == 3
    # Dated directly: ingest may refuse such dates, but a store (older, or written by another
    # tool) can hold them, and reading must not overflow on them.
    for sources, when in (
        (("wire-a", "wire-b"), "9999-12-31T23:59:59"),
        (("wire-c",), "0001-01-01T00:00:00"),
    ):
        marks = ",".join("?" * len(sources))
        store.db.execute(
            f"UPDATE articles SET published = ? WHERE source IN ({marks})", (when, *sources)
        )
        store.db.execute(
            "UPDATE stories SET first_seen = ?, last_seen = ? WHERE id IN"
            f" (SELECT story_id FROM articles WHERE source IN ({marks}))",
            (when, when, *sources),
        )
    store.db.commit()
    year_one = store.rows("SELECT id FROM stories WHERE first_seen LIKE '0001-%'")
    store.close()
    assert len(year_one) == 1
    with TestClient(create_app(path), base_url="http://localhost") as test_client:
        yield test_client, int(year_one[0]["id"])


def test_stories_dated_at_the_ends_of_the_calendar_render(
    extreme_dates: tuple[TestClient, int],
) -> None:
    client, year_one = extreme_dates
    stories = client.get("/api/v1/stories", params={"limit": 200}).json()["stories"]
    assert {s["last_seen"][:4] for s in stories} == {"0001", "9999"}
    for story in stories:
        sid = story["id"]
        for url in (f"/api/v1/stories/{sid}", f"/story/{sid}", f"/api/v1/threads/{sid}"):
            assert client.get(url).status_code == 200, url
        compared = client.get("/api/v1/compare", params={"story": sid})
        assert compared.status_code == 200
    for aid in (1, 2, 3):
        assert client.get(f"/api/v1/articles/{aid}").status_code == 200
        assert client.get(f"/article/{aid}").status_code == 200
    for url in (
        "/", "/threads", "/outlets", "/outlet/wire-a", "/entities", "/search?q=الجسر",
        "/api/v1/health", "/api/v1/threads", "/api/v1/compare", "/api/v1/outlets",
        "/api/v1/outlets/wire-c", "/api/v1/entities", "/api/v1/sources",
        "/api/v1/search?q=الجسر", "/api/v1/stories?since=9999-12-31T00:00:00",
        "/api/v1/stories?until=0001-01-02T00:00:00Z",
    ):  # fmt: skip
        assert client.get(url).status_code == 200, url
    assert client.get(f"/api/v1/stories/{year_one}").json()["first_seen"].startswith("0001")


def test_openapi_documents_every_status(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/stories/{story_id}",
        "/api/v1/articles/{article_id}",
        "/api/v1/threads/{thread_id}",
        "/api/v1/outlets/{name}",
        "/api/v1/entities/{name}",
        "/api/v1/compare",
    ):
        assert {"200", "404", "422"} <= set(paths[path]["get"]["responses"]), path
    assert "400" in paths["/api/v1/search"]["get"]["responses"]
    post = paths["/api/v1/articles"]["post"]
    assert {"200", "400", "401", "403", "413", "422"} <= set(post["responses"])
    assert post["security"], "the write declares its bearer token"
    story_id = paths["/api/v1/stories/{story_id}"]["get"]["parameters"][0]["schema"]
    assert (story_id["minimum"], story_id["maximum"]) == (0, MAX_ID)


@pytest.mark.parametrize(
    "body",
    [
        [{"id": False, "text": "نص"}],  # lax parsing took false for the id 0
        [],  # the bare list now says 1..5000 in the schema, like {"articles": [...]}
    ],
)
def test_ingest_validates_like_its_schema(writable: TestClient, body: Any) -> None:
    response = writable.post("/api/v1/articles", json=body, headers=AUTH)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list), "FastAPI's shape, as documented"
    assert writable.get("/api/v1/health").json()["articles"] == 0


def test_unexpected_errors_are_logged_and_answered_in_json(
    demo_db: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("marsad.views.outlets_view", broken)
    app = create_app(demo_db)
    with TestClient(app, base_url="http://localhost", raise_server_exceptions=False) as quiet:
        response = quiet.get("/api/v1/outlets")
    assert response.status_code == 500
    assert "internal error" in response.json()["detail"]
    assert "a bug" not in response.text, "no internals in the answer"
    logged = [r for r in caplog.records if r.name == "marsad.api.app"]
    assert logged and logged[0].exc_info is not None
    assert "GET /api/v1/outlets" in logged[0].getMessage()
    # Tests still see the exception itself: the handler does not hide bugs.
    with TestClient(app, base_url="http://localhost") as loud, pytest.raises(RuntimeError):
        loud.get("/api/v1/outlets")


def test_ingest_of_dates_at_the_ends_of_the_calendar(writable: TestClient) -> None:
    # Converting these to UTC used to overflow inside the request (500).
    dates = ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "0001-01-01"]
    body = [article(n, date=date, source=f"wire-{n}") for n, date in enumerate(dates)]
    response = writable.post("/api/v1/articles", json=body, headers=AUTH)
    assert response.status_code == 200, response.text
    assert response.json()["read"] == 3
    for story in writable.get("/api/v1/stories").json()["stories"]:
        assert writable.get(f"/api/v1/stories/{story['id']}").status_code == 200
        assert writable.get(f"/story/{story['id']}").status_code == 200
