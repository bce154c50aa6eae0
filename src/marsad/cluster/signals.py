"""Story signals: the breaking flag («عاجل») and the top-stories score.

Breaking means a surge of a sudden event. A surge: within ``WINDOW_HOURS`` the story
reached as many distinct outlets as only ``SURGE_TAIL`` of the recent stories reach within
their own last ``WINDOW_HOURS`` (the usual reach, over the last ``BASELINE_DAYS``; at
least ``MIN_SURGE_OUTLETS``). Many outlets at once is not enough: on the July 2015 SaudiNewsNet
days the stories that reach the most outlets are Saudi Press Agency releases (admissions,
festivals, ceremonies) carried by every paper the same hour. So the headline must also name
a sudden event (an attack, a disaster, a death, a political shock: the words of
``data/event_words_ar.txt``). Measured in ``evaluation/breaking/README.md``.

``burst_score`` is kept as the story's arrival intensity (a Poisson-style z-score of its
window's articles against its outlets' per-story rate); it is shown, not used to flag.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from marsad.data import load_text
from marsad.text import arabic

WINDOW_HOURS = 6.0
BASELINE_DAYS = 7.0
# Fitted on 2015-07-21..26 (dev), validated on 2015-07-27 and 07-31 (evaluation/breaking):
# on dev, event stories reaching 3 outlets in 6 h were as often breaking as those reaching 4
# (11 of 15 against 6 of 8), and 3 outlets is the 4-6% tail of July's stories.
SURGE_TAIL = 0.06
MIN_SURGE_OUTLETS = 3  # a surge is never fewer outlets than this, however quiet the store


@dataclass(frozen=True, slots=True)
class OutletBaseline:
    """An outlet's recent output: articles and distinct stories over the baseline period."""

    articles: int
    stories: int

    @property
    def per_story_per_hour(self) -> float:
        """Expected articles per hour that this outlet gives one of its stories."""
        if self.stories == 0:
            return 0.0
        return self.articles / self.stories / (BASELINE_DAYS * 24.0)


@dataclass(frozen=True, slots=True)
class Baseline:
    """What is usual lately: each outlet's output, and how many outlets a surge needs."""

    outlets: Mapping[str, OutletBaseline] = field(default_factory=dict)
    surge_outlets: int = MIN_SURGE_OUTLETS


def surge_outlets(reach: Mapping[int, int]) -> int:
    """Fewest outlets that make a surge, from the baseline's stories per number of outlets.

    ``reach`` maps a number of outlets to how many recent stories reached exactly that
    many. The answer is the smallest count that at most ``SURGE_TAIL`` of them reach,
    and never below ``MIN_SURGE_OUTLETS``.

    >>> surge_outlets({1: 90, 2: 6, 3: 3, 4: 1})
    3
    """
    total = sum(reach.values())
    most = max(reach, default=0)
    for outlets in range(MIN_SURGE_OUTLETS, most + 1):
        reaching = sum(n for k, n in reach.items() if k >= outlets)
        if reaching <= SURGE_TAIL * total:
            return outlets
    return max(most + 1, MIN_SURGE_OUTLETS) if total else MIN_SURGE_OUTLETS


def burst_score(window_counts: Mapping[str, int], baselines: Mapping[str, OutletBaseline]) -> float:
    """Z-score of the articles a story got in the window versus its outlets' baseline."""
    observed = sum(window_counts.values())
    expected = sum(
        baselines.get(outlet, OutletBaseline(0, 0)).per_story_per_hour * WINDOW_HOURS
        for outlet in window_counts
    )
    return (observed - expected) / math.sqrt(expected + 1.0)


@cache
def _event_phrases() -> frozenset[tuple[str, ...]]:
    """The event words as tuples of light stems (a phrase such as «إطلاق نار» is two)."""
    text = load_text("event_words_ar.txt")
    phrases = set()
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            phrases.add(tuple(t.stem or t.text for t in arabic.tokenize(line)))
    return frozenset(p for p in phrases if p)


def names_event(headline: str) -> bool:
    """Whether a headline names a sudden event (any spelling or clitic of an event word).

    >>> names_event("مقتل 20 شخصاً في تبادل لإطلاق النار"), names_event("افتتاح مهرجان الصيف")
    (True, False)
    """
    stems = [t.stem or t.text for t in arabic.tokenize(headline)]
    phrases = _event_phrases()
    lengths = {len(p) for p in phrases}
    return any(
        tuple(stems[i : i + n]) in phrases for n in lengths for i in range(len(stems) - n + 1)
    )


def is_breaking(window_counts: Mapping[str, int], *, headline: str, baseline: Baseline) -> bool:
    """A surge (enough distinct outlets within the window) of a sudden event."""
    outlets = sum(1 for count in window_counts.values() if count > 0)
    return outlets >= baseline.surge_outlets and names_event(headline)


# -- top stories --------------------------------------------------------------------------
TOP_HALF_LIFE_HOURS = 24.0  # a story's weight halves for every day since its last article
ARTICLES_HALF_BONUS = 4  # articles that earn half of the (at most one) outlet's worth of volume


def top_score(*, outlets: int, articles: int, age_hours: float) -> float:
    """Rank of a story among the top stories: reach, then volume, decayed by age.

    The weight is the number of distinct outlets (independent desks that chose to cover
    it) plus a volume bonus ``articles / (articles + ARTICLES_HALF_BONUS)`` that stays
    below 1, so volume orders stories of equal reach but never outweighs one more outlet;
    the weight halves every ``TOP_HALF_LIFE_HOURS`` since the story's last article. Five
    outlets and eight articles a day ago score (5 + 8/12) / 2 = 2.83; one outlet's single
    article an hour ago scores (1 + 1/5) * 0.97 = 1.17.
    """
    weight = outlets + articles / (articles + ARTICLES_HALF_BONUS)
    decay: float = math.pow(0.5, max(age_hours, 0.0) / TOP_HALF_LIFE_HOURS)
    return weight * decay
