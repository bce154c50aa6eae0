"""The draw of a name-variant validation set (aliases_val5 and later), shared by their draw.py.

Each set's ``evaluation/aliases_valN/draw.py`` names its source days and calls :func:`run`; the
older sets whose names it must not share are those before it in :data:`ALIAS_SETS`:

    python evaluation/aliases_valN/draw.py candidates [--out build/avalN/candidates.txt]
    python evaluation/aliases_valN/draw.py finalize

``candidates`` counts, in the set's SaudiNewsNet days only (kept-apart ids left out, through
``scripts/snn_days.py``), candidate names of each kind of issue 19, drops every name that shares its
folded form with a name of an older alias set, and writes them with their counts (most frequent
first, ties in a seeded order) to a git-ignored file: names copied from the corpus stay out of the
repository. ``finalize`` reads the hand-labelled ``draft.jsonl`` beside the set's draw.py (one row
per group or hard negative, with the annotator's ``kind``), drops every row that shares a folded
name with an older set, and writes ``aliases_valN.jsonl`` without ``kind``.

The older sets are read only here, to build the exclusion list: only the dropped rows of the
draft are printed, never the older sets' own rows.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from snn_days import texts_of_days

ROOT = Path(__file__).resolve().parents[1]
SEED = 19  # the issue number; fixes the inspection order of candidates
MIN_COUNT = 2  # a candidate seen once is too thin to tell its referent from context
# Every alias gold set, in the order they were drawn: a set shares no name with those before it.
ALIAS_SETS = (
    "evaluation/aliases_dev/gold.jsonl",
    "evaluation/aliases_val/gold.jsonl",
    *(f"evaluation/aliases_val{n}/aliases_val{n}.jsonl" for n in range(2, 11)),
)

DIACRITICS = re.compile("[\u064b-\u0652\u0670\u0640]")  # harakat, dagger alef, tatweel
FOLDS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ي", "ى": "ي", "ة": "ه"}
)
WORD = r"[\u0621-\u064a]+"


def say(*parts: str) -> None:
    sys.stdout.write(" ".join(parts) + "\n")


def fold(name: str) -> str:
    """The simple normalisation of the exclusion: hamza/alef, ta marbuta, ya, no spaces."""
    return DIACRITICS.sub("", name).translate(FOLDS).replace(" ", "")


def names_in(path: Path) -> list[str]:
    names: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            names += row.get("variants", []) + [row[k] for k in ("a", "b") if k in row]
    return names


def excluded_folds(older_sets: Iterable[str]) -> set[str]:
    return {fold(name) for rel in older_sets for name in names_in(ROOT / rel)}


def count(pattern: str, corpus: str) -> Counter[str]:
    return Counter(
        match.group(0) if match.lastindex is None else match.group(1)
        for match in re.finditer(pattern, corpus)
    )


def candidates_by_kind(corpus: str) -> dict[str, Counter[str]]:
    """Candidate names of each kind, counted in the days' text."""
    kinds: dict[str, Counter[str]] = {}
    # compound names: عبد X written joined and spaced, with the next word (the family or father)
    compound = count(rf"(?<![\u0621-\u064a])(عبد ?ال{WORD}(?: {WORD})?)", corpus)
    joined_and_spaced: Counter[str] = Counter()
    for name, n in compound.items():
        other = (
            name.replace("عبد ال", "عبدال", 1)
            if "عبد ال" in name
            else name.replace("عبدال", "عبد ال", 1)
        )
        if other in compound:
            joined_and_spaced[name] = n
    kinds["compound"] = joined_and_spaced
    kinds["abu"] = count(rf"(?<![\u0621-\u064a])((?:أبو|ابو|أبي|أبا) {WORD}(?: {WORD})?)", corpus)
    # acronym in brackets after its expansion: "منظمة ... (يونيسيف)"
    kinds["acronym"] = count(rf"((?:{WORD} ){{1,6}}\((?:{WORD}|[A-Za-z]+)(?: {WORD})?\))", corpus)
    # a title that can stand for one person: role + nationality adjective
    kinds["title"] = count(
        rf"(?<![\u0621-\u064a])((?:الرئيس|رئيس الوزراء|رئيس وزراء|وزير {WORD}|ملك|أمير|الأمين العام|المتحدث باسم) ال{WORD}ي)(?![\u0621-\u064a])",
        corpus,
    )
    kinds["official"] = count(
        rf"(?<![\u0621-\u064a])((?:جمهورية|الجمهورية|المملكة|مملكة|دولة|إمارة|سلطنة|منظمة|هيئة|الهيئة|وزارة|مؤسسة) (?:{WORD} ){{0,3}}{WORD})",
        corpus,
    )
    kinds["movement"] = count(
        rf"(?<![\u0621-\u064a])((?:جماعة|حركة|تنظيم|حزب|ميليشيا|ميليشيات|مليشيات|جبهة|قوات) {WORD}(?: {WORD})?)",
        corpus,
    )
    kinds["nisba_plural"] = count(
        rf"(?<![\u0621-\u064a])(ال{WORD}(?:يين|يون))(?![\u0621-\u064a])", corpus
    )
    # Egyptian/Persian spellings: a final ى where the same word is also written with ي (or ه / ة)
    words = count(rf"(?<![\u0621-\u064a]){WORD}(?![\u0621-\u064a])", corpus)
    spelling: Counter[str] = Counter()
    for word, n in words.items():
        if (word.endswith("ى") and word[:-1] + "ي" in words) or (
            word.endswith("ه") and word[:-1] + "ة" in words
        ):
            spelling[word] = n
        if any(ch in word for ch in "گکچپژ"):
            spelling[word] = n
    kinds["spelling"] = spelling
    return kinds


