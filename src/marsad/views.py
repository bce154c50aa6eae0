"""JSON-ready views of stored data, shared by the CLI's ``--json`` and the HTTP API.

Each function returns plain dicts and lists (the public schema); renderers format them.
Views only read: they call the store's named queries and never write, not even a story
analysis they had to build (the refresher keeps analyses, see :mod:`marsad.refresh`).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields, replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from marsad.cluster.signals import TOP_HALF_LIFE_HOURS, top_score
from marsad.profiles import profiles, profiles_json
from marsad.search.fts import Hit, SearchFilters, build_query, search_page
from marsad.search.related import related_stories
from marsad.store import Store, StoredArticle, StoredStory
from marsad.text import arabic

if TYPE_CHECKING:
    from marsad.compare.analyze import StoryArticle
    from marsad.compare.facts import Extracted

SCHEMA_VERSION = 1
_T = TypeVar("_T")


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
        "n_passages": story.n_passages,
        "sources": story.sources,
        "source_names": [profiles().name(s) for s in story.sources],
        "thread_id": story.thread_id,
        "breaking": story.breaking,
        "burst": round(story.burst, 2),
    }


def stories_view(
    store: Store, *, limit: int = 50, offset: int = 0, source: str | None = None
) -> dict[str, Any]:
    """A page of stories, most recently updated first; ``total`` counts every match."""
    return find_stories_view(store, limit=limit, offset=offset, source=source)


def top_view(
    store: Store, *, limit: int = 30, offset: int = 0, source: str | None = None
) -> dict[str, Any]:
    """Top stories: every listed story ranked by :func:`~marsad.cluster.signals.top_score`.

    Ages are counted from the store's newest story, not the wall clock, so a store of
    past days ranks the same way whenever it is read (a live store's newest story is
    minutes old). ``total`` counts the ranked stories: the same stories as the river.
    """
    rows = [
        (story_id, articles, outlets, datetime.fromisoformat(seen))
        for story_id, articles, outlets, seen in store.story_rank_rows(source=source)
    ]
    reference = max((seen for *_, seen in rows), default=None)
    scored = sorted(
        (
            (
                top_score(
                    outlets=outlets,
                    articles=articles,
                    age_hours=(reference - seen).total_seconds() / 3600 if reference else 0.0,
                ),
                seen,
                story_id,
            )
            for story_id, articles, outlets, seen in rows
        ),
        key=lambda item: item[2],
    )
    # Best first; among equal scores the newer, then (stable sort) the older id.
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    page = scored[offset : offset + limit]
    _, stories = store.find_stories(limit=len(page) or 1, ids=[i for *_, i in page])
    by_id = {s.id: s for s in stories}
    return {
        "schema": SCHEMA_VERSION,
        "total": len(scored),
        "limit": limit,
        "offset": offset,
        "reference": _time(reference),
        "half_life_hours": TOP_HALF_LIFE_HOURS,
        "stories": [
            {**story_brief(by_id[i]), "score": round(score, 3)}
            for score, _, i in page
            if i in by_id
        ],
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
        "outlet_name": profiles().name(article.source),
        "agency": article.agency,
        "time_kind": article.time_kind,
    }


#: Asks the refresher (a writer) to build and keep a story's analysis later: the server's
#: background worker. Readers never store one themselves.
RefreshAnalysis = Callable[[int], None]


def story_view(
    store: Store, story_id: int, *, refresh_analysis: RefreshAnalysis | None = None
) -> dict[str, Any] | None:
    """A story with its summary and articles; copies are grouped under their original.

    The story's analysis is the stored one when it is current. Otherwise it is built in
    memory for this view only; with ``refresh_analysis`` (the server) an outdated stored
    one is shown as it is (marked ``stale``) while the refresher rebuilds it, and a story
    without one asks the refresher to keep the one built here.
    """
    story = store.story(story_id)
    merged_from = None
    if story is None:
        # A story merged into another lives on under that one's id (store/redirects.py).
        into = store.story_redirect(story_id)
        story = None if into is None else store.story(into)
        if story is None:
            return None
        merged_from, story_id = story_id, story.id
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
    if merged_from is not None:
        view["merged_from"] = merged_from  # the id asked for, merged into this story
    view["summary"] = story.summary or {"headline": story.title, "sentences": []}
    view["articles"] = articles
    view["duplicate_copies"] = sum(len(a["copies"]) for a in articles)
    view["passages"] = [
        {
            "article_id": p["article_id"],
            "outlet": p["source"],
            "published": p["published"],
            "article_title": p["title"],
            "article_story": p["article_story"],
            "paragraphs": [p["first_paragraph"], p["last_paragraph"]],
            "sentences": passage_sentences(store, p),
            "start": p["start"],
            "end": p["end"],
            "text": p["text"],
        }
        for p in store.story_passages(story_id)
    ]
    view["related"] = [
        {
            "story_id": r.story_id,
            "story_title": r.story_title,
            "article_id": r.article_id,
            "outlet": r.source,
            "published": r.published,
            "article_title": r.title,
            "paragraphs": list(r.paragraphs) if r.paragraphs else None,
            "shared": list(r.shared),
            "score": r.score,
        }
        for r in related_stories(store, story_id)
    ]
    view["analysis"] = story_analysis(store, story, members, refresh=refresh_analysis)
    # Sources that disagree inside one story, even one outlet's own article (a president's
    # "more than 90%" against his ministry's "about 92%"), are shown with the story itself.
    found = (view["analysis"] or {}).get("disagreements") or {}
    view["disagreements"] = {
        "numbers": found.get("numbers") or [],
        "statements": found.get("statements") or [],
    }
    view["entities"] = story_entities(store, story_id)
    view["statements"] = store.statements(story_id=story_id, limit=100)
    view["outlet_profiles"] = profiles_json(
        [*story.sources, *(view["analysis"] or {}).get("coverage", {}).get("missing", [])]
    )
    return view


def passage_sentences(store: Store, passage: Mapping[str, Any]) -> list[int] | None:
    """First and last sentence (1-based, within its paragraph) of a passage that lies in
    one paragraph: many sites publish a whole roundup as a single paragraph."""
    if passage["first_paragraph"] != passage["last_paragraph"]:
        return None
    article = store.article(int(passage["article_id"]))
    if article is None:
        return None
    body, start, end = article.body, int(passage["start"]), int(passage["end"])
    head = body.rfind("\n", 0, start) + 1
    tail = body.find("\n", end)
    spans = arabic.sentence_spans(body[head : len(body) if tail < 0 else tail])
    first = 1 + sum(1 for _, stop in spans if head + stop <= start)
    last = sum(1 for begin, _ in spans if head + begin < end)
    return [first, max(first, last)]


MIN_OUTLETS_TO_COMPARE = 2  # outlet comparison sections need at least two outlets
#: An outlet "did not cover" a story only if it published something this close to the
#: story's span: an outlet silent for months says nothing about this story.
COVERAGE_WINDOW = timedelta(days=1)
#: A busy story's comparison is rebuilt in the background at most this often; in between
#: its page shows the last one, marked stale (a big story's rebuild costs up to a second).
ANALYSIS_REFRESH_SECONDS = 60.0


def story_analysis(
    store: Store,
    story: StoredStory,
    members: list[StoredArticle],
    *,
    refresh: RefreshAnalysis | None = None,
) -> dict[str, Any] | None:
    """The story's outlet comparison, disagreements and timeline: the stored one, else one
    built in memory for this view (never stored here).

    Every story with an article gets one: disagreements between sources and the timeline
    matter for one outlet too; renderers show the comparison sections only from
    :data:`MIN_OUTLETS_TO_COMPARE` outlets. A stored analysis records the articles it was
    built from (``basis``); once the story has more, it is built again now, or, with
    ``refresh``, shown ``stale`` while the refresher rebuilds it (at most every
    :data:`ANALYSIS_REFRESH_SECONDS`).
    """
    if not members:
        return None
    from marsad.compare.analyze import ANALYSIS_VERSION

    cached = store.story_analysis(story.id)
    if cached is not None and cached.get("version") != ANALYSIS_VERSION:
        cached = None  # built by older rules: rebuild now
    if cached is not None:
        if cached.get("basis") == analysis_basis(members):
            return cached
        if refresh is not None:
            if _age_seconds(cached.get("built_at")) >= ANALYSIS_REFRESH_SECONDS:
                refresh(story.id)
            return {**cached, "stale": True}
    elif refresh is not None:
        refresh(story.id)  # none stored yet: the refresher keeps one for the next views
    return build_analysis(store, story, members)


def _age_seconds(stamp: Any) -> float:
    try:
        return (datetime.now(UTC) - datetime.fromisoformat(str(stamp))).total_seconds()
    except ValueError:
        return math.inf


def analysis_basis(members: Sequence[StoredArticle]) -> list[int]:
    """What an analysis was built from: member count and newest member id."""
    return [len(members), max((a.id for a in members), default=0)]


def build_analysis(
    store: Store, story: StoredStory, members: list[StoredArticle]
) -> dict[str, Any]:
    """Build a story's analysis from the store as it is now (nothing is written)."""
    from marsad.compare.analyze import analyze_story

    analysis = analyze_story(
        story_articles(store, story.id, members),
        all_outlets=outlets_active_around(store, members),
    )
    analysis["basis"] = analysis_basis(members)
    analysis["built_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    return analysis


def story_articles(
    store: Store, story_id: int | None, members: Sequence[StoredArticle]
) -> list[StoryArticle]:
    """A story's articles for its analysis, with what ingest extracted from them, without
    the passages that report other stories.

    A roundup's other events (its passages assigned to other stories) are blanked out, space
    for character, so offsets still index the stored body: their dated lines stay out of this
    story's timeline and their sentences out of what its outlet "alone reported"; their
    stored numbers, statements and dates are left out with them. With no ``story_id`` (a
    selection of articles, not a story) nothing is blanked.
    """
    from marsad.compare.analyze import StoryArticle
    from marsad.compare.facts import Extracted

    elsewhere: dict[int, list[tuple[int, int]]] = defaultdict(list)
    if story_id is not None:
        for article_id, start, end in store.passages_elsewhere(story_id):
            elsewhere[article_id].append((start, end))
    extracted = stored_extracted(store, [a.id for a in members])
    articles = []
    for a in members:
        body = a.body
        blanked = elsewhere.get(a.id, [])
        for start, end in blanked:
            body = body[:start] + " " * (end - start) + body[end:]
        found = extracted.get(a.id)
        if found is not None and blanked:
            found = extracted_outside(found, blanked)
        articles.append(
            StoryArticle(
                a.id,
                a.source,
                a.published,
                a.title,
                body,
                a.duplicate_of,
                a.agency,
                a.time_kind,
                extracted=found if found is not None else Extracted(),
            )
        )
    return articles


def stored_extracted(store: Store, article_ids: Sequence[int]) -> dict[int, Extracted]:
    """What ingest extracted from these articles (one read per table for all of them);
    an article never extracted (a copy, or stored before migration 0015 and not yet
    refreshed) is missing. Readers never extract: that is ingest's and the refresher's job."""
    from marsad.compare.facts import Extracted
    from marsad.extract.numbers import NumberMention
    from marsad.extract.quotes import Statement
    from marsad.text.dates import DateMention

    return {
        article_id: Extracted(
            numbers=tuple(_as(NumberMention, n) for n in stored.numbers),
            statements=tuple(_as(Statement, s) for s in stored.statements),
            dates=tuple(_as(DateMention, d) for d in stored.dates),
        )
        for article_id, stored in store.stored_extractions(article_ids).items()
    }


def _as(cls: type[_T], row: Any) -> _T:
    """The stage's value with the same fields as a store read model."""
    return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})  # type: ignore[arg-type]


