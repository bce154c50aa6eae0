"""The read side: opening a store to read, and the server's readers shared by API and web.

Dependency arrows point one way: ``cli``, ``api`` and ``web`` -> ``service`` -> ``views``
-> ``store``. Nothing here writes. A story whose analysis is missing or outdated is built
in memory for the response only; keeping analyses is the refresher's job (the server's
background worker in :mod:`marsad.api.writer`, ``marsad watch``, ``marsad refresh``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from marsad import views
from marsad.errors import StoreError
from marsad.search.related import coverage_version
from marsad.store import Store, change_listener, open_store, store_exists

if TYPE_CHECKING:
    from starlette.requests import Request

MAX_ID = 2**63 - 1  # SQLite's largest integer, so the largest id a row can have
STORY_VERSIONS_KEPT = 10_000  # story page versions remembered per thread (a few MB)


def open_reader(db: str | Path, *, must_exist: bool = True) -> Store:
    """A store opened to read only: writes through it fail, no clustering state is loaded.

    Raises:
        StoreError: The store does not exist (with ``must_exist``), cannot be opened, or
            its search index was built with other Arabic rules (a writer must rebuild it:
            ``marsad refresh``).
    """
    path = str(db)
    if must_exist and not store_exists(path):
        raise StoreError(f"{path}: no such store; run `marsad --db {path} ingest PATH` first")
    store = open_store(path, read_only=True)
    if store.reindex_needed and store.max_article_id() > 0:
        store.close()
        raise StoreError(
            f"{path}: its search index was built with other Arabic rules; rebuild it with "
            f"`marsad --db {path} refresh`, then run this again"
        )
    from marsad.name_variants import load_store_aliases

    load_store_aliases(store)  # entity lookups group names with the store's mined lines too
    return store


@dataclass(frozen=True, slots=True)
class _StoryVersion:
    """A story page's version as last read, and the store's state it was read at."""

    data_version: int
    newest_article: int
    answer: tuple[int | None, int]  # (revision, related coverage count)


class ReadService:
    """Per-thread read-only stores and story pages of the server.

    SQLite in WAL mode lets readers run beside the one writer; each request thread gets its
    own read-only connection, so page views never wait for an ingest to commit.
    """

    def __init__(
        self,
        db_path: str | Path,
        *,
        writable: bool = False,
        shared_store: Store | None = None,
        refresh_analysis: views.RefreshAnalysis | None = None,
    ) -> None:
        """Args:
        db_path: The store to read.
        writable: Whether the server's write endpoints are enabled (pages offer forms).
        shared_store: The one connection to read through when the store is ``":memory:"``
            (nothing else can see an in-memory database).
        refresh_analysis: Asks the refresher to rebuild and keep a story's analysis.
        """
        self.db_path = str(db_path)
        self.writable = writable
        self._shared = shared_store
        self._refresh = refresh_analysis
        self._local = threading.local()
        self._readers: list[Store] = []
        self._readers_lock = threading.Lock()
        # Asked on every request: on PostgreSQL kept by announcements, not a query each time.
        self._changes = None if shared_store is not None else change_listener(self.db_path)

    def reader(self) -> Store:
        """This thread's read-only store connection."""
        if self._shared is not None:
            return self._shared
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            # The writer opened the store first (migrations, reindex), so no check is due.
            store = open_reader(self.db_path, must_exist=False)
            self._local.store = store
            with self._readers_lock:
                self._readers.append(store)
        return store

    def story_page(self, story_id: int) -> dict[str, Any] | None:
        """The story view, read through this thread's connection."""
        return views.story_view(self.reader(), story_id, refresh_analysis=self._refresh)

    def store_version(self) -> int:
        """A number that changes with every commit to the store, by any process."""
        announced = None if self._changes is None else self._changes.value
        return self.reader().data_version() if announced is None else announced

    def story_version(self, story_id: int) -> tuple[int | None, int]:
        """What a story's pages show changes with: its revision, and the articles of the
        days around it (its related coverage).

        Asked on every request for a story page, cached or not, so it is kept per thread:
        with no commit since, the same answer holds; after a commit that neither changed
        the story nor added an article (a refreshed analysis of another story), the
        related count holds too. Counting the articles of the days around is a range
        scan of milliseconds (8-14 ms on PostgreSQL, 3 ms on SQLite, on the July pool);
        the change counter, the revision and the newest article id are key lookups.
        Each is read before what it guards, so a commit in between only makes the next
        request read again.
        """
        reader = self.reader()
        if self._shared is not None:  # in memory: the counter misses this process's commits
            return reader.story_revision(story_id), coverage_version(reader, story_id)
        version = self.store_version()
        known: dict[int, _StoryVersion] = self._local.__dict__.setdefault("story_versions", {})
        held = known.get(story_id)
        if held is not None and held.data_version == version:
            return held.answer
        newest = reader.max_article_id()
        revision = reader.story_revision(story_id)
        if held is not None and (held.newest_article, held.answer[0]) == (newest, revision):
            answer = held.answer  # the story and the articles around it are as they were
        else:
            answer = (revision, coverage_version(reader, story_id))
        if len(known) >= STORY_VERSIONS_KEPT:
            known.clear()
        known[story_id] = _StoryVersion(version, newest, answer)
        return answer

    def close(self) -> None:
        """Close every connection this service opened (not a shared one)."""
        if self._changes is not None:
            self._changes.close()
        with self._readers_lock:
            for store in self._readers:
                store.close()
            self._readers.clear()


def get_service(request: Request) -> ReadService:
    """The application's read service.

    Call ``.reader()`` inside the endpoint body, never in a dependency: FastAPI may run a
    sync dependency on another thread than the endpoint, which would share a connection.
    """
    service: ReadService = request.app.state.service
    return service
