"""What differs between the store's two backends, in one small object per engine.

Everything else (every query of :class:`~marsad.store.Store` and its mixins) is
written once in the portable subset described in :mod:`marsad.store`; a ``Dialect`` holds
only what cannot be: opening a write transaction, the full-text table, the clock
arithmetic of one query, the change counter, and telling errors apart.
"""

from __future__ import annotations

import sqlite3
import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from marsad.errors import StoreError
from marsad.store.postgres import DatabaseError, PgConnection, fts_row

# One key for the store's writer lock on PostgreSQL (advisory locks are per database).
WRITER_LOCK_KEY = zlib.crc32(b"marsad.store.writer")
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's sqlstate for lock_timeout
UNIQUE_VIOLATION = "23505"


class SqliteDialect:
    """SQLite (the default store file)."""

    name = "sqlite"

    def begin_write(
        self, db: Any, on_wait: Callable[[float], None] | None, *, step_ms: int, report_s: float
    ) -> None:
        """Open a write transaction once no other writer holds one."""
        started = time.monotonic()
        reported = started
        db.execute(f"PRAGMA busy_timeout={step_ms}")
        try:
            while True:
                try:
                    db.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) and "busy" not in str(exc):
                        raise
                now = time.monotonic()
                if on_wait is not None and now - reported >= report_s:
                    reported = now
                    on_wait(now - started)
        finally:
            db.execute("PRAGMA busy_timeout=60000")

    def after_commit(self, db: Any) -> None:
        """Note a committed write (SQLite counts commits itself: ``PRAGMA data_version``)."""

    def insert_id(self, db: Any, sql: str, params: Sequence[Any]) -> int:
        """Run one INSERT and return the new row's id. SQLite's lastrowid, not RETURNING:
        a statement with RETURNING that hits a full disk undoes only itself, where a plain
        INSERT rolls the whole transaction back, which the writers rely on to stop."""
        return int(db.execute(sql, params).lastrowid or 0)

    def data_version(self, db: Any) -> int:
        """A number that changes whenever another connection commits."""
        return int(db.execute("PRAGMA data_version").fetchone()[0])

    def table_exists(self, db: Any, name: str) -> bool:
        """Whether a table of that name exists."""
        row = db.execute(
            "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?", (name,)
        ).fetchone()
        return row is not None

    def table_names(self, db: Any) -> list[str]:
        """Every ordinary table (no full-text shadow tables)."""
        rows = db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name NOT LIKE 'articles_fts%' ORDER BY name"
        )
        return [str(r[0]) for r in rows]

    def create_fts(self, db: Any) -> None:
        """Create the full-text table (contentless: MATCH text is derived, rebuilt whenever
        the normalizer changes)."""
        db.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
            "words, stems, content='', tokenize='unicode61 remove_diacritics 0')"
        )

    def clear_fts(self, db: Any) -> None:
        """Empty the full-text table."""
        db.execute("DROP TABLE IF EXISTS articles_fts")
        self.create_fts(db)

    def add_fts(self, db: Any, rows: Iterable[tuple[int, str, str]]) -> None:
        """Index (article id, folded words, their stems) rows."""
        db.executemany("INSERT INTO articles_fts (rowid, words, stems) VALUES (?, ?, ?)", rows)

    def seconds_before(self, column: str, seconds: float) -> tuple[str, Any]:
        """SQL for the ISO time ``seconds`` before a stored ISO time, and its parameter."""
        return f"strftime('%Y-%m-%dT%H:%M:%S', {column}, ?)", f"-{seconds:.0f} seconds"

    def is_unique_violation(self, exc: Exception) -> bool:
        """Whether a failed statement broke a uniqueness constraint."""
        return isinstance(exc, sqlite3.IntegrityError)

    def set_read_only(self, db: Any) -> None:
        """Refuse writes on this connection from now on."""
        db.execute("PRAGMA query_only = ON")

    def after_bulk_copy(self, db: Any, tables: Iterable[str]) -> None:
        """Make rows inserted with explicit ids count for the next ids handed out (SQLite
        takes the highest id in use by itself)."""


