"""Two versions of the code on the same block tasks, alternated block by block (paired timing).

Usage::

    python scripts/backfill_code_ab.py CORPUS.jsonl[.gz] --before OLD/src [--after NEW/src]
        [--limit 5000] [--blocks 8] [--prepare-unit 0]

On a shared, loaded machine two runs minutes apart differ by 10-20% in CPU time, more than
most changes to the worker. Here two worker processes, one importing ``marsad`` from
``--before`` (a copy of main's ``src``, e.g. ``git archive main src | tar -x -C OLD``) and
one from ``--after`` (this checkout's ``src`` by default), run the same block tasks of the
corpus's first ``limit`` records (``write_planned_block`` into a scratch store, as
``scripts/backfill_profile_worker.py`` does) one block at a time, taking turns to go first
from block to block, so that a change of load hits both alike. Each process loads its
models and tables on 50 records first (not counted).

Prints each block's worker CPU ms per own article (read, prepare, cluster and write,
export; warm-up steps per warm-up article) for both versions, the mean paired difference
with its standard error, and whether every block's scratch store holds the same rows (a
SHA-256 of every table, clock columns left out). The last line is ``identical=yes`` or
``identical=no``.

With ``--prepare-unit N`` the units are smaller and only the pure half runs: each process
prepares ``N`` records at a time (``prepare_batch`` with extraction, as a block's own
articles), the units taking turns as the blocks do; a block's cluster-and-write step is
stateful and cannot be cut finer than a block. Same output there means the same prepared
records (every field but the timings).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import itertools
import json
import math
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

STEPS = ("read", "prepare", "cluster_write", "export")
WARM_UP_STEPS = ("prepare_warm_up", "cluster_warm_up")
CLOCK_COLUMNS = frozenset({"ingested_at", "extracted_at", "applied_at"})  # when, not what


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        return _child(Path(argv[1]), int(argv[2]), int(argv[3]))
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus")
    parser.add_argument("--before", required=True, help="the src folder of the old code")
    parser.add_argument("--after", default=str(Path(__file__).resolve().parents[1] / "src"))
    parser.add_argument("--limit", type=int, default=5000)
    parser.add_argument("--blocks", type=int, default=8)
    parser.add_argument("--prepare-unit", type=int, default=0, help="records per prepare unit")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="marsad-code-ab-") as tmp:
        sliced = Path(tmp) / "slice.jsonl"
        opener: Any = gzip.open if args.corpus.endswith(".gz") else open
        with opener(args.corpus, "rt", encoding="utf-8") as source, open(sliced, "w") as out:
            out.writelines(itertools.islice(source, args.limit))
        workers = {
            name: _start(Path(folder), sliced, args.blocks, args.prepare_unit)
            for name, folder in (("before", args.before), ("after", args.after))
        }
        load = os.getloadavg()
        results: dict[str, list[dict[str, Any]]] = {"before": [], "after": []}
        units = -(-args.limit // args.prepare_unit) if args.prepare_unit else args.blocks
        for block in range(units):
            order = ("before", "after") if block % 2 == 0 else ("after", "before")
            for name in order:
                results[name].append(_ask(workers[name], block))
        for worker in workers.values():
            assert worker.stdin is not None
            worker.stdin.close()
            worker.wait()
    _report(results, load)
    return 0


def _start(src: Path, sliced: Path, blocks: int, unit: int) -> subprocess.Popen[str]:
    environment = {**os.environ, "PYTHONPATH": str(src.resolve())}
    process = subprocess.Popen(
        [sys.executable, __file__, "--child", str(sliced), str(blocks), str(unit)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=environment,
    )
    _line(process.stdout)  # ready: planned, models loaded
    return process


def _ask(process: subprocess.Popen[str], block: int) -> dict[str, Any]:
    assert process.stdin is not None
    process.stdin.write(f"{block}\n")
    process.stdin.flush()
    answer: dict[str, Any] = json.loads(_line(process.stdout))
    return answer


def _line(stream: IO[str] | None) -> str:
    assert stream is not None
    line = stream.readline()
    if not line:
        raise RuntimeError("a worker process ended early")
    return line


def _child(sliced: Path, blocks: int, unit: int) -> int:
    """A worker process: plan the blocks, load models, then run the blocks (or prepare
    the units) it is sent."""
    import dataclasses
    from datetime import datetime

    from marsad.backfill.blocks import OVERLAP, write_planned_block
    from marsad.backfill.plan import index_shard, plan_blocks
    from marsad.backfill.shards import plan_shards
    from marsad.ingest.prepare import RECENT_EXTRACTIONS, prepare_batch
    from marsad.ingest.readers import read_path
    from marsad.models import RawArticle
    from marsad.settings import Settings

    settings = Settings()
    now = datetime(2015, 8, 1)
    shards, _ = plan_shards([sliced])
    indexes = [index_shard(shard, now) for shard in shards]
    plans = plan_blocks(shards, indexes, n_blocks=blocks, overlap=OVERLAP)
    warm = [r for r in itertools.islice(read_path(sliced), 50) if isinstance(r, RawArticle)]
    prepare_batch(warm, now, settings, None)
    RECENT_EXTRACTIONS.clear()
    print("ready", flush=True)
    if unit:
        records = [r for r in read_path(sliced) if isinstance(r, RawArticle)]
        for line in sys.stdin:
            part = records[int(line) * unit : (int(line) + 1) * unit]
            started = time.process_time()
            prepared = prepare_batch(part, now, settings, None)
            spent = time.process_time() - started
            # Everything prepared but the timings (the signature's repr holds all values).
            kept = [
                dataclasses.replace(item, seconds={}) if hasattr(item, "seconds") else item
                for item in prepared
            ]
            answer = {
                "n_own": len(part),
                "n_warm_up": 0,
                "cpu_s": {"prepare": spent},
                "digest": hashlib.sha256(repr(kept).encode()).hexdigest(),
                "load": os.getloadavg()[0],
            }
            print(json.dumps(answer), flush=True)
        return 0
    with tempfile.TemporaryDirectory(prefix="marsad-code-ab-child-") as tmp:
        for line in sys.stdin:
            plan = plans[int(line)]
            written = write_planned_block(plan, now, settings, keep_in=tmp)
            assert written.scratch is not None
            digest = _digest(Path(written.scratch))
            answer = {
                "n_own": plan.n_own,
                "n_warm_up": plan.n_warm_up,
                "cpu_s": written.cpu_s,
                "digest": digest,
                "load": os.getloadavg()[0],
            }
            print(json.dumps(answer), flush=True)
    return 0


def _digest(path: Path) -> str:
    """SHA-256 of every ordinary table's rows in rowid order (clock columns left out)."""
    db = sqlite3.connect(path)
    try:
        digest = hashlib.sha256()
        tables = db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE '%VIRTUAL%'"
            " ORDER BY name"
        ).fetchall()
        for (table,) in tables:
            columns = [
                str(row[1])
                for row in db.execute(f'PRAGMA table_info("{table}")')
                if row[1] not in CLOCK_COLUMNS
            ]
            names = ", ".join(f'"{c}"' for c in columns)
            digest.update(table.encode())
            for row in db.execute(f'SELECT {names} FROM "{table}" ORDER BY {names}'):
                digest.update(repr(row).encode())
        return digest.hexdigest()
    finally:
        db.close()


