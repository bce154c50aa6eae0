"""Arabic named-entity recognition (PERS, LOC, ORG, MISC) with a BiLSTM-CRF run by ONNX Runtime.

The network (trained by ``scripts/train_ner_neural.py``, see ``marsad/models/README.md``) has
two ONNX graphs. The *word encoder* maps one distinct word to a vector from its MATCH-folded
form and clitic-stripped form (embeddings initialised from distributional vectors learned on
unlabeled news), their distributional cluster ids, shape, proclitics and a character CNN. The
*sentence tagger* runs a BiLSTM over those vectors plus a gazetteer mark per token and emits
per-tag scores; BIO-constrained Viterbi decoding with the learned CRF transitions happens
here in numpy. Word vectors depend on the word only, so they are cached: tagging a text
costs the BiLSTM and little else. After tagging, each text is read as a whole: a name
found once is marked at its untagged repeats (``spread_document_entities``). All Arabic
rules (folding, clitics) come from ``marsad.text.arabic``; run time needs numpy and
onnxruntime only.
"""

from __future__ import annotations

import gzip
import io
import json
import operator
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import compress, count, pairwise, repeat
from pathlib import Path

import numpy as np
import onnxruntime as ort  # type: ignore[import-untyped]

from marsad.models import Token
from marsad.text import arabic
from marsad.text.word_classes import CLUSTERS_FILE, read_clusters

WORDS_MODEL_FILE = "ner_words.onnx"
TAGGER_MODEL_FILE = "ner_tagger.onnx"
VOCABULARY_FILE = "ner_vocabulary.json.gz"
GAZETTEER_FILE = "ner_gazetteer.tsv.gz"
COMMON_WORDS_FILE = "ner_common_words.txt.gz"

TAGS = ("O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC")
CLUSTER_LEVELS = 5  # ids per word in the cluster table: c1..c3 syntactic, c4..c5 topical
SHAPES = ("digit", "punct", "latin", "long", "word")
# Integer features of a word, in column order: vocabulary ids of the folded and stripped
# forms, cluster ids of both at each level, shape and proclitics. 0 is padding, 1 unknown.
FEATURE_COLUMNS = (
    "word",
    "stripped",
    *(f"cluster{level}" for level in range(CLUSTER_LEVELS)),
    *(f"stripped_cluster{level}" for level in range(CLUSTER_LEVELS)),
    "shape",
    "proclitics",
)
MAX_CHARS = 16  # longer words keep their first and last MAX_CHARS // 2 characters
MAX_SENTENCE = 100  # tokens per tagged window: bounds memory whatever the input
BATCH_TOKENS = 8192  # padded tokens (or new words) per ONNX call
# One tagger call costs about as much as this many padded tokens (measured on SaudiNewsNet:
# about 80 us per call, 3.3 us per token), which decides how sentences are cut into runs.
RUN_COST_TOKENS = 24
SENTENCE_END = frozenset(".!?؟")
MAX_CACHE = 100_000  # cached words (vectors: about 51 MB at 128 floats)
PAD, UNKNOWN = 0, 1


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity found in a text, with character offsets into that text."""

    text: str
    label: str  # PERS, LOC, ORG or MISC
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Symbol tables of the word encoder; index ``i`` of a tuple is id ``i + 2``."""

    words: tuple[str, ...]
    chars: str
    proclitics: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        """JSON-ready form (see ``from_json``)."""
        return {"words": list(self.words), "chars": self.chars, "proclitics": list(self.proclitics)}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Vocabulary:
        """Inverse of ``to_json``."""
        words, chars, proclitics = data["words"], data["chars"], data["proclitics"]
        if not (
            isinstance(words, list) and isinstance(chars, str) and isinstance(proclitics, list)
        ):
            raise ValueError("malformed NER vocabulary")
        return cls(tuple(map(str, words)), chars, tuple(map(str, proclitics)))


