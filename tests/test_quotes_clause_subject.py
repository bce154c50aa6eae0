"""Tests for the subject a subjectless cue continues when a verb-first clause comes between
it and the last speaker (issue 19, session 25: speaker candidates that need no tagged name).
Sentences are invented, not taken from any evaluation set."""

from __future__ import annotations

from marsad.extract.quotes import extract_statements, speaker_canonical


def _speakers(text: str) -> list[str]:
    return [speaker_canonical(s.speaker_resolved) for s in extract_statements(text)]


def test_a_participle_continues_the_subject_of_the_clause_before_it() -> None:
    text = (
        "وقال الوزير خالد العتيبي إن المشروع سيكتمل قريبا. وأشاد رئيس الجمعية الخيرية "
        "عبدالرؤوف المطرود بدور المتطوعين في الحملة، مؤكدا أن العمل التطوعي يعزز روح الانتماء."
    )
    assert _speakers(text) == ["خالد العتيبي", "عبدالرؤوف المطرود"]


def test_a_cue_after_a_clause_on_a_new_line_continues_that_subject() -> None:
    text = (
        "وقال الوزير خالد العتيبي إن المشروع سيكتمل قريبا.\nوتحدث الإعلامي فهد المطيري "
        "منظم اللقاء في كلمة رحب فيها بالحضور، مؤكدا أن اللقاء سيتكرر كل عام."
    )
    assert _speakers(text)[-1] == "فهد المطيري"


def test_without_a_clause_between_the_last_speaker_goes_on() -> None:
    text = (
        "وقال الوزير خالد العتيبي إن المشروع سيكتمل قريبا. وأضاف أن العمل يجري على "
        "مدار الساعة في المواقع كلها."
    )
    assert _speakers(text) == ["خالد العتيبي", "خالد العتيبي"]


def test_a_clause_of_the_other_gender_is_not_continued() -> None:
    # وشهدت (feminine) cannot be the subject of وأضاف (masculine): the minister goes on
    text = (
        "وقال الوزير خالد العتيبي إن المشروع سيكتمل قريبا. وشهدت المنطقة الشرقية أمطارا "
        "غزيرة، وأضاف أن فرق الطوارئ جاهزة للتعامل مع أي طارئ."
    )
    assert _speakers(text)[-1] == "خالد العتيبي"


def test_a_present_tense_cue_does_not_reach_back_to_a_clause() -> None:
    text = (
        "وقال الوزير خالد العتيبي إن المشروع سيكتمل قريبا. وتحدث المهندس فهد المطيري "
        "عن مراحل التنفيذ، ويقول الوزير إن الميزانية كافية لإتمام العمل."
    )
    assert "فهد المطيري" not in _speakers(text)[-1:]


def test_the_topic_of_amma_speaks_through_the_fa_cue() -> None:
    text = (
        "قال الوزير خالد العتيبي إن المشروع تأخر بسبب الأمطار. أما المستشارة الألمانية "
        "أنجيلا ميركل فأوضحت أن الاتفاق يجنب المنطقة ما هو أسوأ."
    )
    assert _speakers(text) == ["خالد العتيبي", "أنجيلا ميركل"]


def test_amma_without_a_fa_cue_leaves_the_speaker_alone() -> None:
    # أما المخيمات فالبضائع ...: the topic is no speaker when no cue carries the ف
    text = (
        "وقال التاجر سعيد القحطاني إن الأسواق تأثرت كثيرا. أما المخيمات فالبضائع فيها "
        "رخيصة، وأضاف أن الزبائن يفضلون الأسواق المكيفة."
    )
    assert _speakers(text)[-1] == "سعيد القحطاني"
