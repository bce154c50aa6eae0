"""Incremental (online) story clustering of articles arriving in date order.

Each article becomes three sparse TF-IDF vectors over stems: body, title and "names"
(name-like keys: stem bigrams from the title and lead, numbers with their noun). A
story keeps the sum of its members' unit vectors (a centroid, truncated to the
heaviest terms). A new article is scored against the stories it shares heavy terms
with (an inverted index, only stories updated within a time window), and joins the
best one when the weighted similarity, decayed by the time gap, clears a threshold;
otherwise it opens a new story. This follows the online centroid scheme of Miranda et
al. (2018, "Multilingual Clustering of Streaming News") with a separate join-or-open
decision, and TF-IDF on stems plus time as in Staykovski et al. (2019).

IDF is incremental: document frequencies seen so far, smoothed. Memory is bounded by
the window: stories not updated within ``window_days`` are dropped from memory.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from marsad.models import Token
from marsad.text.arabic import content_stems, tokenize

Vector = dict[str, float]

_STATE_VERSION = 1


@dataclass(frozen=True)
class ClusterDoc:
    """The features of one article that clustering uses.

    Attributes:
        key: article id.
        when: publication time (naive UTC).
        source: outlet name.
        title_stems: content stems of the title.
        stems: content stems of the body, in order.
        names: name-like keys (stem bigrams of title and lead, "number noun" pairs).
    """

    key: int
    when: datetime
    source: str
    title_stems: tuple[str, ...]
    stems: tuple[str, ...]
    names: tuple[str, ...]


@dataclass(frozen=True)
class ClusterSettings:
    """Knobs of the online clusterer (defaults tuned on the demo and July dev gold).

    Attributes:
        window_days: a story not updated for this long takes no new articles and is forgotten.
        join_threshold: minimum decayed similarity to join a story instead of opening one.
        body_weight: weight of body-vs-story-body cosine.
        title_weight: weight of title-vs-story-titles cosine.
        names_weight: weight of names-vs-story-names cosine.
        half_life_days: similarity halves for every this many days since the story's last article.
        max_terms: terms kept per centroid (and per document vector).
        index_terms: heaviest centroid terms posted in the inverted index per story.
        query_terms: heaviest document terms used to look up candidate stories.
        max_candidates: stories scored per article at most.
        lead_terms: body stems, from the start, whose bigrams become name keys.
    """

    window_days: float = 3.0
    join_threshold: float = 0.3
    body_weight: float = 0.5
    title_weight: float = 0.2
    names_weight: float = 0.3
    half_life_days: float = 4.0
    max_terms: int = 80
    index_terms: int = 20
    query_terms: int = 15
    max_candidates: int = 30
    lead_terms: int = 40


@dataclass(frozen=True)
class Assignment:
    """Where an article went: its story id, whether that story is new, and the join score."""

    story: int
    is_new: bool
    score: float


# --------------------------------------------------------------------------- documents


def _bigrams(stems: Sequence[str]) -> list[str]:
    return [f"{first} {second}" for first, second in itertools.pairwise(stems)]


def _number_keys(tokens: Sequence[Token], content: set[str]) -> list[str]:
    """"27 قتل" style keys: a number followed by a content word pins down an event."""
    keys = []
    for current, following in itertools.pairwise(tokens):
        if current.text.isdigit() and following.stem in content:
            keys.append(f"{current.text} {following.stem}")
    return keys


def make_cluster_doc_from_tokens(
    key: int,
    when: datetime,
    source: str,
    title_tokens: Sequence[Token],
    body_tokens: Sequence[Token],
    *,
    lead_terms: int = ClusterSettings.lead_terms,
) -> ClusterDoc:
    """Build a :class:`ClusterDoc` from already tokenized title and body."""
    title_stems = content_stems(list(title_tokens))
    body_stems = content_stems(list(body_tokens))
    content = set(title_stems) | set(body_stems)
    names = (
        _bigrams(title_stems)
        + _bigrams(body_stems[:lead_terms])
        + _number_keys(title_tokens, content)
        + _number_keys(body_tokens, content)
    )
    return ClusterDoc(
        key=key,
        when=when,
        source=source,
        title_stems=tuple(title_stems),
        stems=tuple(body_stems),
        names=tuple(names),
    )


def make_cluster_doc(
    key: int,
    when: datetime,
    source: str,
    title: str = "",
    body: str = "",
    *,
    title_tokens: Sequence[Token] | None = None,
    body_tokens: Sequence[Token] | None = None,
) -> ClusterDoc:
    """Build a :class:`ClusterDoc` from an article, tokenizing only what was not passed.

    Args:
        key: article id.
        when: publication time.
        source: outlet name.
        title: title text (ignored when ``title_tokens`` is given).
        body: body text (ignored when ``body_tokens`` is given).
        title_tokens: precomputed ``tokenize(title)``.
        body_tokens: precomputed ``tokenize(body)``.
    """
    return make_cluster_doc_from_tokens(
        key,
        when,
        source,
        tokenize(title) if title_tokens is None else title_tokens,
        tokenize(body) if body_tokens is None else body_tokens,
    )


# --------------------------------------------------------------------------- vectors


def _top(vector: Vector, count: int) -> list[str]:
    """The ``count`` heaviest terms, ties broken by the term so results are reproducible."""
    if len(vector) <= count:
        return sorted(vector, key=lambda term: (-vector[term], term))
    return heapq.nsmallest(count, vector, key=lambda term: (-vector[term], term))


def _truncate(vector: Vector, count: int) -> Vector:
    return {term: vector[term] for term in _top(vector, count)}


def _unit(vector: Vector) -> Vector:
    norm = math.sqrt(sum(weight * weight for weight in vector.values()))
    return {term: weight / norm for term, weight in vector.items()} if norm else {}


def _cosine(unit_doc: Vector, centroid: Vector, centroid_norm: float) -> float:
    if not centroid_norm:
        return 0.0
    dot = sum(weight * centroid.get(term, 0.0) for term, weight in unit_doc.items())
    return dot / centroid_norm


def _norm(vector: Vector) -> float:
    return math.sqrt(sum(weight * weight for weight in vector.values()))


@dataclass
class _Story:
    """Mutable centroid state of one active story."""

    story_id: int
    last: datetime
    size: int
    body: Vector
    title: Vector
    names: Vector
    body_norm: float = 0.0
    title_norm: float = 0.0
    names_norm: float = 0.0

    def refresh_norms(self) -> None:
        self.body_norm = _norm(self.body)
        self.title_norm = _norm(self.title)
        self.names_norm = _norm(self.names)


@dataclass(frozen=True)
class _DocVectors:
    body: Vector
    title: Vector
    names: Vector


# --------------------------------------------------------------------------- clusterer


class StoryClusterer:
    """Online clusterer: call :meth:`assign` for each article in date order."""

    def __init__(self, settings: ClusterSettings | None = None, *, next_story_id: int = 1) -> None:
        """Start with no history.

        Args:
            settings: clustering knobs; defaults when None.
            next_story_id: first story id to allocate (one past the largest id already used).
        """
        self.settings = settings or ClusterSettings()
        self._next_id = next_story_id
        self._doc_count = 0
        self._df: Counter[str] = Counter()
        self._stories: dict[int, _Story] = {}
        self._postings: dict[str, set[int]] = {}
        self._indexed: dict[int, list[str]] = {}
        self._expiry: list[tuple[datetime, int]] = []  # (last update, story), may hold stale rows
        self._now: datetime | None = None

    @property
    def active_stories(self) -> int:
        """Number of stories still held in memory (updated within the window)."""
        return len(self._stories)

    # ---- public API

    def assign(self, doc: ClusterDoc) -> Assignment:
        """Put ``doc`` into the best recent story or a new one, and update the state."""
        self._advance_clock(doc.when)
        vectors = self._vectorize(doc)
        best_story, best_score = self._best_story(doc.when, vectors)
        if best_story is not None and best_score >= self.settings.join_threshold:
            self._absorb(best_story, doc.when, vectors)
            return Assignment(story=best_story.story_id, is_new=False, score=best_score)
        story = _Story(self._next_id, doc.when, 0, {}, {}, {})
        self._next_id += 1
        self._stories[story.story_id] = story
        self._absorb(story, doc.when, vectors)
        return Assignment(story=story.story_id, is_new=True, score=best_score)

    def add_to_story(self, story_id: int, doc: ClusterDoc) -> bool:
        """Fold ``doc`` into a known story without scoring (e.g. a wire copy of a member).

        Returns:
            False when the story is no longer active (it is left alone then).
        """
        self._advance_clock(doc.when)
        vectors = self._vectorize(doc)
        story = self._stories.get(story_id)
        if story is None:
            return False
        self._absorb(story, doc.when, vectors)
        return True

    def export_state(self) -> dict[str, Any]:
        """JSON-serialisable state: IDF counts, active stories, clock and next id."""
        return {
            "version": _STATE_VERSION,
            "next_story_id": self._next_id,
            "doc_count": self._doc_count,
            "now": self._now.isoformat() if self._now else None,
            "df": dict(self._df),
            "stories": [
                {
                    "id": story.story_id,
                    "last": story.last.isoformat(),
                    "size": story.size,
                    "body": story.body,
                    "title": story.title,
                    "names": story.names,
                }
                for story in self._stories.values()
            ],
        }

    @classmethod
    def from_state(
        cls, state: dict[str, Any], settings: ClusterSettings | None = None
    ) -> StoryClusterer:
        """Continue from :meth:`export_state` output; a later run picks up where it stopped."""
        if state.get("version") != _STATE_VERSION:
            raise ValueError(f"unsupported clusterer state version: {state.get('version')!r}")
        clusterer = cls(settings, next_story_id=int(state["next_story_id"]))
        clusterer._doc_count = int(state["doc_count"])
        clusterer._now = datetime.fromisoformat(state["now"]) if state["now"] else None
        clusterer._df = Counter({term: int(count) for term, count in state["df"].items()})
        for row in state["stories"]:
            story = _Story(
                story_id=int(row["id"]),
                last=datetime.fromisoformat(row["last"]),
                size=int(row["size"]),
                body={term: float(weight) for term, weight in row["body"].items()},
                title={term: float(weight) for term, weight in row["title"].items()},
                names={term: float(weight) for term, weight in row["names"].items()},
            )
            story.refresh_norms()
            clusterer._stories[story.story_id] = story
            clusterer._reindex(story)
            heapq.heappush(clusterer._expiry, (story.last, story.story_id))
        return clusterer

    # ---- internals

    def _advance_clock(self, when: datetime) -> None:
        """Move the clock forward and forget stories that fell out of the window."""
        if self._now is not None and when <= self._now:
            return
        self._now = when
        cutoff = when - timedelta(days=self.settings.window_days)
        while self._expiry and self._expiry[0][0] < cutoff:
            last, story_id = heapq.heappop(self._expiry)
            story = self._stories.get(story_id)
            if story is not None and story.last == last:
                self._unindex(story_id)
                del self._stories[story_id]

    def _idf(self, term: str) -> float:
        return math.log((1 + self._doc_count) / (1 + self._df[term])) + 1.0

    def _weigh(self, counts: Counter[str]) -> Vector:
        """Sublinear TF times IDF, truncated to the heaviest terms, unit length."""
        weights = {
            term: (1.0 + math.log(count)) * self._idf(term) for term, count in counts.items()
        }
        return _unit(_truncate(weights, self.settings.max_terms))

    def _vectorize(self, doc: ClusterDoc) -> _DocVectors:
        """Count the document into the IDF statistics, then weigh its three vectors."""
        body_counts = Counter(doc.stems)
        title_counts = Counter(doc.title_stems)
        name_counts = Counter(doc.names)
        self._doc_count += 1
        self._df.update(body_counts.keys() | title_counts.keys() | name_counts.keys())
        return _DocVectors(
            body=self._weigh(body_counts + title_counts),
            title=self._weigh(title_counts),
            names=self._weigh(name_counts),
        )

    def _candidates(self, when: datetime, vectors: _DocVectors) -> list[_Story]:
        """Active, in-window stories sharing the document's heaviest terms, best first."""
        limit = self.settings.query_terms
        query = _top(vectors.body, limit) + _top(vectors.names, limit // 2)
        hits: dict[int, float] = {}
        for term in query:
            weight = vectors.body.get(term, 0.0) + vectors.names.get(term, 0.0)
            for story_id in self._postings.get(term, ()):
                hits[story_id] = hits.get(story_id, 0.0) + weight
        oldest = when - timedelta(days=self.settings.window_days)
        ranked = sorted(hits, key=lambda story_id: (-hits[story_id], story_id))
        stories = (self._stories[story_id] for story_id in ranked)
        return [story for story in stories if story.last >= oldest][: self.settings.max_candidates]

    def _score(self, when: datetime, vectors: _DocVectors, story: _Story) -> float:
        settings = self.settings
        total = settings.body_weight * _cosine(vectors.body, story.body, story.body_norm)
        weight_sum = settings.body_weight
        if vectors.title:
            total += settings.title_weight * _cosine(vectors.title, story.title, story.title_norm)
            weight_sum += settings.title_weight
        if vectors.names:
            total += settings.names_weight * _cosine(vectors.names, story.names, story.names_norm)
            weight_sum += settings.names_weight
        gap_days = max(0.0, (when - story.last).total_seconds() / 86400.0)
        return total / weight_sum * math.pow(0.5, gap_days / settings.half_life_days)

    def _best_story(self, when: datetime, vectors: _DocVectors) -> tuple[_Story | None, float]:
        best: _Story | None = None
        best_score = 0.0
        for story in self._candidates(when, vectors):
            score = self._score(when, vectors, story)
            if score > best_score:
                best, best_score = story, score
        return best, best_score

    def _absorb(self, story: _Story, when: datetime, vectors: _DocVectors) -> None:
        """Add the document's unit vectors to the story centroid and re-index it."""
        max_terms = self.settings.max_terms
        for centroid, vector in (
            (story.body, vectors.body),
            (story.title, vectors.title),
            (story.names, vectors.names),
        ):
            for term, weight in vector.items():
                centroid[term] = centroid.get(term, 0.0) + weight
        # Truncate lazily (at twice the size) so most updates skip the sort.
        if len(story.body) > 2 * max_terms:
            story.body = _truncate(story.body, max_terms)
        if len(story.title) > 2 * max_terms:
            story.title = _truncate(story.title, max_terms)
        if len(story.names) > 2 * max_terms:
            story.names = _truncate(story.names, max_terms)
        story.refresh_norms()
        story.size += 1
        story.last = max(story.last, when)
        heapq.heappush(self._expiry, (story.last, story.story_id))
        self._reindex(story)

    def _index_keys(self, story: _Story) -> list[str]:
        count = self.settings.index_terms
        return _top(story.body, count) + _top(story.names, count // 2)

    def _reindex(self, story: _Story) -> None:
        self._unindex(story.story_id)
        keys = self._index_keys(story)
        for term in keys:
            self._postings.setdefault(term, set()).add(story.story_id)
        self._indexed[story.story_id] = keys

    def _unindex(self, story_id: int) -> None:
        for term in self._indexed.pop(story_id, ()):
            postings = self._postings[term]
            postings.discard(story_id)
            if not postings:
                del self._postings[term]


def cluster_all(
    docs: Iterable[ClusterDoc], settings: ClusterSettings | None = None
) -> dict[int, int]:
    """Cluster a batch from scratch in date order; returns article key -> story id."""
    clusterer = StoryClusterer(settings)
    ordered = sorted(docs, key=lambda doc: (doc.when, doc.key))
    return {doc.key: clusterer.assign(doc).story for doc in ordered}


__all__ = [
    "Assignment",
    "ClusterDoc",
    "ClusterSettings",
    "StoryClusterer",
    "cluster_all",
    "make_cluster_doc",
    "make_cluster_doc_from_tokens",
]
