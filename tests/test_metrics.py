"""Tests for B-cubed and pairwise clustering metrics."""

from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marsad.evaluate.metrics import bcubed, pairwise

# Gold: {a,b,c} {d,e}; predicted: {a,b} {c,d,e}.
GOLD: dict[str, str | None] = {"a": "1", "b": "1", "c": "1", "d": "2", "e": "2"}
PRED = {"a": "X", "b": "X", "c": "Y", "d": "Y", "e": "Y"}


def test_bcubed_hand_computed() -> None:
    precision, recall, f1 = bcubed(PRED, GOLD)
    # Per-item precision: a,b 2/2; c 1/3; d,e 2/3 -> (2 + 1/3 + 4/3) / 5
    assert precision == pytest.approx(11 / 15)
    # Per-item recall: a,b 2/3; c 1/3; d,e 2/2 -> (4/3 + 1/3 + 2) / 5
    assert recall == pytest.approx(11 / 15)
    assert f1 == pytest.approx(11 / 15)


def test_bcubed_asymmetric_case() -> None:
    gold: dict[str, str | None] = {"a": "1", "b": "1", "c": "1", "d": "2"}
    pred = {"a": "X", "b": "X", "c": "X", "d": "X"}
    precision, recall, f1 = bcubed(pred, gold)
    assert precision == pytest.approx((3 * 3 / 4 + 1 / 4) / 4)  # 10/16
    assert recall == pytest.approx(1.0)
    assert f1 == pytest.approx(2 * 0.625 / 1.625)


def test_pairwise_hand_computed() -> None:
    # Agreeing pairs: (a,b), (d,e); predicted pairs: 1 + 3; gold pairs: 3 + 1.
    assert pairwise(PRED, GOLD) == pytest.approx((0.5, 0.5, 0.5))


def test_unlabelled_items_ignored_and_missing_predictions_are_singletons() -> None:
    gold: dict[str, str | None] = {"a": "1", "b": "1", "z": None}
    pred = {"a": "X", "z": "X"}  # b missing -> its own singleton; z has no gold label
    precision, recall, _ = bcubed(pred, gold)
    assert precision == pytest.approx(1.0)
    assert recall == pytest.approx(0.5)
    assert pairwise(pred, gold) == pytest.approx((1.0, 0.0, 0.0))


def test_perfect_and_empty() -> None:
    assert bcubed(GOLD_AS_PRED, GOLD) == pytest.approx((1.0, 1.0, 1.0))
    assert pairwise(GOLD_AS_PRED, GOLD) == pytest.approx((1.0, 1.0, 1.0))
    assert bcubed({}, {}) == (0.0, 0.0, 0.0)


GOLD_AS_PRED = {item: f"p{label}" for item, label in GOLD.items()}

labelings = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=25)


@given(labelings)
def test_matches_brute_force(rows: list[tuple[int, int]]) -> None:
    pred = {str(i): str(p) for i, (p, _) in enumerate(rows)}
    gold: dict[str, str | None] = {str(i): str(g) for i, (_, g) in enumerate(rows)}
    items = list(pred)
    same_pred = {(x, y) for x, y in combinations(items, 2) if pred[x] == pred[y]}
    same_gold = {(x, y) for x, y in combinations(items, 2) if gold[x] == gold[y]}
    both = len(same_pred & same_gold)
    p, r, _ = pairwise(pred, gold)
    assert p == pytest.approx(both / len(same_pred) if same_pred else 1.0)
    assert r == pytest.approx(both / len(same_gold) if same_gold else 1.0)

    def b3(first: dict[str, str], second: dict[str, str]) -> float:
        total = 0.0
        for item in items:
            cluster = [o for o in items if first[o] == first[item]]
            total += sum(second[o] == second[item] for o in cluster) / len(cluster)
        return total / len(items)

    gold_str = {k: str(v) for k, v in gold.items()}
    bp, br, _ = bcubed(pred, gold)
    assert bp == pytest.approx(b3(pred, gold_str))
    assert br == pytest.approx(b3(gold_str, pred))