def extracted_outside(found: Extracted, blanked: Sequence[tuple[int, int]]) -> Extracted:
    """``found`` without what lies in the blanked spans (a statement goes with its speaker)."""

    def clear(*spans: tuple[int, int]) -> bool:
        return not any(s < b_end and b_start < e for s, e in spans for b_start, b_end in blanked)

    return replace(
        found,
        numbers=tuple(n for n in found.numbers if clear((n.start, n.end))),
        statements=tuple(
            s for s in found.statements if clear((s.start, s.end), (s.speaker_start, s.speaker_end))
        ),
        dates=tuple(d for d in found.dates if clear((d.start, d.end))),
    )


def outlets_active_around(store: Store, members: Sequence[StoredArticle]) -> list[str]:
    """Outlets that published anything within :data:`COVERAGE_WINDOW` of the articles'
    span: the ones whose silence on the story means something."""
    if not members:
        return []
    first = min(a.published for a in members)
    last = max(a.published for a in members)
    return store.outlets_active(_shifted(first, -COVERAGE_WINDOW), _shifted(last, COVERAGE_WINDOW))


def _shifted(moment: datetime, by: timedelta) -> datetime:
    """``moment + by``, kept inside the calendar (stories dated at its ends exist)."""
    try:
        return moment + by
    except OverflowError:
        return moment


