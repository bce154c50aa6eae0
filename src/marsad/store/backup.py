"""Backup and restore of a store file with SQLite's online backup API.

The backup API copies a consistent snapshot page by page while other connections keep
reading and writing (a running ``marsad watch`` is fine). A backup is written to a
temporary file, checked with ``PRAGMA integrity_check`` and only then renamed into place,
so a crash never leaves a half-written backup under the requested name. The backup is one
self-contained file in rollback-journal mode (no ``-wal``/``-shm`` beside it).

A restore checks the backup first, refuses to overwrite an existing store unless forced,
and refuses while another process has the store open (see :mod:`marsad.store.lock`): a
writer would go on from the state it had in memory, over the restored file. It copies
through the same API, so the target's WAL stays coherent.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from marsad.errors import StoreError
from marsad.store.dialect import is_postgres, sqlite_path
from marsad.store.lock import exclusive

_PAGES_PER_STEP = -1  # copy all pages in one step: one consistent snapshot under a read lock


@dataclass(frozen=True, slots=True)
class BackupReport:
    """What a backup or restore copied."""

    path: Path
    articles: int
    stories: int
    bytes: int


def _sqlite_file(location: str | Path) -> Path:
    """The file of a SQLite store; a PostgreSQL store is backed up with its own tools."""
    if is_postgres(str(location)):
        raise StoreError(
            "backup and restore copy SQLite files; back up a PostgreSQL store with pg_dump"
            " (or copy it to a file with `marsad copy-store URL FILE`)"
        )
    return Path(sqlite_path(str(location)))


def _read_only_uri(path: Path) -> str:
    return path.resolve().as_uri() + "?mode=ro"


def integrity_problems(path: str | Path) -> list[str]:
    """``PRAGMA integrity_check`` findings of a database file (empty when sound)."""
    try:
        with closing(sqlite3.connect(_read_only_uri(Path(path)), uri=True)) as db:
            rows = [str(r[0]) for r in db.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def _counts(db: sqlite3.Connection, origin: Path) -> tuple[int, int]:
    try:
        articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        stories = db.execute("SELECT count(*) FROM stories").fetchone()[0]
        db.execute("SELECT count(*) FROM _migrations").fetchone()
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"{origin}: not a Marsad store ({exc}); give a file made by marsad"
        ) from None
    return int(articles), int(stories)


def backup_store(db_path: str | Path, out: str | Path, *, force: bool = False) -> BackupReport:
    """Copy a store to ``out`` consistently, even while it is being written.

    Raises:
        StoreError: No such store, ``out`` exists (without ``force``), or the copy failed.
    """
    source, target = _sqlite_file(db_path), Path(out)
    if not source.is_file():
        raise StoreError(f"{source}: no such store; pass the store with --db")
    if target.exists() and not force:
        raise StoreError(f"{target} exists; choose another name or pass --force to replace it")
    temporary = target.with_name(target.name + ".partial")
    temporary.unlink(missing_ok=True)
    try:
        with (
            closing(sqlite3.connect(source)) as src,
            closing(sqlite3.connect(temporary)) as dst,
        ):
            src.execute("PRAGMA busy_timeout=5000")
            src.backup(dst, pages=_PAGES_PER_STEP)
            counts = _counts(dst, source)
            # The copy keeps the store's WAL mode, whose -wal/-shm files a reader recreates
            # beside it; a backup is better one file. Store() turns WAL back on when opened.
            dst.execute("PRAGMA journal_mode=DELETE")
        problems = integrity_problems(temporary)
        if problems:
            raise StoreError(f"{target}: the copy failed its integrity check ({problems[0]})")
        os.replace(temporary, target)
    except sqlite3.Error as exc:
        raise StoreError(
            f"{target}: backup failed ({exc}); check free space and permissions"
        ) from None
    finally:
        for leftover in ("", "-wal", "-shm", "-journal"):
            temporary.with_name(temporary.name + leftover).unlink(missing_ok=True)
    return BackupReport(target, counts[0], counts[1], target.stat().st_size)


def restore_store(backup: str | Path, db_path: str | Path, *, force: bool = False) -> BackupReport:
    """Replace the store at ``db_path`` with a verified backup.

    Raises:
        StoreError: The backup is missing, damaged or not a Marsad store, the store exists
            and ``force`` is not set, or another process has the store open.
    """
    source, target = Path(backup), _sqlite_file(db_path)
    if not source.is_file():
        raise StoreError(f"{source}: no such backup file")
    problems = integrity_problems(source)
    if problems:
        raise StoreError(
            f"{source}: failed its integrity check ({problems[0]}); restore another backup"
        )
    with closing(sqlite3.connect(_read_only_uri(source), uri=True)) as src:
        counts = _counts(src, source)
    with exclusive(target):
        if target.exists() and not force:
            raise StoreError(
                f"{target} exists; pass --force to replace it with {source} (back it up first)"
            )
        try:
            with (
                closing(sqlite3.connect(_read_only_uri(source), uri=True)) as src,
                closing(sqlite3.connect(target)) as dst,
            ):
                dst.execute("PRAGMA busy_timeout=5000")
                src.backup(dst, pages=_PAGES_PER_STEP)
        except sqlite3.Error as exc:
            raise StoreError(
                f"{target}: restore failed ({exc}); check free space and permissions"
            ) from None
    return BackupReport(target, counts[0], counts[1], target.stat().st_size)
