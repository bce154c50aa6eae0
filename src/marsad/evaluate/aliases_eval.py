"""Evaluation of name-variant merging (:func:`marsad.extract.aliases.same_entity`).

The gold file is JSONL: ``{"variants": [...]}`` lists names of one entity (every pair
is a positive), ``{"a": ..., "b": ..., "same": false}`` a pair that must stay apart. Names of
two different variant groups are negatives as well. Precision and recall are over pairs
judged "same".
"""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

from marsad.extract.aliases import same_entity


def load_pairs(path: Path) -> list[tuple[str, str, bool]]:
    """All labelled pairs ``(a, b, same)`` of a gold file, without duplicates."""
    groups: list[list[str]] = []
    pairs: dict[tuple[str, str], bool] = {}
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if "variants" in row:
                groups.append([str(v) for v in row["variants"]])
            elif {"a", "b", "same"} <= row.keys():
                pairs[(str(row["a"]), str(row["b"]))] = bool(row["same"])
            else:
                raise ValueError(f"{path}:{number}: expected 'variants' or 'a', 'b', 'same'")
    for group in groups:
        for a, b in combinations(group, 2):
            pairs.setdefault((a, b), True)
    for group_a, group_b in combinations(groups, 2):
        for a in group_a:
            for b in group_b:
                pairs.setdefault((a, b), False)
    return [(a, b, same) for (a, b), same in pairs.items()]


def evaluate_aliases(path: Path | str) -> str:
    """Scores :func:`same_entity` on a gold file; the last line is ``alias_f1=0.xxx``."""
    pairs = load_pairs(Path(path))
    true_pos = false_pos = positives = 0
    errors: list[str] = []
    for a, b, same in pairs:
        predicted = same_entity(a, b)
        positives += same
        true_pos += predicted and same
        false_pos += predicted and not same
        if predicted != same and len(errors) < 20:
            errors.append(f"  {'missed' if same else 'wrongly merged'}: {a} | {b}")
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 0.0
    recall = true_pos / positives if positives else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return "\n".join(
        [
            f"pairs={len(pairs)} same={positives} predicted_same={true_pos + false_pos}",
            *errors,
            f"precision={precision:.3f} recall={recall:.3f}",
            f"alias_f1={f1:.3f}",
        ]
    )
