"""The learned speaker choice's candidates and chooser (scripts/speaker_choice_model.py, an
experiment of issue 19 that is not shipped) on short examples."""

from __future__ import annotations

import sys

from tests.conftest import REPO

from marsad.extract.ner import Entity
from marsad.extract.quotes import extract_statements, speaker_canonical

sys.path.insert(0, str(REPO / "scripts"))

from speaker_choice_model import (
    Candidate,
    SpeakerModel,
    Tree,
    choose_speakers,
    model_from_json,
    speaker_candidates,
)
from train_speaker_choice import sign_p

TEXT = (
    "التقى الرئيس فلاديمير بوتين وزير الخارجية الأمريكي جون كيري في موسكو أمس. "
    "وقالت وزارة الخارجية الروسية في بيان إن اللقاء كان إيجابيا. "
    "وأضاف بوتين أن روسيا تريد حلا سياسيا في سوريا. "
    "وقال المصدر إن كيري سيزور المنطقة الأسبوع المقبل."
)


def _entity(name: str, label: str, after: str = "") -> Entity:
    start = TEXT.index(name + after)
    return Entity(name, label, start, start + len(name))


ENTITIES = [
    _entity("فلاديمير بوتين", "PERS"),
    _entity("جون كيري", "PERS"),
    _entity("موسكو", "LOC"),
    _entity("وزارة الخارجية الروسية", "ORG"),
    _entity("بوتين", "PERS", " أن"),
    _entity("كيري", "PERS", " سيزور"),
]


def _candidates() -> tuple[list, list[list[Candidate]]]:
    statements = extract_statements(TEXT)
    return statements, speaker_candidates(TEXT, statements, ENTITIES)


def _by_canonical(candidates: list[Candidate]) -> dict[str, Candidate]:
    return {c.canonical: c for c in candidates}


def test_the_rules_choice_comes_first_and_alone_carries_the_rules_flag() -> None:
    statements, candidates = _candidates()
    assert len(statements) == 3
    for statement, options in zip(statements, candidates, strict=True):
        assert options[0].canonical == speaker_canonical(statement.speaker_resolved)
        assert options[0].features["rules"] == 1.0
        assert all("rules" not in c.features for c in options[1:])


def test_earlier_speakers_and_tagged_names_before_the_cue_are_candidates() -> None:
    statements, candidates = _candidates()
    last = _by_canonical(candidates[2])
    assert speaker_canonical(statements[2].speaker_resolved) == "المصدر"
    putin = next(c for c in candidates[2] if "بوتين" in c.canonical)
    assert putin.features["earlier_1"] == 1.0  # the speaker of the statement before
    assert putin.features["pers"] == 1.0
    assert putin.features["sentences_back_1"] == 1.0
    ministry = last["وزارة الخارجية الروسية"]
    assert ministry.features["earlier_2"] == 1.0
    assert ministry.features["org"] == 1.0
    assert "موسكو" not in last  # places are no speaker candidates


def test_a_name_inside_the_claim_is_marked_as_spoken_of() -> None:
    _, candidates = _candidates()
    kerry = next(c for c in candidates[2] if "كيري" in c.canonical)
    assert kerry.features["in_claim"] == 1.0


def test_one_entity_named_two_ways_is_one_candidate() -> None:
    _, candidates = _candidates()
    # statement 2: the rules' بوتين and the earlier فلاديمير بوتين are one candidate
    assert sum("بوتين" in c.canonical for c in candidates[1]) == 1
    assert candidates[1][0].features.get("titled") == 1.0  # evidence of the full mention
    # statement 3: بوتين and فلاديمير بوتين, كيري and جون كيري are one candidate each
    assert sum("بوتين" in c.canonical for c in candidates[2]) == 1
    assert sum("كيري" in c.canonical for c in candidates[2]) == 1


def test_a_feminine_cue_meets_a_feminine_organisation() -> None:
    _, candidates = _candidates()
    ministry = candidates[0][0]
    assert ministry.canonical == "وزارة الخارجية الروسية"
    assert ministry.features["gender_fem_fem"] == 1.0
    kerry = next(c for c in candidates[0] if "كيري" in c.canonical)
    assert kerry.features["gender_fem_masc"] == 1.0


