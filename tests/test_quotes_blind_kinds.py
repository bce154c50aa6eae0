"""Rules for the error kinds found on a from-scratch quote set (issue 19, session 22).

Each test uses invented sentences and fails on the rules before the fix it guards.
"""

from __future__ import annotations

from marsad.extract.aliases import same_entity
from marsad.extract.quotes import extract_statements, speaker_canonical


def _said(text: str) -> list[tuple[str, str, str | None]]:
    """(canonical speaker, statement text, relaying source) of each statement."""
    return [
        (speaker_canonical(s.speaker_resolved), text[s.start : s.end], s.source)
        for s in extract_statements(text)
    ]


def test_manner_hasab_inside_a_clause_does_not_cut_the_statement() -> None:
    text = (
        "وأوضح مدير التعليم سالم الحربي أن اللجان ستستقبل المرشحين حسب جدول يومي على "
        "فترتين لمدة ثلاثة أيام."
    )
    ((speaker, said, _),) = _said(text)
    assert speaker == "سالم الحربي"
    assert said.endswith("لمدة ثلاثة أيام")


def test_source_hasab_after_a_comma_still_credits_the_clause_before_it() -> None:
    text = "ارتفعت أسعار الحديد هذا الشهر بنسبة كبيرة، حسب ما أعلنت وزارة التجارة أمس."
    ((speaker, said, _),) = _said(text)
    assert speaker == "وزارة التجارة"
    assert said == "ارتفعت أسعار الحديد هذا الشهر بنسبة كبيرة"


def test_acronym_in_brackets_is_the_addressee_not_the_quotation() -> None:
    text = "وقال سعيد الأحمد لـ(إيه.بي.سي) إنه كان يسبح في المياه الضحلة قرب الشاطئ."
    ((speaker, said, _),) = _said(text)
    assert speaker == "سعيد الأحمد"
    assert said == "كان يسبح في المياه الضحلة قرب الشاطئ"


def test_missing_space_after_a_full_stop_still_ends_the_sentence() -> None:
    text = "قال الوزير إن الوضع مستقر.وأضاف أن العمل مستمر في المشروع."
    speakers = [speaker for speaker, _, _ in _said(text)]
    assert speakers == ["الوزير", "الوزير"]


def test_relay_with_naqlan_an_credits_the_inner_source() -> None:
    text = "وذكرت صحيفة الحياة، نقلا عن مصادر مطلعة، أن الوزير سيزور المنطقة الأسبوع المقبل."
    ((speaker, said, source),) = _said(text)
    assert speaker == "مصادر مطلعة"
    assert source == "صحيفة الحياة"
    assert said == "الوزير سيزور المنطقة الأسبوع المقبل"


def test_relay_with_naqlan_an_then_a_named_speaker_credits_the_named_one() -> None:
    text = (
        "وذكرت الصحيفة، نقلا عن مسؤولين قولهم إن سامر قال للمحققين إنه كان ينتظر "
        "موعد الإحصاء الأخير."
    )
    ((speaker, said, _),) = _said(text)
    assert speaker == "سامر"
    assert said == "كان ينتظر موعد الإحصاء الأخير"


def test_unnamed_source_keeps_its_description_and_stops_before_the_claim() -> None:
    text = (
        "أفاد مصدر أمني خليجي مطلع بوجود صلة بين الخلايا والموقوفين في البلدين. "
        "وقال المصدر لصحيفة محلية إن التحقيقات كشفت معلومات خطيرة عن الخلايا."
    )
    speakers = [speaker for speaker, _, _ in _said(text)]
    assert speakers[0] == "مصدر أمني خليجي مطلع"


def test_unnamed_source_head_alone_is_its_own_canonical_form() -> None:
    assert speaker_canonical("مصدر أمني خليجي مطلع") == "مصدر أمني خليجي مطلع"


def test_title_word_that_is_also_a_name_closes_the_name_before_a_role() -> None:
    text = "وقال محمد رحيم أمين حاكم منطقة الوادي: إن مروحيتين هاجمتا الحاجز ليلا قرب القرية."
    ((speaker, _, _),) = _said(text)
    assert speaker == "محمد رحيم أمين"


def test_secretary_general_after_a_name_stays_a_title() -> None:
    assert speaker_canonical("سعيد صالح أمين عام الحزب") == "سعيد صالح"


def test_the_agency_after_an_agency_named_alone_is_that_agency() -> None:
    text = (
        "فيما كشفت “شينخوا” أن السفينة كانت تقل مئات الركاب عند غرقها. "
        "وبحسب الوكالة فإن فرق الإنقاذ تواجه صعوبة بالغة في عملها."
    )
    speakers = [speaker for speaker, _, _ in _said(text)]
    # Both statements are the agency's, under whichever name the alias list makes canonical.
    assert len(speakers) == 2 and all(same_entity(s, "شينخوا") for s in speakers)