class PostgresDialect(SqliteDialect):
    """PostgreSQL (a team server), through :class:`~marsad.store.postgres.PgConnection`."""

    name = "postgresql"

    def begin_write(
        self, db: Any, on_wait: Callable[[float], None] | None, *, step_ms: int, report_s: float
    ) -> None:
        """Open a transaction holding the store's writer lock (a transaction-level advisory
        lock): writers take turns as on SQLite, so ids handed out inside a transaction
        (story ids, state revisions) stay unique across writer processes."""
        started = time.monotonic()
        reported = started
        while True:
            db.execute("BEGIN")
            db.execute(f"SET LOCAL lock_timeout = '{step_ms}ms'")
            try:
                db.execute(f"SELECT pg_advisory_xact_lock({WRITER_LOCK_KEY})")
                db.execute("SET LOCAL lock_timeout = 0")
                return
            except DatabaseError as exc:
                db.execute("ROLLBACK")
                if exc.sqlstate != LOCK_NOT_AVAILABLE:
                    raise
            now = time.monotonic()
            if on_wait is not None and now - reported >= report_s:
                reported = now
                on_wait(now - started)

    def after_commit(self, db: Any) -> None:
        """Bump the change counter, after the commit: a reader that sees the new number
        also sees the data (the other order could cache old data under a new number).
        The new number is announced to listeners (``postgres.ChangeListener``)."""
        db.execute(
            "SELECT pg_notify('marsad_data_version', CAST(nextval('marsad_data_version') AS TEXT))"
        )

    def insert_id(self, db: Any, sql: str, params: Sequence[Any]) -> int:
        """Run one INSERT and return the new row's id (RETURNING)."""
        return int(db.execute(sql + " RETURNING id", params).fetchone()[0])

    def data_version(self, db: Any) -> int:
        """The change counter (bumped after every committed write transaction)."""
        return int(db.execute("SELECT last_value FROM marsad_data_version").fetchone()[0])

    def table_exists(self, db: Any, name: str) -> bool:
        """Whether a table of that name exists in the search path."""
        return db.execute("SELECT to_regclass(?)", (name,)).fetchone()[0] is not None

    def table_names(self, db: Any) -> list[str]:
        """Every ordinary table of the current schema but the full-text one."""
        rows = db.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema ="
            " current_schema() AND table_type = 'BASE TABLE'"
            " AND table_name NOT IN ('articles_fts', 'fts_postings', 'fts_totals')"
            " ORDER BY table_name"
        )
        return [str(r[0]) for r in rows]

    def create_fts(self, db: Any) -> None:
        """Create the full-text tables: per article a GIN-indexed tsvector over the folded
        tokens (words weight A, stems weight B) for matching, and its length; per term and
        article the counts in each column (postings), for bm25."""
        db.execute_raw(
            "CREATE TABLE IF NOT EXISTS articles_fts (rowid BIGINT PRIMARY KEY,"
            " doc TSVECTOR NOT NULL, tokens INTEGER NOT NULL)"
        )
        db.execute_raw(
            "CREATE INDEX IF NOT EXISTS articles_fts_doc ON articles_fts USING GIN (doc)"
        )
        db.execute_raw(
            'CREATE TABLE IF NOT EXISTS fts_postings (term TEXT COLLATE "C" NOT NULL,'
            " rowid BIGINT NOT NULL, in_words INTEGER NOT NULL, in_stems INTEGER NOT NULL,"
            f" tokens INTEGER NOT NULL, {POSTINGS_KEY})"
        )
        create_fts_totals(db)

    def clear_fts(self, db: Any) -> None:
        """Empty the full-text tables."""
        db.execute("DELETE FROM articles_fts")
        db.execute("DELETE FROM fts_postings")
        db.execute("UPDATE fts_totals SET n_rows = 0, n_tokens = 0")

    def add_fts(self, db: Any, rows: Iterable[tuple[int, str, str]]) -> None:
        """Index (article id, folded words, their stems) rows."""
        built = [(article_id, fts_row(w, s)) for article_id, w, s in rows]
        db.executemany(
            "INSERT INTO articles_fts (rowid, doc, tokens) VALUES (?, CAST(? AS tsvector), ?)",
            [(article_id, row.tsvector, row.tokens) for article_id, row in built],
        )
        db.copy_rows(
            "fts_postings",
            ("term", "rowid", "in_words", "in_stems", "tokens"),
            (
                (term, article_id, in_words, in_stems, row.tokens)
                for article_id, row in built
                for term, in_words, in_stems in row.postings
            ),
        )
        db.execute(
            "UPDATE fts_totals SET n_rows = n_rows + ?, n_tokens = n_tokens + ?",
            (len(built), sum(row.tokens for _article_id, row in built)),
        )

    def seconds_before(self, column: str, seconds: float) -> tuple[str, Any]:
        """SQL for the ISO time ``seconds`` before a stored ISO time, and its parameter."""
        return (
            f"to_char(CAST({column} AS timestamp) - make_interval(secs => ?),"
            " 'YYYY-MM-DD\"T\"HH24:MI:SS')",
            round(seconds),
        )

    def is_unique_violation(self, exc: Exception) -> bool:
        """Whether a failed statement broke a uniqueness constraint."""
        return isinstance(exc, DatabaseError) and exc.sqlstate == UNIQUE_VIOLATION

    def set_read_only(self, db: Any) -> None:
        """Refuse writes on this connection from now on."""
        db.execute("SET default_transaction_read_only = on")

    def after_bulk_copy(self, db: Any, tables: Iterable[str]) -> None:
        """Move each identity column's sequence past the highest id copied in."""
        wanted = set(tables)
        rows = db.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND is_identity = 'YES'"
        ).fetchall()
        for table, column in rows:
            if table in wanted:
                db.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'),"
                    f" coalesce(max({column}), 0) + 1, false) FROM {table}"
                )


