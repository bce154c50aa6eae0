"""Tests for the speaker error kinds counted on speakers_train half A (issue 19): a name cut
short, a partitive speaker, nominal back-references to the entity named earlier, and an
organisation named in full that names itself. Sentences are invented, not taken from any
evaluation set."""

from __future__ import annotations

from marsad.extract.quotes import extract_statements, split_speaker


def test_definite_word_after_an_unknown_given_name_is_the_family_name() -> None:
    # An indefinite noun takes no definite adjective: الأحمدي is فايز's family name.
    name, title, description = split_speaker("فايز الأحمدي نائب رئيس الاتحاد السعودي لكرة السلة")
    assert name == "فايز الأحمدي"
    assert title == ""
    assert description == "نائب رئيس الاتحاد السعودي لكرة السلة"


def test_one_of_a_plural_speaks_and_the_definite_singular_refers_back_to_him() -> None:
    text = (
        'وقال أحد المحققين لدى الادعاء العام: "علينا أن نثبت الواقعة بالأدلة الكاملة". '
        "وأوضح المحقق أن الأمر يتطلب محاضر التنصت الخاصة بالوكالة."
    )
    first, second = extract_statements(text)
    assert first.speaker_resolved == "أحد المحققين لدى الادعاء العام"
    assert second.speaker == "المحقق"
    assert second.speaker_resolved == first.speaker_resolved


def test_definite_plural_refers_back_to_the_indefinite_group_named_before() -> None:
    text = (
        "ورأى مختصون أن القرار صائب تماما في هذا الوقت من العام. "
        "وأفاد المختصون بأن الهيئة لا تحتاج إلى الضغط على الشركات."
    )
    first, second = extract_statements(text)
    assert first.speaker_resolved == "مختصون"
    assert second.speaker_resolved == "مختصون"


def test_organisation_named_in_full_is_not_a_later_piece_of_an_earlier_phrase() -> None:
    # طالب (an act verb) records a long phrase that contains the organisation's name; the
    # organisation, named in full later, still names itself.
    text = (
        "أمام ذلك طالب عدد من المستهلكين الشركات بضرورة الاستجابة لقرار هيئة الاتصالات وتقنية "
        "المعلومات حيال خفض أسعار المكالمات داخل الشبكة، بعد أن قصرت شركتان تطبيق القرار على "
        "باقات محددة. وكانت هيئة الاتصالات وتقنية المعلومات قد أكدت في بيان سابق أن هناك "
        "ارتباطا بين الأسعار والتكلفة."
    )
    statements = extract_statements(text)
    assert statements[-1].speaker_resolved == "هيئة الاتصالات وتقنية المعلومات"


def test_the_speakers_own_verb_ends_the_speaker() -> None:
    text = (
        "وتستهدف العمليات القبض على المسلحين أحياء للحصول على المعلومات.\n"
        'ووفقا لمصادر أمنية أكدت لـ"الوطن" أن هناك مئات من المسلحين تم القبض عليهم خلال '
        "الأيام الماضية، وهو ما أثار الرعب في صفوفهم."
    )
    statements = extract_statements(text)
    assert statements
    assert all(s.speaker_resolved == "مصادر أمنية" for s in statements)


def test_a_quoted_one_word_name_ends_at_its_closing_mark() -> None:
    text = 'وكشف "ويكيليكس" مطلع الشهر الجاري أن الوكالة مهتمة بالسياسة النقدية للبلاد.'
    (statement,) = extract_statements(text)
    assert statement.speaker_resolved == "ويكيليكس"


def test_an_adverb_between_a_role_and_its_holder_keeps_the_name() -> None:
    text = (
        "واعتبر مدير التخطيط العمراني في أمانة المنطقة سابقًا المهندس سامي الخالد، أن هذه "
        "الخطوة كانت ضرورية جدا للمدينة."
    )
    (statement,) = extract_statements(text)
    assert statement.speaker == "سامي الخالد"
    assert statement.speaker_title.endswith("المهندس")
    assert statement.speaker_title.startswith("مدير التخطيط العمراني")


def test_a_poll_speaks_for_whoever_conducted_it() -> None:
    text = (
        "وأظهر استطلاع أجرته رويترز لآراء عشرين محللا في شؤون النفط أن الإنتاج سيرتفع خلال "
        "العام المقبل."
    )
    (statement,) = extract_statements(text)
    assert statement.speaker_resolved == "رويترز"


def test_a_statement_about_a_titled_person_is_not_his() -> None:
    # The prince is spoken about (عن): the participle's subject is not him.
    text = "وتحدث الوزير عن الأمير سلطان بن سلمان، مؤكدا أنه قدم الكثير للسياحة في البلاد."
    assert all(s.speaker_resolved != "سلطان بن سلمان" for s in extract_statements(text))


def test_a_titled_person_who_spoke_before_still_continues() -> None:
    text = (
        "واعتبر الشيخ عبدالعزيز الفوزان أن القرار صائب، وأكد أنه سيخدم المواطنين كثيرا في المستقبل."
    )
    assert [s.speaker_resolved for s in extract_statements(text)] == ["عبدالعزيز الفوزان"] * 2


def test_the_report_speaks_for_the_speaker_who_presented_it_as_his() -> None:
    text = (
        "وأوضحت المؤسسة العامة للتأمينات الاجتماعية في تقريرها السنوي أن الاستثمارات ارتفعت "
        "كثيرا.\nوأشار التقرير إلى أن عدد المشتركين تجاوز تسعة ملايين مشترك."
    )
    statements = extract_statements(text)
    assert statements[-1].speaker == "التقرير"
    assert statements[-1].speaker_resolved == "المؤسسة العامة للتأمينات الاجتماعية"


def test_a_nationality_closing_an_organisations_proper_name_is_its_description() -> None:
    assert split_speaker("نادي بني ياس الإماراتي") == ("نادي بني ياس", "", "الإماراتي")
    assert split_speaker("شركة هوندا موتور اليابانية") == ("شركة هوندا موتور", "", "اليابانية")
    # after common nouns only, the nationality tells which ministry: it stays in the name
    assert split_speaker("وزارة الصحة السعودية") == ("وزارة الصحة السعودية", "", "")


def test_an_indefinite_word_closing_the_phrase_ends_a_name_of_two_words() -> None:
    text = "اعلن رئيس منظمة الطاقة الذرية الايرانية علي اكبر صالحي ان روسيا ستبني محطتين جديدتين."
    (statement,) = extract_statements(text)
    assert statement.speaker == "علي اكبر صالحي"
    assert statement.speaker_title == "رئيس منظمة الطاقة الذرية الايرانية"
    # the one spoken to is no part of the name
    assert split_speaker("محمد علي لرويترز")[0] != "محمد علي لرويترز"


def test_a_noun_with_a_possessive_pronoun_is_no_new_speaker() -> None:
    # شركته: "his company" (ة written ت before the pronoun) belongs to the speaker
    text = (
        "وأوضح حسان قباني أن القرار لا يلزم الشركات بخفض الأسعار، لافتا إلى أن شركته أقرت "
        "تخفيض المكالمات لكي تدخل في المنافسة."
    )
    statements = extract_statements(text)
    assert statements
    assert all(s.speaker_resolved == "حسان قباني" for s in statements)
