"""Draws the articles of quotes_val3 (run once, before annotation; kept for the record).

Usage: PYTHONPATH=src python evaluation/quotes_val3/draw.py [SHARED_DIR]
Prints one id per line with its day and outlet; no article text is written anywhere.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from snn_days import records_of_days

from marsad.ingest.readers import clean_body

REPO = Path(__file__).resolve().parents[2]
DAYS = ("2015-07-23", "2015-07-24", "2015-07-31")  # the July days quotes_dev uses least
CUES = ("قال", "أكد", "أوضح", "أشار", "أضاف")
SEED = 20150723
DRAW = 50


def _used_ids() -> set[str]:
    used: set[str] = set()
    for name in ("quotes_dev", "quotes_val", "quotes_val2"):
        for line in (REPO / "evaluation" / name / "articles.tsv").read_text("utf-8").splitlines():
            if line and not line.startswith("#"):
                used.add(line.split("\t")[0])
    return used


def main(argv: list[str]) -> int:
    shared = Path(argv[1]) if len(argv) > 1 else REPO.parent / "shared"
    snn = shared / "data" / "saudinewsnet"
    used = _used_ids()
    records = list(records_of_days(snn, DAYS))
    dev_titles = {r["title"] for r in records if r["id"] in used}
    pool = []
    for record in records:
        text = clean_body(record["text"])
        if (
            record["id"] not in used
            and record["title"] not in dev_titles
            and 500 <= len(text) <= 1200
            and any(cue in text for cue in CUES)
        ):
            pool.append(record)
    pool.sort(key=lambda r: r["id"])
    random.seed(SEED)
    drawn = random.sample(pool, DRAW)
    sys.stderr.write(f"# pool {len(pool)} articles of {', '.join(DAYS)}\n")
    for record in drawn:
        sys.stdout.write(f"{record['id']}\t{record['date'][:10]}\t{record.get('source', '')}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
