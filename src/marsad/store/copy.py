"""Copy a whole store between backends (SQLite <-> PostgreSQL, or the same kind).

Every table the migrations made is copied row by row with its ids, so stories, threads,
analyses, clustering state and watch state arrive as they were; the target is migrated
first (same migrations on both backends, so the columns match). The full-text index is
derived data and is not copied: the caller rebuilds it on the target (a SQLite FTS5 table
is contentless and cannot be read back).

Rows that point forward are written in two steps: an article's ``superseded_by`` names a
newer article, which does not exist yet when the older one is inserted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from marsad.errors import StoreError
from marsad.store.store import Store

BATCH_ROWS = 2_000  # rows per executemany
# Parents before children (foreign keys). A table added by a later migration and missing
# here is copied after these, in name order.
TABLE_ORDER = (
    "meta",
    "state",
    "state_deltas",
    "stories",
    "articles",
    "passages",
    "mentions",
    "statements",
    "numbers",
    # The pair tables first: their triggers bump entity_stats rows, which must not exist yet.
    "entity_stories",
    "entity_outlets",
    "entity_stats",
    "watch_sources",
    "watch_feeds",
    "watch_seen",
    "watchlists",
    "watchlist_matches",
)
SKIPPED = frozenset({"_migrations"})
FORWARD_REFERENCES = {"articles": "superseded_by"}


@dataclass(frozen=True, slots=True)
class CopyReport:
    """Rows copied per table."""

    rows: dict[str, int]


def _tables(store: Store) -> list[str]:
    present = set(store.dialect.table_names(store.db)) - SKIPPED
    ordered = [t for t in TABLE_ORDER if t in present]
    return ordered + sorted(present - set(ordered))


def is_empty(store: Store) -> bool:
    """Whether a store holds no article and no story."""
    return store.count("articles") == 0 and store.count("stories") == 0


def copy_store(
    source: Store,
    target: Store,
    *,
    replace: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> CopyReport:
    """Copy every row of ``source`` into ``target`` (one transaction on the target).

    Raises:
        StoreError: The target holds articles or stories and ``replace`` is not set.
    """
    if source.path == target.path:
        raise StoreError("source and target are the same store")
    if not replace and not is_empty(target):
        raise StoreError(
            f"{target.location} is not empty; pass --replace to overwrite it (its rows are lost)"
        )
    tables = _tables(source)
    missing = set(tables) - set(target.dialect.table_names(target.db))
    if missing:
        raise StoreError(f"{target.location} lacks tables {sorted(missing)}; upgrade Marsad")
    copied: dict[str, int] = {}
    with target.transaction():
        for table in reversed(_tables(target)):  # children first, as foreign keys require
            target.db.execute(f"DELETE FROM {table}")
        for table in tables:
            copied[table] = _copy_table(source, target, table)
            if progress is not None:
                progress(table, copied[table])
        target.dialect.clear_fts(target.db)
    target.dialect.after_bulk_copy(target.db, tables)
    return CopyReport(copied)


def _copy_table(source: Store, target: Store, table: str) -> int:
    cursor = source.db.execute(f"SELECT * FROM {table}")
    columns = [str(d[0]) for d in cursor.description]
    later = FORWARD_REFERENCES.get(table)
    held = columns.index(later) if later in columns else None
    names = ", ".join(f'"{c}"' for c in columns)
    insert = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"
    pending: list[tuple[object, object]] = []  # (id, forward reference) set after the rows
    count = 0
    while True:
        rows = cursor.fetchmany(BATCH_ROWS)
        if not rows:
            break
        batch = []
        for row in rows:
            values = list(row)
            if held is not None and values[held] is not None:
                pending.append((values[0], values[held]))
                values[held] = None
            batch.append(values)
        target.db.executemany(insert, batch)
        count += len(batch)
    if later is not None and pending:
        target.db.executemany(
            f"UPDATE {table} SET {later} = ? WHERE id = ?", [(ref, key) for key, ref in pending]
        )
    return count