def test_the_chooser_replaces_the_rules_only_beyond_the_margin() -> None:
    rules = Candidate("المصدر", "المصدر", {"rules": 1.0})
    named = Candidate("فلاديمير بوتين", "فلاديمير بوتين", {"pers": 1.0, "earlier_1": 1.0})
    model = SpeakerModel(intercept=0.0, margin=1.0, weights={"rules": 1.0, "pers": 1.5})
    assert model.choice([rules, named]) == 0  # 1.5 - 1.0 is not beyond the margin
    bolder = SpeakerModel(intercept=0.0, margin=1.0, weights={"rules": 1.0, "pers": 2.5})
    assert bolder.choice([rules, named]) == 1
    assert bolder.choice([rules]) == 0


def test_choose_speakers_writes_the_chosen_candidate_as_the_resolved_speaker() -> None:
    statements = extract_statements(TEXT)
    model = SpeakerModel(intercept=0.0, margin=0.5, weights={"earlier_1": 5.0, "pers": 1.0})
    chosen = choose_speakers(TEXT, statements, ENTITIES, model)
    assert speaker_canonical(statements[2].speaker_resolved) == "المصدر"
    assert "بوتين" in speaker_canonical(chosen[2].speaker_resolved)
    assert chosen[2].start == statements[2].start and chosen[2].end == statements[2].end
    keep = SpeakerModel(intercept=0.0, margin=100.0, weights={"earlier_1": 5.0})
    assert choose_speakers(TEXT, statements, ENTITIES, keep) == list(statements)


def test_boosted_trees_read_from_json_score_by_their_leaves() -> None:
    raw = {
        "intercept": -1.0,
        "margin": 0.0,
        "rate": 0.5,
        "trees": [
            {
                "feature": ["pers", "", ""],
                "threshold": [0.5, -2.0, -2.0],
                "left": [1, -1, -1],
                "right": [2, -1, -1],
                "value": [0.0, -2.0, 4.0],
            }
        ],
    }
    model = model_from_json(raw)
    assert isinstance(model.trees[0], Tree)
    assert model.score(Candidate("x", "x", {"pers": 1.0})) == -1.0 + 0.5 * 4.0
    assert model.score(Candidate("y", "y", {})) == -1.0 + 0.5 * -2.0


def test_the_sign_test_asks_for_more_than_one_lucky_change() -> None:
    assert sign_p(1, 0) == 0.5
    assert sign_p(0, 0) == 1.0
    assert sign_p(6, 0) < 0.05
    assert sign_p(6, 3) > 0.05


def _wide(text: str, names: list[tuple[str, str]]) -> list[list[Candidate]]:
    entities = [
        Entity(name, label, text.index(name), text.index(name) + len(name)) for name, label in names
    ]
    return speaker_candidates(text, extract_statements(text), entities)


def test_a_rule_phrase_run_past_the_name_is_offered_cut() -> None:
    text = "وقالت مصادر لرويترز إن الاتفاق سيوقع غدا."
    wide = _by_canonical(_wide(text, [])[0])
    assert speaker_canonical("مصادر لرويترز") in wide  # the rules' phrase
    cut = wide[speaker_canonical("مصادر")]
    assert cut.features["cut"] == 1.0
    assert cut.features["cut_rest_glued"] == 1.0  # لرويترز: a preposition glued to a name
    narrow = speaker_candidates(text, extract_statements(text), [], wide=False)
    assert speaker_canonical("مصادر") not in _by_canonical(narrow[0])


def test_a_short_name_is_offered_with_the_words_written_after_it_earlier() -> None:
    text = "التقى الوزير رائد شاكر جودة بالسفير أمس. وقال شاكر إن اللقاء كان مثمرا."
    statements = extract_statements(text)
    last = _wide(text, [])[-1]
    assert speaker_canonical(statements[-1].speaker_resolved) == speaker_canonical("شاكر")
    fuller = _by_canonical(last)[speaker_canonical("شاكر جودة")]
    assert fuller.features["extended_after"] > 0.0
    assert fuller.features["extended_here"] == 0.0  # read where the name was written before


def test_a_short_reference_is_offered_the_latest_tagged_name_of_its_kind() -> None:
    text = (
        "وقع الأمير سلطان اتفاقا مع شركة أرامكو السعودية أمس في الرياض. "
        "وقالت الهيئة إن الاتفاق يشمل ثلاثة مشاريع."
    )
    last = _wide(text, [("الأمير سلطان", "PERS"), ("شركة أرامكو السعودية", "ORG")])[-1]
    aramco = next(c for c in last if "أرامكو" in c.canonical)
    assert aramco.features["antecedent_org"] == 1.0
    sultan = next(c for c in last if "سلطان" in c.canonical)
    assert "antecedent_org" not in sultan.features and sultan.features["before_pers"] == 1.0
