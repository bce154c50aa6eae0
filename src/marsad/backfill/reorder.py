"""Results of numbered tasks handed back in task order, with a bounded number outstanding.

The backfill writer must see prepared articles in date order, but workers finish their
tasks in any order. Gathering everything first would hold the whole archive in the
driver; instead a task is started only while it falls inside a window after the next
result to hand out, and results that finish early wait in a :class:`ReorderBuffer` until
every earlier one has arrived. Started-but-not-handed-out tasks never exceed the window,
so the driver's memory depends on the window and the task size, not on the archive.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from typing import Generic, Protocol, TypeVar

T = TypeVar("T")  # what a task is given
R = TypeVar("R")  # what a task returns
R_co = TypeVar("R_co", covariant=True)


class TaskFuture(Protocol[R_co]):
    """What ``concurrent.futures`` and ``distributed`` futures both offer."""

    def result(self) -> R_co: ...  # raises what the task raised


class ReorderBuffer(Generic[R]):
    """Results numbered 0, 1, 2, ... put in any order and handed out in number order.

    Args:
        window: results numbered below ``next_out + window`` may be started and put; the
            caller starts nothing beyond it (:meth:`may_start`), which bounds how many
            are running or held at once.
    """

    def __init__(self, window: int) -> None:
        if window < 1:
            raise ValueError(f"window must be at least 1, got {window}")
        self.window = window
        self.next_out = 0  # number of the next result to hand out
        self.peak_held = 0  # most results held at once, for reports and tests
        self._held: dict[int, R] = {}

    def may_start(self, number: int) -> bool:
        """Whether task ``number`` may start without breaking the window."""
        return number < self.next_out + self.window

    def put(self, number: int, result: R) -> bool:
        """Keep the result of task ``number``.

        Returns:
            False, keeping nothing, when that number was put already (a retried task
            that finished twice): its result is never handed out twice.

        Raises:
            ValueError: ``number`` lies beyond the window (the caller started it too early).
        """
        if number < self.next_out or number in self._held:
            return False
        if not self.may_start(number):
            raise ValueError(
                f"result {number} is beyond the window ({self.next_out}..."
                f"{self.next_out + self.window - 1}); start tasks only when may_start() says so"
            )
        self._held[number] = result
        self.peak_held = max(self.peak_held, len(self._held))
        return True

    def ready(self) -> list[R]:
        """The results that are next in order, removed from the buffer."""
        out = []
        while self.next_out in self._held:
            out.append(self._held.pop(self.next_out))
            self.next_out += 1
        return out

    def __len__(self) -> int:
        return len(self._held)


def in_order(
    tasks: Iterable[T],
    start: Callable[[T], TaskFuture[R]],
    wait_first: Callable[[list[TaskFuture[R]]], Collection[TaskFuture[R]]],
    buffer: ReorderBuffer[R],
    *,
    retries: int = 2,
    on_done: Callable[[TaskFuture[R]], None] | None = None,
) -> Iterator[tuple[T, R]]:
    """Run ``tasks`` with ``start`` and yield ``(task, result)`` in the order of ``tasks``.

    ``tasks`` is read lazily, only as far as the window allows, so it may be a stream
    larger than memory. A task whose future raised is started again, at most
    ``retries`` times, and its result still comes out once, in its place.

    Args:
        tasks: the work, in the order the results are wanted.
        start: submits one task (``client.submit`` or ``executor.submit``).
        wait_first: blocks until at least one of the futures is done and returns the
            done ones (``wait(..., return_when=FIRST_COMPLETED).done``).
        buffer: an empty buffer; its window is the most tasks started and not yet
            yielded (read its ``peak_held`` afterwards).
        retries: restarts of a failing task before its error is raised here.
        on_done: told each future once its result is taken (to release it).
    """
    running: dict[TaskFuture[R], tuple[int, T, int]] = {}  # future -> (number, task, tries)
    given: dict[int, T] = {}  # the task of every held result, yielded beside it
    upcoming = iter(tasks)
    next_number = 0
    exhausted = False
    while True:
        while not exhausted and buffer.may_start(next_number):
            try:
                task = next(upcoming)
            except StopIteration:
                exhausted = True
                break
            running[start(task)] = (next_number, task, 0)
            next_number += 1
        if not running:
            return
        for future in wait_first(list(running)):
            number, task, tries = running.pop(future)
            try:
                result = future.result()
            except Exception:
                if tries >= retries:
                    raise
                running[start(task)] = (number, task, tries + 1)
                continue
            finally:
                if on_done is not None:
                    on_done(future)
            if buffer.put(number, result):
                given[number] = task
        first = buffer.next_out
        for offset, result in enumerate(buffer.ready()):
            yield given.pop(first + offset), result
