"""Value objects passed between pipeline stages.

Stages exchange these frozen dataclasses and plain ids; only ``pipeline.py`` and the
store know how they are persisted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple


@dataclass(frozen=True, slots=True, kw_only=True)
class RawArticle:
    """One article as read from a file or feed, before any analysis.

    ``text`` is already decoded and cleaned to the DISPLAY profile (original spelling,
    control characters removed) but still contains boilerplate.
    """

    ext_id: str | None  # id given by the input (jsonl/csv ``id``), if any
    source: str  # outlet name; "unknown" when the input does not say
    date: datetime | None  # publication (or crawl) time, naive UTC
    title: str
    text: str
    url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # unknown input fields, kept
    origin: str = ""  # "path:line" or "path" for error messages and provenance
    # What reading changed in a kept record (an unusable date, removed surrogates), each a
    # clause saying what to fix; the CLI prints them as one stderr line per record.
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Skipped:
    """A record that could not be ingested, with a one-line reason saying what to do."""

    origin: str
    reason: str
    ignored: bool = False  # a note (files that are not news input), not an error


class Token(NamedTuple):
    """A MATCH-profile token and the span it came from in the original text.

    A named tuple, not a dataclass: the tokenizer builds millions of them, and a tuple is
    built about twice as fast (the text layer is the pipeline's hottest loop).
    """

    text: str  # folded, proclitics and article removed
    start: int  # offset into the original string
    end: int
    stem: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Sentence:
    """A sentence span in an article body."""

    start: int
    end: int
    text: str  # DISPLAY text of the sentence (original spelling)


@dataclass(slots=True, kw_only=True)
class Analysis:
    """Derived MATCH-profile data of one article body (never shown to users)."""

    tokens: list[Token]
    sentences: list[Sentence]
    stems: list[str]  # content stems (stopwords and digits removed), in order
    match_text: str  # space-joined MATCH tokens, what FTS indexes
