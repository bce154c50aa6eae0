"""Tests for the Arabic NER tagger (marsad.extract.ner) and its evaluator (marsad.evaluate.ner_eval)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from marsad.evaluate.ner_eval import (
    evaluate_ner,
    format_report,
    parse_conll,
    read_conll,
    score,
    split_dev,
)
from marsad.extract.ner import Featurizer, bio_spans, build_gazetteer, load_tagger, word_spans

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
# Dev micro-F1 reached by the shipped model (see src/marsad/models/README.md), rounded down.
DEV_MICRO_F1_FLOOR = 0.78

# "Saudi King Salman bin Abdulaziz met US President Barack Obama in Riyadh on Friday."
SENTENCE = "التقى الملك سلمان بن عبدالعزيز الرئيس الأمريكي باراك أوباما في الرياض يوم الجمعة."

GOLD_CONLL = """\
زار B-PERS
محمد I-PERS
القاهرة B-LOC
أمس O

وقالت O
الأمم B-ORG
المتحدة I-ORG
في O
جنيف B-LOC
"""
# Predictions for the two sentences above, hand-scored below.
PREDICTED = [["B-PERS", "I-PERS", "B-ORG", "O"], ["O", "B-ORG", "O", "O", "B-LOC"]]


def test_parse_conll_reads_sentences_and_tags() -> None:
    sentences = parse_conll(GOLD_CONLL.splitlines())
    assert [len(tokens) for tokens, _ in sentences] == [4, 5]
    assert sentences[1][1] == ["O", "B-ORG", "I-ORG", "O", "B-LOC"]


def test_read_conll_plain_and_gzip_agree(tmp_path: Path) -> None:
    plain = tmp_path / "gold.txt"
    plain.write_text(GOLD_CONLL, encoding="utf-8")
    packed = tmp_path / "gold.txt.gz"
    with gzip.open(packed, "wt", encoding="utf-8") as handle:
        handle.write(GOLD_CONLL)
    assert read_conll(plain) == read_conll(packed) == parse_conll(GOLD_CONLL.splitlines())


def test_bio_spans_lenient_on_stray_inside_tag() -> None:
    assert bio_spans(["I-LOC", "I-LOC", "B-PERS", "I-ORG"]) == {
        (0, 2, "LOC"),
        (2, 3, "PERS"),
        (3, 4, "ORG"),
    }


def test_score_matches_hand_computed_counts() -> None:
    gold = [tags for _, tags in parse_conll(GOLD_CONLL.splitlines())]
    report = score(gold, PREDICTED)
    by_type = {row.label: row for row in report.per_type}
    # Gold: PERS(0-2) LOC(2-3) | ORG(1-3) LOC(4-5). Predicted: PERS(0-2) ORG(2-3) | ORG(1-2) LOC(4-5).
    # Correct: PERS and the second LOC; the ORG (1-2) has a wrong right boundary.
    assert (by_type["PERS"].gold, by_type["PERS"].predicted, by_type["PERS"].correct) == (1, 1, 1)
    assert (by_type["LOC"].gold, by_type["LOC"].predicted, by_type["LOC"].correct) == (2, 1, 1)
    assert (by_type["ORG"].gold, by_type["ORG"].predicted, by_type["ORG"].correct) == (1, 2, 0)
    assert by_type["LOC"].recall == pytest.approx(0.5)
    assert by_type["ORG"].f1 == 0.0
    assert report.micro.precision == pytest.approx(2 / 4)
    assert report.micro.recall == pytest.approx(2 / 4)
    assert report.micro.f1 == pytest.approx(0.5)
    assert format_report(report).splitlines()[-1] == "micro_f1=0.500"


def test_evaluate_ner_with_custom_tagger(tmp_path: Path) -> None:
    gold_file = tmp_path / "gold.txt"
    gold_file.write_text(GOLD_CONLL, encoding="utf-8")
    predictions = iter(PREDICTED)
    report = evaluate_ner(gold_file, tagger=lambda tokens: next(predictions))
    assert format_report(report).splitlines()[-1] == "micro_f1=0.500"


def test_word_spans_keep_punctuation_as_tokens() -> None:
    text = "قال «محمد»، ثم (غادر)."
    assert [text[start:end] for start, end in word_spans(text)] == [
        "قال", "«", "محمد", "»", "،", "ثم", "(", "غادر", ")", ".",
    ]  # fmt: skip


def test_gazetteer_keeps_names_and_drops_mostly_common_words() -> None:
    sentences = [
        (["زار", "حسن", "نصر", "الله", "بيروت"], ["O", "B-PERS", "I-PERS", "I-PERS", "B-LOC"]),
        (["النصر", "حليف"], ["B-ORG", "O"]),
        (["حقق", "الجيش", "النصر"], ["O", "O", "O"]),
        (["وكان", "النصر", "قريبا"], ["O", "O", "O"]),
    ]
    gazetteer = build_gazetteer(Featurizer({}), sentences)
    featurizer = Featurizer({})
    person = tuple(featurizer.stripped_forms(["حسن", "نصر", "الله"]))
    assert gazetteer[person] == "PERS"
    assert gazetteer[tuple(featurizer.stripped_forms(["بيروت"]))] == "LOC"
    # "النصر" is an entity in one of three uses: below the 50% share, so it is left out.
    assert tuple(featurizer.stripped_forms(["النصر"])) not in gazetteer
    marks = Featurizer({}, gazetteer).gazetteer_marks(
        featurizer.stripped_forms(["التقى", "حسن", "نصر", "الله"])
    )
    assert marks == ["", "B-PERS", "I-PERS", "I-PERS"]


def test_shipped_model_tags_person_and_location() -> None:
    tagger = load_tagger()
    assert load_tagger() is tagger  # cached
    labels = {(entity.label, entity.text) for entity in tagger.entities(SENTENCE)}
    assert ("LOC", "الرياض") in labels
    assert any(label == "PERS" and "أوباما" in text for label, text in labels)
    assert any(label == "PERS" and "سلمان" in text for label, text in labels)


def test_entity_offsets_slice_the_original_text() -> None:
    text = "  وصل  " + SENTENCE + "\nثم غادر إلى القاهرة، حيث التقى محمد صلاح."
    entities = load_tagger().entities(text)
    assert len(entities) >= 3
    for entity in entities:
        assert text[entity.start : entity.end] == entity.text
        assert entity.label in {"PERS", "LOC", "ORG", "MISC"}


def test_tag_returns_one_bio_tag_per_token() -> None:
    tokens = SENTENCE.replace(".", " .").split()
    tags = load_tagger().tag(tokens)
    assert len(tags) == len(tokens)
    assert all(tag == "O" or tag[:2] in ("B-", "I-") for tag in tags)
    assert load_tagger().tag([]) == []


@pytest.mark.shared
@pytest.mark.skipif(not SHARED.exists(), reason="../shared (ANERcorp train split) is absent")
def test_dev_split_micro_f1() -> None:
    train_file = SHARED / "data" / "anercorp_camel" / "ANERCorp_CamelLab_train.txt.gz"
    train, dev = split_dev(read_conll(train_file))
    assert len(dev) == 380 and len(train) + len(dev) == 3973
    tagger = load_tagger()
    report = score([tags for _, tags in dev], [tagger.tag(tokens) for tokens, _ in dev])
    assert report.micro.f1 >= DEV_MICRO_F1_FLOOR
