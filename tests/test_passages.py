from __future__ import annotations

import random
from pathlib import Path

import pytest

from conftest import SEEDS, needs_shared
from marsad.cluster import passages
from marsad.cluster.passages import (
    Passage,
    announces_other_event,
    group_events,
    marker_prefix,
    opens_new_topic,
    split_passages,
)
from marsad.ingest import read_path
from marsad.ingest.boilerplate import strip_boilerplate
from marsad.models import RawArticle, Token
from marsad.text import arabic


def _seed_body(prefix: str) -> str:
    for record in read_path(SEEDS):
        if isinstance(record, RawArticle) and Path(record.origin).name.startswith(prefix):
            return strip_boilerplate(record.text)[0]
    raise AssertionError(prefix)


@pytest.mark.parametrize(
    "sentence",
    [
        "وعلى صعيد آخر، أكد الوزير",
        "في سياق منفصل، أعلنت",
        "إلى ذلك، قالت الوزارة",
        "فی سیاق منفصل ، أکدت",
    ],
)
def test_topic_markers_open_a_passage(sentence: str) -> None:
    assert opens_new_topic(sentence)


def test_ordinary_sentences_do_not() -> None:
    assert not opens_new_topic("وقال الوزير إن الاجتماع كان مثمرا")
    assert not opens_new_topic("في المدينة القديمة اندلع حريق")


def test_a_short_single_event_article_is_one_passage() -> None:
    body = "اندلع حريق في مستودع بجدة صباح اليوم.\nوقال الدفاع المدني إن الحريق أخمد دون إصابات."
    assert len(split_passages(body)) == 1


@needs_shared
def test_unmarked_roundup_is_split_by_lexical_valleys() -> None:
    body = _seed_body("000_")  # one long paragraph: Moscow-London, Mayadin and Raqqa, Idlib
    passages = split_passages(body)
    assert len(passages) == 3
    assert "إدلب" in body[passages[-1].start : passages[-1].end]
    assert "إدلب" not in body[passages[0].start : passages[0].end]
    assert len(group_events(body, passages, _stems(body, passages))) == 3


def _stems(body: str, passages: list[Passage]) -> list[list[str]]:
    return [arabic.content_stems(arabic.tokenize(body[p.start : p.end])) for p in passages]


@needs_shared
def test_headings_split_a_roundup_and_offsets_slice_the_body() -> None:
    body = _seed_body("004_")
    passages = split_passages(body)
    assert len(passages) == 5
    assert [p.first_paragraph for p in passages] == sorted(p.first_paragraph for p in passages)
    for passage in passages:
        assert body[passage.start : passage.end].strip() == body[passage.start : passage.end]


@needs_shared
def test_single_event_article_is_not_a_roundup() -> None:
    body = _seed_body("001_")
    assert len(split_passages(body)) == 1


@needs_shared
def test_roundup_events_on_the_seeds() -> None:
    # 003: Putin's meeting and Idlib, then ("إلى ذلك") Russian strikes near Mayadin.
    body = _seed_body("003_")
    passages = split_passages(body)
    events = group_events(body, passages, _stems(body, passages))
    assert len(events) == 2
    assert "إدلب" in body[events[0].start : events[0].end]
    assert "الميادين" in body[events[1].start : events[1].end]
    assert "إدلب" not in body[events[1].start : events[1].end]
    # 004: Lavrov on Bukamal ("وفي نطاق متصل") continues the lead's Bukamal event.
    body = _seed_body("004_")
    passages = split_passages(body)
    events = group_events(body, passages, _stems(body, passages))
    assert len(passages) == 5 and len(events) == 4
    assert (events[0].first_paragraph, events[0].last_paragraph) == (1, 8)
    assert events[0].start == passages[0].start and events[0].end == passages[1].end


def test_a_separate_event_marker_keeps_alike_passages_apart() -> None:
    first = "أعلن الجيش السوري السيطرة على بلدة في ريف حمص بعد معارك مع المسلحين. " * 6
    related = "وفي سياق متصل، أعلن الجيش السوري السيطرة على بلدة في ريف حمص بعد معارك. " * 4
    separate = "في سياق منفصل، أعلن الجيش السوري السيطرة على بلدة في ريف حمص بعد معارك. " * 4
    for second, events in ((related, 1), (separate, 2)):
        body = first.strip() + "\n" + second.strip()
        passages = split_passages(body)
        assert len(passages) == 2
        assert len(group_events(body, passages, _stems(body, passages))) == events


def test_markers_that_announce_another_event() -> None:
    assert announces_other_event("وفي سياق منفصل، قالت الوزارة")
    assert announces_other_event("على صعيد آخر، أكد الوزير")
    assert not announces_other_event("إلى ذلك، قالت الوزارة")  # may add to the same event
    assert not announces_other_event("وقال الوزير إن الاجتماع كان مثمرا")


def test_marker_prefix_covers_the_marker_and_its_comma() -> None:
    text = "إلى ذلك، أعلنت وزارة الدفاع مقتل قياديين"
    assert text[marker_prefix(text) :] == "أعلنت وزارة الدفاع مقتل قياديين"
    assert marker_prefix("أعلنت وزارة الدفاع، أمس، مقتل قياديين") == 0


def _old_unit_vocab(units: list[passages._Unit], tokens: list[Token]) -> list[set[str]]:
    """The token walk that ``_valleys`` replaced by bisection: the stems of each unit."""
    vocab: list[set[str]] = [set() for _ in units]
    index, last = 0, len(units) - 1
    unit = units[0]
    for word, start, end, stem in tokens:
        while index < last and units[index + 1].start <= start:
            index += 1
            unit = units[index]
        if (
            start >= unit.start
            and end <= unit.end
            and len(word) > 1
            and word not in arabic.STOPWORDS
            and not word.isdigit()
        ):
            vocab[index].add(stem)
    return vocab


def test_unit_stems_are_placed_as_the_token_walk_placed_them() -> None:
    chooser = random.Random(25)
    words = ["قال", "في", "12", "الوزير", "ب", "الرياض", "مجلس", "الأمن", "نفط"]
    checked = 0
    for _ in range(300):
        # units with gaps between them; tokens inside, across and outside them
        starts = sorted(chooser.sample(range(0, 400, 4), chooser.randint(6, 14)))
        units = [
            passages._Unit(s, s + chooser.randint(1, 3) * 4, n, False)
            for n, s in enumerate(starts, 1)
        ]
        tokens = []
        for start in range(0, 420, 3):
            word = chooser.choice(words)
            tokens.append(Token(word, start, start + chooser.randint(1, 5), word[-3:]))
        expected = _old_unit_vocab(units, tokens)
        assert passages._unit_vocab(units, tokens) == expected
        checked += sum(map(len, expected))
    assert checked > 1000
