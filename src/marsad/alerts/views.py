"""JSON-ready views of watchlists and their matches, shared by the CLI, the API and the web."""

from __future__ import annotations

from typing import Any

from marsad.alerts.watchlists import run
from marsad.store import Store
from marsad.store import watchlists as saved
from marsad.store.watchlists import Watchlist

SCHEMA_VERSION = 1
FEED_SIZE = 50  # matches a feed and a watchlist page show, newest first


def watchlist_brief(store: Store, watchlist: Watchlist) -> dict[str, Any]:
    """The fields of a watchlist shown in lists."""
    return {
        "id": watchlist.id,
        "name": watchlist.name,
        "kind": watchlist.kind,
        "query": watchlist.query,
        "created_at": watchlist.created_at.isoformat(),
        "last_run_at": None if watchlist.last_run_at is None else watchlist.last_run_at.isoformat(),
        "matches": saved.count_matches(store, watchlist.id),
        "feed": f"/api/v1/alerts/{watchlist.id}/feed.atom",
    }


def match_brief(row: dict[str, Any]) -> dict[str, Any]:
    """One matched article."""
    return {
        "id": int(row["article_id"]),
        "matched_at": row["matched_at"],
        "source": row["source"],
        "published": row["published"],
        "title": row["title"],
        "url": row["url"],
        "story_id": row["story_id"],
        "lead": row["lead"],
    }


def watchlists_view(store: Store) -> dict[str, Any]:
    """Every watchlist with its match count."""
    found = saved.list_watchlists(store)
    return {
        "schema": SCHEMA_VERSION,
        "total": len(found),
        "watchlists": [watchlist_brief(store, w) for w in found],
    }


def watchlist_view(
    store: Store, watchlist_id: int, *, limit: int = FEED_SIZE
) -> dict[str, Any] | None:
    """One watchlist and its latest matches (newest run first); None when absent."""
    watchlist = saved.get_watchlist(store, watchlist_id)
    if watchlist is None:
        return None
    return {
        "schema": SCHEMA_VERSION,
        **watchlist_brief(store, watchlist),
        "latest": [match_brief(r) for r in saved.matches(store, watchlist_id, limit=limit)],
    }


def run_view(store: Store, watchlist_ids: list[int] | None = None) -> dict[str, Any]:
    """Run watchlists; per watchlist, the articles that matched for the first time."""
    results = run(store, watchlist_ids)
    runs = []
    for result in results:
        new = set(result.new_article_ids)
        rows = saved.matches(store, result.watchlist.id, limit=max(len(new), 1))
        runs.append(
            {
                "watchlist": watchlist_brief(store, result.watchlist),
                "new": [match_brief(r) for r in rows if int(r["article_id"]) in new],
            }
        )
    return {"schema": SCHEMA_VERSION, "runs": runs}
