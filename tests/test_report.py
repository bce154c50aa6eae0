"""HTML report: structure, hostile input stays inert, partial analysis, coverage chart."""

from __future__ import annotations

import re
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from marsad import views
from marsad.cli.main import demo_corpus
from marsad.ingest.readers import read_path
from marsad.pipeline import Pipeline
from marsad.report import render_report
from marsad.report.chart import bucket_hours, coverage_grid, coverage_svg, publications
from marsad.store import Store
from marsad.text.arabic import NORMALIZER_VERSION

EVIL = '<script>alert(1)</script><img src=x onerror="alert(2)">\u202eevil\u202c'
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p",
    "nav", "ol", "ul", "li", "a", "main", "article", "div", "span", "bdi", "time", "table",
    "thead", "tbody", "tr", "th", "td", "figure", "figcaption", "svg", "rect", "text",
    "strong", "small", "dl", "dt", "dd",
}  # fmt: skip


class TagCollector(HTMLParser):
    """Every start tag and its attributes, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def parse(page: str) -> TagCollector:
    collector = TagCollector()
    collector.feed(page)
    return collector


def story(**overrides: Any) -> dict[str, Any]:
    """A story view as views.story_view returns it (two outlets, one copy)."""
    view: dict[str, Any] = {
        "id": 7,
        "title": "حريق في مستودع",
        "first_seen": "2015-07-21T10:00:00",
        "last_seen": "2015-07-21T15:30:00",
        "n_articles": 3,
        "sources": ["okaz", "sabq"],
        "breaking": True,
        "summary": {
            "headline": "حريق في مستودع بجدة",
            "sentences": [{"text": "اندلع حريق في مستودع.", "sources": ["okaz", "sabq"]}],
        },
        "articles": [
            {
                "id": 1,
                "source": "okaz",
                "published": "2015-07-21T10:00:00",
                "title": "حريق مستودع",
                "url": "https://okaz.example/1",
                "copies": [
                    {
                        "id": 2,
                        "source": "sabq",
                        "published": "2015-07-21T11:00:00",
                        "title": "حريق",
                        "url": None,
                    }
                ],
            },
            {
                "id": 3,
                "source": "sabq",
                "published": "2015-07-21T15:30:00",
                "title": "السيطرة على الحريق",
                "url": None,
                "copies": [],
            },
        ],
    }
    view.update(overrides)
    return view


def hostile_story() -> dict[str, Any]:
    evil_article = {
        "id": 9,
        "source": EVIL,
        "published": "2015-07-21T12:00:00",
        "title": EVIL,
        "url": "javascript:alert(3)",
        "copies": [],
    }
    return story(
        title=EVIL,
        sources=["okaz", EVIL],
        summary={"headline": EVIL, "sentences": [{"text": EVIL, "sources": [EVIL]}]},
        articles=[*story()["articles"], evil_article],
        analysis={
            "coverage": [{"outlet": EVIL, "articles": 1, "missing": [EVIL]}],
            "claims": [{"text": EVIL, "speaker": EVIL, "outlets": [EVIL]}],
            "framing": {EVIL: [EVIL, {"term": EVIL, "score": 2.5}]},
            "distinctive_terms": {EVIL: {EVIL: 1.0}},
            "disagreements": [{"topic": EVIL, "values": [{"value": EVIL, "outlets": [EVIL]}]}],
            "timeline": [{"date": "2015-07-21", "text": EVIL, "outlets": [EVIL]}],
            EVIL: {EVIL: [EVIL]},
        },
    )


def test_page_is_arabic_rtl_self_contained() -> None:
    page = render_report([story()], title="تقرير")
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="ar" dir="rtl">' in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    tags = parse(page).tags
    # Nothing that fetches: no scripts, stylesheets, images, frames or src attributes.
    assert {tag for tag, _ in tags} <= ALLOWED_TAGS
    assert not any(name == "src" for _, attrs in tags for name, _ in attrs)
    assert "@import" not in page and "url(" not in page
    assert "Noto Naskh Arabic" in page
    assert "حريق في مستودع بجدة" in page
    assert "عاجل" in page


def test_hostile_text_is_escaped_everywhere() -> None:
    page = render_report([hostile_story()], title=EVIL)
    tags = parse(page).tags
    assert {tag for tag, _ in tags} <= ALLOWED_TAGS  # no <script>, no <img>
    for tag, attrs in tags:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            if name == "href":
                assert value is not None and re.match(r"https?://|#", value), value
    assert "<script" not in page.lower()
    assert "javascript:" not in page
    assert "\u202e" not in page and "\u202c" not in page
    # The text itself is still shown, escaped, in every block.
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 10


def test_partial_or_unknown_analysis_renders_what_is_present() -> None:
    odd = story(
        analysis={
            "framing": [{"outlet": "okaz", "terms": ["كارثة", "فاجعة"]}],
            "disagreements": [{"about": "عدد المصابين"}, "نص حر"],
            "claims": [1, 2],
            "timeline": [],
            "extra_numbers": [[1, 2], {"a": None}],
        }
    )
    page = render_report([odd], title="t")
    assert "كارثة" in page and "فاجعة" in page
    assert "عدد المصابين" in page and "نص حر" in page
    assert "extra_numbers" in page
    assert "نقاط الخلاف" in page
    assert "المصطلحات المميزة" not in page  # absent part: no empty block
    # No analysis at all: the article timeline and outlet table still appear.
    plain = render_report([story()], title="t")
    assert "التسلسل الزمني للنشر" in plain and "المنافذ وتغطيتها" in plain


def compare_shaped_analysis(word: str) -> dict[str, Any]:
    """Analysis in the shapes marsad.compare's dataclasses serialise to."""
    return {
        "coverage": {
            "outlets": [
                {"outlet": "okaz", "articles": 2, "copies": 1, "copied_from": [["sabq", 1]]}
            ],
            "first": ["okaz"],
            "missing": ["alwatan"],
        },
        "claims": {"okaz": [{"article": 1, "outlet": "okaz", "text": word, "score": 0.5}]},
        "disagreements": [
            {
                "quantity": "المصابين",
                "a": {"outlet": "okaz", "sentence": f"أصيب 7 {word}"},
                "b": {"outlet": "sabq", "sentence": "أصيب 9 أشخاص"},
            }
        ],
        "framing": [
            {
                "group": {"id": "houthi", "label_ar": "الحوثيون"},
                "outlets": [{"outlet": "okaz", "uses": [{"term": {"term": word}, "count": 3}]}],
                "contested": True,
            }
        ],
        "distinctive_terms": {"sabq": [[word, 2.5]]},
    }


