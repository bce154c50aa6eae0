"""Learns claim nouns from unlabelled text: the nouns that open what an announcing or revealing
verb reports after عن (أعلنت الوزارة عن مقتل ...، كشف المصدر عن تعيين ...).

Counts the first word after عن when عن follows a clause-opening أعلن/كشف (either gender, bare
or after و/ف) within ``--window`` words; a word is kept when it is indefinite, no stopword, and
counted at least ``--min-count`` times. A pronoun suffix is dropped first (اعتزاله -> اعتزال).

    PYTHONPATH=src python scripts/learn_claim_nouns.py build/july5k.jsonl.gz --write

With ``--write`` the list replaces src/marsad/data/claim_nouns_learned_ar.txt; otherwise the
counts are printed (no text).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import Counter
from pathlib import Path

from marsad.text.arabic import STOPWORDS, fold

_TOKEN_RE = re.compile(r"[^\s,،;:.\"«»“”()!?]+")
_VERBS = frozenset(fold(w) for w in ("أعلن", "أعلنت", "كشف", "كشفت"))
_SUFFIXES = ("هما", "هم", "ها", "ه")
OUTPUT = Path(__file__).resolve().parents[1] / "src/marsad/data/claim_nouns_learned_ar.txt"


def bare_noun(word: str) -> str:
    """The word without a pronoun suffix when enough of it is left (اعتزاله -> اعتزال)."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def count(path: Path, window: int) -> Counter[str]:
    counts: Counter[str] = Counter()
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            for sentence in re.split(r"[.!?؟\n]+", fold(json.loads(line)["text"])):
                tokens = _TOKEN_RE.findall(sentence)
                for index, token in enumerate(tokens):
                    verb = token[1:] if token[:1] in "وف" else token
                    if token not in _VERBS and verb not in _VERBS:
                        continue
                    for ahead in range(index + 1, min(len(tokens) - 1, index + 1 + window)):
                        if tokens[ahead] == "عن":
                            noun = tokens[ahead + 1]
                            if not noun.startswith("ال") and noun not in STOPWORDS:
                                counts[bare_noun(noun)] += 1
                            break
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--window", type=int, default=8)
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    counts = count(args.corpus, args.window)
    kept = sorted(w for w, n in counts.items() if n >= args.min_count)
    if not args.write:
        for word in sorted(kept, key=lambda w: -counts[w]):
            print(f"{word}\t{counts[word]}")
        print(f"kept\t{len(kept)}")
        return
    header = (
        "# Claim nouns learned from unlabelled July text by scripts/learn_claim_nouns.py: the\n"
        f"# indefinite first word after عن following أعلن/كشف, seen {args.min_count}+ times in\n"
        f"# {args.corpus.name} (folded, pronoun suffix dropped). Regenerate, do not edit.\n"
        "[nouns]\n"
    )
    OUTPUT.write_text(header + "".join(w + "\n" for w in kept), encoding="utf-8")
    print(f"wrote {len(kept)} nouns to {OUTPUT}")


if __name__ == "__main__":
    main()
