"""The one orchestrator: puts the stages in order and persists their results.

Per article, in date order::

    clean (boilerplate) -> analyze (text.arabic) -> dedup -> cluster -> store

then, per touched story, summarize. Stages are pure functions or small stateful
objects handed to this module; only this module (and search/CLI/API) touch the store.

Durability: articles are written in batches, each batch in one transaction together with
the clustering state, so a killed run loses at most the batch in flight and a re-run
skips what is already stored (identity = source + folded content).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import math
import os
import threading
import time
from bisect import bisect_left
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from multiprocessing import get_context
from typing import Any

from marsad.cluster.passages import Passage, group_events, marker_prefix, split_passages
from marsad.cluster.signals import (
    BASELINE_DAYS,
    WINDOW_HOURS,
    Baseline,
    OutletBaseline,
    burst_score,
    is_breaking,
    surge_outlets,
)
from marsad.cluster.stories import (
    Assignment,
    ClusterDoc,
    ClusterSettings,
    make_cluster_doc,
)
from marsad.cluster.threads import ThreadSettings
from marsad.dedup.minhash import Fingerprint, fingerprint, signature_to_bytes
from marsad.extract.aliases import name_key
from marsad.extract.article import EntityMention, Extraction, extract
from marsad.extract.quotes import speaker_canonical
from marsad.extract.wires import detect_agency
from marsad.ingest.boilerplate import strip_boilerplate
from marsad.ingest.ordering import DateOrdered, batched
from marsad.ingest.urls import canonical_url
from marsad.models import RawArticle, Skipped, Token
from marsad.store.sqlite import Store, StoredArticle
from marsad.summarize import (
    LeadSentence,
    SourceDoc,
    lead_analysis,
    lead_of,
    remember_lead,
    summarize,
)
from marsad.text import arabic
from marsad.writer_state import StateSettings, WriterState

logger = logging.getLogger(__name__)

STAGES = ("read", "clean", "analyze", "dedup", "cluster", "extract", "store", "summarize")
PARALLEL_MIN_BATCHES = 4  # below this, a worker's start-up costs more than it saves
PARALLEL_MIN_SUMMARIES = 200  # fewer dirty stories are summarized in this process alone
GC_YOUNG_THRESHOLD = 50_000  # allocations between young collections while ingesting (default 700)
GC_OLD_THRESHOLD = 100  # collections of the middle generation per full one (default 10)
TIME_PUBLISHED = "published"  # an article's time is when its outlet published it...
TIME_CRAWLED = "crawled"  # ...or only when it was crawled (or ingested)
MIN_PASSAGE_STORY_CHARS = 300  # a shorter unmatched passage is too thin to open a story
TITLE_MAX_CHARS = 120


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """Pipeline settings; defaults are the tuned values."""

    dedup_threshold: float = 0.7  # see dedup.minhash for why copies score this low
    num_perm: int = 64
    cluster: ClusterSettings = field(default_factory=ClusterSettings)
    threads: ThreadSettings = field(default_factory=ThreadSettings)
    batch_size: int = 500  # articles per transaction: the most a killed run can lose
    summary_sentences: int = 5
    summary_chars: int = 900
    extract: bool = True  # entities, statements, numbers (the slowest stage)
    roundups: bool = True  # cluster multi-event articles passage by passage
    workers: int = 1  # processes preparing batches ahead on large inputs (0: none)
    # The input's dates are when pages were crawled, not published (SaudiNewsNet's are);
    # a record may also say so itself with ``"date_kind": "crawled"``.
    crawl_dates: bool = False


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

    def line(self) -> str:
        """One-line summary for humans."""
        line = (
            f"ingested {self.ingested} (of which {self.duplicates} duplicate copies), "
            f"updated {self.updated}, already stored {self.already_stored}, "
            f"skipped {self.n_skipped}, "
            f"new stories {self.new_stories}"
        )
        return "; ".join([line, *(f"{n.origin}: {n.reason}" for n in self.notes)])


ProgressFn = Callable[[int, int], None]


@dataclass(frozen=True, slots=True, kw_only=True)
class Prepared:
    """An article after the pure stages (clean, analyze, fingerprint, cluster features and,
    optionally, extraction): everything the stateful stages need, computed without the
    store, so it can be computed in a worker process ahead of them."""

    raw: RawArticle
    published: datetime
    title: str
    body: str
    removed: list[str]
    # None once shipped from a worker: rebuilding millions of token tuples in this process
    # cost more than the worker saved, and only a fallback extraction needs them.
    title_tokens: list[Token] | None
    body_tokens: list[Token] | None
    words: str
    stems: str
    identity: str
    fp: Fingerprint
    cluster_doc: ClusterDoc
    passages: list[tuple[Passage, ClusterDoc]]  # empty unless a roundup: lead passage first
    found: Extraction | None
    lead: tuple[LeadSentence, ...]  # what the summarizer reads of this body
    seconds: dict[str, float]
    agency: str | None = None  # the news agency its byline or signature credits
    time_kind: str = TIME_PUBLISHED  # what ``published`` is: publication or crawl time


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often while ingesting.

    Ingest allocates millions of short-lived tuples (tokens), none in reference cycles,
    while each collection of the oldest generation walks every live object, the
    clustering state included: on all of SaudiNewsNet ingest ran at 270 articles/s with
    Python's default thresholds, 326 with these. Reference counting still frees the tuples.
    """
    before = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, before[1], GC_OLD_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def prepare_article(raw: RawArticle, now: datetime, settings: Settings) -> Prepared | Skipped:
    """Run the pure stages but extraction on one article; Skipped when no text is left."""
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    body, removed = strip_boilerplate(raw.text, title=raw.title)
    if not body.strip():
        return Skipped(origin=raw.origin, reason="no article text left after removing boilerplate")
    title = raw.title.strip() or derive_title(body)
    t1 = time.perf_counter()
    seconds["clean"] = t1 - t0
    title_tokens = arabic.tokenize(title)
    body_tokens = arabic.tokenize(body)
    body_match = " ".join([t.text for t in body_tokens])
    words = " ".join([t.text for t in title_tokens]) + " \n " + body_match
    stems = (
        " ".join([t.stem for t in title_tokens]) + " \n " + " ".join([t.stem for t in body_tokens])
    )
    # Same outlet, same id or URL, same text: the record was ingested already. The same
    # text under another id or URL is a re-publication, kept and counted as a copy.
    identity = _digest("\x00".join((raw.source, raw.ext_id or raw.url or "", words)))
    t2 = time.perf_counter()
    seconds["analyze"] = t2 - t1
    fp = fingerprint(body_match, num_perm=settings.num_perm)
    t3 = time.perf_counter()
    seconds["dedup"] = t3 - t2
    published = raw.date or now
    agency = detect_agency(title, raw.text)  # raw: a byline line may count as boilerplate
    cluster_doc = make_cluster_doc(  # title and body: for the event's day (cluster/stories.py)
        0, published, raw.source, title, body, title_tokens=title_tokens, body_tokens=body_tokens
    )
    passages = (
        roundup_passages(body, title_tokens, body_tokens, published, raw.source)
        if settings.roundups
        else []
    )
    t4 = time.perf_counter()
    seconds["cluster"] = t4 - t3
    lead = lead_analysis(body, body_tokens)
    seconds["summarize"] = time.perf_counter() - t4
    return Prepared(
        raw=raw,
        published=published,
        title=title,
        body=body,
        removed=removed,
        title_tokens=title_tokens,
        body_tokens=body_tokens,
        words=words,
        stems=stems,
        identity=identity,
        fp=fp,
        cluster_doc=cluster_doc,
        passages=passages,
        found=None,
        lead=lead,
        seconds=seconds,
        agency=agency,
        time_kind=time_kind_of(raw, crawl_dates=settings.crawl_dates),
    )


