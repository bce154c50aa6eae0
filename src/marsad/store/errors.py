"""Database errors become the store's own :class:`~marsad.errors.StoreError`.

Code outside ``store/`` never names a database driver's exceptions: a block that writes
runs inside :func:`store_errors`, and whatever the database refuses (full disk, read-only
file, a store locked too long) comes out as one StoreError line that says what to do.
A second backend adds its driver's base exception to ``DATABASE_ERRORS``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from marsad.store.sources import write_error

DATABASE_ERRORS: tuple[type[sqlite3.Error], ...] = (sqlite3.Error,)


@contextmanager
def store_errors(path: str) -> Iterator[None]:
    """Run a block; a database error in it is raised as a StoreError naming ``path``."""
    try:
        yield
    except DATABASE_ERRORS as exc:
        raise write_error(path, exc) from exc
