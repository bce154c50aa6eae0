"""Story page and wording: disagreements on every story, Arabic counted nouns, section
prefixes, outlets that did not cover a story, framing descriptors, the bundled API docs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.conftest import SEEDS, needs_shared

from marsad.api import create_app
from marsad.cli.main import render_story
from marsad.compare.framing import find_terms, lexicon
from marsad.models import RawArticle
from marsad.pipeline import Pipeline, Settings
from marsad.report import render_report
from marsad.store import Store
from marsad.text.arabic import NORMALIZER_VERSION, strip_section_prefix
from marsad.text.counting import count_phrase, counted_nouns
from marsad.views import story_view

# One outlet's article in which two sources give different figures (the shape of seed 001).
ONE_OUTLET_TWO_FIGURES = (
    "صرح رئيس الوزراء خلال اجتماع الحكومة بأن أكثر من 90% من المدارس الحكومية أعيد فتحها،"
    " فيما ذكرت وزارة التعليم في بيان سابق أن نحو 92% من المدارس الحكومية استأنفت الدراسة."
)
# An outlet that published months before: it says nothing about whether it covered this story.
MONTHS_BEFORE = (
    "بحث وزير الخارجية مع نظيره الفرنسي العلاقات الثنائية وسبل تعزيز التعاون الاقتصادي"
    " بين البلدين في مجالات الطاقة والاستثمار والتعليم والصحة والنقل."
)


@pytest.mark.parametrize(
    ("count", "noun", "expected"),
    [
        (0, "article", "لا مقالات"),
        (1, "article", "مقال واحد"),
        (2, "article", "مقالان"),
        (5, "story", "5 قصص"),
        (10, "article", "10 مقالات"),
        (11, "article", "11 مقالاً"),
        (12, "article", "12 مقالاً"),
        (99, "outlet", "99 منفذاً"),
        (100, "article", "100 مقال"),
        (102, "article", "102 مقال"),
        (103, "article", "103 مقالات"),
        (112, "article", "112 مقالاً"),
        (1000, "story", "1000 قصة"),
        (2, "story", "قصتان"),
        (1, "story", "قصة واحدة"),
    ],
)
def test_count_phrase_follows_arabic_counted_noun_rules(
    count: int, noun: str, expected: str
) -> None:
    assert count_phrase(count, noun) == expected


def test_every_counted_noun_has_every_form_and_bad_input_is_refused() -> None:
    for noun in counted_nouns():
        phrases = {count_phrase(n, noun) for n in (0, 1, 2, 3, 11, 100)}
        assert len(phrases) == 6, noun  # six distinct forms, none missing
    with pytest.raises(ValueError, match="unknown counted noun"):
        count_phrase(3, "articles")
    with pytest.raises(ValueError, match="0 or more"):
        count_phrase(-1, "article")


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("عام / أمير منطقة الرياض يستقبل السفير", "أمير منطقة الرياض يستقبل السفير"),
        ("رياضي / الهلال يفوز على النصر في الديربي", "الهلال يفوز على النصر في الديربي"),
        ("بالصور // عاصفة رملية ضخمة تضرب الأنبار", "عاصفة رملية ضخمة تضرب الأنبار"),
        ("كاريكاتير 2015/7/31", "كاريكاتير 2015/7/31"),  # a date, not a section
        ("اقتصادي / الأسهم", "اقتصادي / الأسهم"),  # too little left to be a headline
        ("خبر بلا قسم في أوله", "خبر بلا قسم في أوله"),
    ],
)
def test_section_prefix_is_stripped_from_titles(title: str, shown: str) -> None:
    assert strip_section_prefix(title) == shown


@pytest.fixture(scope="module")
def lone_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, int]]:
    """One outlet's story with two sources disagreeing, and an outlet active months before."""
    path = tmp_path_factory.mktemp("lone") / "lone.db"
    store = Store(path, normalizer_version=NORMALIZER_VERSION)
    Pipeline(store, Settings()).ingest(
        [
            RawArticle(
                ext_id="old",
                source="months-before",
                date=datetime(2017, 3, 1, 9),
                title="عام / وزير الخارجية يبحث مع نظيره الفرنسي العلاقات",
                text=MONTHS_BEFORE,
                origin="test",
            ),
            RawArticle(
                ext_id="putin",
                source="almasryalyoum",
                date=datetime(2017, 10, 26, 9),
                title="عام / رئيس الوزراء: أكثر من 90% من المدارس الحكومية أعيد فتحها",
                text=ONE_OUTLET_TWO_FIGURES,
                origin="test",
            ),
        ]
    )
    row = store.db.execute("SELECT story_id FROM articles WHERE ext_id = 'putin'").fetchone()
    store.close()
    yield path, int(row[0])