_CRAWL_KINDS = frozenset({"crawled", "crawl", "extracted", "fetched"})


def time_kind_of(raw: RawArticle, *, crawl_dates: bool = False) -> str:
    """Whether an article's time is its publication time or only when it was crawled
    (no date given: the ingest time; the input's dates are crawl times; or the record
    says ``date_kind``)."""
    if raw.date is None or crawl_dates or str(raw.extra.get("date_kind", "")) in _CRAWL_KINDS:
        return TIME_CRAWLED
    return TIME_PUBLISHED


def roundup_passages(
    body: str,
    title_tokens: list[Token],
    body_tokens: list[Token],
    published: datetime,
    source: str,
) -> list[tuple[Passage, ClusterDoc]]:
    """The events of a roundup with their cluster features; empty for a one-event article."""
    passages = split_passages(body, tokens=body_tokens)
    if len(passages) < 2:
        return []
    starts = [t.start for t in body_tokens]

    def inside(part: Passage) -> list[Token]:
        return body_tokens[bisect_left(starts, part.start) : bisect_left(starts, part.end)]

    events = group_events(
        body, passages, [arabic.content_stems(inside(passage)) for passage in passages]
    )
    if len(events) < 2:
        return []
    parts = []
    for index, event in enumerate(events):
        doc = make_cluster_doc(
            0,
            published,
            source,
            title_tokens=title_tokens if index == 0 else (),
            body_tokens=inside(event),
        )
        parts.append((event, doc))
    return parts


