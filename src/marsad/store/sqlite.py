"""SQLite specifics of the store: opening a store file (WAL mode, waits on the write lock).

The default backend: one file, WAL mode, versioned migrations (store/migrations.py). Every
query is shared with PostgreSQL (store/core.py and the concern mixins); what only one
engine can say sits in store/dialect.py, PostgreSQL's connection in store/postgres.py.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from marsad.store.lock import hold_shared

BUSY_TIMEOUT_MS = 60_000  # one statement's wait for the write lock


def connect(path: str) -> sqlite3.Connection:
    """Open the SQLite file at ``path`` (``":memory:"``: a throwaway store) for the store."""
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        hold_shared(path)  # restore refuses while any other process holds it
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    # A single statement waits this long for another writer's batch to commit
    # (set first: switching a new file to WAL takes the lock too); transaction()
    # waits as long as it takes.
    db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return db


def set_pragmas(db: sqlite3.Connection) -> None:
    """Put a store connection in WAL mode, with normal syncing and foreign keys enforced."""
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")


def retry_while_locked(action: Callable[[], None]) -> None:
    """Run ``action``, again while SQLite answers "locked" without waiting (it does when
    two processes switch a new file to WAL, or start one, at the same moment)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            action()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
