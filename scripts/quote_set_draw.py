"""The draw of a blind quote set from the validation days (``quotes_val8``, ``quotes_val9``,
``quotes_val10``, ``quotes_val11``).

Each set's ``draw.py`` names its seed and the drawn articles its annotator found to hold no
attributed statement, and calls :func:`run`. It prints one id per line with its day and outlet;
``--write`` also writes the set's ``articles.tsv`` (id, origin, SHA-1 of the text as ingested).
No article text is written anywhere.

Days: 2015-08-01..03, the only corpus days on or before 2015-08-03 that no development quote
set (``quotes_dev``, ``quotes_dev2``, ``quotes_dev7``, ``speakers_train``) draws from.
Pool rule of ``quotes_val6/draw.py`` (500-1,200 characters after ``clean_body``, one of the
reporting cues), without any article listed in another ``evaluation/*/articles.tsv``, sharing a
title with one of them, or repeating most of the words of one of them (the same story relayed
by a second outlet: at least half of its word trigrams are in a listed article of these days).
The same number is drawn from each day, within a day one article per outlet before a second one;
an article repeating most of the words of one drawn before it (the same rule) is skipped (first
met in ``quotes_val10``'s draw; ``quotes_val8``'s and ``quotes_val9``'s articles hold no such pair).
The brief asks for articles that hold at least one attributed statement: a drawn article the
annotator found to hold none is skipped and the next one of its day's order takes its place.
A draw leaves out every set listed when it runs, so it gives a set's ``articles.tsv`` again only
while no later set is listed (``quotes_val8``'s draw run today also leaves out ``quotes_val9``).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from snn_days import listed_ids, records_of_days, write_article_list

from marsad.ingest.readers import clean_body

REPO = Path(__file__).resolve().parents[1]
DAYS = ("2015-08-01", "2015-08-02", "2015-08-03")
# every corpus day that may be read, only to find the titles of articles other sets already hold
TITLE_DAYS = (*(f"2015-07-{day:02d}" for day in range(21, 32)), *DAYS)
CUES = ("قال", "أكد", "أوضح", "أشار", "أضاف")
PER_DAY = 14
SHARED_TRIGRAMS = 0.5


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = text.split()
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def _spread_over_outlets(candidates: list[dict[str, str]]) -> list[dict[str, str]]:
    """All ``candidates`` in the (shuffled) order given, an outlet taken again only once every
    outlet of the day has one."""
    ordered: list[dict[str, str]] = []
    rest = list(candidates)
    while rest:
        taken: set[str] = set()
        left = []
        for record in rest:
            if record["source"] not in taken:
                taken.add(record["source"])
                ordered.append(record)
            else:
                left.append(record)
        rest = left
    return ordered


def run(argv: list[str], here: Path, seed: int, no_statement: frozenset[str]) -> int:
    """Draw the set whose folder is ``here`` with ``seed``, skipping the drawn articles the
    annotator found to hold no attributed statement (``no_statement``)."""
    args = [a for a in argv[1:] if a != "--write"]
    shared = Path(args[0]) if args else REPO.parent / "shared"
    snn = shared / "data" / "saudinewsnet"
    used = listed_ids(REPO / "evaluation", here)
    used_titles = {r["title"] for r in records_of_days(snn, TITLE_DAYS) if r["id"] in used}
    pool: dict[str, list[dict[str, str]]] = {day: [] for day in DAYS}
    texts: dict[str, str] = {}
    used_trigrams: list[set[tuple[str, ...]]] = []
    for record in records_of_days(snn, DAYS):
        text = clean_body(record["text"])
        if record["id"] in used:
            used_trigrams.append(_trigrams(text))
        elif (
            record["title"] not in used_titles
            and 500 <= len(text) <= 1200
            and any(cue in text for cue in CUES)
        ):
            pool[record["date"][:10]].append(record)
            texts[record["id"]] = text
    copies = 0
    for day in DAYS:
        kept = []
        for record in pool[day]:
            grams = _trigrams(texts[record["id"]])
            if any(len(grams & other) >= SHARED_TRIGRAMS * len(grams) for other in used_trigrams):
                copies += 1
            else:
                kept.append(record)
        pool[day] = kept
    random.seed(seed)
    drawn = []
    drawn_trigrams: list[set[tuple[str, ...]]] = []
    copies_of_drawn = 0
    for day in DAYS:
        candidates = sorted(pool[day], key=lambda record: record["id"])
        random.shuffle(candidates)
        ordered = [r for r in _spread_over_outlets(candidates) if r["id"] not in no_statement]
        taken = 0
        for record in ordered:
            if taken == PER_DAY:
                break
            # a second outlet's copy of an article already drawn would score the same story twice
            grams = _trigrams(texts[record["id"]])
            if any(len(grams & other) >= SHARED_TRIGRAMS * len(grams) for other in drawn_trigrams):
                copies_of_drawn += 1
                continue
            drawn.append(record)
            drawn_trigrams.append(grams)
            taken += 1
    sizes = ", ".join(f"{day} {len(pool[day])}" for day in DAYS)
    total = sum(len(p) for p in pool.values())
    sys.stderr.write(
        f"# pool {total} articles ({sizes}); {copies} copies of listed ones left out; "
        f"{copies_of_drawn} copies of drawn ones skipped\n"
    )
    for record in drawn:
        sys.stdout.write(f"{record['id']}\t{record['date'][:10]}\t{record.get('source', '')}\n")
    if "--write" in argv:
        pairs = ((r["id"], texts[r["id"]]) for r in drawn)
        write_article_list(here / "articles.tsv", pairs)
    return 0
