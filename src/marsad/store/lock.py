"""The advisory lock that keeps ``marsad restore`` from pulling a store out from under a writer.

Every process that opens a store holds a shared ``flock`` on ``<store>.lock`` beside it;
a restore takes that lock exclusively without waiting and refuses when another process
holds it. A store opened while a restore runs waits for the restore to finish.

The shared lock is held per process and store file until the process exits, not per
:class:`~marsad.store.store.Store` object: a process may open a store many times (the
server does), and a lock tied to one object would end when that object is collected.
A restore run inside a process that opened the store itself is not refused by its own
lock. Where ``fcntl`` is missing (Windows) or the lock file cannot be created (a read-only
folder), there is no lock: it guards against mistakes, not against other programs.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from marsad.errors import StoreError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

_held: dict[str, BinaryIO] = {}  # real store path -> open lock file, shared-locked
_guard = threading.Lock()

IN_USE = "another Marsad process (ingest, watch or serve) has the store open; stop it and retry"


def _lock_file(db: str | os.PathLike[str]) -> str:
    # The real path, so every process finds one lock file whatever path it was given.
    return os.path.realpath(db) + ".lock"


def hold_shared(db: str | os.PathLike[str]) -> None:
    """Hold a shared lock on the store ``db`` for the rest of this process."""
    if fcntl is None or str(db) in ("", ":memory:"):
        return
    name = _lock_file(db)
    with _guard:
        if name in _held:
            return
        try:
            handle = open(name, "ab")  # noqa: SIM115 - kept open for the process's lifetime
        except OSError:
            return
        fcntl.flock(handle, fcntl.LOCK_SH)  # waits only while a restore holds it
        _held[name] = handle


@contextmanager
def exclusive(db: str | os.PathLike[str]) -> Iterator[None]:
    """Hold the store's lock exclusively (for a restore).

    Raises:
        StoreError: Another process has the store open.
    """
    if fcntl is None:
        yield
        return
    name = _lock_file(db)
    Path(name).parent.mkdir(parents=True, exist_ok=True)
    with _guard:
        own = _held.get(name)
        handle = own or open(name, "ab")  # noqa: SIM115 - closed below
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if own is None:
                handle.close()
            else:  # a failed conversion drops the shared lock too: take it back
                fcntl.flock(handle, fcntl.LOCK_SH)
            raise StoreError(f"{db}: {IN_USE}") from None
        try:
            yield
        finally:
            if own is None:
                handle.close()
            else:
                fcntl.flock(handle, fcntl.LOCK_SH)
