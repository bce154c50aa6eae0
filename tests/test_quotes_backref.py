"""Issue 19: a definite head with adjectives refers as the head alone (الصحيفة السعودية)."""

from __future__ import annotations

from marsad.extract.quotes import extract_statements


def _resolved(text: str) -> list[str]:
    return [s.speaker_resolved for s in extract_statements(text)]


def test_organisation_reference_with_an_adjective_finds_the_named_organisation() -> None:
    text = (
        "وكانت صحيفة «سبق» الإلكترونية السعودية قد نشرت خبرا عن المنفذ. "
        "وأوضحت الصحيفة السعودية أن المسافرين عادوا."
    )
    assert _resolved(text) == ["صحيفة سبق"]


def test_described_person_reference_finds_the_name_after_the_indefinite_head() -> None:
    text = (
        "وقالت نجمة هوليوود سلمى حايك أمس إن أفضل أسلوب هو الرسوم. "
        'وأضافت النجمة المكسيكية: "يمكن التعبير بالفن".'
    )
    first, second = _resolved(text)
    assert second == first


def test_described_reference_without_a_named_antecedent_stays_as_written() -> None:
    text = "وقالت القوات الكردية في بيان إنها ليست طرفا في القتال."
    assert _resolved(text) == ["القوات الكردية"]


def test_observatory_reference_finds_the_observatory_that_spoke() -> None:
    text = (
        "أعدم التنظيم عشرة أشخاص، وفقا لما أكده المرصد السوري لحقوق الإنسان. "
        "وكانت الجبهة قد اعتقلت رجالا بتهمة التعامل مع النظام، بحسب المرصد."
    )
    assert _resolved(text) == ["المرصد السوري لحقوق الإنسان"] * 2
