"""What does the driver's serial part of ``marsad backfill --blocks`` cost per article?

Usage::

    python scripts/backfill_append_cost.py CORPUS.jsonl[.gz] [--limit 3000] [--blocks 3]

Writes ``limit`` records of CORPUS as ``blocks`` time blocks with ``write_block`` in this
process (what the workers do; with extraction), then measures, without Dask, the driver's
steps: unpickling the blocks' rows as they would arrive, ``Store.append_block`` of each
into a fresh store, and ``Store.finish_blocks``. Prints CPU seconds and milliseconds per
appended article; the last line is the driver's total CPU milliseconds per article.
"""

from __future__ import annotations

import argparse
import itertools
import pickle
import sys
import tempfile
import time
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
    parser.add_argument("--limit", type=int, default=3000)
    parser.add_argument("--blocks", type=int, default=3)
    args = parser.parse_args(argv)
    now = datetime.now().replace(microsecond=0)
    records = (r for r in read_path(Path(args.corpus)) if isinstance(r, RawArticle))
    articles = sorted(
        itertools.islice(records, args.limit), key=lambda a: (a.date or now, a.origin)
    )
    settings = Settings()
    started = time.process_time()
    tasks = cut_blocks(articles, total=len(articles), n_blocks=args.blocks, now=now)
    sent = [pickle.dumps(write_block(task, now, settings)) for task in tasks]
    print(f"write_block (the workers' part) {time.process_time() - started:.1f} CPU s")
    size = sum(len(b) for b in sent)
    with tempfile.TemporaryDirectory(prefix="marsad-append-") as tmp:
        store = Store(Path(tmp) / "target.db", normalizer_version=NORMALIZER_VERSION)
        started = time.process_time()
        blocks = [pickle.loads(b) for b in sent]
        unpickle = time.process_time() - started
        started = time.process_time()
        for block in blocks:
            store.append_block(block.rows)
        append = time.process_time() - started
        started = time.process_time()
        store.finish_blocks()
        finish = time.process_time() - started
        n = max(1, store.count("articles"))
        store.close()
    per = 1000 / n
    print(f"{n} articles appended, {size / n / 1000:.1f} KB per article as sent")
    print(
        f"unpickle {unpickle:.2f} s ({unpickle * per:.2f} ms/article), append {append:.2f} s"
        f" ({append * per:.2f} ms/article), finish {finish:.2f} s ({finish * per:.2f} ms/article)"
    )
    print(f"driver_cpu_ms_per_article={(unpickle + append + finish) * per:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