def _shape(word: str) -> str:
    """Coarse character-class shape: digits, Latin letters, punctuation or Arabic word."""
    if any(map(str.isdigit, word)):
        return "digit"
    if not any(map(str.isalpha, word)):
        return "punct"
    if word.isascii():
        return "latin"
    return "long" if len(word) > 6 else "word"


def _index(symbols: Iterable[str]) -> dict[str, int]:
    return {symbol: position + 2 for position, symbol in enumerate(symbols)}


@dataclass(frozen=True, slots=True)
class WordFeatures:
    """What the model sees of one distinct surface word."""

    folded: str
    stripped: str  # folded, without article and proclitics: the gazetteer's alphabet
    proclitics: str
    ids: tuple[int, ...]  # one id per FEATURE_COLUMNS entry
    chars: tuple[int, ...]  # MAX_CHARS character ids, 0-padded


class Featurizer:
    """Maps surface words to model inputs and marks gazetteer matches; caches per-word work."""

    def __init__(
        self,
        clusters: Mapping[str, tuple[str, ...]],
        gazetteer: Mapping[tuple[str, ...], str] | None = None,
        vocabulary: Vocabulary | None = None,
    ) -> None:
        """Build a featurizer.

        Args:
            clusters: folded word -> ``CLUSTER_LEVELS`` cluster ids; clitic-stripped forms
                are looked up in the same table.
            gazetteer: clitic-stripped word sequence -> entity type (see ``build_gazetteer``).
            vocabulary: the encoder's symbol tables; without it every id is "unknown"
                (enough for stripped forms and gazetteers).
        """
        levels = {len(ids) for ids in clusters.values()}
        if levels - {CLUSTER_LEVELS}:
            raise ValueError(f"cluster table rows need {CLUSTER_LEVELS} ids, found {levels}")
        self._clusters = {
            word: tuple(int(cluster) + 2 for cluster in ids) for word, ids in clusters.items()
        }
        vocabulary = vocabulary or Vocabulary((), "", ())
        self._words = _index(vocabulary.words)
        self._chars = _index(vocabulary.chars)
        self._proclitics = _index(vocabulary.proclitics)
        self._shapes = _index(SHAPES)
        self._cache: dict[str, WordFeatures] = {}
        self.gazetteer: Mapping[tuple[str, ...], str] = {}
        self._prefixes: set[tuple[str, ...]] = set()  # every leading part of every entry
        self._first_words: set[str] = set()
        self.use_gazetteer(gazetteer or {})

    def use_gazetteer(self, gazetteer: Mapping[tuple[str, ...], str]) -> None:
        """Switch the gazetteer (training swaps in held-out ones; the word cache stays valid)."""
        self.gazetteer = gazetteer
        self._prefixes = {key[:size] for key in gazetteer for size in range(1, len(key) + 1)}
        self._first_words = {key[0] for key in gazetteer}

    def clusters_of(self, word: str) -> tuple[int, ...]:
        """The word's cluster ids alone (as in :meth:`compute`, unknown where the table lacks
        it), for callers that need no other feature."""
        folded = arabic.fold(arabic.hamza_seats_as_letters(word)) or word
        return self._clusters.get(folded, (UNKNOWN,) * CLUSTER_LEVELS)

    def word(self, word: str) -> WordFeatures:
        """Features of one surface word (cached)."""
        features = self._cache.get(word)
        if features is None:
            features = self.compute(word)
            if len(self._cache) >= MAX_CACHE:
                self._cache.clear()
            self._cache[word] = features
        return features

    def compute(self, word: str) -> WordFeatures:
        """Features of one surface word, not cached (for callers with their own cache)."""
        # The shipped model was trained before hamza seats folded to ء (normalizer ar-2).
        word = arabic.hamza_seats_as_letters(word)
        folded = arabic.fold(word) or word
        tokens = arabic.tokenize(word)
        # The text layer drops punctuation and may split odd tokens; keep the whole word then.
        stripped = tokens[0].text if len(tokens) == 1 and tokens[0].text else folded
        proclitics = folded[: len(folded) - len(stripped)] if folded.endswith(stripped) else "?"
        missing = (UNKNOWN,) * CLUSTER_LEVELS
        ids = (
            self._words.get(folded, UNKNOWN),
            self._words.get(stripped, UNKNOWN),
            *self._clusters.get(folded, missing),
            *self._clusters.get(stripped, missing),
            self._shapes[_shape(word)],
            self._proclitics.get(proclitics, UNKNOWN),
        )
        if len(folded) > MAX_CHARS:
            half = MAX_CHARS // 2
            folded_chars = folded[:half] + folded[-half:]
        else:
            folded_chars = folded
        chars = list(map(self._chars.get, folded_chars, repeat(UNKNOWN)))
        chars += [PAD] * (MAX_CHARS - len(chars))
        return WordFeatures(folded, stripped, proclitics, ids, tuple(chars))

    def stripped_forms(self, tokens: Sequence[str]) -> list[str]:
        """Clitic-stripped folded form of each token (the gazetteer's key alphabet)."""
        return [self.word(token).stripped for token in tokens]

    def gazetteer_ids(
        self, stripped: Sequence[str], sentence_starts: Sequence[int] = (0,)
    ) -> list[int]:
        """Greedy longest gazetteer match from left to right, as indexes into ``TAGS``.

        Args:
            stripped: clitic-stripped forms of the words.
            sentence_starts: index of each sentence's first word (increasing, the first 0);
                no match runs across a sentence start.
        """
        marks = [0] * len(stripped)
        first_words, prefixes, gazetteer = self._first_words, self._prefixes, self.gazetteer
        ends = [*sentence_starts[1:], len(stripped)]
        sentence = 0
        covered = 0
        # Few words can begin an entry: only those are looked at.
        for position in compress(count(), map(first_words.__contains__, stripped)):
            if position < covered:
                continue
            while ends[sentence] <= position:
                sentence += 1
            key: tuple[str, ...] = (stripped[position],)
            label, length = gazetteer.get(key), 1
            # Extend while some entry still begins with the words so far; keep the longest hit.
            for following in range(position + 1, ends[sentence]):
                key = (*key, stripped[following])
                if key not in prefixes:
                    break
                if key in gazetteer:
                    label, length = gazetteer[key], len(key)
            if label:
                begin = TAGS.index("B-" + label)
                marks[position : position + length] = [begin] + [begin + 1] * (length - 1)
                covered = position + length
        return marks

    def gazetteer_marks(self, stripped: Sequence[str]) -> list[str]:
        """Gazetteer matches as ``B-TYPE``/``I-TYPE``/``""`` per token."""
        return [TAGS[mark] if mark else "" for mark in self.gazetteer_ids(stripped)]


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


