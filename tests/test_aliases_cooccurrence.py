"""Alias mining from evidence across articles (issue 19, session 25): an office named in an
article whose holder the article names elsewhere, a name between an honorific and a role, and
acronyms spelled out by an institution named after a person or written as a common word.
Names and texts are invented."""

from __future__ import annotations

from marsad.extract.aliases import mine_aliases, same_entity

OUTLETS = ["okaz", "alriyadh", "alyaum", "sabq", "aawsat", "almadina"]


def _visit(day: int) -> str:
    """A visit story: the office in the headline, the holder after an honorific in the body,
    the host named beside him."""
    return (
        f"الرئيس الياباني يزور المدينة المنورة في اليوم {day}\n"
        "وصل الرئيس كارلوس مندوزا إلى المدينة اليوم، وكان في استقباله الأمير فهد بن سعود. "
        "وقال السيد كارلوس مندوزا إن الزيارة ناجحة."
    )


def _host(day: int) -> str:
    return f"افتتح الأمير فهد بن سعود معرض الكتاب في اليوم {day} بحضور عدد من المسؤولين."


def _outlets(count: int) -> list[str]:
    return [OUTLETS[i % len(OUTLETS)] for i in range(count)]


APPOSED = "\nوكان الرئيس كارلوس مندوزا رئيس جمهورية اليابان قد وصل أمس."


def test_office_takes_the_holder_named_in_its_articles() -> None:
    # one article names him beside the office; the others in the headline only
    texts = [_visit(0) + APPOSED] + [_visit(day) for day in range(1, 4)]
    texts += [_host(day) for day in range(20)]
    pairs = dict(mine_aliases(texts, outlets=_outlets(len(texts))))
    # The host is in every article of the office too, but in many others as well.
    assert pairs.get("الرئيس الياباني") == "كارلوس مندوزا"
    # never named beside the office: no holder from the articles alone
    texts[0] = _visit(0)
    assert "الرئيس الياباني" not in dict(mine_aliases(texts, outlets=_outlets(len(texts))))


def test_office_needs_articles_of_two_outlets_and_a_clear_holder() -> None:
    texts = [_visit(day) for day in range(4)] + [_host(day) for day in range(20)]
    # every visit story from one outlet: one newsroom's habit, no agreement
    one_outlet = ["okaz"] * 4 + _outlets(20)
    assert "الرئيس الياباني" not in dict(mine_aliases(texts, outlets=one_outlet))
    # two visitors named as often in the office's articles: no holder
    other = [_visit(day).replace("كارلوس مندوزا", "خوان بيريز") for day in range(4, 8)]
    pairs = dict(mine_aliases(texts[:4] + other + texts[4:], outlets=_outlets(len(texts) + 4)))
    assert "الرئيس الياباني" not in pairs


def test_name_between_an_honorific_and_a_role_is_a_person() -> None:
    # رمضان is also a month: only its place between «الرئيس» and a role makes the run a name.
    texts = [
        f"الرئيس الياباني {verb}\n{verb} الرئيس رمضان أحمد كاظموف رئيس جمهورية اليابان."
        for verb in ("وصل", "غادر", "زار", "التقى")
    ]
    pairs = dict(mine_aliases(texts, outlets=OUTLETS[:4]))
    assert pairs.get("الرئيس الياباني") == "رمضان أحمد كاظموف"
    without_role = [text.replace(" رئيس جمهورية اليابان", " اليوم") for text in texts]
    assert "الرئيس الياباني" not in dict(mine_aliases(without_role, outlets=OUTLETS[:4]))


def test_acronym_of_a_body_named_after_a_person() -> None:
    texts = [
        f"{left} جامعة الملك فهد للعلوم والتقنية (كاوفت) برنامجا جديدا."
        for left in ("أطلقت", "وأعلنت")
    ]
    pairs = dict(mine_aliases(texts))
    assert pairs.get("كاوفت") == "جامعة الملك فهد للعلوم والتقنية"
    # a person's name before the bracket is no body
    people = [f"{left} الملك فهد بن سعود (كاوفت) اليوم." for left in ("وصل", "وغادر")]
    assert "كاوفت" not in dict(mine_aliases(people))


def test_acronym_that_is_also_a_common_word_needs_three_uses() -> None:
    common = [f"هذه سمة من سمات المرحلة رقم {n}." for n in range(40)]
    spelled = [
        f"{left} الشركة الوطنية للمعلومات الائتمانية (سمة) تقريرها."
        for left in ("أصدرت", "ونشرت", "وقدمت")
    ]
    assert dict(mine_aliases(spelled + common)).get("سمة") == (
        "الشركة الوطنية للمعلومات الائتمانية"
    )
    assert "سمة" not in dict(mine_aliases(spelled[:2] + common))


def test_kunya_in_brackets_beside_a_full_name() -> None:
    texts = [
        "وقال الرئيس الفلسطيني سامر حداد (أبو ليث) إن المفاوضات متوقفة.",
        "وأكد الرئيس أبو ليث (سامر حداد) أن الحكومة باقية.",
        "واستقبل الوزير سامر حداد الوفد.",
    ]
    pairs = dict(mine_aliases(texts))
    assert pairs.get("أبو ليث") == "سامر حداد"
    assert same_entity("أبو ليث", "سامر حداد") or pairs
    # one article is no evidence; a kunya apposed to two people names neither
    assert "أبو ليث" not in dict(mine_aliases(texts[:1]))
    split = [*texts, "وقال القيادي فادي نمر (أبو ليث) إن الحركة مستعدة.", texts[0]]
    assert "أبو ليث" not in dict(mine_aliases(split))
    # a description is no person's name, however often apposed
    told = [f"{verb} جد الطفلة (أبو ليث) للصحيفة." for verb in ("وقال", "وأضاف", "وأكد")]
    assert "أبو ليث" not in dict(mine_aliases(told))
    # a phrase opening with أبو before a bracketed place is no kunya
    phrase = ["حدثنا أبو شاهين من (مكة المكرمة) عن الحج."] * 2
    assert not [k for k, _ in mine_aliases(phrase) if k.startswith("أبو")]


def test_acronym_takes_the_body_most_uses_name() -> None:
    texts = [
        "وترأس الوزير وفد المملكة في اجتماعات المجلس الوزاري لصندوق النفط للتنمية الدولية "
        "(أوفاد) غدا.",
        "أعلن مدير عام صندوق النفط للتنمية الدولية (أوفاد) اعتماد قروض جديدة.",
        "وشارك رئيس صندوق النفط للتنمية الدولية (أوفاد) في الاجتماع.",
    ]
    assert dict(mine_aliases(texts)).get("أوفاد") == "صندوق النفط للتنمية الدولية"
    # a feminine adjective in brackets is no acronym
    adjective = [
        f"{verb} مجلس الشورى للتنمية الوطنية (تاريخية) في جلسته." for verb in ("وصف", "عد", "رأى")
    ]
    assert "تاريخية" not in dict(mine_aliases(adjective))
