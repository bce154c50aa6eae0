"""Per-article analysis shared by the comparison modules.

Numbers, statements and dates come from extraction, which runs once at ingest: the read
side passes the stored results (:class:`Extracted`, read per story from the store). Only
callers without a store (evaluation over corpus text, tests) have them extracted here, by
:func:`extract_from_text`. Tokens and sentences are cheap tokenization, computed from the
text and cached by body: a story is re-analysed every time it gains an article.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from marsad.extract.numbers import NumberMention, extract_numbers
from marsad.extract.quotes import Statement, extract_statements
from marsad.models import Token
from marsad.text.arabic import STOPWORDS, sentence_spans, tokenize
from marsad.text.dates import DateMention, find_dates

#: Distinct article texts whose analysis is kept between calls.
CACHE_SIZE = 1024  # ~40 MB of tokens for 2,000-character bodies


@dataclass(frozen=True, slots=True)
class TextFacts:
    """What the comparison needs from one article body (offsets index the body)."""

    tokens: tuple[Token, ...]
    token_starts: tuple[int, ...]  # for bisecting offsets into token indices
    sentences: tuple[tuple[int, int], ...]
    token_sentence: tuple[int, ...]  # sentence index of every token (-1 outside sentences)
    sentence_stems: tuple[frozenset[str], ...]  # content stems per sentence
    stems: tuple[str, ...]  # content stems of the body, in order
    numbers: tuple[NumberMention, ...]
    statements: tuple[Statement, ...]

    def sentence_at(self, offset: int) -> int:
        """Index of the sentence holding ``offset`` (-1 when none does)."""
        index = bisect_right(self.sentences, (offset, 1 << 62)) - 1
        if index >= 0 and self.sentences[index][0] <= offset < self.sentences[index][1]:
            return index
        return -1


def is_content(token: Token) -> bool:
    """Content word: not a stopword, not a number, at least two letters."""
    word = token.text
    return word not in STOPWORDS and len(word) >= 2 and not word[0].isdigit()


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryDoc:
    """One distinct text of a story with its analysis.

    ``outlets`` are every outlet that published the text: its own and those of its copies.
    """

    article: int
    outlet: str
    published: datetime
    body: str
    facts: TextFacts
    dates: tuple[DateMention, ...]
    outlets: frozenset[str]


@dataclass(frozen=True, slots=True)
class TextTokens:
    """Tokens of one body and its content stems, in order."""

    tokens: tuple[Token, ...]
    stems: tuple[str, ...]


@lru_cache(maxsize=CACHE_SIZE)
def text_tokens(body: str) -> TextTokens:
    """Tokens and content stems of one body (cached): all that framing and log-odds need."""
    tokens = tuple(tokenize(body))
    return TextTokens(tokens, tuple(t.stem for t in tokens if is_content(t)))


@dataclass(frozen=True, slots=True)
class Extracted:
    """What extraction found in one article body; offsets index that body."""

    numbers: tuple[NumberMention, ...] = ()
    statements: tuple[Statement, ...] = ()
    dates: tuple[DateMention, ...] = ()


@dataclass(frozen=True, slots=True)
class _Layout:
    """Sentences of one body and which sentence holds each token."""

    token_starts: tuple[int, ...]
    sentences: tuple[tuple[int, int], ...]
    token_sentence: tuple[int, ...]
    sentence_stems: tuple[frozenset[str], ...]


@lru_cache(maxsize=CACHE_SIZE)
def _layout(body: str) -> _Layout:
    tokens = text_tokens(body).tokens
    sentences = tuple(sentence_spans(body))
    starts = [s for s, _ in sentences]
    token_sentence: list[int] = []
    per_sentence: list[set[str]] = [set() for _ in sentences]
    for token in tokens:
        index = bisect_right(starts, token.start) - 1
        if index >= 0 and token.start >= sentences[index][1]:
            index = -1  # between sentences (punctuation-only spans)
        token_sentence.append(index)
        if index >= 0 and is_content(token):
            per_sentence[index].add(token.stem)
    return _Layout(
        tuple(t.start for t in tokens),
        sentences,
        tuple(token_sentence),
        tuple(frozenset(s) for s in per_sentence),
    )


def text_facts(body: str, extracted: Extracted) -> TextFacts:
    """Tokens and sentences of one article body (cached) with what extraction found in it."""
    analysed = text_tokens(body)
    layout = _layout(body)
    return TextFacts(
        tokens=analysed.tokens,
        token_starts=layout.token_starts,
        sentences=layout.sentences,
        token_sentence=layout.token_sentence,
        sentence_stems=layout.sentence_stems,
        stems=analysed.stems,
        numbers=extracted.numbers,
        statements=extracted.statements,
    )


@lru_cache(maxsize=CACHE_SIZE)
def extract_from_text(body: str, published: date) -> Extracted:
    """Numbers, statements and dates of a body that has no stored extraction (cached).

    For callers without a store only (evaluation over corpus text, tests): the read side
    passes what ingest stored, with the speakers resolved over the whole article.
    """
    return Extracted(
        numbers=tuple(extract_numbers(body)),
        statements=tuple(extract_statements(body)),
        dates=tuple(find_dates(body, published)),
    )
