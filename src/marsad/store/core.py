"""The store's core: its connection (SQLite or PostgreSQL), write transactions, migrations, meta.

Each concern of the store is a mixin over :class:`StoreCore` (articles.py, stories.py,
entities.py, analyses.py, state.py); :class:`~marsad.store.store.Store` is all of them in one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from marsad.errors import MigrationError, StoreError
from marsad.store import sqlite as sqlite_file
from marsad.store.dialect import DIALECTS, is_postgres, sqlite_path
from marsad.store.migrations import MIGRATIONS
from marsad.store.postgres import PgConnection, redact

WAIT_STEP_MS = 1_000  # transaction() retries at this step...
WAIT_REPORT_S = 5.0  # ...and says it is waiting this often


class StoreCore:
    """What every part of the store stands on: a SQLite file (or ``":memory:"``) or a
    PostgreSQL database, opened and migrated, with transactions and the meta table.

    Args:
        location: a file path, ``sqlite:///path``, or ``postgresql://user@host/db``.
        normalizer_version: the MATCH normalizer's version (a change means reindexing).
        read_only: refuse writes on this connection (readers of a served store).
    """

    def __init__(
        self, location: str | Path, *, normalizer_version: str, read_only: bool = False
    ) -> None:
        self.path = str(location)
        # Full-text rows and entity figures written with each article. A backfill block's
        # scratch store turns them off: nothing on the worker reads them, and the driver
        # writes both itself (search terms from ``block_search``, entity figures recounted
        # from the mentions by ``finish_blocks``).
        self.writes_search_and_entity_figures = True
        self._depth = 0  # nesting of transaction() blocks
        self.rollback_hooks: list[Callable[[], None]] = []
        self.is_postgres = is_postgres(self.path)
        self.dialect = DIALECTS["postgresql" if self.is_postgres else "sqlite"]
        self.db: Any
        if self.is_postgres:
            self.db = PgConnection(self.path)
            self._migrate()
        else:
            self._open_sqlite(sqlite_path(self.path))
        if read_only:
            self.dialect.set_read_only(self.db)
        self.reindex_needed = self.get_meta("normalizer_version") != normalizer_version
        self.normalizer_version = normalizer_version

    def _open_sqlite(self, path: str) -> None:
        try:
            self.db = sqlite_file.connect(path)
            sqlite_file.retry_while_locked(self._prepare)
        except (sqlite3.DatabaseError, OSError) as exc:
            raise StoreError(
                f"{path}: cannot open the store ({exc}); check the path and permissions, "
                "or restore it from a backup"
            ) from exc

    @property
    def location(self) -> str:
        """Where the store is, fit for messages (a PostgreSQL password is hidden)."""
        return redact(self.path)

    # -- schema ------------------------------------------------------------------------
    def _prepare(self) -> None:
        sqlite_file.set_pragmas(self.db)
        self._migrate()

    def _applied_migrations(self) -> set[str]:
        if not self.dialect.table_exists(self.db, "_migrations"):
            return set()
        return {str(row[0]) for row in self.db.execute("SELECT name FROM _migrations")}

    def _migrate(self) -> None:
        done = self._applied_migrations()
        known = {name for name, _ in MIGRATIONS}
        if done - known:
            raise MigrationError(
                f"{self.location} was written by a newer Marsad (unknown migrations "
                f"{sorted(done - known)}); upgrade Marsad to open it"
            )
        if known <= done:
            return
        # Under the write lock, asking again: two processes opening a new store at once
        # must not both apply a migration.
        with self.transaction():
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS _migrations"
                " (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            done = self._applied_migrations()
            # Name order, not import order: modules may register migrations in any order.
            for name, apply in sorted(MIGRATIONS):
                if name not in done:
                    apply(self.db)
                    self.db.execute(
                        "INSERT INTO _migrations VALUES (?, ?)", (name, datetime.now().isoformat())
                    )

    def insert_id(self, sql: str, params: Sequence[Any]) -> int:
        """Run one INSERT into a table keyed by ``id``; returns the new row's id."""
        return self.dialect.insert_id(self.db, sql, params)

    def has_table(self, name: str) -> bool:
        """Whether the store has a table of that name."""
        return self.dialect.table_exists(self.db, name)

    @property
    def schema_version(self) -> int:
        """Number of migrations applied."""
        return int(self.db.execute("SELECT count(*) FROM _migrations").fetchone()[0])

    @contextmanager
    def transaction(self, on_wait: Callable[[float], None] | None = None) -> Iterator[Any]:
        """Run a block atomically: everything or nothing is written.

        Waits for other writers as long as it takes: writers (ingest, watch, the API) take
        turns batch by batch, a batch holds the lock for a second or two, so a writer may
        wait for several. ``on_wait(seconds)`` is called every ``WAIT_REPORT_S`` while
        waiting (a progress line for humans). A block inside another joins it (one commit,
        at the end). When a block rolls back, the ``rollback_hooks`` run:
        memory that mirrors what the block wrote must be dropped too.
        """
        if self._depth:
            # A savepoint: a failed inner block is undone alone, the outer one may go on.
            savepoint = f"nested_{self._depth}"
            self.db.execute(f"SAVEPOINT {savepoint}")
            self._depth += 1
            try:
                yield self.db
            except BaseException:
                self.db.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                self.db.execute(f"RELEASE SAVEPOINT {savepoint}")
                for hook in self.rollback_hooks:
                    hook()
                raise
            finally:
                self._depth -= 1
            self.db.execute(f"RELEASE SAVEPOINT {savepoint}")
            return
        self.dialect.begin_write(self.db, on_wait, step_ms=WAIT_STEP_MS, report_s=WAIT_REPORT_S)
        self._depth = 1
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            for hook in self.rollback_hooks:
                hook()
            raise
        finally:
            self._depth = 0
        self.db.execute("COMMIT")
        self.dialect.after_commit(self.db)

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    # -- meta and generic reads --------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        """Read a metadata value."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Write a metadata value (inside the caller's transaction, if any)."""
        self.db.execute(
            "INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run a read-only query for views; each row is a dict keyed by column name."""
        cursor = self.db.execute(sql, params)
        names = [d[0] for d in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def count(self, table: str) -> int:
        """Row count of ``articles`` or ``stories``."""
        if table not in {"articles", "stories"}:
            raise ValueError(f"unknown table {table!r}")
        return int(self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def data_version(self) -> int:
        """A number that changes whenever another connection commits (cheap to ask)."""
        return self.dialect.data_version(self.db)
