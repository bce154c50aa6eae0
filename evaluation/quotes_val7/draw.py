"""Draws the articles of quotes_val7 (run once, before annotation; kept for the record).

Usage: PYTHONPATH=src python evaluation/quotes_val7/draw.py [SHARED_DIR] [--write]
Prints one id per line with its day and outlet; ``--write`` also writes ``articles.tsv`` (id,
origin, SHA-1 of the text as ingested). No article text is written anywhere.

Pool rule of ``quotes_val6/draw.py`` (500-1,200 characters after ``clean_body``, one of the
reporting cues) on the July days 2015-07-26..31, without any article listed in another
``evaluation/*/articles.tsv`` or sharing a title with one of them (titles looked up on the July
days only: nothing dated 2015-08-01 or later is read). The same number is drawn from each day,
and within a day one article per outlet before a second one, so the set spreads over the days
and many outlets. The corpus holds no record dated 2015-07-28..30 (the crawl skipped them; the
first run of this script, before any article was read, drew 7 a day and found those pools
empty), so the 42 articles come from 07-26, 07-27 and 07-31, 14 each.
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
DAYS = ("2015-07-26", "2015-07-27", "2015-07-28", "2015-07-29", "2015-07-30", "2015-07-31")
# every July day of the corpus, only to find the titles of articles other sets already hold
JULY_DAYS = tuple(f"2015-07-{day:02d}" for day in range(21, 32))
CUES = ("قال", "أكد", "أوضح", "أشار", "أضاف")
SEED = 20150726
PER_DAY = 14  # 42 drawn over the three non-empty days; 40 remain if two cannot be done in time


def _spread_over_outlets(candidates: list[dict[str, str]], count: int) -> list[dict[str, str]]:
    """``count`` records in the (shuffled) order given, an outlet taken again only once every
    outlet of the day has one."""
    chosen: list[dict[str, str]] = []
    rest = list(candidates)
    while len(chosen) < count and rest:
        taken: set[str] = set()
        left = []
        for record in rest:
            if len(chosen) < count and record["source"] not in taken:
                taken.add(record["source"])
                chosen.append(record)
            else:
                left.append(record)
        rest = left
    return chosen


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if a != "--write"]
    shared = Path(args[0]) if args else REPO.parent / "shared"
    snn = shared / "data" / "saudinewsnet"
    used = listed_ids(REPO / "evaluation", HERE)
    used_titles = {r["title"] for r in records_of_days(snn, JULY_DAYS) if r["id"] in used}
    pool: dict[str, list[dict[str, str]]] = {day: [] for day in DAYS}
    texts: dict[str, str] = {}
    for record in records_of_days(snn, DAYS):
        text = clean_body(record["text"])
        if (
            record["id"] not in used
            and record["title"] not in used_titles
            and 500 <= len(text) <= 1200
            and any(cue in text for cue in CUES)
        ):
            pool[record["date"][:10]].append(record)
            texts[record["id"]] = text
    random.seed(SEED)
    drawn = []
    for day in DAYS:
        candidates = sorted(pool[day], key=lambda record: record["id"])
        random.shuffle(candidates)
        drawn.extend(_spread_over_outlets(candidates, PER_DAY))
    sizes = ", ".join(f"{day} {len(pool[day])}" for day in DAYS)
    sys.stderr.write(f"# pool {sum(len(p) for p in pool.values())} articles ({sizes})\n")
    for record in drawn:
        sys.stdout.write(f"{record['id']}\t{record['date'][:10]}\t{record.get('source', '')}\n")
    if "--write" in argv:
        pairs = ((r["id"], texts[r["id"]]) for r in drawn)
        write_article_list(HERE / "articles.tsv", pairs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
