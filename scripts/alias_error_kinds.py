"""Counts the errors of :func:`marsad.extract.aliases.same_entity` on alias gold files by kind.

Usage: PYTHONPATH=src python scripts/alias_error_kinds.py [--list] [--articles FILE ...] GOLD ...

Each missed pair is put in the first kind whose test it passes, from the surface of the two
names only (issue 19's kinds): a glued conjunction or preposition, compound-name spacing, a
title standing for a person, an acronym and its full name, a short and an official name,
morphology and descriptors, else "other" (transliteration, nickname, renaming). Wrongly
merged pairs are counted apart. ``--articles`` scores as a store holding those articles would
(they are mined through a temporary store first, as ``marsad eval aliases --articles`` does);
``--save-mined TSV`` writes the lines that store mined. A blind set (a path holding
``aliases_val5``, ``aliases_val6``, ``aliases_val7`` or ``aliases_val10``) is refused: its errors
are never printed. ``aliases_val8`` and ``aliases_val9`` are development sets since session 26.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from marsad.evaluate.aliases_eval import load_pairs, mine_articles
from marsad.extract.aliases import is_role_word, same_entity, store_aliases
from marsad.text.arabic import fold

BLIND_SETS = ("aliases_val5", "aliases_val6", "aliases_val7", "aliases_val10")
KINDS = (
    "clitic",
    "compound spacing",
    "title for a person",
    "acronym / full name",
    "short / official name",
    "morphology / descriptor",
    "other",
)
_PROCLITICS = "وفبلك"
_DESCRIPTOR_HEADS = frozenset(
    fold(w) for w in ("جماعة", "حركة", "تنظيم", "حزب", "منظمة", "ميليشيات", "ميليشيا", "قوات")
)


_HONORIFICS = frozenset(fold(w) for w in ("الملك", "الأمير", "الشيخ"))


def _without_proclitic(words: list[str]) -> list[str]:
    """Folded words with a و ف ب ل ك taken off the first (and ل of لل made ال)."""
    first = words[0]
    if first.startswith("لل"):
        return ["ال" + first[2:], *words[1:]]
    if first[:1] in _PROCLITICS and len(first) >= 4:
        return [first[1:], *words[1:]]
    return words


def _stem(word: str) -> str:
    """A folded word without the article and a plural, nisba or feminine ending."""
    word = word.removeprefix("ال")
    for ending in ("يين", "يون", "ين", "ون", "يه", "ي", "ه"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def kind_of_miss(a: str, b: str) -> str:
    """The kind of a missed pair (see the module docstring)."""
    words_a, words_b = fold(a).split(), fold(b).split()
    bare_a, bare_b = _without_proclitic(words_a), _without_proclitic(words_b)
    if (bare_a, bare_b) != (words_a, words_b) and (
        bare_a == bare_b
        or (bare_a != words_a and f" {' '.join(bare_a)} " in f" {' '.join(words_b)} ")
        or (bare_b != words_b and f" {' '.join(bare_b)} " in f" {' '.join(words_a)} ")
    ):
        return "clitic"
    spaced = any(w in ("عبد", "ابو") for w in words_a + words_b)
    if "".join(words_a) == "".join(words_b) or (
        spaced and "".join(words_a).replace("عبد", "") == "".join(words_b).replace("عبد", "")
    ):
        return "compound spacing"
    if any(is_role_word(w) and w not in _HONORIFICS for w in words_a + words_b):
        return "title for a person"
    for one, other in ((words_a, words_b), (words_b, words_a)):
        short = len(one) == 1 or all(len(w) <= 3 for w in one)
        if short and len(other) >= 2 and not any(w.removeprefix("ال") in other for w in one):
            return "acronym / full name"
    stems_a, stems_b = {_stem(w) for w in words_a}, {_stem(w) for w in words_b}
    descriptor = words_a[0] in _DESCRIPTOR_HEADS or words_b[0] in _DESCRIPTOR_HEADS
    if descriptor and stems_a & stems_b:
        return "morphology / descriptor"
    if set(words_a) <= set(words_b) or set(words_b) <= set(words_a) or words_a[0] == words_b[0]:
        return "short / official name"
    if stems_a & stems_b:
        return "morphology / descriptor"
    return "other"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="+", type=Path)
    parser.add_argument("--list", action="store_true", help="print every error with its kind")
    parser.add_argument("--articles", nargs="+", type=Path, default=[], metavar="FILE")
    parser.add_argument("--save-mined", type=Path, metavar="TSV")
    args = parser.parse_args()
    if any(blind in str(path) for path in args.gold for blind in BLIND_SETS):
        parser.error("a blind set's errors are never printed")
    if args.articles:
        print(mine_articles(args.articles), file=sys.stderr)
        if args.save_mined:
            args.save_mined.write_text(
                "".join(f"{variant}\t{name}\n" for variant, name in store_aliases()),
                encoding="utf-8",
            )
    misses: Counter[str] = Counter()
    merged = 0
    for path in args.gold:
        for a, b, same in load_pairs(path):
            predicted = same_entity(a, b)
            if predicted == same:
                continue
            if same:
                kind = kind_of_miss(a, b)
                misses[kind] += 1
            else:
                merged += 1
                kind = "wrongly merged"
            if args.list:
                print(f"{path.parent.name}\t{kind}\t{a} | {b}")
    for kind in KINDS:
        print(f"{kind}\t{misses[kind]}")
    print(f"wrongly merged\t{merged}")
    print(f"missed\t{sum(misses.values())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
