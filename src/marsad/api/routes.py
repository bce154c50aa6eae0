"""JSON API under ``/api/v1``: the same view dicts the CLI prints with ``--json``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, HTTPException, Query, Request, status

from marsad import views
from marsad.api.schemas import ArticleIn, IngestRequest, IngestResponse
from marsad.api.security import token_matches
from marsad.api.service import get_service
from marsad.errors import StoreError
from marsad.ingest.readers import article_from_fields
from marsad.models import RawArticle, Skipped

router = APIRouter(prefix="/api/v1")

Limit = Annotated[int, Query(ge=1, le=200, description="page size")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="items skipped")]


def naive_utc(value: datetime | None) -> datetime | None:
    """The store keeps naive UTC times; convert aware inputs, keep naive ones as given."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


@router.get("/health", tags=["meta"])
def health(request: Request) -> dict[str, Any]:
    """Liveness plus store counts; ``writable`` says whether ingest is enabled."""
    service = get_service(request)
    store = service.reader()
    return {
        "schema": views.SCHEMA_VERSION,
        "status": "ok",
        "articles": store.count("articles"),
        "stories": store.count("stories"),
        "writable": service.writable,
    }


@router.get("/stories", tags=["stories"])
def list_stories(
    request: Request,
    limit: Limit = 50,
    offset: Offset = 0,
    since: Annotated[datetime | None, Query(description="active at or after (ISO 8601)")] = None,
    until: Annotated[datetime | None, Query(description="began at or before (ISO 8601)")] = None,
    outlet: Annotated[str | None, Query(max_length=200, description="covered by outlet")] = None,
    q: Annotated[str | None, Query(max_length=500, description="text in any article")] = None,
    breaking: Annotated[bool | None, Query(description="breaking or not")] = None,
    thread: Annotated[int | None, Query(ge=0, description="thread id")] = None,
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


@router.get("/stories/{story_id}", tags=["stories"])
def get_story(request: Request, story_id: int) -> dict[str, Any]:
    """One story: summary with outlet credits, articles with their copies, and every
    analysis the store holds for it (schema of ``marsad story ID --json``)."""
    view = get_service(request).story_page(story_id)
    if view is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no story #{story_id}")
    return view


@router.get("/articles/{article_id}", tags=["articles"])
def get_article(request: Request, article_id: int) -> dict[str, Any]:
    """One article with its cleaned body."""
    view = views.article_view(get_service(request).reader(), article_id)
    if view is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no article #{article_id}")
    return view


@router.get("/threads", tags=["stories"])
def list_threads(request: Request, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """Threads: stories of one evolving event chained across days."""
    return views.threads_view(get_service(request).reader(), limit=limit, offset=offset)


@router.get("/compare", tags=["stories"])
def compare(
    request: Request,
    story: int | None = None,
    thread: int | None = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="newest articles used")] = 500,
) -> dict[str, Any]:
    """Summary and outlet comparison over a story, a thread, or the newest articles."""
    if story is not None and thread is not None:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, "give story or thread, not both")
    view = views.comparison_view(
        get_service(request).reader(), story=story, thread=thread, limit=limit
    )
    if view is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no articles in that selection")
    return view


@router.get("/threads/{thread_id}", tags=["stories"])
def get_thread(
    request: Request, thread_id: int, limit: Limit = 50, offset: Offset = 0
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


@router.get("/outlets/{name}", tags=["outlets"])
def get_outlet(
    request: Request, name: str, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    """One outlet's figures and the stories it covered."""
    view = views.outlet_view(get_service(request).reader(), name, limit=limit, offset=offset)
    if view is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no outlet {name!r}")
    return view


@router.get("/search", tags=["search"])
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=500, description="words to find")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Spelling-variant aware search; ``snippet`` marks hits with [ ] and ``highlights``
    gives their spans (schema of ``marsad search --json``)."""
    try:
        return views.search_view(get_service(request).reader(), q, limit=limit, offset=offset)
    except StoreError as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(exc)) from None


@router.get("/entities", tags=["entities"])
def list_entities(request: Request, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """People, places and organisations the store holds (empty until extraction runs)."""
    return views.entities_view(get_service(request).reader(), limit=limit, offset=offset)


@router.get("/entities/{name}", tags=["entities"])
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
        401: {"description": "missing or wrong token"},
        403: {"description": "writing is disabled (no token configured)"},
        413: {"description": "request body too large"},
    },
)
def ingest_articles(
    request: Request,
    body: Annotated[IngestRequest | list[ArticleIn], Body()],
    authorization: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """Ingest articles (JSONL fields) through the pipeline; needs ``Authorization: Bearer``.

    The body is ``{"articles": [...]}`` or a bare list of articles.
    """
    service = get_service(request)
    require_token(service.token, authorization)
    items = body.articles if isinstance(body, IngestRequest) else body
    if not items:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "no articles given")
    records: list[RawArticle | Skipped] = [
        article_from_fields(item.fields(), origin=f"request:{n}")
        for n, item in enumerate(items, start=1)
    ]
    outcome = service.ingest(records)
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


def require_token(configured: str | None, authorization: str | None) -> None:
    """403 when writing is disabled, 401 when the bearer token is missing or wrong."""
    if configured is None:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "writing is disabled: start the server with --token or MARSAD_TOKEN set",
        )
    if not token_matches(configured, authorization):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "missing or wrong token; send 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
