"""HTML pages: story river, story, article, outlets, threads, entities, search, ingest.

Pages call the same view functions as the JSON API and render them with Jinja2, whose
autoescaping (plus :func:`~marsad.web.render.strip_bidi` on every printed value) keeps
untrusted article text inert.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader

from marsad import views
from marsad.errors import StoreError
from marsad.profiles import outlet_name
from marsad.service import MAX_ID, get_service
from marsad.text.arabic import strip_section_prefix
from marsad.text.counting import count_phrase, noun_forms
from marsad.web import charts
from marsad.web.render import safe_url, snippet_html, strip_bidi, when

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
PAGE_SIZE = 30
SEARCH_PAGE_SIZE = 20
RIVER_TABS = {"top": "الأهم", "newest": "الأحدث", "breaking": "عاجل"}
ENTITY_LABELS = {"PERS": "شخص", "ORG": "مؤسسة", "LOC": "مكان", "MISC": "أخرى"}

router = APIRouter(include_in_schema=False)

templates = Environment(
    loader=FileSystemLoader(WEB_DIR / "templates"),
    autoescape=True,
    finalize=strip_bidi,
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.filters["when"] = when
templates.filters["outlet_name"] = outlet_name
templates.filters["count"] = count_phrase  # {{ n|count("article") }}: 12 مقالاً
templates.filters["headline"] = strip_section_prefix  # "عام / ..." -> "..."
templates.globals.update(snippet_html=snippet_html, safe_url=safe_url)


def mount_static(app: FastAPI, directory: Path) -> None:
    """Serve the CSS and JS files under ``/static``."""
    app.mount("/static", StaticFiles(directory=directory), name="static")


def render(template: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a template into an HTML response."""
    context.setdefault("q", "")
    context.setdefault("section", "")
    html = templates.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status_code)


def not_found(what: str) -> HTMLResponse:
    """The 404 page."""
    return render("not_found.html", status_code=404, what=what)


Page = Annotated[int, Query(ge=1, le=10_000)]


@router.get("/", response_class=HTMLResponse)
def river(
    request: Request,
    tab: Annotated[str, Query(pattern="^(top|newest|breaking)$")] = "top",
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    page: Page = 1,
) -> HTMLResponse:
    """The landing page: top stories (default), or the river of newest or breaking ones,
    optionally of one outlet. Every tab lists the same stories (see ``LISTED_STORY``)."""
    store = get_service(request).reader()
    if tab == "top":
        view = views.top_view(
            store, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, source=outlet or None
        )
    else:
        view = views.find_stories_view(
            store,
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
            source=outlet or None,
            breaking=True if tab == "breaking" else None,
        )
    outlets = views.outlet_menu(store)
    return render(
        "river.html",
        section="river",
        view=view,
        tab=tab,
        tabs=RIVER_TABS,
        outlet=outlet or "",
        outlets=outlets,
        page=page,
        pages=_pages(view["total"], PAGE_SIZE),
    )


@router.get("/story/{story_id}", response_class=HTMLResponse)
def story(request: Request, story_id: int) -> HTMLResponse:
    """One story with every part of its analysis the store holds."""
    # An id past SQLite's integers cannot exist (and would overflow the query).
    view = get_service(request).story_page(story_id) if 0 <= story_id <= MAX_ID else None
    if view is None:
        return not_found(f"القصة رقم {story_id}")
    if view.get("merged_from") == story_id:  # merged into another story: go there
        new_url = str(request.url_for("story", story_id=view["id"]))
        return HTMLResponse(status_code=301, headers={"Location": new_url})
    analysis = view.get("analysis") or {}
    return render(
        "story.html",
        section="river",
        story=view,
        analysis=view.get("analysis"),
        coverage=charts.coverage(view),
        comparison=charts.outlet_comparison(view),
        quotes=charts.quote_table(analysis.get("claims")),
        framing=charts.framing_tables(analysis.get("framing")),
        extra_sections=_extra_sections(view),
        labels=ENTITY_LABELS,
        stances=charts.STANCE_LABELS,
        timeline_date=charts.timeline_date,
        marked=charts.marked,
        relative_offsets=charts.relative_offsets,
        number_text=charts.number_text,
    )