def test_the_management_of_a_place_speaks_for_the_place_named_earlier() -> None:
    text = (
        "وقع مطار الأمير نايف الدولي عقدا لإنشاء مبنى جديد. "
        "وأوضحت إدارة المطار في تصريح لها أن مدة العقد عشرون سنة كاملة."
    )
    assert _said(text)[-1][0] == "مطار الأمير نايف الدولي"


def test_international_is_part_of_an_organisation_name_not_a_nationality() -> None:
    assert speaker_canonical("مطار الأمير نايف الدولي") == "مطار الأمير نايف الدولي"


def test_a_relaying_outlet_after_the_speakers_ends_their_phrase() -> None:
    text = (
        "وصرحت إدارات الفنادق في المدينة بحسب ما نقلته صحيفة محلية، أن معدلات الإشغال "
        "وصلت إلى ذروتها هذا الأسبوع."
    )
    assert _said(text)[0][0] == "إدارات الفنادق في المدينة"


def test_a_place_named_after_a_person_is_no_speaker_for_a_subjectless_cue() -> None:
    text = (
        "زار المفتشون عمالا مصابين بمستشفى الملك فيصل في المدينة. "
        "واطمأن فهد المطيري على صحتهم. وأكد لهم أن مكتب العمل يقف معهم."
    )
    ((speaker, said, _),) = _said(text)
    assert speaker == "فهد المطيري"
    assert said == "مكتب العمل يقف معهم"


def test_a_coordinated_organisation_in_a_title_chain_is_not_the_object() -> None:
    text = (
        "أكد رئيس هيئة كبار العلماء وإدارة البحوث العلمية الشيخ صالح بن محمد آل الشيخ "
        "على أهمية الحوار مع الشباب. وقال سماحته: إن الهدف هو التغرير بالشباب وتغيير أفكارهم."
    )
    assert [speaker for speaker, _, _ in _said(text)] == ["صالح بن محمد آل الشيخ"]


def test_the_word_after_al_is_the_family_name_even_when_it_is_a_title() -> None:
    assert speaker_canonical("المفتي الشيخ صالح بن محمد آل الشيخ") == "صالح بن محمد آل الشيخ"


def test_stressing_the_importance_of_something_is_no_statement_but_names_the_speaker() -> None:
    text = (
        "وأكد وزير التعليم سالم الحربي على ضرورة التصدي للأفكار المضللة في المدارس. "
        "وأضاف أن الوزارة ستطلق برنامجا جديدا للطلاب."
    )
    assert _said(text) == [("سالم الحربي", "الوزارة ستطلق برنامجا جديدا للطلاب", None)]


def test_a_demand_continues_its_speaker_but_is_no_statement() -> None:
    text = (
        "وقال الفنان سامر العلي إنه مل الخلافات الفنية مطالبا زميله بأن ينشغل بأعماله. "
        "وأضاف أن الجمهور يعرف الحقيقة جيدا."
    )
    said = _said(text)
    assert [speaker for speaker, _, _ in said] == ["سامر العلي", "سامر العلي"]
    assert not any("ينشغل" in statement for _, statement, _ in said)


def test_a_pronoun_addressee_after_the_cue_is_skipped_for_the_subject() -> None:
    text = "وقال له الطبيب إن حالته مستقرة تماما الآن."
    assert _said(text) == [("الطبيب", "حالته مستقرة تماما الآن", None)]


def test_a_relative_clause_set_off_by_a_comma_credits_its_antecedent() -> None:
    text = (
        "وقال المتحدث سالم الحربي إنه بعد إحالة الموضوع للجهة المختصة، التي أفادت بأنه تم "
        "تشكيل لجنة للتحقيق، سيتم إحالة المعاملة إلى اللجنة."
    )
    speakers = [speaker for speaker, _, _ in _said(text)]
    assert speakers[0] == "سالم الحربي"
    assert speakers[1] != "سالم الحربي"
    assert speakers[1].endswith("الجهة المختصة")


def test_a_quoted_name_opening_a_reported_clause_is_no_quotation() -> None:
    text = 'وأكد المتحدث سالم الحربي أن "صحة الباحة" تبين ذلك من باب إطلاع المجتمع على الأحداث.'
    ((_, said, _),) = _said(text)
    assert said == '"صحة الباحة" تبين ذلك من باب إطلاع المجتمع على الأحداث'


def test_a_subjectless_cue_continues_the_titled_subject_of_the_opening_verb() -> None:
    text = (
        "استند الفنان فهد المالكي على ظهور زميله في برنامج تلفزيوني، وقال: (أنا لست متفرغا "
        "لهذه الخلافات التي لا تنتهي أبدا)."
    )
    ((speaker, said, _),) = _said(text)
    assert speaker == "فهد المالكي"
    assert said.startswith("أنا لست متفرغا")


