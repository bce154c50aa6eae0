"""scripts/study_pair_linkage.py: average linkage over a sparse graph of pair probabilities."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from marsad.evaluate.metrics import bcubed

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "study_pair_linkage.py"
_spec = importlib.util.spec_from_file_location("study_pair_linkage", SCRIPT)
assert _spec and _spec.loader
study = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(study)


def _graph(pairs: dict[tuple[int, int], float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    first = np.array([a for a, _ in pairs])
    second = np.array([b for _, b in pairs])
    return first, second, np.array(list(pairs.values()))


def test_one_strong_cross_pair_does_not_merge_two_groups_whose_other_pairs_are_missing() -> None:
    # {0,1,2} and {3,4} agree inside; one cross pair at 0.9, the five others missing (0):
    # the mean across is 0.9 / 6 = 0.15, so single linkage would merge them, average does not.
    first, second, probability = _graph(
        {(0, 1): 0.9, (0, 2): 0.9, (1, 2): 0.9, (3, 4): 0.8, (2, 3): 0.9}
    )
    cluster, merges = study.average_linkage(5, first, second, probability, 0.05)
    apart = study.cut(cluster, merges, 0.5)
    assert len(set(apart[:3].tolist())) == 1
    assert apart[3] == apart[4] != apart[0]
    together = study.cut(cluster, merges, 0.1)
    assert len(set(together.tolist())) == 1
    means = [mean for _, _, mean in merges]
    assert means == sorted(means, reverse=True)  # reducible: a cut is a prefix
    assert means[-1] == pytest.approx(0.15)


def test_merges_of_given_stories_use_the_mean_over_all_their_cross_pairs() -> None:
    # Stories {0,1} and {2,3}: cross pairs 0.9, 0.9, 0.2 and one missing: mean 0.5.
    first, second, probability = _graph({(0, 2): 0.9, (1, 3): 0.9, (0, 3): 0.2})
    start = np.array([7, 7, 9, 9])
    cluster, merges = study.average_linkage(4, first, second, probability, 0.05, start)
    assert len(merges) == 1 and merges[0][2] == pytest.approx(0.5)
    assert len(set(study.cut(cluster, merges, 0.4).tolist())) == 1
    assert study.cut(cluster, merges, 0.6).tolist() == [7, 7, 9, 9]


def test_per_article_bcubed_averages_to_the_scorer_of_eval_stories() -> None:
    pred = np.array([0, 0, 0, 1, 1, 2, 2])
    labels = np.array([5, 5, 6, 6, -1, 6, 7])  # -1: a distractor, not scored
    precision, recall = study.per_item_bcubed(pred, labels)
    expected = bcubed(
        {str(i): str(p) for i, p in enumerate(pred)},
        {str(i): str(g) for i, g in enumerate(labels) if g >= 0},
    )
    assert precision.mean() == pytest.approx(expected[0])
    assert recall.mean() == pytest.approx(expected[1])


def test_pair_labels_leave_two_distractors_unknown() -> None:
    labels = np.array([3, 3, 4, -1, -1])
    first, second = np.array([0, 0, 0, 3]), np.array([1, 2, 3, 4])
    assert study.pair_labels(labels, first, second).tolist() == [1, 0, 0, -1]


def test_the_window_bounded_mean_leaves_out_pairs_beyond_the_window() -> None:
    # Story {0 (day 0), 1 (day 4)} and article 2 (day 4): the one cross pair inside the
    # window agrees (0.9); the pair 0-2 lies 4 calendar days apart, beyond the window.
    first, second, probability = _graph({(1, 2): 0.9})
    start = np.array([0, 0, 1])
    _, plain = study.average_linkage(3, first, second, probability, 0.5, start)
    assert plain == []  # 0.9 over both cross pairs: 0.45
    _, bounded = study.average_linkage(
        3, first, second, probability, 0.5, start, np.array([0, 4, 4])
    )
    assert len(bounded) == 1 and bounded[0][2] == pytest.approx(0.9)
