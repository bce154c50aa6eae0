"""Server-rendered pages: every page renders, RTL Arabic, and untrusted text stays inert."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web UI needs fastapi (pip install -e .)")
pytest.importorskip("jinja2", reason="the web UI needs jinja2")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from tests.test_export import build_demo_store

from marsad.api import create_app
from marsad.pipeline import Pipeline, Settings
from marsad.store.sqlite import Store
from marsad.text.arabic import NORMALIZER_VERSION
from marsad.web.render import safe_url, snippet_html, strip_bidi

RLO = "\u202e"
SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'
HOSTILE_TITLE = f"{RLO}هجوم {SCRIPT} على {IMG} الموقع"
HOSTILE_BODY = (
    f"بدأت اليوم محاكمة المتهمين في قضية الاختراق الكبير {SCRIPT} وقال المحامي {IMG} "
    f"إن الأدلة غير كافية {RLO}gpj.exe\n\n"
    '<a href="javascript:alert(3)" onclick="alert(4)">اضغط هنا</a> وتستمر الجلسات غداً في المحكمة.'
)


@pytest.fixture(scope="module")
def demo_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = build_demo_store(tmp_path_factory.mktemp("web") / "demo.db")
    with TestClient(create_app(db), base_url="http://localhost") as client:
        yield client


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, int]]:
    """A store whose only article has script tags, handlers and a bidi override in it,
    written straight to the store so the override survives (ingest would strip it)."""
    path = tmp_path_factory.mktemp("hostile") / "h.db"
    store = Store(path, normalizer_version=NORMALIZER_VERSION)
    pipeline = Pipeline(store, Settings(extract=False))
    from marsad.models import RawArticle

    pipeline.ingest(
        [
            RawArticle(
                ext_id="x1",
                source=f"evil{RLO}<b>wire</b>",
                date=None,
                title="عنوان مؤقت للمحاكمة",
                text=HOSTILE_BODY,
                url="javascript:alert(5)",
                origin="test",
            )
        ]
    )
    store.db.execute("UPDATE articles SET title = ?, body = ?", (HOSTILE_TITLE, HOSTILE_BODY))
    store.db.execute("UPDATE stories SET title = ?", (HOSTILE_TITLE,))
    story_id = int(store.db.execute("SELECT id FROM stories").fetchone()[0])
    store.close()
    with TestClient(create_app(path), base_url="http://localhost") as client:
        yield client, story_id


def assert_inert(html: str) -> None:
    assert "<script>alert" not in html
    assert "<img" not in html
    assert "onerror=" not in html.replace("onerror=&#34;", "").replace("onerror=&quot;", "")
    assert not re.search(r"<[^>]+\son(click|error)=", html)
    assert 'href="javascript:' not in html
    assert RLO not in html
    assert "<b>wire" not in html


def test_pages_render_rtl_arabic(demo_client: TestClient) -> None:
    for url in ("/", "/?tab=breaking", "/outlets", "/threads", "/entities", "/search", "/ingest"):
        response = demo_client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="ar" dir="rtl">' in response.text
        assert "default-src 'self'" in response.headers["content-security-policy"]


def test_river_lists_stories_and_filters_by_outlet(demo_client: TestClient) -> None:
    html = demo_client.get("/").text
    assert html.count('class="story-card') >= 8  # the demo corpus has 8 labeled stories
    filtered = demo_client.get("/", params={"outlet": "levant-wire"}).text
    assert 0 < filtered.count('class="story-card') < html.count('class="story-card')
    assert demo_client.get("/", params={"tab": "nonsense"}).status_code == 422


def test_story_page_shows_summary_articles_copies_and_chart(demo_client: TestClient) -> None:
    stories = demo_client.get("/api/v1/stories", params={"limit": 200}).json()["stories"]
    views = [demo_client.get(f"/api/v1/stories/{s['id']}").json() for s in stories]
    rich = next(v for v in views if v["duplicate_copies"] and len(v["sources"]) > 1)
    html = demo_client.get(f"/story/{rich['id']}").text
    assert 'id="summary"' in html
    assert rich["articles"][0]["title"].split()[0] in html
    assert 'class="copies"' in html
    assert "<svg" in html and "cov-own" in html and "cov-copy" in html
    assert 'id="comparison"' in html
    assert 'id="timeline"' in html


def test_article_outlet_entity_pages(demo_client: TestClient) -> None:
    html = demo_client.get("/article/1").text
    assert "/story/" in html
    assert "levant-wire" in demo_client.get("/outlet/levant-wire").text
    assert demo_client.get("/entity/أستانا").status_code == 200


def test_missing_things_get_a_404_page(demo_client: TestClient) -> None:
    for url in ("/story/999999", "/article/999999", "/outlet/nobody"):
        response = demo_client.get(url)
        assert response.status_code == 404
        assert "غير موجود" in response.text


def test_search_page_marks_hits_of_a_spelling_variant(demo_client: TestClient) -> None:
    html = demo_client.get("/search", params={"q": "استانا"}).text
    assert "<mark>أستانا</mark>" in html
    assert "[أستانا]" not in html
    empty = demo_client.get("/search", params={"q": "كلمةغيرموجودةأبدا"}).text
    assert "لا نتائج" in empty


def test_static_files_are_served_and_paths_cannot_escape(demo_client: TestClient) -> None:
    assert demo_client.get("/static/marsad.css").status_code == 200
    assert "localStorage" in demo_client.get("/static/marsad.js").text
    for url in ("/static/../pages.py", "/static/%2e%2e/pages.py", "/static/..%2fpages.py"):
        assert demo_client.get(url).status_code == 404


def test_hostile_story_page_is_inert(hostile: tuple[TestClient, int]) -> None:
    client, story_id = hostile
    html = client.get(f"/story/{story_id}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert_inert(html)


def test_hostile_article_page_and_river_are_inert(hostile: tuple[TestClient, int]) -> None:
    client, _ = hostile
    for url in ("/", "/article/1", "/outlets", "/threads"):
        assert_inert(client.get(url).text)


def test_hostile_search_results_and_query_are_inert(hostile: tuple[TestClient, int]) -> None:
    client, _ = hostile
    html = client.get("/search", params={"q": "المحاكمة"}).text
    assert "<mark>" in html
    assert_inert(html)
    echoed = client.get("/search", params={"q": f'{RLO}"><script>alert(9)</script>'}).text
    assert "<script>alert(9)" not in echoed
    assert RLO not in echoed
    assert_inert(client.get("/entity/" + SCRIPT).text)


def test_hostile_json_is_data_not_html(hostile: tuple[TestClient, int]) -> None:
    client, story_id = hostile
    response = client.get(f"/api/v1/stories/{story_id}")
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.json()["title"] == HOSTILE_TITLE  # stored faithfully, escaped on render


@pytest.mark.parametrize(
    ("snippet", "spans", "expected"),
    [
        ("قال [الوزير] اليوم", [(5, 11)], "قال <mark>الوزير</mark> اليوم"),
        ("<b>[x]</b>", [(4, 5)], "&lt;b&gt;<mark>x</mark>&lt;/b&gt;"),
        ("no hits", [], "no hits"),
        ("bad span", [(50, 60)], "bad span"),
    ],
)
def test_snippet_html(snippet: str, spans: list[tuple[int, int]], expected: str) -> None:
    assert str(snippet_html(snippet, spans)) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.test/a", "https://example.test/a"),
        ("javascript:alert(1)", None),
        (" JaVaScRiPt:alert(1)", None),
        ("data:text/html,x", None),
        (None, None),
    ],
)
def test_safe_url(url: Any, expected: str | None) -> None:
    assert safe_url(url) == expected


def test_strip_bidi_removes_overrides_only() -> None:
    assert strip_bidi(f"abc{RLO}def\u2066x\u2069") == "abcdefx"
    assert strip_bidi("عربي") == "عربي"
    assert strip_bidi(3) == 3


def test_web_files_exist() -> None:
    web = Path(__file__).resolve().parents[1] / "src" / "marsad" / "web"
    assert (web / "static" / "marsad.css").is_file()
    assert (web / "templates" / "base.html").is_file()
