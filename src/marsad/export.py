"""Export stories, articles, entities and statements as JSON lines or CSV.

CSV files start with a UTF-8 byte order mark so spreadsheet programs read Arabic right,
and text cells that a spreadsheet would run as a formula are defused (see
:func:`defuse_cell`). Filters mirror the API's ``/stories`` query parameters.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final, TextIO

from marsad.search.fts import build_query
from marsad.store import Store
from marsad.views import entities_view, find_stories_view

WHAT: Final = ("stories", "articles", "entities", "statements")
FORMATS: Final = ("jsonl", "csv")
PAGE: Final = 500
MATCH_LIMIT: Final = 1_000_000  # a text filter exports every matching article
# Cells starting with these run as formulas in spreadsheet programs (CSV injection).
_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
STORY_COLUMNS: Final = (
    "id", "title", "first_seen", "last_seen", "n_articles", "sources", "thread_id",
    "breaking", "burst", "summary",
)  # fmt: skip
ARTICLE_COLUMNS: Final = (
    "id", "ext_id", "source", "published", "title", "url", "story_id", "duplicate_of", "text",
)  # fmt: skip


ENTITY_COLUMNS: Final = ("name", "label", "mentions", "articles", "stories", "outlets")
STATEMENT_COLUMNS: Final = (
    "id", "article_id", "story_id", "outlet", "published", "speaker", "speaker_canonical",
    "cue", "direct", "source", "start", "end", "text",
)  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportFilters:
    """What to export; every filter is optional (None: no filter)."""

    since: datetime | None = None  # stories active / articles published at or after
    until: datetime | None = None  # stories begun / articles published at or before
    outlet: str | None = None
    query: str | None = None  # spelling-variant aware text filter
    breaking: bool | None = None  # stories only
    thread: int | None = None  # stories only


def export(store: Store, what: str, fmt: str, out: Path, filters: ExportFilters) -> int:
    """Write the chosen records to ``out``; returns how many were written.

    Raises:
        ValueError: For an unknown ``what`` or ``fmt``.
    """
    if what not in WHAT:
        raise ValueError(f"cannot export {what!r}; choose one of {', '.join(WHAT)}")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    records = _RECORDS[what](store, filters)
    if fmt == "jsonl":
        with out.open("w", encoding="utf-8", newline="\n") as fh:
            return write_jsonl(records, fh)
    # utf-8-sig writes the BOM that spreadsheet programs need to detect UTF-8.
    with out.open("w", encoding="utf-8-sig", newline="") as fh:
        return write_csv(records, fh, _COLUMNS.get(what))


def write_jsonl(records: Iterator[dict[str, Any]], fh: TextIO) -> int:
    """One JSON object per line, Arabic kept as is."""
    count = 0
    for record in records:
        fh.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        count += 1
    return count


def write_csv(
    records: Iterator[dict[str, Any]], fh: TextIO, columns: tuple[str, ...] | None
) -> int:
    """A header row, then one row per record; lists join with ``; ``, dicts become JSON."""
    writer: csv.DictWriter[str] | None = None
    count = 0
    for record in records:
        if writer is None:
            writer = csv.DictWriter(fh, fieldnames=list(columns or record), extrasaction="ignore")
            writer.writeheader()
        writer.writerow({k: _cell(v) for k, v in record.items()})
        count += 1
    if writer is None and columns:  # nothing to export: still a header (and the BOM)
        csv.writer(fh).writerow(columns)
    return count


def defuse_cell(text: str) -> str:
    """Prefix a text cell that a spreadsheet would evaluate (``=HYPERLINK(...)``) with ``'``."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, default=str)
    return defuse_cell(value) if isinstance(value, str) else value


# -- records --------------------------------------------------------------------------------
def story_records(store: Store, filters: ExportFilters) -> Iterator[dict[str, Any]]:
    """Stories matching the filters, newest first, each with its summary text."""
    offset = 0
    while True:
        page = find_stories_view(
            store,
            limit=PAGE,
            offset=offset,
            source=filters.outlet,
            since=filters.since,
            until=filters.until,
            query=filters.query,
            breaking=filters.breaking,
            thread=filters.thread,
        )
        for brief in page["stories"]:
            story = store.story(brief["id"])
            summary = story.summary if story is not None else None
            sentences = (summary or {}).get("sentences", [])
            yield {**brief, "summary": " ".join(s["text"] for s in sentences)}
        if len(page["stories"]) < PAGE:
            return
        offset += PAGE


def article_records(store: Store, filters: ExportFilters) -> Iterator[dict[str, Any]]:
    """Live articles (superseded versions left out) matching the filters, oldest first."""
    ids = None
    if filters.query:
        expression, _ = build_query(filters.query)
        ids = [i for i, _ in store.fts_query(expression, limit=MATCH_LIMIT)] if expression else []
    for row in store.export_articles(
        outlet=filters.outlet, since=filters.since, until=filters.until, ids=ids
    ):
        yield dict(zip(ARTICLE_COLUMNS, row, strict=True))


def entity_records(store: Store, filters: ExportFilters) -> Iterator[dict[str, Any]]:
    """Entities, most widely reported first (filters do not apply yet)."""
    offset = 0
    while True:
        page = entities_view(store, limit=PAGE, offset=offset)
        yield from page["entities"]
        if len(page["entities"]) < PAGE:
            return
        offset += PAGE


def statement_records(store: Store, filters: ExportFilters) -> Iterator[dict[str, Any]]:
    """Statements with their text, oldest first; outlet and time filters apply."""
    if not store.has_table("statements"):
        return
    yield from store.statements(
        outlet=filters.outlet, since=filters.since, until=filters.until, limit=MATCH_LIMIT
    )


_RECORDS = {
    "stories": story_records,
    "articles": article_records,
    "entities": entity_records,
    "statements": statement_records,
}
_COLUMNS: dict[str, tuple[str, ...]] = {
    "stories": STORY_COLUMNS,
    "articles": ARTICLE_COLUMNS,
    "entities": ENTITY_COLUMNS,
    "statements": STATEMENT_COLUMNS,
}
