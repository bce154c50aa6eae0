"""Checks on the story-clustering gold labels (July DEV, August VALIDATION) and their builder."""

from __future__ import annotations

import csv
import gzip
import importlib.util
import io
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
LABELS = REPO / "evaluation" / "stories_dev" / "labels.csv"
MORE_LABELS = REPO / "evaluation" / "stories_dev" / "labels_more.csv"
VAL_LABELS = REPO / "evaluation" / "stories_val" / "labels.csv"
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "data" / "saudinewsnet" / "saudinewsnet.jsonl.gz"
KEPT_APART = SHARED / "data" / "saudinewsnet" / "kept_apart_ids.txt"
VAL_FIRST_DAY, VAL_LAST_DAY = "2015-08-01", "2015-08-03"


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


def _rows(path: Path = LABELS) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_labels_have_enough_stories_and_rows() -> None:
    rows = _rows()
    stories = Counter(row["story"] for row in rows)
    assert len(rows) >= 400
    assert len(stories) >= 25
    # A story of one article cannot test clustering at all.
    assert min(stories.values()) >= 2


def test_val_labels_have_enough_stories_and_rows() -> None:
    rows = _rows(VAL_LABELS)
    stories = Counter(row["story"] for row in rows)
    assert len(rows) >= 300
    assert len(stories) >= 30
    assert min(stories.values()) >= 2
    # No article may carry a DEV label and a VALIDATION label.
    assert not {row["id"] for row in rows} & {row["id"] for row in _rows()}


def test_more_labels_add_new_stories_on_new_articles() -> None:
    rows = _rows(MORE_LABELS)
    stories = Counter(row["story"] for row in rows)
    first = _rows()
    # The second pass exists to give the learned join decision more data (issue 18: >= 450, >= 60).
    assert len(rows) >= 450
    assert len(stories) >= 60
    assert min(stories.values()) >= 2
    # A second pass labels other articles and other events, never the first file's.
    assert not {row["id"] for row in rows} & {row["id"] for row in first}
    assert not set(stories) & {row["story"] for row in first}
    assert not {row["id"] for row in rows} & {row["id"] for row in _rows(VAL_LABELS)}
    # The build script joins both files without complaint.
    assert len(gold.read_label_files([LABELS, MORE_LABELS])) == len(first) + len(rows)


@pytest.mark.parametrize("path", [LABELS, MORE_LABELS, VAL_LABELS], ids=["dev", "dev-more", "val"])
def test_labels_ids_unique_and_slugs_well_formed(path: Path) -> None:
    rows = _rows(path)
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids))
    assert all(gold.ID_PATTERN.match(i) for i in ids)
    assert all(gold.SLUG_PATTERN.match(row["story"]) for row in rows)
    # parse_labels applies the same rules and must accept the committed file.
    assert len(gold.read_labels(path)) == len(rows)


@pytest.mark.parametrize("path", [LABELS, MORE_LABELS, VAL_LABELS], ids=["dev", "dev-more", "val"])
def test_labels_commit_no_article_text(path: Path) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
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


def _labels(*rows: tuple[str, str]) -> list[Any]:
    return [gold.Label(article_id, story, "") for article_id, story in rows]


def test_merge_label_files_keeps_every_label_of_disjoint_files() -> None:
    first = _labels(("snn-000000000000000a", "fire-a"), ("snn-000000000000000b", "fire-a"))
    second = _labels(("snn-000000000000000c", "fire-b"), ("snn-000000000000000d", "fire-b"))
    merged = gold.merge_label_files([("one.csv", first), ("two.csv", second)])
    assert [(x.article_id, x.story) for x in merged] == [
        ("snn-000000000000000a", "fire-a"),
        ("snn-000000000000000b", "fire-a"),
        ("snn-000000000000000c", "fire-b"),
        ("snn-000000000000000d", "fire-b"),
    ]


@pytest.mark.parametrize(
    ("second", "message"),
    [
        # The same article in two files, even under another story: which label wins is unknowable.
        ([("snn-000000000000000a", "fire-b")], "snn-000000000000000a is labeled in both one.csv"),
        # The same slug in two files would silently join two passes' stories into one.
        (
            [("snn-000000000000000c", "fire-a")],
            "story 'fire-a' is used in both one.csv and two.csv",
        ),
    ],
)
def test_merge_label_files_refuses_an_id_or_slug_in_two_files(
    second: list[tuple[str, str]], message: str
) -> None:
    first = _labels(("snn-000000000000000a", "fire-a"), ("snn-000000000000000b", "fire-a"))
    with pytest.raises(gold.GoldError, match=message):
        gold.merge_label_files([("one.csv", first), ("two.csv", _labels(*second))])


def _two_label_files(tmp_path: Path, second_rows: str) -> list[str]:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        "".join(
            f'{{"id": "snn-00000000000000{n}", "date": "2015-07-22 00:00:00"}}\n'
            for n in ("0a", "0b", "0c", "0d")
        )
    )
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text("id,story,note\nsnn-000000000000000a,s,\nsnn-000000000000000b,s,\n")
    second.write_text("id,story,note\n" + second_rows)
    output = tmp_path / "o.jsonl.gz"
    return ["--corpus", str(corpus), "--labels", str(first), "--labels", str(second),
            "-o", str(output)]  # fmt: skip


def test_main_joins_several_label_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = _two_label_files(tmp_path, "snn-000000000000000c,t,\nsnn-000000000000000d,t,\n")
    assert gold.main(args) == 0
    assert "4 labeled in 2 stories" in capsys.readouterr().out
    with gzip.open(tmp_path / "o.jsonl.gz", "rt", encoding="utf-8") as fh:
        stories = {r["id"][-1]: r["story"] for r in map(json.loads, fh)}
    assert stories == {"a": "s", "b": "s", "c": "t", "d": "t"}


