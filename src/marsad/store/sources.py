"""Watch state in the store: feed validators, seen feed items, per-source health.

Tables (migration ``0003_sources`` in :mod:`marsad.store.migrations`, where every migration
is registered, in order):

* ``watch_feeds``: per feed or page URL, the ETag and Last-Modified of the last response
  whose items are all stored;
* ``watch_seen``: feed guid / canonical URL -> article id and a hash of the item, so a
  re-published item is not fetched again but an edited one is;
* ``watch_sources``: per source, last success, last error, consecutive errors.

:class:`WatchSources` is one mixin of the composed :class:`~marsad.store.store.Store`, like
every other concern: the watcher needs no store class of its own. Crash safety: the
watcher writes validators and seen rows in the same transaction as the articles they led
to; ``Store.transaction()`` blocks nest (:class:`~marsad.store.core.StoreCore`), so the
pipeline's own blocks join the watcher's outer one and everything commits (or vanishes)
together.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from marsad.errors import StoreError
from marsad.store.articles import ArticlesAndSearch
from marsad.store.core import StoreCore


@dataclass(frozen=True, slots=True)
class Validators:
    """HTTP cache validators of a feed's last fully stored response."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class SeenItem:
    """A feed item already handled: the article it became (None: nothing to store)."""

    article_id: int | None
    item_hash: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceStatus:
    """Health of one watched source."""

    name: str
    last_success: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    consecutive_errors: int
    articles_today: int
    newest_article: datetime | None
    lag_s: float | None  # seconds since the newest article was published


def _now() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds")


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def write_error(path: str, exc: sqlite3.Error) -> StoreError:
    """A one-line StoreError for a failed write (full disk, read-only file, locked store)."""
    return StoreError(
        f"{path}: cannot write to the store ({exc}); free disk space or make the file and its "
        "folder writable, then run again (everything already stored is kept)"
    )


class WatchSources(ArticlesAndSearch):
    """Mixin of :class:`marsad.store.store.Store`: the watcher's tables (feed validators,
    seen items, source health). Over the articles' mixin: a seen item's article is found
    by its canonical URL."""

    # -- feeds --------------------------------------------------------------------------
    def validators(self, url: str) -> Validators:
        """ETag and Last-Modified stored for a feed URL (empty when never fully stored)."""
        row = self.db.execute(
            "SELECT etag, last_modified FROM watch_feeds WHERE url = ?", (url,)
        ).fetchone()
        return Validators() if row is None else Validators(row[0], row[1])

    def save_validators(self, url: str, source: str, validators: Validators) -> None:
        """Remember a feed's validators (inside the transaction that stored its items)."""
        self.db.execute(
            "INSERT INTO watch_feeds VALUES (?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET"
            " source = excluded.source, etag = excluded.etag,"
            " last_modified = excluded.last_modified, fetched_at = excluded.fetched_at",
            (url, source, validators.etag, validators.last_modified, _now()),
        )

    # -- seen items ---------------------------------------------------------------------
    def seen(self, keys: Iterable[str]) -> SeenItem | None:
        """The first of ``keys`` (guid key, URL key) already handled, if any."""
        for key in keys:
            row = self.db.execute(
                "SELECT article_id, item_hash FROM watch_seen WHERE key = ?", (key,)
            ).fetchone()
            if row is not None:
                return SeenItem(None if row[0] is None else int(row[0]), str(row[1]))
        return None

    def mark_seen(
        self, keys: Iterable[str], *, source: str, item_hash: str, article_id: int | None
    ) -> None:
        """Record that an item (under all its keys) led to ``article_id``."""
        now = _now()
        self.db.executemany(
            "INSERT INTO watch_seen VALUES (?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET"
            " item_hash = excluded.item_hash,"
            " article_id = coalesce(excluded.article_id, watch_seen.article_id),"
            " seen_at = excluded.seen_at",
            [(key, source, item_hash, article_id, now) for key in keys],
        )

    def article_at(self, canonical_url: str) -> int | None:
        """Id of the live article stored for a canonical URL."""
        current = self.current_version(canonical_url)
        return None if current is None else current[0]

    # -- source health ------------------------------------------------------------------
    def record_success(self, source: str) -> None:
        """Note a completed poll of a source."""
        self.db.execute(
            "INSERT INTO watch_sources (name, last_success, consecutive_errors) VALUES (?, ?, 0)"
            " ON CONFLICT(name) DO UPDATE SET last_success = excluded.last_success,"
            " consecutive_errors = 0",
            (source, _now()),
        )

    def record_error(self, source: str, message: str) -> int:
        """Note a failed poll; returns the number of consecutive failures."""
        with self.transaction():
            self.db.execute(
                "INSERT INTO watch_sources (name, last_error, last_error_at, consecutive_errors)"
                " VALUES (?, ?, ?, 1) ON CONFLICT(name) DO UPDATE SET"
                " last_error = excluded.last_error, last_error_at = excluded.last_error_at,"
                " consecutive_errors = watch_sources.consecutive_errors + 1",
                (source, message, _now()),
            )
            row = self.db.execute(
                "SELECT consecutive_errors FROM watch_sources WHERE name = ?", (source,)
            ).fetchone()
        return int(row[0])

    def source_status(self, names: Iterable[str] = ()) -> list[SourceStatus]:
        """Health of every source polled so far, plus any of ``names`` never polled."""
        return source_status(self, names)


def source_status(store: StoreCore, names: Iterable[str] = ()) -> list[SourceStatus]:
    """Health of every source polled so far, plus any of ``names`` never polled."""
    rows = {
        str(r[0]): r
        for r in store.db.execute(
            "SELECT name, last_success, last_error, last_error_at, consecutive_errors"
            " FROM watch_sources"
        )
    }
    now = datetime.now(UTC).replace(tzinfo=None)
    today = datetime.now().date().isoformat()  # ingested_at is local time
    statuses = []
    for name in sorted(set(rows) | set(names)):
        row = rows.get(name)
        count = store.db.execute(
            "SELECT count(*) FROM articles WHERE source = ? AND ingested_at >= ?",
            (name, today),
        ).fetchone()[0]
        newest = _time(
            store.db.execute(
                "SELECT max(published) FROM articles WHERE source = ?", (name,)
            ).fetchone()[0]
        )
        statuses.append(
            SourceStatus(
                name=name,
                last_success=_time(row[1]) if row else None,
                last_error=row[2] if row else None,
                last_error_at=_time(row[3]) if row else None,
                consecutive_errors=int(row[4]) if row else 0,
                articles_today=int(count),
                newest_article=newest,
                lag_s=None if newest is None else (now - newest).total_seconds(),
            )
        )
    return statuses
