"""Related coverage: other stories of the days around a story that share its rarest words.

Clustering decides whether two reports are *one* event, and it must stay strict: two
shellings of one town, or an operation announced one week and condemned the next, are
kept apart unless their texts agree closely. An analyst still wants to see those
neighbours. This module finds them at read time, through the full-text index, and never
changes a story: the story's most distinctive stems (TF-IDF against the whole store) are
looked up among articles published within ``days`` of it, and each hit is scored part by
part (a roundup's lead and each of its passages belong to different stories), by the
share of the story's distinctive weight that the part carries.

It reads a bounded amount: ``CANDIDATE_TERMS`` document-frequency counts, one ranked
query of ``RANKED_HITS`` rows, and the texts of at most ``MAX_HITS`` articles (about 0.1 s
a story on the July dev pool, 14,848 articles, on this 2-core machine).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from marsad.data import load_gzip_text
from marsad.errors import StoreError
from marsad.store import Store
from marsad.text import arabic

RELATED_DAYS = 10.0  # as far as story threads reach (ThreadSettings.window_days)
QUERY_TERMS = 12  # distinctive stems looked up
CANDIDATE_TERMS = 40  # most frequent stems of the story whose document frequency is counted
RANKED_HITS = 500  # best full-text matches, of any date, filtered to the days around
MAX_HITS = 60  # articles read at most
MAX_MEMBERS = 20  # story articles read to find its terms
# A part must share this many of the story's distinctive stems, carrying this share of their
# weight. Read on the July dev pool (25 random links per band): from 0.2 to 0.3 about 5 share
# a subject, the rest is chance (cattle birth certificates beside biometric passports); from
# 0.3 to 0.4 about 18 (airports, prices in Mecca, sukuk); above, often one event split apart.
MIN_SHARED = 3
MIN_SHARE = 0.3


@dataclass(frozen=True, slots=True)
class RelatedStory:
    """A story near in time and words, with the article part that shows it."""

    story_id: int
    story_title: str  # the related story's headline
    article_id: int
    source: str
    published: str
    title: str  # of the article holding the part
    paragraphs: tuple[int, int] | None  # set when the part is a roundup passage
    shared: tuple[str, ...]  # shared distinctive words, as the story writes them
    score: float  # share of the story's distinctive weight found in the part


@dataclass(frozen=True, slots=True)
class _Part:
    story_id: int
    spans: tuple[tuple[int, int], ...]  # body offsets
    paragraphs: tuple[int, int] | None


def related_stories(
    store: Store, story_id: int, *, days: float = RELATED_DAYS, limit: int = 5
) -> list[RelatedStory]:
    """Stories, other than ``story_id`` and its thread, that share its distinctive words.

    Best first; empty when the story has no text or nothing is close enough.
    """
    story = store.story(story_id)
    if story is None or story.first_seen is None or story.last_seen is None:
        return []
    texts, own_articles = _story_texts(store, story_id)
    counts: Counter[str] = Counter()
    surface: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        for token in arabic.tokenize(text):
            if not arabic.is_content_word(token.text):
                continue
            counts[token.stem] += 1
            surface[token.stem][text[token.start : token.end]] += 1
    weights = _distinctive(store, counts)
    if len(weights) < MIN_SHARED:
        return []
    since, until = _around(story.first_seen, story.last_seen, days)
    expression = " OR ".join(_stem_clause(term) for term in weights)
    try:
        ranked = store.fts_query(expression, limit=RANKED_HITS)
    except StoreError as exc:
        raise StoreError(f"related coverage of story {story_id}: {exc}") from exc
    hit_ids = _published_between(
        store, [a for a, _rank in ranked if a not in own_articles], since, until
    )[:MAX_HITS]
    parts = _parts(store, hit_ids)
    thread = story.thread_id
    threads, titles = _threads(store, {p.story_id for ps in parts.values() for p in ps})
    total = sum(weights.values())
    best: dict[int, RelatedStory] = {}
    for article in store.articles(hit_ids):
        tokens = arabic.tokenize(article.body)
        starts = [t.start for t in tokens]
        for part in parts.get(article.id, []):
            if part.story_id == story_id or (
                thread is not None and threads.get(part.story_id) == thread
            ):
                continue
            present = {
                t.stem
                for start, end in part.spans
                for t in tokens[bisect_left(starts, start) : bisect_left(starts, end)]
            }
            if part.paragraphs is None:  # the article's own story: its title counts too
                present.update(t.stem for t in arabic.tokenize(article.title))
            shared = [term for term in weights if term in present]
            score = sum(weights[term] for term in shared) / total
            if len(shared) < MIN_SHARED or score < MIN_SHARE:
                continue
            found = RelatedStory(
                story_id=part.story_id,
                story_title=titles.get(part.story_id, ""),
                article_id=article.id,
                source=article.source,
                published=article.published.isoformat(),
                title=article.title,
                paragraphs=part.paragraphs,
                shared=tuple(surface[term].most_common(1)[0][0] for term in shared),
                score=round(score, 3),
            )
            if part.story_id not in best or found.score > best[part.story_id].score:
                best[part.story_id] = found
    return sorted(best.values(), key=lambda r: (-r.score, r.story_id))[:limit]


def coverage_version(store: Store, story_id: int, *, days: float = RELATED_DAYS) -> int:
    """How many articles the store holds in the days a story's related list reads.

    A cached story page must be rebuilt when this changes: an article published near the
    story may be related coverage without touching the story itself. (Counted on the
    publication index; articles far from the story leave its page cached.)
    """
    span = store.story_span(story_id)
    if span is None:
        return 0
    return store.count_published_between(*_around(*span, days))


def _around(first: datetime, last: datetime, days: float) -> tuple[datetime, datetime]:
    """``days`` before ``first`` to ``days`` after ``last``, clamped to the calendar (a
    story dated in year 1 or 9999 must not overflow)."""
    span = timedelta(days=days)
    since = first - span if first - datetime.min > span else datetime.min
    until = last + span if datetime.max - last > span else datetime.max
    return since, until


def _story_texts(store: Store, story_id: int) -> tuple[list[str], set[int]]:
    """The story's own texts and the ids of every article they come from (never related
    to the story itself). A member that is a roundup gives only its part outside the
    passages placed in other stories, and each passage of another article its text."""
    members = [a for a in store.story_articles(story_id) if a.duplicate_of is None]
    shown = members[:MAX_MEMBERS]
    parts = _parts(store, [a.id for a in shown])
    texts = []
    for article in shown:
        own = next((p for p in parts.get(article.id, []) if p.paragraphs is None), None)
        spans = own.spans if own is not None else ((0, len(article.body)),)
        texts += [article.title, *(article.body[start:end] for start, end in spans)]
    passages = store.story_passages(story_id)
    texts += [p["text"] for p in passages[:MAX_MEMBERS]]
    return texts, {a.id for a in members} | {int(p["article_id"]) for p in passages}


@lru_cache(maxsize=1)
def background_df() -> tuple[int, dict[str, int]]:
    """(articles, stem -> articles containing it) of the shipped news background
    (``data/stem_df_ar.tsv.gz``, see ``scripts/build_stem_df.py``); empty when it was
    built with other normalization rules, whose stems would not match."""
    raw = load_gzip_text("stem_df_ar.tsv.gz")
    documents, normalizer, df = 0, "", {}
    for line in raw.splitlines():
        key, _, value = line.partition("\t")
        if key == "# documents":
            documents = int(value)
        elif key == "# normalizer":
            normalizer = value
        else:
            df[key] = int(value)
    if normalizer != arabic.NORMALIZER_VERSION:
        return 0, {}
    return documents, df


def _distinctive(store: Store, counts: Counter[str]) -> dict[str, float]:
    """The ``QUERY_TERMS`` stems of heaviest TF-IDF. Document frequencies are the store's
    plus the news background's: a small store alone would find every word rare."""
    background, background_counts = background_df()
    documents = store.count("articles") + background
    candidates = counts.most_common(CANDIDATE_TERMS)
    found = store.count_fts_matches_each([_stem_clause(term) for term, _count in candidates])
    weights = {}
    for (term, count), in_store in zip(candidates, found, strict=True):
        df = in_store + background_counts.get(term, 0)
        weights[term] = (1.0 + math.log(count)) * math.log((documents + 1) / (df + 1))
    top = sorted(weights, key=lambda term: (-weights[term], term))[:QUERY_TERMS]
    return {term: weights[term] for term in top if weights[term] > 0}


