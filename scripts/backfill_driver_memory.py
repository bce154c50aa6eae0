"""Does the driver's stateful half (``Pipeline.store_prepared``) grow with the corpus?

Usage::

    python scripts/backfill_driver_memory.py [N]

Writes the first N (default 8,000) SaudiNewsNet records, prepared without extraction, in
date order and batches of 500 in one process (no Dask), and prints the resident memory and
the number of near-duplicate index entries after every 1,000: the memory the backfill
driver needs besides its own bounded buffers (the units window, the date sorter's run).
"""

from __future__ import annotations

import gc
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from marsad.bench import _copy_jsonl
from marsad.ingest.prepare import prepare_batch
from marsad.ingest.readers import read_path
from marsad.models import RawArticle, Skipped
from marsad.pipeline import IngestReport, Pipeline
from marsad.settings import Settings
from marsad.store import Store
from marsad.text.arabic import NORMALIZER_VERSION

SNN = Path(__file__).resolve().parents[2] / "shared/data/saudinewsnet/saudinewsnet.jsonl.gz"
BATCH = 500


def rss_mb() -> float:
    """This process's resident memory now (not its peak), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


def ignore(_record: Skipped) -> None:
    pass


def main(limit: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="marsad-memory-"))
    _copy_jsonl(SNN, tmp / "records.jsonl", limit)
    articles = sorted(
        (r for r in read_path(tmp / "records.jsonl") if isinstance(r, RawArticle)),
        key=lambda a: (a.date or datetime.max, a.origin),
    )
    settings = Settings(extract=False)
    pipeline = Pipeline(Store(tmp / "probe.db", normalizer_version=NORMALIZER_VERSION), settings)
    pipeline.start_run()
    report = IngestReport()
    print(f"articles {len(articles)}; rss after reading {rss_mb():.0f} MB", flush=True)
    now = datetime(2026, 1, 1)
    for start in range(0, len(articles), BATCH):
        batch = articles[start : start + BATCH]
        pipeline.store_prepared(batch, prepare_batch(batch, now, settings, None), report, ignore)
        if (start + BATCH) % 1000 == 0:
            gc.collect()  # what is left is held, not garbage waiting for a collection
            entries = len(pipeline.state.duplicates)
            print(f"{start + BATCH} written: rss {rss_mb():.0f} MB, dedup entries {entries}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 8000)
