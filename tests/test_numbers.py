"""Tests for numbers with counted nouns (marsad.extract.numbers)."""

from __future__ import annotations

import math

import pytest

from marsad.extract.numbers import extract_numbers


@pytest.mark.parametrize(
    ("text", "value", "written", "counted", "percent", "approximate"),
    [
        ("صفقة سمحت لنحو 4 آلاف مسلح بالمغادرة", 4000.0, "4 آلاف", "مسلح", False, True),
        ("قتل ثلاثة آلاف شخص", 3000.0, "ثلاثة آلاف", "شخص", False, False),
        ("مقتل ما لا يقل عن 80 مسلحا", 80.0, "80", "مسلحا", False, True),
        ("تحرير أكثر من 90% من الأراضي السورية", 90.0, "90%", "الأراضي", True, True),
        ("بلغت النسبة ٩٢٪ من السكان", 92.0, "٩٢٪", "السكان", True, False),
        ("ارتفع 92 في المئة من الصادرات", 92.0, "92 في المئة", "الصادرات", True, False),
        ("أنقذ 1,500 مدني", 1500.0, "1,500", "مدني", False, False),
        ("قرض بقيمة 7.16 مليار يورو", 7.16e9, "7.16 مليار", "يورو", False, False),
        ("خمسة وعشرون طالبا", 25.0, "خمسة وعشرون", "طالبا", False, False),
    ],
)
def test_number_values_and_counted_nouns(
    text: str, value: float, written: str, counted: str, percent: bool, approximate: bool
) -> None:
    (mention,) = extract_numbers(text)
    assert mention.value == pytest.approx(value)
    assert mention.text == written == text[mention.start : mention.end]
    assert mention.counted == counted
    assert mention.is_percent is percent
    assert mention.approximate is approximate


def test_vague_quantities() -> None:
    mentions = extract_numbers("سقط مئات القتلى وعشرات الجرحى ووعدوا بآلاف الدولارات")
    assert [m.counted for m in mentions] == ["القتلى", "الجرحى", "الدولارات"]
    assert all(m.vague and math.isnan(m.value) for m in mentions)
    assert [m.scale for m in mentions] == [100.0, 10.0, 1000.0]


def test_range_shares_counted_noun_and_keys_match() -> None:
    low, high = extract_numbers("يتراوح عددهم بين 300 إلى 400 عنصر")
    assert (low.value, high.value) == (300.0, 400.0)
    assert low.counted == high.counted == "عنصر"
    assert (
        extract_numbers("80 مسلحا")[0].counted_key == extract_numbers("4 آلاف مسلح")[0].counted_key
    )


def test_sentence_span_and_no_false_numbers() -> None:
    text = "وصل الوفد. ودفع 50 ريالا."
    (mention,) = extract_numbers(text)
    assert text[mention.sentence_start : mention.sentence_end] == "ودفع 50 ريالا."
    assert extract_numbers("لم يذكر أحد شيئا عن الاجتماع") == []
