from __future__ import annotations

from datetime import datetime, timedelta

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
