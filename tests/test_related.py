"""Related coverage: neighbours in time and rare words, never the story itself or its thread."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from conftest import FIRE, SEEDS, VISIT, needs_shared
from marsad.ingest.readers import read_path
from marsad.models import RawArticle
from marsad.pipeline import Pipeline, Settings
from marsad.search.related import background_df, related_stories
from marsad.store import Store
from marsad.text.arabic import NORMALIZER_VERSION, tokenize

DAY0 = datetime(2015, 7, 21, 9)
LATE = (
    "بعد شهر على حريق مصنع الأثاث في المدينة الصناعية ببريدة، أعلن الدفاع المدني نتائج"
    " التحقيق في أسباب الحريق، وأرجعها إلى تماس كهربائي في مستودع المصنع."
)
FOOTBALL = "فاز فريق الهلال على ضيفه النصر بهدفين دون رد في المباراة الودية التي أقيمت مساء أمس."


def article(ext_id: str, days: float, title: str, text: str) -> RawArticle:
    return RawArticle(
        ext_id=ext_id, source=f"outlet-{ext_id}", date=DAY0 + timedelta(days=days), title=title,
        text=text,
    )  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "r.db", normalizer_version=NORMALIZER_VERSION)
    Pipeline(store, Settings(extract=False, workers=0)).ingest(
        [
            article("fire", 0, "حريق مصنع أثاث في بريدة", FIRE),
            article("ball", 1, "الهلال يفوز على النصر", FOOTBALL),
            article("visit", 6, "أمير القصيم يتفقد المصنع المحترق", VISIT),
            article("late", 30, "نتائج التحقيق في حريق بريدة", LATE),
        ]
    )
    return store


def _story_of(store: Store, ext_id: str) -> int:
    return int(store.story_assignments()[ext_id])


def test_a_later_report_of_the_same_place_is_related_but_not_a_far_copy(store: Store) -> None:
    fire, visit, late = (_story_of(store, e) for e in ("fire", "visit", "late"))
    assert len({fire, visit, late}) == 3  # clustering keeps them apart (days and wording)
    related = related_stories(store, fire)
    assert [r.story_id for r in related] == [visit]  # the report 30 days on is out of reach
    assert late in {r.story_id for r in related_stories(store, fire, days=40)}
    found = related[0]
    assert found.source == "outlet-visit" and found.paragraphs is None
    assert {"بريدة", "الدفاع"} & {w.strip("،.") for w in found.shared}
    assert 0.3 <= found.score <= 1.0
    assert _story_of(store, "ball") not in {r.story_id for r in related_stories(store, visit)}


def test_stories_of_one_thread_are_not_listed_as_related(store: Store) -> None:
    fire, visit = _story_of(store, "fire"), _story_of(store, "visit")
    store.set_thread(visit, store.thread_of(fire) or fire)
    assert related_stories(store, fire) == []


def test_the_shipped_background_matches_the_normalizer() -> None:
    # A rule change in marsad.text.arabic needs scripts/build_stem_df.py run again, or
    # related coverage silently loses its background.
    documents, df = background_df()
    assert documents > 10_000
    (idlib,) = tokenize("إدلب")
    (said,) = tokenize("وقال")
    assert 0 < df[idlib.stem] < df[said.stem]


@needs_shared
def test_mayadin_passages_of_two_outlets_are_related(tmp_path: Path) -> None:
    """aawsat (003) and egypt-daily-a (000) both report, in a roundup passage, the Russian
    ministry of defence on Mayadin; the passages stay separate stories (six days apart,
    strikes vs. the city's capture) and each lists the other as related coverage."""
    store = Store(tmp_path / "s.db", normalizer_version=NORMALIZER_VERSION)
    Pipeline(store, Settings(extract=False, workers=0)).ingest(read_path(SEEDS))
    passage_story = {}
    for row in store.rows(
        "SELECT p.story_id, a.source FROM passages p JOIN articles a ON a.id = p.article_id"
    ):
        text = " ".join(p["text"] for p in store.story_passages(row["story_id"]))
        if "الميادين" in text:
            passage_story.setdefault(row["source"], set()).add(row["story_id"])
    assert set(passage_story) == {"aawsat", "egypt-daily-a"}
    (aawsat,), (egypt,) = passage_story["aawsat"], passage_story["egypt-daily-a"]
    forth = related_stories(store, aawsat)
    back = related_stories(store, egypt)
    assert [r.story_id for r in forth] == [egypt] and [r.story_id for r in back] == [aawsat]
    assert forth[0].source == "egypt-daily-a" and forth[0].paragraphs == (1, 1)
    assert back[0].source == "aawsat" and back[0].paragraphs == (4, 5)
    assert "الميادين" in back[0].shared
