"""Arabic named-entity recognition (PERS, LOC, ORG, MISC) with a linear-chain CRF.

The model is a CRFsuite file trained on ANERcorp (see ``marsad/models/README.md``) over
sparse binary features: the MATCH-folded word, its clitic-stripped form and stem, affixes,
word shape, distributional word clusters learned from unlabeled news, and the same for a
+-2 word window. Word-level features are computed once per distinct word and cached, so
tagging costs little more than the CRF's own Viterbi pass.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import pycrfsuite

if TYPE_CHECKING:
    from types import ModuleType

MODEL_FILE = "ner.crfsuite"
CLUSTERS_FILE = "ner_clusters.tsv.gz"
ENTITY_TYPES = ("PERS", "LOC", "ORG", "MISC")
# Offsets of the context window and the word features each offset contributes; nearer
# words contribute more, which keeps the model small without losing accuracy.
WINDOW: dict[int, tuple[str, ...]] = {
    -2: ("s", "c1", "c2"),
    -1: ("w", "s", "pre", "x2", "c1", "c2", "c3", "shape"),
    1: ("w", "s", "pre", "x2", "c1", "c2", "c3", "shape"),
    2: ("s", "c1", "c2"),
}
MAX_CACHE = 200_000


def _arabic() -> ModuleType:
    # Imported lazily: the text layer is optional at import time of this module.
    from marsad.text import arabic

    return arabic


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity found in a text, with character offsets into that text."""

    text: str
    label: str  # PERS, LOC, ORG or MISC
    start: int
    end: int


