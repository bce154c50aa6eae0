"""Speakers corrected by the article's tagged names (``extract.speaker_entities``).

Sentences are invented; entities are written by hand as the tagger would give them, so the
tests check the corrections, not the tagger.
"""

from __future__ import annotations

from marsad.extract.aliases import same_entity
from marsad.extract.ner import Entity
from marsad.extract.quotes import extract_statements, speaker_canonical
from marsad.extract.speaker_entities import snap_speakers


def _tagged(text: str, *names: tuple[str, str]) -> list[Entity]:
    """Entities at the first occurrence of each ``(surface, label)`` in ``text``."""
    found = []
    for surface, label in names:
        start = text.index(surface)
        found.append(Entity(surface, label, start, start + len(surface)))
    return found


def _speakers(text: str, entities: list[Entity]) -> list[str]:
    return [
        speaker_canonical(s.speaker_resolved)
        for s in snap_speakers(text, extract_statements(text), entities)
    ]


def test_phrase_cut_inside_a_tagged_name_runs_to_its_end() -> None:
    text = (
        "من جهته، أكد مدير مطار الملك عبدالله بجازان حامد غريبي وجود سير واضح للعمل، "
        "مشيرا إلى أن الرحلات منتظمة."
    )
    before = [speaker_canonical(s.speaker_resolved) for s in extract_statements(text)]
    assert not any(same_entity(b, "حامد غريبي") for b in before)  # the rules stop at عبدالله
    after = _speakers(text, _tagged(text, ("عبدالله بجازان حامد غريبي", "PERS")))
    assert len(after) == 2
    assert all(same_entity(a, "حامد غريبي") for a in after)  # the participle follows him


def test_role_is_the_person_set_off_after_it_and_later_the_same_role_is_him() -> None:
    text = (
        "أوضح رئيس المجلس البلدي (الهيئة المنتخبة في المدينة)، خالد المطيري، أن الميزانية "
        "أقرت. وأشار رئيس المجلس البلدي إلى أن المشاريع ستبدأ قريبا."
    )
    assert _speakers(text, []) == ["رئيس المجلس البلدي", "رئيس المجلس البلدي"]
    after = _speakers(text, _tagged(text, ("خالد المطيري", "PERS")))
    assert after == ["خالد المطيري", "خالد المطيري"]


def test_name_not_set_off_by_a_comma_is_no_apposition() -> None:
    # The prime minister is named inside the government's statement, not as its speaker.
    text = (
        "وأكدت الحكومة التركية في بيان صادر عن مكتب رئيس الوزراء أحمد داود أوغلو أن "
        "المقاتلات قصفت أهدافا."
    )
    assert _speakers(text, _tagged(text, ("أحمد داود أوغلو", "PERS"))) == ["الحكومة التركية"]


def test_definite_head_is_the_organisation_named_earlier_with_it() -> None:
    text = (
        "أصدرت منظمة «هيومن رايتس ووتش» تقريرا عن السجون. وقالت المنظمة الحقوقية إن "
        "الأوضاع سيئة في السجون."
    )
    entities = _tagged(text, ("منظمة", "ORG"), ("هيومن رايتس ووتش", "ORG"))
    # the rules alone resolve a head with an adjective (issue 19), the tagger agrees
    assert _speakers(text, []) == ["منظمة هيومن رايتس ووتش"]
    assert _speakers(text, entities) == ["منظمة هيومن رايتس ووتش"]


def test_another_head_is_not_that_organisation() -> None:
    text = "أصدرت منظمة «العفو الدولية» تقريرا. وقالت الشركة الحقوقية إن الأوضاع سيئة في السجون."
    entities = _tagged(text, ("منظمة", "ORG"), ("العفو الدولية", "ORG"))
    assert _speakers(text, entities) == ["الشركة الحقوقية"]


def test_without_names_the_statements_are_unchanged() -> None:
    text = "وقال المتحدث باسم الوزارة إن الاجتماع سيعقد غدا في مقر الوزارة."
    statements = extract_statements(text)
    assert snap_speakers(text, statements, []) == statements
    places = _tagged(text, ("الوزارة", "LOC"))
    assert snap_speakers(text, statements, places) == statements


def test_tagged_name_running_into_a_preposition_does_not_widen_the_speaker() -> None:
    text = "وشددت جامعة الملك سعود على أن من لم تراجع خلال الفترة سيسقط حقها في التعيين."
    entities = _tagged(text, ("جامعة الملك سعود على", "ORG"))
    assert _speakers(text, entities) == ["جامعة الملك سعود"]


def test_tagged_name_glued_to_a_preposition_does_not_widen_the_speaker() -> None:
    text = "الثقة هي المفتاح في السوق اليونانية، وفقا لكيركجور، وهو خبير في التجارة."
    assert _speakers(text, []) == ["كيركجور"]
    assert _speakers(text, _tagged(text, ("لكيركجور", "PERS"))) == ["كيركجور"]


