"""The one offset-keeping fold (text.arabic.fold_mapped) gives what dates and quotes each
computed their own way before, on tricky strings and on the sample articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.text.arabic import fold, fold_mapped

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
TRICKY = [
    "",
    "بسم",
    "أمسِ  الأول ـ ٢٨ ﻻ",  # diacritic, double space, tatweel, Arabic digits, ligature
    "قال… «نعم»\u00a0\tو\u200cلا",  # ellipsis expands, NBSP, tab, ZWNJ is removed
    "مُحَمَّدٌ وَ عَلِيّ",
]


def _per_character(text: str, *, first_only: bool) -> tuple[str, list[int]]:
    """Reference: fold each character alone, whitespace as one space."""
    folded: list[str] = []
    offsets: list[int] = []
    for index, ch in enumerate(text):
        out = " " if ch.isspace() else fold(ch)
        if first_only:
            out = out[:1]
        folded.append(out)
        offsets.extend([index] * len(out))
    return "".join(folded), offsets


def _texts() -> list[str]:
    if not SEEDS.is_dir():
        return TRICKY
    return TRICKY + [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*"))[:5]]


@pytest.mark.parametrize("first_only", [False, True])
def test_fold_mapped_equals_folding_each_character_alone(first_only: bool) -> None:
    for text in _texts():
        folded, offsets = fold_mapped(text, first_only=first_only)
        assert (folded, list(offsets)) == _per_character(text, first_only=first_only)


def test_first_only_keeps_one_folded_character_per_source_character() -> None:
    text = TRICKY[3]
    folded, offsets = fold_mapped(text, first_only=True)
    assert len(set(offsets)) == len(offsets) == len(folded)
    expanded, _ = fold_mapped(text)
    assert "..." in expanded and "..." not in folded  # the ellipsis kept one dot
    assert all(isinstance(o, int) for o in offsets)  # stored as offsets: plain ints


def test_fold_mapped_collapses_to_fold() -> None:
    for text in TRICKY:
        folded, _ = fold_mapped(text)
        assert " ".join(folded.split()) == fold(text)


# Beyond the BMP (an emoji), a lone surrogate, a character first seen here (Ethiopic).
ODD = ["ابتسم 😀 اليوم", "نص\ud83dمقطوع", "ሰላም، أهلاً", "x" * 3]


@pytest.mark.parametrize("first_only", [False, True])
def test_numpy_translation_equals_str_translate(first_only: bool) -> None:
    from marsad.text.arabic import _CHAR_FOLDS, _translate

    table = _CHAR_FOLDS[first_only]
    for text in [*_texts(), *ODD]:
        assert _translate(text, table) == text.translate(table)
        assert _translate(text, table) == text.translate(table), "again, with the table filled"
    assert fold_mapped(ODD[0])[0] == ODD[0].translate(table).replace("\0", "")


def test_fold_of_short_and_long_strings_is_the_uncached_fold() -> None:
    from marsad.text.arabic import FOLD_CACHED_CHARS, _fold

    words = [w for text in _texts() for w in text.split()] + ODD
    long_text = " ".join(words)
    assert len(long_text) > FOLD_CACHED_CHARS and any(len(w) <= FOLD_CACHED_CHARS for w in words)
    for text in [*words, *words, long_text, *TRICKY]:
        assert fold(text) == _fold(text)
    assert fold("أحمدُ") == "احمد"
