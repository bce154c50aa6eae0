"""What does planning ``marsad backfill --blocks`` cost, and what does a block task carry?

Usage::

    python scripts/backfill_plan_cost.py CORPUS.jsonl[.gz] [--blocks 8] [--shard-mb 1]

Runs, in this process and without Dask, the plan pass's worker part (``index_shard`` of
every shard) and its driver part (``plan_blocks``: sort the keys, cut the blocks), then
each block's read of its own records (``read_planned``). Prints CPU milliseconds per
article of each, the driver's peak memory for the keys received and sorted (tracemalloc,
an upper bound: one shard's reading is traced too), and the pickled size of a
block's plan per article it covers (what travels in the task graph instead of records).
The last line is the driver's planning CPU milliseconds per article.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
import tracemalloc
from datetime import datetime, timedelta

from marsad.backfill.blocks import OVERLAP
from marsad.backfill.plan import index_shard, plan_blocks, read_planned
from marsad.backfill.shards import plan_shards


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus")
    parser.add_argument("--blocks", type=int, default=8)
    parser.add_argument("--shard-mb", type=float, default=1.0)
    parser.add_argument("--overlap-days", type=float, default=OVERLAP.days)
    args = parser.parse_args(argv)
    now = datetime.now().replace(microsecond=0)
    shards, _ = plan_shards([args.corpus], shard_bytes=int(args.shard_mb * 1_000_000))
    started = time.process_time()
    indexes = [index_shard(shard, now) for shard in shards]
    index_s = time.process_time() - started
    n = sum(len(index.keys) for index in indexes)
    overlap = timedelta(days=args.overlap_days)
    started = time.process_time()
    plans = plan_blocks(shards, indexes, n_blocks=args.blocks, overlap=overlap)
    plan_s = time.process_time() - started
    # Memory apart (tracing slows everything): the keys as received, then the plan.
    del indexes
    tracemalloc.start()
    indexes = [index_shard(shard, now) for shard in shards]
    plan_blocks(shards, indexes, n_blocks=args.blocks, overlap=overlap)
    _, plan_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    sent = sum(len(pickle.dumps(plan)) for plan in plans)
    covered = sum(plan.n_own + plan.n_warm_up for plan in plans)
    started = time.process_time()
    read = sum(len(read_planned(plan, now).own) for plan in plans)
    read_s = time.process_time() - started
    per = 1000 / max(1, n)
    print(f"{len(shards)} shard(s), {n} articles, {args.blocks} blocks ({covered} with warm-up)")
    print(f"workers: index {index_s * per:.3f} CPU ms/article")
    print(f"workers: blocks read their own records {read_s * per:.3f} CPU ms/article ({read} read)")
    print(f"driver: peak {plan_peak / max(1, n):.0f} bytes/article (keys received, then sorted)")
    print(f"task graph: {sent / max(1, covered):.1f} bytes of plan per article covered")
    print(f"driver_plan_cpu_ms_per_article={plan_s * per:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