# Story fields rendered by dedicated blocks; anything else a later stage adds is shown
# generically so new analyses appear without a template change.
_KNOWN_STORY_FIELDS = frozenset(
    {
        "schema", "id", "title", "first_seen", "last_seen", "n_articles", "sources",
        "thread_id", "breaking", "burst", "summary", "articles", "duplicate_copies",
        "timeline", "statements", "entities", "passages", "related", "analysis",
        "source_names", "outlet_profiles",  # shown through the outlet_name filter
        "disagreements",
    }
)  # fmt: skip


def _extra_sections(view: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in view.items() if k not in _KNOWN_STORY_FIELDS and v}


@router.get("/article/{article_id}", response_class=HTMLResponse)
def article(request: Request, article_id: int) -> HTMLResponse:
    """One article's cleaned text."""
    in_range = 0 <= article_id <= MAX_ID
    view = views.article_view(get_service(request).reader(), article_id) if in_range else None
    if view is None:
        return not_found(f"المقال رقم {article_id}")
    paragraphs = [p for p in view["body"].split("\n") if p.strip()]
    return render("article.html", section="river", article=view, paragraphs=paragraphs)


@router.get("/outlets", response_class=HTMLResponse)
def outlets(request: Request) -> HTMLResponse:
    """All outlets with their output."""
    reader = get_service(request).reader()
    view = views.outlets_view(reader)
    top = max((o["articles"] for o in view["outlets"]), default=1)
    watched = views.sources_view(reader)["sources"]
    return render(
        "outlets.html", section="outlets", outlets=view["outlets"], top=top, watched=watched
    )


