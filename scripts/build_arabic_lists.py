"""Derives the tokenizer's exception lists from word frequencies in SaudiNewsNet.

Writes the derived parts of ``src/marsad/data/al_words_ar.txt`` and
``src/marsad/data/proclitic_keep_ar.txt`` (the hand-made header of each file is kept).
Only the derived word lists are shipped, never corpus text.

* al_words: a word ال+X is a genuine word, not the article + X, when most of its written
  occurrences (alone or after و ف ب ك ل) carry a hamza on the alef: ألمانيا, إلغاء, آلاف.
* proclitic_keep: a word W starting with و ف ب ل whose default split would remove letters is
  kept whole when the remainder is rare, in all its other forms, compared to W: وزير (زير is
  rare), بيان, لبنان; وسوريا is split because سوريا is frequent. After و ف ب ل an alef decides
  by its hamza: وأضاف splits, واحد does not.

Usage: ``python scripts/build_arabic_lists.py [path/to/saudinewsnet.jsonl.gz]``
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from marsad.text import arabic

DEFAULT_CORPUS = (
    Path(__file__).resolve().parents[2] / "shared/data/saudinewsnet/saudinewsnet.jsonl.gz"
)
MIN_COUNT = 5  # rarer words keep the default rules: their counts say too little
KEEP_RATIO = 0.1  # remainder seen < 1/10 as often as the word: keep the word whole
HAMZA_SHARE = 0.5  # most spellings with hamza; or shares differing this much: not one alef
DERIVED_MARKER = "# --- derived by scripts/build_arabic_lists.py; do not edit below ---"

_ARABIC_WORD = re.compile(f"[{arabic.ARABIC_LETTERS}]+")
_MARKS_AND_TATWEEL = re.compile("[\u064b-\u065f\u0670\u0640\u0610-\u061a\u06d6-\u06ed]")
# Written forms of a word starting with ال, after optional و/ف and ب/ك/ل; group 1 is the alef.
_AL_SPELLING = re.compile("^[وف]?[بكل]?([اأإآ])ل(..+)$")
# A proclitic letter followed by an alef; group 1 is the alef (وأضاف vs واحد).
_LETTER_ALEF_SPELLING = re.compile("^[وفبل]([اأإآ]).+$")
# Articles (with proclitics) that show a word is a noun of its own: الفساد, والوزير.
_WORD_ARTICLES = ("ال", "وال", "بال")
# Forms of an article remainder that show it is a word: السوري, للسوري, سوري.
_ARTICLE_VARIANTS = ("", "ال", "وال", "فال", "بال", "كال", "لل", "وبال", "ولل")


@dataclass(frozen=True)
class CorpusCounts:
    """Folded word counts and hamza spellings of the corpus."""

    words: Counter[str]
    al_with_hamza: Counter[str]  # folded ال-word -> spellings أل/إل/آل (also after proclitics)
    al_plain: Counter[str]  # folded ال-word -> spellings ال
    alef_with_hamza: Counter[str]  # folded [وفبل]ا-word -> spellings with a hamza on that alef
    alef_plain: Counter[str]
    initial_hamza: Counter[str]  # folded alef-initial word -> spellings starting with أ/إ/آ
    initial_plain: Counter[str]  # folded alef-initial word -> spellings starting with ا


def read_texts(path: Path) -> Iterator[str]:
    """Titles and bodies of the corpus, DISPLAY-cleaned."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            yield arabic.display(f"{record.get('title') or ''}\n{record.get('text') or ''}")


def count_words(path: Path) -> CorpusCounts:
    """Counts folded words and, for alef-initial patterns, spellings with and without hamza."""
    words: Counter[str] = Counter()
    raw_words: Counter[str] = Counter()
    for text in read_texts(path):
        words.update(_ARABIC_WORD.findall(arabic.fold(text)))
        raw_words.update(_ARABIC_WORD.findall(_MARKS_AND_TATWEEL.sub("", text)))
    counts = CorpusCounts(words, *(Counter[str]() for _ in range(6)))
    for raw, count in raw_words.items():
        if raw[0] in "اأإآ":
            plain = raw[0] == "ا"
            (counts.initial_plain if plain else counts.initial_hamza)[arabic.fold(raw)] += count
        if match := _AL_SPELLING.match(raw):
            base = arabic.fold("ال" + match.group(2))
            hamza = match.group(1) != "ا"
            (counts.al_with_hamza if hamza else counts.al_plain)[base] += count
        if match := _LETTER_ALEF_SPELLING.match(raw):
            hamza = match.group(1) != "ا"
            (counts.alef_with_hamza if hamza else counts.alef_plain)[arabic.fold(raw)] += count
    return counts


