"""Time blocks planned from a cheap index: the driver never holds the records.

The plan pass (``marsad backfill --blocks N``) reads every shard on the workers once and
sends back only each article's sort key, ``(date, origin)`` (ingest's order), and its
line number (:func:`index_shard`). The driver sorts the keys and cuts them into blocks
of equal count (:func:`plan_blocks`). A block task then gets a :class:`BlockPlan`: the
key range of its own articles, the date its warm-up starts, and for each shard holding
some of them the line numbers wanted; the worker reads those itself
(:func:`read_planned`), so no record travels through the driver or the task graph.

What it costs: every shard is read twice (the index, then each block's picks). A plain
JSONL shard is a byte range, read only by the blocks whose dates it holds. A ``.jsonl.gz``
is one stream that cannot be entered in the middle: every block that needs any of its
records decompresses it from the start, but JSON-decodes only its own lines (the line
numbers in its plan), so the repeated part is the decompression alone (measured in the
README). An archive meant for many blocks is better kept as many files, or by date.
"""

from __future__ import annotations

import bisect
import gzip
import math
import time
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from marsad.backfill.blocks import BlockTask
from marsad.backfill.shards import MAX_LINE_BYTES, Shard, read_shard
from marsad.ingest.readers import jsonl_record
from marsad.models import RawArticle, Skipped

Key = tuple[datetime, str]  # (date, or the run's "now" when undated; origin): ingest's order


@dataclass(slots=True)
class ShardIndex:
    """What the plan pass keeps of one shard: each article's key and line, no text."""

    keys: list[tuple[datetime, str, int]]  # (date or now, origin, line number; 0: not JSONL)
    skipped: list[Skipped] = field(default_factory=list)
    warned: list[RawArticle] = field(default_factory=list)  # records reading had to change
    cpu_s: float = 0.0


def index_shard(shard: Shard, now: datetime) -> ShardIndex:
    """Read and decode one shard on a worker; keep only the keys."""
    started = time.process_time()
    index = ShardIndex([])
    for record in read_shard(shard):
        if isinstance(record, Skipped):
            index.skipped.append(record)
            continue
        if record.warnings:
            index.warned.append(record)
        index.keys.append((record.date or now, record.origin, _line_of(record.origin, shard)))
    index.cpu_s = time.process_time() - started
    return index


def _line_of(origin: str, shard: Shard) -> int:
    """The line number in a JSONL origin (``path:line``); 0 for other formats."""
    if not _is_jsonl(shard.path):
        return 0
    return int(origin.rsplit(":", 1)[1])


def _is_jsonl(path: str) -> bool:
    return path.lower().endswith((".jsonl", ".jsonl.gz"))


@dataclass(frozen=True, slots=True)
class BlockPlan:
    """One block to read and write on a worker: key ranges, not records."""

    index: int
    first: Key  # the first own article's key
    after: Key | None  # the next block's first key (None: the last block)
    warm_from: datetime  # warm-up: articles before ``first`` dated this or later
    picks: list[tuple[Shard, array[int] | None]]  # shards to read; JSONL: the lines wanted
    n_warm_up: int
    n_own: int
    is_last: bool


AUTO_BLOCKS = -1  # ``blocks`` value: choose the count from the archive's days and the workers
# Blocks of about S / (2 W) days for S days of archive and W worker threads: two blocks per
# worker keep them all busy when one block runs long, and longer blocks mean less warm-up
# (each block re-clusters the 7 days before it: 7 / D of its own articles)...
BLOCKS_PER_WORKER = 2
# ...but never shorter than the warm-up itself (a block would warm up on more articles
# than it writes), and never longer than two months: a lost worker's block is written again
# from the start (at 8,200 articles a day, 60 days is about 500,000 articles, a few hours of
# one worker) and a block's scratch store holds all of it on the worker's disk.
MIN_BLOCK_DAYS = 7.0
MAX_BLOCK_DAYS = 60.0


def auto_block_days(span_days: float, workers: int) -> float:
    """The block length ``marsad backfill --blocks`` picks for an archive of ``span_days``
    days on ``workers`` worker threads (see ``BLOCKS_PER_WORKER``)."""
    wanted = span_days / (BLOCKS_PER_WORKER * max(1, workers))
    return min(MAX_BLOCK_DAYS, max(MIN_BLOCK_DAYS, wanted))


