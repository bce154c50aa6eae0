"""Story threads: stories of one evolving event, linked across days.

A story is closed to new articles once it leaves the clustering window, and reactions or
follow-ups on later days often open stories of their own. When a story opens, its opening
article's title terms and name keys are compared with stories opened in the previous days
(through an inverted index, so the cost does not grow with the archive); enough shared
keys put it in the same thread. A thread is named by the id of its first story.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

_STATE_VERSION = 1


@dataclass(frozen=True)
class ThreadSettings:
    """Knobs of thread linking.

    Attributes:
        window_days: stories opened this long ago or less can be continued.
        min_shared: keys two stories must share at least.
        min_overlap: shared keys over the smaller key set, at least.
        max_keys: keys kept per story.
    """

    window_days: float = 10.0
    min_shared: int = 3
    min_overlap: float = 0.5
    max_keys: int = 16


@dataclass(frozen=True)
class _Opened:
    story: int
    thread: int
    when: datetime
    keys: frozenset[str]


class ThreadLinker:
    """Assigns each newly opened story to an existing thread or a new one."""

    def __init__(self, settings: ThreadSettings | None = None) -> None:
        self.settings = settings or ThreadSettings()
        self._opened: dict[int, _Opened] = {}
        self._index: dict[str, set[int]] = defaultdict(set)
        self._by_time: list[tuple[datetime, int]] = []  # heap: expiry without a full scan

    def link(self, story: int, when: datetime, keys: Iterable[str]) -> int:
        """Record a newly opened story and return its thread id."""
        self._expire(when)
        wanted = frozenset(list(dict.fromkeys(keys))[: self.settings.max_keys])
        shared: dict[int, int] = defaultdict(int)
        for key in wanted:
            for other in self._index.get(key, ()):
                shared[other] += 1
        best: tuple[float, int] | None = None
        for other, count in shared.items():
            opened = self._opened[other]
            overlap = count / max(1, min(len(wanted), len(opened.keys)))
            if count >= self.settings.min_shared and overlap >= self.settings.min_overlap:
                candidate = (overlap, -other)
                if best is None or candidate > best:
                    best = candidate
        thread = self._opened[-best[1]].thread if best else story
        self._remember(_Opened(story, thread, when, wanted))
        return thread

    def _remember(self, opened: _Opened) -> None:
        self._opened[opened.story] = opened
        heapq.heappush(self._by_time, (opened.when, opened.story))
        for key in opened.keys:
            self._index[key].add(opened.story)

    def _expire(self, now: datetime) -> None:
        horizon = now - timedelta(days=self.settings.window_days)
        while self._by_time and self._by_time[0][0] < horizon:
            _, story = heapq.heappop(self._by_time)
            opened = self._opened.pop(story, None)
            if opened is None:
                continue
            for key in opened.keys:
                members = self._index.get(key)
                if members is not None:
                    members.discard(story)
                    if not members:
                        del self._index[key]

    def export_state(self) -> dict[str, Any]:
        """JSON-serialisable state (stories still inside the window)."""
        return {
            "version": _STATE_VERSION,
            "opened": [
                [o.story, o.thread, o.when.isoformat(), sorted(o.keys)]
                for o in self._opened.values()
            ],
        }

    @classmethod
    def from_state(
        cls, state: dict[str, Any], settings: ThreadSettings | None = None
    ) -> ThreadLinker:
        """Rebuild a linker saved with :meth:`export_state`."""
        linker = cls(settings)
        if state.get("version") != _STATE_VERSION:
            return linker
        for story, thread, when, keys in state.get("opened", []):
            linker._remember(
                _Opened(int(story), int(thread), datetime.fromisoformat(when), frozenset(keys))
            )
        return linker
