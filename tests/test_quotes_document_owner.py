"""Tests for the speaker rules of session 25 (issue 19) written from the development sets
quotes_val5..7: a document speaks for its owner (a survey, figures, a study by researchers of
an institution) and an adverbial owned by the speaker (في مقره، بموقعه، في إعلان لها) ends the
speaker phrase; the deputy of an office holder (وكيل الأمين) is a rank, not a person's agent.
Sentences are invented, not taken from any evaluation set."""

from __future__ import annotations

import pytest

from marsad.extract.quotes import extract_statements, speaker_canonical


def _speakers(text: str) -> list[str]:
    return [speaker_canonical(s.speaker_resolved) for s in extract_statements(text)]


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        # the owner after the document's adjectives, read as the one spoken to before
        (
            "أظهر مسح شهري موسع لوكالة رويترز نشرت نتائجه أمس أن صادرات القمح تراجعت "
            "بنسبة كبيرة هذا العام.",
            "وكالة رويترز",
        ),
        ("وكشف مسح لرويترز أن معظم المستثمرين يتوقعون خفض أسعار الفائدة قريبا جدا.", "رويترز"),
        # the plural بيانات speaks for its owner after ل
        (
            "وأكدت بيانات للأحزاب المعارضة أن الانتخابات المقبلة يجب أن تجري تحت إشراف مستقل.",
            "الأحزاب المعارضة",
        ),
        # adjectives before the owner inside the phrase
        (
            "وأظهر تقرير سنوي للبنك الدولي أن الفقر تراجع في القارة خلال العقد الماضي.",
            "البنك الدولي",
        ),
    ],
)
def test_document_speaks_for_its_owner(text: str, owner: str) -> None:
    assert _speakers(text) == [owner]


def test_study_by_researchers_speaks_for_their_institution_and_later_the_study_too() -> None:
    text = (
        "حذرت دراسة حديثة أجراها باحثون من جامعة القاهرة من أن السهر الطويل يضعف المناعة. "
        "وأوضحت الدراسة أن النوم المنتظم يحمي القلب من أمراض كثيرة."
    )
    assert _speakers(text) == ["جامعة القاهرة", "جامعة القاهرة"]


def test_figures_issued_by_a_place_named_before_speak_for_it() -> None:
    text = (
        "سجل مطار الملك فهد الدولي نموا كبيرا في عدد المسافرين هذا الصيف. ووفقا للبيانات "
        "الأولية الصادرة عن المطار، فقد ارتفع عدد الرحلات إلى ألف رحلة في الأسبوع."
    )
    assert _speakers(text)[-1] == "مطار الملك فهد الدولي"


def test_bare_figures_speak_for_the_latest_speaker_not_for_themselves() -> None:
    text = (
        "أعلنت هيئة الإحصاء أن عدد السكان ارتفع إلى عشرين مليونا في العام الماضي. "
        "وبحسب البيانات، يعيش نصف السكان في المدن الكبرى. "
        "وأشارت البيانات إلى أن متوسط الأعمار ارتفع بشكل ملحوظ خلال العقد."
    )
    assert _speakers(text) == ["هيئة الإحصاء"] * 3


def test_adjective_after_a_definite_document_is_no_issuer() -> None:
    text = "وقالت الدراسة الطبية إن تناول الخضار يوميا يقلل خطر الإصابة بالسكري."
    assert _speakers(text) == ["الدراسة الطبية"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "وقال نادي الشباب بموقعه على الإنترنت إنه تعاقد مع المدافع البرازيلي لمدة موسمين.",
            "نادي الشباب",
        ),
        (
            "وأعلنت هيئة الطيران المدني في إعلان لها اليوم أن الرحلات ستعود إلى مواعيدها المعتادة.",
            "هيئة الطيران المدني",
        ),
        (
            "وأعلن مكتب العمل الاتحادي في مقره بمدينة نورنبرغ أن البطالة تراجعت في الشهر الماضي.",
            "مكتب العمل الاتحادي",
        ),
    ],
)
def test_adverbial_owned_by_the_speaker_ends_the_speaker(text: str, speaker: str) -> None:
    assert _speakers(text) == [speaker]


def test_place_after_fi_without_a_pronoun_stays_in_the_speaker() -> None:
    text = "وقال رئيس الغرفة التجارية في جدة إن الصادرات غير النفطية ارتفعت هذا العام."
    assert _speakers(text) == ["رئيس الغرفة التجارية في جدة"]


def test_issuer_after_the_adjectives_of_a_numbered_report() -> None:
    text = (
        "وكشف التقرير السنوي الخامس الذي أصدرته هيئة السياحة الوطنية أن عدد الزوار ارتفع "
        "بنسبة كبيرة في العام الماضي."
    )
    assert _speakers(text) == ["هيئة السياحة الوطنية"]


def test_deputy_of_an_office_holder_is_a_rank_and_the_name_after_is_his() -> None:
    text = (
        "وأوضح وكيل المحافظ للشؤون البلدية المهندس سامي بن فهد العتيبي أن العمل في "
        "المشروع سينتهي قبل نهاية العام."
    )
    assert _speakers(text) == ["سامي بن فهد العتيبي"]


def test_agent_of_a_player_is_still_not_the_player() -> None:
    text = "وقال وكيل اللاعب ماجد سالم إن المفاوضات مع النادي مستمرة منذ أسابيع."
    assert _speakers(text) != ["ماجد سالم"]
