"""The bundled demo corpus keeps the shape the demo and story evaluation rely on."""

from __future__ import annotations

import importlib.util
import re
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from types import ModuleType

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
DEMO_DIR = REPO_ROOT / "src" / "marsad" / "demo"
CORPUS_DIR = DEMO_DIR / "corpus"
LABELS = DEMO_DIR / "labels.csv"
GOLD = DEMO_DIR / "gold.jsonl"
HEADER_LINE = {
    0: re.compile(r"title: \S.*"),
    1: re.compile(r"source: [a-z]+(-[a-z]+)*"),
    2: re.compile(r"date: 2026-03-\d\d \d\d:\d\d"),
    3: re.compile(r"url: https://example\.[a-z-]+\.test/\S+"),
}


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_demo_gold", REPO_ROOT / "scripts" / "make_demo_gold.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GOLD_SCRIPT = _load_script()


@pytest.fixture(scope="module")
def records() -> list[dict[str, str | None]]:
    built: list[dict[str, str | None]] = GOLD_SCRIPT.build_gold(CORPUS_DIR, LABELS)
    return built


def _stories(records: list[dict[str, str | None]]) -> dict[str, list[dict[str, str | None]]]:
    grouped: dict[str, list[dict[str, str | None]]] = defaultdict(list)
    for record in records:
        if record["story"] is not None:
            grouped[record["story"]].append(record)
    return grouped


def test_corpus_size_stories_and_outlets(records: list[dict[str, str | None]]) -> None:
    stories = _stories(records)
    assert len(records) >= 40
    assert len(stories) == 8
    assert len({record["source"] for record in records}) == 6
    for story, members in stories.items():
        outlets = {member["source"] for member in members}
        assert len(members) >= 3, story
        assert 3 <= len(outlets) <= 6, story


def test_exactly_one_unlabeled_roundup(records: list[dict[str, str | None]]) -> None:
    unlabeled = [record["id"] for record in records if record["story"] is None]
    assert len(unlabeled) == 1
    assert "roundup" in str(unlabeled[0])


def test_every_file_has_the_exact_header_block() -> None:
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        lines = GOLD_SCRIPT.decode_article(path.read_bytes()).split("\n")
        for index, pattern in HEADER_LINE.items():
            assert pattern.fullmatch(lines[index]), f"{path.name} line {index + 1}"
        assert lines[4] == "", path.name
        assert re.fullmatch(r"\d\d_[a-z0-9-]+\.txt", path.name)


def test_exactly_one_file_is_cp1256() -> None:
    not_utf8 = []
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        raw = path.read_bytes()
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            not_utf8.append(raw)
    assert len(not_utf8) == 1
    text = not_utf8[0].decode("cp1256")
    assert re.search(r"[\u0621-\u064a]{3,}", text)  # real Arabic words, not mojibake


def test_article_lengths_and_paragraphs(records: list[dict[str, str | None]]) -> None:
    for record in records:
        text = str(record["text"])
        assert 80 <= len(text.split()) <= 220, record["id"]
        assert text.count("\n") >= 2, record["id"]


def test_dates_span_ten_days_and_stories_at_most_four(
    records: list[dict[str, str | None]],
) -> None:
    dates = [datetime.fromisoformat(str(record["date"])) for record in records]
    assert max(dates) - min(dates) <= timedelta(days=10)
    for story, members in _stories(records).items():
        days = {str(member["date"])[:10] for member in members}
        assert len(days) <= 4, story


def test_wire_copies_share_everything_but_the_dateline(
    records: list[dict[str, str | None]],
) -> None:
    bodies_without_lead = Counter(str(record["text"]).split("\n", 1)[1] for record in records)
    assert max(bodies_without_lead.values()) >= 4  # the wire original plus three reprints


def test_spelling_variants_are_present(records: list[dict[str, str | None]]) -> None:
    corpus = "\n".join(f"{record['title']}\n{record['text']}" for record in records)
    for variant in ("ستويكوفيتش", "ستوياكوفيتش", "هالفورسن", "هالفورسين", "أستانا", "أستانة"):
        assert variant in corpus, variant
    assert "\u06cc" in corpus and "\u06a9" in corpus  # Persian yeh and keheh
    assert " فى " in corpus and "علي " in corpus  # Egyptian-style spelling
    assert "\u0640" in corpus  # tatweel


def test_boilerplate_tail_is_present(records: list[dict[str, str | None]]) -> None:
    assert any("لم تشترك بعد" in str(record["text"]) for record in records)


def test_gold_file_matches_corpus(records: list[dict[str, str | None]]) -> None:
    assert GOLD.read_text(encoding="utf-8") == GOLD_SCRIPT.render_gold(records)


def test_build_gold_rejects_unlabeled_file(tmp_path: Path) -> None:
    source = next(iter(sorted(CORPUS_DIR.glob("*.txt"))))
    (tmp_path / source.name).write_bytes(source.read_bytes())
    labels = tmp_path / "labels.csv"
    labels.write_text("file,story\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unlabeled"):
        GOLD_SCRIPT.build_gold(tmp_path, labels)