def _parts(store: Store, article_ids: list[int]) -> dict[int, list[_Part]]:
    """Each article split into the parts clustering placed: its roundup passages (in their
    stories) and the rest (in the article's own story)."""
    if not article_ids:
        return {}
    own = store.article_stories_and_lengths(article_ids)
    passages: dict[int, list[_Part]] = defaultdict(list)
    for article_id, story_id, start, end, first, last in store.passages_of_articles(article_ids):
        passages[article_id].append(_Part(story_id, ((start, end),), (first, last)))
    parts: dict[int, list[_Part]] = {}
    for article_id, (story_id, length) in own.items():
        # The article's own story covers the body outside its placed passages; scoring the
        # whole body there would credit it with the words of the passages.
        placed = passages.get(article_id, [])
        rest, cursor = [], 0
        for passage in placed:
            start, end = passage.spans[0]
            if start > cursor:
                rest.append((cursor, start))
            cursor = max(cursor, end)
        if cursor < length:
            rest.append((cursor, length))
        parts[article_id] = [_Part(story_id, tuple(rest), None), *placed]
    return parts


def _stem_clause(term: str) -> str:
    return 'stems:"' + term.replace('"', '""') + '"'


def _published_between(
    store: Store, article_ids: list[int], since: datetime, until: datetime
) -> list[int]:
    """The live originals among ``article_ids`` published in [since, until], in order.

    (Filtering the ranked matches here is much cheaper than a rowid condition in the
    full-text query, which SQLite cannot combine with the ranking.)"""
    inside = store.live_originals_published_between(article_ids, since, until)
    return [a for a in article_ids if a in inside]


def _threads(store: Store, story_ids: set[int]) -> tuple[dict[int, int], dict[int, str]]:
    """Thread ids and headlines of stories."""
    threads, titles = {}, {}
    for story_id, thread_id, title in store.story_threads_and_titles(sorted(story_ids)):
        if thread_id is not None:
            threads[story_id] = thread_id
        titles[story_id] = title
    return threads, titles