# The postings key carries every column bm25 and document counts read, so a term's
# postings come from its index range alone (an index-only scan). Without it each posting
# is one heap page: a word in 5,000 of 15,000 articles read 5,000 pages, 90 ms.
POSTINGS_KEY = "PRIMARY KEY (term, rowid) INCLUDE (in_words, in_stems, tokens)"


def covering_postings_key(db: Any) -> None:
    """Migration: the postings table's key made covering (PostgreSQL; SQLite's FTS5
    table keeps its own index and has no postings table)."""
    if not isinstance(db, PgConnection):
        return
    db.execute_raw(
        f"ALTER TABLE fts_postings DROP CONSTRAINT fts_postings_pkey, ADD {POSTINGS_KEY}"
    )


def create_fts_totals(db: Any) -> None:
    """Migration (and part of a new PostgreSQL store's full-text tables): the number of
    indexed articles and of their tokens, kept as one row by every index write. bm25
    needs both for each search; summing them read the whole full-text table each time
    (9 ms on the July pool's 14,848 articles, growing with the store). SQLite's FTS5
    keeps the same totals itself."""
    if not isinstance(db, PgConnection):
        return
    db.execute_raw(
        "CREATE TABLE IF NOT EXISTS fts_totals (one INTEGER PRIMARY KEY CHECK (one = 1),"
        " n_rows BIGINT NOT NULL, n_tokens BIGINT NOT NULL)"
    )
    db.execute_raw(
        "INSERT INTO fts_totals SELECT 1, count(*), coalesce(sum(tokens), 0) FROM articles_fts"
        " ON CONFLICT (one) DO NOTHING"
    )


def search_filter_index(db: Any) -> None:
    """Migration: on PostgreSQL, an index on article ids carrying the columns a search
    filters and groups by, so the filters of thousands of matches (a common word) are read
    from the index alone. Reading them from the wide article rows took 42 ms for a word
    in 5,017 of the July pool's articles, 6 ms from this index (EXPLAIN ANALYZE). SQLite
    joins its full-text rows to articles by rowid, the table's own key, and needs none."""
    if not isinstance(db, PgConnection):
        return
    db.execute_raw(
        "CREATE INDEX articles_search_filter ON articles (id)"
        " INCLUDE (superseded_by, story_id, duplicate_of, published, source)"
    )


def postgres_extras(db: PgConnection) -> None:
    """PostgreSQL-only objects of the first migration: the change counter and the JSON
    helper the portable subset uses on text columns (SQLite has it built in)."""
    db.execute_raw("CREATE SEQUENCE IF NOT EXISTS marsad_data_version")
    db.execute_raw(
        "CREATE OR REPLACE FUNCTION json_array_length(text) RETURNS integer"
        " LANGUAGE sql IMMUTABLE AS 'SELECT json_array_length($1::json)'"
    )


def is_postgres(location: str) -> bool:
    """Whether a store location is a PostgreSQL URL."""
    return location.startswith(("postgresql://", "postgres://"))


def sqlite_path(location: str) -> str:
    """The file of a SQLite location (a plain path, or ``sqlite:///path``)."""
    if location.startswith("sqlite:///"):
        return location[len("sqlite:///") :] or ":memory:"
    if location.startswith("sqlite://"):
        raise StoreError(f"{location}: write a SQLite URL as sqlite:///path/to/file.db")
    return location


DIALECTS = {"sqlite": SqliteDialect(), "postgresql": PostgresDialect()}