def test_one_outlet_story_lists_its_sources_disagreement(lone_store: tuple[Path, int]) -> None:
    path, story_id = lone_store
    store = Store(path, normalizer_version=NORMALIZER_VERSION)
    view = story_view(store, story_id)
    assert view is not None and view["sources"] == ["almasryalyoum"]
    (found,) = view["disagreements"]["numbers"]
    assert sorted(r["value"] for r in found["reports"]) == [90.0, 92.0]
    # the outlet silent for months did not "miss" this story
    assert view["analysis"]["coverage"]["missing"] == []
    text = render_story(view)
    assert text.count("Numbers that disagree:") == 1 and "90%" in text and "92%" in text
    assert "Outlets (first report first):" not in text  # no comparison for one outlet
    page = render_report([view], title="t")
    assert "نقاط الخلاف بين المصادر" in page and "نحو 92%" in page
    assert "لم تغطّها" not in page
    store.close()


def test_one_outlet_story_page_shows_disagreements_not_comparison(
    lone_store: tuple[Path, int],
) -> None:
    path, story_id = lone_store
    with TestClient(create_app(path), base_url="http://localhost") as client:
        html = client.get(f"/story/{story_id}").text
        data = client.get(f"/api/v1/stories/{story_id}").json()
    assert data["disagreements"]["numbers"], "the JSON carries the disagreement"
    assert 'id="disagreements"' in html and 'href="#disagreements"' in html
    section = html[html.index('<section id="disagreements"') :]
    assert "<mark>90%</mark>" in section or "90%" in section
    for section_id in ("comparison", "claims", "quotes", "framing", "distinctive"):
        assert f'id="{section_id}"' not in html, section_id
    assert "مقال واحد" in html and "1 مقالات" not in html
    assert "عام /" not in re.sub(r"<[^>]+>", " ", html.split("<main", 1)[1])
    assert '<details class="fold" open><summary><h2 id="summary-h">' in html


