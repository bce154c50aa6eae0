"""Breaking-story signal: a burst of arrivals against the story's outlets' own baseline.

An outlet that publishes 400 articles a day spread over 100 stories gives a typical story
about 4 articles a day; a story that gets 6 articles from it in six hours is unusual for
that outlet. The expected count in the window is the sum over the story's outlets of their
per-story hourly rate; the burst score is a Poisson-style z-score of the observed count.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

WINDOW_HOURS = 6.0
BASELINE_DAYS = 7.0
MIN_ARTICLES = 3  # a burst needs at least this many articles in the window...
MIN_OUTLETS = 2  # ...from at least this many outlets
MIN_SCORE = 3.0  # and a z-score above this


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


def burst_score(window_counts: Mapping[str, int], baselines: Mapping[str, OutletBaseline]) -> float:
    """Z-score of the articles a story got in the window versus its outlets' baseline."""
    observed = sum(window_counts.values())
    expected = sum(
        baselines.get(outlet, OutletBaseline(0, 0)).per_story_per_hour * WINDOW_HOURS
        for outlet in window_counts
    )
    return (observed - expected) / math.sqrt(expected + 1.0)


def is_breaking(window_counts: Mapping[str, int], score: float) -> bool:
    """Enough articles, from enough outlets, far enough above baseline."""
    outlets = sum(1 for count in window_counts.values() if count > 0)
    return (
        sum(window_counts.values()) >= MIN_ARTICLES
        and outlets >= MIN_OUTLETS
        and score >= MIN_SCORE
    )
