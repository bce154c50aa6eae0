"""Watchlists in the store: saved searches, entity and outlet watches, and their matches.

Tables (migration ``0013_watchlists``):

* ``watchlists``: what to watch (``kind`` search, entity or outlet, and its ``query``) and
  ``checked_through``, the highest article id already checked: a run looks only at
  articles stored after the previous run, so each match is new exactly once;
* ``watchlist_matches``: (watchlist, article) pairs with the time of the run that found
  them; the pair is the key, so a match can never be listed twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from marsad.store.store import Store

WATCH_KINDS = ("search", "entity", "outlet")


def create_watchlists(db: Any) -> None:
    """Migration ``0013_watchlists`` (registered in :mod:`marsad.store.migrations`)."""
    kinds = ", ".join(f"'{k}'" for k in WATCH_KINDS)
    for statement in (
        f"""CREATE TABLE watchlists (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ({kinds})),
            query TEXT NOT NULL,
            created_at TEXT NOT NULL,
            last_run_at TEXT,
            checked_through INTEGER NOT NULL DEFAULT 0
        )""",
        """CREATE TABLE watchlist_matches (
            watchlist_id INTEGER NOT NULL REFERENCES watchlists(id) ON DELETE CASCADE,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            matched_at TEXT NOT NULL,
            PRIMARY KEY (watchlist_id, article_id)
        ) WITHOUT ROWID""",
        "CREATE INDEX watchlist_matches_recent ON watchlist_matches(watchlist_id, matched_at)",
    ):
        db.execute(statement)


@dataclass(frozen=True, slots=True, kw_only=True)
class Watchlist:
    """A saved watch: articles matching ``query`` as a ``kind`` (search, entity, outlet)."""

    id: int
    name: str
    kind: str
    query: str
    created_at: datetime
    last_run_at: datetime | None
    checked_through: int  # highest article id already checked


_SELECT = "SELECT id, name, kind, query, created_at, last_run_at, checked_through FROM watchlists"


def _watchlist(row: tuple[Any, ...]) -> Watchlist:
    return Watchlist(
        id=int(row[0]),
        name=str(row[1]),
        kind=str(row[2]),
        query=str(row[3]),
        created_at=datetime.fromisoformat(row[4]),
        last_run_at=None if row[5] is None else datetime.fromisoformat(row[5]),
        checked_through=int(row[6]),
    )


def add_watchlist(store: Store, *, name: str, kind: str, query: str, now: datetime) -> Watchlist:
    """Save a watchlist; its first run checks every article already stored."""
    if kind not in WATCH_KINDS:
        raise ValueError(f"watchlist kind must be one of {', '.join(WATCH_KINDS)}, got {kind!r}")
    with store.transaction():
        watchlist_id = store.insert_id(
            "INSERT INTO watchlists (name, kind, query, created_at) VALUES (?, ?, ?, ?)",
            (name, kind, query, now.isoformat(timespec="seconds")),
        )
    found = get_watchlist(store, watchlist_id)
    assert found is not None  # just inserted
    return found


def get_watchlist(store: Store, watchlist_id: int) -> Watchlist | None:
    """One watchlist, or None."""
    row = store.db.execute(_SELECT + " WHERE id = ?", (watchlist_id,)).fetchone()
    return None if row is None else _watchlist(tuple(row))


def list_watchlists(store: Store) -> list[Watchlist]:
    """Every watchlist, oldest first."""
    return [_watchlist(tuple(r)) for r in store.db.execute(_SELECT + " ORDER BY id")]


def remove_watchlist(store: Store, watchlist_id: int) -> bool:
    """Delete a watchlist and its matches; False when there was none."""
    with store.transaction():
        store.db.execute("DELETE FROM watchlist_matches WHERE watchlist_id = ?", (watchlist_id,))
        cursor = store.db.execute("DELETE FROM watchlists WHERE id = ?", (watchlist_id,))
    return bool(cursor.rowcount > 0)


# -- candidates: articles stored after a run's cursor, up to the run's snapshot -----------
def outlet_articles(store: Store, outlet: str, after: int, through: int) -> list[int]:
    """Live articles of an outlet with ids in (after, through]."""
    rows = store.db.execute(
        "SELECT id FROM articles WHERE id > ? AND id <= ? AND source = ?"
        " AND superseded_by IS NULL ORDER BY id",
        (after, through, outlet),
    )
    return [int(r[0]) for r in rows]


def search_articles(store: Store, expression: str, after: int, through: int) -> list[int]:
    """Live, first-copy articles matching an FTS5 expression, ids in (after, through]."""
    rows = store.db.execute(
        "SELECT a.id FROM articles_fts f JOIN articles a ON a.id = f.rowid"
        " WHERE articles_fts MATCH ? AND f.rowid > ? AND f.rowid <= ?"
        " AND a.superseded_by IS NULL AND a.duplicate_of IS NULL ORDER BY a.id",
        (expression, after, through),
    )
    return [int(r[0]) for r in rows]


def entity_articles(
    store: Store, mention_keys: Iterable[str], speaker_key: str, after: int, through: int
) -> list[int]:
    """Live, first-copy articles that mention (any key) or quote an entity, ids in range."""
    keys = list(mention_keys)
    marks = ",".join("?" * len(keys)) or "NULL"
    rows = store.db.execute(
        "SELECT id FROM articles WHERE id > ? AND id <= ? AND superseded_by IS NULL"
        " AND duplicate_of IS NULL AND (id IN (SELECT article_id FROM mentions"
        f" WHERE key IN ({marks})) OR id IN (SELECT article_id FROM statements"
        " WHERE speaker_key = ?)) ORDER BY id",
        (after, through, *keys, speaker_key),
    )
    return [int(r[0]) for r in rows]


def record_run(
    store: Store, watchlist_id: int, article_ids: Iterable[int], *, through: int, now: datetime
) -> list[int]:
    """Store a run's matches and move the cursor; returns the matches that are new."""
    stamp = now.isoformat(timespec="seconds")
    new: list[int] = []
    with store.transaction():
        for article_id in article_ids:
            cursor = store.db.execute(
                "INSERT OR IGNORE INTO watchlist_matches VALUES (?, ?, ?)",
                (watchlist_id, article_id, stamp),
            )
            if cursor.rowcount:
                new.append(article_id)
        store.db.execute(
            "UPDATE watchlists SET last_run_at = ?, checked_through ="
            " CASE WHEN checked_through > ? THEN checked_through ELSE ? END WHERE id = ?",
            (stamp, through, through, watchlist_id),
        )
    return new


def matches(store: Store, watchlist_id: int, *, limit: int = 50) -> list[dict[str, Any]]:
    """A watchlist's matches, newest run first (then newest article): the feed's entries."""
    cursor = store.db.execute(
        "SELECT m.article_id, m.matched_at, a.source, a.published, a.title, a.url,"
        " a.story_id, substr(a.body, 1, 400) AS lead FROM watchlist_matches m"
        " JOIN articles a ON a.id = m.article_id WHERE m.watchlist_id = ?"
        " ORDER BY m.matched_at DESC, a.published DESC, m.article_id DESC LIMIT ?",
        (watchlist_id, limit),
    )
    names = [d[0] for d in cursor.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def count_matches(store: Store, watchlist_id: int) -> int:
    """How many matches a watchlist has collected."""
    row = store.db.execute(
        "SELECT count(*) FROM watchlist_matches WHERE watchlist_id = ?", (watchlist_id,)
    ).fetchone()
    return int(row[0])
