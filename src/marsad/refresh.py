"""The refresher: what a writer rebuilds from the store after articles arrive.

Three jobs, all read from the store and applied by a writer:

- Story refresh: a touched story's headline, summary and arrival signal. The writer
  applies the results in one transaction (see
  :meth:`marsad.pipeline.Pipeline.summarize_dirty`), so a worker process can refresh a share.
- Story analyses: readers never store an analysis (they build a missing one in memory for
  one response). Analyses are kept here: by the server's background worker
  (:mod:`marsad.api.writer`), by ``marsad watch``, and by ``marsad refresh`` for a whole
  store, e.g. after ``marsad ingest`` or a change of the comparison rules.
- Extraction left to do: an analysis reads what ingest extracted (numbers, statements,
  dates; see :mod:`marsad.store.extractions`). Before it builds one, the refresher
  extracts, once, the story's texts that have none stored: articles stored before
  migration 0015, ingested with extraction off, or a copy whose original is in another
  story. Readers never extract.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from marsad import views
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
from marsad.store import Store, StoredArticle
from marsad.store.errors import store_errors
from marsad.summarize import LeadSentence, SourceDoc, lead_of, summarize
from marsad.summarize.documents import source_docs as source_docs  # re-exported
from marsad.workers import worker_store
from marsad.writes import SpeakerStatement

if TYPE_CHECKING:
    from marsad.extract.quotes import Statement

SPEAKER_CACHE = 1 << 16  # distinct resolved speakers whose keys are remembered

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


# -- extraction left to do --------------------------------------------------------------


def keyed_statements(statements: Iterable[Statement]) -> tuple[SpeakerStatement, ...]:
    """Statements as the store takes them: each speaker's canonical name and merge key."""
    return tuple(SpeakerStatement(s, *_speaker_keys(s.speaker_resolved)) for s in statements)


@lru_cache(maxsize=SPEAKER_CACHE)
def _speaker_keys(resolved: str) -> tuple[str, str]:
    """Canonical name and merge key of a resolved speaker: pure functions of the written
    name over fixed tables, and the same speakers recur from article to article."""
    from marsad.extract.aliases import name_key
    from marsad.extract.quotes import speaker_canonical

    return speaker_canonical(resolved), name_key(resolved)


def extract_missing(store: Store, members: Sequence[StoredArticle]) -> int:
    """Extract and store, once, the texts of a story's analysis that have no stored
    extraction (each article not a copy of another member); returns how many.

    Raises:
        StoreError: The store cannot be written.
    """
    ids = {a.id for a in members}
    texts = [a for a in members if a.duplicate_of is None or a.duplicate_of not in ids]
    missing = set(store.unextracted_articles([a.id for a in texts]))
    if not missing:
        return 0
    from marsad.extract.article import extract

    found = {a.id: extract(a.body, published=a.published.date()) for a in texts if a.id in missing}
    with store_errors(store.path), store.transaction():
        for article_id, extraction in found.items():
            store.replace_extraction(
                article_id,
                statements=keyed_statements(extraction.statements),
                numbers=extraction.numbers,
                dates=extraction.dates,
            )
    return len(found)


# -- story analyses ------------------------------------------------------------------


def analysis_outdated(store: Store, story_id: int) -> bool:
    """Whether a story with articles has no analysis kept, one built by older rules, or
    one built before its latest articles."""
    from marsad.compare.analyze import ANALYSIS_VERSION

    members = store.story_articles(story_id)
    if not members:
        return False
    kept = store.story_analysis(story_id)
    return (
        kept is None
        or kept.get("version") != ANALYSIS_VERSION
        or kept.get("basis") != views.analysis_basis(members)
    )


def refresh_story_analysis(store: Store, story_id: int) -> bool:
    """Build a story's analysis from the store as it is now and keep it.

    It is kept only if the story did not change while it was built (a newer article
    makes the next refresh build it again). Replacing a kept analysis of the current rules
    changes the story's pages (they showed it, marked stale), so their revision moves;
    a first one, or one replacing older rules', does not: readers already showed one built
    the same way in memory. Returns whether it was kept.

    Raises:
        StoreError: The store cannot be written.
    """
    from marsad.compare.analyze import ANALYSIS_VERSION

    story = store.story(story_id)
    members = store.story_articles(story_id)
    if story is None or not members:
        return False
    extract_missing(store, members)
    kept = store.story_analysis(story_id)
    shown_kept = kept is not None and kept.get("version") == ANALYSIS_VERSION
    analysis = views.build_analysis(store, story, members)
    with store_errors(store.path), store.transaction():
        return store.set_analysis(
            story_id, analysis, revision=story.revision, changes_page=shown_kept
        )


def refresh_analyses(
    store: Store,
    story_ids: Iterable[int] | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Keep a current analysis for every story (or these) whose analysis is outdated;
    returns how many were rebuilt."""
    wanted = list(story_ids) if story_ids is not None else store.story_ids_with_articles()
    outdated = [i for i in wanted if analysis_outdated(store, i)]
    rebuilt = 0
    for done, story_id in enumerate(outdated, start=1):
        rebuilt += refresh_story_analysis(store, story_id)
        if progress is not None:
            progress(done, len(outdated))
    return rebuilt