def viterbi(
    emissions: np.ndarray,
    lengths: np.ndarray,
    transitions: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
) -> np.ndarray:
    """Best tag sequences of a padded batch under a linear-chain CRF.

    Args:
        emissions: ``(batch, time, tags)`` scores.
        lengths: true length of each sequence (>= 1), in non-increasing order, so the
            sequences still running at any step are a prefix of the batch.
        transitions: ``(tags, tags)`` score of moving from row tag to column tag.
        start: score of each tag at the first position.
        end: score of each tag at the last position.

    Returns:
        ``(batch, time)`` tag indexes; positions past a sequence's length are 0.
    """
    batch, time, n_tags = emissions.shape
    if np.any(lengths[1:] > lengths[:-1]):
        raise ValueError("viterbi needs lengths in non-increasing order")
    running = [int(n) for n in (lengths[:, None] > np.arange(time)).sum(axis=0)]
    # Forward, only the best score of each tag at each step is kept (time-major); the
    # backpointer of a step is found on the way back, for the one tag the best path takes
    # there: the same sums and the same argmax (ties to the lowest tag) as keeping every
    # tag's pointer, with a ninth of the argmax work and no argmax over a strided axis.
    scores = np.empty((time, batch, n_tags), dtype=np.result_type(start, emissions))
    np.add(start, emissions[:, 0], out=scores[0])
    # (from, sentence, to): the max over the previous tag runs over contiguous slabs.
    candidates = np.empty((n_tags, batch, n_tags), dtype=np.result_type(scores, transitions))
    moves = transitions[:, None, :]
    for step in range(1, time):
        active = running[step]
        part = candidates[:, :active]
        np.add(scores[step - 1, :active].T[:, :, None], moves, out=part)
        current = scores[step, :active]
        np.maximum.reduce(part, axis=0, out=current)
        current += emissions[:active, step]
    sentences = np.arange(batch)
    # A finished sequence's score is the one at its last position.
    best = np.zeros((batch, time), dtype=np.int64)
    tag = (scores[lengths - 1, sentences] + end).argmax(axis=1)
    into = np.ascontiguousarray(transitions.T)  # (to, from)
    for step in range(time - 1, 0, -1):
        active = running[step]
        here = tag[:active]
        best[:active, step] = here
        tag[:active] = (scores[step - 1, :active] + into[here]).argmax(axis=1)
    best[:, 0] = tag
    return best


