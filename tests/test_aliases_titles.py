"""Titles standing for a person, mined from apposition evidence (invented names and texts)."""

from __future__ import annotations

from marsad.extract.aliases import mine_aliases, same_entity

LEFTS = ["وقال", "وأعلن", "وأكد", "وذكر", "وأوضح", "وبين"]


def _articles(template: str, lefts: list[str] = LEFTS) -> list[str]:
    return [template.format(left=left) for left in lefts]


def _president_texts() -> list[str]:
    # The run after the title goes on past the name (a verb): the holder is the opening most
    # occurrences share, not the longest run.
    texts = _articles("{left} الرئيس الياباني كارلوس مندوزا يزور البلاد.", LEFTS[:4])
    texts += ["والتقى الرئيس كارلوس مندوزا الوفد."] * 2  # a second word introduces him
    texts += ["وغادر الرئيس الياباني أمس."] * 2
    return texts


def test_title_names_the_holder_its_appositions_agree_on() -> None:
    pairs = dict(mine_aliases(_president_texts()))
    assert pairs.get("الرئيس الياباني") == "كارلوس مندوزا"


def test_title_inside_a_longer_title_is_not_evidence() -> None:
    # «لنائب الرئيس الياباني خوان بيريز»: the vice-president, six times, outnumbers the
    # president; counted for الرئيس الياباني it would take the title from its holder.
    texts = _president_texts()
    texts += _articles("{left} لنائب الرئيس الياباني خوان بيريز الحضور.")
    texts += ["ورحب الوزير خوان بيريز بالضيوف."]
    pairs = dict(mine_aliases(texts))
    assert pairs.get("الرئيس الياباني") == "كارلوس مندوزا"


def test_former_holder_and_split_evidence_give_no_alias() -> None:
    texts = _president_texts()
    texts += _articles("{left} الرئيس الياباني السابق ألبرتو روخاس اليوم.")
    texts += ["والتقى الرئيس ألبرتو روخاس الوفد."]
    # Two holders, three times each: no title dominates.
    texts += _articles("{left} رئيس الوزراء الياباني ماريو سانتوس.", LEFTS[:3])
    texts += _articles("{left} رئيس الوزراء الياباني لويس كاسترو.", LEFTS[3:])
    texts += ["وقابل الوزير ماريو سانتوس الوفد.", "وقابل الوزير لويس كاسترو الوفد."]
    pairs = dict(mine_aliases(texts))
    assert "الرئيس الياباني السابق" not in pairs
    assert pairs.get("الرئيس الياباني") == "كارلوس مندوزا"
    assert "رئيس الوزراء الياباني" not in pairs


def test_title_after_the_name_pools_with_the_title_before() -> None:
    # Two appositions before the name and two after it (a name after an honorific, then the
    # title) pool; an office of one country needs two unanimous uses, one is not enough.
    texts = _articles("{left} رئيس الوزراء الكويتي ناصر بن حمد اليوم.", LEFTS[:2])
    texts += _articles("{left} الشيخ ناصر بن حمد رئيس الوزراء الكويتي أمس.", LEFTS[2:4])
    texts += ["وغادر رئيس الوزراء الكويتي أمس."] * 2
    assert dict(mine_aliases(texts)).get("رئيس الوزراء الكويتي") == "ناصر بن حمد"
    assert dict(mine_aliases(texts[2:])).get("رئيس الوزراء الكويتي") == "ناصر بن حمد"
    assert "رئيس الوزراء الكويتي" not in dict(mine_aliases(texts[3:]))


def test_titles_and_their_look_alikes_stay_apart() -> None:
    # A longer office holding a title is another office; a leader's party is not the leader.
    assert not same_entity("وزير الدفاع", "مساعد وزير الدفاع")
    assert not same_entity("وزير الخارجية الفرنسي", "وزير الخارجية البريطاني")
    assert not same_entity("الرئيس التركي", "حزب الرئيس التركي")
    assert not same_entity("كارلوس مندوزا", "حزب كارلوس مندوزا")
    # The party named with and without its noun is still one party.
    assert same_entity("حزب العمال الكردستاني", "العمال الكردستاني")


def test_acronym_expansion_is_the_phrase_most_bracketed_uses_share() -> None:
    # Three uses after the expansion, five after plain mentions (a minority agrees): the
    # expansion is still found; a definite phrase in brackets is no acronym.
    texts = _articles("{left} اتحاد الجامعات الآسيوية (أوجا) اليوم.", LEFTS[:3])
    texts += [
        f"وشارك {word} في (أوجا) أمس." for word in ("طلاب", "أساتذة", "باحثون", "فرق", "لاعبون")
    ]
    texts += _articles("{left} قوات تحالف (إعادة البناء) اليوم.", LEFTS[:4])
    pairs = dict(mine_aliases(texts))
    assert pairs.get("أوجا") == "اتحاد الجامعات الآسيوية"
    assert "إعادة البناء" not in pairs
    # One use after the expansion among six bracketed uses is not evidence; two are.
    assert dict(mine_aliases(texts[1:])).get("أوجا") == "اتحاد الجامعات الآسيوية"
    assert "أوجا" not in dict(mine_aliases(texts[2:]))


def test_a_surname_that_is_also_a_title_still_names_its_person() -> None:
    # «السيد» alone after «محمد السيد» is his surname; after نائب it is part of a title.
    assert same_entity("محمد السيد", "السيد")
    assert not same_entity("نائب الرئيس", "الرئيس")
    assert not same_entity("مساعد وزير الدفاع", "وزير الدفاع")