def prepare_batch(
    batch: list[RawArticle],
    now: datetime,
    settings: Settings,
    db_path: str | None,
    store: Store | None = None,
) -> list[Prepared | Skipped]:
    """:func:`prepare_article` over a batch plus extraction (in a worker process, or here
    before taking the write lock, so that other writers do not wait for it).

    Extraction (the costliest step) is skipped for records the store (``store``, or the one
    at ``db_path``) already holds, so re-running an ingest after a kill does not redo it.
    (Near-duplicate copies are still extracted here, which the stateful step would have
    spared: cheaper than making the two processes talk per article.)
    """
    if store is None and db_path:
        store = _worker_store(db_path)
    with fewer_collections():
        return [_prepare_one(raw, now, settings, store) for raw in batch]


def _prepare_one(
    raw: RawArticle, now: datetime, settings: Settings, store: Store | None
) -> Prepared | Skipped:
    """One record through the pure stages; any failure is that record's alone."""
    try:
        item = prepare_article(raw, now, settings)
        if not isinstance(item, Prepared):
            return item
        if settings.extract and not (store is not None and store.has_identity(item.identity)):
            started = time.perf_counter()
            found = extract(item.body, item.body_tokens)
            item = replace(
                item,
                found=found,
                seconds={**item.seconds, "extract": time.perf_counter() - started},
            )
        # This process also summarizes a share of the stories (refresh_stories).
        remember_lead(item.body, item.lead)
        return replace(item, title_tokens=None, body_tokens=None)
    except Exception as exc:  # one bad record must not stop the others
        logger.debug("analysing %s failed", raw.origin, exc_info=True)
        return Skipped(origin=raw.origin, reason=_failure(exc, "could not be analysed"))


def _failure(exc: BaseException, what: str) -> str:
    detail = f"{type(exc).__name__}: {exc}"
    if len(detail) > 200:
        detail = detail[:200] + "…"
    return (
        f"{what} ({detail}); the rest of the input was ingested. Check this record, or run"
        " with --debug and report it"
    )


def _exit_with_parent(parent: int) -> None:
    """Worker initializer: exit when the ingest that started this process dies.

    A killed ingest (kill -9) cannot stop its worker, which would otherwise live on,
    holding hundreds of MB, reparented to init.
    """

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="marsad-parent-watch", daemon=True).start()


_WORKER_STORES: dict[str, Store] = {}


def _worker_store(db_path: str) -> Store:
    store = _WORKER_STORES.get(db_path)
    if store is None:
        store = Store(db_path, normalizer_version=arabic.NORMALIZER_VERSION)
        store.db.execute("PRAGMA query_only = ON")
        _WORKER_STORES[db_path] = store
    return store