def length_buckets(lengths: Sequence[int]) -> list[tuple[int, int]]:
    """Cut sentences sorted longest first into runs that are cheapest to tag one run at a time.

    A run costs the tagger its padded size (sentences times the run's longest length) plus
    RUN_COST_TOKENS for the call itself; the cheapest cut is found by dynamic programming
    over the distinct lengths, so sentences of equal length always share a run.

    Args:
        lengths: sentence lengths in non-increasing order.

    Returns:
        ``(first, end_exclusive)`` index ranges covering ``lengths`` in order.
    """
    if any(later > earlier for earlier, later in pairwise(lengths)):
        raise ValueError("length_buckets needs lengths in non-increasing order")
    groups: list[int] = []  # index where each run of equal lengths begins
    for index, length in enumerate(lengths):
        if not groups or lengths[groups[-1]] != length:
            groups.append(index)
    bounds = [*groups, len(lengths)]
    # best[g]: cheapest cost of the sentences from group g to the end; cut[g]: its first run's end.
    best = [0.0] * len(bounds)
    cut = [len(groups)] * len(bounds)
    for group in range(len(groups) - 1, -1, -1):
        width = lengths[bounds[group]]
        best[group] = float("inf")
        for end in range(group + 1, len(bounds)):
            cost = RUN_COST_TOKENS + width * (bounds[end] - bounds[group]) + best[end]
            if cost < best[group]:
                best[group], cut[group] = cost, end
    runs = []
    group = 0
    while group < len(groups):
        runs.append((bounds[group], bounds[cut[group]]))
        group = cut[group]
    return runs