def read_clusters(lines: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Parse a cluster table: ``word<TAB>id<TAB>id...`` per line, coarse to fine."""
    table: dict[str, tuple[str, ...]] = {}
    for line in lines:
        word, *ids = line.rstrip("\n").split("\t")
        if ids:
            table[word] = tuple(ids)
    return table


def _shape(word: str) -> str:
    """Coarse character-class shape: digits, Latin letters, punctuation or Arabic word."""
    if any(ch.isdigit() for ch in word):
        return "digit"
    if not any(ch.isalpha() for ch in word):
        return "punct"
    if word.isascii():
        return "latin"
    return "long" if len(word) > 6 else "word"


class Featurizer:
    """Turns token sequences into CRFsuite feature lists; caches per-word work."""

    def __init__(self, clusters: Mapping[str, tuple[str, ...]]) -> None:
        """Build a featurizer over a word-cluster table (folded word -> cluster ids)."""
        self._clusters = clusters
        self._cache: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {}

    def word_attributes(self, word: str) -> dict[str, str]:
        """Named attributes of one surface word, shared by its own and its context features."""
        return self._lookup(word)[0]

    def _lookup(self, word: str) -> tuple[dict[str, str], tuple[str, ...]]:
        cached = self._cache.get(word)
        if cached is None:
            attributes = self._attributes(word)
            cached = (attributes, self._own_features(attributes))
            if len(self._cache) >= MAX_CACHE:
                self._cache.clear()
            self._cache[word] = cached
        return cached

    def _attributes(self, word: str) -> dict[str, str]:
        arabic = _arabic()
        folded = arabic.fold(word) or word
        tokens = arabic.tokenize(word)
        # The text layer drops punctuation and may split odd tokens; keep the whole word then.
        single = tokens[0] if len(tokens) == 1 and tokens[0].text else None
        stripped = single.text if single else folded
        clitics = folded[: len(folded) - len(stripped)] if folded.endswith(stripped) else "?"
        attributes = {
            "w": folded,
            "s": stripped,
            "st": (single.stem if single else "") or stripped,
            "pre": clitics,
            "x2": stripped[-2:],
            "shape": _shape(word),
        }
        word_clusters = self._clusters.get(folded)
        stripped_clusters = self._clusters.get(stripped)
        for level in range(3):
            key = f"c{level + 1}"
            attributes[key] = word_clusters[level] if word_clusters else "-"
            attributes["s" + key] = stripped_clusters[level] if stripped_clusters else "-"
        return attributes

    @staticmethod
    def _own_features(attributes: Mapping[str, str]) -> tuple[str, ...]:
        stripped = attributes["s"]
        folded = attributes["w"]
        own = [f"{name}={value}" for name, value in attributes.items()]
        own += [f"p{n}={stripped[:n]}" for n in (2, 3)]
        own += [f"x{n}={stripped[-n:]}" for n in (1, 3, 4)]
        own += [f"wx{n}={folded[-n:]}" for n in (1, 2)]
        own.append(f"len={min(len(stripped), 8)}")
        return tuple(own)

    def sentence_features(self, tokens: Sequence[str]) -> list[list[str]]:
        """Feature strings for each token of a sentence (own word, window, bigrams)."""
        looked_up = [self._lookup(token) for token in tokens]
        attributes = [entry[0] for entry in looked_up]
        last = len(tokens) - 1
        features: list[list[str]] = []
        for position, (_, own) in enumerate(looked_up):
            row = ["bias", *own]
            for offset, names in WINDOW.items():
                other = position + offset
                if 0 <= other <= last:
                    context = attributes[other]
                    row += [f"{offset}{name}={context[name]}" for name in names]
                else:
                    row.append(f"{offset}:edge")
            previous = attributes[position - 1]["s"] if position > 0 else "^"
            following = attributes[position + 1]["s"] if position < last else "$"
            current = attributes[position]["s"]
            row += [f"b-={previous}|{current}", f"b+={current}|{following}"]
            features.append(row)
        return features


class Tagger:
    """A loaded NER model: tags token lists and finds entities in raw text."""

    def __init__(self, model_path: Path, clusters: Mapping[str, tuple[str, ...]]) -> None:
        """Open a CRFsuite model file and pair it with its cluster table."""
        self._crf = pycrfsuite.Tagger()
        self._crf.open(str(model_path))
        self.featurizer = Featurizer(clusters)

    def tag(self, tokens: list[str]) -> list[str]:
        """BIO tags (``B-PERS``, ``I-LOC``, ``O``, ...) for a list of surface tokens."""
        if not tokens:
            return []
        tags: list[str] = self._crf.tag(self.featurizer.sentence_features(tokens))
        return tags

    def entities(self, text: str) -> list[Entity]:
        """Named entities in ``text`` with character offsets into ``text`` itself.

        The text layer's tokenizer supplies word spans; the surface words ``text[start:end]``
        are tagged, and an entity runs from its first word's start to its last word's end.
        """
        spans = word_spans(text)
        tags = self.tag([text[start:end] for start, end in spans])
        found: list[Entity] = []
        open_label, open_start, open_end = "", -1, -1
        for (start, end), tag in zip(spans, tags, strict=True):
            prefix, _, label = tag.partition("-")
            if prefix == "I" and label == open_label:
                open_end = end
                continue
            if open_label:
                found.append(Entity(text[open_start:open_end], open_label, open_start, open_end))
                open_label = ""
            if prefix in ("B", "I"):
                open_label, open_start, open_end = label, start, end
        if open_label:
            found.append(Entity(text[open_start:open_end], open_label, open_start, open_end))
        return found


def word_spans(text: str) -> list[tuple[int, int]]:
    """Word spans from the text layer's tokenizer plus one span per punctuation character.

    The tokenizer keeps words only, but the model was trained on news text whose
    punctuation is tokenized too (quotes and commas are strong boundary cues), so
    non-space characters between words become one-character tokens.
    """
    spans: list[tuple[int, int]] = []
    cursor = 0
    for token in [*_arabic().tokenize(text), None]:
        gap_end = token.start if token else len(text)
        spans.extend((i, i + 1) for i in range(cursor, gap_end) if not text[i].isspace())
        if token:
            spans.append((token.start, token.end))
            cursor = token.end
    return spans


def models_dir() -> Path:
    """Directory of the shipped model files (package data ``marsad/models``)."""
    return Path(str(resources.files("marsad") / "models"))


def load_clusters(path: Path) -> dict[str, tuple[str, ...]]:
    """Read a gzip-compressed cluster table written by ``scripts/train_ner.py``."""
    with gzip.open(path, "rb") as raw, io.TextIOWrapper(raw, encoding="utf-8") as text:
        return read_clusters(text)


@lru_cache(maxsize=4)
def load_tagger(directory: Path | None = None) -> Tagger:
    """Load (once per directory) the NER model; the shipped one by default."""
    base = directory or models_dir()
    return Tagger(base / MODEL_FILE, load_clusters(base / CLUSTERS_FILE))
