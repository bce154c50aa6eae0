"""Titles of bodies and bare offices mined from apposition evidence (issue 19, session 24);
invented names and texts throughout."""

from __future__ import annotations

from marsad.extract import aliases
from marsad.extract.aliases import mine_aliases, same_entity, title_key

LEFTS = ["وقال", "وأعلن", "وأكد", "وذكر", "وأوضح", "وبين"]
OUTLETS = ["جريدة-أ", "جريدة-ب", "جريدة-ج", "جريدة-د", "جريدة-ه", "جريدة-و"]


def _articles(template: str, lefts: list[str] = LEFTS) -> list[str]:
    return [template.format(left=left) for left in lefts]


def _given_name_texts(first: str) -> list[str]:
    """Six uses of ``first`` opening a royal name (الأمير X بن Y): a given name by the corpus."""
    return [f"واستقبل الأمير {first} بن فهد الوفد."] * 6


def test_name_after_a_body_of_the_office() -> None:
    # لأوبك and لمنظمة أوبك name the body, not the holder; the name follows them.
    for text, name in (
        ("وأشار الأمين العام لأوبك عبدالله الزرقاني أمس", ["عبدالله", "الزرقاني"]),
        ("وقال الأمين العام لمنظمة أوبك عبدالله الزرقاني", ["عبدالله", "الزرقاني"]),
        ("وأكد رئيس هيئة الأركان العامة الفريق أول ركن سامي الفلاني", ["سامي", "الفلاني"]),
    ):
        tokens = aliases._tokens(text)
        start = aliases._title_then_name(tokens, 1)
        assert start is not None
        assert aliases._closed_at_family_name(aliases._name_after(tokens, start)) == name
    # «علي» with a dotted ya after a title is the given name, not the preposition على
    tokens = aliases._tokens("وانتقد وزير البترول المهندس علي الفلاني الذي")
    start = aliases._title_then_name(tokens, 1)
    assert start is not None and aliases._name_after(tokens, start) == ["علي", "الفلاني"]
    tokens = aliases._tokens("ووافق وزير البترول على الاتفاق")
    assert aliases._title_then_name(tokens, 1) is None


def test_honorifics_between_title_and_name_are_no_part_of_the_title() -> None:
    texts = _articles("{left} وزير الزراعة الدكتور سامي بن فهد الزرقاني اليوم.")
    texts += _given_name_texts("سامي")
    texts += ["وكان سامي الزرقاني قد زار المزارع."] * 2
    pairs = dict(mine_aliases(texts, outlets=OUTLETS + ["س"] * 8, countries=["السعودية"] * 14))
    assert "وزير الزراعة الدكتور" not in pairs
    # a bare minister's office in the outlets' own country, with the family name the press
    # also writes after his given name alone
    assert pairs.get("وزير الزراعة") == "سامي بن فهد الزرقاني"


def test_bare_office_needs_its_outlet_country_and_agreement() -> None:
    texts = _articles("{left} وزير الزراعة الدكتور سامي بن فهد الزرقاني اليوم.")
    texts += _given_name_texts("سامي")
    # without the outlets' country a bare office names no one
    assert "وزير الزراعة" not in dict(mine_aliases(texts, outlets=OUTLETS + ["س"] * 6))
    # a bare office used for two ministers (a foreign one in a story about his country)
    texts += _articles("{left} وزير الزراعة الدكتور سامي بن خالد الكندري اليوم.")
    pairs = dict(mine_aliases(texts, outlets=OUTLETS + ["س"] * 12, countries=["السعودية"] * 18))
    assert "وزير الزراعة" not in pairs


def test_bare_office_holder_of_another_country_is_left_out() -> None:
    texts = _articles("{left} وزير الري الدكتور سامي بن فهد الزرقاني اليوم.")
    texts += _given_name_texts("سامي")
    texts += _articles("{left} وزير الري المصري سامي بن فهد الزرقاني أمس.", LEFTS[:3])
    pairs = dict(mine_aliases(texts, outlets=OUTLETS + ["س"] * 9, countries=["السعودية"] * 15))
    assert "وزير الري" not in pairs


def test_office_of_a_named_body_is_one_holder() -> None:
    texts = _articles("{left} الأمين العام لمنظمة كوبرا سامي بن فهد الزرقاني اليوم.")
    texts += _given_name_texts("سامي")
    texts += ["وكان سامي الزرقاني قد زار المقر."] * 2
    pairs = dict(mine_aliases(texts, outlets=OUTLETS + ["س"] * 8))
    assert pairs.get("الأمين العام لمنظمة كوبرا") == "سامي بن فهد الزرقاني"
    # a body named by its kind alone (رئيس الهيئة) has holders in every body: no one's title
    assert not aliases._heads_a_body(["رءيس", "الهيءه"])
    assert not aliases._heads_a_body(["رءيس", "مجلس", "الاداره"])
    assert aliases._heads_a_body(["رءيس", "هيءه", "الاركان", "العامه"])


def test_one_office_of_one_country_under_two_names() -> None:
    assert title_key("الأمين العام لأوبك") == title_key("الأمين العام لمنظمة أوبك")
    assert same_entity("الأمين العام لأوبك", "الأمين العام لمنظمة أوبك")
    assert not same_entity("وزير الخارجية الفرنسي", "وزير الخارجية البريطاني")
    assert not same_entity("وزير الدفاع", "مساعد وزير الدفاع")
    assert same_entity("الرئيس الكولومبي", "رئيس جمهورية كولومبيا")
    assert not same_entity("الرئيس الكولومبي", "الرئيس البيروفي")


def test_hamza_on_the_alef_is_no_article() -> None:
    assert same_entity("أليكسيس بابادوس", "ألكسيس بابادوس")
    assert not same_entity("العبادي", "العبيدي")


def test_former_title_names_no_holder() -> None:
    texts = _articles("{left} الرئيس السابق سامي بن فهد الزرقاني اليوم.")
    texts += _given_name_texts("سامي")
    pairs = dict(mine_aliases(texts))
    assert not any("السابق" in variant for variant in pairs)
