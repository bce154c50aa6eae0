"""Story refresh: a touched story's headline, summary and arrival signal, read from the store.

Reads only; the writer applies the results in one transaction (see
:meth:`marsad.pipeline.Pipeline.summarize_dirty`), so a worker process can refresh a share.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from marsad.cluster.passages import marker_prefix
from marsad.cluster.signals import (
    BASELINE_DAYS,
    WINDOW_HOURS,
    Baseline,
    OutletBaseline,
    burst_score,
    is_breaking,
    surge_outlets,
)
from marsad.settings import Settings
from marsad.store.sqlite import Store, StoredArticle
from marsad.summarize import LeadSentence, SourceDoc, lead_of, summarize
from marsad.workers import worker_store

#: Lead sentences of articles, by article id, as ingest analysed them.
Leads = Mapping[int, tuple[LeadSentence, ...]]
NO_LEADS: Leads = {}


@dataclass(frozen=True, slots=True)
class StoryRefresh:
    """A story's new headline and summary, and its (burst, breaking) signal; the signal is
    None for a story known only from roundup passages."""

    story_id: int
    headline: str
    summary: dict[str, Any]
    signal: tuple[float, bool] | None
    revision: int | None = None  # the story's revision when read (written only if unchanged)


def outlet_baseline(store: Store) -> Baseline:
    """Every outlet's usual output over the days before the newest article."""
    latest = store.latest_published()
    if not latest:
        return Baseline()
    since = latest - timedelta(days=BASELINE_DAYS)
    return Baseline(
        {
            outlet: OutletBaseline(articles, stories)
            for outlet, (articles, stories) in store.outlet_output(since).items()
        },
        surge_outlets(store.story_reach(since, window_hours=WINDOW_HOURS)),
    )


def refresh_story(
    store: Store,
    story_id: int,
    baseline: Baseline,
    settings: Settings,
    leads: Leads = NO_LEADS,
) -> StoryRefresh | None:
    """Summarize one story from its representatives, crediting every copy's outlet, and
    score its arrival rate against the outlets' baselines; reads ``store``, writes nothing.

    ``leads`` holds the lead sentences ingest analysed (an article missing there is
    analysed again from its stored body)."""
    revision = store.story_revision(story_id)  # read first: a later change fails the write
    members = store.story_articles(story_id)
    if not members:
        refreshed = _refresh_from_passages(store, story_id, settings)
        return None if refreshed is None else replace(refreshed, revision=revision)
    newest = max(a.published for a in members)
    window_start = newest - timedelta(hours=WINDOW_HOURS)
    window = Counter(a.source for a in members if a.published > window_start)
    burst = burst_score(window, baseline.outlets)
    # The outlet comparison is rebuilt lazily, on the next view of the story (its
    # ``basis`` tells it is stale): a busy story would otherwise redo it per article.
    summary = summarize(
        source_docs(members, leads),
        max_sentences=settings.summary_sentences,
        max_chars=settings.summary_chars,
    )
    return StoryRefresh(
        story_id,
        summary.headline,
        summary.to_json(),
        (burst, is_breaking(window, headline=summary.headline, baseline=baseline)),
        revision,
    )


def _refresh_from_passages(store: Store, story_id: int, settings: Settings) -> StoryRefresh | None:
    """A story known only from roundup passages is summarized from those passages."""
    passages = store.story_passages(story_id)
    if not passages:
        return None
    skip = {p["article_id"]: marker_prefix(p["text"]) for p in passages}
    docs = [
        SourceDoc(
            key=p["article_id"],
            source=p["source"],
            when=datetime.fromisoformat(p["published"]),
            title="",
            text=p["text"][skip[p["article_id"]] :],
        )
        for p in passages
    ]
    limits = {"max_sentences": settings.summary_sentences, "max_chars": settings.summary_chars}
    # A story of one passage is not listed until a second passage reports it (then it
    # is summarized in full): its lead sentences do, at a fraction of the cost.
    summary = lead_of(docs[0], **limits) if len(docs) == 1 else summarize(docs, **limits)
    # Sentence offsets index the passages; stored offsets index the article bodies.
    offsets = {p["article_id"]: p["start"] + skip[p["article_id"]] for p in passages}
    return StoryRefresh(
        story_id,
        summary.headline,
        {**summary.to_json(offsets=offsets), "from_passages": True},
        None,
    )


def refresh_stories(
    db_path: str,
    story_ids: list[int],
    baseline: Baseline,
    settings: Settings,
    leads: Leads = NO_LEADS,
) -> list[StoryRefresh | None]:
    """:func:`refresh_story` over several stories, in a worker process (read-only store)."""
    store = worker_store(db_path)
    return [refresh_story(store, story_id, baseline, settings, leads) for story_id in story_ids]


def source_docs(members: list[StoredArticle], leads: Leads = NO_LEADS) -> list[SourceDoc]:
    """Representatives of a story's duplicate groups, each crediting its copies' outlets
    (with its lead sentences when ``leads`` holds them)."""
    copies: dict[int, set[str]] = defaultdict(set)
    ids = {a.id for a in members}
    for article in members:
        if article.duplicate_of in ids:
            copies[article.duplicate_of].add(article.source)
    # A copy whose original lives in another story (or was superseded) speaks for itself.
    return [
        SourceDoc(
            key=a.id,
            source=a.source,
            when=a.published,
            title=a.title,
            text=a.body,
            also_sources=tuple(sorted(copies.get(a.id, set()) - {a.source})),
            lead=leads.get(a.id),
        )
        for a in members
        if a.duplicate_of not in ids
    ]
