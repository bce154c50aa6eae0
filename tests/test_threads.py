from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from marsad.cluster.threads import ThreadLinker, ThreadSettings

DAY = datetime(2026, 3, 2, 9)
REMARKS = ["مالكي", "تصريح", "سعودي", "مالكي تصريح", "رفض", "اساء"]


def test_follow_up_story_continues_the_thread() -> None:
    linker = ThreadLinker()
    assert linker.link(1, DAY, REMARKS) == 1
    reaction = ["مالكي", "تصريح", "سعودي", "مجلس تعاون", "ادان"]
    assert linker.link(2, DAY + timedelta(days=2), reaction) == 1


def test_unrelated_story_opens_its_own_thread() -> None:
    linker = ThreadLinker()
    linker.link(1, DAY, REMARKS)
    assert linker.link(2, DAY + timedelta(days=1), ["حريق", "مستودع", "جده", "دفاع مدني"]) == 2


def test_two_shared_words_are_not_enough() -> None:
    linker = ThreadLinker(ThreadSettings(min_shared=3))
    linker.link(1, DAY, REMARKS)
    assert linker.link(2, DAY, ["سعودي", "تصريح", "نفط", "اسعار", "اوبك"]) == 2


def test_threads_end_after_the_window() -> None:
    linker = ThreadLinker(ThreadSettings(window_days=5))
    linker.link(1, DAY, REMARKS)
    assert linker.link(2, DAY + timedelta(days=6), REMARKS) == 2


def test_state_round_trip_keeps_links() -> None:
    linker = ThreadLinker()
    linker.link(1, DAY, REMARKS)
    restored = ThreadLinker.from_state(linker.export_state())
    assert restored.link(5, DAY + timedelta(days=1), REMARKS) == 1


def _profile(*terms: str) -> dict[str, float]:
    return dict.fromkeys(terms, 1.0)


IDLIB = _profile("ادلب", "ترك", "عملي", "ضامن", "تصعيد", "خفض")


def test_alike_opening_reports_share_a_thread_without_shared_keys() -> None:
    linker = ThreadLinker()
    assert linker.link(1, DAY, ["بوتين", "اجتماع"], IDLIB) == 1
    condemnation = _profile("ادلب", "ترك", "عملي", "ضامن", "عدوان", "سياد")
    assert linker.link(2, DAY + timedelta(days=6), ["ادان", "توغل"], condemnation) == 1


def test_unlike_profiles_open_their_own_thread() -> None:
    linker = ThreadLinker()
    linker.link(1, DAY, ["بوتين"], IDLIB)
    fire = _profile("حريق", "مستودع", "جده", "دفاع", "مدني", "ترك")
    assert linker.link(2, DAY + timedelta(days=1), ["حريق"], fire) == 2


def test_follow_up_finds_a_closed_story_and_records_nothing() -> None:
    linker = ThreadLinker(ThreadSettings(window_days=10))
    linker.link(1, DAY, [], IDLIB)
    linker.link(2, DAY, [], _profile("نفط", "اسعار", "اوبك"))
    passage = _profile("ادلب", "ترك", "ضامن", "عدوان")
    assert linker.follow_up(passage, DAY + timedelta(days=6)) == (1, pytest.approx(0.612, abs=0.01))
    assert linker.follow_up(passage, DAY + timedelta(days=6), exclude=[1]) is None
    assert linker.follow_up(passage, DAY + timedelta(days=11)) is None  # out of the window
    assert linker.link(3, DAY + timedelta(days=11), [], IDLIB) == 3  # nothing was recorded


def test_state_round_trip_keeps_profiles() -> None:
    linker = ThreadLinker()
    linker.link(1, DAY, [], IDLIB)
    restored = ThreadLinker.from_state(json.loads(json.dumps(linker.export_state())))
    assert restored.follow_up(IDLIB, DAY + timedelta(days=1)) == (1, pytest.approx(1.0, abs=0.01))
