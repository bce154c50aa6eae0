"""What extraction found in each article, stored once at ingest and read by comparison.

Migration ``0015_extraction_details`` completes the rows of ``0005_extraction`` so that
they hold every field the comparison reads (a number's qualifier, vagueness and scale; a
statement's speaker and sentence offsets), adds the resolved date expressions of each
article (``date_mentions``) and records which articles were extracted
(``extracted_articles``): an article with no statements or numbers then differs from one
never extracted.

Articles stored before the migration have no ``extracted_articles`` row: their old
statement and number rows lack the new fields. Readers never extract: for them such an
article has no stored extraction. The refresher (``marsad refresh``, the server's
background worker, ``marsad watch``) extracts them again once, before it builds the
analysis of a story that holds them, and replaces their rows
(:meth:`StoredExtractions.replace_extraction`).

Rows come back as the small frozen read models below, whose fields are those of
:class:`marsad.extract.numbers.NumberMention`, :class:`marsad.extract.quotes.Statement` and
:class:`marsad.text.dates.DateMention`; the store does not import the stages.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # read by attribute only (see marsad.writes)
    from marsad.extract.numbers import NumberMention
    from marsad.text.dates import DateMention
    from marsad.writes import SpeakerStatement


_Row = TypeVar("_Row")  # a stored read model (number, statement or date)


def add_extraction_details(db: sqlite3.Connection) -> None:
    """Migration ``0015_extraction_details`` (plain DDL: every backend runs it as written)."""
    for statement in (
        "ALTER TABLE numbers ADD COLUMN qualifier TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE numbers ADD COLUMN vague INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE numbers ADD COLUMN scale REAL NOT NULL DEFAULT 1",
        "ALTER TABLE statements ADD COLUMN speaker_start INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE statements ADD COLUMN speaker_end INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE statements ADD COLUMN sentence_start INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE statements ADD COLUMN sentence_end INTEGER NOT NULL DEFAULT 0",
        # first/last/precision are keywords in some engines: named by what they hold.
        """CREATE TABLE date_mentions (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            expression TEXT NOT NULL,
            first_day TEXT NOT NULL,
            last_day TEXT NOT NULL,
            granularity TEXT NOT NULL
        )""",
        "CREATE INDEX date_mentions_article ON date_mentions(article_id)",
        """CREATE TABLE extracted_articles (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id),
            extracted_at TEXT NOT NULL
        )""",
    ):
        db.execute(statement)


@dataclass(frozen=True, slots=True)
class StoredNumber:
    """A stored number mention (the fields of ``NumberMention``; NaN value: vague)."""

    value: float
    text: str
    start: int
    end: int
    counted: str
    counted_key: str
    is_percent: bool
    approximate: bool
    qualifier: str
    vague: bool
    scale: float
    sentence_start: int
    sentence_end: int


@dataclass(frozen=True, slots=True)
class StoredStatement:
    """A stored statement (the fields of ``Statement``, speaker resolution included)."""

    speaker: str
    speaker_start: int
    speaker_end: int
    speaker_resolved: str
    cue: str
    start: int
    end: int
    direct: bool
    source: str | None
    sentence_start: int
    sentence_end: int
    speaker_title: str
    speaker_description: str
    speaker_unresolved: bool


@dataclass(frozen=True, slots=True)
class StoredDate:
    """A stored date expression (the fields of ``DateMention``)."""

    start: int
    end: int
    expression: str
    first: date
    last: date
    precision: str


@dataclass(frozen=True, slots=True)
class StoredExtraction:
    """One extracted article's numbers, statements and dates, in text order."""

    numbers: tuple[StoredNumber, ...] = ()
    statements: tuple[StoredStatement, ...] = ()
    dates: tuple[StoredDate, ...] = ()


