"""Which words of a speaker phrase are the name: a learned per-word decision.

The rules find the speaker phrase from the syntax of attribution (cue verb + subject noun
phrase up to إن/أن or a mark); the phrase is [title or description words] + name +
[descriptor], and cutting it to the name is where string rules fitted to single errors do not
transfer. Here each word of the phrase (and up to :data:`MAX_EXTENSION` words after it, where
the rules cut a name short) gets a probability of being inside the name from a logistic model
over features that need no list of names: corpus evidence of the word in name places
(``name_words_ar``), whether it is common, a title, an organisation head, its distributional
classes (the NER's shipped clusters), its position in the phrase and the NER tag over it. The
name is then the one contiguous run of words with the highest joint likelihood.

An experiment, not wired into the extract stage: ``scripts/train_speaker_names.py`` trains it
on the development quote golds, cross-validated by day, and compares it with the rules.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from marsad.extract.aliases import is_title_word
from marsad.extract.quotes import (
    _is_common_word,
    _name_evidence,
    _word_kind,
    is_organisation_head,
    is_person_reference,
)
from marsad.text.arabic import fold, is_stopword

MAX_EXTENSION = 3  # words after the rules' phrase that may still be the name (جودة of رائد شاكر)
_WORD_RE = re.compile(r"[^\s,;:.!?؟،؛«»\"“”()]+")
_STOP_AFTER = re.compile(r"[,;:.!?؟،؛«»\"“”()]")
_QUOTE_MARKS = '«»"“”'


@dataclass(frozen=True, slots=True)
class PhraseWord:
    """One word of a speaker window; offsets index the article text."""

    written: str
    start: int
    end: int
    in_phrase: bool  # inside the rules' phrase (False: an extension word after it)


def window_words(text: str, start: int, end: int) -> list[PhraseWord]:
    """The words of the rules' phrase ``text[start:end]`` and up to :data:`MAX_EXTENSION`
    words after it, stopping at punctuation or a stopword (إن، في), which end any name."""
    words = [
        PhraseWord(m.group(), start + m.start(), start + m.end(), True)
        for m in _WORD_RE.finditer(text[start:end])
    ]
    position = end
    for _ in range(MAX_EXTENSION):
        match = _WORD_RE.search(text, position, min(len(text), position + 60))
        if match is None or _STOP_AFTER.search(text, position, match.start()):
            break
        if "\n" in text[position : match.start()] or is_stopword(match.group()):
            break
        words.append(PhraseWord(match.group(), match.start(), match.end(), False))
        position = match.end()
    return words


def _bucket(value: float, edges: Sequence[float]) -> int:
    return sum(value >= edge for edge in edges)


@lru_cache(maxsize=65536)
def _word_features(written: str) -> tuple[str, ...]:
    """Features of one word on its own (cached: the same words recur across phrases)."""
    word = fold(written.strip(_QUOTE_MARKS))
    bare = word[2:] if word.startswith("ال") and len(word) > 4 else word
    total, after_title, after_given = _name_evidence().get(word, (0, 0, 0))
    named = after_title + after_given
    features = [
        f"kind={_word_kind(word)}",
        f"freq={_bucket(math.log2(total + 1), (1, 3, 5, 8, 11, 14))}",
        f"named_share={_bucket(named / total if total else -1, (0, 0.02, 0.1, 0.3, 0.6))}",
        f"title_share={_bucket(after_title / total if total else -1, (0, 0.02, 0.1, 0.3))}",
    ]
    if _is_common_word(word):
        features.append("common")
    if is_title_word(word) or is_title_word(bare):
        features.append("title")
    if is_organisation_head(word):
        features.append("org_head")
    if is_person_reference(word):
        features.append("person_ref")
    if is_stopword(word):
        features.append("stopword")
    if word.startswith("ال"):
        features.append("definite")
    if word[:1] in "وبل" and not word.startswith("ال"):
        features.append(f"proclitic={word[0]}")
    if word.startswith(("لل", "بال", "وال")):
        features.append("clitic_article")
    if any(mark in written for mark in _QUOTE_MARKS):
        features.append("quoted")
    if word.endswith(("ي", "يه", "ية")):
        features.append("nisba_ending")
    for level, cluster in zip(("c64", "c256"), _clusters(word), strict=False):
        features.append(f"{level}={cluster}")
    return tuple(features)


def _clusters(word: str) -> tuple[int, ...]:
    """The word's syntactic cluster ids at 64 and 256 classes from the NER's shipped table
    (0 and 1 are padding and unknown)."""
    from marsad.extract.ner import load_tagger  # the tagger is loaded by the stage anyway

    ids = load_tagger().featurizer.word(word).ids
    return ids[2:4]


def token_features(words: Sequence[PhraseWord], index: int, labels: Sequence[str]) -> list[str]:
    """Features of word ``index`` of a window: its own, its neighbours' and its place.

    ``labels`` gives each word's NER label (``PERS``, ``ORG``, ``LOC`` or ``O``)."""
    count = sum(w.in_phrase for w in words)
    own = _word_features(words[index].written)
    features = ["bias", *own, f"ner={labels[index]}"]
    features.append(f"from_start={min(index, 4)}")
    features.append(f"from_end={min(count - 1 - index, 4) if words[index].in_phrase else 'x'}")
    if index > 0:
        before = _word_features(words[index - 1].written)
        features += [f"prev_{f}" for f in before if not f.startswith("c256")]
        features.append(f"prev_ner={labels[index - 1]}")
    else:
        features.append("first")
    if index + 1 < len(words):
        after = _word_features(words[index + 1].written)
        features += [f"next_{f}" for f in after if not f.startswith("c256")]
        features.append(f"next_ner={labels[index + 1]}")
    else:
        features.append("last")
    return features


def ner_labels(words: Sequence[PhraseWord], entities: Sequence[object]) -> list[str]:
    """Each window word's NER label from the article's entities (``O`` outside all)."""
    labels = []
    for word in words:
        label = "O"
        for entity in entities:
            if entity.start <= word.start and word.end <= entity.end:  # type: ignore[attr-defined]
                label = entity.label  # type: ignore[attr-defined]
                break
        labels.append(label)
    return labels


def best_name_run(probabilities: Sequence[float]) -> tuple[int, int, float]:
    """The contiguous run ``[first, last)`` of words most likely to be the name, with its
    log-likelihood margin over the next best run (all words independent given features)."""
    inside = [math.log(max(p, 1e-9)) for p in probabilities]
    outside = [math.log(max(1.0 - p, 1e-9)) for p in probabilities]
    total_outside = sum(outside)
    scored = []
    for first in range(len(probabilities)):
        running = total_outside
        for last in range(first + 1, len(probabilities) + 1):
            running += inside[last - 1] - outside[last - 1]
            scored.append((running, first, last))
    if not scored:
        return 0, 0, 0.0
    scored.sort(reverse=True)
    margin = scored[0][0] - scored[1][0] if len(scored) > 1 else math.inf
    return scored[0][1], scored[0][2], margin


def run_score(probabilities: Sequence[float], first: int, last: int) -> float:
    """Log-likelihood of ``[first, last)`` being the name (for comparing with the rules')."""
    return sum(
        math.log(max(p, 1e-9)) if first <= i < last else math.log(max(1.0 - p, 1e-9))
        for i, p in enumerate(probabilities)
    )
