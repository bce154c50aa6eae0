"""The server's one writer: ingest through the pipeline, small writes, the analysis refresher.

The read side (:mod:`marsad.service`) never writes; what writes goes through this object,
one write at a time, and tells the response cache afterwards.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from marsad.models import RawArticle, Skipped
from marsad.parent_watch import exit_with_parent
from marsad.refresh import refresh_story_analysis
from marsad.store import Store, open_store

if TYPE_CHECKING:
    from starlette.requests import Request

    from marsad.pipeline import IngestReport, Settings

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestOutcome:
    """An ingest report and its wall time."""

    report: IngestReport
    seconds: float


class Writer:
    """Opens the store for writing (migrations, reindex) and serializes every write.

    One background worker rebuilds and keeps story analyses that readers found missing or
    outdated, so no page view waits for one. For a store file it is a separate process: a
    big story's rebuild is pure-Python work that would otherwise hold the GIL against the
    threads serving pages.
    """

    def __init__(
        self, db_path: str | Path, *, token: str | None = None, settings: Settings | None = None
    ) -> None:
        # Imported here, not above: the read routes that name this module (for the token
        # check) must not load the pipeline with it.
        from marsad.pipeline import Pipeline

        self.db_path = str(db_path)
        self.token = token or None
        self.pipeline = Pipeline(open_store(self.db_path), settings)
        #: Called after every write (the read side's cache invalidation).
        self.on_change: Callable[[], None] = lambda: None
        self._write_lock = threading.Lock()
        self._refresher: Executor = (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="marsad-analysis")
            if self.db_path == ":memory:"
            else ProcessPoolExecutor(
                max_workers=1,
                mp_context=get_context("spawn"),
                # A server killed with -9 cannot stop it: it notices and exits on its own.
                initializer=exit_with_parent,
                initargs=(os.getpid(),),
            )
        )
        if isinstance(self._refresher, ProcessPoolExecutor):
            # Start the process (and its imports) now, not in the middle of serving pages.
            self._refresher.submit(warm_up)
        self._refreshing: set[int] = set()
        self._refreshing_lock = threading.Lock()

    @property
    def store(self) -> Store:
        """The writing connection."""
        return self.pipeline.store

    @property
    def writable(self) -> bool:
        """Whether write endpoints are enabled (a token is configured)."""
        return self.token is not None

    @property
    def refreshing(self) -> bool:
        """Whether a story analysis is being rebuilt in the background."""
        with self._refreshing_lock:
            return bool(self._refreshing)

    def refresh_analysis(self, story_id: int) -> None:
        """Rebuild and keep a story's analysis in the background (once, however many ask)."""
        with self._refreshing_lock:
            if story_id in self._refreshing:
                return
            self._refreshing.add(story_id)
        if isinstance(self._refresher, ThreadPoolExecutor):
            future = self._refresher.submit(self._rebuild_here, story_id)
        else:
            future = self._refresher.submit(rebuild_analysis, self.db_path, story_id)
        future.add_done_callback(partial(self._rebuilt, story_id))

    def _rebuild_here(self, story_id: int) -> None:
        with self._write_lock:
            refresh_story_analysis(self.store, story_id)

    def _rebuilt(self, story_id: int, future: Future[None]) -> None:
        with self._refreshing_lock:
            self._refreshing.discard(story_id)
        if not future.cancelled() and future.exception() is not None:
            # The page keeps showing what it showed; the next view of the story asks again.
            logger.warning(
                "rebuilding the analysis of story %d failed: %s", story_id, future.exception()
            )

    def ingest(self, records: Iterable[RawArticle | Skipped]) -> IngestOutcome:
        """Run records through the pipeline; one ingest at a time."""
        with self._write_lock:
            started = time.perf_counter()
            try:
                report = self.pipeline.ingest(records)
            finally:
                self.on_change()
            return IngestOutcome(report=report, seconds=time.perf_counter() - started)

    def write(self, action: Callable[[Store], T]) -> T:
        """Run a small write (a watchlist saved or run) on the writer, one write at a time."""
        with self._write_lock:
            try:
                return action(self.store)
            finally:
                self.on_change()

    def close(self) -> None:
        """Stop the refresher and close the writing connection."""
        self._refresher.shutdown(wait=True, cancel_futures=True)
        self.store.close()


def warm_up() -> None:
    """Import what a rebuild needs, in the refresher process, before the first rebuild."""
    import marsad.compare.analyze  # noqa: F401


def rebuild_analysis(db_path: str, story_id: int) -> None:
    """Rebuild and keep one story's analysis (run in the refresher process)."""
    store = open_store(db_path)
    try:
        refresh_story_analysis(store, story_id)
    finally:
        store.close()


def get_writer(request: Request) -> Writer:
    """The application's writer (ingest and watchlist endpoints only)."""
    writer: Writer = request.app.state.writer
    return writer
