"""The store behind the server: per-thread read connections and one serialized writer."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from multiprocessing import get_context
from pathlib import Path
from typing import Any, TypeVar

from fastapi import Request

from marsad import views
from marsad.api.cache import Version, VersionedCache
from marsad.models import RawArticle, Skipped
from marsad.pipeline import IngestReport, Pipeline, Settings
from marsad.search.related import coverage_version
from marsad.store.sqlite import Store
from marsad.text.arabic import NORMALIZER_VERSION

logger = logging.getLogger(__name__)

T = TypeVar("T")
MAX_ID = 2**63 - 1  # SQLite's largest integer, so the largest id a row can have
#: Pages that show one story: the web page and its JSON.
STORY_PATH = re.compile(r"/(?:api/v1/stories|story)/(\d+)")


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestOutcome:
    """An ingest report and its wall time."""

    report: IngestReport
    seconds: float


class Service:
    """Opens the store once for writing (migrations, reindex) and lazily per thread for reads.

    SQLite in WAL mode lets readers run beside the one writer; each request thread gets its
    own read-only connection, so page views never wait for an ingest to commit.
    """

    def __init__(
        self, db_path: str | Path, *, token: str | None = None, settings: Settings | None = None
    ) -> None:
        self.db_path = str(db_path)
        self.token = token or None
        self.pipeline = Pipeline(
            Store(self.db_path, normalizer_version=NORMALIZER_VERSION), settings
        )
        self.cache = VersionedCache(lambda: (self.reader().data_version(),))
        self._write_lock = threading.Lock()
        self._local = threading.local()
        self._readers: list[Store] = []
        self._readers_lock = threading.Lock()
        # One background worker rebuilds stale story analyses, so no page view waits for it.
        # A separate process for a store file: a big story's rebuild is pure-Python work that
        # would otherwise hold the GIL against the threads serving pages.
        self._refresher: Executor = (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="marsad-analysis")
            if self.db_path == ":memory:"
            else ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"))
        )
        if isinstance(self._refresher, ProcessPoolExecutor):
            # Start the process (and its imports) now, not in the middle of serving pages.
            self._refresher.submit(warm_up)
        self._refreshing: set[int] = set()
        self._refreshing_lock = threading.Lock()

    @property
    def writable(self) -> bool:
        """Whether write endpoints are enabled (a token is configured)."""
        return self.token is not None

    def reader(self) -> Store:
        """This thread's read-only store connection."""
        if self.db_path == ":memory:":
            return self.pipeline.store  # one in-memory database: nothing else can see it
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.db_path, normalizer_version=NORMALIZER_VERSION)
            store.db.execute("PRAGMA query_only = ON")
            self._local.store = store
            with self._readers_lock:
                self._readers.append(store)
        return store

    def keep_analysis(
        self,
        story_id: int,
        revision: int,
        analysis: dict[str, Any],
        *,
        wait: bool = False,
        changes_page: bool = False,
    ) -> None:
        """Persist an analysis a reader built, so the next view of the story reads it.

        A page view never waits for an ingest that holds the writer (the analysis is then
        simply not kept); the background refresher does wait.
        """
        if not self._write_lock.acquire(blocking=wait):
            return
        try:
            views.keep_analysis(
                self.pipeline.store, story_id, revision, analysis, changes_page=changes_page
            )
        finally:
            self._write_lock.release()

    def refresh_analysis(self, story_id: int) -> None:
        """Rebuild a story's stale analysis in the background (once, however many ask)."""
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
        keep = partial(self.keep_analysis, wait=True, changes_page=True)
        views.rebuild_story_analysis(self.reader(), story_id, keep)

    def _rebuilt(self, story_id: int, future: Future[None]) -> None:
        with self._refreshing_lock:
            self._refreshing.discard(story_id)
        if not future.cancelled() and future.exception() is not None:
            # The stale analysis stays; the next view of the story asks again.
            logger.warning(
                "rebuilding the analysis of story %d failed: %s", story_id, future.exception()
            )

    def story_page(self, story_id: int) -> dict[str, Any] | None:
        """The story view, read through this thread's connection."""
        return views.story_view(
            self.reader(),
            story_id,
            keep_analysis=self.keep_analysis,
            refresh_analysis=self.refresh_analysis,
        )

    def version_of(self, path: str) -> Version:
        """Cache version of a GET path: for a story's pages its revision and the articles
        of the days around it (its related coverage), else the store's.

        A story page stays cached across ingests that neither touched the story nor added
        articles near its dates; every other page (river, search, lists) changes with any
        commit.
        """
        match = STORY_PATH.fullmatch(path)
        # An id past SQLite's integers is refused by the route; asking the store would overflow.
        if match and int(match.group(1)) <= MAX_ID:
            story_id = int(match.group(1))
            reader = self.reader()
            return ("story", reader.story_revision(story_id), coverage_version(reader, story_id))
        return self.cache.version()

    def ingest(self, records: Iterable[RawArticle | Skipped]) -> IngestOutcome:
        """Run records through the pipeline; one ingest at a time."""
        with self._write_lock:
            started = time.perf_counter()
            try:
                report = self.pipeline.ingest(records)
            finally:
                self.cache.invalidate()
            return IngestOutcome(report=report, seconds=time.perf_counter() - started)

    def write(self, action: Callable[[Store], T]) -> T:
        """Run a small write (a watchlist saved or run) on the writer, one write at a time."""
        with self._write_lock:
            try:
                return action(self.pipeline.store)
            finally:
                self.cache.invalidate()

    def close(self) -> None:
        """Close every connection this service opened."""
        self._refresher.shutdown(wait=True, cancel_futures=True)
        with self._readers_lock:
            for store in self._readers:
                store.close()
            self._readers.clear()
        self.pipeline.store.close()


def warm_up() -> None:
    """Import what a rebuild needs, in the refresher process, before the first rebuild."""
    import marsad.compare.analyze  # noqa: F401


def rebuild_analysis(db_path: str, story_id: int) -> None:
    """Rebuild and store one story's analysis (run in the refresher process)."""
    store = Store(db_path, normalizer_version=NORMALIZER_VERSION)
    try:
        keep = partial(views.keep_analysis, store, changes_page=True)
        views.rebuild_story_analysis(store, story_id, keep)
    finally:
        store.close()


def get_service(request: Request) -> Service:
    """The application's service.

    Call ``.reader()`` inside the endpoint body, never in a dependency: FastAPI may run a
    sync dependency on another thread than the endpoint, which would share a connection.
    """
    service: Service = request.app.state.service
    return service
