from __future__ import annotations

from marsad.cluster.signals import OutletBaseline, burst_score, is_breaking


def test_many_outlets_at_once_is_a_burst() -> None:
    baselines = {o: OutletBaseline(articles=700, stories=350) for o in "abcd"}  # 2 per story a week
    counts = {"a": 2, "b": 2, "c": 1, "d": 1}
    score = burst_score(counts, baselines)
    assert score > 3
    assert is_breaking(counts, score)


def test_a_busy_outlet_covering_its_beat_is_not_a_burst() -> None:
    # A sports desk that gives each match ~30 articles a day: 4 in six hours is normal for it.
    baselines = {"sport": OutletBaseline(articles=2100, stories=10)}
    counts = {"sport": 4}
    score = burst_score(counts, baselines)
    assert score < 3
    assert not is_breaking(counts, score)


def test_single_outlet_never_breaks_a_story_alone() -> None:
    counts = {"a": 9}
    score = burst_score(counts, {"a": OutletBaseline(10, 10)})
    assert score > 3
    assert not is_breaking(counts, score)


def test_unknown_outlet_has_zero_baseline() -> None:
    assert burst_score({"new": 4}, {}) == 4.0