def search_view(
    store: Store,
    query: str,
    *,
    limit: int = 20,
    offset: int = 0,
    since: date | None = None,
    until: date | None = None,
    source: str | None = None,
    story: int | None = None,
) -> dict[str, Any]:
    """Search results with snippets in the original spelling.

    ``total`` counts every matching article (copies included); ``hits`` is one page with
    wire copies collapsed into each hit's ``copies``; ``groups`` holds the same page by story.
    """
    filters = SearchFilters(since=since, until=until, source=source, story_id=story)
    page = search_page(store, query, filters=filters, limit=limit, offset=offset)
    # One query for the page's story titles (a query per story is a round trip each on
    # a database server).
    titles = {
        story_id: title
        for story_id, _thread, title in store.story_threads_and_titles(
            [story_id for story_id, _ in page.groups if story_id is not None]
        )
    }
    return {
        "schema": SCHEMA_VERSION,
        "query": query,
        "filters": {
            "since": None if since is None else since.isoformat(),
            "until": None if until is None else until.isoformat(),
            "source": source,
            "story": story,
        },
        "total": page.total,
        "limit": limit,
        "offset": offset,
        "hits": [_hit(h) for h in page.hits],
        "groups": [
            {
                "story_id": story_id,
                "story_title": titles.get(story_id) if story_id is not None else None,
                "article_ids": [h.article_id for h in hits],
            }
            for story_id, hits in page.groups
        ],
    }