def test_report_of_several_stories_is_titled_in_arabic(lone_store: tuple[Path, int]) -> None:
    path, _ = lone_store
    store = Store(path, normalizer_version=NORMALIZER_VERSION)
    views = [v for v in (story_view(store, s.id) for s in store.stories(limit=10)) if v]
    store.close()
    from marsad.cli.main import main

    out = path.parent / "all.html"
    assert main(["--db", str(path), "report", "--all", "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert f"<title>مرصد: {count_phrase(len(views), 'story')}</title>" in page
    assert "stories" not in page.split("<main>")[0]
    assert "لم تغطّها" not in page  # the two outlets are seven months apart


def test_descriptor_before_a_group_name_takes_the_descriptors_stance() -> None:
    found = {
        text: [(h.term.group, h.term.stance) for h in find_terms(text)]
        for text in (
            "هاجم المتمردين الحوثيين القرى",
            "وقال مسلحي الحوثي",
            "قتل المسلحون الأكراد",
            "استهدف الحوثيين",
            "المتمردين في سوريا",
        )
    }
    assert found["هاجم المتمردين الحوثيين القرى"] == [("houthis", "pejorative")]
    assert found["وقال مسلحي الحوثي"] == [("houthis", "pejorative")]
    assert found["قتل المسلحون الأكراد"] == [("kurdish_forces", "pejorative")]
    assert found["استهدف الحوثيين"] == [("houthis", "neutral")]  # the bare name stays neutral
    assert found["المتمردين في سوريا"] == [("armed_opposition", "neutral")]
    # every generated phrase of a pejorative descriptor is pejorative, in every group
    houthis = next(g for g in lexicon().groups if g.id == "houthis")
    assert {t.stance for t in houthis.terms if t.term.startswith("المتمردين")} == {"pejorative"}


def test_docs_are_served_offline_and_openapi_at_the_root(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path / "d.db"), base_url="http://localhost") as client:
        schema = client.get("/openapi.json")
        docs = client.get("/docs")
    assert schema.status_code == 200 and schema.json()["openapi"].startswith("3.")
    assert docs.status_code == 200
    for path in schema.json()["paths"]:
        assert f"<code>{path}</code>" in docs.text, path
    assert "cdn" not in docs.text.lower() and "https://" not in docs.text


def test_styles_never_break_words_anywhere() -> None:
    css = (Path(__file__).resolve().parents[1] / "src/marsad/web/static/marsad.css").read_text()
    assert "break-all" not in css
    assert not re.search(r"overflow-wrap:\s*anywhere", css)
    assert not re.search(r"word-break:\s*break-word", css)


@needs_shared
def test_seed_story_nine_lists_the_90_92_disagreement(tmp_path: Path) -> None:
    from marsad.cli.main import main

    db = str(tmp_path / "seeds.db")
    assert main(["--db", db, "ingest", str(SEEDS)]) == 0
    store = Store(db, normalizer_version=NORMALIZER_VERSION)
    (story_id,) = [s.id for s in store.stories(limit=10) if "90%" in s.title and "بوتين" in s.title]
    view = story_view(store, story_id)
    store.close()
    assert view is not None
    values = [sorted(r["value"] for r in d["reports"]) for d in view["disagreements"]["numbers"]]
    assert [90.0, 92.0] in values


@needs_shared
def test_roundup_lines_of_other_stories_stay_out_of_timeline_and_claims(tmp_path: Path) -> None:
    from marsad.cli.main import main

    db = str(tmp_path / "seeds.db")
    assert main(["--db", db, "ingest", str(SEEDS)]) == 0
    store = Store(db, normalizer_version=NORMALIZER_VERSION)
    checked = 0
    for story in store.stories(limit=50):
        elsewhere = store.passages_elsewhere(story.id)
        if not elsewhere:
            continue
        view = story_view(store, story.id)
        assert view is not None and view["analysis"] is not None
        analysis = view["analysis"]
        spans = [
            (r["article"], r["sentence_start"], r["sentence_end"])
            for entry in analysis["timeline"]
            for r in entry["reports"]
        ] + [
            (c["article"], c["start"], c["end"])
            for outlet in analysis["claims"]
            for c in outlet["unique_claims"]
        ]
        for article, start, end in spans:
            for other, p_start, p_end in elsewhere:
                assert not (article == other and start < p_end and p_start < end), (
                    story.id,
                    start,
                    end,
                )
        checked += 1
    store.close()
    assert checked >= 3  # the seeds hold several roundups (alwaght, aawsat, levant-daily-b...)


WEDNESDAY = datetime(2015, 7, 22).date()


@pytest.mark.parametrize(
    ("text", "expression", "day"),
    [
        # a Wednesday forecast: Friday is the coming one, not the one before
        ("توقعت الرئاسة العامة للأرصاد هطول أمطار رعدية على مناطق المملكة يوم الجمعة",
         "يوم الجمعة", "2015-07-24"),
        ("ويتوقع أن تكون درجات الحرارة مرتفعة على المنطقة الشرقية يوم الجمعة", "يوم الجمعة",
         "2015-07-24"),
        ("من المقرر أن توقع إدارة مطار الملك فهد الدولي في الدمام الخميس عقد إنشاء المبنى",
         "الخميس", "2015-07-23"),
        ("وحدد الحد الأقصى للسحب بستين يورو يوميا لخمسة أيام حتى الجمعة", "الجمعة", "2015-07-24"),
        ("تستمر الأجواء الحارة حتى يوم الجمعة", "يوم الجمعة", "2015-07-24"),
        ("وتساقط زخات الأمطار المتفرقة، وذلك يومي الأربعاء والخميس", "والخميس", "2015-07-23"),
        # the past stays past
        ("وأعلن الأمن يوم الجمعة القبض على المتهم", "يوم الجمعة", "2015-07-17"),
        ("مع توقعات بمزيد الخسائر في الأشهر المقبلة في أعقاب موجة بيع مكثفة يوم الاثنين باع فيها",
         "يوم الاثنين", "2015-07-20"),
    ],
)  # fmt: skip
def test_weekday_resolves_forward_for_plans_forecasts_and_runs(
    text: str, expression: str, day: str
) -> None:
    from marsad.text.dates import find_dates

    found = {m.expression: m.first.isoformat() for m in find_dates(text, WEDNESDAY)}
    assert found[expression] == day
