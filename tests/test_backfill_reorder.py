"""The bounded reorder buffer: results in task order, a bounded window, retries once each."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Collection
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

import pytest

from marsad.backfill.reorder import ReorderBuffer, in_order


def first_done(futures: list[Future[int]]) -> Collection[Future[int]]:
    return wait(futures, return_when=FIRST_COMPLETED).done


def test_results_put_in_any_order_come_out_in_task_order() -> None:
    buffer: ReorderBuffer[str] = ReorderBuffer(window=10)
    order = list(range(10))
    random.Random(7).shuffle(order)
    out: list[str] = []
    for number in order:
        assert buffer.put(number, f"r{number}")
        out += buffer.ready()
    assert out == [f"r{n}" for n in range(10)]
    assert len(buffer) == 0


def test_a_result_put_twice_is_handed_out_once() -> None:
    buffer: ReorderBuffer[str] = ReorderBuffer(window=3)
    assert buffer.put(1, "late")
    assert not buffer.put(1, "again")  # held, not yet out
    assert buffer.put(0, "first")
    assert buffer.ready() == ["first", "late"]
    assert not buffer.put(0, "retried")  # out already
    assert buffer.ready() == []


def test_a_result_beyond_the_window_is_refused() -> None:
    buffer: ReorderBuffer[int] = ReorderBuffer(window=2)
    assert buffer.may_start(1) and not buffer.may_start(2)
    with pytest.raises(ValueError, match="beyond the window"):
        buffer.put(2, 2)
    with pytest.raises(ValueError, match="at least 1"):
        ReorderBuffer(window=0)


def test_in_order_keeps_order_and_never_exceeds_the_window() -> None:
    window = 3
    rng = random.Random(11)
    delays = [rng.uniform(0, 0.01) for _ in range(40)]
    lock = threading.Lock()
    started: list[int] = []
    outstanding = 0  # started and not yet yielded
    peak = 0
    yielded = 0

    def slow(number: int) -> int:
        time.sleep(delays[number])  # later tasks often finish first
        return number * number

    with ThreadPoolExecutor(4) as pool:

        def start(number: int) -> Future[int]:
            nonlocal outstanding, peak
            with lock:
                started.append(number)
                outstanding += 1
                peak = max(peak, outstanding)
            return pool.submit(slow, number)

        def tasks():  # a stream: the window decides how far it is read
            for number in range(40):
                assert number < yielded + window, "read beyond the window"
                yield number

        buffer: ReorderBuffer[int] = ReorderBuffer(window)
        out = []
        for task, result in in_order(tasks(), start, first_done, buffer):
            out.append((task, result))
            with lock:
                outstanding -= 1
            yielded += 1
    assert out == [(n, n * n) for n in range(40)]
    assert peak == window and buffer.peak_held <= window
    assert started == list(range(40))  # each started once: nothing failed


def test_a_failed_task_is_retried_and_its_result_comes_out_once() -> None:
    failures = {5: 2, 6: 1}  # task -> times it raises before it succeeds
    calls: dict[int, int] = {}
    lock = threading.Lock()

    def flaky(number: int) -> int:
        with lock:
            calls[number] = calls.get(number, 0) + 1
            fail = calls[number] <= failures.get(number, 0)
        if fail:
            raise OSError(f"lost task {number}")
        return number

    with ThreadPoolExecutor(2) as pool:
        out = list(
            in_order(
                range(10),
                lambda n: pool.submit(flaky, n),
                first_done,
                ReorderBuffer(4),
                retries=2,
            )
        )
    assert out == [(n, n) for n in range(10)]
    assert calls[5] == 3 and calls[6] == 2 and calls[0] == 1


def test_a_task_failing_past_its_retries_raises() -> None:
    def broken(number: int) -> int:
        if number == 3:
            raise OSError("disk gone")
        return number

    released: list[Future[int]] = []
    with ThreadPoolExecutor(2) as pool:
        got = []
        with pytest.raises(OSError, match="disk gone"):
            for _, result in in_order(
                range(6),
                lambda n: pool.submit(broken, n),
                first_done,
                ReorderBuffer(2),
                retries=1,
                on_done=released.append,
            ):
                got.append(result)
    # What came before the failure, in order (task 2 may or may not have beaten it).
    assert got in ([0, 1], [0, 1, 2])
    assert all(f.done() for f in released)
