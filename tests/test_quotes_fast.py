"""The fast cue scan of extract_statements finds exactly what the full cue regex finds."""

from __future__ import annotations

import dataclasses
import gzip
import json
import random
import re
from itertools import islice
from pathlib import Path

import pytest

from marsad.extract import quotes
from marsad.extract.quotes import (
    _find_cues,
    _index_breaks,
    _is_break,
    _lexicon,
    _read_sections,
    extract_statements,
)
from marsad.text.arabic import fold_mapped, sentence_spans

SAUDINEWSNET = Path(__file__).resolve().parents[2] / "shared/data/saudinewsnet"
FIRST_KEPT_APART_DAY = "2015-08-04"


def _folded(text: str) -> str:
    # The form extract_statements scans: one folded character per original character.
    return fold_mapped(text, first_only=True)[0]


def _spans(matches: list[re.Match[str]]) -> list[tuple[int, int, str | None, str | None, str]]:
    return [(m.start(), m.end(), m.group("cue"), m.group("attr"), m.group("conj")) for m in matches]


def _assert_same_cues(text: str) -> None:
    folded = _folded(text)
    expected = _spans(list(_lexicon().cue_re.finditer(folded)))
    assert _spans(_find_cues(folded)) == expected, text


INVENTED = [
    "قال الوزير إن الاجتماع ناجح.",  # at text start
    "وقال الوزير إن الاجتماع ناجح، وأضاف أن الجولة القادمة قريبة.",  # و before the cue
    "فقال المتحدث إن القرار نهائي.",  # ف before the cue
    "انتهى الاجتماع.وأكدت الوزارة أن الحوار مستمر",  # right after a full stop
    "انتهى الاجتماع،وأشار المسؤول إلى أن الوفد غادر",  # after an Arabic comma
    "وفي ختام اللقاء: قالت الوزيرة «إن العمل مستمر»",  # after a colon
    'وكتب "قال الرجل إن الأمر انتهى" في مقاله',  # inside straight quotes
    "ونقل عنه «وأوضح أن اللجنة ستجتمع غدا» كما ذكر",  # inside guillemets
    "(قال المصدر إن الطائرة هبطت)",  # after an opening parenthesis
    "الاستقالة والانتقال والمقال ليست أقوالا",  # cue letters inside longer words
    "بحسب ما أعلنت الشرطة، فإن الحادث وقع ليلا.",  # attribution of several words
    "وبحسب المصادر فإن الاجتماع تأجل، حسبما أفادت الوكالة.",
    "نقلا عن مصادر مطلعة قال المسؤول إنه لا يعلم",  # attribution then a cue
    "وفقا للتقرير وطبقا للقانون ووفق الخطة",
    "أكد؛ أكدت: مؤكدا، مؤكدة. مشيرين",  # participles and punctuation after the cue
    "قال.قال(قال)قال",  # no separator after the cue: no match
    "وأضاف\tقائلا\nوتابع",  # tabs and line breaks
    "مضيفا",  # the whole text is a cue
    "",  # nothing
]


@pytest.mark.parametrize("text", INVENTED)
def test_fast_scan_finds_every_cue_of_the_full_regex(text: str) -> None:
    _assert_same_cues(text)


def test_fast_scan_finds_every_cue_form_in_every_place() -> None:
    """Every cue form of the lexicon, bare and after و/ف, at the start, after each separator
    the regex allows, after a quotation mark it does not allow, and glued to a word."""
    cues = _read_sections("cue_verbs_ar.txt")
    forms = sorted(
        {w for section in cues.values() for w in section}
        | {w + "ت" for section in ("verbs", "verbs_in", "relay") for w in cues[section]}
    )
    assert len(forms) > 50
    found = 0
    for form in forms:
        for conj in ("", "و", "ف"):
            word = conj + form
            for text in (
                f"{word} الوزير إن",
                f"وفي ذلك، {word} الوزير إن",
                f"انتهى.{word} الوزير",
                f"الوزير:{word}",
                f'يقول "{word}" هنا',
                f"«{word} الوزير»",
                f"({word} ما",
                f"كتب{word} الوزير",
                f"{word}{word} {word}",
            ):
                folded = _folded(text)
                _assert_same_cues(text)
                found += len(_find_cues(folded))
    assert found > len(forms) * 3  # the forms really are cues, the test exercises matches


def test_fast_scan_matches_the_regex_on_random_texts() -> None:
    """Random runs of cue forms, ordinary words and separators (overlapping attributions
    such as بحسب ما أعلن, glued proclitics, punctuation without spaces)."""
    pieces = [
        "قال",
        "وقال",
        "فقالت",
        "بحسب",
        "حسب",
        "ما",
        "نقلا",
        "عن",
        "وفق",
        "مشيرا",
        "الى",
        "ان",
        "الوزير",
        "انتقال",
        "واكد",
        "اكدت",
        "و",
        "ف",
    ]
    separators = [" ", "  ", ",", "، ", ".", ":", ";", '"', "(", ")", "«", "»", "\n", "-"]
    rng = random.Random(22)
    for _ in range(3000):
        parts = []
        for _ in range(rng.randint(1, 12)):
            parts.append(rng.choice(pieces))
            parts.append(rng.choice(separators) if rng.random() < 0.9 else "")
        _assert_same_cues("".join(parts))


