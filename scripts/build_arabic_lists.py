"""Derives the tokenizer's exception lists from word frequencies in SaudiNewsNet.

Writes the derived parts of ``src/marsad/data/al_words_ar.txt`` and
``src/marsad/data/proclitic_keep_ar.txt`` (the hand-made header of each file is kept).
Only the derived word lists are shipped, never corpus text.

* al_words: a word ال+X is a genuine word, not the article + X, when most of its written
  occurrences (alone or after و ف ب ك ل) carry a hamza on the alef: ألمانيا, إلغاء, آلاف.
* proclitic_keep: a word W starting with و ف ب ل whose default split would remove a letter is
  kept whole when the remainder (with its article, for وال/بال/لل) is rare compared to W:
  وزير (زير is rare), بيان, لبنان; وسوريا is split because سوريا is frequent.

Usage: ``python scripts/build_arabic_lists.py [path/to/saudinewsnet.jsonl.gz]``
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from marsad.text import arabic

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared/data/saudinewsnet/saudinewsnet.jsonl.gz"
MIN_COUNT = 5  # rarer words keep the default rules: their counts say too little
KEEP_RATIO = 0.25  # remainder seen less than a quarter as often as the word: not a proclitic
HAMZA_SHARE = 0.5  # at least half the spellings have a hamza on the alef: not the article
DERIVED_MARKER = "# --- derived by scripts/build_arabic_lists.py; do not edit below ---"

_ARABIC_WORD = re.compile(f"[{arabic._ARABIC_LETTERS}]+")
_MARKS_AND_TATWEEL = re.compile("[\u064b-\u065f\u0670\u0640\u0610-\u061a\u06d6-\u06ed]")
# Written forms of a word starting with ال, after optional و/ف and ب/ك/ل; group 2 is the alef.
_AL_SPELLING = re.compile("^[وف]?[بكل]?([اأإآ])ل(..+)$")


def read_texts(path: Path) -> Iterator[str]:
    """Titles and bodies of the corpus, DISPLAY-cleaned."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            yield arabic.display(f"{record.get('title') or ''}\n{record.get('text') or ''}")


def count_words(path: Path) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Folded word counts, and per folded ال-word the spellings with and without hamza."""
    words: Counter[str] = Counter()
    raw_words: Counter[str] = Counter()
    for text in read_texts(path):
        words.update(_ARABIC_WORD.findall(arabic.fold(text)))
        raw_words.update(_ARABIC_WORD.findall(_MARKS_AND_TATWEEL.sub("", text)))
    with_hamza: Counter[str] = Counter()
    without_hamza: Counter[str] = Counter()
    for raw, count in raw_words.items():
        match = _AL_SPELLING.match(raw)
        if not match:
            continue
        base = arabic.fold("ال" + match.group(2))
        (without_hamza if match.group(1) == "ا" else with_hamza)[base] += count
    return words, with_hamza, without_hamza


def derive_al_words(with_hamza: Counter[str], without_hamza: Counter[str]) -> set[str]:
    """ال-words mostly written with a hamza on the alef."""
    derived = set()
    for word, hamza in with_hamza.items():
        total = hamza + without_hamza[word]
        if total >= MIN_COUNT and hamza >= HAMZA_SHARE * total and len(word) > 3:
            derived.add(word)
    return derived


def evidence_form(word: str, split: str) -> str:
    """The form whose frequency supports splitting ``word`` into ``split``.

    For وال/بال/لل the remainder is expected with its article (والسوري -> السوري); for a single
    letter it is expected as written (وسوريا -> سوريا).
    """
    removed = word[: len(word) - len(split)] if word.endswith(split) else ""
    if removed.endswith(("ال", "لل")):
        return "ال" + split
    return split


def derive_keep_whole(
    words: Counter[str], al_words: frozenset[str], hand_keep: frozenset[str]
) -> set[str]:
    """Frequent words whose default proclitic split is not supported by the remainder."""
    keep = set(hand_keep)
    # Shorter words first: splitting ووزير relies on وزير being kept already.
    for word in sorted((w for w, c in words.items() if c >= MIN_COUNT), key=len):
        split = arabic.strip_proclitics_with(word, keep, al_words)
        if split == word or (word.startswith("ال") and split == word[2:]):
            continue  # nothing stripped, or only the article (decided by al_words)
        if words[evidence_form(word, split)] < KEEP_RATIO * words[word]:
            keep.add(word)
    return keep - hand_keep


def hand_part(name: str) -> tuple[str, frozenset[str]]:
    """The hand-written head of a data file and its entries."""
    text = resources.files("marsad.data").joinpath(name).read_text(encoding="utf-8")
    head = text.split(DERIVED_MARKER, 1)[0].rstrip("\n") + "\n"
    entries = (arabic.fold(line.split("#", 1)[0]) for line in head.splitlines())
    return head, frozenset(entry for entry in entries if entry)


def write_list(name: str, head: str, derived: set[str]) -> None:
    path = Path(str(resources.files("marsad.data").joinpath(name)))
    body = "\n".join(sorted(derived))
    path.write_text(f"{head}{DERIVED_MARKER}\n{body}\n", encoding="utf-8")
    print(f"{path}: {len(derived)} derived entries")


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CORPUS
    words, with_hamza, without_hamza = count_words(corpus)
    al_head, al_hand = hand_part("al_words_ar.txt")
    al_words = derive_al_words(with_hamza, without_hamza) - al_hand
    keep_head, keep_hand = hand_part("proclitic_keep_ar.txt")
    keep = derive_keep_whole(words, frozenset(al_words | al_hand), keep_hand)
    write_list("al_words_ar.txt", al_head, al_words)
    write_list("proclitic_keep_ar.txt", keep_head, keep)


if __name__ == "__main__":
    main()
