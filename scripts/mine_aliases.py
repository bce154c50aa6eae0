"""Mines name aliases from SaudiNewsNet days and prints them as ``variant<TAB>canonical`` lines.

Usage: python scripts/mine_aliases.py 2015-07-21 2015-07-22 ... [--snn PATH] > mined.tsv

The lines replace the mined section of ``src/marsad/data/aliases_ar.tsv``. Days from
2015-08-04 on and kept-apart ids are refused; leave out the days of any evaluation set.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from snn_days import texts_of_days

from marsad.extract.aliases import mine_aliases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("days", nargs="+")
    parser.add_argument("--snn", type=Path, default=Path("../shared/data/saudinewsnet"))
    args = parser.parse_args()
    try:
        texts = texts_of_days(args.snn, args.days)
    except ValueError as exc:
        parser.error(str(exc))
    for variant, canonical in mine_aliases(texts):
        print(f"{variant}\t{canonical}")
    print(f"mined from {len(texts)} articles", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
