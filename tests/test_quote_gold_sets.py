"""The hand-annotated quote sets are well formed: offsets fit the texts they were made on."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from conftest import REPO, SHARED

SNN = SHARED / "data" / "saudinewsnet"
QUOTE_SETS = sorted(p.parent for p in (REPO / "evaluation").glob("quotes_*/gold.jsonl"))
BLIND_SETS = ("quotes_val5",)  # checked against the corpus text (one pass over the archive)


def _listed(set_dir: Path) -> dict[str, str]:
    rows = (set_dir / "articles.tsv").read_text(encoding="utf-8").splitlines()
    return {r.split("\t")[0]: r.split("\t")[2] for r in rows if r and not r.startswith("#")}


def _build_script() -> ModuleType:
    """The script that rebuilds the annotated texts (the code under test for the offsets)."""
    path = REPO / "scripts" / "build_quotes_articles.py"
    spec = importlib.util.spec_from_file_location("build_quotes_articles", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _gold(set_dir: Path) -> list[dict[str, object]]:
    lines = (set_dir / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.mark.parametrize("set_dir", QUOTE_SETS, ids=lambda p: p.name)
def test_every_gold_statement_names_a_listed_article_and_a_speaker(set_dir: Path) -> None:
    listed = _listed(set_dir)
    for row in _gold(set_dir):
        assert row["article_id"] in listed, row
        assert 0 <= int(str(row["start"])) < int(str(row["end"])), row
        assert str(row.get("speaker_canonical") or row["speaker"]).strip(), row


@pytest.mark.skipif(not (SNN / "saudinewsnet.jsonl.gz").is_file(), reason="../shared SNN absent")
@pytest.mark.parametrize("name", BLIND_SETS)
def test_blind_set_spans_fit_the_ingested_text(name: str) -> None:
    set_dir = REPO / "evaluation" / name
    listed = _listed(set_dir)
    texts: dict[str, str] = _build_script()._snn_texts(SHARED, set(listed))
    assert texts.keys() == listed.keys()
    for article_id, text in texts.items():
        assert hashlib.sha1(text.encode("utf-8")).hexdigest() == listed[article_id], article_id
    for row in _gold(set_dir):
        text = texts[str(row["article_id"])]
        span = text[int(str(row["start"])) : int(str(row["end"]))]
        assert int(str(row["end"])) <= len(text), row
        assert span == span.strip(), row  # a span starts and ends on a word, not on a space
