from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SEEDS, needs_shared
from marsad.cluster.passages import is_roundup, opens_new_topic, split_passages
from marsad.ingest import read_path
from marsad.ingest.boilerplate import strip_boilerplate
from marsad.models import RawArticle
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
    stems = [arabic.content_stems(arabic.tokenize(body[p.start : p.end])) for p in passages]
    assert is_roundup(stems)


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