def _hit(h: Hit) -> dict[str, Any]:
    return {
        "article_id": h.article_id,
        "story_id": h.story_id,
        "source": h.source,
        "published": h.published,
        "title": h.title,
        "snippet": h.snippet,
        "highlights": [list(span) for span in h.highlights],
        "rank": round(h.rank, 4),
        "copies": [{"article_id": a, "source": src} for a, src in h.copies],
    }


# -- read views used by the HTTP API and web UI -------------------------------------------
# Filters run in the store's queries, not in Python.

STORY_MATCH_LIMIT = 5000  # most matching articles consulted when filtering stories by text


def _story_ids_matching(store: Store, query: str) -> set[int] | None:
    """Ids of stories whose articles match a text query; None when the query has no word."""
    expression, _stems = build_query(query)
    if not expression:
        return None
    ranked = store.fts_query(expression, limit=STORY_MATCH_LIMIT)
    return store.story_ids_of_articles([article_id for article_id, _rank in ranked])


def _story_ids_with_entity(store: Store, name: str) -> set[int]:
    """Stories whose articles mention or quote an entity, matched by its variant key."""
    from marsad.extract.aliases import canonical_name, name_key

    key = name_key(canonical_name(name))
    if not key:
        return set()
    return store.story_ids_with_entity([f"{label}:{key}" for label in ENTITY_LABELS], key)


