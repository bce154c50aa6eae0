"""Splits the speaker labels by day into half A (2015-07-21..23, rules are written from its
errors) and half B (2015-07-24..31, checked before and after, never read for rules).

Usage: python evaluation/speakers_train/halves.py SHARED_DIR BUILD_DIR
Writes BUILD_DIR/speakers_{A,B}_articles.jsonl and BUILD_DIR/speakers_{A,B}.jsonl (the gold),
from build/speakers_train_articles.jsonl and the dates in SaudiNewsNet; prints ids only.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
HALF_A_DAYS = {"2015-07-21", "2015-07-22", "2015-07-23"}


def main(argv: list[str]) -> int:
    shared, build = Path(argv[1]), Path(argv[2])
    articles = [json.loads(line) for line in (build / "speakers_train_articles.jsonl").open()]
    wanted = {row["id"] for row in articles}
    days: dict[str, str] = {}
    with gzip.open(shared / "data" / "saudinewsnet" / "saudinewsnet.jsonl.gz", "rt") as handle:
        for line in handle:
            record = json.loads(line)
            if record["id"] in wanted:
                days[record["id"]] = record["date"][:10]
    gold = [json.loads(line) for line in (HERE / "speakers.jsonl").open()]
    for half in "AB":
        ids = {i for i, day in days.items() if (day in HALF_A_DAYS) == (half == "A")}
        with (build / f"speakers_{half}_articles.jsonl").open("w") as out:
            for row in articles:
                if row["id"] in ids:
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
        with (build / f"speakers_{half}.jsonl").open("w") as out:
            for row in gold:
                if row["article_id"] in ids:
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
        statements = sum(g["article_id"] in ids for g in gold)
        sys.stdout.write(f"{half} {len(ids)} articles {statements} statements\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
