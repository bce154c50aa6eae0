"""Mines name aliases from SaudiNewsNet days and prints them as ``variant<TAB>canonical`` lines.

Usage: python scripts/mine_aliases.py 2015-07-21 2015-07-22 ... [--snn PATH] > mined.tsv

The lines replace the mined section of ``src/marsad/data/aliases_ar.tsv``. Days from
2015-08-04 on and kept-apart ids are refused; leave out the days of any evaluation set.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

from marsad.extract.aliases import mine_aliases

FIRST_KEPT_APART_DAY = "2015-08-04"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("days", nargs="+")
    parser.add_argument("--snn", type=Path, default=Path("../shared/data/saudinewsnet"))
    args = parser.parse_args()
    if any(day >= FIRST_KEPT_APART_DAY for day in args.days):
        parser.error(f"days from {FIRST_KEPT_APART_DAY} on are kept apart")
    kept_apart = set((args.snn / "kept_apart_ids.txt").read_text().split())
    texts = []
    with gzip.open(args.snn / "saudinewsnet.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            if doc["date"][:10] in args.days and doc["id"] not in kept_apart:
                texts.append(f"{doc['title'] or ''}\n{doc['text'] or ''}")
    for variant, canonical in mine_aliases(texts):
        print(f"{variant}\t{canonical}")
    print(f"mined from {len(texts)} articles", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
