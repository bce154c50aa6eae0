"""Arabic named-entity recognition (PERS, LOC, ORG, MISC) with a linear-chain CRF.

The model is a CRFsuite file trained on ANERcorp (see ``marsad/models/README.md``) over
sparse binary features: the MATCH-folded word, its clitic-stripped form and stem, affixes,
word shape, distributional word clusters learned from unlabeled news, matches in a gazetteer
of training entities, and a subset of these for a +-2 word window. Word-level features are
computed once per distinct word and cached, so tagging costs little more than the CRF's
own Viterbi pass. All Arabic rules (folding, clitics, stems) come from ``marsad.text.arabic``.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pycrfsuite

from marsad.text import arabic

MODEL_FILE = "ner.crfsuite"
CLUSTERS_FILE = "ner_clusters.tsv.gz"
GAZETTEER_FILE = "ner_gazetteer.tsv.gz"
CLUSTER_LEVELS = 5  # ids per word in the cluster table: c1..c3 syntactic, c4..c5 topical
# Offsets of the context window and the word features each offset contributes; nearer
# words contribute more, which keeps the model small without losing accuracy.
WINDOW: dict[int, tuple[str, ...]] = {
    -2: ("s", "c1", "c2"),
    -1: ("w", "s", "pre", "x2", "c1", "c2", "c3", "c5", "sc2", "sc3", "shape"),
    1: ("w", "s", "pre", "x2", "c1", "c2", "c3", "c5", "sc2", "sc3", "shape"),
    2: ("s", "c1", "c2"),
}
MAX_CACHE = 200_000


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity found in a text, with character offsets into that text."""

    text: str
    label: str  # PERS, LOC, ORG or MISC
    start: int
    end: int


