"""A response cache for GET requests, cleared whenever the store file changes.

Readers far outnumber writes: the river, popular stories and common searches are asked
for again and again between two ingests. The store's version is read from the file
system (size and modification time of the database and its write-ahead log), so a
commit by any process, the CLI's ``ingest`` or ``watch`` included, invalidates the cache.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

Version = tuple[object, ...]
CACHED_PREFIXES = ("/api/v1/", "/")
MAX_CACHED_BODY = 1_000_000


def file_version(db_path: str) -> Callable[[], Version]:
    """A function returning the current version of a store file (changes on every commit)."""

    def version() -> Version:
        parts: list[object] = []
        for path in (db_path, db_path + "-wal"):
            try:
                stat = os.stat(path)
                parts += [stat.st_size, stat.st_mtime_ns]
            except OSError:
                parts += [None, None]
        return tuple(parts)

    return version


class VersionedCache:
    """A small LRU mapping whose entries all vanish when the version changes."""

    def __init__(self, version: Callable[[], Version], *, maxsize: int = 1024) -> None:
        self._version_of = version
        self._maxsize = maxsize
        self._items: OrderedDict[object, object] = OrderedDict()
        self._version: Version | None = None
        self._lock = threading.Lock()
        self.generation = 0  # bumped by in-process writes, for stores without a file

    def version(self) -> Version:
        """The store's version now."""
        return (self.generation, *self._version_of())

    def get(self, key: object, version: Version) -> object | None:
        """The value cached under ``key`` at this version, or None."""
        with self._lock:
            if version != self._version:
                self._items.clear()
                self._version = version
                return None
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: object, version: Version, value: object) -> None:
        """Cache a value built at ``version`` (dropped if the store moved on meanwhile)."""
        with self._lock:
            if version != self._version:
                return
            self._items[key] = value
            while len(self._items) > self._maxsize:
                self._items.popitem(last=False)

    def invalidate(self) -> None:
        """Forget everything (after a write through this process)."""
        with self._lock:
            self.generation += 1
            self._items.clear()


class ResponseCacheMiddleware:
    """Serves repeated GET requests from a :class:`VersionedCache` of whole responses."""

    def __init__(self, app: ASGIApp, *, cache: VersionedCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope.get("query_string", b""))
        version = self.cache.version()
        hit = self.cache.get(key, version)
        if isinstance(hit, tuple):
            status, headers, body = hit
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
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
        if cacheable and start is not None:
            headers = list(start.get("headers", []))
            self.cache.put(key, version, (start["status"], headers, b"".join(chunks)))
