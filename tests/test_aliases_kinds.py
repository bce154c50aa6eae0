"""One invented case per kind of name variant (issue 19), each with a look-alike kept apart."""

from marsad.extract.aliases import canonical_name, mine_aliases, same_entity
from marsad.text.arabic import fold

LEFTS = ["وقال", "وأعلن", "وأكد", "وذكر", "وأوضح", "وبين"]


def test_president_is_an_honorific_after_folding() -> None:
    # الرئيس folds to الرءيس; before the fix it never matched, so «الرئيس + given name» was
    # never mined for a president's full name.
    texts = [f"{left} الرئيس منصور بن زاهر اليوم." for left in LEFTS[:3]]
    texts += ["واستقبل الرئيس منصور الوفد."]
    assert dict(mine_aliases(texts)).get(fold("الرئيس منصور")) == "منصور بن زاهر"
    # A title phrase in the alias file stays a title, not an honorific and a given name.
    assert same_entity("الرئيس الأمريكي", "باراك أوباما")


def test_office_of_one_country_from_two_unanimous_uses() -> None:
    texts = [
        f"{left} رئيس الوزراء الكيني جوليوس موانغي {when}."
        for left, when in zip(LEFTS[:2], ("اليوم", "أمس"), strict=True)
    ]
    assert dict(mine_aliases(texts)).get("رئيس الوزراء الكيني") == "جوليوس موانغي"
    # One use is not evidence; two uses naming two people are not unanimous.
    assert "رئيس الوزراء الكيني" not in dict(mine_aliases(texts[:1]))
    other = "وذكر رئيس الوزراء الكيني كاماو نغوغي اليوم."
    assert "رئيس الوزراء الكيني" not in dict(mine_aliases([*texts, other]))
    # A phrase that does not end with the country word is no office (a day follows).
    days = [f"{left} الرئيس الكيني السبت موانغي جوليوس اليوم." for left in LEFTS[:2]]
    assert "الرئيس الكيني السبت" not in dict(mine_aliases(days))


def test_name_with_its_acronym_in_brackets() -> None:
    full = "المنظمة البحرية الدولية (إيمو)"
    assert same_entity(full, "المنظمة البحرية الدولية")
    # The bracket is the evidence: without it the acronym and the name are not joined.
    assert same_entity("إيمو", full)
    assert not same_entity("إيمو", "المنظمة البحرية الدولية")
    assert not same_entity("الاتحاد الدولي للتنس (آي تي إف)", "الاتحاد الدولي للسباحة")
    # A one-word head with a quoted name keeps the whole name (حركة «نمور» = حركة نمور); a
    # listed quoted name takes its canonical (حماس is mined from July 2015).
    assert canonical_name("حركة «نمور»") == "حركة نمور"
    assert same_entity("حركة «حماس»", "حماس")


def test_institution_noun_before_a_listed_acronym() -> None:
    # واس is listed for وكالة الأنباء السعودية; «وكالة واس» is that agency, not another one.
    assert same_entity("وكالة واس", "وكالة الأنباء السعودية")
    assert same_entity("وكالة واس", "واس")
    assert not same_entity("وكالة واس", "وكالة الأنباء الكويتية")


def test_rare_acronym_spelled_out_once() -> None:
    texts = ["وقالت الهيئة الوطنية لحماية البيئة (نهبا) اليوم."]
    assert dict(mine_aliases(texts)).get("نهبا") == "الهيئة الوطنية لحماية البيئة"
    # A common word in brackets, written plainly far more often, is no acronym.
    common = ["وقالت الهيئة الوطنية لحماية البيئة (مرة) اليوم."]
    common += [f"{left} الوزير مرة أخرى." for left in LEFTS] * 2
    assert "مرة" not in dict(mine_aliases(common))
    # An adjective in brackets is no acronym; a two-word expansion is too generic.
    assert "السعودية" not in dict(mine_aliases(["وقالت الهيئة العامة للطيران (السعودية) أمس."]))
    assert "تكا" not in dict(mine_aliases(["وأعلنت الشركة التابعة (تكا) أمس."]))


def test_short_institution_name_without_its_adjective() -> None:
    assert same_entity("هيئة حماية البيئة", "الهيئة الوطنية لحماية البيئة")
    # Another country's body of the same kind stays apart.
    assert not same_entity("هيئة حماية البيئة", "الهيئة الأمريكية لحماية البيئة")
    assert not same_entity("هيئة حماية البيئة", "الهيئة الوطنية لحماية المستهلك")


def test_compound_spacing_and_descriptors() -> None:
    assert same_entity("عبدالكريم الزهراني", "عبد الكريم الزهراني")
    assert not same_entity("عبدالكريم الزهراني", "عبد الرحيم الزهراني")
    assert same_entity("الحوثيون", "جماعة الحوثي")
    # A leader and his movement stay apart.
    assert not same_entity("عبدالملك الحوثي", "جماعة الحوثي")


def test_latin_acronym_in_arabic_letters_and_official_names() -> None:
    assert same_entity("سي آي إيه", "سي أي إيه")
    assert same_entity("الإمارات", "الإمارات العربية المتحدة")


def test_look_alikes_stay_apart() -> None:
    assert not same_entity("بشار الأسد", "حافظ الأسد")  # same surname, two people
    assert not same_entity("محمد بن سلمان", "سلمان بن عبدالعزيز")  # a father's name
    assert not same_entity("ولي العهد", "ولي ولي العهد")  # a title and its sibling title
