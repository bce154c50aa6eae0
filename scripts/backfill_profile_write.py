"""What does a block task's write cost without its prepare? (``marsad backfill --blocks``)

Usage::

    python scripts/backfill_profile_write.py CORPUS.jsonl[.gz] PREPARED.pkl [--limit 5000]
        [--blocks 4] [--old] [--cprofile N]

Prepares the first ``limit`` records of CORPUS in ``blocks`` time blocks once (warm-up
without extraction, own articles with it, in the block task's units) and keeps them in
PREPARED.pkl; later runs read that file, so only the write is run and timed: each block's
warm-up and own articles through ``Pipeline.store_prepared`` into a scratch store, then
``keep_block``. ``--old``: the scratch store as it was (the writer state saved with every
batch, the store's usual SQLite settings and indexes), to compare both ways back to back on
the same prepared articles. Prints CPU milliseconds per own article (cluster and write,
keep) and per warm-up article (cluster and write); with ``--cprofile N`` the N costliest
functions by own and by cumulative time. The last line is the cluster-and-write CPU ms per
own article.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import os
import pickle
import pstats
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from marsad.backfill import blocks
from marsad.backfill.plan import index_shard, plan_blocks, read_planned
from marsad.backfill.shards import plan_shards
from marsad.ingest.prepare import Prepared, prepare_batch
from marsad.pipeline import IngestReport, Pipeline
from marsad.settings import Settings
from marsad.store import Store
from marsad.text.arabic import NORMALIZER_VERSION

NOW = datetime(2015, 8, 1)  # as scripts/backfill_profile_worker.py


def prepared_blocks(corpus: Path, limit: int, n_blocks: int, settings: Settings) -> list[Any]:
    """Per block: (warm-up units, own units), each unit (articles, prepared)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from backfill_profile_worker import _cut

    quiet = dataclasses.replace(settings, extract=False)
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        sliced = _cut(corpus, limit, Path(tmp))
        shards, _ = plan_shards([sliced])
        indexes = [index_shard(shard, NOW) for shard in shards]
        for plan in plan_blocks(shards, indexes, n_blocks=n_blocks, overlap=blocks.OVERLAP):
            task = read_planned(plan, NOW)
            size = settings.batch_size
            warm = [
                (u, prepare_batch(u, NOW, quiet, None)) for u in blocks._units(task.warm_up, size)
            ]
            own = [
                (u, prepare_batch(u, NOW, settings, None)) for u in blocks._units(task.own, size)
            ]
            out.append((warm, own))
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus")
    parser.add_argument("prepared", help="prepared blocks kept here (made on the first run)")
    parser.add_argument("--limit", type=int, default=5000)
    parser.add_argument("--blocks", type=int, default=4)
    parser.add_argument("--old", action="store_true", help="the scratch store as it was")
    parser.add_argument("--cprofile", type=int, default=0, help="print the N costliest functions")
    args = parser.parse_args(argv)
    settings = Settings()
    cache = Path(args.prepared)
    if not cache.exists():
        cache.write_bytes(
            pickle.dumps(prepared_blocks(Path(args.corpus), args.limit, args.blocks, settings))
        )
    kept = pickle.loads(cache.read_bytes())
    n_own = sum(len(unit) for _, own in kept for unit, _ in own)
    n_warm = sum(len(unit) for warm, _ in kept for unit, _ in warm)
    profiler = cProfile.Profile() if args.cprofile else None
    cpu = dict.fromkeys(("warm_up", "own", "keep"), 0.0)
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        for number, (warm, own) in enumerate(kept):
            store = Store(Path(tmp) / f"block-{number}.db", normalizer_version=NORMALIZER_VERSION)
            if args.old:
                store.writes_search_and_entity_figures = False
            else:
                store.make_scratch()
            pipeline = Pipeline(store, dataclasses.replace(settings, extract=False))
            pipeline.state.saves = args.old
            pipeline.start_run()
            if profiler:
                profiler.enable()
            started = time.process_time()
            for unit, prepared in warm:
                blocks._write_batches(pipeline, unit, prepared, IngestReport(), blocks._ignore)
            cpu["warm_up"] += time.process_time() - started
            first_own = store.next_article_id()
            pipeline.settings = settings
            report = IngestReport()
            fts: dict[str, tuple[str, str]] = {}
            started = time.process_time()
            for unit, prepared in own:
                for item in prepared:
                    if isinstance(item, Prepared):
                        fts[item.identity] = (item.words, item.stems)
                blocks._write_batches(pipeline, unit, prepared, report, report.count_skipped)
            cpu["own"] += time.process_time() - started
            started = time.process_time()
            store.keep_block(first_own, fts)
            cpu["keep"] += time.process_time() - started
            if profiler:
                profiler.disable()
            store.close()
    print(
        f"{n_own} own, {n_warm} warm-up articles; load {load:.1f} at start, {os.getloadavg()[0]:.1f} at end"
    )
    print(
        f"warm-up cluster and write {cpu['warm_up'] * 1000 / max(1, n_warm):.2f} CPU ms per warm-up article"
    )
    print(f"keep_block {cpu['keep'] * 1000 / max(1, n_own):.2f} CPU ms per own article")
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(args.cprofile)
        stats.sort_stats("cumulative").print_stats(args.cprofile)
    print(f"cluster_write_cpu_ms_per_own_article={cpu['own'] * 1000 / max(1, n_own):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