def derive_al_words(counts: CorpusCounts) -> set[str]:
    """ال-words mostly written with a hamza on the alef (ألمانيا, إلغاء, آلاف)."""
    derived = set()
    for word, hamza in counts.al_with_hamza.items():
        total = hamza + counts.al_plain[word]
        if total >= MIN_COUNT and hamza >= HAMZA_SHARE * total and len(word) > 3:
            derived.add(word)
    return derived


def _hamza_share(hamza: int, plain: int) -> float | None:
    """Share of spellings with a hamza, or None when there are too few to tell."""
    return hamza / (hamza + plain) if hamza + plain >= MIN_COUNT else None


def split_is_supported(word: str, split: str, counts: CorpusCounts) -> bool:
    """Whether the corpus supports reading ``word`` as proclitics + ``split``."""
    removed = word[: len(word) - len(split)] if word.endswith(split) else ""
    if removed.endswith(("ال", "لل")):
        # والسوري: the remainder should be common with or without another article compound.
        forms = (v + split for v in _ARTICLE_VARIANTS)
        evidence = sum(counts.words[form] for form in forms if form != word)
        return evidence >= KEEP_RATIO * counts.words[word]
    if split.startswith("ا") and removed:
        # The alef after the proclitic must be spelled like the remainder's first alef: وأضاف
        # and أضاف (hamza), باتفاق and اتفاق (wasl) split; واحد does not (أحد has a hamza).
        # A hamza on an alef after و/ف/ب/ل can only start a word (وأكد).
        in_word = _hamza_share(counts.alef_with_hamza[word], counts.alef_plain[word])
        alone = _hamza_share(counts.initial_hamza[split], counts.initial_plain[split])
        if in_word is not None and in_word >= HAMZA_SHARE:
            return True
        if in_word is not None and alone is not None and abs(in_word - alone) >= HAMZA_SHARE:
            return False
    # وسوريا splits (سوريا is common); وزير does not (زير is rare); فساد does not either:
    # الفساد is more common than ساد, and a conjunction + word never takes the article.
    bare = counts.words[split]
    with_article = sum(counts.words[article + word] for article in _WORD_ARTICLES)
    return bare >= KEEP_RATIO * counts.words[word] and bare > with_article


def derive_keep_whole(
    counts: CorpusCounts, al_words: frozenset[str], hand_keep: frozenset[str]
) -> set[str]:
    """Frequent words whose default proclitic split is not supported by the corpus."""
    keep = set(hand_keep)
    frequent = (w for w, c in counts.words.items() if c >= MIN_COUNT)
    # Shorter words first: splitting ووزير relies on وزير being kept already.
    for word in sorted(frequent, key=len):
        split = arabic.strip_proclitics_with(word, keep, al_words)
        if split == word or (word.startswith("ال") and split == word[2:]):
            continue  # nothing stripped, or only the article (decided by al_words)
        removed = word[: len(word) - len(split)] if word.endswith(split) else ""
        if len(removed) == 2 and not removed.endswith("ل" + "ل"):
            # Conjunction + preposition (وبسبب): each step needs support on its own, or ولاية
            # would lose و and then ل.
            middle = word[1:]
            if not split_is_supported(word, middle, counts):
                keep.add(word)
            elif not split_is_supported(middle, split, counts):
                keep.add(middle)
        elif not split_is_supported(word, split, counts):
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
    counts = count_words(corpus)
    al_head, al_hand = hand_part("al_words_ar.txt")
    al_words = derive_al_words(counts) - al_hand
    keep_head, keep_hand = hand_part("proclitic_keep_ar.txt")
    keep = derive_keep_whole(counts, frozenset(al_words | al_hand), keep_hand)
    write_list("al_words_ar.txt", al_head, al_words)
    write_list("proclitic_keep_ar.txt", keep_head, keep)


if __name__ == "__main__":
    main()
