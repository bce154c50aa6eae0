"""Wire attribution: which news agency an article credits in its byline, dateline or signature.

Arabic outlets carry agency copy under a byline or dateline (``الرياض - واس``،
``أ ف ب- بروكسل:``، ``عمان (رويترز) -``) or end it with a signature (``«رويترز»``،
``(الفرنسية)``). An agency named inside the text (``قال لوكالة رويترز``) is a source the
outlet quotes, not a credit, and is not detected. The agencies and their forms are data
(``data/agencies.json``).

Reads: an article's title and body (any profile). Produces: the agency id, or None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from marsad.data import load_json
from marsad.text import arabic

HEAD_CHARS = 120  # a byline or dateline sits in the first line or two
TAIL_CHARS = 60  # a signature closes the last line
RAW_MARGIN = 3  # raw characters read per prepared one (runs of spaces)
MAX_WORDS_BEFORE_DATELINE = 3  # «عمان (رويترز) -»: a place, then the bracketed agency
MAX_WORDS_BEFORE_BYLINE = (
    6  # Arabic words; «عبدالله البرقاوي- سبق- الرياض:» is a byline; a sentence is not
)
# What separates the fields of a byline: dashes (the tatweel doubles as one), colon,
# slash, comma, brackets and quotes, line breaks.
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u0640"
_OPENERS = "(«\"\u201c\u201d'\u2018[" + "\u00ab"
_CLOSERS = ")»\"\u201d\u201c'\u2019]" + "\u00bb"
_FIELD_END = _DASHES + _CLOSERS + ":/,،\n."


@dataclass(frozen=True, slots=True, kw_only=True)
class Agency:
    """A news agency as listed in ``data/agencies.json``."""

    id: str
    name_ar: str
    name_en: str
    country: str
    outlet: str | None = None  # the watched outlet that is this agency (SaudiNewsNet's ``was``)
    generic: bool = False  # «وكالات»: credits agencies without naming one


@dataclass(frozen=True, slots=True)
class _Patterns:
    byline: re.Pattern[str]  # a form standing as a field at the head
    signature: re.Pattern[str]  # a form bracketed, quoted or dashed at the very end
    agency_of: dict[str, str]  # folded form -> agency id


@cache
def agencies() -> dict[str, Agency]:
    """The bundled agencies by id."""
    return {a.id: a for a in _load()[0]}


def _load() -> tuple[list[Agency], _Patterns]:
    raw = load_json("agencies.json")
    listed: list[Agency] = []
    forms: dict[str, str] = {}
    signature_only: dict[str, str] = {}
    for entry in raw["agencies"]:
        listed.append(
            Agency(
                id=entry["id"],
                name_ar=entry["name_ar"],
                name_en=entry["name_en"],
                country=entry.get("country", ""),
                outlet=entry.get("outlet"),
                generic=bool(entry.get("generic", False)),
            )
        )
        for form in entry["forms"]:
            forms[_key(form)] = entry["id"]
        for form in entry.get("signature_forms", ()):
            signature_only[_key(form)] = entry["id"]
    return listed, _Patterns(
        byline=_form_pattern(forms),
        signature=_form_pattern({**forms, **signature_only}),
        agency_of={**forms, **signature_only},
    )


@cache
def _patterns() -> _Patterns:
    return _load()[1]


def _key(form: str) -> str:
    """A form as matched: folded, dots and spaces between letters made one space."""
    folded = arabic.fold(form)
    return " ".join(re.sub(r"[.\u066b]", " ", folded).split())


def _form_pattern(forms: dict[str, str]) -> re.Pattern[str]:
    # Longest first, so «وكالة الأنباء السعودية» wins over a shorter form inside it.
    alternatives = sorted(forms, key=len, reverse=True)
    body = "|".join(
        r"[ .]+".join("".join(map(_spellings, word)) for word in form.split(" "))
        for form in alternatives
    )
    return re.compile(rf"(?<![\w])(?:{body})(?![\w])", re.IGNORECASE)


@cache
def _spellings(letter: str) -> str:
    """A regex class of every letter that folds to ``letter`` (ا: ا أ إ آ ٱ ...), so the
    text is matched as written: folding whole texts cost more than the rest of detection."""
    variants = {letter} | {
        ch for ch in _ARABIC_CANDIDATES if len(folded := arabic.fold(ch)) == 1 and folded == letter
    }
    if len(variants) == 1:
        return re.escape(letter)
    return "[" + "".join(re.escape(v) for v in sorted(variants)) + "]"


_ARABIC_CANDIDATES = [chr(cp) for cp in range(0x0600, 0x0700)]
_SPACES = re.compile(r"[^\S\n]+")


def _prepare(text: str) -> str:
    """One space for every run of spaces but line breaks; no empty lines."""
    return "\n".join(filter(None, (line.strip() for line in _SPACES.sub(" ", text).split("\n"))))


def detect_agency(title: str, body: str) -> str | None:
    """The agency an article credits as its source, or None.

    Args:
        title: the article's title.
        body: the article's text, boilerplate included or not.

    Returns:
        The agency id of ``data/agencies.json`` (``"was"``, ``"reuters"``...), or None.

    Example:
        >>> detect_agency("", "جدة - واس\\nالتقى صاحب السمو الملكي...")
        'was'
    """
    patterns = _patterns()
    body = body.strip()
    # Only the ends are read; runs of spaces shrink, so cut generously first.
    head = _prepare(body[: RAW_MARGIN * HEAD_CHARS]).strip()[:HEAD_CHARS]
    tail = _prepare(body[-RAW_MARGIN * TAIL_CHARS :]).strip()[-TAIL_CHARS:]
    return (
        _byline(head, patterns)
        or _signature(tail, patterns)
        or _signature(_prepare(title).strip(), patterns)
    )


def _byline(head: str, patterns: _Patterns) -> str | None:
    found: list[str] = []
    for match in patterns.byline.finditer(head):
        before = head[: match.start()].rstrip(" ")
        after = head[match.end() :].lstrip(" ")
        words_before = _arabic_words(before)
        if words_before > MAX_WORDS_BEFORE_BYLINE:
            break
        # A quote or bracket opens a byline field only right at the start: further in,
        # «لوكالة "سبوتنيك"» quotes a source. Scraped navigation («Next Previous») may
        # precede the byline: no Arabic yet means nothing of the article has begun.
        near_start = words_before <= MAX_WORDS_BEFORE_DATELINE
        opens_field = (
            not before
            or before[-1] in _DASHES + ":\n"
            or (before[-1] in _OPENERS and near_start)
            or not words_before
        )
        closes_field = not after or after[0] in _FIELD_END
        after_dash = bool(before) and before[-1] in _DASHES
        # «( الوكالات العالمية رويترز )»: a short bracketed credit names its agency anywhere.
        group_start, group = _bracket_around(head, match.start(), match.end())
        in_brackets = bool(
            _SHORT_BRACKETS.fullmatch(group)
            and _arabic_words(head[:group_start]) <= MAX_WORDS_BEFORE_DATELINE
        )
        if (opens_field and closes_field) or after_dash or in_brackets:
            found.append(patterns.agency_of[_key(match.group())])
    return _most_specific(found)


_ARABIC = re.compile(f"[{arabic.ARABIC_LETTERS}]")
_SHORT_BRACKETS = re.compile(r"\(\s*(?:\S+\s+){0,4}\S+\s*\)")


def _arabic_words(text: str) -> int:
    return sum(bool(_ARABIC.search(word)) for word in text.split())


def _bracket_around(text: str, start: int, end: int) -> tuple[int, str]:
    """Where the round-bracket group enclosing text[start:end] on its line opens, and the
    group; (0, '') when there is none."""
    opening = text.rfind("(", 0, start)
    closing = text.find(")", end)
    if opening < 0 or closing < 0 or "\n" in text[opening:closing] or ")" in text[opening:start]:
        return 0, ""
    return opening, text[opening : closing + 1]


def _most_specific(found: list[str]) -> str | None:
    """The first named agency, else a generic credit («وكالات»), else None."""
    named = [a for a in found if not agencies()[a].generic]
    chosen = named or found
    return chosen[0] if chosen else None


def _signature(tail: str, patterns: _Patterns) -> str | None:
    tail = tail.rstrip(" .\n")
    for match in patterns.signature.finditer(tail):
        before = tail[: match.start()].rstrip(" ")
        after = tail[match.end() :].strip(" ")
        # «رويترز» or (واس) closed at the very end, or «- واس»; a closing quote of an
        # earlier word (و«داعش» معا) does not open a signature.
        bracketed = bool(before) and before[-1] in _OPENERS and bool(after) and after in _CLOSERS
        dashed = bool(before) and before[-1] in _DASHES and not after
        if bracketed or dashed:
            return patterns.agency_of[_key(match.group())]
    return None
