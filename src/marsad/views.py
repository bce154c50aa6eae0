"""JSON-ready views of stored data, shared by the CLI's ``--json`` and the HTTP API.

Each function returns plain dicts and lists (the public schema); renderers format them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from marsad.search.fts import search
from marsad.store.sqlite import Store, StoredArticle, StoredStory

SCHEMA_VERSION = 1


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def story_brief(story: StoredStory) -> dict[str, Any]:
    """The fields of a story shown in lists."""
    return {
        "id": story.id,
        "title": story.title,
        "first_seen": _time(story.first_seen),
        "last_seen": _time(story.last_seen),
        "n_articles": story.n_articles,
        "sources": story.sources,
        "thread_id": story.thread_id,
        "breaking": story.breaking,
        "burst": round(story.burst, 2),
    }


def stories_view(
    store: Store, *, limit: int = 50, offset: int = 0, source: str | None = None
) -> dict[str, Any]:
    """A page of stories, most recently updated first."""
    stories = store.stories(limit=limit, offset=offset, source=source)
    return {
        "schema": SCHEMA_VERSION,
        "total": store.count("stories"),
        "limit": limit,
        "offset": offset,
        "stories": [story_brief(s) for s in stories],
    }


def article_brief(article: StoredArticle) -> dict[str, Any]:
    """The fields of an article shown inside a story."""
    return {
        "id": article.id,
        "ext_id": article.ext_id,
        "source": article.source,
        "published": _time(article.published),
        "title": article.title,
        "url": article.url,
    }


def story_view(store: Store, story_id: int) -> dict[str, Any] | None:
    """A story with its summary and articles; copies are grouped under their original."""
    story = store.story(story_id)
    if story is None:
        return None
    members = store.story_articles(story_id)
    copies: dict[int, list[StoredArticle]] = defaultdict(list)
    for article in members:
        if article.duplicate_of is not None:
            copies[article.duplicate_of].append(article)
    articles = []
    for article in members:
        if article.duplicate_of is not None:
            continue
        entry = article_brief(article)
        entry["copies"] = [article_brief(c) for c in copies.get(article.id, [])]
        entry["carried_by"] = sorted(
            {article.source, *(c.source for c in copies.get(article.id, []))}
        )
        articles.append(entry)
    # A copy whose original sits in another story still belongs here.
    shown = {a["id"] for a in articles} | {c["id"] for a in articles for c in a["copies"]}
    for article in members:
        if article.id not in shown:
            entry = article_brief(article)
            entry["copies"] = []
            entry["carried_by"] = [article.source]
            articles.append(entry)
    view = story_brief(story)
    view["schema"] = SCHEMA_VERSION
    view["summary"] = story.summary or {"headline": story.title, "sentences": []}
    view["articles"] = articles
    view["duplicate_copies"] = sum(len(a["copies"]) for a in articles)
    return view


def search_view(store: Store, query: str, *, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """Search results with snippets in the original spelling."""
    hits = search(store, query, limit=limit, offset=offset)
    return {
        "schema": SCHEMA_VERSION,
        "query": query,
        "limit": limit,
        "offset": offset,
        "hits": [
            {
                "article_id": h.article_id,
                "story_id": h.story_id,
                "source": h.source,
                "published": h.published,
                "title": h.title,
                "snippet": h.snippet,
                "highlights": [list(span) for span in h.highlights],
                "rank": round(h.rank, 4),
            }
            for h in hits
        ],
    }
