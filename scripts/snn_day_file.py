"""Writes the SaudiNewsNet records of chosen days to one JSONL.gz file, for ``marsad ingest``
or ``marsad eval aliases --articles`` (a build file: never committed).

Usage: PYTHONPATH=src:scripts python scripts/snn_day_file.py OUT.jsonl.gz DAY [DAY ...] [--snn DIR]

Days from 2015-08-04 on and kept-apart ids are refused (:mod:`snn_days`).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

from snn_days import records_of_days


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("days", nargs="+")
    parser.add_argument("--snn", type=Path, default=Path("../shared/data/saudinewsnet"))
    args = parser.parse_args()
    try:
        records = list(records_of_days(args.snn, args.days))
    except ValueError as exc:
        parser.error(str(exc))
    with gzip.open(args.out, "wt", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(records)} records of {' '.join(args.days)} -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