def find_stories_view(
    store: Store,
    *,
    limit: int = 50,
    offset: int = 0,
    source: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    query: str | None = None,
    breaking: bool | None = None,
    thread: int | None = None,
    entity: str | None = None,
) -> dict[str, Any]:
    """Like :func:`stories_view` (same schema) with more filters; ``total`` counts matches.

    Args:
        store: The store to read.
        limit: Page size.
        offset: Stories skipped before the page.
        source: Only stories this outlet covered.
        since: Only stories active at or after this time.
        until: Only stories that began at or before this time.
        query: Only stories with an article matching this text (spelling-variant aware).
        breaking: Only breaking (True) or non-breaking (False) stories.
        thread: Only stories of this thread.
        entity: Only stories that mention or quote this entity, in any spelling.
    """
    ids = _story_ids_matching(store, query) if query else None
    if entity:
        with_entity = _story_ids_with_entity(store, entity)
        ids = with_entity if ids is None else ids & with_entity
    total, stories = store.find_stories(
        limit=limit,
        offset=offset,
        source=source,
        since=since,
        until=until,
        breaking=breaking,
        thread=thread,
        ids=ids,
    )
    return {
        "schema": SCHEMA_VERSION,
        "total": total,
        "limit": limit,
        "offset": offset,
        "stories": [story_brief(s) for s in stories],
    }


