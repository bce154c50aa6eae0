"""Writes the July SaudiNewsNet records that the breaking evaluation's store is built from.

Keeps records dated before 2015-08-01 whose ids are not in ``kept_apart_ids.txt``; nothing
from the validation days of the story gold (2015-08-01..03) or from the kept-apart days
(2015-08-04 and later). The output stays in ``build/`` (ignored): corpus text is never
committed.

Usage: ``python scripts/build_july_corpus.py ../shared/data/saudinewsnet build/snn_july.jsonl.gz``
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

UNTIL = "2015-08-01"  # first day not written (crawl dates are "YYYY-MM-DD hh:mm:ss")


def main(data_dir: Path, out: Path) -> int:
    """Filter the corpus; returns how many records were written."""
    kept_apart = set((data_dir / "kept_apart_ids.txt").read_text(encoding="utf-8").split())
    written = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with (
        gzip.open(data_dir / "saudinewsnet.jsonl.gz", "rt", encoding="utf-8") as lines,
        gzip.open(out, "wt", encoding="utf-8") as sink,
    ):
        for line in lines:
            record = json.loads(line)
            if record["date"] < UNTIL and record["id"] not in kept_apart:
                sink.write(line)
                written += 1
    return written


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    print(f"{main(Path(sys.argv[1]), Path(sys.argv[2]))} records written")
