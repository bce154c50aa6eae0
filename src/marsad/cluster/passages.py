"""Split roundup articles into passages, one per event they report.

A roundup strings several events together, usually marking each shift with a discourse
marker ("على صعيد آخر", "في سياق منفصل", "إلى ذلك") or a short sub-heading line. Units are
paragraphs, and sentences inside paragraphs too long to be one unit (some sites publish a
whole article as one line). A new passage starts at a marked unit or after a heading;
passages too short to stand alone are folded into their neighbour.

Passages are then grouped into events (:func:`group_events`): a passage opened by a marker
that announces another event ("في سياق منفصل") always stands apart; any other passage is
folded into the event before it when the two share enough vocabulary ("إلى ذلك" adding
detail to the same event). An article is a roundup when two or more events remain.
"""

from __future__ import annotations

import itertools
import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

from marsad.data import load_text
from marsad.models import Token
from marsad.text import arabic

MARKER_HEAD_CHARS = 40  # longer than any marker in transitions_ar.txt
HEADING_MAX_WORDS = 9  # a short line without final punctuation introduces a section
MIN_PASSAGE_CHARS = 250  # shorter passages carry too little text to cluster on their own
LONG_PARAGRAPH_CHARS = 700  # beyond this, a paragraph is split into its sentences
# Lexical cohesion (after Hearst's TextTiling): compare the stems of the BLOCK units before
# and after each gap; a deep valley of similarity is an unmarked topic shift. Set on the
# seeds, where unmarked shifts score <= 0.16 with depth >= 0.38 and same-topic gaps do not.
BLOCK = 3
VALLEY_MAX_SIMILARITY = 0.2
VALLEY_MIN_DEPTH = 0.3
# A passage not opened by a separate-event marker joins the event before it at this stem
# cosine or above. Seeds: the two passages of one event (004: Bukamal, Lavrov on Bukamal)
# score 0.42, passages of different events 0.09-0.32 (003: Idlib vs strikes on Mayadin).
# July dev gold B-cubed F1 (raw counts): 0.922 at 0.3, 0.923 at 0.35; sublinear counts 0.913.
SAME_EVENT_SIMILARITY = 0.35


@dataclass(frozen=True, slots=True)
class Passage:
    """A contiguous part of an article body (offsets into the body)."""

    start: int
    end: int
    first_paragraph: int  # 1-based, counting non-empty lines
    last_paragraph: int


@dataclass(frozen=True, slots=True)
class _Unit:
    start: int
    end: int
    paragraph: int
    heading: bool


@lru_cache(maxsize=1)
def _marker_lists() -> dict[str, tuple[str, ...]]:
    """Folded markers by section of transitions_ar.txt, longest first."""
    text = load_text("transitions_ar.txt")
    sections: dict[str, set[str]] = {"separate": set(), "related": set()}
    section = "related"
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            continue
        sections[section].add(arabic.fold(line))
    sections["any"] = sections["separate"] | sections["related"]
    return {name: tuple(sorted(found, key=len, reverse=True)) for name, found in sections.items()}


def _starts_with_marker(sentence: str, markers: Sequence[str]) -> bool:
    # Markers are short: folding the head of the sentence is enough (and much cheaper).
    folded = arabic.fold(sentence.lstrip(" \t\"'«(-–—")[:MARKER_HEAD_CHARS]).lstrip()
    candidates: tuple[str, ...] = (folded,)
    if folded[:1] in ("و", "ف") and not folded.startswith(("في ", "فى ")):
        candidates = (folded, folded[1:])
    for text in candidates:
        if not text.startswith(tuple(markers)):
            continue  # no marker at all (the common case): one C call, not one per marker
        for marker in markers:
            if text.startswith(marker) and (
                len(text) == len(marker) or not text[len(marker)].isalnum()
            ):
                return True
    return False


def opens_new_topic(sentence: str) -> bool:
    """True when a sentence starts with a topic-shift marker (optionally after و or ف)."""
    return _starts_with_marker(sentence, _marker_lists()["any"])


def marker_prefix(text: str) -> int:
    """Length of a leading topic marker and its comma ("إلى ذلك، "), 0 when there is none.

    A passage shown on its own reads better without the roundup's connective.
    """
    if not opens_new_topic(text):
        return 0
    head = text[: MARKER_HEAD_CHARS + 5]
    cut = max(head.find("،"), head.find(","))
    if cut < 0:
        return 0
    return len(text) - len(text[cut + 1 :].lstrip())


def announces_other_event(sentence: str) -> bool:
    """True when a sentence opens with a marker saying another event follows."""
    return _starts_with_marker(sentence, _marker_lists()["separate"])


def _units(body: str) -> list[_Unit]:
    units: list[_Unit] = []
    paragraph = 0
    offset = 0
    for line in body.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        stripped = line.strip()
        if not stripped:
            continue
        paragraph += 1
        lead = start + (len(line) - len(line.lstrip()))
        words = len(stripped.split())
        heading = words <= HEADING_MAX_WORDS and stripped[-1] not in ".!?؟:؛،"
        if len(stripped) <= LONG_PARAGRAPH_CHARS:
            units.append(_Unit(lead, lead + len(stripped), paragraph, heading))
            continue
        for s_start, s_end in arabic.sentence_spans(line):
            units.append(_Unit(start + s_start, start + s_end, paragraph, False))
    return units


