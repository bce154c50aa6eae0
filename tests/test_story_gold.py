"""Checks on the story-clustering DEV gold labels and the script that builds the gold file."""

from __future__ import annotations

import csv
import importlib.util
import io
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]
LABELS = REPO / "evaluation" / "stories_dev" / "labels.csv"
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "data" / "saudinewsnet" / "saudinewsnet.jsonl.gz"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_story_gold", REPO / "scripts" / "build_story_gold.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    return module


gold = _load_script()


def _rows() -> list[dict[str, str]]:
    with LABELS.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_labels_have_enough_stories_and_rows() -> None:
    rows = _rows()
    stories = Counter(row["story"] for row in rows)
    assert len(rows) >= 400
    assert len(stories) >= 25
    # A story of one article cannot test clustering at all.
    assert min(stories.values()) >= 2


def test_labels_ids_unique_and_slugs_well_formed() -> None:
    rows = _rows()
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids))
    assert all(gold.ID_PATTERN.match(i) for i in ids)
    assert all(gold.SLUG_PATTERN.match(row["story"]) for row in rows)
    # parse_labels applies the same rules and must accept the committed file.
    assert len(gold.read_labels(LABELS)) == len(rows)


def test_labels_commit_no_article_text() -> None:
    with LABELS.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
        body = fh.read()
    assert header == ["id", "story", "note"]
    # Notes are our own English remarks; Arabic here would mean copied corpus text.
    assert not any("\u0600" <= ch <= "\u06ff" for ch in body)


@pytest.mark.parametrize(
    ("csv_text", "message"),
    [
        ("id,story\nsnn-0123456789abcdef,Bad Slug\n", "malformed story slug"),
        ("id,story\nsnn-xyz,ok-slug\n", "malformed id"),
        ("id,story\nsnn-0123456789abcdef,a\nsnn-0123456789abcdef,b\n", "duplicate id"),
        ("ident,story\nsnn-0123456789abcdef,a\n", "missing column"),
    ],
)
def test_parse_labels_rejects_bad_rows(csv_text: str, message: str) -> None:
    with pytest.raises(gold.GoldError, match=message):
        gold.parse_labels(io.StringIO(csv_text))


def _article(article_id: str, date: str) -> dict[str, str]:
    return {"id": article_id, "source": "x", "date": date, "title": "t", "text": "b", "url": "u"}


def test_build_gold_keeps_pool_sorted_and_marks_distractors() -> None:
    corpus = [
        _article("snn-000000000000000b", "2015-07-22 10:00:00"),
        _article("snn-000000000000000a", "2015-07-22 10:00:00"),
        _article("snn-000000000000000c", "2015-08-01 09:00:00"),
        _article("snn-000000000000000d", "2015-07-21 00:00:01"),
    ]
    labels = [gold.Label("snn-000000000000000a", "one-story", "")]
    records = gold.build_gold(corpus, labels)
    assert [r["id"] for r in records] == [
        "snn-000000000000000d",
        "snn-000000000000000a",
        "snn-000000000000000b",
    ]
    assert [r["story"] for r in records] == [None, "one-story", None]
    assert set(records[0]) == {"id", "source", "date", "title", "text", "url", "story"}


@pytest.mark.parametrize(
    ("label_id", "message"),
    [("snn-000000000000000c", "outside the pool"), ("snn-00000000000000ff", "not in the corpus")],
)
def test_build_gold_rejects_bad_ids(label_id: str, message: str) -> None:
    corpus = [
        _article("snn-000000000000000a", "2015-07-22 10:00:00"),
        _article("snn-000000000000000c", "2015-08-01 09:00:00"),
    ]
    with pytest.raises(gold.GoldError, match=message):
        gold.build_gold(corpus, [gold.Label(label_id, "s", "")])


def test_main_reports_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "snn-000000000000000a", "date": "2015-08-02 00:00:00"}\n')
    labels = tmp_path / "l.csv"
    labels.write_text("id,story,note\nsnn-000000000000000a,s,\n")
    code = gold.main(["--corpus", str(corpus), "--labels", str(labels), "-o", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and "outside the pool" in err


@pytest.mark.shared
@pytest.mark.skipif(not CORPUS.exists(), reason="../shared SaudiNewsNet corpus not available")
def test_committed_labels_resolve_in_the_pool() -> None:
    labels = gold.read_labels(LABELS)
    records = gold.build_gold(gold.read_corpus(CORPUS), labels)
    labeled = [r for r in records if r["story"] is not None]
    assert len(labeled) == len(labels)
    assert all(gold.in_pool(r["date"]) for r in records)
    # Every labeled article must survive ingest, which drops empty bodies.
    assert all((r["text"] or "").strip() for r in labeled)
