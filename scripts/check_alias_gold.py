"""Checks that every name of an alias gold file occurs verbatim in SaudiNewsNet on given days.

Usage: python scripts/check_alias_gold.py GOLD.jsonl 2015-07-26 2015-07-27 [--snn PATH]

A name occurs when it is found as whole words (no Arabic letter or digit on either side) in
the title or body of an article of those days. Kept-apart ids and days from 2015-08-04 on
are refused, so a gold file can never be drawn from them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from snn_days import texts_of_days


def names_of(gold: Path) -> list[str]:
    names: list[str] = []
    for line in gold.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            names += row.get("variants", []) + [row[k] for k in ("a", "b") if k in row]
    return list(dict.fromkeys(names))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("days", nargs="+")
    parser.add_argument("--snn", type=Path, default=Path("../shared/data/saudinewsnet"))
    args = parser.parse_args()
    try:
        texts = texts_of_days(args.snn, args.days)
    except ValueError as exc:
        parser.error(str(exc))
    corpus = "\n".join(texts)
    names = names_of(args.gold)
    missing = []
    for name in names:
        pattern = r"(?<![\w\u0600-\u06ff])" + re.escape(name) + r"(?![\w\u0600-\u06ff])"
        if not re.search(pattern, corpus):
            missing.append(name)
    print(f"articles={len(texts)} names={len(names)} missing={len(missing)}")
    for name in missing:
        print(f"  not found: {name}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
