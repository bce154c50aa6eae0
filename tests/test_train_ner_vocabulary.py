"""scripts/train_ner_neural.py: a new member trained on an existing model's vocabulary.

Members sit side by side only with one vocabulary; the news vectors may have been learned
again since (folding rules change), so rows are matched by word, not by position.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest
from tests.conftest import REPO

from marsad.extract import ner

pytest.importorskip("torch", reason="torch is a training-only dependency (make train-ner)")
sys.path.insert(0, str(REPO / "scripts"))
import train_ner_neural


def test_given_vocabulary_gets_news_vectors_by_word() -> None:
    settings = train_ner_neural.NeuralSettings(max_words=3, word_dims=2)
    vocabulary = ner.Vocabulary(("ب", "ج", "أ", "د"), "أبجد", ())
    news_words = ["أ", "ب", "هـ"]
    news_vectors = np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])
    logged: list[str] = []
    rows = train_ner_neural.aligned_vectors(
        vocabulary, news_words, news_vectors, settings, logged.append
    )
    assert rows.shape == (3, 2)  # the first max_words words of the vocabulary
    np.testing.assert_array_equal(rows[0], [2.0, 2.0])  # ب is news row 1
    np.testing.assert_array_equal(rows[2], [1.0, 1.0])  # أ is news row 0
    assert not np.isin(rows[1], news_vectors).any()  # ج has no vector: a random one
    assert logged == ["given vocabulary: 2 of its first 3 words have news vectors"]
