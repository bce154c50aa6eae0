"""Number disagreements: what is not a disagreement (rounding, clock times, ordinals, lists)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from marsad.compare.analyze import StoryArticle, analyze_story
from marsad.compare.disagreements import rounding_unit, same_when_rounded
from marsad.extract.numbers import extract_numbers

DAY = datetime(2015, 7, 21, 10, 0)
CONTEXT = "وقالت الأمم المتحدة في تقرير عن الأوضاع الإنسانية في محافظة عدن اليمنية"


def _numbers(a: str, b: str, *, b_day: datetime = DAY) -> list[list[float]]:
    articles = [
        StoryArticle(1, "alpha", DAY, "t", a, None),
        StoryArticle(2, "beta", b_day, "t", b, None),
    ]
    result: dict[str, Any] = analyze_story(articles)
    return [sorted(r["value"] for r in d["reports"]) for d in result["disagreements"]["numbers"]]


def test_different_counts_of_one_event_are_listed() -> None:
    found = _numbers(
        f"{CONTEXT} إن القصف أسفر عن مقتل 57 مدنيا في الأحياء السكنية.",
        f"{CONTEXT} إن القصف أسفر عن مقتل 43 مدنيا في الأحياء السكنية.",
    )
    assert [43.0, 57.0] in found


def test_values_that_agree_once_rounded_are_not_listed() -> None:
    found = _numbers(
        f"{CONTEXT} إن تكلفة الإغاثة بلغت 1.31 مليار دولار هذا العام.",
        f"{CONTEXT} إن تكلفة الإغاثة بلغت 1.3 مليار دولار هذا العام.",
    )
    assert found == []


def test_figures_of_days_apart_are_an_update_not_a_disagreement() -> None:
    found = _numbers(
        f"{CONTEXT} إن القصف أسفر عن مقتل 57 مدنيا في الأحياء السكنية.",
        f"{CONTEXT} إن القصف أسفر عن مقتل 43 مدنيا في الأحياء السكنية.",
        b_day=datetime(2015, 7, 25, 10, 0),
    )
    assert found == []


def test_clock_times_and_ordinals_are_not_counts() -> None:
    found = _numbers(
        f"{CONTEXT} إن الحظر يبدأ من الساعة 7 مساء ويتوج الفريق باللقب الـ12 في تاريخه.",
        f"{CONTEXT} إن الحظر يبدأ من الساعة 9 مساء ويتوج الفريق باللقب الـ11 في تاريخه.",
    )
    assert found == []


def test_rounding_unit_reads_the_written_precision() -> None:
    billions, exact, percent = extract_numbers("بلغت 1.3 مليار دولار و3,324,641 ريال و12.5% منها")
    assert abs(rounding_unit(billions) - 1e8) < 1
    assert rounding_unit(exact) == 1.0
    assert abs(rounding_unit(percent) - 0.1) < 1e-9
    ninety, ninety_two = extract_numbers("سيطر على 90% ثم 92% من الأراضي")
    assert not same_when_rounded(ninety, ninety_two)  # the seeds' disagreement stays
