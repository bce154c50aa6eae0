"""Speaker names kept whole by the canonical form (``extract.quotes``) and by the tagged names
(``extract.speaker_entities``).

Sentences and names are invented. Each kind was cut by the rules before: a word inside a name
that is also a title, a common word or a preposition-looking word ended it (محمد السيد ->
محمد, فان غال -> nothing, بالاغو -> nothing), and title stripping cut organisation names.
"""

from __future__ import annotations

from marsad.extract.aliases import same_entity
from marsad.extract.ner import Entity
from marsad.extract.quotes import extract_statements, speaker_canonical
from marsad.extract.speaker_entities import snap_speakers

CLAIM = "إن الموسم المقبل سيشهد افتتاح ثلاثة ملاعب جديدة في المدينة."


def _canonicals(text: str) -> list[str]:
    return [speaker_canonical(s.speaker_resolved) for s in extract_statements(text)]


def _tagged(text: str, surface: str, label: str = "PERS") -> list[Entity]:
    start = text.index(surface)
    return [Entity(surface, label, start, start + len(surface))]


def _snapped(text: str, entities: list[Entity]) -> list[str]:
    statements = snap_speakers(text, extract_statements(text), entities)
    return [speaker_canonical(s.speaker_resolved) for s in statements]


def test_honorific_after_a_given_name_is_the_family_name() -> None:
    assert _canonicals(f"وقال خالد السيد {CLAIM}") == ["خالد السيد"]
    assert speaker_canonical("الدكتور سامي السيد") == "سامي السيد"


def test_honorific_before_a_name_is_still_a_title() -> None:
    assert speaker_canonical("السيد خالد العمري") == "خالد العمري"


def test_compound_family_name_after_a_patronymic_stays() -> None:
    assert _canonicals(f"وقال يوسف بن أحمد الجار الله {CLAIM}") == ["يوسف بن أحمد الجار الله"]


def test_conjunction_after_a_compound_given_name_starts_another_phrase() -> None:
    assert speaker_canonical("سامر عبد الكريم ومقره باريس") == "سامر عبد الكريم"


def test_word_that_only_looks_like_a_preposition_continues_a_name() -> None:
    assert _canonicals(f"وقال المهاجم الإيطالي ماريو بالوتيلي {CLAIM}") == ["ماريو بالوتيلي"]
    assert speaker_canonical("المسؤول الديني التركي، اسماعيل بالاغو") == "اسماعيل بالاغو"


def test_preposition_on_a_common_word_after_a_name_ends_it() -> None:
    assert speaker_canonical("كارتر للصحفيين") == "كارتر"
    assert speaker_canonical("كارتر للمملكة") == "كارتر"


def test_european_name_particles_continue_a_name() -> None:
    assert _canonicals(f"وقال المدرب روبن فان بيرسي {CLAIM}") == ["روبن فان بيرسي"]
    assert _canonicals(f"وقال جان لو موان {CLAIM}") == ["جان لو موان"]
    assert speaker_canonical("بن فان بيوردن") == "بن فان بيوردن"  # Ben, not the connector
    assert speaker_canonical("مدرب الفريق بن فان دايك") == "بن فان دايك"


def test_preposition_with_the_article_opens_no_name() -> None:
    role = "الأمين العام لمنظمة الدول المصدرة للبترول"
    assert speaker_canonical(role) == role  # not للبترول


def test_indefinite_role_after_a_patronymic_is_no_family_name() -> None:
    assert speaker_canonical("سلطان بن فهد ولي") == "سلطان بن فهد"
    assert speaker_canonical("سلطان بن فهد المرشد") == "سلطان بن فهد المرشد"


def test_organisation_names_keep_their_honorifics_and_complements() -> None:
    assert _canonicals("وقالت مؤسسة جسر الملك فهد إن حركة العبور ارتفعت خلال أيام العيد.") == [
        "مؤسسة جسر الملك فهد"
    ]
    office = "مكتب المدعي العام الفرنسي"
    assert _canonicals(f"وقال {office} إن التحقيق سيستمر خلال الأسابيع المقبلة.") == [office]


def test_organisation_keeps_its_alias_and_drops_one_closing_adjective() -> None:
    assert speaker_canonical("وكالة أنباء الإمارات الرسمية") == "وكالة أنباء الإمارات"
    bbc = speaker_canonical("هيئة الإذاعة البريطانية «بي بي سي»")
    assert same_entity(bbc, "هيئة الإذاعة البريطانية")


def test_tagged_name_ends_a_canonical_that_runs_past_it() -> None:
    text = "وقال المخرج كاميرون هيل إن الفيلم الجديد سيعرض في الصالات مطلع العام المقبل."
    assert _canonicals(text) == ["المخرج كاميرون هيل"]  # the rules read the title in
    assert _snapped(text, _tagged(text, "كاميرون هيل")) == ["كاميرون هيل"]
    text = f"وقال مشاري العتيبي مبتعث {CLAIM}"
    assert _snapped(text, _tagged(text, "مشاري العتيبي")) == ["مشاري العتيبي"]


def test_tagged_name_after_an_organisation_head_is_the_organisation() -> None:
    text = "وقالت رئيسة شركة ريم سيناء للمعارض إن المعرض سيفتتح الأسبوع المقبل في الرياض."
    role = "رئيسة شركة ريم سيناء للمعارض"
    assert _snapped(text, _tagged(text, "ريم سيناء")) == [role]  # a mistagged company


def test_partly_tagged_name_does_not_shrink_the_canonical() -> None:
    text = f"وقال عماد نزال {CLAIM}"
    assert _snapped(text, _tagged(text, "عماد")) == _canonicals(text)


def test_honorific_followed_by_its_complement_is_a_title() -> None:
    canonical = speaker_canonical("الباحث محمود الأستاذ المساعد بالجامعة")
    assert "الأستاذ" not in canonical


def test_family_name_after_a_patronymic_keeps_a_partly_tagged_name_whole() -> None:
    text = f"وقال المهندس ماجد بن سالم الشفق {CLAIM}"
    whole = _canonicals(text)
    assert whole == ["ماجد بن سالم الشفق"]
    assert _snapped(text, _tagged(text, "ماجد بن سالم")) == whole


def test_honorific_family_name_before_a_preposition_stays() -> None:
    assert speaker_canonical("العميد ياسر الحاج لـ") == "ياسر الحاج"


def test_given_name_ali_before_a_tagged_name_is_no_preposition() -> None:
    text = f"وأوضح المشرف على الفعاليات علي سالم الغانم {CLAIM}"
    whole = _canonicals(text)
    assert whole == ["علي سالم الغانم"]
    assert _snapped(text, _tagged(text, "سالم الغانم")) == whole
