"""Date expressions resolved against the publication date, and the story timeline."""

from __future__ import annotations

from datetime import date

import pytest

from marsad.compare.timeline import DatedSentence, build_timeline
from marsad.text.arabic import content_stems, fold, fold_mapped, tokenize
from marsad.text.dates import DateMention, find_dates, infer_year

WEDNESDAY = date(2017, 11, 15)
JULY_2015 = date(2015, 7, 24)  # a Friday, 8 Shawwal 1436


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
    assert _day("وتصل القافلة يوم غد الخميس") == date(2017, 11, 16)


@pytest.mark.parametrize(
    "text",
    [
        "وأن طائرات الإطفاء ستستأنف طلعاتها فجر الأحد بعد توقفها",  # the demo corpus case
        "وسيلتقي الفريق صباح الأحد مع ضيفه",
        "وقال إن موغيريني ستزور السعودية الأحد",
        "ويعقد المجلس جلسته مساء الأحد",
    ],
)
def test_weekday_after_a_future_verb_is_the_next_one(text: str) -> None:
    assert _day(text) == date(2017, 11, 19)


@pytest.mark.parametrize(
    "text",
    [
        "وقالت صحيفة وول ستريت جورنال الأحد إن",  # ستريت is no verb
        "وعثر عليه في سيارته مساء الأحد",
        "سيزور الوفد موسكو. وقال الوزير الأحد إن",  # the marker is in another sentence
        "وسيخوض الفريق مباراة أمس الأحد",  # a past day word wins
    ],
)
def test_weekday_without_a_future_verb_stays_in_the_past(text: str) -> None:
    assert _day(text) == date(2017, 11, 12)


def test_past_weekday_of_the_publication_day_is_a_week_back() -> None:
    assert _day("وقع الهجوم الأربعاء الماضي") == date(2017, 11, 8)


def test_today_or_yesterday_with_a_bracketed_weekday() -> None:
    assert _day("في تصريح صحافي اليوم (الاثنين)، أن") == date(2017, 11, 13)
    assert _day("انقطاع التيار مساء البارح الاثنين لمدة") == date(2017, 11, 13)
    assert _day("وكان التحالف قد أعلن أول من أمس هدنة") == date(2017, 11, 13)


def test_bare_monday_before_anna_is_monday() -> None:
    assert _day("اعلن صندوق النقد الدولي الاثنين ان اليونان") == date(2017, 11, 13)


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


def test_numeric_dates_gregorian_and_hijri() -> None:
    assert _day("بتاريخ 2017-11-28 في جنيف") == date(2017, 11, 28)
    assert _day("بتاريخ 28/11/2017 في جنيف") == date(2017, 11, 28)
    assert _day("وتاريخ 28/7/1433هـ") == date(2012, 6, 18)  # Umm al-Qura
    assert _day("حتى 1436/10/30 هـ .", JULY_2015) == date(2015, 8, 15)
    assert _day("بتاريخ 3 /6 /1435هـ ،", JULY_2015) == date(2014, 4, 3)
    assert find_dates("بتاريخ 31/2/2017", WEDNESDAY) == []


# --- Hijri dates, ordinal days, explicit dates after weekdays --------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("آخر موعد 21 شوال 1436ه.", date(2015, 8, 6)),
        ("بتاريخ 17 رجب 1434ه، والتي", date(2013, 5, 27)),
        ("حتى 18 شوال الجاري", date(2015, 8, 3)),
        ("حتى 28 من محرم والذي", date(2015, 11, 10)),  # the next Muharram
        ("حتى الثلاثين من شهر شوال الجاري", date(2015, 8, 15)),
        ("في الثامن من الشهر المقبل", date(2015, 8, 8)),
        ("حتى السادس من أغسطس قبل", date(2015, 8, 6)),
        ("في الثاني عشر من شهر اغسطس المقبل", date(2015, 8, 12)),
    ],
)
def test_hijri_and_ordinal_days(text: str, expected: date) -> None:
    assert _day(text, JULY_2015) == expected


def test_hijri_range_and_month() -> None:
    festival = _only("خلال الفترة من 15 إلى 26 شوال الجاري", date(2015, 7, 26))
    assert (festival.first, festival.last) == (date(2015, 7, 31), date(2015, 8, 11))
    ramadan = _only("خلال شهر رمضان اشتملت", date(2015, 7, 21))
    assert (ramadan.first, ramadan.last) == (date(2015, 6, 18), date(2015, 7, 16))
    assert find_dates("فاز الفريق 2 صفر على ضيفه", JULY_2015) == []  # a score


def test_ordinal_after_a_counted_noun_is_not_a_day() -> None:
    found = find_dates("نهاية الأسبوع الأول من شهر أغسطس المقبل", JULY_2015)
    assert [(m.first, m.last) for m in found] == [(date(2015, 8, 1), date(2015, 8, 31))]


def test_weekday_followed_by_its_date_is_one_mention_of_the_date() -> None:
    text = "وحتى نهاية دوام يوم الأربعاء الموافق 20-10-1436ه."
    mention = _only(text, date(2015, 7, 27))
    assert mention.first == date(2015, 8, 5) and mention.expression.startswith("يوم الأربعاء")
    # 10/4/1436 read day/month is not a Monday; month/day (4 Shawwal) is.
    monday = _only("مساء هذا اليوم الاثنين الموافق 10/4 / 1436هـ بلغ", date(2015, 7, 21))
    assert monday.first == date(2015, 7, 20)
    assert _day("أول من أمس الأربعاء 29 يوليو (تموز) إن", date(2015, 7, 31)) == date(2015, 7, 29)


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
    assert _only("للتسليم في سبتمبر عند", JULY_2015).first == date(2015, 9, 1)
    assert _only("منذ أبريل من الوصول", JULY_2015).first == date(2015, 4, 1)
    assert find_dates("وقال رمضان صبحي إن", JULY_2015) == []  # a name


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("حتى نهاية الشهر الجاري", date(2015, 7, 21), date(2015, 7, 31)),
        ("منذ مطلع العام الحالي", date(2015, 1, 1), date(2015, 4, 30)),
        ("بداية الأسبوع المقبل", date(2015, 7, 25), date(2015, 7, 26)),
        ("حتى نهاية شهر مايو", date(2015, 5, 21), date(2015, 5, 31)),
        ("في مطلع يونيو (حزيران)", date(2015, 6, 1), date(2015, 6, 10)),
        ("في بداية ذي القعدة", date(2015, 8, 16), date(2015, 8, 25)),
        ("حتى مطلع عام 2016", date(2016, 1, 1), date(2016, 4, 30)),
    ],
)
def test_parts_of_periods(text: str, first: date, last: date) -> None:
    mention = _only(text, JULY_2015)
    assert (mention.first, mention.last) == (first, last)


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
