"""JSON API under ``/api/v1``: the same view dicts the CLI prints with ``--json``.

Every status a route answers is in the OpenAPI schema; client input never gets a 5xx. Ids
outside 0..2**63-1 (SQLite's integer range) cannot exist and are refused with 422 before
they reach the store; ids in range that the store lacks get 404.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Path, Query, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BeforeValidator

from marsad import views
from marsad.api.schemas import ArticleList, ErrorOut, IngestRequest, IngestResponse
from marsad.api.security import token_matches
from marsad.api.writer import get_writer
from marsad.errors import StoreError
from marsad.ingest.readers import article_from_fields
from marsad.models import RawArticle, Skipped
from marsad.service import MAX_ID, get_service

router = APIRouter(prefix="/api/v1")
# Declared as a security scheme so clients (and schema-driven tests) know the write needs it;
# answering 401 ourselves keeps one message for a missing, malformed or wrong token.
bearer = HTTPBearer(auto_error=False, description="the server's MARSAD_TOKEN")

Limit = Annotated[int, Query(ge=1, le=200, description="page size")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="items skipped")]
StoryId = Annotated[int, Path(ge=0, le=MAX_ID, description="story id")]
ArticleId = Annotated[int, Path(ge=0, le=MAX_ID, description="article id")]
ThreadId = Annotated[int, Path(ge=0, le=MAX_ID, description="thread id")]

NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorOut, "description": "not found"}}


def _iso_only(value: object) -> object:
    """Refuse what lax parsing would read as a Unix time (``0.5``): times are ISO 8601."""
    if isinstance(value, str) and not re.match(r"\s*\d{4}-\d\d-\d\d", value):
        raise ValueError("expected an ISO 8601 date or time, such as 2026-03-01T10:00:00+03:00")
    return value


Moment = Annotated[datetime, BeforeValidator(_iso_only)]


def naive_utc(value: datetime | None) -> datetime | None:
    """The store keeps naive UTC times; convert aware inputs, keep naive ones as given.

    A time within hours of the calendar's ends (``0001-01-01T00:00+05:00``) has no UTC
    equivalent: it clamps to the first or last representable moment, which a filter
    bound means anyway.
    """
    if value is None or value.tzinfo is None:
        return value
    offset = value.utcoffset() or timedelta(0)
    try:
        return value.replace(tzinfo=None) - offset
    except OverflowError:
        return datetime.min if offset > timedelta(0) else datetime.max


@router.get("/health", tags=["meta"])
def health(request: Request) -> dict[str, Any]:
    """Liveness plus store counts; ``writable`` says whether ingest is enabled.

    ``stories`` counts the stories every list shows (the river's and top's ``total``);
    ``threads`` the threads the threads list shows.
    """
    service = get_service(request)
    store = service.reader()
    return {
        "schema": views.SCHEMA_VERSION,
        "status": "ok",
        "articles": store.count("articles"),
        "stories": store.count_listed_stories(),
        "threads": store.thread_rows(limit=0, offset=0)[0],
        "writable": service.writable,
    }


@router.get("/stories", tags=["stories"])
def list_stories(
    request: Request,
    limit: Limit = 50,
    offset: Offset = 0,
    since: Annotated[Moment | None, Query(description="active at or after (ISO 8601)")] = None,
    until: Annotated[Moment | None, Query(description="began at or before (ISO 8601)")] = None,
    outlet: Annotated[str | None, Query(max_length=200, description="covered by outlet")] = None,
    q: Annotated[str | None, Query(max_length=500, description="text in any article")] = None,
    breaking: Annotated[bool | None, Query(description="breaking or not")] = None,
    thread: Annotated[int | None, Query(ge=0, le=MAX_ID, description="thread id")] = None,
    entity: Annotated[
        str | None, Query(max_length=200, description="mentions or quotes this entity")
    ] = None,
) -> dict[str, Any]:
    """Stories, most recently updated first (schema of ``marsad stories --json``)."""
    return views.find_stories_view(
        get_service(request).reader(),
        limit=limit,
        offset=offset,
        source=outlet,
        since=naive_utc(since),
        until=naive_utc(until),
        query=q,
        breaking=breaking,
        thread=thread,
        entity=entity,
    )


@router.get("/top", tags=["stories"])
def top_stories(
    request: Request,
    limit: Limit = 30,
    offset: Offset = 0,
    outlet: Annotated[str | None, Query(max_length=200, description="covered by outlet")] = None,
) -> dict[str, Any]:
    """Top stories: ranked by distinct outlets and articles, decayed by age (schema of
    ``marsad top --json``; each story carries its ``score``)."""
    return views.top_view(get_service(request).reader(), limit=limit, offset=offset, source=outlet)


@router.get("/stories/{story_id}", tags=["stories"], responses=NOT_FOUND)
def get_story(request: Request, story_id: StoryId) -> dict[str, Any]:
    """One story: summary with outlet credits, articles with their copies, and every
    analysis the store holds for it (schema of ``marsad story ID --json``)."""
    view = get_service(request).story_page(story_id)
    if view is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no story #{story_id}")
    if view.get("merged_from") == story_id:  # merged: its id moved for good
        new_url = str(request.url_for("get_story", story_id=view["id"]))
        raise HTTPException(status.HTTP_308_PERMANENT_REDIRECT, headers={"Location": new_url})
    return view


@router.get("/articles/{article_id}", tags=["articles"], responses=NOT_FOUND)
def get_article(request: Request, article_id: ArticleId) -> dict[str, Any]:
    """One article with its cleaned body."""
    view = views.article_view(get_service(request).reader(), article_id)
    if view is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no article #{article_id}")
    return view


@router.get("/threads", tags=["stories"])
def list_threads(request: Request, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """Threads: stories of one evolving event chained across days."""
    return views.threads_view(get_service(request).reader(), limit=limit, offset=offset)


@router.get("/compare", tags=["stories"], responses=NOT_FOUND)
def compare(
    request: Request,
    story: Annotated[int | None, Query(ge=0, le=MAX_ID, description="story id")] = None,
    thread: Annotated[int | None, Query(ge=0, le=MAX_ID, description="thread id")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="newest articles used")] = 500,
) -> dict[str, Any]:
    """Summary and outlet comparison over a story, a thread, or the newest articles.

    Given both, ``thread`` narrows like any filter: the story, if it belongs to that thread.
    """
    reader = get_service(request).reader()
    if story is not None and thread is not None:
        found = reader.story(story)
        if found is None or found.thread_id != thread:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no story #{story} in thread #{thread}")
        thread = None
    view = views.comparison_view(reader, story=story, thread=thread, limit=limit)
    if view is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no articles in that selection")
    return view


@router.get("/threads/{thread_id}", tags=["stories"], responses=NOT_FOUND)
def get_thread(
    request: Request, thread_id: ThreadId, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    """The stories of one thread, newest first."""
    view = views.find_stories_view(
        get_service(request).reader(), limit=limit, offset=offset, thread=thread_id
    )
    if view["total"] == 0:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no thread #{thread_id}")
    return {**view, "thread_id": thread_id}


@router.get("/outlets", tags=["outlets"])
def list_outlets(request: Request) -> dict[str, Any]:
    """Every outlet: articles, copies of others' articles, stories covered."""
    return views.outlets_view(get_service(request).reader())


