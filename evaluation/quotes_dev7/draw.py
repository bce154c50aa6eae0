"""Draws the articles of quotes_dev7 (run once, before annotation; kept for the record).

Usage: PYTHONPATH=src python evaluation/quotes_dev7/draw.py [SHARED_DIR] [--write]
Prints one id per line with its day and outlet; ``--write`` also writes ``articles.tsv`` (id,
origin, SHA-1 of the text as ingested). No article text is written anywhere.

Pool rule of ``quotes_val6/draw.py`` (500-1,200 characters after ``clean_body``, one of the
reporting cues) on the July days 2015-07-21..25, without any article of any
``evaluation/*/articles.tsv`` or sharing a title with one of them (titles looked up on the July
days only: nothing dated 2015-08-01 or later is read). The same number is drawn from each day,
and ``articles.tsv`` lists them round-robin over the days, so that if annotation stops early the
annotated prefix still spreads evenly over the days.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from snn_days import listed_ids, records_of_days, write_article_list

from marsad.ingest.readers import clean_body

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
DAYS = ("2015-07-21", "2015-07-22", "2015-07-23", "2015-07-24", "2015-07-25")
# Titles of used articles are looked up on every July day, never on August days.
JULY_DAYS = tuple(f"2015-07-{day}" for day in range(21, 32))
CUES = ("قال", "أكد", "أوضح", "أشار", "أضاف")
SEED = 20150725
PER_DAY = 9  # 45 drawn, so 40 remain if a few cannot be annotated in time


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if a != "--write"]
    shared = Path(args[0]) if args else REPO.parent / "shared"
    snn = shared / "data" / "saudinewsnet"
    used = listed_ids(REPO / "evaluation", HERE)
    used_titles = {r["title"] for r in records_of_days(snn, JULY_DAYS) if r["id"] in used}
    pool: dict[str, list[tuple[str, dict[str, str]]]] = {day: [] for day in DAYS}
    for record in records_of_days(snn, DAYS):
        text = clean_body(record["text"])
        if (
            record["id"] not in used
            and record["title"] not in used_titles
            and 500 <= len(text) <= 1200
            and any(cue in text for cue in CUES)
        ):
            pool[record["date"][:10]].append((text, record))
    random.seed(SEED)
    per_day = []
    for day in DAYS:
        candidates = sorted(pool[day], key=lambda item: item[1]["id"])
        per_day.append(random.sample(candidates, PER_DAY))
    drawn = [day_draw[i] for i in range(PER_DAY) for day_draw in per_day]
    sizes = ", ".join(f"{day} {len(pool[day])}" for day in DAYS)
    sys.stderr.write(f"# pool {sum(len(p) for p in pool.values())} articles ({sizes})\n")
    sys.stderr.write(f"# {len(used)} used ids, {len(used_titles)} used titles on July days\n")
    for _, record in drawn:
        sys.stdout.write(f"{record['id']}\t{record['date'][:10]}\t{record.get('source', '')}\n")
    if "--write" in argv:
        write_article_list(HERE / "articles.tsv", ((r["id"], text) for text, r in drawn))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
