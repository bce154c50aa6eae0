"""Name variants from corpus evidence (issue 19, session 22): glued letters told from a name's
own first letter by surface counts, compound spacing in a patronymic chain, construct and
nisba forms of one body, a dropped adjective, bracketed full names, reproducible mining.

The counts are invented here (the rule, not the shipped table, is under test) except where a
test says it reads the shipped table."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from marsad.extract import aliases
from marsad.extract.aliases import (
    canonical_name,
    hand_written_aliases_only,
    is_glued_proclitic,
    mine_aliases,
    same_entity,
    without_name_proclitic,
)
from marsad.text.arabic import fold, word_sections

# Invented counts shaped like news: names with few glued uses, names that start with the letter
# and whose rest is rare or another word, common nouns that take the article.
COUNTS = {
    "بوتين": 400,
    "لبوتين": 12,
    "وبوتين": 30,
    "كيري": 300,
    "وكيري": 20,
    "وليد": 200,
    "ليد": 5,
    "بسام": 60,
    "سام": 40,
    "كريم": 120,
    "ريم": 35,
    "كمال": 90,
    "مال": 70,
    "المال": 600,
    "لبني": 4,
    "بني": 300,
    "البني": 110,
    "وادي": 350,
    "ادي": 800,
    "الوادي": 80,
    "ليو": 30,
    "يو": 100,
}


@pytest.fixture
def invented_counts(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(aliases, "_surface_counts", lambda: COUNTS)
    is_glued_proclitic.cache_clear()
    yield
    is_glued_proclitic.cache_clear()


def test_glued_letter_dropped_when_the_bare_name_explains_it(invented_counts: None) -> None:
    assert is_glued_proclitic("لبوتين")
    assert is_glued_proclitic("وبوتين")
    assert is_glued_proclitic("فبوتين")  # unseen glued form of a common bare one
    assert without_name_proclitic("وكيري") == "كيري"


def test_name_of_its_own_keeps_its_first_letter(invented_counts: None) -> None:
    assert not is_glued_proclitic("وليد")  # ليد is rare
    assert not is_glued_proclitic("بسام")  # سام is no more common than بسام
    assert not is_glued_proclitic("كريم")
    assert not is_glued_proclitic("كمال")  # مال is a common noun (المال)
    assert not is_glued_proclitic("لبنى")  # بني is mostly definite (البني)
    assert not is_glued_proclitic("وادي")  # a word of its own: الوادي
    assert not is_glued_proclitic("ليو")  # ل joins a name far less often than و


def test_shipped_counts_keep_look_alikes_apart() -> None:
    # Reads the shipped table (data/surface_counts_ar.tsv.gz).
    for name in ("وليد", "بدر", "بسام", "كريم", "فهد", "ولاء", "بلال", "لبنان", "وائل"):
        assert without_name_proclitic(name) == name, name
        assert not same_entity(name, name[1:]), name
    for glued, name in (("لبوتين", "بوتين"), ("وكيري", "جون كيري"), ("فبوتين", "بوتين")):
        assert same_entity(glued, name), glued
    assert same_entity("وتركيا", "بتركيا")
    assert not same_entity("بتركيا", "بيتوركا")


def test_a_rare_proclitic_must_leave_a_name_not_a_common_word() -> None:
    # Shipped tables: ادي (أدى folded) is far more frequent than فادي, but the tagger never
    # takes it alone for a name, so ف is the name's own letter; و still leaves a first name.
    assert without_name_proclitic("فادي") == "فادي"
    assert not same_entity("فادي", "ادي")
    assert without_name_proclitic("ومحمد بن سلمان") == "محمد بن سلمان"
    assert without_name_proclitic("فبوتين") == "بوتين"


def test_compound_spacing_in_a_patronymic_chain() -> None:
    spaced = "الأمير خالد بن عبد الرحمن آل سعود"
    joined = "الأمير خالد بن عبدالرحمن آل سعود"
    assert canonical_name(spaced) == "خالد بن عبد الرحمن آل سعود"
    assert same_entity(spaced, joined)
    assert same_entity(joined, "خالد بن عبدالرحمن")  # the family name adds nothing
    assert not same_entity(joined, "فهد بن عبدالرحمن آل سعود")  # a brother
    assert not same_entity("خالد بن عبدالرحمن آل سعود", "خالد بن فهد آل سعود")  # a cousin


def test_body_named_with_a_place_or_its_nisba() -> None:
    assert same_entity("وكالة أنباء البحرين", "وكالة الأنباء البحرينية")
    assert not same_entity("وكالة الأنباء البحرينية", "وكالة الأنباء الكويتية")
    assert not same_entity("وكالة أنباء البحرين", "وكالة أنباء الكويت")


def test_short_name_without_an_adjective_of_the_official_one() -> None:
    assert same_entity("الوكالة الدولية للطاقة المتجددة", "وكالة الطاقة المتجددة")
    # a country's adjective makes another country's body
    assert not same_entity("الوكالة الأمريكية للطاقة المتجددة", "وكالة الطاقة المتجددة")


def test_complement_after_a_nisba_names_another_body() -> None:
    assert not same_entity("الاتحاد الآسيوي", "الاتحاد الآسيوي لكرة السلة")
    assert same_entity("مجلس التعاون", "مجلس التعاون لدول الخليج العربية")


LEFTS = ["وقال", "وأعلن", "وأكد", "وذكر", "وأوضح"]


def test_mined_bracketed_full_name() -> None:
    texts = [
        f"{left} مجلس النقد الاتحادي (البنك المركزي الكندي) إن الأسعار ارتفعت."
        for left in LEFTS[:3]
    ]
    pairs = dict(mine_aliases(texts))
    assert pairs.get("البنك المركزي الكندي") == "مجلس النقد الاتحادي"
    assert same_entity("البنك المركزي الكندي", "مجلس النقد الاتحادي") or pairs
    # two uses are not evidence; a role in brackets is no name of the body
    assert "البنك المركزي الكندي" not in dict(mine_aliases(texts[:2]))
    roles = [f"{left} فهد الشمري (رئيس اللجنة) إن الأسعار ارتفعت." for left in LEFTS[:3]]
    assert mine_aliases(roles) == []


def test_mining_reads_the_hand_written_aliases_only() -> None:
    mined = word_sections("aliases_ar.tsv").get("mined", [])
    hand = {fold(row.split("\t")[0]) for row in word_sections("aliases_ar.tsv")[""]}
    variant, canonical = next(
        row.split("\t") for row in mined if fold(row.split("\t")[0]) not in hand
    )
    assert canonical_name(variant) == canonical
    with hand_written_aliases_only():
        assert canonical_name(variant) != canonical
    assert canonical_name(variant) == canonical


def test_given_name_and_family_without_the_father() -> None:
    assert same_entity("عبدالكريم بن صالح آل الشيخ", "عبدالكريم آل الشيخ")
    assert not same_entity("عبدالكريم بن صالح آل الشيخ", "صالح آل الشيخ")


def test_named_after_a_person_or_a_title_is_not_the_person() -> None:
    assert not same_entity("الأمير نواف", "مستشفى الأمير نواف")
    assert not same_entity("كأس الأمير", "الأمير")
    assert same_entity("الأمير نواف بن فهد", "نواف بن فهد")


def test_agency_known_by_its_acronym() -> None:
    # hand-written knowledge section of data/aliases_ar.tsv
    assert same_entity("أ ف ب", "وكالة الصحافة الفرنسية")
    assert same_entity("سي آي إيه", "وكالة المخابرات المركزية")
    assert not same_entity("وكالة الأنباء الأردنية", "وكالة الأنباء اليمنية")
