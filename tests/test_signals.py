from __future__ import annotations

from marsad.cluster.signals import (
    MIN_SURGE_OUTLETS,
    Baseline,
    OutletBaseline,
    burst_score,
    is_breaking,
    names_event,
    surge_outlets,
    top_score,
)

ATTACK = "مقتل 12 شخصاً في انفجار سيارة مفخخة وسط المدينة"
FESTIVAL = "أمير المنطقة يرعى افتتاح مهرجان الصيف"


def test_a_busy_outlet_covering_its_beat_has_a_low_burst_score() -> None:
    # A sports desk that gives each match ~30 articles a day: 4 in six hours is normal for it.
    score = burst_score({"sport": 4}, {"sport": OutletBaseline(articles=2100, stories=10)})
    assert score < 3
    assert burst_score({"a": 2, "b": 2}, {o: OutletBaseline(700, 350) for o in "ab"}) > 3


def test_unknown_outlet_has_zero_baseline() -> None:
    assert burst_score({"new": 4}, {}) == 4.0


def test_surge_needs_the_reach_only_a_small_tail_of_stories_attains() -> None:
    # 1000 recent stories: most reach one outlet; 3% reach three or more, 1% five or more.
    reach = {1: 900, 2: 70, 3: 10, 4: 10, 5: 6, 6: 4}
    assert surge_outlets(reach) == 3
    # A store where many outlets carry every story: the bar rises with the usual reach.
    crowded = {1: 100, 2: 200, 3: 300, 4: 300, 5: 80, 6: 20}
    assert surge_outlets(crowded) == 6
    assert surge_outlets({}) == MIN_SURGE_OUTLETS
    assert surge_outlets({1: 5}) == MIN_SURGE_OUTLETS


def test_event_headlines_are_told_from_routine_ones_in_any_spelling() -> None:
    assert names_event(ATTACK)
    assert names_event("زلزال بقوة 6 درجات يضرب الساحل")
    assert names_event("وبالهجوم الانتحاري على المسجد")  # clitics
    assert names_event("تبادل لإطلاق النار على الحدود")  # a two-word phrase
    assert not names_event(FESTIVAL)
    assert not names_event("إطلاق برنامج النار")  # the phrase's words apart are not the phrase


def test_a_synthetic_surge_is_breaking_and_a_slow_story_is_not() -> None:
    baseline = Baseline({}, surge_outlets=4)
    surge = {"a": 2, "b": 1, "c": 1, "d": 3}
    assert is_breaking(surge, headline=ATTACK, baseline=baseline)
    slow = {"a": 2, "b": 1}  # the same event, two outlets in the window: not a surge yet
    assert not is_breaking(slow, headline=ATTACK, baseline=baseline)
    # Every paper running a release the same hour is a surge of reach, not of an event.
    assert not is_breaking(surge, headline=FESTIVAL, baseline=baseline)


def test_top_score_prefers_reach_then_volume_then_recency() -> None:
    five_outlets = top_score(outlets=5, articles=5, age_hours=0)
    assert five_outlets > top_score(outlets=4, articles=30, age_hours=0)  # reach first
    assert top_score(outlets=3, articles=9, age_hours=0) > top_score(
        outlets=3, articles=3, age_hours=0
    )
    assert top_score(outlets=5, articles=5, age_hours=24) == five_outlets / 2
    assert top_score(outlets=5, articles=5, age_hours=-3) == five_outlets  # no future bonus
