"""Two versions of the code, timed unit by unit in turn (paired timing of a speed change).

Usage::

    python scripts/ab_source_trees.py CORPUS.jsonl[.gz] --base OLD/src [--new NEW/src]
        [--limit 3000] [--unit 125]

On a shared machine two runs minutes apart differ by 10-20% in CPU time, more than most
speed changes. Here two worker processes, one importing ``marsad`` from ``--base`` (say a
copy of main's tree: ``git archive main src | tar -x -C /tmp/main``) and one from
``--new`` (this checkout's ``src`` by default), load the same records and models; then
each unit of ``--unit`` records is prepared by both, one after the other (the order
alternating from unit to unit), as own articles (with extraction) and as warm-up
articles (without), each worker timing its own CPU. Only one worker runs at a time, so
both see the same load. Prints CPU ms per article of both, the mean paired difference
with its standard error, and how many units' prepared records (extraction, roundup
passages, cluster features, fingerprints; a SHA-256 of their repr) differ: a speed
change must print 0.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import math
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import IO, Any

WARM_UP_RECORDS = 50  # models and tables loaded before any unit is timed


def _child(corpus: str, limit: int, unit: int) -> int:
    """Worker: prepares the unit named on each stdin line; one JSON line of results each."""
    import numpy

    from marsad.ingest.prepare import Prepared, prepare_batch
    from marsad.ingest.readers import read_path
    from marsad.models import RawArticle
    from marsad.settings import Settings

    numpy.set_printoptions(threshold=sys.maxsize)  # whole signatures in the reprs
    settings = Settings()
    quiet = Settings(extract=False)
    now = datetime(2015, 8, 1)
    records = [
        r
        for r in itertools.islice(read_path(Path(corpus)), limit + WARM_UP_RECORDS)
        if isinstance(r, RawArticle)
    ]
    prepare_batch(records[:WARM_UP_RECORDS], now, settings, None)
    units = [records[i : i + unit] for i in range(WARM_UP_RECORDS, len(records), unit)]
    print(json.dumps({"units": len(units)}), flush=True)
    for line in sys.stdin:
        chosen = units[int(line)]
        started = time.process_time()
        items = prepare_batch(chosen, now, settings, None)
        own = (time.process_time() - started) * 1000 / len(chosen)
        started = time.process_time()
        warm_items = prepare_batch(chosen, now, quiet, None, with_leads=False)
        warm = (time.process_time() - started) * 1000 / len(chosen)
        digest = hashlib.sha256()
        for item in [*items, *warm_items]:
            if isinstance(item, Prepared):
                kept = (item.found, item.passages, item.cluster_doc, item.fp, item.lead)
                digest.update(repr(kept).encode())
            else:
                digest.update(repr(item).encode())
        print(json.dumps({"own": own, "warm": warm, "digest": digest.hexdigest()}), flush=True)
    return 0


def _start(source: str, args: argparse.Namespace) -> subprocess.Popen[str]:
    # The same hash seed in both, so reprs of sets compare.
    environment = {**os.environ, "PYTHONPATH": source, "PYTHONHASHSEED": "0"}
    command = [sys.executable, __file__, args.corpus, "--child"]
    command += ["--limit", str(args.limit), "--unit", str(args.unit)]
    return subprocess.Popen(
        command, env=environment, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )


def _ask(worker: subprocess.Popen[str], unit: int) -> dict[str, Any]:
    stdin: IO[str] | None = worker.stdin
    stdout: IO[str] | None = worker.stdout
    assert stdin is not None and stdout is not None
    stdin.write(f"{unit}\n")
    stdin.flush()
    return dict(json.loads(stdout.readline()))


def _summary(label: str, base: list[float], new: list[float]) -> str:
    gaps = [b - n for b, n in zip(base, new, strict=True)]
    mean = sum(gaps) / len(gaps)
    spread = math.sqrt(sum((g - mean) ** 2 for g in gaps) / max(1, len(gaps) - 1))
    return (
        f"{label}: base {sum(base) / len(base):.2f}, new {sum(new) / len(new):.2f} CPU ms/article;"
        f" saved {mean:.3f} +- {spread / math.sqrt(len(gaps)):.3f} (s.e.)"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus")
    parser.add_argument("--base", help="the src folder of the code timed against --new")
    parser.add_argument("--new", default=str(Path(__file__).resolve().parents[1] / "src"))
    parser.add_argument("--limit", type=int, default=3000)
    parser.add_argument("--unit", type=int, default=125)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(args.corpus, args.limit, args.unit)
    if not args.base:
        parser.error("--base is required")
    workers = {"base": _start(args.base, args), "new": _start(args.new, args)}
    counts = {name: _ask_ready(worker) for name, worker in workers.items()}
    if counts["base"] != counts["new"]:
        print(f"the workers read different units: {counts}", file=sys.stderr)
        return 1
    load = os.getloadavg()[0]
    times: dict[str, dict[str, list[float]]] = {name: {"own": [], "warm": []} for name in workers}
    differ = 0
    for unit in range(counts["base"]):
        order = ("base", "new") if unit % 2 == 0 else ("new", "base")
        found = {name: _ask(workers[name], unit) for name in order}
        for name in workers:
            times[name]["own"].append(found[name]["own"])
            times[name]["warm"].append(found[name]["warm"])
        differ += found["base"]["digest"] != found["new"]["digest"]
    for worker in workers.values():
        assert worker.stdin is not None
        worker.stdin.close()
        worker.wait()
    print(
        f"{counts['base']} units of {args.unit} records; load {load:.2f} -> {os.getloadavg()[0]:.2f}"
    )
    print(_summary("own (with extraction)", times["base"]["own"], times["new"]["own"]))
    print(_summary("warm-up (no extraction)", times["base"]["warm"], times["new"]["warm"]))
    print(f"units whose prepared records differ between base and new: {differ}")
    return 0 if differ == 0 else 1


def _ask_ready(worker: subprocess.Popen[str]) -> int:
    stdout: IO[str] | None = worker.stdout
    assert stdout is not None
    return int(json.loads(stdout.readline())["units"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