def onnx_session(path: Path) -> ort.InferenceSession:
    """A single-threaded ONNX Runtime session: the pipeline parallelises across processes."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


class Tagger:
    """A loaded NER model: tags token lists and finds entities in raw text."""

    def __init__(self, directory: Path) -> None:
        """Load the two ONNX graphs and the tables they were trained with from ``directory``."""
        with gzip.open(directory / VOCABULARY_FILE, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
        if tuple(data["tags"]) != TAGS:
            raise ValueError(f"model tags {data['tags']} differ from {TAGS}")
        self._transitions = np.asarray(data["transitions"], dtype=np.float32)
        self._start = np.asarray(data["start"], dtype=np.float32)
        self._end = np.asarray(data["end"], dtype=np.float32)
        self.featurizer = Featurizer(
            load_clusters(directory / CLUSTERS_FILE),
            load_gazetteer(directory / GAZETTEER_FILE),
            Vocabulary.from_json(data["vocabulary"]),
        )
        common = directory / COMMON_WORDS_FILE
        # Written after training (scripts/train_ner_common_words.py); a freshly trained
        # model directory has none yet, and then every found name is spread.
        self.common_words = frozenset(_read_gzip_lines(common)) if common.exists() else frozenset()
        self._encoder = onnx_session(directory / WORDS_MODEL_FILE)
        self._tagger = onnx_session(directory / TAGGER_MODEL_FILE)
        self._dims = int(data["word_vector_dims"])
        self._clear_cache()

    def _clear_cache(self) -> None:
        """Empty the per-word cache; row 0 stays a zero vector for padding."""
        self._rows: dict[str, int] = {}  # word -> row of ``_vectors``
        self._free_rows: list[int] = []  # rows of evicted words, reused first
        # Room for the whole cache at once: zeroed pages cost memory only once written.
        self._vectors = np.zeros((MAX_CACHE + 1, self._dims), dtype=np.float32)
        self._stripped: list[str] = [""]  # clitic-stripped form of each row's word
        self._row_words: list[str] = [""]  # the word of each row
        # A bounded LRU by call: the call that last used each row. On a long run the
        # frequent words stay encoded, where emptying a full cache re-encoded them.
        self._last_used = np.zeros(len(self._vectors), dtype=np.int64)
        self._calls = 0

    def _word_rows(self, words: Sequence[str]) -> np.ndarray:
        """Cache rows of ``words``, encoding the unseen ones in a few ONNX calls.

        A word's vector depends on the word alone, so a cached row is exactly what
        encoding it again would give.
        """
        return self._lookup(words)[1]

    def _lookup(self, words: Sequence[str]) -> tuple[list[int], np.ndarray]:
        """:meth:`_word_rows` as a list and as an array (one dict lookup per word, at C
        speed, and one stamp of the rows' last use)."""
        self._calls += 1
        found = list(map(self._rows.get, words))
        if None in found:
            # Row 0 is padding, never a word's: every found row is true.
            missing = list(dict.fromkeys(compress(words, map(operator.not_, found))))
            cached = {row for row in found if row}
            if len(cached) + len(missing) > MAX_CACHE:
                # One call larger than the cache: encode it all afresh.
                self._clear_cache()
                missing = list(dict.fromkeys(words))
            elif len(self._rows) + len(missing) > MAX_CACHE:
                self._last_used[list(cached)] = self._calls  # this call's words stay
                self._evict(len(self._rows) + len(missing) - MAX_CACHE)
            self._encode(missing)
            found = list(map(self._rows.__getitem__, words))
        rows = np.array(found, dtype=np.int64)
        self._last_used[rows] = self._calls
        return found, rows  # type: ignore[return-value]

    def _evict(self, count: int) -> None:
        """Forget the ``count`` least recently used words (their rows are reused)."""
        live = np.fromiter(self._rows.values(), dtype=np.int64, count=len(self._rows))
        if count >= len(live):
            oldest = live
        else:
            oldest = live[np.argpartition(self._last_used[live], count - 1)[:count]]
        for row in oldest.tolist():
            del self._rows[self._row_words[row]]
            self._free_rows.append(row)

    def _encode(self, missing: list[str]) -> None:
        """Encode words not in the cache into free or new rows."""
        reused = self._free_rows[: len(missing)]
        del self._free_rows[: len(missing)]
        first = len(self._stripped)
        targets = [*reused, *range(first, first + len(missing) - len(reused))]
        needed = max(first, targets[-1] + 1)
        if needed > len(self._vectors):  # only when one call holds more than MAX_CACHE words
            size = max(needed, 2 * len(self._vectors))
            grown = np.zeros((size, self._dims), np.float32)
            grown[: len(self._vectors)] = self._vectors
            self._vectors = grown
            self._last_used = np.concatenate(
                [self._last_used, np.zeros(size - len(self._last_used), np.int64)]
            )
        self._stripped += [""] * (needed - first)
        self._row_words += [""] * (needed - first)
        features = [self.featurizer.compute(word) for word in missing]
        for chunk in range(0, len(features), BATCH_TOKENS):
            part = features[chunk : chunk + BATCH_TOKENS]
            self._vectors[targets[chunk : chunk + len(part)]] = self._encoder.run(
                None,
                {
                    "features": np.array([f.ids for f in part], dtype=np.int64),
                    "chars": np.array([f.chars for f in part], dtype=np.int64),
                },
            )[0]
        for row, word, feature in zip(targets, missing, features, strict=True):
            self._rows[word] = row
            self._stripped[row] = feature.stripped
            self._row_words[row] = word

    def _tag_flat(
        self, words: Sequence[str], starts: Sequence[int]
    ) -> tuple[np.ndarray, list[str]]:
        """Tag indexes for ``words``, tagged as sentences beginning at ``starts``, and the
        clitic-stripped form of each word.

        Every sentence must be non-empty and at most MAX_SENTENCE words long.
        """
        row_list, rows = self._lookup(words)
        begins = np.asarray(starts, dtype=np.int64)
        lengths = np.diff(begins, append=len(words))
        stripped = list(map(self._stripped.__getitem__, row_list))
        marks = np.array(self.featurizer.gazetteer_ids(stripped, starts), dtype=np.int64)
        tags = np.zeros(len(words), dtype=np.int64)
        order = np.argsort(-lengths, kind="stable")
        first = 0
        while first < len(order):
            # Longest first, so that each batch's lengths are in non-increasing order.
            width = int(lengths[order[first]])
            batch = order[first : first + max(1, BATCH_TOKENS // width)]
            first += len(batch)
            batch_lengths = lengths[batch]
            inside = np.arange(width) < batch_lengths[:, None]
            positions = np.where(inside, begins[batch][:, None] + np.arange(width), 0)
            # Padding reads row 0 (a zero vector) and gazetteer mark 0.
            padded_rows = np.where(inside, rows[positions], 0)
            padded_marks = np.where(inside, marks[positions], 0)
            emissions = np.zeros((len(batch), width, len(TAGS)), dtype=np.float32)
            for low, high in length_buckets(batch_lengths.tolist()):
                # Each run pads only to its own longest sentence: every sentence's scores are
                # the same whichever run it is in (the BiLSTM reads rows independently).
                size = int(batch_lengths[low])
                emissions[low:high, :size] = self._tagger.run(
                    None,
                    {
                        "vectors": self._vectors[padded_rows[low:high, :size]],
                        "gazetteer": padded_marks[low:high, :size],
                        "lengths": batch_lengths[low:high],
                    },
                )[0]
            best = viterbi(emissions, batch_lengths, self._transitions, self._start, self._end)
            tags[positions[inside]] = best[inside]
        return tags, stripped

    def tag(self, tokens: list[str]) -> list[str]:
        """BIO tags (``B-PERS``, ``I-LOC``, ``O``, ...) for a list of surface tokens."""
        return self.tag_document([tokens])[0]

    def tag_document(self, sentences: Sequence[list[str]]) -> list[list[str]]:
        """BIO tags for the token lists of one document, one list per sentence.

        Sentences are tagged one by one (longer ones in MAX_SENTENCE windows); a name
        found in one of them is then marked wherever else the document repeats it
        (``spread_document_entities``), as ``entities`` does within one text.
        """
        words = [word for tokens in sentences for word in tokens]
        starts: list[int] = []
        position = 0
        for tokens in sentences:
            starts += range(position, position + len(tokens), MAX_SENTENCE)
            position += len(tokens)
        if not words:
            return [[] for _ in sentences]
        tags, stripped = self._tag_flat(words, starts)
        tags = spread_document_entities(stripped, tags, starts, self.common_words)
        labels = [TAGS[tag] for tag in tags.tolist()]
        ends = np.cumsum([len(tokens) for tokens in sentences]).tolist()
        return [
            labels[end - len(tokens) : end] for tokens, end in zip(sentences, ends, strict=True)
        ]

    def entities(self, text: str, tokens: Sequence[Token] | None = None) -> list[Entity]:
        """Named entities in ``text`` with character offsets into ``text`` itself.

        The text layer's tokenizer supplies word spans; the surface words ``text[start:end]``
        are tagged, and an entity runs from its first word's start to its last word's end.

        Args:
            text: any text.
            tokens: ``arabic.tokenize(text)``, when the caller has it already (saves
                about a fifth of the time).
        """
        return self.entities_many([text], None if tokens is None else [tokens])[0]

    def entities_many(
        self, texts: Sequence[str], tokens: Sequence[Sequence[Token]] | None = None
    ) -> list[list[Entity]]:
        """Named entities of several texts, tagged together in a few padded batches.

        Each text is cut into sentences (after . ! ? and at line breaks, at most
        MAX_SENTENCE words each), so memory stays bounded for any input.

        Args:
            texts: the texts.
            tokens: ``arabic.tokenize`` of each text, when the caller has them already.
        """
        if tokens is not None and len(tokens) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(tokens)} token lists")
        words: list[str] = []
        starts: list[int] = []
        spans: list[tuple[int, int]] = []
        owners: list[int] = []  # first word index of each text
        for number, text in enumerate(texts):
            owners.append(len(words))
            text_spans = word_spans(text, None if tokens is None else tokens[number])
            starts += [len(words) + first for first in _sentence_starts(text, text_spans)]
            words += [text[start:end] for start, end in text_spans]
            spans += text_spans
        found: list[list[Entity]] = [[] for _ in texts]
        if not words:
            return found
        tags, stripped = self._tag_flat(words, starts)
        for first, last in zip(owners, [*owners[1:], len(words)], strict=True):
            if last > first:
                own = starts[bisect_left(starts, first) : bisect_left(starts, last)]
                inside = [start - first for start in own]
                tags[first:last] = spread_document_entities(
                    stripped[first:last], tags[first:last], inside, self.common_words
                )
        # Viterbi output is well-formed BIO and never starts a sentence inside an entity,
        # so an entity is a B tag and the run of I tags after it.
        outside = np.flatnonzero((tags == 0) | (tags % 2 == 1))
        for first in np.flatnonzero(tags % 2 == 1).tolist():
            after = np.searchsorted(outside, first + 1)
            last = (int(outside[after]) if after < len(outside) else len(tags)) - 1
            number = bisect_right(owners, first) - 1
            text = texts[number]
            start, end = spans[first][0], spans[last][1]
            surface = text[start:end]
            if any(ch.isalnum() for ch in surface):  # a lone bracket is never a name
                found[number].append(Entity(surface, TAGS[tags[first] + 1][2:], start, end))
        return found


def spread_document_entities(
    stripped: Sequence[str],
    tags: np.ndarray,
    sentence_starts: Sequence[int],
    common_words: AbstractSet[str] = frozenset(),
) -> np.ndarray:
    """Mark every untagged repeat of a name the tagger found elsewhere in the same document.

    One sense per document: an article that names «الليكود» once as a party means the party
    each time, though the tagger, reading one sentence at a time, may miss some mentions.
    Repeats are matched on clitic-stripped forms (so «والليكود» counts), longest name
    first, inside one sentence, only over words tagged O; a name keeps the type it was
    given most often, and a person's last name alone counts as him (``family_name``).
    Names with a one-letter word (stray clitics, punctuation) and one-word names that are
    mostly common words in news (``common_words``: the folded «علي» is also «على») are
    not spread.

    Args:
        stripped: clitic-stripped folded form of each word of the document.
        tags: indexes into ``TAGS``, well-formed BIO (as Viterbi gives).
        sentence_starts: index of each sentence's first word, increasing, the first 0.
        common_words: clitic-stripped words never spread alone (``ner_common_words``).

    Returns:
        A new tag array.
    """
    found: dict[tuple[str, ...], dict[int, int]] = {}
    for position in np.flatnonzero(tags % 2 == 1).tolist():  # B tags
        begin = int(tags[position])
        end = position + 1
        while end < len(tags) and tags[end] == begin + 1:
            end += 1
        name = tuple(stripped[position:end])
        if all(len(word) > 1 for word in name):
            counts = found.setdefault(name, {})
            counts[begin] = counts.get(begin, 0) + 1
    spread = tags.copy()
    names = {
        name: min(counts, key=lambda tag: (-counts[tag], tag)) for name, counts in found.items()
    }
    person = TAGS.index("B-PERS")
    for name, tag in list(names.items()):
        if tag == person:
            surname = family_name(name)
            if surname:
                names.setdefault(surname, person)
    names = {n: tag for n, tag in names.items() if len(n) > 1 or n[0] not in common_words}
    prefixes = {name[:size] for name in names for size in range(1, len(name) + 1)}
    first_words = {name[0] for name in names}
    if not names:
        return spread
    covered = 0  # words before this index are part of a spread name already
    untagged = (tags == 0).tolist()
    for position in compress(count(), map(first_words.__contains__, stripped)):
        if position < covered or not untagged[position]:
            continue
        following = bisect_right(sentence_starts, position)  # the next sentence's start
        stop = sentence_starts[following] if following < len(sentence_starts) else len(tags)
        match, label = 0, 0
        key: tuple[str, ...] = ()
        for end in range(position, stop):
            if spread[end] != 0:
                break
            key = (*key, stripped[end])
            if key not in prefixes:
                break
            if key in names:
                match, label = len(key), names[key]
        if match:
            spread[position] = label
            spread[position + 1 : position + match] = label + 1
            covered = position + match
    return spread


def family_name(name: Sequence[str]) -> tuple[str, ...]:
    """The last name of a person's full name (clitic-stripped words), or ``()``.

    News names a person in full once, then by the last name alone («جلال طالباني» ...
    «طالباني»). A compound last name keeps both words («حسن نصر الله» -> «نصر الله»); a
    lone compound given name («عبد الله») or a last word under three letters has none.
    """
    if len(name) < 2:
        return ()
    surname = tuple(name[-2:]) if arabic.is_name_compound(name[-2], name[-1]) else (name[-1],)
    if len(surname) == len(name) or any(len(word) < 3 for word in surname):
        return ()
    return surname


def _sentence_starts(text: str, spans: Sequence[tuple[int, int]]) -> list[int]:
    """Indexes of the spans that begin a sentence: the first, those after a sentence-final
    mark or a line break, and every MAX_SENTENCE-th word of a longer run."""
    starts: list[int] = []
    newline = text.find("\n")
    begin = -MAX_SENTENCE  # forces a start at index 0
    previous_final = False
    for index, (start, end) in enumerate(spans):
        line_break = 0 <= newline < start
        if line_break:
            newline = text.find("\n", start)
        if previous_final or line_break or index - begin >= MAX_SENTENCE:
            starts.append(index)
            begin = index
        previous_final = end - start == 1 and text[start] in SENTENCE_END
    return starts


def word_spans(text: str, tokens: Sequence[Token] | None = None) -> list[tuple[int, int]]:
    """Word spans from the text layer's tokenizer plus one span per punctuation character.

    The tokenizer keeps words only, but the model was trained on news text whose
    punctuation is tokenized too (quotes and commas are strong boundary cues), so
    non-space characters between words become one-character tokens.

    Args:
        text: any text.
        tokens: ``arabic.tokenize(text)`` if already computed.
    """
    if tokens is None:
        tokens = arabic.tokenize(text)
    spans = [(token.start, token.end) for token in tokens]
    gap_starts = [0, *(end for _, end in spans)]
    gap_ends = [*(start for start, _ in spans), len(text)]
    # Most gaps are one space; only the others are scanned character by character.
    punctuation = [
        (i, i + 1)
        for gap_start, gap_end in zip(gap_starts, gap_ends, strict=True)
        if gap_end - gap_start > 1 or (gap_end > gap_start and text[gap_start] != " ")
        for i in range(gap_start, gap_end)
        if not text[i].isspace()
    ]
    return sorted(spans + punctuation) if punctuation else spans


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


@lru_cache(maxsize=1)
def shipped_common_words() -> frozenset[str]:
    """The shipped model's common words (``ner_common_words``): folded, clitic-stripped
    words seen often in news that the model almost never tags alone as a name."""
    path = models_dir() / COMMON_WORDS_FILE
    return frozenset(_read_gzip_lines(path)) if path.exists() else frozenset()


@lru_cache(maxsize=4)
def load_tagger(directory: Path | None = None) -> Tagger:
    """Load (once per directory) the NER model; the shipped one by default."""
    return Tagger(directory or models_dir())