def threads_view(store: Store, *, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Threads (chains of stories about one evolving event), most recently active first.

    A one-story thread is just its story (already in the river), so it is not listed.
    """
    total, rows = store.thread_rows(limit=limit, offset=offset)
    threads = []
    for thread_id, n_stories, n_articles, first_seen, last_seen in rows:
        titles = store.thread_story_titles(int(thread_id))
        threads.append(
            {
                "id": int(thread_id),
                "n_stories": int(n_stories),
                "n_articles": int(n_articles),
                "first_seen": first_seen,
                "last_seen": last_seen,
                "title": titles[-1][1] if titles else "",
                "stories": [{"id": i, "title": t} for i, t in titles],
            }
        )
    return {
        "schema": SCHEMA_VERSION,
        "total": total,
        "limit": limit,
        "offset": offset,
        "threads": threads,
    }


def outlet_menu(store: Store) -> list[dict[str, Any]]:
    """Outlets with their live article counts, largest first (cheap: read from an index)."""
    return [{"name": name, "articles": n} for name, n in store.outlet_article_counts()]


def _profile_json(slug: str) -> dict[str, Any] | None:
    profile = profiles().get(slug)
    return profile.as_json() if profile else None


def outlets_view(store: Store) -> dict[str, Any]:
    """Every outlet: articles stored, copies of other articles, stories covered, time span."""
    return {
        "schema": SCHEMA_VERSION,
        "outlets": [
            {
                "name": name,
                "articles": n,
                "copies": copies,
                "stories": stories,
                "first_published": first,
                "last_published": last,
                "profile": _profile_json(name),
            }
            for name, n, copies, stories, first, last in store.outlet_figures()
        ],
    }


def outlet_view(
    store: Store, name: str, *, limit: int = 50, offset: int = 0
) -> dict[str, Any] | None:
    """One outlet's figures (``outlet``) and a page of the stories it covered, newest first;
    None if the store has no article from it."""
    outlet = next((o for o in outlets_view(store)["outlets"] if o["name"] == name), None)
    if outlet is None:
        return None
    page = find_stories_view(store, limit=limit, offset=offset, source=name)
    return {**page, "outlet": outlet}


def entities_view(store: Store, *, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Entities the store holds, most widely reported first (merged by spelling-insensitive
    key); ``available`` is False while the store has no extraction tables."""
    if not store.has_table("mentions"):
        return {
            "schema": SCHEMA_VERSION,
            "available": False,
            "total": 0,
            "limit": limit,
            "offset": offset,
            "entities": [],
        }
    total = store.count_entity_keys()
    rows = store.entity_page(limit=limit, offset=offset)
    return {
        "schema": SCHEMA_VERSION,
        "available": True,
        "total": total,
        "limit": limit,
        "offset": offset,
        "entities": [
            {
                "name": name,
                "label": label,
                "mentions": mentions,
                "articles": articles,
                "stories": stories,
                "outlets": outlets,
            }
            for name, label, mentions, articles, stories, outlets in rows
        ],
    }


def article_view(store: Store, article_id: int) -> dict[str, Any] | None:
    """One article with its DISPLAY body, story, and the original it copies (if any)."""
    article = store.article(article_id)
    if article is None:
        return None
    view = article_brief(article)
    view["schema"] = SCHEMA_VERSION
    view["body"] = article.body
    view["story_id"] = article.story_id
    view["duplicate_of"] = article.duplicate_of
    view["superseded_by"] = article.superseded_by
    return view


# -- extraction views -------------------------------------------------------------------
ENTITY_LABELS = ("PERS", "ORG", "LOC", "MISC")


def story_entities(store: Store, story_id: int, *, limit: int = 40) -> list[dict[str, Any]]:
    """Entities of a story, variants merged: spelling/transliteration variants by key,
    bare surnames to the story's full name when exactly one fits."""
    from marsad.extract.aliases import AliasResolver

    rows = store.story_mentions(story_id)
    resolver = AliasResolver()
    for row in rows:
        resolver.add(row["canonical"], str(row["article_id"]), str(story_id))
    group_of: dict[int, str] = {}
    for cluster in resolver.resolve():
        for member in cluster.members:
            group_of[member] = cluster.canonical
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for index, row in enumerate(rows):
        name = group_of.get(index, row["canonical"]) if row["label"] == "PERS" else row["canonical"]
        entry = merged.setdefault(
            (row["label"], row["key"] if row["label"] != "PERS" else name),
            {"name": name, "label": row["label"], "mentions": 0, "variants": {}, "articles": set()},
        )
        entry["mentions"] += 1
        entry["variants"][row["text"]] = entry["variants"].get(row["text"], 0) + 1
        entry["articles"].add(row["article_id"])
        if len(row["canonical"]) > len(entry["name"]) and row["label"] != "PERS":
            entry["name"] = row["canonical"]
    out = [
        {
            "name": e["name"],
            "label": e["label"],
            "mentions": e["mentions"],
            "articles": len(e["articles"]),
            "variants": sorted(e["variants"], key=lambda v: -e["variants"][v]),
        }
        for e in merged.values()
    ]
    out.sort(key=lambda e: (-e["articles"], -e["mentions"], e["name"]))
    return out[:limit]


MIN_SURNAME_KEY = 4  # letters of a surname's skeleton needed to look it up alone


def entity_view(
    store: Store, name: str, *, limit: int = 50, resolve: bool = True
) -> dict[str, Any] | None:
    """One entity across the store: variants, stories, co-occurring entities, statements.

    A query names the most reported entity it can stand for: its own spelling, a spelling
    seen as a variant of an entity (بوتين for فلاديمير بوتين), or a surname (المالكي for
    نوري المالكي); the other entities it could name are listed as ``alternatives``.
    """
    from marsad.extract.aliases import canonical_name, name_key

    key = name_key(canonical_name(name))
    if not key:
        return None
    found = _entity_candidates(store, name, key) if resolve else []
    if found and found[0]["key"].split(":", 1)[1] != key:
        view = entity_view(store, str(found[0]["name"]), limit=limit, resolve=False)
        if view is not None:
            view["alternatives"] = _alternatives(found[1:])
            return view
    keys = [f"{label}:{key}" for label in ENTITY_LABELS]
    mentions = store.entity_mentions(keys)
    statements = store.statements(speaker_key=key, limit=limit)
    if not mentions and not statements:
        return None
    variants: dict[str, int] = {}
    for row in mentions:
        variants[row["text"]] = variants.get(row["text"], 0) + 1
    # Most frequent type first: an entity's type is the majority of its mentions' types.
    label_counts = Counter(row["label"] for row in mentions)
    labels = sorted(label_counts, key=lambda label: (-label_counts[label], label))
    story_counts: dict[int, int] = {}
    for row in mentions + statements:
        if row["story_id"] is not None:
            story_counts[row["story_id"]] = story_counts.get(row["story_id"], 0) + 1
    stories = []
    for story_id, count in sorted(story_counts.items(), key=lambda kv: -kv[1])[:limit]:
        story = store.story(story_id)
        if story is not None:
            brief = story_brief(story)
            brief["mentions"] = count
            stories.append(brief)
    articles = sorted({row["article_id"] for row in mentions})[:500]
    co = store.co_occurring_entities(articles, keys, limit=MAX_CO_OCCURRING) if articles else []
    # The fullest name (most words), then the spelling most mentions use: جدة, not a rare
    # جــدّة with tatweel and shadda that is only longer.
    spellings = Counter(row["canonical"] for row in mentions)
    canonical = max(
        spellings, key=lambda c: (len(c.split()), spellings[c]), default=canonical_name(name)
    )
    return {
        "schema": SCHEMA_VERSION,
        "name": canonical,
        "labels": labels,
        "label": labels[0] if labels else None,
        "mentions": len(mentions),
        "variants": sorted(variants, key=lambda v: -variants[v]),
        "outlets": sorted({row["source"] for row in mentions}),
        "stories": stories,
        "co_occurring": co,
        "statements": statements,
        "alternatives": _alternatives([c for c in found if c["key"] not in keys]),
    }


MAX_ALTERNATIVES = 5  # other entities a query could name, listed with its view
MAX_CO_OCCURRING = 15  # entities listed as mentioned beside one


def _entity_candidates(store: Store, name: str, key: str) -> list[dict[str, Any]]:
    """Entities a query may name, most reported first: by its key, by a variant spelling
    (a mention written so), by surname (a person's key ending with it)."""
    rows = store.entity_candidates(
        [f"{label}:{key}" for label in ENTITY_LABELS],
        name.strip(),
        f"PERS:%{key}" if len(key) >= MIN_SURNAME_KEY else None,
        limit=MAX_ALTERNATIVES + 1,
    )
    unique = {row["key"]: row for row in rows}
    return sorted(unique.values(), key=lambda row: (-int(row["articles"]), str(row["key"])))


def _alternatives(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"name": row["name"], "label": row["label"], "articles": row["articles"]}
        for row in rows[:MAX_ALTERNATIVES]
    ]


