"""Where does a backfill worker's time go, per own article? (``marsad backfill --blocks``)

Usage::

    python scripts/backfill_profile_worker.py CORPUS.jsonl[.gz] [--limit 3000] [--blocks 2]
        [--out TARGET.db] [--dump STORIES.jsonl] [--cprofile N]

Runs the block path of ``marsad backfill`` in this process, without Dask: the plan pass
(``index_shard``, ``plan_blocks``), each block task (``write_planned_block``: read its own
and warm-up records, prepare, cluster and write into a scratch store, keep it), the
driver's appends (``Store.append_scratch``, ``finish_blocks``) into ``TARGET.db``, and the
summary tasks (``summarize_stories`` of every touched story, as the workers run them). The
corpus is cut to its first ``limit`` records first (written to a temporary JSONL file).

Prints the worker's CPU milliseconds (``time.process_time``) per own article for each step
(warm-up steps also per warm-up article), and with ``--cprofile N`` the N costliest
functions (own time) of the cluster-and-write step and of the summary step, each run again
under the profiler. ``--dump`` writes each story's articles (input ids), headline and
summary as JSON lines, so two versions of the code can be compared exactly. The last line is
the worker's CPU milliseconds per own article with the month-block warm-up of the README
(7/30 of a warm-up article per own article).
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import hashlib
import itertools
import json
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from marsad.backfill.blocks import OVERLAP, WrittenBlock, write_planned_block
from marsad.backfill.plan import index_shard, plan_blocks
from marsad.backfill.shards import plan_shards
from marsad.backfill.tasks import summarize_stories
from marsad.ingest.prepare import RECENT_EXTRACTIONS, prepare_batch
from marsad.ingest.readers import read_path
from marsad.models import RawArticle
from marsad.pipeline import Pipeline
from marsad.refresh import outlet_baseline
from marsad.settings import Settings
from marsad.store import Store
from marsad.text.arabic import NORMALIZER_VERSION

MONTH_WARM_UP = 7 / 30  # warm-up articles per own article with month blocks (README)
# Tables compared by --dump (the full-text index is contentless and cannot be read back).
DUMPED_TABLES = (
    "articles",
    "mentions",
    "passages",
    "statements",
    "numbers",
    "entity_stats",
    "entity_stories",
    "entity_outlets",
    "date_mentions",
    "extracted_articles",
)
CLOCK_COLUMNS = frozenset({"ingested_at", "extracted_at"})  # when, not what
SUMMARY_CHUNK = 200  # stories per summary task, as the driver sends them


def _cut(corpus: Path, limit: int, folder: Path) -> Path:
    """The first ``limit`` lines of ``corpus`` as a plain JSONL file (one shard)."""
    opener: Callable[..., Any] = gzip.open if corpus.suffix == ".gz" else open
    path = folder / "slice.jsonl"
    with opener(corpus, "rt", encoding="utf-8") as source, open(path, "w") as out:
        out.writelines(itertools.islice(source, limit))
    return path


def _profiled(n: int, label: str, run: Callable[[], Any]) -> Any:
    if not n:
        return run()
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        return run()
    finally:
        profiler.disable()
        print(f"--- cProfile of {label} (own time) ---")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(n)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus")
    parser.add_argument("--limit", type=int, default=3000)
    parser.add_argument("--blocks", type=int, default=2)
    parser.add_argument("--out", help="the target store (default: a temporary file)")
    parser.add_argument("--dump", help="write each story as a JSON line here")
    parser.add_argument("--cprofile", type=int, default=0, help="print the N costliest functions")
    args = parser.parse_args(argv)
    corpus = Path(args.corpus)
    if not corpus.exists():
        print(f"no corpus at {corpus}", file=sys.stderr)
        return 2
    settings = Settings()
    now = datetime(2015, 8, 1)
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="marsad-profile-") as tmp:
        folder = Path(tmp)
        sliced = _cut(corpus, args.limit, folder)
        started = time.process_time()
        shards, _ = plan_shards([sliced])
        indexes = [index_shard(shard, now) for shard in shards]
        plans = plan_blocks(shards, indexes, n_blocks=args.blocks, overlap=OVERLAP)
        plan_s = time.process_time() - started
        # Models and tables loaded once per worker process, before the first block: not
        # counted, as a long-lived worker pays them once.
        warm = list(itertools.islice(read_path(sliced), 50))
        prepare_batch([r for r in warm if isinstance(r, RawArticle)], now, settings, None)
        RECENT_EXTRACTIONS.clear()  # the blocks extract those 50 records afresh
        written: list[WrittenBlock] = []
        for plan in plans:
            written.append(write_planned_block(plan, now, settings, keep_in=tmp))
        target_path = Path(args.out) if args.out else folder / "target.db"
        if target_path.exists():
            target_path.unlink()
        target = Store(target_path, normalizer_version=NORMALIZER_VERSION)
        started = time.process_time()
        for block in written:
            assert block.scratch is not None
            target.append_scratch(block.scratch)
        target.finish_blocks()
        append_s = time.process_time() - started
        dirty = target.dirty_stories()
        baseline = outlet_baseline(target)
        summary_s = 0.0
        refreshed_all = []
        for first in range(0, len(dirty), SUMMARY_CHUNK):
            chunk = dirty[first : first + SUMMARY_CHUNK]
            refreshed, spent = summarize_stories(str(target_path), chunk, baseline, settings)
            refreshed_all += refreshed
            summary_s += spent
        Pipeline(target, settings).apply_refreshed(refreshed_all)
        if args.cprofile:
            own_block = plans[-1]
            RECENT_EXTRACTIONS.clear()  # the profiled run extracts afresh too
            _profiled(
                args.cprofile,
                "the last block task",
                lambda: write_planned_block(own_block, now, settings, keep_in=tmp),
            )
            _profiled(
                args.cprofile,
                "the summary tasks",
                lambda: summarize_stories(str(target_path), dirty, baseline, settings),
            )
        if args.dump:
            _dump(target, Path(args.dump))
        target.close()
    n_own = sum(plan.n_own for plan in plans)
    n_warm = sum(plan.n_warm_up for plan in plans)
    cpu: dict[str, float] = {}
    for block in written:
        for step, spent in block.cpu_s.items():
            cpu[step] = cpu.get(step, 0.0) + spent
    stage_s: dict[str, float] = {}
    for block in written:
        for stage, spent in block.stage_s.items():
            stage_s[stage] = stage_s.get(stage, 0.0) + spent

    def per_own(seconds: float) -> float:
        return seconds * 1000 / max(1, n_own)

    def per_warm(seconds: float) -> float:
        return seconds * 1000 / max(1, n_warm)

    print(f"{n_own} own articles, {n_warm} warm-up articles in {len(plans)} blocks")
    print(f"load average at start {load[0]:.2f} {load[1]:.2f}, at end {os.getloadavg()[0]:.2f}")
    print(f"{'step (CPU ms)':<42} {'per own':>9} {'per warm-up':>12}")
    rows = [
        ("plan pass (index, plan; driver + workers)", per_own(plan_s), None),
        ("read own + warm-up records", per_own(cpu.get("read", 0.0)), None),
        ("prepare (with extraction)", per_own(cpu["prepare"]), None),
        ("cluster + write into the scratch store", per_own(cpu["cluster_write"]), None),
        ("export (keep_block)", per_own(cpu["export"]), None),
        ("warm-up prepare", None, per_warm(cpu["prepare_warm_up"])),
        ("warm-up cluster", None, per_warm(cpu["cluster_warm_up"])),
        ("summaries (summarize_stories)", per_own(summary_s), None),
        ("driver: append + finish", per_own(append_s), None),
    ]
    for label, own, warm in rows:
        own_text = f"{own:9.2f}" if own is not None else " " * 9
        warm_text = f"{warm:12.2f}" if warm is not None else ""
        print(f"{label:<42} {own_text} {warm_text}")
    print("prepare stages of own articles (wall ms per article, from Prepared.seconds):")
    for stage, spent in sorted(stage_s.items(), key=lambda kv: -kv[1]):
        print(f"  {stage:<24} {per_own(spent):7.2f}")
    month_warm_up = MONTH_WARM_UP * (
        per_warm(cpu["prepare_warm_up"]) + per_warm(cpu["cluster_warm_up"])
    )
    worker = (
        per_own(cpu.get("read", 0.0) + cpu["prepare"] + cpu["cluster_write"] + cpu["export"])
        + month_warm_up
        + per_own(summary_s)
    )
    print(
        f"month-block warm-up per own article {month_warm_up:.2f}; {len(dirty)} stories summarized"
    )
    print(f"worker_cpu_ms_per_own_article={worker:.2f}")
    return 0


def _dump(store: Store, path: Path) -> None:
    """Every story (its row, its articles' input ids), then a SHA-256 of each table's rows
    in key order, clock columns left out, so that two runs compare exactly."""
    members: dict[int, list[str]] = {}
    for ext_id, story in store.story_assignments().items():
        members.setdefault(int(story), []).append(ext_id)
    with open(path, "w", encoding="utf-8") as out:
        for table in ("stories", *DUMPED_TABLES):
            if not store.has_table(table):
                continue
            columns = [
                str(row[1])
                for row in store.db.execute(f"PRAGMA table_info({table})")
                if row[1] not in CLOCK_COLUMNS
            ]
            names = ", ".join(f'"{c}"' for c in columns)
            order = ", ".join(str(i + 1) for i in range(min(2, len(columns))))
            rows = store.db.execute(f"SELECT {names} FROM {table} ORDER BY {order}").fetchall()
            if table == "stories":
                for row in rows:
                    story = {
                        "row": list(map(str, row)),
                        "articles": sorted(members.get(int(row[0]), [])),
                    }
                    out.write(json.dumps(story, ensure_ascii=False) + "\n")
                continue
            digest = hashlib.sha256()
            at = columns.index("origin") if "origin" in columns else -1
            for row in rows:
                values = list(row)
                if at >= 0:  # "path:line" of the run's own temporary copy: the line only
                    values[at] = str(values[at]).rsplit("/", 1)[-1]
                digest.update(repr(tuple(values)).encode())
            out.write(
                json.dumps({"table": table, "rows": len(rows), "sha256": digest.hexdigest()}) + "\n"
            )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
