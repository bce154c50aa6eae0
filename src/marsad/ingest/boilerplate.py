"""Remove scraped page furniture from article bodies.

Scrapers pick up more than the article: the headline repeated under the body, sign-up
and share prompts, copyright and "read also" lines. :func:`strip_boilerplate` removes
those it can recognise in a single document; :class:`BoilerplateLearner` learns the lines
an outlet repeats across many of its documents.

Lines are compared by a *key*: the MATCH-folded line reduced to its words, so spelling
variants, diacritics and punctuation do not hide a repeat.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from marsad.data import load_text
from marsad.text.arabic import fold

# A prompt is a line, not a paragraph: the sign-up prompts seen in the wild run to ~20 words.
MAX_PROMPT_WORDS = 30
# Up to this length a line is a prompt wherever a phrase sits in it; longer ones only
# when they start or end with one ("اقرأ أيضا: ...", "... جميع الحقوق محفوظة"), so a news
# sentence that mentions "تسجيل الدخول" in passing stays.
_MAX_LOOSE_PROMPT_WORDS = 12
# Body lines repeated later are dropped only when this long (paragraphs, not refrains),
# or, when doubled in place, this long.
_MIN_REPEAT_WORDS = 12
_MIN_DOUBLED_WORDS = 3
# Lines with more spaces than this are paragraphs, never prompts: keyed without folding.
# The margin covers spaced punctuation ("- «"), which makes spaces outnumber words.
_PARAGRAPH_SPACES = MAX_PROMPT_WORDS + 5
_WORD = re.compile(r"\w+")
_BLANK_RUNS = re.compile(r"\n{3,}")
_COPYRIGHT_MARKS = ("©", "(c)", "(C)")


def line_key(line: str) -> str:
    """The comparison key of a line: its MATCH-folded words joined by single spaces."""
    return " ".join(_WORD.findall(fold(line)))


@dataclass(frozen=True, slots=True)
class _Phrases:
    anywhere: re.Pattern[str]  # a phrase as whole words anywhere in a key
    edge: re.Pattern[str]  # a phrase at the start or end of a key
    exact: frozenset[str]  # keys a line must equal


@cache
def _phrases() -> _Phrases:
    contained: list[str] = []
    exact: set[str] = set()
    for raw in load_text("boilerplate_ar.txt").splitlines():
        entry = raw.strip()
        if not entry or entry.startswith("#"):
            continue
        if entry.startswith("= "):
            exact.add(line_key(entry[2:]))
        else:
            contained.append(re.escape(line_key(entry)))
    alternatives = "|".join(sorted(contained, key=len, reverse=True))
    return _Phrases(
        anywhere=re.compile(f"(?:^| )(?:{alternatives})(?: |$)"),
        edge=re.compile(f"^(?:{alternatives})(?: |$)|(?:^| )(?:{alternatives})$"),
        exact=frozenset(exact),
    )


def is_prompt(line: str, key: str | None = None) -> bool:
    """Whether a line is a short sign-up, share, copyright or "read also" prompt.

    Args:
        line: The line as displayed.
        key: Its :func:`line_key`, when already computed.
    """
    key = line_key(line) if key is None else key
    words = key.count(" ") + 1
    if not key or words > MAX_PROMPT_WORDS:
        return False
    phrases = _phrases()
    if key in phrases.exact or any(mark in line for mark in _COPYRIGHT_MARKS):
        return True
    pattern = phrases.anywhere if words <= _MAX_LOOSE_PROMPT_WORDS else phrases.edge
    return pattern.search(key) is not None


def strip_boilerplate(
    text: str,
    *,
    title: str = "",
    is_learned: Callable[[str], bool] | None = None,
) -> tuple[str, list[str]]:
    """Remove boilerplate lines from an article body.

    Removed:

    * *junk* anywhere: short prompt lines (:func:`is_prompt`) and lines whose key
      ``is_learned`` accepts;
    * the *tail*: the trailing run of junk, blank or punctuation-only lines, and
      headline copies: lines equal to the title or to the first line, or doubled (equal
      to the line next to them), as when a page's headline is scraped twice under the body;
    * later copies of a paragraph (12+ words) repeated in the body, and of a line of 3+
      words doubled in place. Shorter repeats stay: refrains, datelines and formulae
      ("وقد أعد مرسوم ملكي بذلك") legitimately recur.

    The first line with words always stays unless it is junk, so a one-line article equal
    to its title keeps its text.

    Args:
        text: The DISPLAY-cleaned body, paragraphs separated by newlines.
        title: The article title, if known.
        is_learned: Optional test of a line key (:func:`line_key`) against boilerplate
            learned elsewhere, e.g. :meth:`BoilerplateLearner.is_boilerplate`.

    Returns:
        The cleaned body and the removed lines (stripped), in document order.
    """
    lines = text.split("\n")
    keys = [_cheap_key(line) for line in lines]
    content = [index for index, key in enumerate(keys) if key]
    if not content:
        return text.strip(), []
    junk = [
        bool(key) and (is_prompt(line, key) or (is_learned is not None and is_learned(key)))
        for line, key in zip(lines, keys, strict=True)
    ]
    twin = [False] * len(lines)  # equal to the previous or next line with words
    for previous, current in itertools.pairwise(content):
        if keys[current] == keys[previous]:
            twin[previous] = twin[current] = True
    headline_keys = {keys[content[0]], line_key(title)} - {""}
    tail_start = len(lines)
    for index in range(len(lines) - 1, content[0], -1):
        key = keys[index]
        if key and not (junk[index] or twin[index] or key in headline_keys):
            break
        tail_start = index

    first_seen: dict[str, int] = {}
    for index, key in enumerate(keys):
        first_seen.setdefault(key, index)
    removed_at = [
        index
        for index, (line, key) in enumerate(zip(lines, keys, strict=True))
        if line.strip()
        and (
            index >= tail_start
            or junk[index]
            or (first_seen[key] < index and _is_repeat(key, twin[index]))
        )
    ]
    if not removed_at:
        return text.strip(), []  # the common case: nothing to rebuild
    drop = set(removed_at)
    kept = "\n".join(line for index, line in enumerate(lines) if index not in drop)
    return _BLANK_RUNS.sub("\n\n", kept).strip(), [lines[index].strip() for index in removed_at]


def _is_repeat(key: str, twin: bool) -> bool:
    """Whether a later copy of a line goes: a paragraph, or a line doubled in place."""
    words = key.count(" ") + 1
    return words >= _MIN_REPEAT_WORDS or (twin and words >= _MIN_DOUBLED_WORDS)


def _cheap_key(line: str) -> str:
    """:func:`line_key`, without folding for lines sure to be paragraphs.

    Folding only matters to match prompts and titles, which are short; paragraphs are
    compared only with their own copies, so whitespace-normalised text serves and saves
    folding most of an article.
    """
    if line.count(" ") > _PARAGRAPH_SPACES:
        return " ".join(line.split())
    return line_key(line)


class BoilerplateLearner:
    """Learns the lines an outlet repeats across its documents (footers, bylines, menus).

    For each source it counts, per distinct short line key, how many documents contain
    it; a line is boilerplate for a source once it is in at least ``min_docs`` of its
    documents and in at least ``min_share`` of them. The share keeps topical lines out
    (a recipe's "ملعقة صغيرة من الملح" recurs in a few of thousands of documents; a
    footer recurs in most). Memory stays bounded: when a source's table passes ``max_entries``,
    the rarest keys are dropped (lines seen once are the vast majority and the least
    likely to be boilerplate). Keys are stored as 64-bit hashes.

    Documents observed before a line reaches ``min_docs`` keep it; callers that need
    every copy gone can observe a sample first, then strip.
    """

    def __init__(
        self, *, min_docs: int = 5, min_share: float = 0.02, max_entries: int = 20_000
    ) -> None:
        """Create an empty learner.

        Args:
            min_docs: Distinct documents of one source a line must appear in.
            min_share: Share of the source's observed documents it must appear in.
            max_entries: Line hashes kept per source before the rarest are pruned.
        """
        if min_docs < 2:
            raise ValueError("min_docs must be at least 2: one document proves nothing")
        self.min_docs = min_docs
        self.min_share = min_share
        self.max_entries = max_entries
        self._counts: dict[str, dict[int, int]] = {}
        self._documents: dict[str, int] = {}

    def observe(self, source: str, text: str) -> None:
        """Count the distinct short lines of one document of ``source``."""
        table = self._counts.setdefault(source, {})
        self._documents[source] = self._documents.get(source, 0) + 1
        hashes = {
            _hash(key)
            for key in map(_cheap_key, text.split("\n"))
            if key and key.count(" ") < MAX_PROMPT_WORDS
        }
        for digest in hashes:
            table[digest] = table.get(digest, 0) + 1
        if len(table) > self.max_entries:
            self._prune(table)

    def is_boilerplate(self, source: str, key: str) -> bool:
        """Whether the line with this key (see :func:`line_key`) is learned for ``source``."""
        table = self._counts.get(source)
        if not table or not key or key.count(" ") >= MAX_PROMPT_WORDS:
            return False
        needed = max(self.min_docs, self.min_share * self._documents[source])
        return table.get(_hash(key), 0) >= needed

    def strip(self, text: str, *, source: str, title: str = "") -> tuple[str, list[str]]:
        """:func:`strip_boilerplate` plus the lines learned for ``source``."""
        return strip_boilerplate(
            text, title=title, is_learned=lambda key: self.is_boilerplate(source, key)
        )

    def _prune(self, table: dict[int, int]) -> None:
        """Drop the rarest keys until the table is at most half full."""
        threshold = 2
        while len(table) > self.max_entries // 2:
            for digest in [d for d, count in table.items() if count < threshold]:
                del table[digest]
            threshold += 1


def _hash(key: str) -> int:
    # Stable across processes (unlike hash()), so counts could be persisted and merged.
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big")
