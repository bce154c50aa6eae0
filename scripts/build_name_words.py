"""Learns which words are personal-name words from SaudiNewsNet (writes data/name_words_ar.tsv.gz).

A word right after an honorific or rank (الدكتور، المهندس، العقيد، الشيخ ... from the
``[titles]`` section of ``data/titles_ar.txt``) opens a personal name, and the word after that
is its next part (a father's or family name). Counting, for every folded word, how often it
stands in those two places against how often it occurs at all gives corpus evidence of
"this is a name word" (محمد، العنزي، الشراري) versus "this is an ordinary word that may follow a
title" (العام، الأول، بالمنطقة), with no list written by hand. ``marsad.extract.quotes`` uses
the counts to find the name inside a speaker phrase and to split off its title and description.

Only development days are read (2015-07-21..24 and 2015-07-31): the quote validation sets use
2015-07-25..27 and 2015-08-01..03, and nothing dated 2015-08-04 or later is ever read.

Usage: python scripts/build_name_words.py [SHARED_DIR] [OUT_FILE]
"""

from __future__ import annotations

import gzip
import re
import sys
from collections import Counter
from pathlib import Path

from snn_days import records_of_days

from marsad.ingest.readers import clean_body
from marsad.text.arabic import fold, word_sections

REPO = Path(__file__).resolve().parents[1]
DAYS = ("2015-07-21", "2015-07-22", "2015-07-23", "2015-07-24", "2015-07-31")
MIN_COUNT = 3  # rarer words carry little evidence and would bloat the file
MIN_GIVEN = 3  # times after a title before a word counts as a given name
GIVEN_SHARE = 0.1  # ... and the share of its occurrences that must be after a title
_WORD_RE = re.compile(r"[^\s,.;:!?\"'«»“”„()\[\]،؛؟…\-–—/]+")


def main(argv: list[str]) -> int:
    shared = Path(argv[1]) if len(argv) > 1 else REPO.parent / "shared"
    out = (
        Path(argv[2])
        if len(argv) > 2
        else REPO / "src" / "marsad" / "data" / "name_words_ar.tsv.gz"
    )
    honorifics = {fold(t) for t in word_sections("titles_ar.txt")["titles"] if " " not in t}
    # "الفريق" is also "the team" (الفريق الكروي، الفريق الأول): no evidence of a name after it.
    honorifics -= {fold(w) for w in word_sections("speaker_words_ar.txt")["ambiguous_titles"]}
    connectors = {fold(w) for w in word_sections("speaker_words_ar.txt")["name_connectors"]}
    sentences: list[list[str]] = []
    articles = 0
    for record in records_of_days(shared / "data" / "saudinewsnet", DAYS):
        articles += 1
        for sentence in re.split(r"[.!?؟\n]", fold(clean_body(record["text"]))):
            sentences.append(_WORD_RE.findall(sentence))
    total: Counter[str] = Counter(w for words in sentences for w in words)
    first: Counter[str] = Counter()
    for words in sentences:
        for index, word in enumerate(words[:-1]):
            if word in honorifics and words[index + 1] not in honorifics:
                first[words[index + 1]] += 1
    # Given names: often right after a title. The word after one (past بن، آل، أبو) continues
    # the name: a father's or family name.
    given = {w for w, n in first.items() if n >= MIN_GIVEN and n >= GIVEN_SHARE * total[w]}
    second: Counter[str] = Counter()
    for words in sentences:
        for index, word in enumerate(words[:-1]):
            if word in given:
                following = index + 1
                while following < len(words) - 1 and words[following] in connectors:
                    following += 1
                second[words[following]] += 1
    rows = sorted(w for w, n in total.items() if n >= MIN_COUNT)
    out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(out, "wt", encoding="utf-8") as handle:
        handle.write(f"# word\ttotal\tafter_title\tafter_given_name  ({articles} articles)\n")
        for word in rows:
            handle.write(f"{word}\t{total[word]}\t{first[word]}\t{second[word]}\n")
    print(f"{len(rows)} words from {articles} articles -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
