"""The one orchestrator: puts the stages in order and hands the store each batch's decisions.

Per batch of date-ordered articles::

    prepare (ingest.prepare: pure, maybe in a worker)
      -> decide (dedup, story, thread, roundup passages: in memory, nothing written)
      -> write (one store call per batch, in one transaction with the clustering state)

then, per touched story, refresh its summary (marsad.refresh). Settings live in
marsad.settings, worker processes and GC tuning in marsad.workers.

Durability: a killed run loses at most the batch in flight, and a re-run skips what is
already stored (identity = source + folded content).
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from marsad import workers
from marsad.cluster.roundups import place_roundup
from marsad.cluster.stories import StoryMerge
from marsad.dedup.minhash import signature_to_bytes
from marsad.extract.article import EntityMention, Extraction, extract
from marsad.extract.numbers import NumberMention
from marsad.ingest.ordering import DateOrdered, batched
from marsad.ingest.prepare import (
    TIME_CRAWLED,
    TIME_PUBLISHED,
    Prepared,
    failure_reason,
    prepare_article,
    prepare_batch,
    stored_index_terms,
    time_kind_of,
)
from marsad.models import RawArticle, Skipped
from marsad.name_variants import MiningReport, load_store_aliases, mine_when_due
from marsad.refresh import (
    StoryRefresh,
    keyed_statements,
    outlet_baseline,
    refresh_stories,
    refresh_story,
    source_docs,
)
from marsad.settings import Settings
from marsad.store import Store
from marsad.summarize import LeadSentence
from marsad.workers import fewer_collections, prepare_ahead, start_pool
from marsad.writer_state import StateSettings, WriterState
from marsad.writes import ArticleWrite, EntityCount, RecordWriteError, SpeakerStatement

# Names other modules import from here (the read side's source_docs among them).
__all__ = [
    "STAGES",
    "TIME_CRAWLED",
    "TIME_PUBLISHED",
    "IngestReport",
    "Pipeline",
    "Prepared",
    "ProgressFn",
    "Settings",
    "prepare_article",
    "prepare_batch",
    "source_docs",
    "time_kind_of",
]

logger = logging.getLogger(__name__)

LEADS_KEPT = 32_768  # lead analyses a writer keeps (a few KB each)
STAGES = ("read", "clean", "analyze", "dedup", "cluster", "extract", "store", "summarize")


@dataclass(slots=True)
class IngestReport:
    """What one ingest run did."""

    read: int = 0
    ingested: int = 0
    duplicates: int = 0
    already_stored: int = 0
    updated: int = 0  # new versions of articles already stored under the same URL
    n_skipped: int = 0
    skipped: list[Skipped] = field(default_factory=list)  # when no on_skip callback was given
    notes: list[Skipped] = field(default_factory=list)  # ignored files, not errors
    new_stories: int = 0
    stories_summarized: int = 0
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))
    mined: MiningReport | None = None  # the store's name variants, when mined after the run

    def count_skipped(
        self, record: Skipped, on_skip: Callable[[Skipped], None] | None = None
    ) -> None:
        """Count a skipped record and keep it, or hand it to ``on_skip`` (ignored files are
        kept as notes, never counted as skipped)."""
        if record.ignored:
            self.notes.append(record)
            return
        self.n_skipped += 1
        if on_skip is None:
            self.skipped.append(record)
        else:
            on_skip(record)

    def line(self) -> str:
        """One-line summary for humans."""
        line = (
            f"ingested {self.ingested} (of which {self.duplicates} duplicate copies), "
            f"updated {self.updated}, already stored {self.already_stored}, "
            f"skipped {self.n_skipped}, "
            f"new stories {self.new_stories}"
        )
        mined = [self.mined.line()] if self.mined else []
        return "; ".join([line, *mined, *(f"{n.origin}: {n.reason}" for n in self.notes)])


ProgressFn = Callable[[int, int], None]


@dataclass(slots=True)
class _BatchSoFar:
    """What the batch's earlier articles will write: decisions see them as if stored."""

    next_id: int
    identities: set[str] = field(default_factory=set)
    versions: dict[str, tuple[int, str, int | None]] = field(default_factory=dict)
    stories: dict[int, int | None] = field(default_factory=dict)  # article id -> story
    leads: dict[int, tuple[LeadSentence, ...]] = field(default_factory=dict)  # by article id
    merges: list[StoryMerge] = field(default_factory=list)  # applied after the batch's writes
    merged_into: dict[int, int] = field(default_factory=dict)

    def surviving(self, story_id: int | None) -> int | None:
        """The story a (possibly merged) story id now names."""
        while story_id is not None and story_id in self.merged_into:
            story_id = self.merged_into[story_id]
        return story_id


