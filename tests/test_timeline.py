"""Date expressions resolved against the publication date, and the story timeline."""

from __future__ import annotations

from datetime import date

import pytest

from marsad.compare.timeline import (
    DatedSentence,
    DateMention,
    build_timeline,
    find_dates,
    fold_mapped,
    infer_year,
)
from marsad.text.arabic import content_stems, fold, tokenize

WEDNESDAY = date(2017, 11, 15)


def _only(text: str, published: date = WEDNESDAY) -> DateMention:
    found = find_dates(text, published)
    assert len(found) == 1, found
    mention = found[0]
    assert text[mention.start : mention.end] == mention.expression
    return mention


def _day(text: str, published: date = WEDNESDAY) -> date:
    mention = _only(text, published)
    assert mention.first == mention.last
    return mention.first


# --- day words -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وقال الوزير أمس إن المحادثات مستمرة", date(2017, 11, 14)),
        ("وصرح بالأمس أن الوفد وصل", date(2017, 11, 14)),
        ("ويعقد الاجتماع اليوم في عمان", date(2017, 11, 15)),
        ("وتنطلق المحادثات غداً في جنيف", date(2017, 11, 16)),
        ("وكان قد وصل أول أمس إلى موسكو", date(2017, 11, 13)),
        ("ويصل الوفد بعد غد إلى الرياض", date(2017, 11, 17)),
        ("وقالت المصادر يوم أمس إن", date(2017, 11, 14)),
    ],
)
def test_day_words(text: str, expected: date) -> None:
    assert _day(text) == expected


def test_today_inside_outlet_names_and_the_day_phrase_is_not_a_date() -> None:
    assert find_dates('ونقلت قناة "روسيا اليوم" عن مصدر قوله', WEDNESDAY) == []
    assert find_dates("وذكرت صحيفة المصري اليوم أن", WEDNESDAY) == []
    assert find_dates("وفي اليوم الأول من المؤتمر", WEDNESDAY) == []


# --- weekdays ------------------------------------------------------------------------------


def test_weekday_is_the_latest_such_day_on_or_before_publication() -> None:
    assert _day("واجتمع الوزراء الثلاثاء في عمان") == date(2017, 11, 14)
    assert _day("وقال الرئيس الأربعاء إن") == WEDNESDAY  # the publication day itself
    assert _day("وقع الهجوم يوم الخميس الماضي") == date(2017, 11, 9)


def test_weekday_in_the_future() -> None:
    assert _day("وتعقد الجولة يوم الأحد المقبل") == date(2017, 11, 19)
    assert _day("ومن المقرر أن يزور الوفد موسكو الثلاثاء") == date(2017, 11, 21)
    assert _day("وتصل القافلة غدا الخميس") == date(2017, 11, 16)


def test_today_with_a_weekday_is_one_mention_resolved_by_the_weekday() -> None:
    # As an outlet writes it the morning after: "today Tuesday" in a Wednesday paper.
    found = find_dates("صباح اليوم الثلاثاء (امس) لاقتحام بلدة", WEDNESDAY)
    assert [(m.expression, m.first) for m in found] == [
        ("اليوم الثلاثاء", date(2017, 11, 14)),
        ("امس", date(2017, 11, 14)),
    ]


def test_monday_needs_a_marker_because_alithnayn_also_means_the_two() -> None:
    assert find_dates("واتفق الاثنين على مواصلة الحوار", WEDNESDAY) == []
    assert _day("وكان ذلك يوم الاثنين") == date(2017, 11, 13)


def test_weekday_with_persian_letters_and_proclitic() -> None:
    assert _day("وقال والثلاثاء ما زال") == date(2017, 11, 14)


# --- day and month -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("في جنيف في 28 نوفمبر المقبل", date(2017, 10, 26), date(2017, 11, 28)),
        ("في 28 تشرين الثاني", date(2017, 10, 26), date(2017, 11, 28)),
        ("فى 28 نوفمبر", date(2017, 10, 26), date(2017, 11, 28)),
        ("منذ 28 تشرين الثاني الماضي", date(2018, 1, 10), date(2017, 11, 28)),
        ("يوم 5 يناير", date(2017, 12, 20), date(2018, 1, 5)),  # nearest: next year
        ("في 14 آذار/مارس 2023", date(2024, 1, 1), date(2023, 3, 14)),
        ("في 9 تشرين الثاني الجاري", WEDNESDAY, date(2017, 11, 9)),
        ("في ٢٨ نوفمبر", date(2017, 10, 26), date(2017, 11, 28)),  # Arabic-Indic digits
        ("في 3 جانفي", date(2017, 12, 30), date(2018, 1, 3)),  # Maghrebi name
    ],
)
def test_day_and_month(text: str, published: date, expected: date) -> None:
    assert _day(text, published) == expected


def test_day_range_in_one_month() -> None:
    mention = _only("نتائج اللقاء الدولي في أستانا يومي 30-31  تشرين الأول الماضي.")
    assert (mention.first, mention.last, mention.precision) == (
        date(2017, 10, 30),
        date(2017, 10, 31),
        "days",
    )
    assert mention.expression == "30-31  تشرين الأول الماضي"
    other = _only("يومي 30 و31 أكتوبر", WEDNESDAY)
    assert (other.first, other.last) == (date(2017, 10, 30), date(2017, 10, 31))


