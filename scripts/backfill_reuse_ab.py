"""Session 24's prepare changes on and off, alternated in one process (paired timing).

Usage::

    python scripts/backfill_reuse_ab.py CORPUS.jsonl[.gz] [--limit 3000] [--unit 250]

On a shared, loaded machine two runs minutes apart differ by 10-20% in CPU time, far more
than these changes. Here each unit of ``unit`` records is prepared twice back to back, once
with the changes off and once on (the order alternating from unit to unit), as own
articles (with extraction) and as warm-up articles (without): per-body caches are emptied
before each run, so neither run finds the other's bodies. Off means: remembered extractions
off (``prepare.RECENT_EXTRACTIONS`` of size 0), fold's cache of short strings off
(``FOLD_CACHED_CHARS`` -1: one more call than before the change), ``str.translate`` in
``fold_mapped`` and the warm-up's lead analysis made. Prints CPU ms per article of both and
the mean paired difference with its standard error; checks both give the same extraction.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import sys
import time
from datetime import datetime
from pathlib import Path

from marsad.ingest import prepare
from marsad.ingest.prepare import Prepared, RecentExtractions, prepare_batch
from marsad.ingest.readers import read_path
from marsad.models import RawArticle
from marsad.settings import Settings
from marsad.text import arabic


def _switch(on: bool, remembered: RecentExtractions) -> None:
    prepare.RECENT_EXTRACTIONS = remembered if on else RecentExtractions(0)
    arabic.FOLD_CACHED_CHARS = 40 if on else -1
    arabic._translate = NUMPY_TRANSLATE if on else _str_translate  # type: ignore[assignment]
    for cached in (arabic._translated, arabic._mapped, arabic._sentence_spans):
        cached.cache_clear()


def _str_translate(text: str, table: dict[int, str]) -> str:
    return text.translate(table)


NUMPY_TRANSLATE = arabic._translate


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus")
    parser.add_argument("--limit", type=int, default=3000)
    parser.add_argument("--unit", type=int, default=250)
    args = parser.parse_args(argv)
    settings = Settings()
    quiet = Settings(extract=False)
    now = datetime(2015, 8, 1)
    records = [
        r
        for r in itertools.islice(read_path(Path(args.corpus)), args.limit + 50)
        if isinstance(r, RawArticle)
    ]
    remembered = RecentExtractions(prepare.EXTRACTIONS_KEPT)
    prepare_batch(records[:50], now, settings, None)  # models and tables loaded
    own: dict[bool, list[float]] = {False: [], True: []}
    warm: dict[bool, list[float]] = {False: [], True: []}
    differ = 0
    load = os.getloadavg()[0]
    units = [records[i : i + args.unit] for i in range(50, len(records), args.unit)]
    for number, unit in enumerate(units):
        found: dict[bool, list[object]] = {}
        for on in (False, True) if number % 2 == 0 else (True, False):
            _switch(on, remembered)
            started = time.process_time()
            items = prepare_batch(unit, now, settings, None)
            own[on].append((time.process_time() - started) * 1000 / len(unit))
            found[on] = [item.found if isinstance(item, Prepared) else item for item in items]
            _switch(on, remembered)
            started = time.process_time()
            prepare_batch(unit, now, quiet, None, with_leads=not on)
            warm[on].append((time.process_time() - started) * 1000 / len(unit))
        differ += sum(a != b for a, b in zip(found[False], found[True], strict=True))
    print(f"{len(units)} units of {args.unit} records; load {load:.2f} -> {os.getloadavg()[0]:.2f}")
    for label, times in (("own (with extraction)", own), ("warm-up (no extraction)", warm)):
        gaps = [off - on for off, on in zip(times[False], times[True], strict=True)]
        mean = sum(gaps) / len(gaps)
        spread = math.sqrt(sum((g - mean) ** 2 for g in gaps) / max(1, len(gaps) - 1))
        print(
            f"{label}: off {sum(times[False]) / len(gaps):.2f}, on {sum(times[True]) / len(gaps):.2f}"
            f" CPU ms/article; saved {mean:.3f} +- {spread / math.sqrt(len(gaps)):.3f} (s.e.)"
        )
    print(f"articles whose extraction differs between off and on: {differ}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
