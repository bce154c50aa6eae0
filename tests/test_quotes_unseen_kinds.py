"""Tests for the speaker kinds read from the errors of quotes_val8 and quotes_val9 (session 26,
issue 19): a document cut to its noun still speaks for the owner written after it, a counting
noun keeps its adjective and its من complement, and the entity test matches an unnamed source
described with more adjectives and a body's name inside a description of it. Sentences are
invented, not taken from any evaluation set; each case has a look-alike kept apart."""

from __future__ import annotations

from marsad.extract.aliases import same_entity
from marsad.extract.quotes import extract_statements, speaker_canonical, split_speaker


def _speakers(text: str) -> list[str]:
    return [speaker_canonical(s.speaker_resolved) for s in extract_statements(text)]


def test_document_issued_by_an_office_speaks_for_it_and_so_does_its_back_reference() -> None:
    text = (
        "أوضح تقرير صادر عن الهيئة العامة للإحصاء أن عدد السكان ارتفع. "
        "وأشار التقرير إلى أن النمو مستمر في المدن."
    )
    assert _speakers(text) == ["الهيئة العامة للإحصاء", "الهيئة العامة للإحصاء"]
    # a time word after the issuer is not part of its name
    text = "وجاء في بيان صادر عن وزارة الخارجية اليوم: إن الوزارة تتابع الأوضاع عن كثب."
    assert _speakers(text) == ["وزارة الخارجية"]


def test_document_cut_before_its_owner_after_lam_speaks_for_the_owner() -> None:
    # the rules stop at مسح: لوكالة is read as the one spoken to
    assert _speakers("وأظهر مسح لوكالة رويترز أن الإنتاج ارتفع في يوليو.") == ["وكالة رويترز"]
    # a ل word that is no owner (a common noun) leaves the document as it was
    assert not same_entity(_speakers("وأظهر مسح لأسعار السلع أن الأسعار ارتفعت.")[0], "أسعار")


def test_counting_noun_keeps_its_adjective_and_complement() -> None:
    text = "وقال عدد كبير من طلاب الجامعة إن الرسوم مرتفعة. وأضافوا أن الإدارة لم ترد."
    assert _speakers(text) == ["عدد كبير من طلاب الجامعة"] * 2
    # an adjective after a role is no counting noun's: the rules' phrase is unchanged
    assert _speakers("وقال مسؤول كبير في الوزارة إن الرسوم مرتفعة.") == ["مسؤول كبير في الوزارة"]
    # من قبل is an adverb: nobody is counted
    assert "من" not in split_speaker("«نيو ديلي بوست» من قبل")[0].split()
    assert "من" not in split_speaker("«نيو ديلي بوست» من")[0].split()


def test_unnamed_source_with_more_adjectives_is_the_same_source() -> None:
    assert same_entity("مصادر طبية وأمنية", "مصادر طبية وأمنية وعسكرية عراقية")
    assert same_entity("مصادر أمنية", "مصادر أمنية سورية")
    assert not same_entity("مصادر أمنية", "مصادر طبية")  # another adjective: other sources
    assert not same_entity("مصادر أمنية", "مصادر أمنية كثيرة العدد")  # not adjectives only


def test_body_named_inside_its_description_is_that_body() -> None:
    assert same_entity("مجموعة بلوتيك سيستمز الأوروبية لصناعة المحركات", "بلوتيك سيستمز")
    assert same_entity("مجموعة بلوتيك سيستمز الفرنسية", "بلوتيك سيستمز")
    # a movement named after its leader, or a body named after a person, is not that person
    assert not same_entity("حزب ماركو ديلوكا الليبرالي", "ماركو ديلوكا")
    assert not same_entity("مؤسسة سالم بن حمد الخيرية", "سالم بن حمد")
    # without the noun of a body, a nisba after a name is a surname: another person
    assert not same_entity("محمد المصري", "محمد")
    # a definite or institutional short name with a complement is another body
    assert not same_entity("الاتحاد الأوروبي لكرة القدم", "الاتحاد الأوروبي")
    # anything but adjectives and one ل complement after the name describes something else
    assert not same_entity("شركة بلوتيك سيستمز في باريس", "بلوتيك سيستمز")
