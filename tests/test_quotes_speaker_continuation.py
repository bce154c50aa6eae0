"""Tests for the speaker rules of issue 19 (session 24): a month after في ends the speaker
phrase, ل after a document noun marks its issuer, and a person a reported statement speaks
of does not become the speaker a following participle continues. Sentences are invented,
not taken from any evaluation set."""

from __future__ import annotations

from marsad.extract.quotes import extract_statements, speaker_canonical, split_speaker


def test_a_month_after_the_subject_is_no_part_of_it() -> None:
    text = "وأعلن المنظمون في أغسطس أن المعرض سيستقبل الزوار طوال أيام الأسبوع المقبل."
    (statement,) = extract_statements(text)
    assert statement.speaker == "المنظمون"


def test_a_place_after_في_still_belongs_to_the_subject() -> None:
    # في before no month keeps its phrase: sources in the resistance are who speaks
    text = "وقالت مصادر في المقاومة إن الهجوم استهدف مواقع عسكرية قرب المدينة الساحلية."
    (statement,) = extract_statements(text)
    assert statement.speaker == "مصادر في المقاومة"


def test_lam_after_a_document_names_its_issuer() -> None:
    text = (
        "نفذت الطائرات عشر غارات قرب المدينة. وقال بيان لقيادة العمليات المشتركة إن "
        "الغارات دمرت مخازن للأسلحة والذخيرة في الضواحي الشمالية."
    )
    (statement,) = extract_statements(text)
    assert speaker_canonical(statement.speaker_resolved) == "قيادة العمليات المشتركة"


def test_a_pronoun_after_a_document_is_no_issuer() -> None:
    text = (
        "وقالت الهيئة الوطنية للأرصاد إن الأمطار ستستمر. وأضاف بيان لها إن الرياح "
        "ستشتد على المرتفعات الغربية خلال يومين."
    )
    statements = extract_statements(text)
    assert speaker_canonical(statements[-1].speaker_resolved) != "ها"


def test_a_person_the_statement_speaks_of_does_not_go_on_speaking() -> None:
    text = (
        "وقال مدير الفريق خالد السالم إن المعسكر يسير على أكمل وجه، لافتا إلى أن المدرب "
        "ماركو شدد على أهمية التغذية للاعبين، مبينا أنها من أهم جوانب الإعداد البدني."
    )
    statements = extract_statements(text)
    assert [speaker_canonical(s.speaker_resolved) for s in statements] == ["خالد السالم"] * 3


def test_a_new_subject_outside_the_statement_still_speaks() -> None:
    # the second verb stands after the statement's sentence: its subject is a new speaker
    text = (
        "وقال مدير الفريق خالد السالم إن المعسكر يسير على أكمل وجه. وشدد المدرب ماركو "
        "على أهمية التغذية للاعبين، مؤكدا أنها من أهم جوانب الإعداد البدني."
    )
    statements = extract_statements(text)
    assert speaker_canonical(statements[-1].speaker_resolved) == "ماركو"


def test_a_subject_before_its_verb_after_but_speaks() -> None:
    text = (
        "قال النادي إن المهاجم رحل عن الفريق، لكن صحف محلية أشارت إلى أن ناديا آخر "
        "تعاقد مع اللاعب لمدة ثلاثة مواسم."
    )
    statements = extract_statements(text)
    assert speaker_canonical(statements[-1].speaker_resolved) == "صحف محلية"


def test_an_accusative_word_after_the_cue_is_no_subject() -> None:
    # تزامناً carries fathatan: an adverbial, so the subject before the verb speaks
    text = (
        "بدأت الغارات فجر اليوم. وكانت الحكومة الجديدة أكدت تزامناً مع الغارات، أنها لن "
        "تتهاون مع المسلحين في المناطق الحدودية."
    )
    statements = extract_statements(text)
    assert speaker_canonical(statements[-1].speaker_resolved) == "الحكومة الجديدة"


def test_a_gloss_in_brackets_ends_the_name_a_reference_stands_for() -> None:
    text = (
        "قرر مجلس الاحتياط الاتحادي (البنك المركزي) الأميركي الإبقاء على سعر الفائدة. "
        "وقال المجلس في بيان إن سوق العمل يواصل التحسن مع نمو عدد الوظائف."
    )
    (statement,) = extract_statements(text)
    assert speaker_canonical(statement.speaker_resolved) == "مجلس الاحتياط الاتحادي"


def test_a_subjectless_cue_continues_the_titled_subject_not_a_titled_object() -> None:
    text = (
        "رفع صاحب السمو الأمير فيصل بن خالد أمير المنطقة شكره لخادم الحرمين الشريفين الملك "
        "سلمان بن عبدالعزيز على دعمه المتواصل للمشروعات. وقال إن المرحلة المقبلة ستشهد افتتاح "
        "مصانع جديدة في المنطقة."
    )
    (statement,) = extract_statements(text)
    assert speaker_canonical(statement.speaker_resolved) == "فيصل بن خالد"


def test_the_nearest_titled_person_speaks_when_no_titled_subject_opens_the_sentence() -> None:
    text = (
        "وكان في استقبال الوفد أمس الأمير فيصل بن خالد أمير المنطقة. وقال إن المرحلة "
        "المقبلة ستشهد افتتاح مصانع جديدة في المنطقة."
    )
    (statement,) = extract_statements(text)
    assert speaker_canonical(statement.speaker_resolved) == "فيصل بن خالد"


def test_a_subject_after_a_comma_inside_a_long_statement_still_speaks() -> None:
    # في حين أكد opens a clause of its own: its subject is a new speaker even where the
    # first statement runs on over it
    text = (
        "وشدد المحافظ خالد العلي على أن يكون المهرجان مختلفا هذا العام، في حين أكد رئيس "
        "البلدية الأستاذ سعد بن ناصر الفهد على أهمية المهرجانات للشباب، مشيرا إلى أن "
        "البلدية جهزت الساحات كلها."
    )
    statements = extract_statements(text)
    assert speaker_canonical(statements[-1].speaker_resolved) == "سعد بن ناصر الفهد"


def test_a_name_opening_the_phrase_before_a_role_outranks_a_name_in_its_description() -> None:
    name, title, description = split_speaker(
        "مختار الرحبي السكرتير الصحافي في مكتب الرئيس اليمني عبد ربه منصور هادي"
    )
    assert name == "مختار الرحبي"
    assert title == ""
    assert description.endswith("عبد ربه منصور هادي")


def test_a_role_before_the_name_still_leaves_the_name_after_it() -> None:
    assert speaker_canonical("وزير الخارجية الأمريكي جون كيري") == "جون كيري"


def test_the_latest_document_of_the_speaker_is_no_part_of_it() -> None:
    text = (
        "وأوضحت المديرية العامة للجوازات في آخر إحصاءاتها الرسمية أن عدد المسافرين "
        "ارتفع خلال الصيف بنسبة كبيرة."
    )
    (statement,) = extract_statements(text)
    assert speaker_canonical(statement.speaker_resolved) == "المديرية العامة للجوازات"
