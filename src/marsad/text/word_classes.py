"""Distributional word classes of news Arabic, for stages other than the NER.

The NER model ships a cluster table (``marsad/models/ner_clusters.tsv.gz``, written by
``scripts/train_ner.py``): for each MATCH-folded surface word seen at least 5 times in
SaudiNewsNet up to 2015-07-31, its k-means cluster ids at 64, 256 and 1024 clusters of a
syntactic view (neighbours at distance 1-2, left and right apart) and at 256 and 1024
clusters of a topical view (neighbours up to 5 away, pooled: what a word is about). Rows
are ordered most frequent word first. The NER reads the table through its own loader; this
module gives the topical classes keyed the way clustering keys words, by content stem.

The table was folded before normalizer ``ar-2`` (ئ written ي, ؤ written و; see
:func:`marsad.text.arabic.hamza_seats_as_letters`), while stems today fold both seats to ء:
each table word also stands for its forms with one inner ي or و read as ء (رييس -> رءيس,
مسوول -> مسءول). The other readings (قوي -> قءي) are no words and never looked up.
"""

from __future__ import annotations

import functools
import gzip
from collections import defaultdict
from collections.abc import Iterable
from importlib import resources

from marsad.text.arabic import content_stems, stem, tokenize

CLUSTERS_FILE = "ner_clusters.tsv.gz"
# Number of topical classes -> column of the table holding them (after the word).
TOPICAL_COLUMNS = {256: 3, 1024: 4}
# A stem keeps at most this many classes (its surface forms' classes, heaviest first).
CLASSES_PER_STEM = 4

StemClasses = dict[str, tuple[tuple[str, float], ...]]


def shipped_word_clusters() -> dict[str, tuple[str, ...]]:
    """Folded surface word -> its cluster ids (syntactic 64/256/1024, topical 256/1024),
    in the table's order (most frequent word first); empty when the table is absent. Read
    afresh on each call (about 40 MB held): callers keep what they derive from it."""
    path = resources.files("marsad") / "models" / CLUSTERS_FILE
    if not path.is_file():
        return {}
    return read_clusters(gzip.decompress(path.read_bytes()).decode("utf-8").splitlines())


def read_clusters(lines: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Parse a cluster table: ``word<TAB>id<TAB>id...`` per line (the NER's loader too)."""
    table: dict[str, tuple[str, ...]] = {}
    for line in lines:
        word, *ids = line.rstrip("\n").split("\t")
        if ids:
            table[word] = tuple(ids)
    return table


@functools.cache
def topical_classes_of_stems(classes: int) -> StemClasses:
    """Content stem -> its topical classes at ``classes`` (256 or 1024), with shares that
    sum to 1.

    A stem has several surface forms in the table (with and without the article or a
    clitic: الرياض, بالرياض, رياض) and k-means often puts them in different classes (forms of
    one stem agree on the topical class about one time in ten), so a stem spreads over its
    forms' classes, each form weighted by 1/rank in the frequency-ordered table (Zipf's
    estimate of its count). Words that are not one content word (stopwords, numbers, two
    tokens) are left out.
    """
    if classes not in TOPICAL_COLUMNS:
        raise ValueError(f"topical classes come at {sorted(TOPICAL_COLUMNS)}, not {classes}")
    column = TOPICAL_COLUMNS[classes]
    spread: dict[str, dict[str, float]] = defaultdict(dict)
    for rank, (word, ids) in enumerate(shipped_word_clusters().items(), start=1):
        tokens = tokenize(word)
        if len(tokens) != 1 or len(ids) <= column or not content_stems(tokens):
            continue
        text = tokens[0].text
        for one in {tokens[0].stem, *_hamza_readings(text)}:
            shares = spread[one]
            shares[ids[column]] = shares.get(ids[column], 0.0) + 1.0 / rank
    table: StemClasses = {}
    names: dict[str, str] = {}  # one string per class, shared by every stem
    for key, shares in spread.items():
        kept = sorted(shares.items(), key=lambda item: (-item[1], item[0]))[:CLASSES_PER_STEM]
        total = sum(share for _, share in kept)
        table[key] = tuple((names.setdefault(cls, f"c{cls}"), share / total) for cls, share in kept)
    return table


def _hamza_readings(text: str) -> set[str]:
    """Stems of ``text`` (an ``ar-1`` token) with one inner ي or و read as a hamza seat."""
    return {stem(f"{text[:at]}ء{text[at + 1 :]}") for at in range(1, len(text)) if text[at] in "يو"}


__all__ = [
    "CLUSTERS_FILE",
    "TOPICAL_COLUMNS",
    "shipped_word_clusters",
    "topical_classes_of_stems",
]
