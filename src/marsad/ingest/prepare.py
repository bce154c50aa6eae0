"""Stateless preparation of one article: everything ingest computes without the store.

Decode and read happen in :mod:`marsad.ingest.readers`; here a read record is cleaned
(boilerplate), titled, given its canonical URL, tokenized, fingerprinted, described for
clustering (with its roundup passages), given its full-text index terms and lead sentences
and, optionally, extracted. Every function is pure over frozen values, so a batch can be
prepared in a worker process while the previous one is written.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import time
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime

from marsad.cluster.passages import Passage, group_events, split_passages
from marsad.cluster.stories import ClusterDoc, make_cluster_doc
from marsad.dedup.minhash import Fingerprint, fingerprint
from marsad.extract.article import TAG_TEXTS, Extraction, extract, tag_entities
from marsad.extract.ner import Entity
from marsad.extract.wires import detect_agency
from marsad.ingest.boilerplate import strip_boilerplate
from marsad.ingest.urls import canonical_url
from marsad.models import RawArticle, Skipped, Token
from marsad.settings import Settings
from marsad.summarize import LeadSentence, lead_analysis
from marsad.text import arabic

logger = logging.getLogger(__name__)

TIME_PUBLISHED = "published"  # an article's time is when its outlet published it...
TIME_CRAWLED = "crawled"  # ...or only when it was crawled (or ingested)
TITLE_MAX_CHARS = 120
_CRAWL_KINDS = frozenset({"crawled", "crawl", "extracted", "fetched"})
# Wire copies and re-sent records repeat a body word for word: of 4,905 July bodies, 144
# equal an earlier one (141 on the same day, up to 1,738 records apart in file order).
# Their extraction, a pure function of the body and its publication day, is the first's.
EXTRACTIONS_KEPT = 2048  # bodies remembered per process (about 10 MB of text)


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
    canonical: str | None  # the URL that identifies versions of this article
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
    # What the summarizer reads of this body; None when not analysed (the summarizer
    # analyses the stored body then).
    lead: tuple[LeadSentence, ...] | None
    seconds: dict[str, float]
    agency: str | None = None  # the news agency its byline or signature credits
    time_kind: str = TIME_PUBLISHED  # what ``published`` is: publication or crawl time


def index_terms(title_tokens: Sequence[Token], body_tokens: Sequence[Token]) -> tuple[str, str]:
    """The full-text index entry of an article: (folded words, stems), title then body.

    The one way index terms are built, at ingest and by a reindex after a rules change.
    """
    words = (
        " ".join([t.text for t in title_tokens]) + " \n " + " ".join([t.text for t in body_tokens])
    )
    stems = (
        " ".join([t.stem for t in title_tokens]) + " \n " + " ".join([t.stem for t in body_tokens])
    )
    return words, stems


def stored_index_terms(title: str, body: str) -> tuple[str, str]:
    """:func:`index_terms` of a stored article (a reindex after a rules change)."""
    return index_terms(arabic.tokenize(title), arabic.tokenize(body))


def prepare_article(
    raw: RawArticle, now: datetime, settings: Settings, *, with_lead: bool = True
) -> Prepared | Skipped:
    """Run the pure stages but extraction on one article; Skipped when no text is left.

    ``with_lead=False`` leaves out the lead analysis (``Prepared.lead`` None) for an article
    that is clustered but never summarized where it is prepared (a block's warm-up)."""
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    body, removed = strip_boilerplate(raw.text, title=raw.title)
    if not body.strip():
        return Skipped(origin=raw.origin, reason="no article text left after removing boilerplate")
    title = raw.title.strip() or derive_title(body)
    canonical = canonical_url(raw.url) if raw.url else None
    t1 = time.perf_counter()
    seconds["clean"] = t1 - t0
    title_tokens = arabic.tokenize(title)
    body_tokens = arabic.tokenize(body)
    words, stems = index_terms(title_tokens, body_tokens)
    # Same outlet, same id or URL, same text: the record was ingested already. The same
    # text under another id or URL is a re-publication, kept and counted as a copy.
    identity = _digest("\x00".join((raw.source, raw.ext_id or raw.url or "", words)))
    t2 = time.perf_counter()
    seconds["analyze"] = t2 - t1
    # The body's words joined, as index_terms joined them after the title's: no token text
    # holds a line break, so the first " \n " ends the title's.
    fp = fingerprint(words.partition(" \n ")[2], num_perm=settings.num_perm)
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
    lead = lead_analysis(body, body_tokens) if with_lead else None
    seconds["summarize"] = time.perf_counter() - t4
    return Prepared(
        raw=raw,
        published=published,
        title=title,
        body=body,
        removed=removed,
        canonical=canonical,
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
    is_stored: Callable[[str], bool] | None = None,
    *,
    with_leads: bool = True,
) -> list[Prepared | Skipped]:
    """:func:`prepare_article` over a batch plus extraction (in a worker process, or in the
    writer before it takes the write lock, so that other writers do not wait for it).

    Extraction (the costliest step) is skipped for records whose identity ``is_stored``
    says the store already holds, so re-running an ingest after a kill does not redo it.
    (Near-duplicate copies are still extracted here, which the stateful step would have
    spared: cheaper than making the two processes talk per article.) The batch's bodies
    are tagged for names together (:func:`marsad.extract.article.tag_entities`: the same
    entities as one by one, at a fraction of the per-article cost).
    """
    # Token lists are dropped as soon as they are no longer needed: held longer, the
    # garbage collector walks them again and again (without extraction, holding a chunk's
    # cost 0.6-0.8 CPU ms per article, gone with the collector off).
    with collector_paused():
        if not settings.extract:
            return [_shipped(_prepare_one(raw, now, settings, with_leads)) for raw in batch]
        return _prepare_and_extract(batch, now, settings, is_stored, with_leads)


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for a batch, back on (as it was) after it.

    A chunk's tokens (named tuples, which the collector never untracks) outlive many
    collections and reach the oldest generation, so full collections over every live
    object ran every few dozen articles: 1.9 of 13.3 CPU ms per article on 2,000 July
    records (0.1 paused). Preparing makes next to no reference cycles; whatever it makes
    is collected after the batch.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class RecentExtractions:
    """The extractions of the last ``size`` distinct bodies, by body and publication day."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: OrderedDict[tuple[str, date], Extraction] = OrderedDict()

    def get(self, body: str, day: date) -> Extraction | None:
        """The extraction of this body on this day, if it is remembered."""
        found = self._kept.get((body, day))
        if found is not None:
            self._kept.move_to_end((body, day))
        return found

    def keep(self, body: str, day: date, found: Extraction) -> None:
        """Remember an extraction, forgetting the least recently used beyond ``size``."""
        self._kept[(body, day)] = found
        self._kept.move_to_end((body, day))
        while len(self._kept) > self.size:
            self._kept.popitem(last=False)

    def clear(self) -> None:
        """Forget everything (tests that swap an extractor)."""
        self._kept.clear()


RECENT_EXTRACTIONS = RecentExtractions(EXTRACTIONS_KEPT)


def _prepare_and_extract(
    batch: list[RawArticle],
    now: datetime,
    settings: Settings,
    is_stored: Callable[[str], bool] | None,
    with_leads: bool = True,
) -> list[Prepared | Skipped]:
    """:func:`prepare_batch` with extraction, a chunk of TAG_TEXTS records at a time."""
    done: list[Prepared | Skipped] = []
    for first in range(0, len(batch), TAG_TEXTS):  # a chunk's bodies are tagged together
        items = [
            _prepare_one(raw, now, settings, with_leads) for raw in batch[first : first + TAG_TEXTS]
        ]
        fresh: list[int] = []  # tagged and extracted here
        copies: dict[int, int] = {}  # a repeated body of this chunk -> its first
        firsts: dict[tuple[str, date], int] = {}
        for index, item in enumerate(items):
            if not isinstance(item, Prepared) or (
                is_stored is not None and is_stored(item.identity)
            ):
                continue
            key = (item.body, item.published.date())
            found = RECENT_EXTRACTIONS.get(*key)
            if found is not None:
                items[index] = _with_extraction(item, found)
            elif key in firsts:
                copies[index] = firsts[key]
            else:
                firsts[key] = index
                fresh.append(index)
        tagged = _tag_together([items[index] for index in fresh])  # type: ignore[misc]
        for index, found_entities in zip(fresh, tagged, strict=True):
            item = _extract_one(items[index], found_entities)  # type: ignore[arg-type]
            if isinstance(item, Prepared) and item.found is not None:
                RECENT_EXTRACTIONS.keep(item.body, item.published.date(), item.found)
            items[index] = item
        for index, original in copies.items():
            done_first, copy = items[original], items[index]
            assert isinstance(copy, Prepared)
            if isinstance(done_first, Prepared) and done_first.found is not None:
                items[index] = _with_extraction(copy, done_first.found)
            else:  # the first failed: this one fails (or not) on its own
                items[index] = _extract_one(copy, (None, 0.0))
        done += map(_shipped, items)
    return done


def _with_extraction(item: Prepared, found: Extraction) -> Prepared:
    """A prepared article given the extraction of an equal body on the same day."""
    return replace(item, found=found, seconds={**item.seconds, "extract": 0.0})


def _shipped(item: Prepared | Skipped) -> Prepared | Skipped:
    """The item without its token lists (see ``Prepared.body_tokens``)."""
    if isinstance(item, Prepared):
        return replace(item, title_tokens=None, body_tokens=None)
    return item


def _prepare_one(
    raw: RawArticle, now: datetime, settings: Settings, with_lead: bool = True
) -> Prepared | Skipped:
    """One record through the pure stages but extraction; any failure is that record's
    alone."""
    try:
        return prepare_article(raw, now, settings, with_lead=with_lead)
    except Exception as exc:  # one bad record must not stop the others
        logger.debug("analysing %s failed", raw.origin, exc_info=True)
        return Skipped(origin=raw.origin, reason=failure_reason(exc, "could not be analysed"))


def _tag_together(items: list[Prepared]) -> list[tuple[list[Entity] | None, float]]:
    """Entities of the items' bodies tagged in shared batches, each with its share of the
    tagging time (by its tokens); None for every item if the batch fails (then each is
    tagged alone, so one bad body fails only its own record)."""
    if not items:
        return []
    started = time.perf_counter()
    bodies = [item.body for item in items]
    tokens = [item.body_tokens for item in items]
    try:
        found = tag_entities(bodies, None if None in tokens else tokens)  # type: ignore[arg-type]
    except Exception:
        logger.debug("tagging a batch together failed; tagging one by one", exc_info=True)
        return [(None, 0.0)] * len(items)
    spent = time.perf_counter() - started
    words = [max(1, len(item.body_tokens or ())) for item in items]
    total = sum(words)
    return [(entities, spent * count / total) for entities, count in zip(found, words, strict=True)]


def _extract_one(item: Prepared, tagged: tuple[list[Entity] | None, float]) -> Prepared | Skipped:
    """Extraction of one prepared article, from its entities tagged already (or tagging it
    here); any failure is that record's alone."""
    entities, tagging_s = tagged
    try:
        started = time.perf_counter()
        found = extract(
            item.body, item.body_tokens, published=item.published.date(), entities=entities
        )
        spent = time.perf_counter() - started + tagging_s
        return replace(item, found=found, seconds={**item.seconds, "extract": spent})
    except Exception as exc:  # one bad record must not stop the others
        logger.debug("extracting %s failed", item.raw.origin, exc_info=True)
        return Skipped(origin=item.raw.origin, reason=failure_reason(exc, "could not be analysed"))


def failure_reason(exc: BaseException, what: str) -> str:
    """The skip reason of a record that failed in one stage (the run goes on)."""
    detail = f"{type(exc).__name__}: {exc}"
    if len(detail) > 200:
        detail = detail[:200] + "…"
    return (
        f"{what} ({detail}); the rest of the input was ingested. Check this record, or run"
        " with --debug and report it"
    )


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