def test_family_name_after_a_connector_ends_the_widened_name() -> None:
    # الشيخ is a title word, but after آل it is the family name
    text = (
        "وجه الوزير الشيخ صالح بن عبدالعزيز بن محمد آل الشيخ، بتوزيع الموسوعة، مؤكدا أن "
        "الخطب ستوزع على الجوامع."
    )
    # the rules stop before آل (the titled subject opening the sentence: a connector
    # never ends it, but آل الشيخ reads as a title)
    assert _speakers(text, []) == ["صالح بن عبدالعزيز بن محمد"]
    entities = _tagged(text, ("صالح بن عبدالعزيز بن محمد آل الشيخ", "PERS"))
    assert _speakers(text, entities) == ["صالح بن عبدالعزيز بن محمد آل الشيخ"]


def test_person_noun_alone_is_the_tagged_name_set_off_after_it() -> None:
    # المسؤول opens no role word list, but a person noun alone names nobody: the tagged
    # name after the comma is who speaks
    text = (
        "وقال المسؤول الديني التركي، اسماعيل بالاغو: إن حملة المساعدة مستمرة طوال الشهر في المدينة."
    )
    before = [speaker_canonical(s.speaker_resolved) for s in extract_statements(text)]
    assert before == ["المسؤول الديني التركي"]
    after = _speakers(text, _tagged(text, ("اسماعيل بالاغو", "PERS")))
    assert after == ["اسماعيل بالاغو"]


def test_one_word_organisation_is_the_tagged_full_name_it_shortens() -> None:
    text = (
        "وافقت الحكومة على صفقة صواريخ تصنعها نورثروب غرومان الأمريكية. وقالت نورثروب في "
        "بيان إن الصواريخ ستسلم خلال عامين من توقيع العقد النهائي."
    )
    assert _speakers(text, []) == ["نورثروب"]
    entities = _tagged(text, ("نورثروب غرومان الأمريكية", "ORG"))
    assert _speakers(text, entities) == ["نورثروب غرومان"]  # the adjective describes it


def test_definite_reference_is_no_short_organisation_name() -> None:
    text = (
        "أعلنت الشركة الوطنية للنقل عن خطة جديدة. وقالت الشركة إن الخطة تشمل شراء حافلات "
        "جديدة للمدن الكبرى خلال العام المقبل."
    )
    entities = _tagged(text, ("الشركة الوطنية للنقل", "ORG"))
    # the reference resolves to the whole name as before, never to a shortened one
    assert _speakers(text, entities)[-1] == "الشركة الوطنية للنقل"


def test_description_followed_straight_by_a_tagged_name_is_that_person() -> None:
    # No comma parts the name from its role: the rules stop at ويلي (و + يلي, "follows").
    text = (
        "وأكد مسؤول الإعلام في الوزارة ويلي كاتوبا وقوع الحادث. "
        "وقال مدرب الفريق الأول، الوطني حسن المالكي أن اللاعبين جاهزون."
    )
    entities = _tagged(text, ("ويلي كاتوبا", "PERS"), ("حسن المالكي", "PERS"))
    assert _speakers(text, []) == ["مسؤول الإعلام في الوزارة", "مدرب الفريق الأول"]
    assert _speakers(text, entities) == ["ويلي كاتوبا", "حسن المالكي"]


def test_description_and_a_name_after_its_own_rest_closed_by_the_complementizer() -> None:
    text = "وقال كبير المستشارين عن الطاقة في البيت الأبيض روبرت هيل إن الخطة جاهزة."
    entities = _tagged(text, ("البيت الأبيض", "ORG"), ("روبرت هيل", "PERS"))
    assert same_entity(_speakers(text, entities)[0], "روبرت هيل")


def test_name_after_another_role_or_on_a_preposition_is_not_the_speaker() -> None:
    # The rules cut the phrase at «عن»; the name after it belongs to the role in between.
    text = "وقال كبير المستشارين عن مكتب رئيس الوزراء روبرت هيل إن الخطة جاهزة."
    entities = _tagged(text, ("روبرت هيل", "PERS"))
    assert _speakers(text, []) == ["كبير المستشارين"]
    assert _speakers(text, entities) == ["كبير المستشارين"]
    text = "وقال كبير المستشارين عن الطاقة بعد لقائه بالملك سلمان إن الخطة جاهزة."
    entities = _tagged(text, ("بالملك سلمان", "PERS"))
    assert _speakers(text, entities) == _speakers(text, [])


def test_name_set_off_after_a_description_that_is_no_role_is_not_the_speaker() -> None:
    # the name opens the reported clause: «according to the book, X, the leader, is ...»
    text = "وفق الكتاب ومؤلفه، سالم الحداد، زعيم الحركة ليس أعلى سلطة فيها."
    entities = _tagged(text, ("سالم الحداد", "PERS"))
    assert _speakers(text, entities) == _speakers(text, [])
