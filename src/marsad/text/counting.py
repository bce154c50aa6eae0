"""Arabic counted nouns: "5 قصص", "مقال واحد", "مقالان", "12 مقالاً", "100 مقال".

Arabic numerals govern the noun they count: 1 and 2 are said with the noun itself (the
singular with واحد, the dual); 3-10 take the genitive plural; 11-99 the accusative singular;
round hundreds and thousands the genitive singular. For a larger number the last two digits
decide (103 مقالات، 112 مقالاً، 101 مقال). Noun forms live in ``data/counted_nouns_ar.json``;
every count Marsad prints in Arabic (CLI, HTML report, web pages) goes through
:func:`count_phrase`.
"""

from __future__ import annotations

from functools import cache

from marsad.data import load_json

DUAL = 2  # 1 and 2 are said with the noun alone (مقال واحد، مقالان)
FIRST_PLURAL = 3  # 3..10 take the plural, 11..99 the accusative singular
LAST_PLURAL = 10


@cache
def _nouns() -> dict[str, dict[str, str]]:
    raw = load_json("counted_nouns_ar.json")
    return {key: value for key, value in raw.items() if not key.startswith("_")}


def count_phrase(count: int, noun: str) -> str:
    """A count with its noun in the form Arabic grammar requires.

    Args:
        count: How many (0 or more).
        noun: A key of ``data/counted_nouns_ar.json``: ``article``, ``story``, ``outlet``...

    Returns:
        The phrase, digits first: ``count_phrase(5, "story") == "5 قصص"``,
        ``count_phrase(1, "article") == "مقال واحد"``, ``count_phrase(12, "article") ==
        "12 مقالاً"``, ``count_phrase(100, "article") == "100 مقال"``.

    Raises:
        ValueError: an unknown noun or a negative count.
    """
    forms = _nouns().get(noun)
    if forms is None:
        raise ValueError(f"unknown counted noun {noun!r}; expected one of {sorted(_nouns())}")
    if count < 0:
        raise ValueError(f"a count must be 0 or more, got {count}")
    if count == 0:
        return forms["none"]
    if count == 1:
        return forms["one"]
    if count == DUAL:
        return forms["two"]
    tail = count % 100  # 103 counts like 3, 112 like 12; 100, 101, 102 take the singular
    if FIRST_PLURAL <= tail <= LAST_PLURAL:
        return f"{count} {forms['plural']}"
    if tail > LAST_PLURAL:
        return f"{count} {forms['accusative']}"
    return f"{count} {forms['singular']}"


def noun_forms(noun: str) -> dict[str, str]:
    """The forms of one counted noun (``one``, ``two``, ``plural``, ``accusative``,
    ``singular``, ``none``), for a page script that counts in the browser."""
    forms = _nouns().get(noun)
    if forms is None:
        raise ValueError(f"unknown counted noun {noun!r}; expected one of {sorted(_nouns())}")
    return dict(forms)


def counted_nouns() -> list[str]:
    """The nouns :func:`count_phrase` knows."""
    return sorted(_nouns())
