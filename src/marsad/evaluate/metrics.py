"""Clustering quality metrics (B-cubed and pairwise) from contingency counts.

Both metrics are computed over the items that have a gold label; an item missing
from the prediction counts as a predicted singleton. Everything is derived from the
counts ``n[p, g]`` of items with predicted cluster p and gold cluster g, so the cost
is linear in the number of items (no pair enumeration).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

Scores = tuple[float, float, float]


def _f1(precision: float, recall: float) -> float:
    total = precision + recall
    return 0.0 if total == 0.0 else 2.0 * precision * recall / total


def _contingency(
    pred: Mapping[str, str], gold: Mapping[str, str | None]
) -> tuple[Counter[tuple[str, str]], Counter[str], Counter[str], int]:
    """Count (pred, gold) label pairs and cluster sizes over the gold-labelled items."""
    joint: Counter[tuple[str, str]] = Counter()
    for item, gold_label in gold.items():
        if gold_label is None:
            continue
        # A NUL prefix keeps invented singleton labels apart from real predicted labels.
        pred_label = pred.get(item, "\0" + item)
        joint[(pred_label, gold_label)] += 1
    pred_sizes: Counter[str] = Counter()
    gold_sizes: Counter[str] = Counter()
    for (pred_label, gold_label), count in joint.items():
        pred_sizes[pred_label] += count
        gold_sizes[gold_label] += count
    return joint, pred_sizes, gold_sizes, sum(pred_sizes.values())


def bcubed(pred: Mapping[str, str], gold: Mapping[str, str | None]) -> Scores:
    """B-cubed precision, recall and F1 (Bagga & Baldwin 1998; Amigó et al. 2009).

    Args:
        pred: item id -> predicted cluster label.
        gold: item id -> gold cluster label, or None for unlabelled items (ignored).

    Returns:
        (precision, recall, f1); all 0.0 when no item has a gold label.
    """
    joint, pred_sizes, gold_sizes, total = _contingency(pred, gold)
    if total == 0:
        return 0.0, 0.0, 0.0
    # Each of the n items in cell (p, g) has n correct items in its predicted cluster.
    precision = sum(n * n / pred_sizes[p] for (p, _), n in joint.items()) / total
    recall = sum(n * n / gold_sizes[g] for (_, g), n in joint.items()) / total
    return precision, recall, _f1(precision, recall)


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


def pairwise(pred: Mapping[str, str], gold: Mapping[str, str | None]) -> Scores:
    """Pairwise precision, recall and F1 over same-cluster item pairs.

    With no predicted pairs precision is 1.0 (nothing wrong was claimed); with no gold
    pairs recall is 1.0 (nothing was missed).

    Args:
        pred: item id -> predicted cluster label.
        gold: item id -> gold cluster label, or None for unlabelled items (ignored).

    Returns:
        (precision, recall, f1).
    """
    joint, pred_sizes, gold_sizes, _ = _contingency(pred, gold)
    agreeing = sum(_pairs(n) for n in joint.values())
    predicted = sum(_pairs(n) for n in pred_sizes.values())
    expected = sum(_pairs(n) for n in gold_sizes.values())
    precision = agreeing / predicted if predicted else 1.0
    recall = agreeing / expected if expected else 1.0
    return precision, recall, _f1(precision, recall)


__all__ = ["Scores", "bcubed", "pairwise"]
