"""Server-rendered pages: every page renders, RTL Arabic, and untrusted text stays inert."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from datetime import datetime
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
from marsad.models import RawArticle
from marsad.pipeline import Pipeline, Settings
from marsad.service import ReadService
from marsad.store import Store
from marsad.text.arabic import NORMALIZER_VERSION
from marsad.web import charts
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


# Three outlets name the same actors differently (the framing lexicon's Syrian army and
# armed opposition), repeat their own words (distinctive terms), disagree on a death toll and
# carry script tags in a title and a body.
_CLASH = (
    "اندلعت اليوم اشتباكات عنيفة في ريف إدلب الجنوبي قرب بلدة كفرنبل، وسط قصف مدفعي متواصل "
    "على القرى المحيطة وحركة نزوح واسعة للمدنيين نحو الحدود التركية. "
)
_PLACES = (
    "المدرسة", "المستشفى", "السوق", "المسجد", "الفرن", "الملعب", "المخيم", "الجسر",
    "المحطة", "الساحة", "الجامعة", "المعبر",
)  # fmt: skip
COMPARED_ARTICLES = (
    (
        "opp-news",
        f"قوات النظام تقصف كفرنبل {SCRIPT}",
        _CLASH + f"وقال مصدر ميداني إن قوات النظام تقدمت نحو البلدة {SCRIPT} بعد قصف عنيف. "
        "وأضاف أن قوات النظام استهدفت الأحياء السكنية بالبراميل المتفجرة. "
        "وأكد المرصد أن حصيلة القتلى بلغت 12 قتيلا من المدنيين. "
        + " ".join(f"وسقطت البراميل المتفجرة قرب {p} في البلدة." for p in _PLACES),
    ),
    (
        "state-tv",
        "الجيش العربي السوري يحرر قرى في ريف إدلب",
        _CLASH + "وقال مصدر عسكري إن الجيش العربي السوري حرر عدة قرى من الإرهابيين في ريف إدلب. "
        "وأضاف أن وحدات الجيش العربي السوري تلاحق فلول الإرهابيين وتطهر المنطقة من الألغام. "
        "وأكد المصدر أن حصيلة القتلى بلغت 15 قتيلا. "
        + " ".join(f"وطارد الجيش العربي السوري الإرهابيين قرب {p} في الريف." for p in _PLACES[:8]),
    ),
    (
        "wire",
        "معارك في ريف إدلب الجنوبي",
        _CLASH
        + "وقالت مصادر محلية إن الجيش السوري تقدم نحو كفرنبل وسط مواجهات مع فصائل المعارضة المسلحة. "
        "وأضافت المصادر أن فصائل المعارضة ردت بقصف مواقع الجيش السوري. "
        "وأكدت المصادر أن حصيلة القتلى بلغت 12 قتيلا.",
    ),
)
ANALYSIS_SECTIONS = {
    "comparison": "مقارنة المنافذ",
    "timeline": "التسلسل الزمني",
    "claims": "ما انفرد به كل منفذ",
    "quotes": "من يقتبس كل منفذ",
    "framing": "التأطير",
    "distinctive": "المفردات المميزة",
    "disagreements": "تباين الأرقام والتصريحات",
}
#: Analysis keys that must never reach the page as visible text (the old generic dump).
ANALYSIS_KEYS = (
    "distinctive_terms", "unique_claims", "copied_from", "is_first", "first_report",
    "disagreements", "sentence_start", "label_ar", "built_at", "basis", "stance",
)  # fmt: skip


@pytest.fixture(scope="module")
def compared(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[TestClient, int, Path]]:
    """A store holding one three-outlet story (see :data:`COMPARED_ARTICLES`)."""
    path = tmp_path_factory.mktemp("compared") / "c.db"
    store = Store(path, normalizer_version=NORMALIZER_VERSION)
    Pipeline(store, Settings()).ingest(
        [
            RawArticle(
                ext_id=f"c{hour}",
                source=outlet,
                date=datetime(2026, 4, 2, 9 + hour),
                title=title,
                text=body,
                origin="test",
            )
            for hour, (outlet, title, body) in enumerate(COMPARED_ARTICLES)
        ]
    )
    story_ids = [int(row[0]) for row in store.db.execute("SELECT id FROM stories")]
    store.close()
    assert len(story_ids) == 1, "the three articles must form one story"
    with TestClient(create_app(path), base_url="http://localhost") as client:
        yield client, story_ids[0], path


def section(html: str, section_id: str) -> str:
    """The HTML of one ``<section id=...>`` of a page (sections do not nest)."""
    start = html.index(f'<section id="{section_id}"')
    return html[start : html.index("</section>", start)]


def visible_text(html: str) -> str:
    """Page text without tags, as a reader sees it."""
    return re.sub(r"<[^>]+>", " ", html)


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


def test_story_page_shows_the_outlet_comparison_in_arabic(demo_client: TestClient) -> None:
    stories = demo_client.get("/api/v1/stories", params={"limit": 200}).json()["stories"]
    views = [demo_client.get(f"/api/v1/stories/{s['id']}").json() for s in stories]
    rich = max((v for v in views if v["analysis"]), key=lambda v: len(v["sources"]))
    html = demo_client.get(f"/story/{rich['id']}").text
    toc = html[html.index('<nav class="toc"') : html.index("</nav>", html.index('class="toc"'))]
    for section_id, heading in ANALYSIS_SECTIONS.items():
        assert f'<h2 id="{section_id}-h">{heading}</h2>' in html, section_id
        assert f'<a href="#{section_id}">{heading}</a>' in toc, section_id
    assert "<section" not in toc, "the table of contents holds links only"
    text = visible_text(html)
    for key in ANALYSIS_KEYS:
        assert key not in text, key
    assert 'class="extra"' not in html, "the analysis is no longer dumped generically"
    analysis = rich["analysis"]
    claim = next(c for c in analysis["claims"] if c["unique_claims"])["unique_claims"][0]
    assert f'href="/article/{claim["article"]}"' in section(html, "claims")
    comparison = section(html, "comparison")
    assert comparison.count('<th scope="row">') == len(analysis["coverage"]["outlets"])
    assert "الأسبق" in comparison
    for outlet in analysis["coverage"]["missing"]:
        assert f"<bdi>{outlet}</bdi>" in comparison[comparison.index("لم تغطّها") :]
    development = analysis["timeline"][0]
    assert f"<mark>{development['expression']}</mark>" in section(html, "timeline")
    assert "تُحدَّث هذه المقارنة" not in html


def test_single_outlet_story_has_no_comparison_sections(demo_client: TestClient) -> None:
    stories = demo_client.get("/api/v1/stories", params={"limit": 200}).json()["stories"]
    lone = next(s for s in stories if len(s["sources"]) == 1)
    html = demo_client.get(f"/story/{lone['id']}").text
    for section_id in ("comparison", "claims", "quotes", "framing", "distinctive"):
        assert f'id="{section_id}"' not in html
        assert f'href="#{section_id}"' not in html
    # Disagreements between sources matter inside one outlet's coverage too: shown when found.
    found = demo_client.get(f"/api/v1/stories/{lone['id']}").json()["disagreements"]
    assert ('id="disagreements"' in html) == bool(found["numbers"] or found["statements"])
    assert 'id="summary"' in html


def test_framing_table_and_distinctive_chips(compared: tuple[TestClient, int, Path]) -> None:
    client, story_id, _ = compared
    html = client.get(f"/story/{story_id}").text
    framing = section(html, "framing")
    assert '<bdi>الجيش السوري</bdi> <span class="flag-contested">' in framing
    header = framing[framing.index("<thead>") : framing.index("</thead>")]
    assert all(f"<bdi>{o}</bdi>" in header for o in ("opp-news", "state-tv", "wire"))
    row = re.search(
        r"<tr>\s*<th scope=\"row\"><bdi>قوات النظام</bdi></th>(.*?)</tr>", framing, re.S
    )
    assert row is not None
    assert "stance-pejorative" in row.group(1) and "قدحي" in row.group(1)
    assert 'class="num main"' in row.group(1)  # opp-news' usual name for the army
    assert "<bdi>الجيش العربي السوري</bdi>" in framing and "stance-official" in framing
    chips = section(html, "distinctive")
    chip = re.search(
        r'<li class="chip"[^>]*><bdi>([^<]+)</bdi> <small class="z" dir="ltr">z=(\d+\.\d)</small>',
        chips,
    )
    assert chip is not None and float(chip.group(2)) >= 1.96
    quotes = section(html, "quotes")
    assert "<bdi>مصدر عسكري</bdi>" in quotes
    numbers = section(html, "disagreements")
    assert "<mark>12</mark>" in numbers and "<mark>15</mark>" in numbers
    assert numbers.count('class="side"') % 2 == 0 and "مقابل" in numbers
    assert "<bdi>opp-news</bdi>" in numbers and "<bdi>state-tv</bdi>" in numbers


def test_comparison_sections_escape_article_text(
    compared: tuple[TestClient, int, Path],
) -> None:
    client, story_id, _ = compared
    html = client.get(f"/story/{story_id}").text
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert escaped in section(html, "claims")  # the body sentence that only opp-news has
    assert escaped in section(html, "comparison")  # its headline
    assert_inert(html)


def test_stale_comparison_is_flagged(
    compared: tuple[TestClient, int, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, story_id, path = compared
    fresh = ReadService.story_page

    def stale_page(self: ReadService, wanted: int) -> dict[str, Any] | None:
        view = fresh(self, wanted)
        if view is not None and view["analysis"]:
            view["analysis"] = {**view["analysis"], "stale": True}
        return view

    monkeypatch.setattr(ReadService, "story_page", stale_page)
    with TestClient(create_app(path), base_url="http://localhost") as client:  # empty page cache
        html = client.get(f"/story/{story_id}").text
    assert "تُحدَّث هذه المقارنة لتشمل أحدث المقالات" in section(html, "comparison")


def test_comparison_helpers() -> None:
    assert charts.lag_text(0) == ""
    assert charts.lag_text(40) == "بعد 40 د"
    assert charts.lag_text(280) == "بعد 4 س 40 د"
    assert charts.lag_text(3 * 24 * 60 + 120) == "بعد 3 أيام و2 س"
    assert charts.marked("قال اليوم", 4, 9) == ("قال ", "اليوم", "")
    assert charts.marked("قصير", 2, 40) == ("قصير", "", "")  # offsets of an older text
    assert (
        charts.timeline_date(
            {"date": None, "start": "2026-03-01", "end": "2026-03-31", "precision": "month"}
        )
        == "2026-03"
    )
    assert (
        charts.timeline_date({"start": "2026-03-01", "end": "2026-03-04", "precision": "days"})
        == "2026-03-01 – 2026-03-04"
    )
    assert charts.number_text(5.0) == "5" and charts.number_text(1.25) == "1.25"
    table = charts.quote_table(
        [
            {"outlet": "a", "quotes": [{"speaker": "x", "count": 1}, {"speaker": "y", "count": 4}]},
            {"outlet": "b", "quotes": [{"speaker": "x", "count": 2}]},
        ]
    )
    assert table is not None and table.outlets == ["a", "b"]
    assert [(r.speaker, r.counts) for r in table.rows] == [("x", [1, 2]), ("y", [4, 0])]
    assert charts.quote_table([{"outlet": "a", "quotes": []}]) is None
    [group] = charts.framing_tables(
        [
            {
                "group": "g", "label_ar": "طرف", "contested": True,
                "outlets": [
                    {"outlet": "a", "terms": [
                        {"term": "t1", "stance": "neutral", "count": 3, "article": 1},
                        {"term": "t2", "stance": "pejorative", "count": 1, "article": 1},
                    ]},
                    {"outlet": "b", "terms": [{"term": "t2", "stance": "pejorative", "count": 5, "article": 2}]},
                ],
            }
        ]
    )  # fmt: skip
    assert group.outlets == ["a", "b"] and group.contested
    assert [r.term for r in group.rows] == ["t2", "t1"]  # most used first
    t2, t1 = group.rows
    assert t1.cells[1] is None and t1.cells[0] is not None and t1.cells[0].main
    assert t2.cells[0] is not None and not t2.cells[0].main
    assert t2.cells[1] is not None and t2.cells[1].main and t2.cells[1].article == 2


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


SEEDS_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason=f"seed articles absent: {SEEDS_DIR}")
def test_story_page_lists_roundup_passages(tmp_path: Path) -> None:
    from marsad.ingest import read_path

    path = tmp_path / "seeds.db"
    store = Store(path, normalizer_version=NORMALIZER_VERSION)
    Pipeline(store, Settings(extract=False)).ingest(read_path(SEEDS_DIR))
    row = store.db.execute(
        "SELECT p.story_id, p.article_id FROM passages p JOIN articles a ON a.id = p.article_id"
        " WHERE a.source = 'aawsat'"
    ).fetchone()
    store.close()
    assert row is not None
    with TestClient(create_app(path), base_url="http://localhost") as client:
        page = client.get(f"/story/{row[0]}")
    assert page.status_code == 200
    html = page.text
    assert "ورد أيضاً في" in html and "الفقرات 4–5" in html
    assert f'href="/article/{row[1]}"' in html and "الميادين" in html
    # egypt-daily-a's Mayadin passage (another story, six days later) is related coverage.
    related = html[html.index('id="related"') :]
    assert "تغطيات ذات صلة" in related and "صحيفة مصرية (غير مسمّاة)" in related[:3000]
    assert "الفقرة 1" in related[:3000]
