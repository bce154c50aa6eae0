"""Build ``evaluation/search/gold.jsonl`` from the hand-written queries in ``specs.py``.

Each query lists every spelling of each of its words (hamza seats, ى/ي, ة/ه, alef forms,
transliterations, joined or spaced names), written out by hand, independent of Marsad's
folding. An article is relevant when it names every word, in any spelling, as a phrase (at
most one word between), with or without clitics. Each query gets one day with 1 to 20
relevant articles, alternating dev days (2015-07-22/23) and validation days (07-26/27); the
matched surface forms are printed so they can be read before accepting the gold. Only those
four July days are read; kept-apart ids are skipped.

Usage::

    python scripts/search_gold/build_search_gold.py ../shared/data/saudinewsnet -o gold.jsonl
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import re
import sys
from pathlib import Path

from specs import SPECS

PARTS = {"dev": ("2015-07-22", "2015-07-23"), "val": ("2015-07-26", "2015-07-27")}
MAX_RELEVANT = 20  # recall@20 can reach 1.0
MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")  # harakat, superscript alef, tatweel
PREFIX = r"(?<!\w)(?:[وف]?[بلك]?(?:ال|ل)?)"
SUFFIX = r"(?:ها|هم|هما|ه|ي|ات|ين|ون|يه|ية|يين|يون|ان)?"
GAP = r"\s+(?:\S+\s+)?"


def phrase(concepts: list[list[str]], suffix: str | None) -> re.Pattern[str]:
    """A pattern naming every concept in order, each in any of its spellings."""
    ending = SUFFIX if suffix is None else suffix
    parts = [PREFIX + "(?:" + "|".join(spellings) + ")" + ending for spellings in concepts]
    return re.compile(GAP.join(parts) + r"(?!\w)")


def read_days(folder: Path) -> list[tuple[str, str, str]]:
    """(id, day, title + text without harakat) of the articles of the gold days."""
    kept_apart = set((folder / "kept_apart_ids.txt").read_text().split())
    days = {day for part in PARTS.values() for day in part}
    docs = []
    with gzip.open(folder / "saudinewsnet.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            day = record["date"][:10]
            if day in days and record["id"] not in kept_apart:
                text = MARKS.sub("", record["title"] + "\n" + record["text"])
                docs.append((record["id"], day, text))
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("saudinewsnet", type=Path, help="folder of saudinewsnet.jsonl.gz")
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    docs = read_days(args.saudinewsnet)
    rows = []
    for number, spec in enumerate(SPECS):
        query, kind, concepts = spec[0], spec[1], spec[2]
        pattern = phrase(concepts, spec[3] if len(spec) > 3 else None)
        hits: dict[str, list[str]] = collections.defaultdict(list)
        forms: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
        for article_id, day, text in docs:
            found = pattern.search(text)
            if found:
                hits[day].append(article_id)
                forms[day][found.group()] += 1
        order = ("dev", "val") if number % 2 == 0 else ("val", "dev")
        choice = None
        for part in order:
            fitting = [d for d in PARTS[part] if 1 <= len(hits[d]) <= MAX_RELEVANT]
            if fitting:
                choice = (part, max(fitting, key=lambda d: (min(len(hits[d]), 12), d)))
                break
        if choice is None:
            print("dropped", query, {d: len(v) for d, v in hits.items()}, file=sys.stderr)
            continue
        part, day = choice
        rows.append(
            {"query": query, "kind": kind, "part": part, "day": day, "relevant": sorted(hits[day])}
        )
        print(query, part, day, len(hits[day]), dict(forms[day]), file=sys.stderr)
    with args.output.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