@router.get("/sources", tags=["outlets"])
def list_sources(request: Request) -> dict[str, Any]:
    """Watched sources: last success, last error, articles today, lag (empty if not watching)."""
    return views.sources_view(get_service(request).reader())


@router.get("/outlets/{name}", tags=["outlets"], responses=NOT_FOUND)
def get_outlet(
    request: Request, name: str, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    """One outlet's figures and the stories it covered."""
    view = views.outlet_view(get_service(request).reader(), name, limit=limit, offset=offset)
    if view is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no outlet {name!r}")
    return view


@router.get(
    "/search",
    tags=["search"],
    responses={400: {"model": ErrorOut, "description": "a query the index cannot run"}},
)
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=500, description="words to find")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Offset = 0,
    since: Annotated[date | None, Query(description="first publication day")] = None,
    until: Annotated[date | None, Query(description="last publication day")] = None,
    outlet: Annotated[str | None, Query(max_length=200, description="one outlet")] = None,
    story: Annotated[int | None, Query(ge=1, le=MAX_ID, description="one story")] = None,
) -> dict[str, Any]:
    """Spelling-variant aware search; ``snippet`` marks hits with [ ] and ``highlights``
    gives their spans; ``total`` counts all matching articles, ``hits`` collapses wire
    copies into ``copies`` and ``groups`` orders them by story (schema of ``marsad search
    --json``)."""
    try:
        return views.search_view(
            get_service(request).reader(),
            q,
            limit=limit,
            offset=offset,
            since=since,
            until=until,
            source=outlet or None,
            story=story,
        )
    except StoreError as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(exc)) from None


@router.get("/entities", tags=["entities"])
def list_entities(request: Request, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """People, places and organisations the store holds (empty until extraction runs)."""
    return views.entities_view(get_service(request).reader(), limit=limit, offset=offset)


@router.get("/entities/{name}", tags=["entities"], responses=NOT_FOUND)
def get_entity(request: Request, name: str, limit: Limit = 50) -> dict[str, Any]:
    """One entity across the store, whatever the spelling: variants, stories, statements."""
    view = views.entity_view(get_service(request).reader(), name, limit=limit)
    if view is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no entity {name!r}")
    return view


@router.post(
    "/articles",
    tags=["articles"],
    response_model=IngestResponse,
    responses={
        400: {"model": ErrorOut, "description": "the body is not JSON"},
        401: {"model": ErrorOut, "description": "missing or wrong token"},
        403: {"model": ErrorOut, "description": "writing is disabled (no token configured)"},
        413: {"model": ErrorOut, "description": "request body too large"},
    },
)
def ingest_articles(
    request: Request,
    body: Annotated[IngestRequest | ArticleList, Body()],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> dict[str, Any]:
    """Ingest articles (JSONL fields) through the pipeline; needs ``Authorization: Bearer``.

    The body is ``{"articles": [...]}`` or a bare list of articles (1 to 5000 either way).
    """
    writer = get_writer(request)
    require_token(writer.token, credentials)
    items = body.articles if isinstance(body, IngestRequest) else body
    records: list[RawArticle | Skipped] = [
        article_from_fields(item.fields(), origin=f"request:{n}")
        for n, item in enumerate(items, start=1)
    ]
    outcome = writer.ingest(records)
    report = outcome.report
    return {
        "schema": views.SCHEMA_VERSION,
        "read": report.read,
        "ingested": report.ingested,
        "duplicates": report.duplicates,
        "already_stored": report.already_stored,
        "updated": report.updated,
        "new_stories": report.new_stories,
        "stories_summarized": report.stories_summarized,
        "skipped": [{"origin": s.origin, "reason": s.reason} for s in report.skipped],
        "seconds": round(outcome.seconds, 3),
    }


def require_token(configured: str | None, credentials: HTTPAuthorizationCredentials | None) -> None:
    """403 when writing is disabled, 401 when the bearer token is missing or wrong."""
    if configured is None:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "writing is disabled: start the server with --token or MARSAD_TOKEN set",
        )
    if credentials is None or not token_matches(configured, credentials.credentials):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "missing or wrong token; send 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
