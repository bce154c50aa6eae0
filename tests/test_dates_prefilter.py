"""The shortcuts of ``find_dates`` never drop a match: the substring and whole-word
prefilters of the patterns, and matching day numbers only where a digit run or an ordinal
begins."""

from __future__ import annotations

import itertools
import random
import re
from datetime import date

import pytest

from marsad.text import dates
from marsad.text.arabic import fold_mapped

DAYS = ("3", "٣", "28", "٢٨", "1.5", "الأول من", "الحادي عشر من", "الثامن  من", "الثلاثين من")
MONTHS = ("يوليو", "تموز", "كانون الثاني", "كانون  الأول", "آب/أغسطس", "آذار (مارس)", "شوال", "صفر")
TAILS = ("", " 2015", " ٢٠١٥م", " 1436هـ", " الماضي", " المقبل", "، ")
OTHERS = (
    "2015-07-31",
    "٣١/٧/٢٠١٥",
    "1436/10/15 هـ",
    "31 . 7 . 2015",
    "يوم الأربعاء الموافق 20-10-1436هـ",
    "الخميس المقبل",
    "وبالجمعة",
    "يومي الجمعة والسبت",
    "منذ 3 أيام",
    "قبل يومين",
    "قبل أسبوع",
    "الشهر الماضي",
    "في الأسبوع المقبل",
    "مطلع العام الجاري",
    "أول من أمس",
    "امس الاول",
    "بعد غد",
    "غداً",
    "اليوم",
    "منتصف عام 2014",
    "15 من الشهر الجاري",
    "الثامن من الشهر المقبل",
    "الأسبوع الأول من أغسطس",
    "الساعة 10:30",
    "3-4",
    "12 مليون",
    # proclitics and the article glued to the words the whole-word prefilter looks for
    "والخميس الماضي",
    "فالجمعة",
    "للسبت (الأحد)",
    "وبالأمس",
    "فليوم غد",
    "وللعام المقبل",
    "بالشهر الماضي",
    "ومنذ يومين",
    "أواخر سنة 2014م",
    "(اليوم)",
    "كانون\nالثاني الماضي",
    "28نوفمبر",
    "30و31تموز الماضي",
    "3-4آب/أغسطس",
)
FILLER = ("قال الوزير", "في الرياض", "،", ".", "\n", "وأضاف", "من", "و")


def _sentences() -> list[str]:
    found = [f"{day} {month}{tail}" for day, month, tail in itertools.product(DAYS, MONTHS, TAILS)]
    found += [
        f"{day} و{day2} {month}" for day, day2, month in zip(DAYS, DAYS[1:], MONTHS, strict=False)
    ]
    found += list(OTHERS)
    return found


def _texts() -> list[str]:
    """Invented sentences alone and mixed with each other and with filler words."""
    sentences = _sentences()
    chooser = random.Random(22)
    texts = list(sentences)
    for _ in range(300):
        parts = chooser.sample(sentences, 3) + chooser.sample(FILLER, 2)
        chooser.shuffle(parts)
        texts.append(" ".join(parts))
    # Digits glued to each other and to letters: where a day number can and cannot begin.
    alphabet = "0123456789٠١٢٣٤٥٦٧٨٩-/.,  من الأول يوليو شهر"
    texts += ["".join(chooser.choices(alphabet, k=60)) for _ in range(300)]
    return texts


TEXTS = _texts()


@pytest.mark.parametrize(
    "name",
    [
        "day_month",
        "day_of_month",
        "weekday",
        "day_word",
        "year_part",
        "period",
        "month_only",
        "ago",
    ],
)
def test_a_text_without_the_needed_words_has_no_match(name: str) -> None:
    lex = dates._lexicon()
    pattern = getattr(lex, name)
    needed_runs = dates._needed_runs()[pattern]
    matched = glued = 0
    for text in TEXTS:
        folded = fold_mapped(text)[0]
        if not pattern.search(folded):
            continue
        matched += 1
        runs = set(dates._WORD_RUN.findall(folded))
        if any(runs.isdisjoint(required) for required in needed_runs):
            # only a day-month match may have its month glued to the day (28نوفمبر)
            assert pattern is lex.day_month, (name, text)
            assert dates._month_after_digit_re().search(folded), (name, text)
            glued += 1
    assert matched > 0, f"the invented texts never exercise {name}"
    assert name != "day_month" or glued > 0, "no day glued to its month"


def test_whole_word_prefilter_skips_words_inside_other_words() -> None:
    lex = dates._lexicon()
    runs = set(dates._WORD_RUN.findall(fold_mapped("مستقبل الشباب في الأسبوعية")[0]))
    for pattern in (lex.ago, lex.month_only, lex.period):
        assert any(runs.isdisjoint(required) for required in dates._needed_runs()[pattern])
    assert dates.find_dates("مستقبل الشباب في الأسبوعية", date(2015, 7, 29)) == []
    # a month glued to its day is no whole word, and still found
    [glued] = dates.find_dates("وصل في 28نوفمبر الماضي", date(2015, 7, 29))
    assert glued.expression == "28نوفمبر الماضي" and glued.first == date(2014, 11, 28)


@pytest.mark.parametrize("name", ["day_month", "day_of_month", "numeric"])
def test_matching_from_day_starts_finds_what_a_full_scan_finds(name: str) -> None:
    lex = dates._lexicon()
    pattern: re.Pattern[str] = getattr(lex, name)
    matched = 0
    for text in TEXTS:
        folded = fold_mapped(text)[0]
        digits = [run.start() for run in dates._DIGIT_RUN.finditer(folded)]
        starts = digits if name == "numeric" else dates._day_starts(folded, digits)
        full = [(m.span(), m.groupdict()) for m in pattern.finditer(folded)]
        shortcut = [(m.span(), m.groupdict()) for m in dates._matches_from(pattern, folded, starts)]
        assert shortcut == full, text
        matched += len(full)
    assert matched > 5, f"the invented texts hardly exercise {name}"


def test_matches_from_skips_places_inside_a_match() -> None:
    pattern = re.compile(r"[0-9]+-[0-9]+")
    text = "1-2-3 x 4-5"
    starts = [0, 2, 4, 8]  # 2 lies inside the first match: finditer would not try it
    assert [m.group() for m in dates._matches_from(pattern, text, starts)] == ["1-2", "4-5"]
    assert [m.group() for m in pattern.finditer(text)] == ["1-2", "4-5"]
