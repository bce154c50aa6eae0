"""ROUGE-1/2/L on hand-computed examples, and on Arabic text through the tokenizer."""

from __future__ import annotations

import pytest

from marsad.evaluate.rouge import (
    lcs_positions,
    ngram_score,
    rouge,
    rouge_tokens,
    union_lcs_score,
)

CANDIDATE = ["a", "b", "c", "d"]
REFERENCE = ["a", "b", "d", "e", "f"]


def test_rouge1_counts_shared_unigrams() -> None:
    score = ngram_score(CANDIDATE, [REFERENCE], 1)
    # a, b, d match: P = 3/4, R = 3/5, F = 2PR / (P + R) = 2/3
    assert score.precision == pytest.approx(0.75)
    assert score.recall == pytest.approx(0.6)
    assert score.f1 == pytest.approx(2 / 3)


def test_rouge2_counts_shared_bigrams() -> None:
    score = ngram_score(CANDIDATE, [REFERENCE], 2)
    # candidate ab bc cd, reference ab bd de ef: only ab matches.
    assert score.precision == pytest.approx(1 / 3)
    assert score.recall == pytest.approx(1 / 4)
    assert score.f1 == pytest.approx(2 / 7)


def test_repeated_ngrams_are_clipped_to_reference_counts() -> None:
    score = ngram_score(["a", "a", "a"], [["a", "b"]], 1)
    assert score.precision == pytest.approx(1 / 3)
    assert score.recall == pytest.approx(1 / 2)


def test_multiple_references_are_pooled() -> None:
    score = ngram_score(["a", "b"], [["a", "c"], ["a", "b", "c", "d"]], 1)
    # hits 1 + 2 = 3; P = 3 / (2 tokens * 2 references), R = 3 / (2 + 4)
    assert score.precision == pytest.approx(0.75)
    assert score.recall == pytest.approx(0.5)
    assert score.f1 == pytest.approx(0.6)


def test_lcs_positions_respect_order() -> None:
    assert lcs_positions(CANDIDATE, REFERENCE) == [0, 1, 3]  # a b d
    assert len(lcs_positions(["c", "b", "a"], ["a", "b", "c"])) == 1
    assert lcs_positions([], ["a"]) == []


def test_union_lcs_matches_lin_2004_example() -> None:
    # Lin (2004), section 3.2: r = w1..w5, c1 = w1 w2 w6 w7 w8, c2 = w1 w3 w8 w9 w5.
    # LCS(r, c1) = w1 w2, LCS(r, c2) = w1 w3 w5; union = w1 w2 w3 w5 -> 4 hits.
    reference = [["w1", "w2", "w3", "w4", "w5"]]
    candidate = [["w1", "w2", "w6", "w7", "w8"], ["w1", "w3", "w8", "w9", "w5"]]
    score = union_lcs_score(candidate, [reference])
    assert score.recall == pytest.approx(4 / 5)
    assert score.precision == pytest.approx(4 / 10)
    assert score.f1 == pytest.approx(2 * 0.8 * 0.4 / 1.2)


def test_union_lcs_counts_a_token_once_per_occurrence() -> None:
    # Both reference sentences could match the single candidate "a": only one hit.
    score = union_lcs_score([["a"]], [[["a", "x"], ["a", "y"]]])
    assert score.precision == pytest.approx(1.0)
    assert score.recall == pytest.approx(1 / 4)


def test_rouge_l_ignores_sentence_order_but_not_word_order() -> None:
    reference = "اندلع الحريق في المستودع. أصيب رجل الإطفاء."
    swapped = "أصيب رجل الإطفاء. اندلع الحريق في المستودع."
    scrambled = "المستودع الحريق اندلع. الإطفاء رجل أصيب."
    assert rouge(swapped, [reference]).rouge_l.f1 == pytest.approx(1.0)
    assert rouge(scrambled, [reference]).rouge_l.f1 < 0.5
    assert rouge(scrambled, [reference]).rouge1.f1 == pytest.approx(1.0)


def test_empty_sides_score_zero() -> None:
    assert ngram_score([], [["a"]], 1).f1 == 0.0
    assert ngram_score(["a"], [[]], 1).f1 == 0.0
    assert ngram_score(["a"], [["a"]], 2).f1 == 0.0  # no bigram on either side


def test_bad_arguments_raise() -> None:
    with pytest.raises(ValueError, match="positive"):
        ngram_score(["a"], [["a"]], 0)
    with pytest.raises(ValueError, match="reference"):
        rouge("نص", [])


def test_arabic_spelling_variants_match_after_normalization() -> None:
    # Hamza forms, teh marbuta and the article/conjunction fold away.
    scores = rouge("أعلنت الوزارة النتائج", ["واعلنت الوزاره نتائج"])
    assert scores.rouge1.f1 == pytest.approx(1.0)
    assert scores.rouge2.f1 == pytest.approx(1.0)
    assert scores.rouge_l.f1 == pytest.approx(1.0)


def test_stopwords_removed_by_default_and_numbers_kept() -> None:
    assert rouge_tokens("قال الوزير في الرياض إن 3 أشخاص") == ["قال", "وزير", "رياض", "3", "اشخاص"]
    kept = rouge_tokens("قال الوزير في الرياض", keep_stopwords=True)
    assert "في" in kept


def test_arabic_rouge_by_hand() -> None:
    # Without stopwords: candidate [قال, وزير, رياض], reference [وزير, جده].
    scores = rouge("قال الوزير في الرياض", ["الوزير في جدة"])
    assert scores.rouge1.precision == pytest.approx(1 / 3)
    assert scores.rouge1.recall == pytest.approx(1 / 2)
    assert scores.rouge2.f1 == 0.0
    # With stopwords: [قال, وزير, في, رياض] vs [وزير, في, جده]: 2 unigrams, 1 bigram shared.
    with_stop = rouge("قال الوزير في الرياض", ["الوزير في جدة"], keep_stopwords=True)
    assert with_stop.rouge1.f1 == pytest.approx(2 * (2 / 4) * (2 / 3) / (2 / 4 + 2 / 3))
    assert with_stop.rouge2.precision == pytest.approx(1 / 3)
    assert with_stop.rouge2.recall == pytest.approx(1 / 2)
    assert with_stop.rouge_l.recall == pytest.approx(2 / 3)  # LCS: الوزير في
