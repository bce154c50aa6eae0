"""How close do time-block stories come to the serial ones? (``marsad.backfill.blocks``)

Usage::

    python scripts/backfill_blocks.py INPUT.jsonl REFERENCE.db GOLD.jsonl[.gz] \
        [--blocks 2 4] [--overlap-days 3 7] [--workers 2]

Prepares INPUT on a local cluster (extraction off: it does not touch stories), clusters it
in each number of blocks as tasks, and prints per block count the B-cubed F1 against the
stories of REFERENCE (a store of ``marsad ingest`` of the same input) and against the
gold, and the wall seconds of the block clustering. The last line is the agreement
B-cubed F1 of the last block count.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from marsad.backfill.blocks import cluster_in_blocks
from marsad.backfill.cluster import dask_client
from marsad.backfill.shards import plan_shards
from marsad.backfill.tasks import prepare_shard
from marsad.evaluate.metrics import bcubed
from marsad.evaluate.stories import load_gold
from marsad.settings import Settings
from marsad.store import Store
from marsad.text.arabic import NORMALIZER_VERSION


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("input")
    parser.add_argument("reference")
    parser.add_argument("gold")
    parser.add_argument("--blocks", type=int, nargs="+", default=[2, 4])
    parser.add_argument("--overlap-days", type=float, nargs="+", default=[3.0, 7.0])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    settings = dataclasses.replace(Settings(), extract=False)
    store = Store(args.reference, normalizer_version=NORMALIZER_VERSION)
    serial = {ext_id: f"s{story}" for ext_id, story in store.story_assignments().items()}
    store.close()
    _, gold = load_gold(Path(args.gold))
    now = datetime.now().replace(microsecond=0)
    shards, _ = plan_shards([args.input])
    score = 0.0
    with dask_client(local_workers=args.workers) as client:
        started = time.perf_counter()
        rows = []
        for result in client.gather(
            [client.submit(prepare_shard, s, now, settings, pure=False) for s in shards]
        ):
            rows.extend(zip(result.articles, result.prepared, strict=True))
        rows.sort(key=lambda row: (row[0].date or now, row[0].origin))
        print(f"prepared {len(rows)} articles in {time.perf_counter() - started:.0f} s")
        g_f = bcubed({i: serial.get(i, f"missing:{i}") for i in gold}, gold)[2]
        print(f"serial: gold bcubed F1 {g_f:.4f}")
        for days in args.overlap_days:
            for n_blocks in args.blocks:
                started = time.perf_counter()
                labels = cluster_in_blocks(
                    client, rows, now, settings, n_blocks=n_blocks, overlap=timedelta(days=days)
                )
                seconds = time.perf_counter() - started
                _, _, score = bcubed(labels, serial)
                g_f = bcubed({i: labels.get(i, f"missing:{i}") for i in gold}, gold)[2]
                print(
                    f"{n_blocks} blocks, overlap {days:g} days: {seconds:.0f} s;"
                    f" gold bcubed F1 {g_f:.4f}; vs serial bcubed_f1={score:.4f}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