class Pipeline:
    """Runs articles through all stages into a store; keeps dedup and story state warm."""

    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        self.store = store
        self.settings = settings or Settings()
        if store.reindex_needed:
            self.reindex()
        load_store_aliases(store)  # extraction groups names with the store's mined lines too
        settings = self.settings
        self.state = WriterState(
            StateSettings(
                settings.cluster, settings.threads, settings.dedup_threshold, settings.num_perm
            )
        )
        self.state.catch_up(store)  # checked again inside every batch's write lock
        store.rollback_hooks.append(self.state.invalidate)  # a rolled-back batch is forgotten
        self.on_wait: Callable[[float], None] | None = None  # told while another writer commits
        # Lead sentences of the articles this writer stored, by id (the newest LEADS_KEPT):
        # a story is re-summarized as it grows, and its older articles need no new analysis.
        self.leads: OrderedDict[int, tuple[LeadSentence, ...]] = OrderedDict()
        # This run's stored articles by story, for the worker that summarizes a share.
        self.run_articles: dict[int | None, list[int]] = {}

    # -- ingest -------------------------------------------------------------------------
    def ingest(
        self,
        records: Iterable[RawArticle | Skipped],
        *,
        progress: ProgressFn | None = None,
        on_skip: Callable[[Skipped], None] | None = None,
    ) -> IngestReport:
        """Store every readable article, in date order, then refresh touched stories.

        Records are streamed (sorted in bounded runs). A skipped record goes to ``on_skip``
        as soon as it is read (kept in the report when there is no callback).
        """
        with fewer_collections():
            report = self._ingest(records, progress, on_skip)
        report.mined = self.mine_aliases_when_due()
        return report

    def mine_aliases_when_due(self) -> MiningReport | None:
        """Mine the store's name variants when enough articles arrived since the last
        mining (:func:`marsad.name_variants.mine_when_due`); ingest, each watch batch and a
        backfill's finish call it."""
        return mine_when_due(self.store, self.settings.alias_mining)

    def _ingest(
        self,
        records: Iterable[RawArticle | Skipped],
        progress: ProgressFn | None,
        on_skip: Callable[[Skipped], None] | None,
    ) -> IngestReport:
        report = IngestReport()
        started = time.perf_counter()

        skipped = partial(report.count_skipped, on_skip=on_skip)

        now = datetime.now().replace(microsecond=0)
        ordered = DateOrdered(records, now, skipped)
        self.start_run()
        total = ordered.read()
        report.read = total + report.n_skipped
        report.seconds["read"] += time.perf_counter() - started

        size = self.settings.batch_size
        with contextlib.ExitStack() as stack:
            pool = start_pool(stack, self.settings, -(-total // size))
            db_path = None if self.store.path == ":memory:" else self.store.path
            settings = self.settings
            prepared = prepare_ahead(
                batched(ordered, size),
                now,
                settings,
                pool,
                db_path,
                lambda batch: prepare_batch(batch, now, settings, self.store.has_identity),
            )
            self._store_batches(prepared, total, report, progress, skipped)
            # The worker that prepared the batches also takes a share of the summaries.
            self.summarize_dirty(report, pool=pool)
        return report

    def _store_batches(
        self,
        batches: Iterator[tuple[list[RawArticle], list[Prepared | Skipped]]],
        total: int,
        report: IngestReport,
        progress: ProgressFn | None,
        skipped: Callable[[Skipped], None],
    ) -> None:
        done = 0
        for batch, prepared in batches:
            self.store_prepared(batch, prepared, report, skipped)
            done += len(batch)
            if progress:
                progress(done, total)

    # -- prepared elsewhere -------------------------------------------------------------
    def start_run(self) -> None:
        """Begin a run of date-ordered batches (``ingest`` calls it; so does a caller that
        feeds :meth:`store_prepared` itself)."""
        self.run_articles = {}
        self.state.start_run()

    def store_prepared(
        self,
        batch: list[RawArticle],
        prepared: list[Prepared | Skipped],
        report: IngestReport,
        skipped: Callable[[Skipped], None] | None = None,
    ) -> None:
        """Decide and write one batch prepared elsewhere, in one transaction.

        The stateful half of :meth:`ingest` for a caller that ran
        :func:`marsad.ingest.prepare.prepare_batch` itself (e.g. on other machines, see
        :mod:`marsad.backfill`). Fed the same date-ordered batches, it stores exactly what
        ``ingest`` stores. A record that cannot be stored is skipped and the batch
        written again without it; a batch stored already writes nothing.

        Args:
            batch: the read records, in date order (after :meth:`start_run`).
            prepared: ``prepare_batch`` of ``batch``, item for item (it may be changed).
            report: counts of the committed batch are added to it.
            skipped: told each skipped record (else counted and kept in ``report``).
        """
        while True:
            outcome = IngestReport()
            try:
                self._store_batch(batch, prepared, outcome)
            except _RecordFailed as failed:
                # The batch was rolled back; store it again without that record.
                item = prepared[failed.index]
                assert isinstance(item, Prepared)
                reason = failure_reason(failed.cause, "could not be stored")
                prepared[failed.index] = Skipped(origin=item.raw.origin, reason=reason)
                continue
            break
        _accumulate(report, outcome, skipped or report.count_skipped)

    def _store_batch(
        self, batch: list[RawArticle], prepared: list[Prepared | Skipped], report: IngestReport
    ) -> None:
        """Decide and write one prepared batch in one transaction.

        Prepared outside the lock; decided and written inside it, against the committed
        state (other writers may have committed since the last batch).
        """
        with self.store.transaction(self.on_wait):
            self.state.catch_up(self.store)
            so_far = _BatchSoFar(self.store.next_article_id())
            writes: list[ArticleWrite] = []
            positions: list[int] = []  # index in ``prepared`` of each write
            for index, item in enumerate(prepared):
                if isinstance(item, Skipped):
                    report.skipped.append(item)
                    continue
                try:
                    decided = self._decide(item, so_far, report)
                except Exception as exc:
                    raise _RecordFailed(index, exc) from exc
                if decided is not None:
                    writes.append(decided)
                    positions.append(index)
            started = time.perf_counter()
            try:
                self.store.write_batch(writes)
            except RecordWriteError as failed:
                raise _RecordFailed(positions[failed.index], failed.cause) from failed.cause
            # Story merges (off by default): articles of the merged story, this batch's
            # included, move to the surviving one and the old id redirects.
            for merge in so_far.merges:
                self.store.merge_stories(merge.into, merge.merged)
            self.state.prune_duplicates(batch[-1].date)
            self.state.save(self.store)
            report.seconds["store"] += time.perf_counter() - started
        # Committed: only now do the allocated ids name these articles for good.
        self._keep_leads(so_far.leads)
        for article_id, story_id in so_far.stories.items():
            self.run_articles.setdefault(so_far.surviving(story_id), []).append(article_id)

    def _keep_leads(self, leads: dict[int, tuple[LeadSentence, ...]]) -> None:
        self.leads.update(leads)
        while len(self.leads) > LEADS_KEPT:
            self.leads.popitem(last=False)  # oldest first

    def _decide(
        self, item: Prepared, so_far: _BatchSoFar, report: IngestReport
    ) -> ArticleWrite | None:
        """Dedup and cluster one prepared article (the stateful part of ingest): what it
        writes, or None when it is stored already. Updates the in-memory state only."""
        seconds = report.seconds
        for stage, spent in item.seconds.items():
            seconds[stage] += spent
        raw = item.raw
        t2 = time.perf_counter()
        if item.identity in so_far.identities or self.store.has_identity(item.identity):
            report.already_stored += 1
            return None
        published = item.published
        canonical = item.canonical
        previous = None
        if canonical:
            previous = so_far.versions.get(canonical) or self.store.current_version(canonical)
        original = self.state.duplicates.find(item.fp, published, self.state.window)
        t3 = time.perf_counter()
        seconds["dedup"] += t3 - t2

        placement = None
        thread = None
        if previous is not None:
            # A new version of a known article (same URL, edited text) stays in its story
            # and replaces the old version rather than counting as its copy.
            story_id, is_new, original = previous[2], False, None
        elif original is not None:
            story_id = (
                so_far.stories[original]
                if original in so_far.stories
                else self.store.story_of(original)
            )
            is_new = False
            if story_id is not None:
                # A copy strengthens its story's centroid, as many outlets carrying a text do.
                self.state.clusterer.add_to_story(story_id, item.cluster_doc)
        else:
            # Passages of a roundup are matched before the article joins a story, so a
            # passage is never drawn to the story its own article just opened.
            if item.passages:
                placement = place_roundup(
                    item.passages, published, self.state.clusterer, self.state.threads
                )
                assignment = placement.lead
            else:
                assignment = self.state.clusterer.assign(item.cluster_doc)
            story_id, is_new = assignment.story, assignment.is_new
            if is_new:
                doc = item.passages[0][1] if item.passages else item.cluster_doc
                thread = self.state.threads.link(
                    story_id, published, (*doc.title_stems, *doc.names), assignment.profile
                )
        for merge in self.state.clusterer.take_merges():
            so_far.merges.append(merge)
            so_far.merged_into[merge.merged] = merge.into
        t4 = time.perf_counter()
        seconds["cluster"] += t4 - t3
        # A copy says what its original says: extract once per text.
        found = None
        if self.settings.extract and original is None:
            found = item.found
            if found is None:
                found = extract(item.body, item.body_tokens, published=published.date())
        t5 = time.perf_counter()
        seconds["extract"] += t5 - t4

        entities, statements, numbers, counts = _typed_extraction(found)
        article_id = so_far.next_id
        so_far.next_id += 1
        so_far.identities.add(item.identity)
        so_far.stories[article_id] = story_id
        if canonical:
            so_far.versions[canonical] = (article_id, item.identity, story_id)
        if original is None:
            self.state.duplicates.add(article_id, item.fp, published)
        report.ingested += 1
        report.duplicates += original is not None
        report.new_stories += is_new
        report.updated += previous is not None
        if item.lead is not None:  # read when the story is next summarized
            so_far.leads[article_id] = item.lead
        return ArticleWrite(
            id=article_id,
            ext_id=raw.ext_id,
            source=raw.source,
            published=published,
            title=item.title,
            body=item.body,
            boilerplate=tuple(item.removed),
            url=raw.url,
            extra=raw.extra,
            origin=raw.origin,
            identity=item.identity,
            content_hash=item.fp.exact,
            signature=signature_to_bytes(item.fp.signature),
            duplicate_of=original,
            story_id=story_id,
            words=item.words,
            stems=item.stems,
            canonical_url=canonical,
            agency=item.agency,
            time_kind=item.time_kind,
            opens_thread=thread if story_id is not None and is_new else None,
            passage_stories=placement.opened if placement else (),
            passages=tuple(p for p in placement.placed if p.story != story_id) if placement else (),
            entities=entities,
            statements=statements,
            numbers=numbers,
            dates=found.dates if found is not None else (),
            extracted=found is not None,
            entity_counts=counts,
            supersedes=previous[0] if previous is not None else None,
        )

    # -- summaries ----------------------------------------------------------------------
    def summarize_dirty(
        self, report: IngestReport | None = None, *, pool: ProcessPoolExecutor | None = None
    ) -> int:
        """Rebuild title and summary of every story that gained articles.

        With a worker ``pool`` and many stories, the worker summarizes every other story
        (reading the committed store) while this process does the rest; all are written
        here, in one transaction, so the result is the same either way.
        """
        started = time.perf_counter()
        dirty = self.store.dirty_stories()
        baseline = outlet_baseline(self.store)
        settings = self.settings
        theirs: Future[list[StoryRefresh | None]] | None = None
        mine = dirty
        if (
            pool is not None
            and self.store.path != ":memory:"
            and len(dirty) >= workers.PARALLEL_MIN_SUMMARIES
        ):
            # A worker that died while preparing batches leaves a broken pool: then this
            # process summarizes them all.
            with contextlib.suppress(BrokenProcessPool):
                theirs = pool.submit(
                    refresh_stories,
                    self.store.path,
                    dirty[1::2],
                    baseline,
                    settings,
                    self._leads_of(dirty[1::2]),
                )
                mine = dirty[::2]
        refreshed = [
            refresh_story(self.store, story_id, baseline, settings, self.leads) for story_id in mine
        ]
        if theirs is not None:
            try:
                refreshed += theirs.result()
            except BrokenProcessPool:
                logger.warning("worker process failed; summarizing its stories here")
                refreshed += [
                    refresh_story(self.store, story_id, baseline, settings, self.leads)
                    for story_id in dirty[1::2]
                ]
        self.apply_refreshed(refreshed)
        if report is not None:
            report.stories_summarized += len(dirty)
            report.seconds["summarize"] += time.perf_counter() - started
        return len(dirty)

    def _leads_of(self, story_ids: list[int]) -> dict[int, tuple[LeadSentence, ...]]:
        """The kept leads of this run's articles in these stories (all a worker is sent)."""
        return {
            article_id: self.leads[article_id]
            for story_id in story_ids
            for article_id in self.run_articles.get(story_id, ())
            if article_id in self.leads
        }

    def apply_refreshed(self, refreshed: Iterable[StoryRefresh | None]) -> None:
        """Write story refreshes made from the committed store (here, in a worker process
        or on another machine: :func:`marsad.refresh.refresh_stories`) in one transaction."""
        with self.store.transaction(self.on_wait):
            for refresh in refreshed:
                if refresh is not None:
                    self._apply(refresh)

    def _apply(self, refresh: StoryRefresh) -> None:
        # Another writer may have extended the story since it was read: then it stays
        # dirty, and that writer summarizes it after its own batches.
        if not self.store.set_summary(
            refresh.story_id, refresh.headline, refresh.summary, revision=refresh.revision
        ):
            return
        if refresh.signal is not None:
            burst, breaking = refresh.signal
            self.store.set_signal(refresh.story_id, burst=burst, breaking=breaking)

    # -- maintenance --------------------------------------------------------------------
    def reindex(self) -> None:
        """Rebuild the full-text index with the current normalizer (after a rules change)."""

        entries = (
            (article_id, *stored_index_terms(title, body))
            for article_id, title, body in self.store.iter_articles_for_reindex()
        )
        self.store.rebuild_fts(entries)


class _RecordFailed(Exception):
    """Storing the record at ``index`` of a batch failed (the batch is rolled back)."""

    def __init__(self, index: int, cause: Exception) -> None:
        super().__init__(index, cause)
        self.index = index
        self.cause = cause


def _accumulate(
    report: IngestReport, batch: IngestReport, skipped: Callable[[Skipped], None]
) -> None:
    """Add one committed batch's counts to the run's report."""
    for name in ("ingested", "duplicates", "already_stored", "updated", "new_stories"):
        setattr(report, name, getattr(report, name) + getattr(batch, name))
    for stage, spent in batch.seconds.items():
        report.seconds[stage] += spent
    for record in batch.skipped:
        skipped(record)


def _typed_extraction(
    found: Extraction | None,
) -> tuple[
    tuple[EntityMention, ...],
    tuple[SpeakerStatement, ...],
    tuple[NumberMention, ...],
    tuple[EntityCount, ...],
]:
    """An extraction as its article's write takes it: speakers keyed, entities counted."""
    if found is None:
        return (), (), (), ()
    return found.entities, keyed_statements(found.statements), found.numbers, entity_counts(found)


def entity_counts(found: Extraction) -> tuple[EntityCount, ...]:
    """Per distinct entity of one article: key, canonical name, label, mentions."""
    counts = Counter(m.key for m in found.entities)
    first: dict[str, EntityMention] = {}
    for mention in found.entities:
        first.setdefault(mention.key, mention)
    return tuple(
        EntityCount(key, first[key].canonical, first[key].label, n) for key, n in counts.items()
    )
