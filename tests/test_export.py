"""Exports: JSON lines and CSV (UTF-8 BOM, spreadsheet-safe), with the API's filters."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from marsad.export import ExportFilters, defuse_cell, export
from marsad.ingest import read_path
from marsad.pipeline import Pipeline
from marsad.store import Store
from marsad.text.arabic import NORMALIZER_VERSION
from marsad.views import find_stories_view

DEMO = Path(__file__).resolve().parents[1] / "src" / "marsad" / "demo" / "corpus"


def build_demo_store(path: Path | str) -> Path | str:
    """A store holding the bundled demo corpus."""
    store = Store(path, normalizer_version=NORMALIZER_VERSION)
    Pipeline(store).ingest(read_path(DEMO))
    store.close()
    return path


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = build_demo_store(tmp_path_factory.mktemp("export") / "demo.db")
    return Store(path, normalizer_version=NORMALIZER_VERSION)


def read_jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_stories_jsonl_has_every_story_with_summary(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "stories.jsonl"
    count = export(store, "stories", "jsonl", out, ExportFilters())
    rows = read_jsonl(out)
    assert count == len(rows) == find_stories_view(store, limit=1)["total"]
    assert all(isinstance(r["summary"], str) and r["summary"] for r in rows)
    assert "أ" in out.read_text(encoding="utf-8"), "Arabic is written as is, not escaped"


def test_stories_csv_starts_with_a_bom_and_joins_lists(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "stories.csv"
    count = export(store, "stories", "csv", out, ExportFilters(outlet="levant-wire"))
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == count > 0
    assert rows[0]["id"].isdigit()
    assert all("levant-wire" in r["sources"].split("; ") for r in rows)


def test_story_filters_match_the_api(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "s.jsonl"
    count = export(store, "stories", "jsonl", out, ExportFilters(query="استانا", breaking=False))
    expected = find_stories_view(store, query="استانا", breaking=False)["total"]
    assert count == expected > 0


def test_articles_export_filters(store: Store, tmp_path: Path) -> None:
    everything = export(store, "articles", "jsonl", tmp_path / "all.jsonl", ExportFilters())
    assert everything == store.count("articles")
    out = tmp_path / "a.csv"
    some = export(store, "articles", "csv", out, ExportFilters(query="استانا"))
    assert 0 < some < everything
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    # Search expands the name to its shipped transliterations (أستانا / أستانة).
    assert all(any(n in r["title"] + r["text"] for n in ("أستانا", "أستانة")) for r in rows)
    from datetime import datetime

    late = export(
        store, "articles", "jsonl", tmp_path / "late.jsonl",
        ExportFilters(since=datetime(2026, 3, 10), outlet="gulf-daily"),
    )  # fmt: skip
    rows_late = read_jsonl(tmp_path / "late.jsonl")
    assert late == len(rows_late) > 0
    assert all(
        r["source"] == "gulf-daily" and str(r["published"]) >= "2026-03-10" for r in rows_late
    )


def test_entities_and_statements_export(store: Store, tmp_path: Path) -> None:
    for what in ("entities", "statements"):
        out = tmp_path / f"{what}.jsonl"
        count = export(store, what, "jsonl", out, ExportFilters())
        assert count == len(read_jsonl(out))
        csv_out = tmp_path / f"{what}.csv"
        assert export(store, what, "csv", csv_out, ExportFilters()) == count
        assert csv_out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_unknown_kind_or_format_is_refused(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot export"):
        export(store, "passwords", "csv", tmp_path / "x", ExportFilters())
    with pytest.raises(ValueError, match="unknown format"):
        export(store, "stories", "xlsx", tmp_path / "x", ExportFilters())


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1", "'+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("خبر عادي", "خبر عادي"),
    ],
)
def test_formula_cells_are_defused(cell: str, expected: str) -> None:
    assert defuse_cell(cell) == expected