_NUMBER_COLUMNS = (
    "article_id, value, text, start, end, counted, counted_key, is_percent, approximate,"
    " qualifier, vague, scale, sentence_start, sentence_end"
)
_STATEMENT_COLUMNS = (
    "article_id, speaker, speaker_start, speaker_end, speaker_resolved, cue, start, end,"
    " direct, source, sentence_start, sentence_end, speaker_title, speaker_description,"
    " speaker_unresolved"
)
_DATE_COLUMNS = "article_id, start, end, expression, first_day, last_day, granularity"


def number_row(article_id: int, n: NumberMention) -> tuple[Any, ...]:
    """The ``numbers`` row of a mention (a vague quantity's NaN value is stored as NULL)."""
    return (
        article_id,
        None if math.isnan(n.value) else n.value,
        n.text,
        n.start,
        n.end,
        n.counted,
        n.counted_key,
        n.is_percent,
        n.approximate,
        n.qualifier,
        n.vague,
        n.scale,
        n.sentence_start,
        n.sentence_end,
    )


def statement_row(article_id: int, s: SpeakerStatement) -> tuple[Any, ...]:
    """The ``statements`` row of a statement with its speaker's canonical name and key."""
    st = s.statement
    return (
        article_id,
        st.speaker,
        st.speaker_resolved,
        s.canonical,
        s.key,
        st.cue,
        st.start,
        st.end,
        st.direct,
        st.source,
        st.speaker_title,
        st.speaker_description,
        st.speaker_unresolved,
        st.speaker_start,
        st.speaker_end,
        st.sentence_start,
        st.sentence_end,
    )


#: Columns of :func:`statement_row` and :func:`number_row`, in their order.
STATEMENT_INSERT_COLUMNS = (
    "article_id, speaker, speaker_resolved, speaker_canonical, speaker_key, cue, start, end,"
    " direct, source, speaker_title, speaker_description, speaker_unresolved,"
    " speaker_start, speaker_end, sentence_start, sentence_end"
)
NUMBER_INSERT_COLUMNS = _NUMBER_COLUMNS


def _marks(count: int) -> str:
    return ", ".join("?" * count)


