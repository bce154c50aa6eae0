"""What does the driver's serial part of ``marsad backfill --blocks`` cost per article?

Usage::

    python scripts/backfill_append_cost.py CORPUS.jsonl[.gz] [--limit 5000] [--blocks 4]
        [--postgres]

Writes the first ``limit`` records of CORPUS as ``blocks`` time blocks with
``write_block`` in this process (what the workers do; with extraction), each left in a
scratch SQLite file (with ``--keep``, in that folder, and reused by later runs), then
measures, without Dask, what the driver does with them (each store appended to is new):

- ``sqlite attached``: ``Store.append_scratch`` of each file (ATTACH, INSERT ... SELECT),
  then ``Store.finish_blocks`` (what ``--local-workers`` does now);
- ``sqlite rows sent``: the block's rows unpickled as they would arrive, then
  ``Store.append_block`` and ``finish_blocks`` (a remote cluster without a shared folder);
- with ``--postgres``, ``postgresql rows sent``: the same into a throwaway PostgreSQL
  server (``tests/pg_support.py``; needs Debian's postgresql binaries).

Prints CPU and wall milliseconds per appended article for each (PostgreSQL's own work is
in its server process: read the wall figure there). The last line is the attached
append's driver CPU milliseconds per article.
"""

from __future__ import annotations

import argparse
import itertools
import pickle
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from marsad.backfill.blocks import cut_blocks, write_block
from marsad.ingest.readers import read_path
from marsad.models import RawArticle
from marsad.settings import Settings
from marsad.store import Store
from marsad.text.arabic import NORMALIZER_VERSION


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus")
    parser.add_argument("--limit", type=int, default=5000)
    parser.add_argument("--blocks", type=int, default=4)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument(
        "--keep", metavar="FOLDER", help="write the blocks here and keep them; reuse them if there"
    )
    args = parser.parse_args(argv)
    now = datetime.now().replace(microsecond=0)
    records = (r for r in read_path(Path(args.corpus)) if isinstance(r, RawArticle))
    articles = sorted(
        itertools.islice(records, args.limit), key=lambda a: (a.date or now, a.origin)
    )
    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="marsad-append-") as tmp:
        files = sorted(str(p) for p in Path(args.keep or tmp).glob("block-*.db"))
        if not files:
            started = time.process_time()
            tasks = cut_blocks(articles, total=len(articles), n_blocks=args.blocks, now=now)
            keep_in = args.keep or tmp
            files = [str(write_block(t, now, Settings(), keep_in=keep_in).scratch) for t in tasks]
            print(f"write_block (the workers' part) {time.process_time() - started:.1f} CPU s")
        sent = []
        for path in files:
            kept = Store(path, normalizer_version=NORMALIZER_VERSION)
            sent.append(pickle.dumps(kept.export_kept()))
            kept.close()
        size = sum(len(b) for b in sent)

        def attached(store: Store) -> None:
            for path in files:
                store.append_scratch(path)

        def rows_sent(store: Store) -> None:
            for block in sent:
                store.append_block(pickle.loads(block))

        n, last = measure("sqlite attached", open_store(Path(tmp) / "a.db"), attached)
        measure("sqlite rows sent", open_store(Path(tmp) / "r.db"), rows_sent)
        if args.postgres:
            sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
            from pg_support import PostgresServer

            server = PostgresServer()
            try:
                measure("postgresql rows sent", open_store(server.new_database()), rows_sent)
            finally:
                server.stop()
    print(f"{n} articles; {size / max(1, n) / 1000:.1f} KB per article as sent")
    print(f"driver_cpu_ms_per_article={last:.2f}")
    return 0


def open_store(where: Path | str) -> Store:
    return Store(where, normalizer_version=NORMALIZER_VERSION)


def measure(name: str, store: Store, append: Callable[[Store], None]) -> tuple[int, float]:
    """Append every block into ``store`` and finish; print the costs; return the articles
    stored and the driver's CPU ms per article."""
    started, cpu_started = time.perf_counter(), time.process_time()
    append(store)
    append_wall, append_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    started, cpu_started = time.perf_counter(), time.process_time()
    store.finish_blocks()
    finish_wall, finish_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    n = max(1, store.count("articles"))
    store.close()
    per = 1000 / n
    print(
        f"{name}: {n} articles; append {append_cpu * per:.3f} CPU ms/article"
        f" ({append_wall * per:.3f} wall), finish {finish_cpu * per:.3f} CPU ms/article"
        f" ({finish_wall * per:.3f} wall); total {(append_cpu + finish_cpu) * per:.3f} CPU,"
        f" {(append_wall + finish_wall) * per:.3f} wall ms/article"
    )
    return n, (append_cpu + finish_cpu) * per


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
