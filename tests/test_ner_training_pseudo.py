"""Self-training of the NER model: selecting pseudo-labelled sentences
(scripts/ner_pseudo_labels.py) and weighting them in training (scripts/train_ner_neural.py).

All on invented tag sequences and scores; no corpus and no trained model needed.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np
import pytest
from tests.conftest import REPO

from marsad.extract import ner

sys.path.insert(0, str(REPO / "scripts"))
import ner_pseudo_labels as pseudo
from ner_pseudo_labels import Candidate


def candidate(tags: str, confidence: float = 1.0) -> Candidate:
    labels = tags.split()
    return Candidate([f"w{i}" for i in range(len(labels))], labels, confidence)


def test_confident_needs_every_token_sure_and_an_entity() -> None:
    assert pseudo.is_confident(candidate("B-PERS I-PERS O", 0.95), 0.9)
    assert not pseudo.is_confident(candidate("B-PERS I-PERS O", 0.85), 0.9)  # one unsure tag
    assert not pseudo.is_confident(candidate("O O O O", 1.0), 0.9)  # names nothing
    assert pseudo.is_confident(candidate("O B-MISC", 0.9), 0.9)  # the threshold itself counts


def test_balanced_selection_draws_rare_types_before_loc() -> None:
    # 50 sentences naming only a place, 5 naming a person (with a place), 3 an organisation.
    pool = [candidate("B-LOC O O") for _ in range(50)]
    pool += [candidate("B-PERS I-PERS O B-LOC") for _ in range(5)]
    pool += [candidate("O B-ORG I-ORG") for _ in range(3)]
    chosen = pseudo.select_balanced(pool, cap=12, seed=0)
    assert len(chosen) == 12
    kinds = [" ".join(c.tags) for c in chosen]
    # Round-robin over the piles: all 3 ORG and all 5 PERS sentences fit in 12, LOC fills up.
    assert kinds.count("O B-ORG I-ORG") == 3
    assert kinds.count("B-PERS I-PERS O B-LOC") == 5
    assert kinds.count("B-LOC O O") == 4


def test_balanced_selection_files_a_sentence_under_its_rarest_type() -> None:
    # PERS is rarer than LOC over the pool, so the mixed sentence sits on the PERS pile and
    # is drawn in the first round even under a cap of two.
    pool = [candidate("B-LOC O") for _ in range(10)] + [candidate("B-LOC O B-PERS")]
    chosen = pseudo.select_balanced(pool, cap=2, seed=3)
    assert sum("B-PERS" in c.tags for c in chosen) == 1


def test_balanced_selection_is_reproducible_and_capped() -> None:
    pool = [candidate("B-LOC O", 0.9 + i / 1000) for i in range(30)]
    first = pseudo.select_balanced(pool, cap=10, seed=7)
    assert first == pseudo.select_balanced(pool, cap=10, seed=7)
    assert first != pseudo.select_balanced(pool, cap=10, seed=8)
    assert len(pseudo.select_balanced(pool, cap=100, seed=7)) == 30
    assert pseudo.select_balanced([candidate("O O")], cap=5, seed=0) == []


def brute_force_marginals(
    emissions: np.ndarray, transitions: np.ndarray, start: np.ndarray, end: np.ndarray
) -> np.ndarray:
    """Posterior marginals by enumerating every tag sequence."""
    length, n_tags = emissions.shape
    totals = np.zeros((length, n_tags))
    for path in itertools.product(range(n_tags), repeat=length):
        score = start[path[0]] + end[path[-1]] + sum(emissions[t, k] for t, k in enumerate(path))
        score += sum(transitions[a, b] for a, b in itertools.pairwise(path))
        for t, k in enumerate(path):
            totals[t, k] += np.exp(score)
    normalised: np.ndarray = totals / totals[0].sum()
    return normalised


def test_marginals_match_enumeration() -> None:
    rng = np.random.default_rng(0)
    emissions, transitions = rng.normal(size=(4, 3)), rng.normal(size=(3, 3))
    start, end = rng.normal(size=3), rng.normal(size=3)
    found = pseudo.marginals(emissions, transitions, start, end)
    np.testing.assert_allclose(found, brute_force_marginals(emissions, transitions, start, end))
    np.testing.assert_allclose(found.sum(axis=1), 1.0)


def test_marginals_of_one_token() -> None:
    emissions = np.array([[0.0, np.log(3.0)]])
    found = pseudo.marginals(emissions, np.zeros((2, 2)), np.zeros(2), np.zeros(2))
    np.testing.assert_allclose(found, [[0.25, 0.75]])


def test_sentences_are_cut_as_the_tagger_cuts_them() -> None:
    text = "قال الوزير «نعم». ثم غادر\nالعنوان الثاني"
    assert list(pseudo.sentences_of(text)) == [
        ["قال", "الوزير", "«", "نعم", "»", "."],
        ["ثم", "غادر"],
        ["العنوان", "الثاني"],
    ]
    assert list(pseudo.sentences_of("")) == []


def test_pseudo_sentences_weigh_less_in_the_loss() -> None:
    torch = pytest.importorskip("torch", reason="torch is a training-only dependency")
    import train_ner_neural

    crf = train_ner_neural.Crf()
    emissions = torch.tensor(np.random.default_rng(1).normal(size=(2, 3, len(ner.TAGS)))).float()
    tags = torch.tensor([[1, 2, 0], [3, 0, 0]])
    mask = torch.tensor([[True, True, True], [True, True, False]])
    with torch.no_grad():
        each = [
            float(crf.neg_log_likelihood(emissions[i : i + 1], tags[i : i + 1], mask[i : i + 1]))
            for i in range(2)
        ]
        plain = float(crf.neg_log_likelihood(emissions, tags, mask))
        weights = torch.tensor([1.0, 0.25])
        weighted = float(crf.neg_log_likelihood(emissions, tags, mask, weights))
    assert plain == pytest.approx(each[0] + each[1], rel=1e-5)
    assert weighted == pytest.approx(each[0] + 0.25 * each[1], rel=1e-5)


def test_candidates_cache_round_trips(tmp_path: Path) -> None:
    kept = [candidate("B-PERS I-PERS O", 0.93), candidate("O B-LOC", 0.5)]
    kept[0].tokens[0] = "عبدالله"
    pseudo.save_candidates(kept, tmp_path / "candidates.jsonl.gz")
    assert pseudo.load_candidates(tmp_path / "candidates.jsonl.gz") == kept