def write_candidates(out: Path, days: Iterable[str], older_sets: Iterable[str]) -> None:
    corpus = "\n".join(texts_of_days(ROOT.parent / "shared/data/saudinewsnet", tuple(days)))
    excluded = excluded_folds(older_sets)
    rng = random.Random(SEED)
    lines: list[str] = []
    for kind, counter in candidates_by_kind(corpus).items():
        kept = sorted(
            name for name, n in counter.items() if n >= MIN_COUNT and fold(name) not in excluded
        )
        rng.shuffle(kept)  # seeded tie order, then most frequent first (the inspection order)
        kept.sort(key=lambda name: -counter[name])
        dropped = sum(1 for name, n in counter.items() if n >= MIN_COUNT and fold(name) in excluded)
        say(
            f"{kind}: {len(kept)} candidates seen >= {MIN_COUNT} times, {dropped} dropped as older-set names"
        )
        lines += [f"{kind}\t{counter[name]}\t{name}" for name in kept]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def overlapping(names: Iterable[str], excluded: set[str]) -> bool:
    return any(fold(name) in excluded for name in names)


def finalize(draft: Path, out: Path, older_sets: Iterable[str]) -> None:
    excluded = excluded_folds(older_sets)
    kept_rows: list[str] = []
    dropped_groups = dropped_negatives = 0
    for line in draft.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        names = row.get("variants", []) + [row[k] for k in ("a", "b") if k in row]
        if overlapping(names, excluded):
            say("  dropped:", " / ".join(names))
            if "variants" in row:
                dropped_groups += 1
            else:
                dropped_negatives += 1
            continue
        kept_rows.append(
            json.dumps({k: v for k, v in row.items() if k != "kind"}, ensure_ascii=False)
        )
    out.write_text("\n".join(kept_rows) + "\n", encoding="utf-8")
    groups = sum(1 for row in kept_rows if row.startswith('{"variants"'))
    say(
        f"dropped {dropped_groups} groups and {dropped_negatives} negatives sharing a name with an older set"
    )
    say(
        f"kept {groups} groups and {len(kept_rows) - groups} hard negatives -> {out.relative_to(ROOT)}"
    )


def older_sets(name: str) -> tuple[str, ...]:
    """The gold files of the alias sets drawn before set ``name`` (aliases_val5, ...)."""
    own = next(i for i, rel in enumerate(ALIAS_SETS) if Path(rel).parent.name == name)
    return ALIAS_SETS[:own]


def run(here: Path, days: Iterable[str]) -> int:
    """The command line of one set's draw.py (``here``: its folder, named like the set)."""
    name = here.name
    parser = argparse.ArgumentParser(
        description=f"Draws {name}'s candidates and applies the overlap exclusion."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    cand = sub.add_parser("candidates")
    cand.add_argument(
        "--out",
        type=Path,
        default=ROOT / "build" / name.replace("aliases_", "a") / "candidates.txt",
    )
    sub.add_parser("finalize")
    args = parser.parse_args()
    if args.command == "candidates":
        write_candidates(args.out, days, older_sets(name))
    else:
        finalize(here / "draft.jsonl", here / f"{name}.jsonl", older_sets(name))
    return 0
