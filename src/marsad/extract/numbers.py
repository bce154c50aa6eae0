"""Numbers in Arabic news text, with what they count.

Finds digit numbers (Western and Arabic-Indic, thousands separators, decimals), number
words (ثلاثة آلاف، خمسة وعشرون), multipliers (4 آلاف، 2.5 مليون), percentages (92%، ٩٢٪،
92 في المئة) and vague quantities (مئات القتلى, value NaN with a scale). Each mention
carries the noun it counts (the next content word, skipping من/عن: أكثر من 90% من الأراضي
-> الأراضي) and whether a qualifier made it approximate (نحو، أكثر من). Word tables are in
``data/number_words_ar.txt``.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from marsad.data import load_text
from marsad.models import Token
from marsad.text.arabic import STOPWORDS, fold, sentence_spans, tokenize

MAX_COUNTED_GAP = 3  # tokens searched after a number for the counted noun
_CONJUNCTIONS = ("و", "ب", "ل", "وب", "ول")
_THOUSANDS_RE = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_PERCENT_SIGNS = "%٪"


@dataclass(frozen=True, slots=True, kw_only=True)
class NumberMention:
    """One number in a text; offsets index the original text.

    ``value`` is NaN for a vague quantity (مئات), whose order of magnitude is ``scale``.
    """

    value: float
    text: str  # the number as written, multiplier and percent words included
    start: int
    end: int
    counted: str  # the counted noun as written ("" when none follows)
    counted_key: str  # its MATCH stem, for comparing counts across articles
    is_percent: bool
    approximate: bool
    qualifier: str  # the approximating phrase as written (نحو، أكثر من) or ""
    vague: bool
    scale: float  # 1 for exact numbers; 10, 100, 1000 ... for vague quantities
    sentence_start: int
    sentence_end: int


@dataclass(frozen=True, slots=True)
class _Tables:
    numbers: dict[str, float]
    multipliers: dict[str, float]
    vague: dict[str, float]
    approximate: tuple[tuple[str, ...], ...]  # folded word sequences, longest first
    percent: tuple[tuple[str, ...], ...]


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    raw = load_text("number_words_ar.txt")
    sections: dict[str, list[str]] = {}
    current = ""
    for line in raw.splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry.startswith("["):
            current = entry.strip("[]")
        elif entry:
            sections.setdefault(current, []).append(entry)

    def valued(name: str) -> dict[str, float]:
        return {fold(w): float(v) for w, v in (row.split("\t") for row in sections[name])}

    def phrases(name: str) -> tuple[tuple[str, ...], ...]:
        return tuple(
            sorted((tuple(fold(p).split()) for p in sections[name]), key=len, reverse=True)
        )

    return _Tables(
        valued("numbers"),
        valued("multipliers"),
        valued("vague"),
        phrases("approximate"),
        phrases("percent"),
    )


@lru_cache(maxsize=65536)
def _word_forms(written: str) -> tuple[str, ...]:
    """The folded word and its forms without a leading و/ب/ل (وعشرين، بآلاف)."""
    folded = fold(written)
    return (folded, *(folded[len(p) :] for p in _CONJUNCTIONS if folded.startswith(p)))


@lru_cache(maxsize=1)
def _all_number_words() -> frozenset[str]:
    tables = _tables()
    return frozenset(tables.numbers) | frozenset(tables.multipliers) | frozenset(tables.vague)


@lru_cache(maxsize=1)
def _number_token_texts() -> frozenset[str]:
    """Token texts (as the tokenizer gives them) that any number word can yield.

    A cheap first filter over every token: a token can belong to a number word only if
    its text is here; :func:`_is_number_word` then checks the written word.
    """
    texts: set[str] = set()
    for form in _all_number_words():
        for prefix in ("", *_CONJUNCTIONS):
            texts.update(token.text for token in tokenize(prefix + form))
    return frozenset(texts)


@lru_cache(maxsize=65536)
def _is_number_word(written: str) -> bool:
    """Cheap filter run on every word: is it (with a proclitic) in any number table?"""
    return any(form in _all_number_words() for form in _word_forms(written))


def _lookup(table: dict[str, float], written: str) -> float | None:
    for form in _word_forms(written):
        if form in table:
            return table[form]
    return None


def _digit_value(token: str) -> float | None:
    """Value of a folded digit token: 1,500 and 1,500.5 use comma thousands; 3.5 or 3,5 decimals."""
    if _THOUSANDS_RE.match(token):
        return float(token.replace(",", ""))
    try:
        return float(token.replace(",", "."))
    except ValueError:
        return None


def _phrase_at(words: _LazyWords, index: int, phrases: tuple[tuple[str, ...], ...]) -> int:
    """Length of the phrase in ``phrases`` that starts at ``words[index]`` (0 if none)."""
    longest = max((len(phrase) for phrase in phrases), default=0)
    ahead = tuple(words[index : index + longest])  # cut out and folded once for all phrases
    for phrase in phrases:
        if ahead[: len(phrase)] == phrase:
            return len(phrase)
    return 0


def _phrase_before(words: _LazyWords, index: int, phrases: tuple[tuple[str, ...], ...]) -> int:
    """Length of the phrase in ``phrases`` that ends just before ``words[index]`` (0 if none).

    The phrase's first word may carry a proclitic (لنحو 4 آلاف).
    """
    # The words before the number, cut out and folded once for all phrases.
    longest = max((len(phrase) for phrase in phrases), default=0)
    before = tuple(words[max(0, index - longest + 1) : index])
    for phrase in phrases:
        start = index - len(phrase)
        if start < 0 or before[len(before) - len(phrase) + 1 :] != phrase[1:]:
            continue
        if phrase[0] in words.forms(start):
            return len(phrase)
    return 0


def extract_numbers(
    text: str,
    tokens: list[Token] | None = None,
    sentences: list[tuple[int, int]] | None = None,
) -> list[NumberMention]:
    """Finds the numbers of a text with their counted nouns.

    Args:
        text: an article body in DISPLAY form.
        tokens: ``tokenize(text)``, when the caller has it already.
        sentences: ``sentence_spans(text)``, likewise.

    Returns:
        Number mentions in text order; ``text[m.start:m.end]`` is the number as written.
    """
    tables = _tables()
    tokens = tokenize(text) if tokens is None else tokens
    sentences = sentence_spans(text) if sentences is None else sentences
    candidates = _number_starts(text, tokens)
    words = _LazyWords(text, tokens)
    sentence_starts = [s for s, _ in sentences]
    mentions: list[NumberMention] = []
    next_free = 0
    for index in candidates:
        if index < next_free:
            continue
        found = _number_at(text, tokens, index, tables)
        if found is None:
            continue
        value, scale, vague, end_index = found
        after = end_index
        is_percent = any(
            ch in text[tokens[end_index - 1].end : tokens[end_index - 1].end + 2]
            for ch in _PERCENT_SIGNS
        )
        if not is_percent and (length := _phrase_at(words, after, tables.percent)):
            is_percent, after = True, after + length
        qualifier_len = _phrase_before(words, index, tables.approximate)
        start, end = tokens[index].start, tokens[after - 1].end
        sign = text[end : end + 2].strip()[:1]
        if is_percent and sign and sign in _PERCENT_SIGNS:
            end = text.index(sign, end) + 1
        counted = _counted_noun(tokens, after)
        position = bisect_right(sentence_starts, start) - 1
        sentence = sentences[position] if position >= 0 else (0, len(text))
        qualifier = ""
        if qualifier_len:
            qualifier = text[tokens[index - qualifier_len].start : tokens[index - 1].end]
        mentions.append(
            NumberMention(
                value=value,
                text=text[start:end],
                start=start,
                end=end,
                counted=text[counted.start : counted.end] if counted else "",
                counted_key=_noun_key(counted) if counted else "",
                is_percent=is_percent,
                approximate=bool(qualifier_len),
                qualifier=qualifier,
                vague=vague,
                scale=scale,
                sentence_start=sentence[0],
                sentence_end=sentence[1],
            )
        )
        next_free = after
    return mentions


def _number_starts(text: str, tokens: list[Token]) -> list[int]:
    """Indexes of the tokens a number may begin at: a digit, or a number word."""
    # Written words, folded, with proclitics kept (tokenize strips them, and would read
    # الاف as ال + اف); only the few that can belong to a number are cut out and folded.
    possible = _number_token_texts()
    return [
        i
        for i, t in enumerate(tokens)
        if (word := t.text)[:1].isdigit()
        or (word in possible and _is_number_word(text[t.start : t.end]))
    ]


class _LazyWords:
    """Folded written words of the tokens, cut out and folded on first access (only words
    near numbers are read)."""

    def __init__(self, text: str, tokens: list[Token]) -> None:
        self._text = text
        self._tokens = tokens

    def __len__(self) -> int:
        return len(self._tokens)

    def __getitem__(self, index: slice) -> list[str]:
        text = self._text
        return [_word_forms(text[t.start : t.end])[0] for t in self._tokens[index]]

    def forms(self, index: int) -> tuple[str, ...]:
        """The folded word at ``index`` with and without a proclitic."""
        token = self._tokens[index]
        return _word_forms(self._text[token.start : token.end])


def _number_at(
    text: str, tokens: list[Token], index: int, tables: _Tables
) -> tuple[float, float, bool, int] | None:
    """``(value, scale, vague, next_index)`` of a number starting at ``tokens[index]``."""
    token = tokens[index].text
    if token[:1].isdigit():
        value = _digit_value(token)
        if value is None:
            return None
        end = index + 1
        if end < len(tokens) and (
            factor := _lookup(tables.multipliers, text[tokens[end].start : tokens[end].end])
        ):
            value, end = value * factor, end + 1
        return value, 1.0, False, end
    written = text[tokens[index].start : tokens[index].end]
    scale = _lookup(tables.vague, written)
    if scale is not None and _lookup(tables.numbers, written) is None:
        # آلاف/ملايين without a number before them are vague (بآلاف الدولارات).
        return math.nan, scale, True, index + 1
    if _lookup(tables.numbers, written) is None and _lookup(tables.multipliers, written) is None:
        return None
    total = current = 0.0
    end = index
    while end < len(tokens):
        piece = text[tokens[end].start : tokens[end].end]
        if (number := _lookup(tables.numbers, piece)) is not None:
            current += number
        elif (factor := _lookup(tables.multipliers, piece)) is not None:
            total += max(current, 1.0) * factor
            current = 0.0
        else:
            break
        end += 1
    return total + current, 1.0, False, end


def _counted_noun(tokens: list[Token], index: int) -> Token | None:
    """The first content word within a few tokens after a number (skips من، عن، إلى, numbers)."""
    for token in tokens[index : index + MAX_COUNTED_GAP]:
        if token.text[:1].isdigit() or token.text in STOPWORDS:
            continue
        return token
    return None


def _noun_key(token: Token) -> str:
    """MATCH key of a counted noun: its stem, without the accusative alef (مسلحا -> مسلح)."""
    key = token.stem
    if len(key) > 3 and key.endswith("ا"):
        key = key[:-1]
    return key