def blocks_of_days(indexes: Sequence[ShardIndex], block_days: float) -> int:
    """How many blocks of about ``block_days`` days the indexed articles' dates span
    (blocks are then cut by count, so busy days make shorter blocks: equal work)."""
    if block_days <= 0:
        raise ValueError(f"block_days must be positive, got {block_days}")
    return max(1, math.ceil(span_days(indexes) / block_days))


def span_days(indexes: Sequence[ShardIndex]) -> float:
    """Days from the first to the last indexed article (0 when none)."""
    dates = [date for index in indexes for date, _, _ in index.keys]
    return (max(dates) - min(dates)).total_seconds() / 86_400 if dates else 0.0


def plan_blocks(
    shards: Sequence[Shard],
    indexes: Sequence[ShardIndex],
    *,
    n_blocks: int,
    overlap: timedelta,
) -> list[BlockPlan]:
    """Cut every article's key, in date order, into ``n_blocks`` blocks of equal count,
    each with the articles of the ``overlap`` before its first as warm-up (the cut of
    :func:`marsad.backfill.blocks.cut_blocks`, from keys)."""
    if n_blocks < 1:
        raise ValueError(f"n_blocks must be at least 1, got {n_blocks}")
    keys = sorted(
        (date, origin, shard, line)
        for shard, index in enumerate(indexes)
        for date, origin, line in index.keys
    )
    total = len(keys)
    size = max(1, -(-total // n_blocks))
    dates = [key[0] for key in keys]
    plans = []
    for number, start in enumerate(range(0, total, size)):
        end = min(total, start + size)
        begin = keys[start][0]
        warm_start = bisect.bisect_left(dates, begin - overlap, 0, start)
        lines: dict[int, list[int]] = {}
        for _, _, shard, line in keys[warm_start:end]:
            lines.setdefault(shard, []).append(line)
        picks = [
            (shards[shard], array("I", sorted(wanted)) if _is_jsonl(shards[shard].path) else None)
            for shard, wanted in sorted(lines.items())
        ]
        plans.append(
            BlockPlan(
                index=number,
                first=keys[start][:2],
                after=keys[end][:2] if end < total else None,
                warm_from=begin - overlap,
                picks=picks,
                n_warm_up=start - warm_start,
                n_own=end - start,
                is_last=end == total,
            )
        )
    return plans


def read_planned(plan: BlockPlan, now: datetime) -> BlockTask:
    """A block's warm-up and own articles, read by the worker from its picks, in date
    order (the records ``cut_blocks`` would have given it)."""
    warm_up: list[tuple[Key, RawArticle]] = []
    own: list[tuple[Key, RawArticle]] = []
    for shard, lines in plan.picks:
        records = read_shard(shard) if lines is None else _read_lines(shard, lines)
        for record in records:
            if isinstance(record, Skipped):
                continue  # counted by the plan pass
            key = (record.date or now, record.origin)
            if key[0] < plan.warm_from or (plan.after is not None and key >= plan.after):
                continue
            (own if key >= plan.first else warm_up).append((key, record))
    warm_up.sort(key=lambda pair: pair[0])
    own.sort(key=lambda pair: pair[0])
    if len(own) != plan.n_own or len(warm_up) != plan.n_warm_up:
        raise RuntimeError(
            f"block {plan.index}: read {len(own)} + {len(warm_up)} warm-up articles, planned"
            f" {plan.n_own} + {plan.n_warm_up}; did the input change during the backfill?"
        )
    return BlockTask(plan.index, [a for _, a in warm_up], [a for _, a in own], plan.is_last)


def _read_lines(shard: Shard, lines: array[int]) -> Iterator[RawArticle | Skipped]:
    """The wanted lines of a JSONL shard (plain or gzip), decoded; the others only
    counted. Origins as ``marsad ingest`` gives them (``path:line``)."""
    wanted = iter(lines)
    target = next(wanted, None)
    line_number = shard.first_line
    opener = gzip.open if shard.path.lower().endswith(".gz") else open
    with opener(shard.path, "rb") as fh:
        fh.seek(shard.start)
        position = shard.start
        while target is not None and (shard.end is None or position < shard.end):
            line = fh.readline(MAX_LINE_BYTES + 1)
            if not line:
                return
            position += len(line)
            if line_number == target:
                yield jsonl_record(line, f"{shard.path}:{line_number}")
                target = next(wanted, None)
            elif not line.endswith(b"\n") and len(line) > MAX_LINE_BYTES:
                while line and not line.endswith(b"\n"):  # read past the over-long line
                    line = fh.readline(1 << 16)
                    position += len(line)
            line_number += 1
