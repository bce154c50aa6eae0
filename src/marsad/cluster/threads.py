"""Story threads: stories of one evolving event, linked across days.

A story is closed to new articles once it leaves the clustering window, and reactions or
follow-ups on later days often open stories of their own. When a story opens, its opening
report is compared with stories opened in the previous days (through inverted indexes, so
the cost does not grow with the archive) in two ways: shared title terms and name keys,
and the cosine of the two opening reports' TF-IDF profiles, without the time decay that
clustering applies. Either one, strong enough, puts it in the same thread. A thread is
named by the id of its first story.

The same profiles let a roundup passage about an event whose story has already closed
(a paragraph on day six of an operation first reported on day one) find that story: see
:meth:`ThreadLinker.follow_up`.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

_STATE_VERSION = 2
Profile = dict[str, float]  # term -> TF-IDF weight, unit length
MIN_SHARED_INDEX_TERMS = 2


@dataclass(frozen=True)
class ThreadSettings:
    """Knobs of thread linking.

    Attributes:
        window_days: stories opened this long ago or less can be continued.
        min_shared: keys two stories must share at least.
        min_overlap: shared keys over the smaller key set, at least.
        max_keys: keys kept per story.
        min_similarity: profile cosine that links two stories on its own. July dev gold,
            thread B-cubed F1: 0.916 at 0.3, 0.922 at 0.4, 0.924 at 0.5 (stories alone
            0.923); judged follow-up passages at 0.45 or more: 6 of 8 the same event.
        profile_terms: heaviest terms kept per profile.
        index_terms: heaviest profile terms posted in (and looked up from) the index.
    """

    window_days: float = 10.0
    min_shared: int = 3
    min_overlap: float = 0.5
    max_keys: int = 16
    min_similarity: float = 0.5
    profile_terms: int = 30
    index_terms: int = 8


@dataclass(frozen=True)
class _Opened:
    story: int
    thread: int
    when: datetime
    keys: frozenset[str]
    profile: Profile


class ThreadLinker:
    """Assigns each newly opened story to an existing thread or a new one."""

    def __init__(self, settings: ThreadSettings | None = None) -> None:
        self.settings = settings or ThreadSettings()
        self._opened: dict[int, _Opened] = {}
        self._index: dict[str, set[int]] = defaultdict(set)
        self._terms: dict[str, set[int]] = defaultdict(set)  # profile terms -> stories
        self._by_time: list[tuple[datetime, int]] = []  # heap: expiry without a full scan
        # Expiry clock: by default the date of the story at hand; a writer sharing the
        # linker with others sets the oldest date still in use by any of them.
        self.horizon: Callable[[datetime], datetime] = _same
        self._added: set[int] = set()  # since take_changes(): saved with each batch
        self._expired: set[int] = set()

    def link(
        self, story: int, when: datetime, keys: Iterable[str], profile: Profile | None = None
    ) -> int:
        """Record a newly opened story and return its thread id.

        Args:
            story: the new story's id.
            when: its opening report's time.
            keys: title terms and name keys of the opening report.
            profile: the opening report's TF-IDF weights (any length; the heaviest are kept).
        """
        self._expire(when)
        wanted = frozenset(list(dict.fromkeys(keys))[: self.settings.max_keys])
        kept = _normalized(profile or {}, self.settings.profile_terms)
        best = max(
            (*self._by_keys(wanted, when), *self._by_profile(kept, when, exclude=())),
            default=None,
        )
        thread = self._opened[-best[1]].thread if best else story
        self._remember(_Opened(story, thread, when, wanted, kept))
        return thread

    def follow_up(
        self, profile: Profile, when: datetime, *, exclude: Iterable[int] = ()
    ) -> tuple[int, float] | None:
        """The story opened within the window whose opening report is most like ``profile``
        (cosine at least ``min_similarity``), with that cosine; None when there is none.

        Nothing is recorded: this places a roundup passage in a story that clustering has
        already closed.
        """
        self._expire(when)
        found = max(
            self._by_profile(
                _normalized(profile, self.settings.profile_terms), when, exclude=tuple(exclude)
            ),
            default=None,
        )
        return None if found is None else (-found[1], found[0])

    def _near(self, other: int, when: datetime) -> bool:
        """Within the window of ``when``, either way: writers of other periods share the
        linker, so a held story may have opened days after this one."""
        gap = abs(self._opened[other].when - when)
        return gap <= timedelta(days=self.settings.window_days)

    def _by_keys(self, wanted: frozenset[str], when: datetime) -> list[tuple[float, int]]:
        """(overlap, -story) for stories sharing enough keys."""
        # Counted at C speed: a common key (a country, a ministry) is posted by many stories.
        index = self._index
        shared = Counter(itertools.chain.from_iterable(index.get(key, ()) for key in wanted))
        found = []
        for other, count in shared.items():
            overlap = count / max(1, min(len(wanted), len(self._opened[other].keys)))
            if (
                count >= self.settings.min_shared
                and overlap >= self.settings.min_overlap
                and self._near(other, when)
            ):
                found.append((overlap, -other))
        return found

    def _by_profile(
        self, profile: Profile, when: datetime, exclude: tuple[int, ...]
    ) -> list[tuple[float, int]]:
        """(cosine, -story) for stories whose opening profile is close enough."""
        if not profile:
            return []
        # Two unit profiles of 30 terms reach a cosine of 0.5 only by sharing heavy terms:
        # scoring just the stories that share two index terms keeps this cheap.
        shared: dict[int, int] = defaultdict(int)
        for term in _heaviest(profile, self.settings.index_terms):
            for other in self._terms.get(term, ()):
                shared[other] += 1
        found = []
        for other, count in shared.items():
            if count < MIN_SHARED_INDEX_TERMS or other in exclude or not self._near(other, when):
                continue
            theirs = self._opened[other].profile
            cosine = sum(weight * theirs.get(term, 0.0) for term, weight in profile.items())
            if cosine >= self.settings.min_similarity:
                found.append((cosine, -other))
        return found

    def _remember(self, opened: _Opened) -> None:
        self._forget(opened.story)
        self._added.add(opened.story)
        self._opened[opened.story] = opened
        heapq.heappush(self._by_time, (opened.when, opened.story))
        for key in opened.keys:
            self._index[key].add(opened.story)
        for term in _heaviest(opened.profile, self.settings.index_terms):
            self._terms[term].add(opened.story)

    def _expire(self, now: datetime) -> None:
        horizon = self.horizon(now) - timedelta(days=self.settings.window_days)
        while self._by_time and self._by_time[0][0] < horizon:
            when, story = heapq.heappop(self._by_time)
            opened = self._opened.get(story)
            if opened is not None and opened.when == when and self._forget(story):
                self._expired.add(story)

    def _forget(self, story: int) -> bool:
        """Drop a story from the indexes; False when it was not held."""
        opened = self._opened.pop(story, None)
        if opened is None:
            return False
        for index, keys in (
            (self._index, opened.keys),
            (self._terms, _heaviest(opened.profile, self.settings.index_terms)),
        ):
            for key in keys:
                members = index.get(key)
                if members is not None:
                    members.discard(story)
                    if not members:
                        del index[key]
        return True

    def export_state(self) -> dict[str, Any]:
        """JSON-serialisable state (stories still inside the window)."""
        return {
            "version": _STATE_VERSION,
            "opened": [_row(o) for o in self._opened.values()],
        }

    def take_changes(self) -> dict[str, Any]:
        """Stories opened and expired since the last call, JSON-serialisable (a delta for
        :meth:`apply_changes`); tracking starts afresh."""
        changes = {
            "version": _STATE_VERSION,
            "opened": [_row(self._opened[s]) for s in sorted(self._added) if s in self._opened],
            "expired": sorted(self._expired - self._opened.keys()),
        }
        self._added, self._expired = set(), set()
        return changes

    def forget_changes(self) -> None:
        """Start tracking afresh without building the delta (a writer that saves no state)."""
        self._added, self._expired = set(), set()

    def apply_changes(self, changes: dict[str, Any]) -> None:
        """Bring this linker up to date with another writer's (or a saved) delta."""
        if changes.get("version") != _STATE_VERSION:
            return
        for story in changes["expired"]:
            self._forget(int(story))
        self._load(changes["opened"])
        self._added, self._expired = set(), set()

    def _load(self, rows: Iterable[Any]) -> None:
        for story, thread, when, keys, profile in rows:
            self._remember(
                _Opened(
                    int(story),
                    int(thread),
                    datetime.fromisoformat(when),
                    frozenset(keys),
                    {str(term): float(weight) for term, weight in profile.items()},
                )
            )

    @classmethod
    def from_state(
        cls, state: dict[str, Any], settings: ThreadSettings | None = None
    ) -> ThreadLinker:
        """Rebuild a linker saved with :meth:`export_state` (an older version: start empty)."""
        linker = cls(settings)
        if state.get("version") != _STATE_VERSION:
            return linker
        linker._load(state.get("opened", []))
        linker._added = set()
        return linker


def _same(when: datetime) -> datetime:
    return when


def _row(opened: _Opened) -> list[Any]:
    return [
        opened.story,
        opened.thread,
        opened.when.isoformat(),
        sorted(opened.keys),
        opened.profile,
    ]


def _heaviest(profile: Profile, count: int) -> list[str]:
    # heapq.nlargest's result (ties in dict order), sorted at C speed (see cluster.stories._top).
    return sorted(profile, key=profile.__getitem__, reverse=True)[:count]


def _normalized(profile: Profile, count: int) -> Profile:
    """The ``count`` heaviest terms, rescaled to unit length (rounded: the state stays small)."""
    kept = {term: profile[term] for term in _heaviest(profile, count)}
    norm = math.hypot(*kept.values())
    return {term: round(weight / norm, 4) for term, weight in kept.items()} if norm else {}
