"""Learned cue verbs (data/cue_verbs_learned_ar.txt, scripts/learn_cue_verbs.py): a statement
where the verb has a subject and a complementizer close after it, none where it narrates."""

from __future__ import annotations

from marsad.extract.quotes import extract_statements
from marsad.text.arabic import fold, word_sections


def test_learned_verb_with_subject_and_complement_is_a_cue() -> None:
    text = "ووجدت الدراسة الجديدة أن النوم الكافي يحسن الذاكرة لدى الطلاب."
    (statement,) = extract_statements(text)
    assert text[statement.start : statement.end] == "النوم الكافي يحسن الذاكرة لدى الطلاب"
    assert statement.speaker == "الدراسة الجديدة"


def test_newspaper_learned_that_is_a_statement_of_the_newspaper() -> None:
    # علمت «الصحيفة» أن: the quoted name is the subject (the counts of learn_cue_verbs skip it
    # as a name, not a quotation).
    text = "وعلمت «الصباح» أن اللجنة ستعلن نتائجها الأسبوع المقبل."
    (statement,) = extract_statements(text)
    assert "الصباح" in statement.speaker
    assert text[statement.start : statement.end] == "اللجنة ستعلن نتائجها الأسبوع المقبل"


def test_learned_verb_feminine_form_is_derived() -> None:
    text = "ولاحظت الباحثة سعاد الحربي أن الأطفال يتعلمون اللغة بسرعة أكبر."
    (statement,) = extract_statements(text)
    assert "سعاد الحربي" in statement.speaker
    assert text[statement.start : statement.end].startswith("الأطفال يتعلمون")


def test_learned_verb_narrating_before_a_quotation_yields_nothing() -> None:
    # وجد + object + a quoted title: no complementizer, so no statement.
    text = "ووجد الطالب كتابا قديما بعنوان «رحلة طويلة في صحراء الربع الخالي الكبيرة»."
    assert extract_statements(text) == []


def test_learned_verb_far_from_its_complement_yields_nothing() -> None:
    # Eleven words between وجد and أن: an object and a scene, not a subject.
    text = "ووجد الرجل المكان خاليا تماما في صباح ذلك اليوم البارد والطويل حتى أن الباب كان مفتوحا."
    assert extract_statements(text) == []


def test_learned_list_holds_no_listed_cue() -> None:
    learned = set(word_sections("cue_verbs_learned_ar.txt")["verbs"])
    listed = {fold(v) for section in word_sections("cue_verbs_ar.txt").values() for v in section}
    assert learned and not {fold(v) for v in learned} & listed


def test_learned_claim_noun_opens_the_object_after_a_nationality() -> None:
    # After a nationality a name usually follows (الرئيس الأمريكي باراك); مقتل is a claim
    # noun learned from أعلن/كشف ... عن مقتل, so the object opens there.
    text = "وأعلن الجيش التركي مقتل ثلاثة جنود في هجوم على الحدود."
    (statement,) = extract_statements(text)
    assert statement.speaker == "الجيش التركي"
    assert text[statement.start : statement.end] == "مقتل ثلاثة جنود في هجوم على الحدود"


def test_learned_claim_nouns_are_indefinite_and_no_stopwords() -> None:
    nouns = word_sections("claim_nouns_learned_ar.txt")["nouns"]
    assert "مقتل" in nouns
    assert not [n for n in nouns if n.startswith("ال")]