def split_passages(
    body: str, *, tokens: Sequence[Token] | None = None, min_chars: int = MIN_PASSAGE_CHARS
) -> list[Passage]:
    """Passages of a body; an article about one event comes back as a single passage.

    Args:
        body: the article body.
        tokens: ``arabic.tokenize(body)`` when the caller has it already.
        min_chars: passages shorter than this are merged into a neighbour.
    """
    if len(body) < 2 * min_chars:
        return [Passage(0, len(body), 1, body.count("\n") + 1)] if body.strip() else []
    units = _units(body)
    if not units:
        return []
    valleys = _valleys(units, arabic.tokenize(body) if tokens is None else tokens)
    groups: list[list[_Unit]] = [[units[0]]]
    for index, (previous, unit) in enumerate(itertools.pairwise(units), start=1):
        starts_topic = (
            previous.heading
            or unit.heading
            or index in valleys
            or opens_new_topic(body[unit.start : unit.end])
        )
        if starts_topic:
            groups.append([unit])
        else:
            groups[-1].append(unit)
    passages = [Passage(g[0].start, g[-1].end, g[0].paragraph, g[-1].paragraph) for g in groups]
    return _merge_short(passages, min_chars)


_token_start = attrgetter("start")


def _valleys(units: Sequence[_Unit], tokens: Sequence[Token]) -> set[int]:
    """Indices of units that start after a deep valley of lexical similarity."""
    if len(units) < 2 * BLOCK:
        return set()
    vocab = _unit_vocab(units, tokens)
    # Set cosine keeps this cheap; repeated words matter little at sentence scale.
    gaps = {}
    for i in range(1, len(units)):
        left = set().union(*vocab[max(0, i - BLOCK) : i])
        right = set().union(*vocab[i : i + BLOCK])
        norm = math.sqrt(len(left) * len(right))
        gaps[i] = len(left & right) / norm if norm else 0.0
    found = set()
    for i, score in gaps.items():
        if score > VALLEY_MAX_SIMILARITY:
            continue
        left_peak = right_peak = score
        j = i - 1
        while j in gaps and gaps[j] >= left_peak:
            left_peak, j = gaps[j], j - 1
        j = i + 1
        while j in gaps and gaps[j] >= right_peak:
            right_peak, j = gaps[j], j + 1
        if (left_peak - score) + (right_peak - score) >= VALLEY_MIN_DEPTH:
            found.add(i)
    return found


def _unit_vocab(units: Sequence[_Unit], tokens: Sequence[Token]) -> list[set[str]]:
    """The content stems of each unit.

    Tokens and units are both in text order: a unit holds the tokens that start from its
    start up to the next unit's start and end inside it (found by bisection, then one
    comprehension per unit instead of a Python step per token)."""
    stopwords = arabic.STOPWORDS
    bounds = [bisect_left(tokens, unit.start, key=_token_start) for unit in units[1:]]
    return [
        {
            stem
            for word, start, end, stem in tokens[first:after]
            if start >= unit.start
            and end <= unit.end
            and len(word) > 1
            and word not in stopwords
            and not word.isdigit()
        }
        for unit, first, after in zip(units, [0, *bounds], [*bounds, len(tokens)], strict=True)
    ]


def _cosine(first: Counter[str], second: Counter[str]) -> float:
    # Raw counts: on the July dev gold, sublinear counts made more articles roundups and
    # lost 0.01 B-cubed F1.
    dot = sum(count * second[term] for term, count in first.items() if term in second)
    norm = math.sqrt(sum(v * v for v in first.values()) * sum(v * v for v in second.values()))
    return dot / norm if norm else 0.0


def _merge_short(passages: list[Passage], min_chars: int) -> list[Passage]:
    merged: list[Passage] = []
    for passage in passages:
        if merged and (
            passage.end - passage.start < min_chars or _too_short(merged[-1], min_chars)
        ):
            last = merged.pop()
            passage = Passage(last.start, passage.end, last.first_paragraph, passage.last_paragraph)
        merged.append(passage)
    if len(merged) > 1 and _too_short(merged[-1], min_chars):
        last, before = merged.pop(), merged.pop()
        merged.append(Passage(before.start, last.end, before.first_paragraph, last.last_paragraph))
    return merged


def _too_short(passage: Passage, min_chars: int) -> bool:
    return passage.end - passage.start < min_chars


def group_events(
    body: str, passages: Sequence[Passage], passage_stems: Sequence[Sequence[str]]
) -> list[Passage]:
    """Merge adjacent passages that report the same event; one passage back means one event.

    Args:
        body: the article body the passages slice.
        passages: :func:`split_passages` output, in order.
        passage_stems: the content stems of each passage.
    """
    if not passages:
        return []
    events = [passages[0]]
    bag = Counter(passage_stems[0])
    for passage, stems in zip(passages[1:], passage_stems[1:], strict=True):
        own = Counter(stems)
        head = body[passage.start : passage.start + MARKER_HEAD_CHARS]
        if not announces_other_event(head) and _cosine(bag, own) >= SAME_EVENT_SIMILARITY:
            last = events.pop()
            events.append(
                Passage(last.start, passage.end, last.first_paragraph, passage.last_paragraph)
            )
            bag.update(own)
        else:
            events.append(passage)
            bag = own
    return events