def test_invalid_day_is_skipped() -> None:
    assert find_dates("في 31 فبراير", WEDNESDAY) == []
    assert infer_year(WEDNESDAY, 2, 31) is None
    assert infer_year(date(2017, 3, 1), 2, 29, "past") == date(2016, 2, 29)


def test_numeric_dates_gregorian_only() -> None:
    assert _day("بتاريخ 2017-11-28 في جنيف") == date(2017, 11, 28)
    assert _day("بتاريخ 28/11/2017 في جنيف") == date(2017, 11, 28)
    assert find_dates("وتاريخ 28/7/1433هـ", WEDNESDAY) == []  # Hijri, not converted


# --- periods and months --------------------------------------------------------------------


def test_relative_periods() -> None:
    last_month = _only("وقال الشهر الماضي إن", date(2017, 1, 15))
    assert (last_month.first, last_month.last, last_month.precision) == (
        date(2016, 12, 1),
        date(2016, 12, 31),
        "month",
    )
    next_week = _only("اجتماع يعقد الأسبوع المقبل في أستانة", date(2017, 10, 26))
    assert (next_week.first, next_week.last) == (date(2017, 10, 28), date(2017, 11, 3))
    assert next_week.first.weekday() == 5  # weeks start on Saturday
    this_year = _only("خلال العام الجاري", WEDNESDAY)
    assert (this_year.first, this_year.last) == (date(2017, 1, 1), date(2017, 12, 31))
    assert _only("منذ بداية هذا العام", WEDNESDAY).first == date(2017, 1, 1)


def test_month_without_a_day_needs_a_marker() -> None:
    october = _only("في تشرين الأول الماضي", WEDNESDAY)
    assert (october.first, october.last, october.precision) == (
        date(2017, 10, 1),
        date(2017, 10, 31),
        "month",
    )
    assert _only("في شهر مارس", WEDNESDAY).first == date(2018, 3, 1)  # nearest March
    assert find_dates("وقد مارس الضغط على الحكومة", WEDNESDAY) == []  # مارس: a verb


def test_days_ago() -> None:
    assert _day("منذ 3 أيام") == date(2017, 11, 12)
    assert _day("قبل يومين") == date(2017, 11, 13)
    assert _day("قبل أسبوع") == date(2017, 11, 8)
    assert find_dates("منذ أيام", WEDNESDAY) == []  # vague


def test_offsets_survive_diacritics_and_tatweel() -> None:
    text = "وقال الرئيـــس أمسِ إنَّ الاجتماع سيعقد في 28 نوفمبر."
    found = find_dates(text, date(2017, 10, 26))
    assert [text[m.start : m.end] for m in found] == ["أمسِ", "28 نوفمبر"]


def test_fold_mapped_maps_every_character_back() -> None:
    text = "أمسِ  الأول ـ ٢٨ ﻻ"
    folded, offsets = fold_mapped(text)
    assert len(offsets) == len(folded)
    assert " ".join(folded.split()) == fold(text)
    for index, ch in enumerate(folded):
        if not ch.isspace():
            assert fold(text[int(offsets[index])]).startswith(ch) or ch in fold(
                text[int(offsets[index])]
            )


# --- timeline ------------------------------------------------------------------------------


def _dated(article: int, outlet: str, text: str, published: date) -> list[DatedSentence]:
    mentions = find_dates(text, published)
    stems = frozenset(content_stems(tokenize(text)))
    return [
        DatedSentence(
            article=article,
            outlet=outlet,
            sentence_start=0,
            sentence_end=len(text),
            text=text,
            stems=stems,
            mention=m,
        )
        for m in mentions
    ]


def test_timeline_merges_the_same_development_across_outlets_and_sorts_by_date() -> None:
    sentences = [
        *_dated(
            1,
            "a",
            "وتعقد الجولة الثامنة من المحادثات السورية في جنيف في 28 نوفمبر",
            date(2017, 10, 26),
        ),
        *_dated(
            2,
            "b",
            "تبدأ الجولة الثامنة من المحادثات السورية في جنيف يوم 28 تشرين الثاني",
            date(2017, 11, 1),
        ),
        *_dated(3, "c", "وقتل خمسة مدنيين في قصف على ريف إدلب أمس", date(2017, 11, 2)),
        *_dated(4, "d", "وقال مصدر إن وفد المعارضة يصل إلى جنيف في 28 نوفمبر", date(2017, 11, 2)),
    ]
    entries = build_timeline(sentences)
    assert [e.first for e in entries] == [date(2017, 11, 1), date(2017, 11, 28), date(2017, 11, 28)]
    geneva = entries[1]
    assert geneva.outlets == ("a", "b")  # same talks, two outlets
    assert entries[2].outlets == ("d",)  # same day, different development


def test_timeline_lists_a_sentence_once_per_date() -> None:
    text = "تصدت الفصائل صباح اليوم الثلاثاء (امس) لهجوم"
    entries = build_timeline(_dated(1, "a", text, WEDNESDAY))
    assert len(entries) == 1
    assert entries[0].first == date(2017, 11, 14)
