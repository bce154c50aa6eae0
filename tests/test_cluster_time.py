"""The time-robust join: a story's age inside the window does not weigh on the join (the
July crawl times it was once fit on are not publication times), yet the window still bounds
a story and recurring news of consecutive days stays apart. Invented articles."""

from __future__ import annotations

import dataclasses
import math
from datetime import datetime, timedelta

from tests.story_fixtures import BRIDGE_FIRST, BRIDGE_LATER, market_session

from marsad.cluster.stories import (
    FEATURES,
    MERGE_FEATURES,
    ClusterDoc,
    ClusterSettings,
    StoryClusterer,
    decayed_no_gaps_settings,
    make_cluster_doc,
    shipped_join_model,
    shipped_merge_model,
    time_robust_settings,
)
from marsad.settings import settings_from

TIME_ROBUST = time_robust_settings()
T0 = datetime(2015, 8, 2, 8, 0)


def _doc(key: int, when: datetime, article: tuple[str, str]) -> ClusterDoc:
    return make_cluster_doc(key, when, f"outlet{key}", *article)


def _later_report(delay: timedelta, settings: ClusterSettings) -> tuple[bool, float]:
    """(joined the first report's story, join score) of the follow-up ``delay`` later."""
    clusterer = StoryClusterer(settings)
    first = clusterer.assign(_doc(0, T0, BRIDGE_FIRST))
    later = clusterer.assign(_doc(1, T0 + delay, BRIDGE_LATER))
    return later.story == first.story, later.score


def test_one_event_reported_30_hours_apart_joins_as_if_hours_apart() -> None:
    joined, score = _later_report(timedelta(hours=30), TIME_ROBUST)
    _, score_soon = _later_report(timedelta(hours=1), TIME_ROBUST)
    assert joined
    assert score == score_soon  # the gap inside the window does not lower the score


def test_the_window_still_bounds_a_story() -> None:
    window = timedelta(days=TIME_ROBUST.window_days)
    joined, _ = _later_report(window + timedelta(hours=6), TIME_ROBUST)
    assert not joined


def test_market_sessions_of_consecutive_days_stay_apart() -> None:
    clusterer = StoryClusterer(TIME_ROBUST)
    stories = {}
    for key, (day, outlet) in enumerate([(0, 0), (0, 1), (1, 0), (1, 1)]):
        when, source, title, body = market_session(day, outlet)
        doc = make_cluster_doc(key, when, source, title, body)
        stories[day, outlet] = clusterer.assign(doc).story
    assert stories[0, 0] == stories[0, 1]
    assert stories[1, 0] == stories[1, 1]
    assert stories[0, 0] != stories[1, 0]


def _moved(features: list[float], names: tuple[str, ...], gaps: tuple[str, ...]) -> list[float]:
    moved = list(features)
    for name in gaps:
        moved[names.index(name)] += 1.25  # 30 hours further apart
    return moved


def test_the_time_robust_models_ignore_time_gaps_that_the_shipped_ones_weigh() -> None:
    assert TIME_ROBUST.half_life_days == math.inf
    assert TIME_ROBUST.join_model is not None and TIME_ROBUST.merge_model is not None
    pair = [0.3] * len(FEATURES)
    later = _moved(pair, FEATURES, ("gap_mean", "gap_last"))
    assert TIME_ROBUST.join_model.probability(pair) == TIME_ROBUST.join_model.probability(later)
    assert shipped_join_model().probability(pair) != shipped_join_model().probability(later)
    stories = [0.3] * len(MERGE_FEATURES)
    apart = _moved(stories, MERGE_FEATURES, ("gap_mean", "span_gap"))
    merge = TIME_ROBUST.merge_model
    assert merge.probability(stories) == merge.probability(apart)
    assert shipped_merge_model().probability(stories) != shipped_merge_model().probability(apart)