@router.get("/outlet/{name}", response_class=HTMLResponse)
def outlet(request: Request, name: str, page: Page = 1) -> HTMLResponse:
    """One outlet and the stories it covered."""
    view = views.outlet_view(
        get_service(request).reader(), name, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    if view is None:
        return not_found(f"المنفذ «{name}»")
    return render(
        "outlet.html",
        section="outlets",
        view=view,
        page=page,
        pages=_pages(view["total"], PAGE_SIZE),
    )


@router.get("/threads", response_class=HTMLResponse)
def threads(request: Request, page: Page = 1) -> HTMLResponse:
    """Threads of stories that follow one event across days."""
    view = views.threads_view(
        get_service(request).reader(), limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    return render(
        "threads.html",
        section="threads",
        view=view,
        page=page,
        pages=_pages(view["total"], PAGE_SIZE),
    )


@router.get("/entities", response_class=HTMLResponse)
def entities(request: Request, page: Page = 1) -> HTMLResponse:
    """Entities the store holds (a placeholder until extraction fills it)."""
    view = views.entities_view(
        get_service(request).reader(), limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    return render(
        "entities.html", section="entities", view=view, page=page,
        pages=_pages(view["total"], PAGE_SIZE), labels=ENTITY_LABELS,
    )  # fmt: skip


@router.get("/entity/{name}", response_class=HTMLResponse)
def entity(request: Request, name: str) -> HTMLResponse:
    """One entity across outlets; without extraction data, the stories that mention it."""
    store = get_service(request).reader()
    entity_data = views.entity_view(store, name, limit=PAGE_SIZE)
    mentioned = (
        None
        if entity_data is not None
        else views.find_stories_view(store, limit=PAGE_SIZE, query=name)
    )
    return render(
        "entity.html", section="entities", name=name, entity=entity_data, mentioned=mentioned,
        labels=ENTITY_LABELS,
    )  # fmt: skip


@router.get("/search", response_class=HTMLResponse)
def search(
    request: Request,
    q: Annotated[str, Query(max_length=500)] = "",
    page: Page = 1,
    since: Annotated[str, Query(max_length=10)] = "",
    until: Annotated[str, Query(max_length=10)] = "",
    outlet: Annotated[str, Query(max_length=200)] = "",
    story: Annotated[str, Query(max_length=20)] = "",
) -> HTMLResponse:
    """Search with snippets, grouped by story, copies collapsed; filters by day, outlet, story.

    Filter fields left empty or not understood are ignored (and said so), never an error page.
    """
    view: dict[str, Any] | None = None
    error = ""
    first, last, story_id = _day_or_none(since), _day_or_none(until), _id_or_none(story)
    ignored = [
        label
        for label, raw, parsed in (
            ("من", since, first),
            ("إلى", until, last),
            ("القصة", story, story_id),
        )
        if raw.strip() and parsed is None
    ]
    if q.strip():
        try:
            view = views.search_view(
                get_service(request).reader(),
                q,
                limit=SEARCH_PAGE_SIZE,
                offset=(page - 1) * SEARCH_PAGE_SIZE,
                since=first,
                until=last,
                source=outlet.strip() or None,
                story=story_id,
            )
        except StoreError:
            error = "تعذّر فهم عبارة البحث؛ جرّب كلمات أبسط."
    hits = {h["article_id"]: h for h in view["hits"]} if view else {}
    groups = [
        {**g, "hits": [hits[a] for a in g["article_ids"] if a in hits]}
        for g in (view["groups"] if view else [])
    ]
    shown = (page - 1) * SEARCH_PAGE_SIZE + len(hits)
    has_next = view is not None and len(hits) == SEARCH_PAGE_SIZE and shown < view["total"]
    filters = {"since": since, "until": until, "outlet": outlet, "story": story}
    return render(
        "search.html", section="search", q=q, groups=groups, searched=view is not None,
        total=view["total"] if view else 0, error=error, page=page, has_next=has_next,
        filters=filters, ignored=ignored,
        query_string=urlencode({"q": q, **{k: v for k, v in filters.items() if v}}),
    )  # fmt: skip


def _day_or_none(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None


def _id_or_none(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() and 0 < int(value) <= MAX_ID else None


@router.get("/ingest", response_class=HTMLResponse)
def ingest(request: Request) -> HTMLResponse:
    """A form that posts articles to the ingest API (needs the server's token)."""
    # The form's script counts in the browser with the same noun forms (countPhrase in marsad.js).
    counted = {noun: noun_forms(noun) for noun in ("article", "story", "duplicate_copy")}
    return render(
        "ingest.html",
        section="ingest",
        writable=get_service(request).writable,
        counted_nouns=json.dumps(counted, ensure_ascii=False),
    )


def _pages(total: int, size: int) -> int:
    return max(1, -(-total // size))


# -- API documentation, bundled: FastAPI's Swagger/ReDoc pages load their scripts from a CDN,
# which this app never contacts; the schema is rendered here instead.


@router.get("/openapi.json")
def openapi_schema(request: Request) -> JSONResponse:
    """The OpenAPI schema, also at the conventional root path (same as /api/v1/openapi.json)."""
    return JSONResponse(request.app.openapi())


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The JSON API's endpoints, parameters and responses, read from its OpenAPI schema."""
    schema = request.app.openapi()
    return render(
        "api_docs.html",
        section="docs",
        info=schema.get("info", {}),
        endpoints=api_endpoints(schema),
    )


HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def api_endpoints(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """One entry per (path, method) of an OpenAPI schema, in schema order."""
    endpoints = []
    for path, operations in schema.get("paths", {}).items():
        for method in HTTP_METHODS:
            operation = operations.get(method)
            if not isinstance(operation, dict):
                continue
            parameters = [
                {
                    "name": p.get("name", ""),
                    "where": p.get("in", ""),
                    "required": bool(p.get("required")),
                    "type": _schema_type(p.get("schema") or {}),
                    "description": p.get("description") or "",
                }
                for p in operation.get("parameters", [])
                if isinstance(p, dict)
            ]
            endpoints.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "id": f"{method}-{path}".replace("/", "-").strip("-"),
                    "summary": operation.get("summary") or "",
                    "description": operation.get("description") or "",
                    "parameters": parameters,
                    "body": "requestBody" in operation,
                    "responses": sorted(operation.get("responses", {})),
                }
            )
    return endpoints


def _schema_type(schema: dict[str, Any]) -> str:
    if "type" in schema:
        return str(schema["type"])
    options = schema.get("anyOf") or schema.get("oneOf") or []
    return " | ".join(str(o.get("type", "?")) for o in options if isinstance(o, dict))