def test_the_subject_of_the_opening_verb_stops_at_the_common_word_after_the_name() -> None:
    text = "وتفقد نايف البكري أحياء المدينة المتضررة صباح اليوم. وأضاف أن الخدمات عادت إلى المدينة."
    assert [speaker for speaker, _, _ in _said(text)] == ["نايف البكري"]


def test_a_coordinated_tail_of_an_importance_claim_is_no_statement_either() -> None:
    text = (
        "أكد رئيس هيئة كبار العلماء وإدارة البحوث العلمية والإفتاء الشيخ صالح بن محمد آل "
        "الشيخ على أهمية سعي العلماء إلى الشباب واحتوائهم، وعدم إغلاق أبوابهم أمامهم أبدا."
    )
    assert _said(text) == []


def test_an_importance_object_before_a_colon_is_no_statement() -> None:
    text = (
        "وأكد الدكتور سالم الحربي أهمية إحضار المرشح المستندات الثبوتية، المتضمنة: صورة "
        "الهوية الوطنية وصورة وثيقة التخرج."
    )
    assert _said(text) == []


def test_the_mufti_after_an_urging_refers_back_to_the_named_mufti() -> None:
    text = (
        "قال مفتي عام المملكة الشيخ صالح بن محمد آل الشيخ إن الفتاوى الشاذة خطر على الشباب. "
        "وشدد المفتي على ضرورة التصدي لهذه الأفكار. وأضاف: إنه يجب تنشئة الشباب تنشئة صالحة."
    )
    assert [speaker for speaker, _, _ in _said(text)] == ["صالح بن محمد آل الشيخ"] * 2


def test_a_closing_attribution_after_kama_credits_its_sentence() -> None:
    text = (
        "قتل عشرة جنود على الأقل أمس في غارة على حاجز للجيش شمال المدينة، كما أعلنت "
        "السلطات المحلية. وقال الحاكم سالم محمد إن مروحيتين هاجمتا الحاجز ليلا."
    )
    said = _said(text)
    assert said[0] == (
        "السلطات المحلية",
        "قتل عشرة جنود على الأقل أمس في غارة على حاجز للجيش شمال المدينة",
        None,
    )


def test_agreed_and_believe_report_what_follows() -> None:
    text = (
        "وأجمع عدد من ملاك الفنادق على أن وحداتهم استنفرت لاستقبال الزوار. "
        "ويعتقد العلماء أن الكوكب صخري ويشبه الأرض في حجمه."
    )
    assert [statement for _, statement, _ in _said(text)] == [
        "وحداتهم استنفرت لاستقبال الزوار",
        "الكوكب صخري ويشبه الأرض في حجمه",
    ]


def test_details_reported_by_a_newspaper_are_the_newspapers() -> None:
    text = (
        "وبحسب التفاصيل التي ذكرتها صحيفة “ذا ناشيونال” الإماراتية، فإن المتهمين قابلا "
        "في سبتمبر تاجرين من الرياض."
    )
    ((speaker, _, _),) = _said(text)
    assert speaker == "صحيفة ذا ناشيونال"


def test_a_fronted_source_ends_at_faqad() -> None:
    text = "وبحسب وصف المدعي العام في القضية فقد اجتمع الأطراف الأربعة في غرفة فندقية بالمدينة."
    ((speaker, said, _),) = _said(text)
    assert speaker == "المدعي العام في القضية"
    assert said.startswith("فقد اجتمع")


def test_sources_never_named_are_the_group_that_spoke_last() -> None:
    text = (
        "وصرحت العديد من إدارات الفنادق أن الإشغال مرتفع هذا الأسبوع. "
        "وأضافت المصادر أن الأسعار انخفضت مقارنة بالعام الماضي."
    )
    assert [speaker for speaker, _, _ in _said(text)] == ["العديد من إدارات الفنادق"] * 2


def test_sources_never_named_after_a_person_stay_unresolved() -> None:
    text = (
        "وقال الوزير سالم الأحمد إن الإشغال مرتفع هذا الأسبوع. "
        "وأضافت المصادر أن الأسعار انخفضت مقارنة بالعام الماضي."
    )
    assert _said(text)[-1][0] == "المصادر"


def test_a_dual_relative_clause_credits_the_two_named_before_it() -> None:
    text = (
        "وأنقذت الفرق ثمانية أشخاص بينهم القبطان ورئيس الطاقم اللذان أكدا أن إعصارا "
        "ضرب السفينة ليلا."
    )
    ((speaker, said, _),) = _said(text)
    assert speaker == "القبطان ورئيس الطاقم"
    assert said == "إعصارا ضرب السفينة ليلا"


def test_a_plural_forecast_after_kana_qad_credits_its_preverbal_subject() -> None:
    text = "وكان خبراء اقتصاديون قد توقعوا في استطلاع أن ترتفع المبيعات إلى معدل قياسي."
    ((speaker, _, _),) = _said(text)
    assert speaker == "خبراء اقتصاديون"
