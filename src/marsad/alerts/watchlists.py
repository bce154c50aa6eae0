"""Run watchlists: find the articles stored since a watchlist's last run that match it.

A watchlist is a saved search (any spelling variant, as ``marsad search``), an entity (any
spelling of its name, as mentioned or quoted) or an outlet. Each run checks only the
articles stored after the previous run (the store keeps the highest id checked), so an
article is a new match once and only once; matches are kept for the watchlist's feed.
Wire copies of an article already matched (exact duplicates) are skipped for searches and
entities; an outlet watch lists every article of the outlet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from marsad.extract.aliases import canonical_name, name_key
from marsad.extract.article import entity_key
from marsad.search.fts import build_query
from marsad.store import Store
from marsad.store import watchlists as saved
from marsad.store.watchlists import Watchlist

ENTITY_LABELS = ("PERS", "ORG", "LOC", "MISC")  # an entity watch matches its name as any type


@dataclass(frozen=True, slots=True)
class RunResult:
    """One watchlist's run: the article ids that matched for the first time."""

    watchlist: Watchlist
    new_article_ids: tuple[int, ...]


def utc_now() -> datetime:
    """The store's clock: naive UTC, to the second."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def add(store: Store, *, kind: str, query: str, name: str | None = None) -> Watchlist:
    """Save a watchlist. Raises ValueError on an unknown kind or an empty query.

    A search without a searchable word (punctuation only) is kept: it matches nothing.
    """
    query = " ".join(query.split())
    if not query:
        raise ValueError("a watchlist needs a query: words to search, an entity or an outlet")
    return saved.add_watchlist(store, name=name or query, kind=kind, query=query, now=utc_now())


def matching_articles(store: Store, watchlist: Watchlist, through: int) -> list[int]:
    """Ids of articles after the watchlist's cursor, up to ``through``, that it matches."""
    after = watchlist.checked_through
    if watchlist.kind == "outlet":
        return saved.outlet_articles(store, watchlist.query, after, through)
    if watchlist.kind == "search":
        expression, _stems = build_query(watchlist.query)
        return saved.search_articles(store, expression, after, through) if expression else []
    name = canonical_name(watchlist.query)
    if not name_key(name):
        return []
    mention_keys = [entity_key(label, name) for label in ENTITY_LABELS]
    return saved.entity_articles(store, mention_keys, name_key(name), after, through)


def run(store: Store, watchlist_ids: list[int] | None = None) -> list[RunResult]:
    """Run watchlists (all, or these ids) over the articles stored since their last run."""
    through = store.max_article_id()  # a snapshot: articles stored meanwhile wait for the next run
    chosen = saved.list_watchlists(store)
    if watchlist_ids is not None:
        wanted = set(watchlist_ids)
        missing = wanted - {w.id for w in chosen}
        if missing:
            raise ValueError(f"no watchlist {', '.join(f'#{i}' for i in sorted(missing))}")
        chosen = [w for w in chosen if w.id in wanted]
    now = utc_now()
    results = []
    for watchlist in chosen:
        found = matching_articles(store, watchlist, through)
        new = saved.record_run(store, watchlist.id, found, through=through, now=now)
        refreshed = saved.get_watchlist(store, watchlist.id) or watchlist
        results.append(RunResult(refreshed, tuple(new)))
    return results
