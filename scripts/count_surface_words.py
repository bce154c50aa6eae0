"""Build ``src/marsad/data/surface_counts_ar.tsv.gz``: how often each written word occurs in news.

A conjunction or preposition glued to a name (لبوتين, وكيري, فتركيا) is told from a name that
starts with the same letter (وليد, بدر, فهد, لبنان) by how the corpus writes the two forms: the
glued form of a name is a small share of its bare form, while a name of its own is common and
its letter-less rest is rare or another word (ليد, در, هد, بنان). Stem counts cannot tell,
since the stemmer removes the letter from both. So this table counts surface words, folded
(MATCH profile) but with their clitics, over SaudiNewsNet July 2015 articles (2015-07-21..31;
kept-apart ids left out). It holds counts only, no text, and only the words that decision
reads: every word seen at least ``--min-bare`` times (a possible bare name and its definite
form), and the words of at least ``--min-glued`` uses that are و ف ب ك ل + such a word or
ال + such a word.

Usage::

    PYTHONPATH=src:scripts python scripts/count_surface_words.py
"""

from __future__ import annotations

import argparse
import gzip
import re
from collections import Counter
from pathlib import Path

from snn_days import texts_of_days

from marsad.text import arabic

JULY_DAYS = [f"2015-07-{day}" for day in range(21, 32)]  # SaudiNewsNet starts on 07-21
OUT = Path(__file__).resolve().parents[1] / "src" / "marsad" / "data" / "surface_counts_ar.tsv.gz"
PROCLITICS = "وفبلك"
_ARABIC_WORD_RE = re.compile(r"[\u0621-\u064a]+")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snn", type=Path, default=Path("../shared/data/saudinewsnet"))
    parser.add_argument("--min-bare", type=int, default=20)
    parser.add_argument("--min-glued", type=int, default=2)
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args()
    texts = texts_of_days(args.snn, JULY_DAYS)
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(_ARABIC_WORD_RE.findall(arabic.fold(text)))
    # A bare form: a frequent word without the article; a glued form: one of the letters + a
    # bare form; the definite form of either tells a word of its own (الوطن beside وطن).
    bare = {w for w, n in counts.items() if n >= args.min_bare and not w.startswith("ال")}
    glued = {w for w, n in counts.items() if n >= args.min_glued and w[0] in PROCLITICS}
    words = bare | {w for w in glued if w[1:] in bare}
    words |= {"ال" + w for w in words if counts["ال" + w] >= args.min_glued}
    kept = {word: counts[word] for word in words}
    # mtime=0 and no file name in the header: the same corpus gives byte-identical output.
    with args.output.open("wb") as out, gzip.GzipFile("", "wb", fileobj=out, mtime=0) as raw:
        raw.write(f"# articles\t{len(texts)}\n".encode())
        raw.write(f"# normalizer\t{arabic.NORMALIZER_VERSION}\n".encode())
        for word, n in sorted(kept.items()):
            raw.write(f"{word}\t{n}\n".encode())
    print(f"{args.output}: {len(kept)} words over {len(texts)} articles")


if __name__ == "__main__":
    main()
