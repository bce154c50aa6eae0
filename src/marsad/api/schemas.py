"""Request bodies of the write endpoints (read endpoints return the views' plain dicts)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

MAX_ARTICLES = 5000  # per request


class ArticleIn(BaseModel):
    """One article, with the same fields as a JSONL input line; unknown fields are kept."""

    model_config = ConfigDict(extra="allow")

    # Strict: a boolean or a float is not an id (lax parsing would take false as 0).
    id: StrictStr | StrictInt | None = Field(default=None, description="the input's own id")
    source: str | None = Field(default=None, description="outlet name")
    date: str | None = Field(default=None, description="publication time, ISO 8601 or similar")
    title: str | None = None
    text: str = Field(description="article body")
    url: str | None = None

    def fields(self) -> dict[str, Any]:
        """The record as a JSONL reader would see it."""
        return self.model_dump(exclude_none=True)


class IngestRequest(BaseModel):
    """A batch of articles to ingest."""

    articles: list[ArticleIn] = Field(min_length=1, max_length=MAX_ARTICLES)


#: The bare-list form of the body, bounded like ``IngestRequest.articles``.
ArticleList = Annotated[list[ArticleIn], Field(min_length=1, max_length=MAX_ARTICLES)]


class ErrorOut(BaseModel):
    """An error answer: what went wrong, in one line."""

    detail: str


class SkippedOut(BaseModel):
    """An article that was not stored, and why."""

    origin: str
    reason: str


class IngestResponse(BaseModel):
    """What an ingest request did (the fields of the pipeline's report)."""

    schema_: int = Field(alias="schema")
    read: int
    ingested: int
    duplicates: int
    already_stored: int
    updated: int
    new_stories: int
    stories_summarized: int
    skipped: list[SkippedOut]
    seconds: float


class WatchlistIn(BaseModel):
    """A watchlist to save: a search, an entity's name, or an outlet."""

    query: str = Field(
        min_length=1, max_length=500, pattern=r"\S", description="words, a name or an outlet"
    )
    kind: Literal["search", "entity", "outlet"] = "search"
    name: str | None = Field(default=None, max_length=200, description="label (default: query)")