class StoredExtractions:
    """Mixin of :class:`marsad.store.Store`: writing and reading stored extraction."""

    db: sqlite3.Connection

    def add_dates(self, article_id: int, dates: Iterable[DateMention]) -> None:
        """Store an article's resolved date expressions (caller's transaction)."""
        self.db.executemany(
            f"INSERT INTO date_mentions ({_DATE_COLUMNS}) VALUES ({_marks(7)})",
            [
                (
                    article_id,
                    d.start,
                    d.end,
                    d.expression,
                    d.first.isoformat(),
                    d.last.isoformat(),
                    d.precision,
                )
                for d in dates
            ],
        )

    def mark_extracted(self, article_id: int) -> None:
        """Record that the article's extraction is stored whole (caller's transaction)."""
        self.db.execute(
            "INSERT OR IGNORE INTO extracted_articles (article_id, extracted_at) VALUES (?, ?)",
            (article_id, datetime.now(UTC).isoformat(timespec="seconds")),
        )

    def add_extracted(
        self,
        article_id: int,
        *,
        statements: Iterable[SpeakerStatement],
        numbers: Iterable[NumberMention],
        dates: Iterable[DateMention],
    ) -> None:
        """Store a new article's statements, numbers and dates, every field the comparison
        reads, and mark it extracted (caller's transaction)."""
        self.db.executemany(
            f"INSERT INTO statements ({STATEMENT_INSERT_COLUMNS}) VALUES ({_marks(17)})",
            [statement_row(article_id, s) for s in statements],
        )
        self.db.executemany(
            f"INSERT INTO numbers ({NUMBER_INSERT_COLUMNS}) VALUES ({_marks(14)})",
            [number_row(article_id, n) for n in numbers],
        )
        self.add_dates(article_id, dates)
        self.mark_extracted(article_id)

    def replace_extraction(
        self,
        article_id: int,
        *,
        statements: Iterable[SpeakerStatement],
        numbers: Iterable[NumberMention],
        dates: Iterable[DateMention],
    ) -> None:
        """Replace a stored article's statements, numbers and dates with a new extraction
        (an article stored before migration 0015; caller's transaction). Entity mentions
        stay: the entity figures are counted from them."""
        for table in ("statements", "numbers", "date_mentions"):
            self.db.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
        self.add_extracted(article_id, statements=statements, numbers=numbers, dates=dates)

    def unextracted_articles(self, article_ids: Sequence[int]) -> list[int]:
        """The articles among ``article_ids`` with no stored extraction, by id."""
        if not article_ids:
            return []
        done = self._extracted(article_ids)
        return sorted(set(article_ids) - done)

    def _extracted(self, article_ids: Sequence[int]) -> set[int]:
        rows = self.db.execute(
            "SELECT article_id FROM extracted_articles"
            " WHERE article_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(article_ids)),),
        )
        return {int(r[0]) for r in rows}

    def _per_article(
        self,
        table: str,
        columns: str,
        wanted: tuple[str],
        convert: Callable[[Sequence[Any]], _Row],
    ) -> dict[int, list[_Row]]:
        """The rows of ``table`` for the JSON list of ids in ``wanted``, converted, by article."""
        found: dict[int, list[_Row]] = {}
        for row in self.db.execute(
            f"SELECT {columns} FROM {table}"
            " WHERE article_id IN (SELECT value FROM json_each(?)) ORDER BY article_id, id",
            wanted,
        ):
            found.setdefault(int(row[0]), []).append(convert(row[1:]))
        return found

    def stored_extractions(self, article_ids: Sequence[int]) -> dict[int, StoredExtraction]:
        """Stored numbers, statements and dates of the extracted articles among
        ``article_ids`` (an article missing from the result was never extracted, or was
        stored before migration 0015). One query per table, whatever the number of ids."""
        if not article_ids:
            return {}
        wanted = (json.dumps(sorted(set(article_ids))),)
        extracted = self._extracted(article_ids)
        numbers = self._per_article("numbers", _NUMBER_COLUMNS, wanted, _number)
        statements = self._per_article("statements", _STATEMENT_COLUMNS, wanted, _statement)
        dates = self._per_article("date_mentions", _DATE_COLUMNS, wanted, _date)
        return {
            article_id: StoredExtraction(
                tuple(numbers.get(article_id, ())),
                tuple(statements.get(article_id, ())),
                tuple(dates.get(article_id, ())),
            )
            for article_id in sorted(extracted)
        }


def _number(row: Sequence[Any]) -> StoredNumber:
    return StoredNumber(
        value=math.nan if row[0] is None else float(row[0]),
        text=str(row[1]),
        start=int(row[2]),
        end=int(row[3]),
        counted=str(row[4]),
        counted_key=str(row[5]),
        is_percent=bool(row[6]),
        approximate=bool(row[7]),
        qualifier=str(row[8]),
        vague=bool(row[9]),
        scale=float(row[10]),
        sentence_start=int(row[11]),
        sentence_end=int(row[12]),
    )


def _statement(row: Sequence[Any]) -> StoredStatement:
    return StoredStatement(
        speaker=str(row[0]),
        speaker_start=int(row[1]),
        speaker_end=int(row[2]),
        speaker_resolved=str(row[3]),
        cue=str(row[4]),
        start=int(row[5]),
        end=int(row[6]),
        direct=bool(row[7]),
        source=None if row[8] is None else str(row[8]),
        sentence_start=int(row[9]),
        sentence_end=int(row[10]),
        speaker_title=str(row[11]),
        speaker_description=str(row[12]),
        speaker_unresolved=bool(row[13]),
    )


def _date(row: Sequence[Any]) -> StoredDate:
    return StoredDate(
        start=int(row[0]),
        end=int(row[1]),
        expression=str(row[2]),
        first=date.fromisoformat(str(row[3])),
        last=date.fromisoformat(str(row[4])),
        precision=str(row[5]),
    )