@dataclass(frozen=True, slots=True)
class StoryRefresh:
    """A story's new headline and summary, and its (burst, breaking) signal; the signal is
    None for a story known only from roundup passages."""

    story_id: int
    headline: str
    summary: dict[str, Any]
    signal: tuple[float, bool] | None
    revision: int | None = None  # the story's revision when read (written only if unchanged)


def refresh_story(
    store: Store, story_id: int, baseline: Baseline, settings: Settings
) -> StoryRefresh | None:
    """Summarize one story from its representatives, crediting every copy's outlet, and
    score its arrival rate against the outlets' baselines; reads ``store``, writes nothing."""
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
        source_docs(members),
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
) -> list[StoryRefresh | None]:
    """:func:`refresh_story` over several stories, in a worker process (read-only store)."""
    store = _worker_store(db_path)
    return [refresh_story(store, story_id, baseline, settings) for story_id in story_ids]


class Pipeline:
    """Runs articles through all stages into a store; keeps dedup and story state warm."""

    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        self.store = store
        self.settings = settings or Settings()
        if store.reindex_needed:
            self.reindex()
        settings = self.settings
        self.state = WriterState(
            StateSettings(
                settings.cluster, settings.threads, settings.dedup_threshold, settings.num_perm
            )
        )
        self.state.catch_up(store)  # checked again inside every batch's write lock
        store.rollback_hooks.append(self.state.invalidate)  # a rolled-back batch is forgotten
        self.on_wait: Callable[[float], None] | None = None  # told while another writer commits

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
            return self._ingest(records, progress, on_skip)

    def _ingest(
        self,
        records: Iterable[RawArticle | Skipped],
        progress: ProgressFn | None,
        on_skip: Callable[[Skipped], None] | None,
    ) -> IngestReport:
        report = IngestReport()
        started = time.perf_counter()

        def skipped(record: Skipped) -> None:
            if record.ignored:
                report.notes.append(record)
                return
            report.n_skipped += 1
            if on_skip is None:
                report.skipped.append(record)
            else:
                on_skip(record)

        now = datetime.now().replace(microsecond=0)
        ordered = DateOrdered(records, now, skipped)
        self.state.start_run()
        total = ordered.read()
        report.read = total + report.n_skipped
        report.seconds["read"] += time.perf_counter() - started

        size = self.settings.batch_size
        n_batches = -(-total // size)
        with contextlib.ExitStack() as stack:
            pool = None
            if self.settings.workers >= 1 and n_batches >= PARALLEL_MIN_BATCHES:
                pool = stack.enter_context(
                    ProcessPoolExecutor(
                        self.settings.workers,
                        mp_context=get_context("spawn"),
                        initializer=_exit_with_parent,
                        initargs=(os.getpid(),),
                    )
                )
            self._store_batches(batched(ordered, size), total, now, pool, report, progress, skipped)
            # The worker that prepared the batches also takes a share of the summaries.
            self.summarize_dirty(report, pool=pool)
        return report

    def _store_batches(
        self,
        batches: Iterable[list[RawArticle]],
        total: int,
        now: datetime,
        pool: ProcessPoolExecutor | None,
        report: IngestReport,
        progress: ProgressFn | None,
        skipped: Callable[[Skipped], None],
    ) -> None:
        done = 0
        for batch, prepared in self._prepare(batches, now, pool):
            while True:
                outcome = IngestReport()
                try:
                    self._store_batch(batch, prepared, outcome)
                except _RecordFailed as failed:
                    # The batch was rolled back; store it again without that record.
                    item = prepared[failed.index]
                    assert isinstance(item, Prepared)
                    reason = _failure(failed.cause, "could not be stored")
                    prepared[failed.index] = Skipped(origin=item.raw.origin, reason=reason)
                    continue
                break
            _accumulate(report, outcome, skipped)
            done += len(batch)
            if progress:
                progress(done, total)

    def _store_batch(
        self, batch: list[RawArticle], prepared: list[Prepared | Skipped], report: IngestReport
    ) -> None:
        """Cluster and store one prepared batch in one transaction.

        Prepared outside the lock; clustered and stored inside it, against the committed
        state (other writers may have committed since the last batch).
        """
        with self.store.transaction(self.on_wait):
            self.state.catch_up(self.store)
            for index, item in enumerate(prepared):
                if isinstance(item, Skipped):
                    report.skipped.append(item)
                    continue
                try:
                    self._store_prepared(item, report)
                except Exception as exc:
                    raise _RecordFailed(index, exc) from exc
            self.state.prune_duplicates(batch[-1].date)
            self.state.save(self.store)

    def _prepare(
        self, batches: Iterable[list[RawArticle]], now: datetime, pool: ProcessPoolExecutor | None
    ) -> Iterator[tuple[list[RawArticle], list[Prepared | Skipped]]]:
        """Batches with their pure stages done, in order.

        On a large input a worker process (``pool``) prepares the next batch while this
        one is stored, which puts the machine's second core to work; a small input (a
        watch poll, an API call) is prepared here, sparing the worker's start-up.
        """
        settings = self.settings
        if pool is None:
            for batch in batches:
                yield batch, prepare_batch(batch, now, settings, None, self.store)
            return
        db_path = None if self.store.path == ":memory:" else self.store.path
        upcoming = iter(batches)
        first = next(upcoming, None)
        if first is None:
            return
        pending: deque[tuple[list[RawArticle], Future[list[Prepared | Skipped]]]] = deque()
        yielded_first = False
        try:
            for batch in upcoming:
                pending.append((batch, pool.submit(prepare_batch, batch, now, settings, db_path)))
                if len(pending) > settings.workers:  # at most one batch per worker ahead
                    break
            # A fresh worker takes a second or two to start (it imports everything): this
            # process prepares the first batch meanwhile instead of waiting for it.
            yield first, prepare_batch(first, now, settings, None, self.store)
            yielded_first = True
            while pending:
                batch, future = pending[0]
                prepared = future.result()
                pending.popleft()
                following = next(upcoming, None)
                if following is not None:
                    pending.append(
                        (
                            following,
                            pool.submit(prepare_batch, following, now, settings, db_path),
                        )
                    )
                yield batch, prepared
        except BrokenProcessPool:
            # A worker could not start or died (e.g. a script without a __main__ guard, or
            # out of memory): the batches not yet stored are prepared here instead.
            logger.warning("worker process failed; preparing the remaining batches inline")
            if not yielded_first:
                yield first, prepare_batch(first, now, settings, None, self.store)
            for batch, _future in pending:
                yield batch, prepare_batch(batch, now, settings, None, self.store)
            for batch in upcoming:
                yield batch, prepare_batch(batch, now, settings, None, self.store)

    def _store_prepared(self, item: Prepared, report: IngestReport) -> None:
        """Dedup, cluster and store one prepared article (the stateful part of ingest)."""
        seconds = report.seconds
        for stage, spent in item.seconds.items():
            seconds[stage] += spent
        raw = item.raw
        t2 = time.perf_counter()
        if self.store.has_identity(item.identity):
            report.already_stored += 1
            return
        published = item.published
        canonical = canonical_url(raw.url) if raw.url else None
        passages: list[tuple[Passage, int, float]] = []
        thread = 0
        previous = self.store.current_version(canonical) if canonical else None
        original = self.state.duplicates.find(item.fp, published, self.state.window)
        t3 = time.perf_counter()
        seconds["dedup"] += t3 - t2

        if previous is not None:
            # A new version of a known article (same URL, edited text) stays in its story
            # and replaces the old version rather than counting as its copy.
            story_id, is_new, original = previous[2], False, None
        elif original is not None:
            story_id = self.store.story_of(original)
            is_new = False
            if story_id is not None:
                # A copy strengthens its story's centroid, as many outlets carrying a text do.
                self.state.clusterer.add_to_story(story_id, item.cluster_doc)
        else:
            # Passages of a roundup are matched before the article joins a story, so a
            # passage is never drawn to the story its own article just opened.
            if item.passages:
                assignment, passages = self._cluster_roundup(item.passages, published)
            else:
                assignment = self.state.clusterer.assign(item.cluster_doc)
            story_id, is_new = assignment.story, assignment.is_new
            if is_new:
                doc = item.passages[0][1] if item.passages else item.cluster_doc
                thread = self.state.threads.link(
                    story_id, published, (*doc.title_stems, *doc.names), assignment.profile
                )
        t4 = time.perf_counter()
        seconds["cluster"] += t4 - t3
        # A copy says what its original says: extract once per text.
        found = None
        if self.settings.extract and original is None:
            found = item.found if item.found is not None else extract(item.body, item.body_tokens)
        t5 = time.perf_counter()
        seconds["extract"] += t5 - t4

        if story_id is not None and is_new:
            self.store.create_story(story_id)
        # ---- story merges (cluster/stories.py decides; store/redirects.py applies) ----
        for merge in self.state.clusterer.take_merges():
            self.store.merge_stories(merge.into, merge.merged)
        if story_id is not None and (moved := self.store.story_redirect(story_id)):
            story_id, is_new = moved, False
        passages = [(p, self.store.story_redirect(s) or s, score) for p, s, score in passages]
        # ---- end of story merges ----
        article_id = self.store.add_article(
            ext_id=raw.ext_id,
            source=raw.source,
            published=published,
            title=item.title,
            body=item.body,
            boilerplate=item.removed,
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
        )
        if original is None:
            self.state.duplicates.add(article_id, item.fp, published)
        if found is not None:
            self._store_extraction(article_id, found)
            self.store.count_entities(story_id, raw.source, entity_counts(found))
        if story_id is not None and is_new:
            self.store.set_thread(story_id, thread)
        for passage, passage_story, score in passages:
            if passage_story != story_id:
                self.store.add_passage(
                    article_id,
                    passage_story,
                    passage,
                    score,
                    source=raw.source,
                    published=published,
                )
        if previous is not None:
            self.store.supersede(previous[0], article_id)
            self.store.recount_entities(
                self.store.entity_keys(previous[0]) | self.store.entity_keys(article_id)
            )
            report.updated += 1
        elif story_id is not None:
            self.store.touch_story(story_id, raw.source, published)
        report.ingested += 1
        report.duplicates += original is not None
        report.new_stories += is_new
        t6 = time.perf_counter()
        seconds["store"] += t6 - t5
        if original is None:
            # The summarizer reads this body's lead when the story is next summarized.
            remember_lead(item.body, item.lead)
            seconds["summarize"] += time.perf_counter() - t6

    def _cluster_roundup(
        self, parts: Sequence[tuple[Passage, ClusterDoc]], published: datetime
    ) -> tuple[Assignment, list[tuple[Passage, int, float]]]:
        """Cluster a roundup passage by passage.

        The lead passage (with the title) decides the article's own story; every other
        passage joins or opens the story it reports and is linked there as "also reported
        in". Clustering the whole article instead would blend several events into one.
        A passage that matches no active story may report an event whose story has closed
        (a roundup's paragraph on day six of an operation): it is linked to that story
        when their opening reports are alike (:meth:`ThreadLinker.follow_up`), rather
        than opening a story of one paragraph.
        """
        lead = self.state.clusterer.assign(parts[0][1])
        placed = []
        for passage, doc in parts[1:]:
            if passage.end - passage.start < MIN_PASSAGE_STORY_CHARS:
                continue  # too thin to stand for an event of its own
            # Never its own article's story.
            assignment = self.state.clusterer.assign_unless(
                doc, partial(self.state.threads.follow_up, when=published, exclude=[lead.story])
            )
            if not isinstance(assignment, Assignment):  # (closed story, cosine)
                placed.append((passage, *assignment))
                continue
            if assignment.story == lead.story:
                continue
            if assignment.is_new:
                self.store.create_story(assignment.story)
                thread = self.state.threads.link(
                    assignment.story, published, doc.names, assignment.profile
                )
                self.store.set_thread(assignment.story, thread)
            placed.append((passage, assignment.story, assignment.score))
        return lead, placed

    def _store_extraction(self, article_id: int, found: Extraction) -> None:
        self.store.add_extraction(
            article_id,
            mentions=[
                (m.label, m.text, m.start, m.end, m.canonical, m.key) for m in found.entities
            ],
            statements=[
                (
                    s.speaker,
                    s.speaker_resolved,
                    speaker_canonical(s.speaker_resolved),
                    name_key(s.speaker_resolved),
                    s.cue,
                    s.start,
                    s.end,
                    s.direct,
                    s.source,
                    s.speaker_title,
                    s.speaker_description,
                    s.speaker_unresolved,
                )
                for s in found.statements
            ],
            numbers=[
                (
                    None if math.isnan(n.value) else n.value,
                    n.text,
                    n.start,
                    n.end,
                    n.counted,
                    n.counted_key,
                    n.is_percent,
                    n.approximate,
                    n.sentence_start,
                    n.sentence_end,
                )
                for n in found.numbers
            ],
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
        latest = self.store.latest_published()
        baseline = Baseline()
        if latest:
            since = latest - timedelta(days=BASELINE_DAYS)
            baseline = Baseline(
                {
                    outlet: OutletBaseline(articles, stories)
                    for outlet, (articles, stories) in self.store.outlet_output(since).items()
                },
                surge_outlets(self.store.story_reach(since, window_hours=WINDOW_HOURS)),
            )
        settings = self.settings
        theirs: Future[list[StoryRefresh | None]] | None = None
        mine = dirty
        if (
            pool is not None
            and self.store.path != ":memory:"
            and len(dirty) >= PARALLEL_MIN_SUMMARIES
        ):
            # A worker that died while preparing batches leaves a broken pool: then this
            # process summarizes them all.
            with contextlib.suppress(BrokenProcessPool):
                theirs = pool.submit(
                    refresh_stories, self.store.path, dirty[1::2], baseline, settings
                )
                mine = dirty[::2]
        refreshed = [refresh_story(self.store, story_id, baseline, settings) for story_id in mine]
        if theirs is not None:
            try:
                refreshed += theirs.result()
            except BrokenProcessPool:
                logger.warning("worker process failed; summarizing its stories here")
                refreshed += [
                    refresh_story(self.store, story_id, baseline, settings)
                    for story_id in dirty[1::2]
                ]
        with self.store.transaction(self.on_wait):
            for refresh in refreshed:
                if refresh is not None:
                    self._apply(refresh)
        if report is not None:
            report.stories_summarized += len(dirty)
            report.seconds["summarize"] += time.perf_counter() - started
        return len(dirty)

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

        def rows() -> Iterator[tuple[int, str, str]]:
            for article_id, title, body in self.store.iter_articles_for_reindex():
                tokens = arabic.tokenize(title) + arabic.tokenize(body)
                yield (
                    article_id,
                    " ".join(t.text for t in tokens),
                    " ".join(t.stem for t in tokens),
                )

        self.store.rebuild_fts(rows())


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


def entity_counts(found: Extraction) -> list[tuple[str, str, str, int]]:
    """Per distinct entity of one article: (key, canonical name, label, mentions)."""
    counts = Counter(m.key for m in found.entities)
    first: dict[str, EntityMention] = {}
    for mention in found.entities:
        first.setdefault(mention.key, mention)
    return [(key, first[key].canonical, first[key].label, n) for key, n in counts.items()]


def source_docs(members: list[StoredArticle]) -> list[SourceDoc]:
    """Representatives of a story's duplicate groups, each crediting its copies' outlets."""
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
        )
        for a in members
        if a.duplicate_of not in ids
    ]


def derive_title(body: str) -> str:
    """A title for an untitled article: its first sentence, cut at a word boundary."""
    spans = arabic.sentence_spans(body)
    first = body[spans[0][0] : spans[0][1]] if spans else body
    first = " ".join(first.split())
    if len(first) <= TITLE_MAX_CHARS:
        return first
    cut = first[:TITLE_MAX_CHARS].rsplit(" ", 1)[0]
    return cut + "…"


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
