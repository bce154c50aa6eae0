"""Tests for four speaker rules of statement extraction (marsad.extract.quotes): plural
participles, a cue after the opening dateline, the word after بن, and an honorific name set
off after a role. Sentences are invented, not taken from any evaluation set."""

from __future__ import annotations

import pytest

from marsad.extract.quotes import extract_statements, speaker_canonical


def test_plural_participle_after_a_comma_continues_the_speakers() -> None:
    text = (
        "قال سكان في الحي إن المياه انقطعت منذ ثلاثة أيام، مؤكدين أن البلدية لم ترسل أي "
        "فريق للإصلاح."
    )
    first, second = extract_statements(text)
    assert text[first.start : first.end] == "المياه انقطعت منذ ثلاثة أيام"
    assert text[second.start : second.end] == "البلدية لم ترسل أي فريق للإصلاح"
    assert second.speaker_resolved == first.speaker_resolved
    assert second.cue == "مؤكدين"


def test_plural_participle_inside_a_reported_clause_is_no_cue() -> None:
    # مطالبين describes the Americans of the reported clause; the minister said all of it
    text = (
        "وقال الوزير إن الأمريكيين اقترحوا خطة جديدة للسلام مطالبين بتركيز الجهود على المدن "
        "الكبرى في الشمال."
    )
    (statement,) = extract_statements(text)
    assert text[statement.start : statement.end].endswith("المدن الكبرى في الشمال")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "عين اليوم – جدة بين مدير التعليم محمد العلي أن المدارس ستفتح أبوابها يوم الأحد.",
            "محمد العلي",
        ),
        (
            "سبق – الرياض يقول الخبير الاقتصادي فهد الناصر إن أسعار النفط ستنخفض قريبا.",
            "فهد الناصر",
        ),
        (
            "واس - المدينة المنورة بين مدير الشرطة سعد الغامدي أن الطرق فتحت أمام السيارات.",
            "سعد الغامدي",
        ),
    ],
)
def test_cue_right_after_the_opening_dateline_opens_a_clause(text: str, speaker: str) -> None:
    # بين (also "between") and a present tense count as cues only where a clause opens
    (statement,) = extract_statements(text)
    assert speaker_canonical(statement.speaker_resolved) == speaker


def test_dash_far_into_the_article_is_no_dateline() -> None:
    # the dash stands past the opening of the article, so بين stays the preposition
    text = (
        "أقيمت المباراة مساء أمس على ملعب المدينة الرياضية وسط حضور جماهيري كبير جدا - "
        "الشوط بين الفريقين كان متكافئا حتى النهاية."
    )
    assert extract_statements(text) == []


def test_word_after_bin_continues_the_name_though_it_is_also_a_descriptor() -> None:
    # مساعد is a descriptor ("assistant") and a given name; after بن it is the father's name
    text = "وأوضح الناطق الإعلامي للهيئة خالد بن مساعد السهلي أن الفرق وصلت إلى الموقع سريعا."
    (statement,) = extract_statements(text)
    assert statement.speaker_resolved == "خالد بن مساعد السهلي"
    assert statement.speaker_title == "الناطق الإعلامي للهيئة"


def test_name_after_an_honorific_set_off_after_a_role_is_the_speaker() -> None:
    text = "وقال قاضي محكمة الأحوال الشخصية بالمنطقة، الشيخ سامي العتيبي، إن القضايا انخفضت كثيرا."
    (statement,) = extract_statements(text)
    assert speaker_canonical(statement.speaker_resolved) == "سامي العتيبي"
    assert text[statement.speaker_start : statement.speaker_end].endswith("سامي العتيبي")
    assert statement.speaker_title.startswith("قاضي محكمة الأحوال الشخصية")