def test_compare_shaped_analysis_gets_dedicated_blocks() -> None:
    page = render_report([story(analysis=compare_shaped_analysis("ميليشيا"))], title="t")
    # Outlets are shown by their profile's name, not their slug.
    assert "أول من نشر" in page and "الوطن (السعودية)" in page.split("لم تغطّها")[1]
    assert "أصيب 7 ميليشيا" in page and "أصيب 9 أشخاص" in page and "المصابين" in page
    assert "الحوثيون" in page and "مختلَف عليه" in page
    assert re.search(r"ميليشيا</bdi> <small>3</small>", page)  # term with its count
    assert re.search(r"ميليشيا</bdi> <small>2.50</small>", page)  # term with its z-score
    hostile = render_report([story(analysis=compare_shaped_analysis(EVIL))], title="t")
    assert "<script" not in hostile and "\u202e" not in hostile
    assert {tag for tag, _ in parse(hostile).tags} <= ALLOWED_TAGS


def test_outlet_table_counts_copies_and_lists_missing_outlets() -> None:
    other = story(
        sources=["alriyadh"],
        articles=[
            {
                "id": 5,
                "source": "alriyadh",
                "published": "2015-07-22T09:00:00",
                "title": "خبر آخر",
                "url": None,
                "copies": [],
            }
        ],
    )
    page = render_report([story(), other], title="t")
    first, second = page.split('id="story-2"')
    # sabq: one own article and one copy; first report 11:00, 1 h after okaz.
    assert re.search(
        r"سبق</bdi></span></span></td><td class='num'>1</td><td class='num'>1</td>", first
    )
    assert "1:00 س" in first
    assert "لم تغطّها" in first and "الرياض" in first.split("لم تغطّها")[1]
    assert "عكاظ" in second.split("لم تغطّها")[1]


def test_coverage_grid_counts_articles_and_copies_per_bucket() -> None:
    items = publications(story()["articles"])
    assert len(items) == 3
    grid = coverage_grid(items)
    assert grid is not None
    assert grid.hours == 1  # 5.5 h span fits in 12 one-hour buckets
    assert grid.outlets == ("okaz", "sabq")
    assert grid.counts == ((1, 0, 0, 0, 0, 0), (0, 1, 0, 0, 0, 1))
    assert coverage_grid([]) is None


def test_bucket_width_grows_with_the_span() -> None:
    hour = datetime(2015, 7, 21, 10) - datetime(2015, 7, 21, 9)
    assert bucket_hours(hour * 5) == 1
    assert bucket_hours(hour * 30) == 3
    assert bucket_hours(hour * 24 * 10) == 24
    assert bucket_hours(hour * 24 * 400) == 168


def test_chart_runs_right_to_left_and_escapes_labels() -> None:
    items = [("okaz", datetime(2015, 7, 21, 10)), (EVIL, datetime(2015, 7, 21, 14))]
    grid = coverage_grid(items)
    assert grid is not None
    svg = coverage_svg(grid, caption_id='x"><script>')
    assert "<script" not in svg and "\u202e" not in svg
    filled = re.findall(r'<rect x="(\d+)"[^>]*fill="#1d6fa5"', svg)
    # okaz (oldest) is drawn right of the newer outlet's cell.
    assert int(filled[0]) > int(filled[1])


def test_empty_report_says_so() -> None:
    page = render_report([], title="t")
    assert "لا توجد قصص" in page


@pytest.fixture(scope="module")
def demo_views(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store = Store(path, normalizer_version=NORMALIZER_VERSION)
    Pipeline(store).ingest(read_path(demo_corpus()))
    listing = views.stories_view(store, limit=100)["stories"]
    biggest = sorted(listing, key=lambda s: -s["n_articles"])[:3]
    out = [views.story_view(store, s["id"]) for s in biggest]
    store.close()
    return [v for v in out if v is not None]


def test_demo_stories_render(demo_views: list[dict[str, Any]], tmp_path: Path) -> None:
    page = render_report(demo_views, title="تقرير العرض")
    assert len(demo_views) == 3
    assert page.count('<article class="story"') == 3
    assert page.count("<svg") == 3
    for view in demo_views:
        assert view["summary"]["headline"].replace('"', "&quot;") in page
    (tmp_path / "report.html").write_text(page, encoding="utf-8")
