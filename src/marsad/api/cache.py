"""A response cache for GET requests, each entry valid while its version holds.

Readers far outnumber writes: the river, popular stories and common searches are asked
for again and again. Each path has a version: a story's pages carry the story's change
counter (so they survive ingests that did not touch the story), everything else the
store's commit counter (SQLite's ``data_version``), so a commit by any process, the
CLI's ``ingest`` or ``watch`` included, is seen, and writes not yet committed are not.
Concurrent misses of one page do not each rebuild it: the first request rebuilds and
waits for the fresh page (so whoever just wrote sees the write), while requests arriving
during that rebuild get the previous version at once, or wait for the rebuild when the
page was never built. A commit thus costs one rebuild per page, and no queue behind it.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

Version = tuple[object, ...]
MAX_CACHED_BODY = 1_000_000
Response = tuple[int, list[tuple[bytes, bytes]], bytes]


class VersionedCache:
    """A small LRU mapping whose entries are valid only at the version they were built at."""

    def __init__(self, version: Callable[[], Version], *, maxsize: int = 2048) -> None:
        self._version_of = version
        self._maxsize = maxsize
        self._items: OrderedDict[object, tuple[Version, object]] = OrderedDict()
        self._lock = threading.Lock()
        self.generation = 0  # bumped by in-process writes, for stores without a file

    def version(self) -> Version:
        """The store's version now."""
        return (self.generation, *self._version_of())

    def get(self, key: object, version: Version) -> object | None:
        """The value cached under ``key`` at this version, or None."""
        with self._lock:
            entry = self._items.get(key)
            if entry is None or entry[0] != version:
                return None
            self._items.move_to_end(key)
            return entry[1]

    def get_any(self, key: object) -> object | None:
        """The value cached under ``key`` at whatever version (possibly out of date)."""
        with self._lock:
            entry = self._items.get(key)
            return None if entry is None else entry[1]

    def put(self, key: object, version: Version, value: object) -> None:
        """Cache a value built at ``version``."""
        with self._lock:
            self._items[key] = (version, value)
            self._items.move_to_end(key)
            while len(self._items) > self._maxsize:
                self._items.popitem(last=False)

    def invalidate(self) -> None:
        """Move the store's version on (after a write through this process).

        Entries keyed by their own versions (story pages) stay valid if still current.
        """
        with self._lock:
            self.generation += 1


class ResponseCacheMiddleware:
    """Serves repeated GET requests from a :class:`VersionedCache` of whole responses."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        cache: VersionedCache,
        version_of: Callable[[str], Version] | None = None,
    ) -> None:
        """Wrap ``app``; ``version_of(path)`` gives a path's version (default: the store's)."""
        self.app = app
        self.cache = cache
        self.version_of = version_of or (lambda _path: cache.version())
        self._pending: dict[tuple[object, Version], asyncio.Future[Response | None]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope.get("query_string", b""))
        version = self.version_of(scope["path"])
        for _attempt in range(2):
            hit = self.cache.get(key, version)
            if isinstance(hit, tuple):
                await _replay(hit, send)
                return
            pending = self._pending.get((key, version))
            if pending is None:
                break
            stale = self.cache.get_any(key)
            if isinstance(stale, tuple):
                await _replay(stale, send)  # being rebuilt: the previous version meanwhile
                return
            await asyncio.shield(pending)  # another request is building this very page
        future: asyncio.Future[Response | None] = asyncio.get_running_loop().create_future()
        self._pending[(key, version)] = future
        try:
            response = await self._forward(scope, receive, send)
            if response is not None:
                self.cache.put(key, version, response)
        finally:
            self._pending.pop((key, version), None)
            future.set_result(None)

    async def _forward(self, scope: Scope, receive: Receive, send: Send) -> Response | None:
        """Run the app, passing its messages on; the response if it may be cached."""
        start: Message | None = None
        chunks: list[bytes] = []
        cacheable = True

        async def capture(message: Message) -> None:
            nonlocal start, cacheable
            if message["type"] == "http.response.start":
                start = message
                cacheable = message["status"] == 200
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if message.get("more_body", False) or sum(map(len, chunks)) > MAX_CACHED_BODY:
                    cacheable = False  # streamed or large (static files): not kept
            await send(message)

        await self.app(scope, receive, capture)
        if not cacheable or start is None:
            return None
        return (start["status"], list(start.get("headers", [])), b"".join(chunks))


async def _replay(response: Response, send: Send) -> None:
    status, headers, body = response
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