# The shipped opt-in "decayed-no-gaps" pair with its join model deciding from the first
# article (shipped, it waits for 1,000 documents of IDF statistics, and the hand rule decides
# before): these invented articles test the model itself.
DECAYED = dataclasses.replace(decayed_no_gaps_settings(), model_min_docs=0)


def test_decayed_no_gaps_joins_one_event_reported_30_hours_apart() -> None:
    assert DECAYED.join_model is not None
    joined, score = _later_report(timedelta(hours=30), DECAYED)
    _, score_soon = _later_report(timedelta(hours=1), DECAYED)
    assert joined
    assert score >= DECAYED.join_model.threshold
    # The hand score's decay still weighs a little (a day and a quarter of a 4-day half-life).
    assert score < score_soon


def test_decayed_no_gaps_keeps_market_sessions_of_consecutive_days_apart() -> None:
    clusterer = StoryClusterer(DECAYED)
    stories = {}
    for key, (day, outlet) in enumerate([(0, 0), (0, 1), (1, 0), (1, 1)]):
        when, source, title, body = market_session(day, outlet)
        stories[day, outlet] = clusterer.assign(make_cluster_doc(key, when, source, title, body))
    assert stories[0, 0].story == stories[0, 1].story
    assert stories[1, 0].story == stories[1, 1].story
    assert stories[0, 0].story != stories[1, 0].story
    assert not clusterer.take_merges()


def test_decayed_no_gaps_models_weigh_no_time_gap_but_keep_the_decay() -> None:
    join, merge = DECAYED.join_model, DECAYED.merge_model
    assert join is not None and merge is not None
    assert DECAYED.half_life_days == ClusterSettings().half_life_days
    gaps = ("gap_mean", "gap_last", "day_gap_mean", "day_gap_last")
    pair = [0.3] * len(FEATURES)
    assert join.probability(pair) == join.probability(_moved(pair, FEATURES, gaps))
    stories = [0.3] * len(MERGE_FEATURES)
    apart = _moved(
        stories, MERGE_FEATURES, ("gap_mean", "span_gap", "day_gap_mean", "day_span_gap")
    )
    assert merge.probability(stories) == merge.probability(apart)
    # A settings file names it like the other learned pairs.
    chosen = settings_from({"cluster": {"join_model": "decayed-no-gaps"}}).cluster.join_model
    assert chosen == decayed_no_gaps_settings().join_model


def _day_gaps(first: datetime, later: datetime) -> tuple[float, float]:
    """(day_gap_mean, day_gap_last) the follow-up is scored with against the first report."""
    clusterer = StoryClusterer()
    seen: list[tuple[float, ...]] = []
    clusterer.on_features = lambda _story, features: seen.append(features)
    clusterer.assign(_doc(0, first, BRIDGE_FIRST))
    clusterer.assign(_doc(1, later, BRIDGE_LATER))
    features = seen[-1]
    return features[FEATURES.index("day_gap_mean")], features[FEATURES.index("day_gap_last")]


def test_day_gaps_count_calendar_days_not_hours() -> None:
    morning = datetime(2015, 8, 2, 1, 0)
    assert _day_gaps(morning, morning + timedelta(hours=22)) == (0.0, 0.0)  # same day
    assert _day_gaps(morning.replace(hour=23), morning + timedelta(hours=24)) == (1.0, 1.0)
    late = morning.replace(hour=23, minute=50)
    # Three calendar days later, still inside the 3-day window: "two days or more".
    assert _day_gaps(late, late + timedelta(days=2, hours=23)) == (2.0, 2.0)


def test_models_trained_before_the_day_gaps_ignore_them() -> None:
    pair = [0.3] * len(FEATURES)
    later = _moved(pair, FEATURES, ("day_gap_mean", "day_gap_last"))
    assert shipped_join_model().probability(pair) == shipped_join_model().probability(later)
    assert shipped_join_model().weights[FEATURES.index("day_gap_last")] == 0.0
