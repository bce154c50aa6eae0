"""FastAPI application factory: JSON API, web UI and static files over one store."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.middleware.trustedhost import TrustedHostMiddleware

from marsad import __version__
from marsad.api.alerts import router as alerts_router
from marsad.api.cache import ResponseCacheMiddleware, Version, VersionedCache
from marsad.api.routes import router as api_router
from marsad.api.security import DEFAULT_MAX_BODY_BYTES, SecurityHeadersMiddleware
from marsad.api.writer import Writer
from marsad.service import MAX_ID, ReadService
from marsad.web.desk import router as desk_router
from marsad.web.pages import STATIC_DIR, mount_static
from marsad.web.pages import router as web_router

if TYPE_CHECKING:
    from marsad.pipeline import Settings

SWITCH_INTERVAL_S = 0.0005  # Python's default is 0.005
# DNS rebinding: a hostile page that resolves its own name to 127.0.0.1 must not reach us.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")
#: Pages that show one story: the web page and its JSON.
STORY_PATH = re.compile(r"/(?:api/v1/stories|story)/(\d+)")
logger = logging.getLogger(__name__)


def page_version(service: ReadService, cache: VersionedCache, path: str) -> Version:
    """Cache version of a GET path: for a story's pages its revision and the articles
    of the days around it (its related coverage), else the store's.

    A story page stays cached across ingests that neither touched the story nor added
    articles near its dates; every other page (river, search, lists) changes with any
    commit.
    """
    match = STORY_PATH.fullmatch(path)
    # An id past SQLite's integers is refused by the route; asking the store would overflow.
    if match and int(match.group(1)) <= MAX_ID:
        return ("story", *service.story_version(int(match.group(1))))
    return cache.version()


async def internal_error(request: Request, exc: Exception) -> JSONResponse:
    """An exception no route turned into a 4xx is a bug: log its traceback, answer JSON.

    Starlette still re-raises it after this answer, so servers log it and tests see it.
    """
    logger.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"detail": "internal error; the server log has the details"}, 500)


def create_app(
    db_path: str | Path,
    *,
    token: str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    allowed_hosts: Sequence[str] = LOOPBACK_HOSTS,
    settings: Settings | None = None,
) -> FastAPI:
    """Build the application over a store file (created when missing).

    Args:
        db_path: The store to serve.
        token: Bearer token that write endpoints require; None disables writing.
        max_body_bytes: Largest request body accepted (413 above it).
        allowed_hosts: Host header values served; others get 400.
        settings: Pipeline settings for ingest through the API (default: tuned values).
    """
    # The writer opens the store first: it migrates and, with new Arabic rules, reindexes.
    writer = Writer(db_path, token=token, settings=settings)
    service = ReadService(
        db_path,
        writable=writer.writable,
        shared_store=writer.store if str(db_path) == ":memory:" else None,
        refresh_analysis=writer.refresh_analysis,
    )
    cache = VersionedCache(lambda: (service.store_version(),))
    writer.on_change = cache.invalidate
    # A page rebuilt in a worker thread holds the GIL for up to the switch interval each time
    # the event loop wants it back, and cached pages are served from the loop: a short
    # interval keeps those waits (and the latency tail) small while a rebuild runs.
    sys.setswitchinterval(SWITCH_INTERVAL_S)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        service.close()
        writer.close()

    app = FastAPI(
        title="Marsad",
        version=__version__,
        description="Multi-source Arabic news intelligence: stories, outlets, search, ingest.",
        openapi_url="/api/v1/openapi.json",
        # The interactive docs pages load scripts from a CDN; the schema alone is served.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        max_body_size=max_body_bytes,
    )
    app.state.service = service
    app.state.writer = writer
    app.add_exception_handler(Exception, internal_error)
    app.include_router(api_router)
    app.include_router(alerts_router)
    app.include_router(web_router)
    app.include_router(desk_router)
    mount_static(app, STATIC_DIR)
    # Innermost: requests for a host we do not serve never reach (or fill) the cache.
    app.add_middleware(
        ResponseCacheMiddleware, cache=cache, version_of=partial(page_version, service, cache)
    )
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.add_middleware(SecurityHeadersMiddleware)
    return app