def sources_view(store: Store, names: Sequence[str] = ()) -> dict[str, Any]:
    """Per watched source: last success, last error, articles today, lag behind now."""
    from marsad.store.sources import source_status

    return {
        "schema": SCHEMA_VERSION,
        "sources": [
            {
                "name": s.name,
                "last_success": _time(s.last_success),
                "last_error": s.last_error,
                "last_error_at": _time(s.last_error_at),
                "consecutive_errors": s.consecutive_errors,
                "articles_today": s.articles_today,
                "newest_article": _time(s.newest_article),
                "lag_s": None if s.lag_s is None else round(s.lag_s),
            }
            for s in source_status(store, names)
        ],
    }


def comparison_view(
    store: Store,
    *,
    story: int | None = None,
    thread: int | None = None,
    limit: int = 500,
) -> dict[str, Any] | None:
    """Summary and outlet comparison over a story, a thread, or the newest articles.

    With neither ``story`` nor ``thread``, the ``limit`` newest articles of the whole store
    are compared, e.g. a folder of related articles that are not one story.
    """
    from marsad.compare.analyze import analyze_story
    from marsad.summarize import summarize
    from marsad.summarize.documents import source_docs

    if story is not None:
        scope = f"story #{story}"
    elif thread is not None:
        scope = f"thread #{thread}"
    else:
        scope = f"newest {limit} articles"
    ids = store.live_article_ids(story=story, thread=thread, limit=limit)
    members = sorted(store.articles(ids), key=lambda a: (a.published, a.id))
    if not members:
        return None
    outlets = sorted({a.source for a in members})
    # Room for one sentence per outlet: the point of a comparison is what each one adds.
    summary = summarize(
        source_docs(members),
        max_sentences=max(5, len(outlets)),
        max_chars=max(900, 220 * len(outlets)),
    )
    return {
        "schema": SCHEMA_VERSION,
        "scope": scope,
        "articles": len(members),
        "outlets": outlets,
        "summary": summary.to_json(),
        "analysis": analyze_story(
            story_articles(store, story, members),
            all_outlets=outlets_active_around(store, members),
        ),
    }