@pytest.mark.parametrize(
    ("second_rows", "message"),
    [
        ("snn-000000000000000b,t,\n", "labeled in both"),
        ("snn-000000000000000c,s,\n", "used in both"),
    ],
)
def test_main_refuses_overlapping_label_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], second_rows: str, message: str
) -> None:
    code = gold.main(_two_label_files(tmp_path, second_rows))
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and message in err
    assert not (tmp_path / "o.jsonl.gz").exists()


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


@pytest.mark.parametrize(
    ("first_day", "last_day", "message"),
    [
        ("2015-08-01", "2015-08-04", "held out"),
        ("2015-08-05", "2015-08-11", "held out"),
        ("2015-08-03", "2015-08-01", "after its last day"),
        ("2015-8-1", "2015-08-03", "malformed pool day"),
    ],
)
def test_build_gold_refuses_bad_or_held_out_pool_days(
    first_day: str, last_day: str, message: str
) -> None:
    corpus = [_article("snn-000000000000000a", "2015-08-02 10:00:00")]
    with pytest.raises(gold.GoldError, match=message):
        gold.build_gold(corpus, [], first_day=first_day, last_day=last_day)


def test_build_gold_uses_the_given_pool_days() -> None:
    corpus = [
        _article("snn-000000000000000a", "2015-07-31 23:00:00"),
        _article("snn-000000000000000b", "2015-08-01 09:00:00"),
        _article("snn-000000000000000c", "2015-08-03 21:00:00"),
        _article("snn-000000000000000d", "2015-08-04 08:00:00"),
    ]
    labels = [gold.Label("snn-000000000000000c", "one-story", "")]
    records = gold.build_gold(corpus, labels, first_day=VAL_FIRST_DAY, last_day=VAL_LAST_DAY)
    assert [r["id"] for r in records] == ["snn-000000000000000b", "snn-000000000000000c"]
    # A labeled article from the day before the pool is refused.
    outside = [gold.Label("snn-000000000000000a", "s", "")]
    with pytest.raises(gold.GoldError, match="outside the pool"):
        gold.build_gold(corpus, outside, first_day=VAL_FIRST_DAY, last_day=VAL_LAST_DAY)


def _val_args(tmp_path: Path, labeled: str, *extra: str) -> list[str]:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        '{"id": "snn-000000000000000a", "date": "2015-08-02 00:00:00"}\n'
        '{"id": "snn-000000000000000b", "date": "2015-08-03 00:00:00"}\n'
    )
    labels = tmp_path / "l.csv"
    labels.write_text(f"id,story,note\n{labeled},s,\n")
    return [
        "--corpus", str(corpus), "--labels", str(labels), "-o", str(tmp_path / "o.jsonl.gz"),
        *extra,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--first-day", "2015-08-01", "--last-day", "2015-08-04"], "held out"),
        (["--first-day", "2015-08-04", "--last-day", "2015-08-04"], "held out"),
    ],
)
def test_main_refuses_held_out_days(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    code = gold.main(_val_args(tmp_path, "snn-000000000000000a", *extra))
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and message in err
    assert not (tmp_path / "o.jsonl.gz").exists()


def test_main_refuses_a_labeled_kept_apart_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kept = tmp_path / "kept.txt"
    kept.write_text("snn-000000000000000b\n")
    days = ["--first-day", "2015-08-01", "--last-day", "2015-08-03", "--exclude-ids", str(kept)]
    code = gold.main(_val_args(tmp_path, "snn-000000000000000b", *days))
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and "kept apart" in err and "snn-000000000000000b" in err
    assert not (tmp_path / "o.jsonl.gz").exists()
    # A kept-apart id that is not labeled stays in the pool as an unlabeled distractor.
    assert gold.main(_val_args(tmp_path, "snn-000000000000000a", *days)) == 0
    with gzip.open(tmp_path / "o.jsonl.gz", "rt", encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    assert [(r["id"], r["story"]) for r in records] == [
        ("snn-000000000000000a", "s"),
        ("snn-000000000000000b", None),
    ]


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
    labels = gold.read_label_files([LABELS, MORE_LABELS])
    records = gold.build_gold(gold.read_corpus(CORPUS), labels)
    labeled = [r for r in records if r["story"] is not None]
    assert len(labeled) == len(labels)
    assert all(gold.in_pool(r["date"]) for r in records)
    # Every labeled article must survive ingest, which drops empty bodies.
    assert all((r["text"] or "").strip() for r in labeled)


@pytest.mark.shared
@pytest.mark.skipif(
    not (CORPUS.exists() and KEPT_APART.exists()), reason="../shared SaudiNewsNet not available"
)
def test_committed_val_labels_resolve_in_the_val_pool() -> None:
    labels = gold.read_labels(VAL_LABELS)
    gold.check_not_excluded(labels, gold.read_id_list(KEPT_APART), origin=str(KEPT_APART))
    records = gold.build_gold(
        gold.read_corpus(CORPUS), labels, first_day=VAL_FIRST_DAY, last_day=VAL_LAST_DAY
    )
    labeled = [r for r in records if r["story"] is not None]
    assert len(labeled) == len(labels)
    assert all(VAL_FIRST_DAY <= r["date"][:10] <= VAL_LAST_DAY for r in records)
    assert all((r["text"] or "").strip() for r in labeled)
    # The kept-apart articles stay in the pool, unlabeled.
    kept = gold.read_id_list(KEPT_APART)
    assert all(r["story"] is None for r in records if r["id"] in kept)
