"""Person names written with and without their fathers' names and compound given names
(issue 19, session 26). Names are invented."""

from __future__ import annotations

from marsad.extract.aliases import same_entity
from marsad.text.arabic import join_name_compounds


def test_a_chain_of_fathers_before_a_family_name_drops_out() -> None:
    assert same_entity("نادر بن قابل بن بريك الزهيري", "نادر الزهيري")
    assert same_entity("نادر بن قابل بن بريك الزهيري", "نادر بن قابل الزهيري")
    # a royal chain has no family name: its first link is the name, the grandfather is not
    assert same_entity("فارس بن نايف بن عبدالعزيز", "فارس بن نايف")
    assert not same_entity("فارس بن نايف بن عبدالعزيز", "فارس بن سلمان")
    assert not same_entity("نادر بن قابل بن بريك الزهيري", "ماجد الزهيري")


def test_a_patronymic_link_may_be_left_out() -> None:
    assert same_entity("أحمد عيد الدوسري", "أحمد بن عيد الدوسري")
    assert not same_entity("أحمد عيد الدوسري", "أحمد بن سعيد الدوسري")
    assert not same_entity("أحمد الدوسري", "خالد بن عيد الدوسري")


def test_two_different_fathers_are_two_persons() -> None:
    assert not same_entity("فهد بن عبدالمنعم الزهيري", "فهد بن سالم الزهيري")
    assert not same_entity("فهد بن عبدالمنعم بن علي الزهيري", "فهد بن سالم الزهيري")
    assert same_entity("فهد بن سالم الزهيري", "فهد الزهيري")


def test_a_given_name_with_al_din_is_one_word_either_way() -> None:
    assert join_name_compounds(["عز", "الدين", "الخويلي"]) == ["عزالدين", "الخويلي"]
    assert join_name_compounds(["وزارة", "الشؤون", "الدين"]) == ["وزارة", "الشؤون", "الدين"]
    assert same_entity("عزالدين الخويلي", "عز الدين الخويلي")
    assert not same_entity("جلال الدين حقاني", "سراج الدين حقاني")
