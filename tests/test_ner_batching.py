"""Tagging many sentences and articles together gives what tagging each alone gives.

The backfill workers and ingest tag a batch's article bodies in one call of the tagger
(``marsad.extract.article.tag_entities``, used by ``prepare_batch``): these tests hold
that batching is a pure speed-up, down to the Viterbi decoder's tie-breaking.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import numpy as np
import pytest

from marsad.extract.article import extract, tag_entities
from marsad.extract.ner import TAGS, load_tagger, viterbi
from marsad.ingest.prepare import RECENT_EXTRACTIONS, Prepared, prepare_article, prepare_batch
from marsad.models import RawArticle, Skipped
from marsad.settings import Settings

# Invented bodies of different lengths and sentence counts (names, places, organisations).
BODIES = (
    "التقى الملك سلمان بن عبدالعزيز الرئيس الأمريكي باراك أوباما في الرياض يوم الجمعة.",
    "قال وزير الخارجية عادل الجبير إن المملكة تدعم اليمن. وأضاف الجبير في جدة أن الأمم"
    " المتحدة تتابع الوضع.\nوأكدت منظمة الصحة العالمية في جنيف ذلك.",
    "ارتفع المؤشر.",
    "أعلنت شركة أرامكو السعودية في الظهران عن نتائجها، وقال رئيسها أمين الناصر إن الشركة"
    " ستوسع أعمالها في الصين والهند. " * 4,
    "",
    "وصل الرئيس المصري عبد الفتاح السيسي إلى القاهرة قادماً من موسكو حيث التقى فلاديمير"
    " بوتين، وقال السيسي إن مصر وروسيا تتعاونان.",
)


@pytest.fixture(autouse=True)
def _no_remembered_extractions() -> Iterator[None]:
    """Each test extracts afresh: no body is remembered from an earlier test."""
    RECENT_EXTRACTIONS.clear()
    yield
    RECENT_EXTRACTIONS.clear()


def _viterbi_one(
    emissions: np.ndarray, transitions: np.ndarray, start: np.ndarray, end: np.ndarray
) -> list[int]:
    """Textbook per-sentence Viterbi in plain Python loops; ties go to the lowest tag index
    (numpy's argmax rule)."""
    n_tags = len(start)
    score = [float(start[tag] + emissions[0, tag]) for tag in range(n_tags)]
    back: list[list[int]] = []
    for step in range(1, len(emissions)):
        pointers, scores = [], []
        for to in range(n_tags):
            options = [score[frm] + float(transitions[frm, to]) for frm in range(n_tags)]
            best = max(range(n_tags), key=lambda frm: (options[frm], -frm))
            pointers.append(best)
            scores.append(options[best] + float(emissions[step, to]))
        back.append(pointers)
        score = scores
    final = [score[tag] + float(end[tag]) for tag in range(n_tags)]
    current = max(range(n_tags), key=lambda tag: (final[tag], -tag))
    path = [current]
    for pointers in reversed(back):
        current = pointers[current]
        path.append(current)
    return path[::-1]


def test_batched_viterbi_equals_per_sentence_decoding_with_ties() -> None:
    rng = np.random.default_rng(7)
    n_tags = len(TAGS)
    # Small integer scores: many exact ties, so the tie-breaking rule is exercised.
    transitions = rng.integers(-2, 3, size=(n_tags, n_tags)).astype(np.float32)
    start = rng.integers(-2, 3, size=n_tags).astype(np.float32)
    end = rng.integers(-2, 3, size=n_tags).astype(np.float32)
    lengths = np.array([9, 9, 6, 6, 6, 4, 2, 1, 1])
    emissions = rng.integers(-3, 4, size=(len(lengths), 9, n_tags)).astype(np.float32)
    emissions[2] = 0.0  # a sentence whose every path ties on the emissions
    best = viterbi(emissions, lengths, transitions, start, end)
    for row, length in enumerate(lengths.tolist()):
        alone = viterbi(
            emissions[row : row + 1, :length], np.array([length]), transitions, start, end
        )
        expected = _viterbi_one(emissions[row, :length], transitions, start, end)
        assert best[row, :length].tolist() == expected
        assert alone[0].tolist() == expected
        assert not best[row, length:].any()


def test_tag_entities_equals_tagging_each_text_alone() -> None:
    tagger = load_tagger()
    alone = [tagger.entities(body) for body in BODIES]
    assert sum(map(len, alone)) >= 10  # the bodies do hold names
    assert tag_entities(BODIES) == alone
    reversed_bodies = BODIES[::-1]
    assert tag_entities(reversed_bodies) == alone[::-1]


def test_prepare_batch_extracts_what_extracting_one_by_one_gives() -> None:
    now = datetime(2015, 8, 1)
    settings = Settings()
    raws = _raws()
    batched = prepare_batch(raws, now, settings)
    assert len(batched) == len(raws)
    found = 0
    for raw, item in zip(raws, batched, strict=True):
        plain = prepare_article(raw, now, settings)
        assert isinstance(item, Prepared)
        assert isinstance(plain, Prepared)
        expected = extract(plain.body, plain.body_tokens, published=plain.published.date())
        assert item.found == expected
        assert item.body_tokens is None  # dropped before shipping, as before
        found += len(expected.entities)
    assert found >= 10


def _raws() -> list[RawArticle]:
    return [
        RawArticle(
            ext_id=f"a{number}",
            source="okaz",
            date=datetime(2015, 7, 21, 8, number),
            title=f"خبر رقم {number}",
            text=body,
            origin=f"test:{number}",
        )
        for number, body in enumerate(BODIES)
        if body
    ]


def test_prepare_batch_without_extraction_ships_no_tokens_and_no_extraction() -> None:
    now = datetime(2015, 8, 1)
    settings = Settings(extract=False)
    items = prepare_batch(_raws(), now, settings)
    assert items and all(isinstance(item, Prepared) for item in items)
    for raw, item in zip(_raws(), items, strict=True):
        plain = prepare_article(raw, now, settings)
        assert isinstance(item, Prepared) and isinstance(plain, Prepared)
        assert item.found is None
        assert item.body_tokens is None and item.title_tokens is None
        assert item.identity == plain.identity and item.words == plain.words


def test_a_batch_whose_joint_tagging_fails_is_tagged_one_by_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from marsad.ingest import prepare

    def broken(*_args: object, **_kwargs: object) -> list[object]:
        raise RuntimeError("tagging failed")

    now = datetime(2015, 8, 1)
    expected = prepare_batch(_raws(), now, Settings())
    RECENT_EXTRACTIONS.clear()  # else the bodies' extractions are remembered, not tagged
    monkeypatch.setattr(prepare, "tag_entities", broken)
    got = prepare_batch(_raws(), now, Settings())
    assert [getattr(item, "found", None) for item in got] == [
        getattr(item, "found", None) for item in expected
    ]
    assert all(isinstance(item, Prepared) and item.found for item in got)


def _copy(raw: RawArticle, ext_id: str, when: datetime) -> RawArticle:
    """Another outlet's record of the same body (a wire copy)."""
    return RawArticle(
        ext_id=ext_id, source="alriyadh", date=when, title="نسخة", text=raw.text, origin=ext_id
    )


def test_a_repeated_body_takes_the_extraction_of_its_first_on_the_same_day() -> None:
    now = datetime(2015, 8, 1)
    raws = _raws()
    same_day = _copy(raws[0], "copy-same-day", datetime(2015, 7, 21, 23, 0))
    next_day = _copy(raws[0], "copy-next-week", datetime(2015, 7, 25, 9, 0))
    items = prepare_batch([*raws, same_day, next_day], now, Settings())
    first, copy, later = items[0], items[len(raws)], items[len(raws) + 1]
    assert isinstance(first, Prepared) and isinstance(copy, Prepared)
    assert isinstance(later, Prepared) and first.found is not None
    assert copy.found is first.found, "the same body on the same day: not extracted again"
    assert later.found is not first.found, "another day resolves its dates afresh"
    for item in (first, copy, later):
        alone = prepare_article(item.raw, now, Settings())
        assert isinstance(alone, Prepared)
        assert item.found == extract(
            alone.body, alone.body_tokens, published=alone.published.date()
        )
    # The body names its day (يوم الجمعة): resolved against each publication day.
    assert first.found.dates and later.found is not None
    assert first.found.dates != later.found.dates


def test_a_body_seen_in_an_earlier_batch_is_not_tagged_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from marsad.ingest import prepare

    now = datetime(2015, 8, 1)
    raws = _raws()
    earlier = prepare_batch(raws, now, Settings())

    def refuse(*_args: object, **_kwargs: object) -> object:
        raise AssertionError("tagged or extracted again")

    monkeypatch.setattr(prepare, "tag_entities", refuse)
    monkeypatch.setattr(prepare, "extract", refuse)
    copies = [_copy(raw, f"copy-{raw.ext_id}", raw.date or now) for raw in raws]
    later = prepare_batch(copies, now, Settings())
    assert [getattr(item, "found", None) for item in later] == [
        getattr(item, "found", None) for item in earlier
    ]
    assert all(isinstance(item, Prepared) and item.found for item in later)
    RECENT_EXTRACTIONS.clear()
    forgotten = prepare_batch(copies, now, Settings())
    assert all(isinstance(item, Skipped) for item in forgotten), "forgotten: extracted again"


def test_recent_extractions_forget_the_least_recently_used() -> None:
    from marsad.ingest.prepare import RecentExtractions

    found = extract(BODIES[0], published=datetime(2015, 7, 21).date())
    day = datetime(2015, 7, 21).date()
    recent = RecentExtractions(2)
    recent.keep("a", day, found)
    recent.keep("b", day, found)
    assert recent.get("a", day) is found  # "a" is now the most recently used
    recent.keep("c", day, found)
    assert recent.get("b", day) is None
    assert recent.get("a", day) is found and recent.get("c", day) is found
    assert recent.get("a", datetime(2015, 7, 22).date()) is None