def read_clusters(lines: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Parse a cluster table: ``word<TAB>id<TAB>id...`` per line."""
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


@dataclass(frozen=True, slots=True)
class _WordEntry:
    """Everything about one distinct surface word that the features need, computed once."""

    attributes: dict[str, str]
    own: tuple[str, ...]  # the word's features at its own position
    context: dict[int, tuple[str, ...]]  # its features as seen from offset -2..+2


class Featurizer:
    """Turns token sequences into CRFsuite feature lists; caches per-word work."""

    def __init__(
        self,
        clusters: Mapping[str, tuple[str, ...]],
        gazetteer: Mapping[tuple[str, ...], str] | None = None,
    ) -> None:
        """Build a featurizer.

        Args:
            clusters: folded word -> ``CLUSTER_LEVELS`` cluster ids; clitic-stripped forms
                are looked up in the same table.
            gazetteer: clitic-stripped word sequence -> entity type (see ``build_gazetteer``).
        """
        self._clusters = clusters
        levels = {len(ids) for ids in clusters.values()}
        if levels - {CLUSTER_LEVELS}:
            raise ValueError(f"cluster table rows need {CLUSTER_LEVELS} ids, found {levels}")
        self._cache: dict[str, _WordEntry] = {}
        self.gazetteer: Mapping[tuple[str, ...], str] = {}
        self._longest_entry = 0
        self.use_gazetteer(gazetteer or {})

    def use_gazetteer(self, gazetteer: Mapping[tuple[str, ...], str]) -> None:
        """Switch the gazetteer (training swaps in held-out ones; the word cache stays valid)."""
        self.gazetteer = gazetteer
        self._longest_entry = max((len(key) for key in gazetteer), default=0)

    def _entry(self, word: str) -> _WordEntry:
        entry = self._cache.get(word)
        if entry is None:
            attributes = self._attributes(word)
            entry = _WordEntry(
                attributes,
                self._own_features(attributes),
                {
                    offset: tuple(f"{offset}{name}={attributes[name]}" for name in names)
                    for offset, names in WINDOW.items()
                },
            )
            if len(self._cache) >= MAX_CACHE:
                self._cache.clear()
            self._cache[word] = entry
        return entry

    def _attributes(self, word: str) -> dict[str, str]:
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
        for level in range(CLUSTER_LEVELS):
            key = f"c{level + 1}"
            attributes[key] = word_clusters[level] if word_clusters else "-"
            attributes["s" + key] = stripped_clusters[level] if stripped_clusters else "-"
        return attributes

    @staticmethod
    def _own_features(attributes: Mapping[str, str]) -> tuple[str, ...]:
        stripped = attributes["s"]
        folded = attributes["w"]
        own = ["bias", *(f"{name}={value}" for name, value in attributes.items())]
        own += [f"p{n}={stripped[:n]}" for n in (2, 3)]
        own += [f"x{n}={stripped[-n:]}" for n in (1, 3, 4)]
        own += [f"wx{n}={folded[-n:]}" for n in (1, 2)]
        own.append(f"len={min(len(stripped), 8)}")
        return tuple(own)

    def stripped_forms(self, tokens: Sequence[str]) -> list[str]:
        """Clitic-stripped folded form of each token (the gazetteer's key alphabet)."""
        return [self._entry(token).attributes["s"] for token in tokens]

    def gazetteer_marks(self, stripped: Sequence[str]) -> list[str]:
        """Greedy longest gazetteer match from left to right: ``B-TYPE``/``I-TYPE``/``""``."""
        marks = [""] * len(stripped)
        position = 0
        while position < len(stripped):
            for length in range(min(self._longest_entry, len(stripped) - position), 0, -1):
                label = self.gazetteer.get(tuple(stripped[position : position + length]))
                if label:
                    marks[position] = "B-" + label
                    marks[position + 1 : position + length] = ["I-" + label] * (length - 1)
                    position += length
                    break
            else:
                position += 1
        return marks

    def sentence_features(self, tokens: Sequence[str]) -> list[list[str]]:
        """Feature strings for each token of a sentence (own word, window, bigrams)."""
        entries = [self._entry(token) for token in tokens]
        stripped = [entry.attributes["s"] for entry in entries]
        clusters = [entry.attributes["c2"] for entry in entries]
        marks = self.gazetteer_marks(stripped)
        # Sentinels at both ends turn edge handling into plain indexing.
        stripped = ["^", *stripped, "$"]
        clusters = ["^", *clusters, "$"]
        marks = ["", *marks, ""]
        last = len(tokens) - 1
        features: list[list[str]] = []
        for position, entry in enumerate(entries):
            row = list(entry.own)
            for offset in WINDOW:
                other = position + offset
                if 0 <= other <= last:
                    row += entries[other].context[offset]
                else:
                    row.append(f"{offset}:edge")
            here = position + 1  # index into the padded lists
            word, cluster = stripped[here], clusters[here]
            row += [
                f"b-={stripped[here - 1]}|{word}",
                f"b+={word}|{stripped[here + 1]}",
                # Cluster bigrams generalise word bigrams to unseen names and triggers.
                f"cb-={clusters[here - 1]}|{cluster}",
                f"cb+={cluster}|{clusters[here + 1]}",
            ]
            if marks[here]:
                row += [f"gz={marks[here]}", f"gzt={marks[here][2:]}"]
            if marks[here - 1]:
                row.append(f"-1gz={marks[here - 1]}")
            if marks[here + 1]:
                row.append(f"1gz={marks[here + 1]}")
            features.append(row)
        return features


def bio_spans(tags: Sequence[str]) -> set[tuple[int, int, str]]:
    """Entity spans ``(start, end_exclusive, type)`` from BIO tags.

    An ``I-X`` that does not continue an ``X`` entity starts a new one (the lenient
    CoNLL reading), so ill-formed tag sequences still give well-formed spans.
    """
    spans: set[tuple[int, int, str]] = set()
    start, label = -1, ""
    for position, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        if prefix == "I" and kind == label and start >= 0:
            continue
        if start >= 0:
            spans.add((start, position, label))
            start, label = -1, ""
        if prefix in ("B", "I"):
            start, label = position, kind
    return spans


def build_gazetteer(
    featurizer: Featurizer,
    sentences: Iterable[tuple[Sequence[str], Sequence[str]]],
    min_share: float = 0.5,
) -> dict[tuple[str, ...], str]:
    """Entity word sequences of tagged sentences, keyed by clitic-stripped forms.

    An entry keeps its most frequent type, and only if the sequence is tagged as that
    entity in at least ``min_share`` of its occurrences (so common words that are
    sometimes part of a name stay out).
    """
    typed: dict[tuple[str, ...], dict[str, int]] = {}
    stripped_sentences = []
    for tokens, tags in sentences:
        stripped = featurizer.stripped_forms(tokens)
        stripped_sentences.append(stripped)
        for start, end, label in bio_spans(tags):
            by_type = typed.setdefault(tuple(stripped[start:end]), {})
            by_type[label] = by_type.get(label, 0) + 1
    longest = max((len(key) for key in typed), default=0)
    occurrences = dict.fromkeys(typed, 0)
    for stripped in stripped_sentences:
        for start in range(len(stripped)):
            for length in range(1, min(longest, len(stripped) - start) + 1):
                key = tuple(stripped[start : start + length])
                if key in occurrences:
                    occurrences[key] += 1
    gazetteer: dict[tuple[str, ...], str] = {}
    for key, by_type in typed.items():
        label = max(sorted(by_type), key=by_type.__getitem__)
        if by_type[label] >= min_share * occurrences[key]:
            gazetteer[key] = label
    return gazetteer


class Tagger:
    """A loaded NER model: tags token lists and finds entities in raw text."""

    def __init__(
        self,
        model_path: Path,
        clusters: Mapping[str, tuple[str, ...]],
        gazetteer: Mapping[tuple[str, ...], str] | None = None,
    ) -> None:
        """Open a CRFsuite model file and pair it with the tables it was trained with."""
        self._crf = pycrfsuite.Tagger()
        self._crf.open(str(model_path))
        self.featurizer = Featurizer(clusters, gazetteer)

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
        found = []
        for first, stop, label in sorted(bio_spans(tags)):
            start, end = spans[first][0], spans[stop - 1][1]
            surface = text[start:end]
            if any(ch.isalnum() for ch in surface):  # a lone bracket is never a name
                found.append(Entity(surface, label, start, end))
        return found


def word_spans(text: str) -> list[tuple[int, int]]:
    """Word spans from the text layer's tokenizer plus one span per punctuation character.

    The tokenizer keeps words only, but the model was trained on news text whose
    punctuation is tokenized too (quotes and commas are strong boundary cues), so
    non-space characters between words become one-character tokens.
    """
    spans: list[tuple[int, int]] = []
    cursor = 0
    for token in [*arabic.tokenize(text), None]:
        gap_end = token.start if token else len(text)
        spans.extend((i, i + 1) for i in range(cursor, gap_end) if not text[i].isspace())
        if token:
            spans.append((token.start, token.end))
            cursor = token.end
    return spans


def models_dir() -> Path:
    """Directory of the shipped model files (package data ``marsad/models``)."""
    return Path(str(resources.files("marsad") / "models"))


def _read_gzip_lines(path: Path) -> list[str]:
    with gzip.open(path, "rb") as raw, io.TextIOWrapper(raw, encoding="utf-8") as text:
        return text.read().splitlines()


def load_clusters(path: Path) -> dict[str, tuple[str, ...]]:
    """Read a gzip-compressed cluster table written by ``scripts/train_ner.py``."""
    return read_clusters(_read_gzip_lines(path))


def load_gazetteer(path: Path) -> dict[tuple[str, ...], str]:
    """Read a gzip-compressed gazetteer: ``TYPE<TAB>word word ...`` per line."""
    entries = (line.split("\t", 1) for line in _read_gzip_lines(path) if line)
    return {tuple(words.split(" ")): label for label, words in entries}


@lru_cache(maxsize=4)
def load_tagger(directory: Path | None = None) -> Tagger:
    """Load (once per directory) the NER model; the shipped one by default."""
    base = directory or models_dir()
    return Tagger(
        base / MODEL_FILE,
        load_clusters(base / CLUSTERS_FILE),
        load_gazetteer(base / GAZETTEER_FILE),
    )
