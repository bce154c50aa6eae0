"""Long titles of one body's office written right before their holder once or twice in a few
days (issue 19, session 26): the phrase names the holder, the body it holds stays apart, two
persons after one phrase name no one. Names, bodies and texts are invented."""

from __future__ import annotations

from marsad.extract.aliases import mine_aliases, same_entity, use_store_aliases

TITLE = "الناطق الإعلامي بشرطة محافظة الوادي الأخضر"


def test_long_title_before_a_rank_and_a_name_names_him() -> None:
    texts = [
        f"وأوضح {TITLE} الرائد سامر بن فهيد الدلبحي أن البلاغ ورد مساء أمس.",
        f"وقال {TITLE} الرائد سامر بن فهيد الدلبحي إن المتهم أوقف.",
    ]
    pairs = dict(mine_aliases(texts))
    assert pairs.get(TITLE) == "سامر بن فهيد الدلبحي"
    use_store_aliases(list(pairs.items()))
    assert same_entity(TITLE, "سامر الدلبحي")
    assert same_entity(TITLE, "الرائد سامر بن فهيد الدلبحي")
    # the body the title names is not its spokesman, nor is the place
    assert not same_entity("محافظة الوادي الأخضر", "سامر الدلبحي")
    assert not same_entity("شرطة محافظة الوادي الأخضر", "سامر بن فهيد الدلبحي")


def test_two_persons_after_one_phrase_name_no_one() -> None:
    texts = [
        f"وأوضح {TITLE} الرائد سامر بن فهيد الدلبحي أن البلاغ ورد مساء أمس.",
        f"وقال {TITLE} النقيب ماجد بن راشد العطوي إن المتهم أوقف.",
    ]
    assert TITLE not in dict(mine_aliases(texts))


def test_a_title_inside_a_longer_one_and_a_short_one_name_no_one() -> None:
    deputy = "مساعد المدير العام لمكتب تحقيقات النقل الوادي"
    texts = [
        f"وأوضح {deputy} المهندس سامر بن فهيد الدلبحي أن الفريق وصل.",
        f"وقال {deputy} المهندس سامر بن فهيد الدلبحي إن التقرير جاهز.",
        # a three-word phrase in one article only is too little: every body has such an office
        "وقال مدير الشؤون الصحية فهد بن علي الرويلي إن المستشفى جاهز، وأكد مدير الشؤون الصحية"
        " فهد بن علي الرويلي ذلك.",
    ]
    pairs = dict(mine_aliases(texts))
    assert pairs.get(deputy) == "سامر بن فهيد الدلبحي"
    assert "المدير العام لمكتب تحقيقات النقل الوادي" not in pairs  # the deputy is not the head
    assert "مدير الشؤون الصحية" not in pairs


def test_a_rank_without_the_article_is_left_out() -> None:
    title = "المتحدث الإعلامي بشرطة محافظة الوادي الأخضر"
    texts = [
        f"وأوضح {title} العقيد دكتور سامر بن فهيد الدلبحي أن البلاغ ورد مساء أمس.",
        f"وقال {title} العقيد دكتور سامر بن فهيد الدلبحي إن المتهم أوقف.",
    ]
    assert dict(mine_aliases(texts)).get(title) == "سامر بن فهيد الدلبحي"


def test_a_mined_title_names_its_holder_under_another_title_of_the_office() -> None:
    use_store_aliases([("الناطق الرسمي باسم حكومة الوادي الأخضر", "سامر الدلبحي")])
    assert same_entity("الناطق الرسمي باسم حكومة الوادي الأخضر", "سامر الدلبحي")
    assert same_entity("الناطق باسم حكومة الوادي الأخضر", "سامر الدلبحي")
    assert not same_entity("حكومة الوادي الأخضر", "سامر الدلبحي")


def test_a_title_left_by_a_longer_mined_title_keeps_its_own_holder() -> None:
    use_store_aliases(
        [
            ("مستشار خادم الحرمين الشريفين أمير منطقة الوادي", "فارس بن ماجد"),
            ("خادم الحرمين الشريفين", "سلمان بن عبدالعزيز"),
        ]
    )
    assert same_entity("خادم الحرمين الشريفين", "سلمان بن عبدالعزيز")
    assert not same_entity("خادم الحرمين الشريفين", "فارس بن ماجد")
