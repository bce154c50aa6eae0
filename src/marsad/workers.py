"""Worker processes and the garbage collector while ingesting.

A large input is prepared (the pure stages, see :mod:`marsad.ingest.prepare`) one batch
ahead in a worker process while the writer stores the previous batch, which puts a second
core to work; the worker also summarizes a share of the touched stories. A small input
(a watch poll, an API call) is prepared in the writer, sparing the worker's start-up.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from multiprocessing import get_context

from marsad.ingest.prepare import Prepared, prepare_batch
from marsad.models import RawArticle, Skipped
from marsad.name_variants import load_store_aliases
from marsad.parent_watch import exit_with_parent
from marsad.settings import Settings
from marsad.store import Store, open_store

logger = logging.getLogger(__name__)

PARALLEL_MIN_BATCHES = 4  # below this, a worker's start-up costs more than it saves
PARALLEL_MIN_SUMMARIES = 200  # fewer dirty stories are summarized in this process alone
GC_YOUNG_THRESHOLD = 50_000  # allocations between young collections while ingesting (default 700)
GC_OLD_THRESHOLD = 100  # collections of the middle generation per full one (default 10)

PreparedBatch = list[Prepared | Skipped]


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often while ingesting.

    Ingest allocates millions of short-lived tuples (tokens), none in reference cycles,
    while each collection of the oldest generation walks every live object, the
    clustering state included: on all of SaudiNewsNet ingest ran at 270 articles/s with
    Python's default thresholds, 326 with these. Reference counting still frees the tuples.
    """
    before = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, before[1], GC_OLD_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def start_pool(
    stack: contextlib.ExitStack, settings: Settings, n_batches: int
) -> ProcessPoolExecutor | None:
    """A worker pool for an input of ``n_batches`` batches, or None when not worth one."""
    if settings.pool_size < 1 or n_batches < PARALLEL_MIN_BATCHES:
        return None
    return stack.enter_context(
        ProcessPoolExecutor(
            settings.pool_size,
            mp_context=get_context("spawn"),
            initializer=exit_with_parent,
            initargs=(os.getpid(),),
        )
    )


_WORKER_STORES: dict[str, Store] = {}


def worker_store(db_path: str) -> Store:
    """The worker's read-only connection to the writer's store (opened once per process)."""
    store = _WORKER_STORES.get(db_path)
    if store is None:
        store = open_store(db_path, read_only=True)
        _WORKER_STORES[db_path] = store
        load_store_aliases(store)  # this worker extracts: names group as in the writer
    return store


def prepare_in_worker(
    batch: list[RawArticle], now: datetime, settings: Settings, db_path: str | None
) -> PreparedBatch:
    """:func:`prepare_batch` in a worker, skipping extraction of records already stored."""
    is_stored = worker_store(db_path).has_identity if db_path else None
    with fewer_collections():
        return prepare_batch(batch, now, settings, is_stored)


def prepare_ahead(
    batches: Iterable[list[RawArticle]],
    now: datetime,
    settings: Settings,
    pool: ProcessPoolExecutor | None,
    db_path: str | None,
    prepare_here: Callable[[list[RawArticle]], PreparedBatch],
) -> Iterator[tuple[list[RawArticle], PreparedBatch]]:
    """Batches with their pure stages done, in order: by ``pool`` one batch per worker
    ahead of the writer, or by ``prepare_here`` (no pool, or the pool broke)."""
    if pool is None:
        for batch in batches:
            yield batch, prepare_here(batch)
        return
    upcoming = iter(batches)
    first = next(upcoming, None)
    if first is None:
        return
    pending: deque[tuple[list[RawArticle], Future[PreparedBatch]]] = deque()
    yielded_first = False
    try:
        for batch in upcoming:
            pending.append((batch, pool.submit(prepare_in_worker, batch, now, settings, db_path)))
            if len(pending) > settings.pool_size:  # at most one batch per worker ahead
                break
        # A fresh worker takes a second or two to start (it imports everything): this
        # process prepares the first batch meanwhile instead of waiting for it.
        yield first, prepare_here(first)
        yielded_first = True
        while pending:
            batch, future = pending[0]
            prepared = future.result()
            pending.popleft()
            following = next(upcoming, None)
            if following is not None:
                pending.append(
                    (
                        following,
                        pool.submit(prepare_in_worker, following, now, settings, db_path),
                    )
                )
            yield batch, prepared
    except BrokenProcessPool:
        # A worker could not start or died (e.g. a script without a __main__ guard, or
        # out of memory): the batches not yet stored are prepared here instead.
        logger.warning("worker process failed; preparing the remaining batches inline")
        if not yielded_first:
            yield first, prepare_here(first)
        for batch, _future in pending:
            yield batch, prepare_here(batch)
        for batch in upcoming:
            yield batch, prepare_here(batch)
