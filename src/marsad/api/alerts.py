"""Watchlist endpoints under ``/api/v1/alerts``: list, add, run, and an Atom feed each.

The paths mirror ``marsad alerts add|list|run``; each path answers one method, so a 405
names exactly the methods the schema documents. Saving and running a watchlist write to
the store, so they need the server's token like ingest; reading watchlists and their feeds
does not (a feed reader sends no token).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Path, Request, Response, status
from fastapi.security import HTTPAuthorizationCredentials

from marsad.alerts import views as alert_views
from marsad.alerts.atom import watchlist_feed
from marsad.alerts.watchlists import add
from marsad.api.routes import NOT_FOUND, bearer, require_token
from marsad.api.schemas import ErrorOut, WatchlistIn
from marsad.api.writer import get_writer
from marsad.service import MAX_ID, get_service
from marsad.store import Store

router = APIRouter(prefix="/api/v1/alerts", tags=["alerts"])
# Ids match digits only (``:int``), so ``/add`` never reaches the id routes: a GET of it is
# a 405 naming POST, not a 422 about a malformed id.
WatchlistId = Annotated[int, Path(ge=0, le=MAX_ID, description="watchlist id")]
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "missing or wrong token"},
    403: {"model": ErrorOut, "description": "writing is disabled (no token configured)"},
}
ATOM_TYPE = "application/atom+xml"


@router.get("")
def list_watchlists(request: Request) -> dict[str, Any]:
    """Every watchlist with its match count and feed path."""
    return alert_views.watchlists_view(get_service(request).reader())


@router.post(
    "/add",
    status_code=status.HTTP_201_CREATED,
    responses={400: {"model": ErrorOut, "description": "nothing to watch"}, **WRITE_ERRORS},
)
def add_watchlist(
    request: Request,
    body: Annotated[WatchlistIn, Body()],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> dict[str, Any]:
    """Save a watchlist (needs ``Authorization: Bearer``); its first run checks the whole store."""
    writer = get_writer(request)
    require_token(writer.token, credentials)

    def save(store: Store) -> dict[str, Any]:
        try:
            watchlist = add(store, kind=body.kind, query=body.query, name=body.name)
        except ValueError as exc:
            raise HTTPException(status.HTTP_400_BAD_REQUEST, str(exc)) from exc
        return alert_views.watchlist_brief(store, watchlist)

    return writer.write(save)


@router.get("/{watchlist_id:int}", responses=NOT_FOUND)
def get_watchlist(request: Request, watchlist_id: WatchlistId) -> dict[str, Any]:
    """One watchlist and its latest matches, newest run first."""
    view = alert_views.watchlist_view(get_service(request).reader(), watchlist_id)
    if view is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no watchlist #{watchlist_id}")
    return view


@router.post("/{watchlist_id:int}/run", responses={**WRITE_ERRORS, **NOT_FOUND})
def run_watchlist(
    request: Request,
    watchlist_id: WatchlistId,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> dict[str, Any]:
    """Check the articles stored since the last run; answers the new matches only."""
    writer = get_writer(request)
    require_token(writer.token, credentials)

    def run(store: Store) -> dict[str, Any]:
        try:
            return alert_views.run_view(store, [watchlist_id])
        except ValueError as exc:
            raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from exc

    return writer.write(run)


@router.get(
    "/{watchlist_id:int}/feed.atom",
    response_class=Response,
    responses={200: {"content": {ATOM_TYPE: {}}, "description": "Atom 1.0 feed"}, **NOT_FOUND},
)
def feed(request: Request, watchlist_id: WatchlistId) -> Response:
    """The watchlist's latest matches as an Atom 1.0 feed, for feed readers and mail tools."""
    document = watchlist_feed(
        get_service(request).reader(), watchlist_id, base_url=str(request.base_url)
    )
    if document is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no watchlist #{watchlist_id}")
    return Response(document, media_type=f"{ATOM_TYPE}; charset=utf-8")