def test_fast_scan_skips_a_cue_inside_an_earlier_match(monkeypatch: pytest.MonkeyPatch) -> None:
    """An attribution of several words ending in a cue word (a toy «كما قال») is one match
    for finditer; the scan must not report its last word again."""
    toy = re.compile(
        r'(?:^|(?<=[\s,;:."(]))(?P<conj>[وف]?)(?:(?P<cue>قال)|(?P<attr>كما قال))(?=[\s,;:"]|$)'
    )
    runs = frozenset(conj + word for word in ("قال", "كما") for conj in ("", "و", "ف"))
    lexicon = dataclasses.replace(_lexicon(), cue_re=toy, cue_runs=runs)
    monkeypatch.setattr(quotes, "_lexicon", lambda: lexicon)
    text = "وكما قال الوزير، قال المتحدث"
    expected = _spans(list(toy.finditer(text)))
    assert [m[3] for m in expected] == ["كما قال", None]
    assert _spans(_find_cues(text)) == expected


def _old_is_break(
    words: list[str], index: int, breaks: dict[str, tuple[tuple[str, ...], ...]]
) -> bool:
    # The former definition, kept as the reference for the prefix shortcut.
    word = words[index]
    for phrase in breaks.get(word, ()) + breaks.get("*", ()):
        if index + len(phrase) > len(words):
            continue
        last = len(phrase) - 1
        if all(
            words[index + k] == part
            or (k == last and part.endswith("*") and words[index + k].startswith(part[:-1]))
            for k, part in enumerate(phrase)
        ):
            return True
    return False


def test_break_prefix_shortcut_agrees_with_the_phrase_walk() -> None:
    lex = _lexicon()
    entries = _read_sections("speaker_words_ar.txt")["breaks"]
    assert lex.breaks == _index_breaks(entries)
    assert lex.break_prefixes  # the shortcut has prefixes to test
    words = sorted({w.rstrip("*") for e in entries for w in e.split()})
    words += [w + "ها" for w in words] + ["الوزير", "قال", "", "*"]
    for word in words:
        assert _is_break([word], 0, lex) == _old_is_break([word], 0, lex.breaks), word
    for entry in entries:
        phrase = [w.rstrip("*") + "ات" for w in entry.split()] + ["الوزير"]
        for index in range(len(phrase)):
            assert _is_break(phrase, index, lex) == _old_is_break(phrase, index, lex.breaks)


def test_sentences_given_by_the_caller_give_the_same_statements() -> None:
    text = (
        "وقال وزير الخارجية إن المحادثات كانت مثمرة. وأضاف أن الجولة المقبلة ستعقد في جدة.\n"
        "من جهته، أكد المتحدث باسم الوزارة «أن الاتفاق سيوقع قريبا جدا في العاصمة»."
    )
    alone = extract_statements(text)
    assert len(alone) >= 2
    assert extract_statements(text, sentence_spans(text)) == alone


def _july_bodies(limit: int) -> list[str]:
    path = SAUDINEWSNET / "saudinewsnet.jsonl.gz"
    kept_apart = set((SAUDINEWSNET / "kept_apart_ids.txt").read_text().split())
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        records = (json.loads(line) for line in lines)
        return [
            r["text"]
            for r in islice(
                (
                    r
                    for r in records
                    if r["date"][:10] < FIRST_KEPT_APART_DAY and r["id"] not in kept_apart
                ),
                limit,
            )
        ]


@pytest.mark.skipif(
    not (SAUDINEWSNET / "saudinewsnet.jsonl.gz").exists(),
    reason="needs ../shared/data/saudinewsnet (the shared corpus is not checked out here)",
)
def test_fast_scan_matches_the_regex_on_news_articles() -> None:
    bodies = _july_bodies(300)
    assert len(bodies) == 300
    total = 0
    for body in bodies:
        _assert_same_cues(body)
        total += len(_find_cues(_folded(body)))
    assert total > 300  # news articles are full of cues


def _old_matching_quote(text: str, opening: int) -> int | None:
    """The character-by-character walk that ``quotes._matching_quote`` replaced."""
    mark = text[opening]
    closing = quotes._CLOSING.get(mark)
    if closing is None:
        return None
    alternative = quotes._DOUBLE_PRIME if mark in '“"' else closing
    depth = 1
    for index in range(opening + 1, min(len(text), opening + quotes.MAX_QUOTE_CHARS)):
        ch = text[index]
        if ch == "\n":
            return None
        if mark == '"' and ch == '"':
            before = text[index - 1]
            after = text[index + 1] if index + 1 < len(text) else " "
            opens = (before.isspace() or before in "(:") and not after.isspace()
            depth += 1 if opens else -1
        elif ch in (closing, alternative):
            depth -= 1
        elif ch == mark:
            depth += 1
        if depth == 0:
            return index
    return None


def test_quote_closing_jump_agrees_with_the_character_walk() -> None:
    chooser = random.Random(25)
    alphabet = '«»“”„"()\u2033\n ::(ab قال'
    checked = closing_found = 0
    for _ in range(3000):
        text = "".join(chooser.choices(alphabet, k=chooser.randint(1, 40)))
        for opening in range(len(text)):
            expected = _old_matching_quote(text, opening)
            assert quotes._matching_quote(text, opening) == expected, (text, opening)
            checked += 1
            closing_found += expected is not None
    # a quotation longer than the limit has lost its closing mark
    long = "«" + "ب" * quotes.MAX_QUOTE_CHARS + "»"
    assert quotes._matching_quote(long, 0) is None
    assert quotes._matching_quote(long[:-3] + "»", 0) == quotes.MAX_QUOTE_CHARS - 1
    assert checked > 10_000 and closing_found > 1_000