def _report(results: dict[str, list[dict[str, Any]]], load: tuple[float, ...]) -> None:
    def worker_ms(answer: dict[str, Any]) -> float:
        cpu = answer["cpu_s"]
        return sum(cpu.get(step, 0.0) for step in STEPS) * 1000 / max(1, answer["n_own"])

    def warm_ms(answer: dict[str, Any]) -> float:
        cpu = answer["cpu_s"]
        spent = sum(cpu.get(step, 0.0) for step in WARM_UP_STEPS)
        return spent * 1000 / max(1, answer["n_warm_up"])

    print(f"load average at start {load[0]:.2f} {load[1]:.2f}, at end {os.getloadavg()[0]:.2f}")
    print(f"{'block':>5} {'own':>5} {'warm-up':>7}  {'before':>14}  {'after':>14}  same rows")
    same = True
    for block, (old, new) in enumerate(zip(results["before"], results["after"], strict=True)):
        agree = old["digest"] == new["digest"]
        same &= agree
        print(
            f"{block:>5} {old['n_own']:>5} {old['n_warm_up']:>7}  "
            f"{worker_ms(old):6.2f} / {warm_ms(old):5.2f}  {worker_ms(new):6.2f} / "
            f"{warm_ms(new):5.2f}  {'yes' if agree else 'NO'}"
        )
    print("(CPU ms per own article, without summaries / per warm-up article)")
    for label, measure in (("own", worker_ms), ("warm-up", warm_ms)):
        old_values = [measure(a) for a in results["before"]]
        new_values = [measure(a) for a in results["after"]]
        differences = [n - o for o, n in zip(old_values, new_values, strict=True)]
        mean = sum(differences) / len(differences)
        spread = (
            math.sqrt(sum((d - mean) ** 2 for d in differences) / (len(differences) - 1))
            if len(differences) > 1
            else 0.0
        )
        print(
            f"{label}: before {sum(old_values) / len(old_values):.2f}, after "
            f"{sum(new_values) / len(new_values):.2f} ms per article; paired difference "
            f"{mean:+.2f} +- {spread / math.sqrt(len(differences)):.2f} (standard error,"
            f" {len(differences)} pairs)"
        )
    steps = (*STEPS, *WARM_UP_STEPS)
    for name in ("before", "after"):
        own = sum(a["n_own"] for a in results[name])
        warm = sum(a["n_warm_up"] for a in results[name])
        parts = []
        for step in steps:
            total = sum(a["cpu_s"].get(step, 0.0) for a in results[name]) * 1000
            parts.append(f"{step} {total / max(1, warm if step in WARM_UP_STEPS else own):.2f}")
        print(f"{name}: " + ", ".join(parts))
    print(f"identical={'yes' if same else 'no'}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
