"""Train the learned join decision of story clustering on the July DEV gold.

Replays the gold pool in date order through the online clusterer (pure stages as in ingest,
copies folded into their original's story, hand-weighted decisions) and records, for every
labeled article, the features (``marsad.cluster.stories.FEATURES``) of each candidate story
it was scored against. A pair is positive when most labeled members of the candidate story
so far carry the article's gold story; a candidate with no labeled member is negative (gold
stories are labeled completely, so an unlabeled story is another event).

A logistic regression is fit with cross-validation by day (an event's articles share a day;
interleaved folds would leak). The decision threshold is the one with the best
cross-validated decision accuracy (join the best candidate or open a story). Writes the
model as JSON (``src/marsad/data/story_join.json``) and prints its report.

Usage::

    python scripts/train_story_join.py build/stories_dev.jsonl.gz -o src/marsad/data/story_join.json

Never point it at the August validation gold: that one is for measuring only.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
from collections import Counter
from datetime import datetime
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from marsad.cluster.stories import FEATURES, ClusterSettings, StoryClusterer
from marsad.dedup.minhash import DuplicateIndex
from marsad.evaluate.stories import load_gold
from marsad.pipeline import Prepared, Settings, prepare_article

THRESHOLDS = [round(0.05 * i, 2) for i in range(2, 19)]


@dataclasses.dataclass
class Decision:
    """One labeled article's candidates: features, pair labels, and its day."""

    day: str
    features: list[tuple[float, ...]]
    labels: list[int]


def replay(gold_path: Path) -> list[Decision]:
    articles, gold = load_gold(gold_path)
    settings = Settings()
    now = datetime(2000, 1, 1)
    clusterer = StoryClusterer(ClusterSettings())
    duplicates = DuplicateIndex(threshold=settings.dedup_threshold, num_perm=settings.num_perm)
    seen: list[tuple[int, tuple[float, ...]]] = []
    clusterer.on_features = lambda story, features: seen.append((story, features))
    members: dict[int, Counter[str]] = {}  # story -> gold labels of its labeled members
    story_of: dict[int, int] = {}
    decisions = []
    ordered = sorted(articles, key=lambda a: (a.date or now, a.origin))
    for key, raw in enumerate(ordered):
        item = prepare_article(raw, now, settings)
        if not isinstance(item, Prepared):
            continue
        label = gold.get(raw.ext_id or "")
        original = duplicates.find(item.fp, item.published, None)
        doc = dataclasses.replace(item.cluster_doc, key=key)
        seen.clear()
        if original is not None and original in story_of:
            story = story_of[original]
            clusterer.add_to_story(story, doc)
        else:
            story = clusterer.assign(doc).story
            duplicates.add(key, item.fp, item.published)
            if label is not None and seen:
                decisions.append(
                    Decision(
                        raw.date.date().isoformat() if raw.date else "",
                        [features for _, features in seen],
                        [_positive(members.get(s), label) for s, _ in seen],
                    )
                )
        story_of[key] = story
        if label is not None:
            members.setdefault(story, Counter())[label] += 1
    return decisions


def _positive(labels: Counter[str] | None, label: str) -> int:
    if not labels:
        return 0
    return int(labels[label] * 2 >= sum(labels.values()))


def _decision_accuracy(
    decisions: list[Decision], probabilities: list[np.ndarray], threshold: float
) -> float:
    """Share of articles whose decision is right: join a positive best candidate, or open
    a story when no candidate is positive."""
    right = 0
    for decision, p in zip(decisions, probabilities, strict=True):
        best = int(np.argmax(p))
        joins = p[best] >= threshold
        right += (decision.labels[best] == 1) if joins else (not any(decision.labels))
    return right / max(1, len(decisions))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    if "val" in args.gold.name:
        raise SystemExit("refusing to train on a validation gold")
    decisions = replay(args.gold)
    days = sorted({d.day for d in decisions})
    rows = [(d.day, f, y) for d in decisions for f, y in zip(d.features, d.labels, strict=True)]
    x = np.array([f for _, f, _ in rows], dtype=float)
    y = np.array([label for _, _, label in rows])
    groups = np.array([day for day, _, _ in rows])
    means, scales = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = (x - means) / scales
    print(
        f"{len(decisions)} labeled decisions, {len(rows)} pairs ({y.sum()} positive), days {days}"
    )

    # Cross-validation by day: each day's pairs are scored by a model fit on the others.
    held_out = np.zeros(len(rows))
    for day in days:
        test = groups == day
        model = LogisticRegression(C=1.0, max_iter=2000).fit(z[~test], y[~test])
        held_out[test] = model.predict_proba(z[test])[:, 1]
    print(f"cross-validated by day: pair ROC AUC {roc_auc_score(y, held_out):.3f}")
    hand = x[:, FEATURES.index("hand_score")]
    print(f"hand-weighted score:    pair ROC AUC {roc_auc_score(y, hand):.3f}")

    def split(values: np.ndarray) -> list[np.ndarray]:
        out, start = [], 0
        for decision in decisions:
            out.append(values[start : start + len(decision.labels)])
            start += len(decision.labels)
        return out

    per_decision = split(held_out)
    scores = {t: _decision_accuracy(decisions, per_decision, t) for t in THRESHOLDS}
    threshold = max(scores, key=lambda t: (scores[t], -abs(t - 0.5)))
    print("cross-validated decision accuracy by threshold: "
          + ", ".join(f"{t}: {a:.3f}" for t, a in scores.items()))  # fmt: skip
    hand_accuracy = _decision_accuracy(decisions, split(hand), ClusterSettings().join_threshold)
    print(f"hand-weighted rule (threshold {ClusterSettings().join_threshold}): {hand_accuracy:.3f}")
    final = LogisticRegression(C=1.0, max_iter=2000).fit(z, y)
    weights = final.coef_[0]
    for name, weight in zip(FEATURES, weights, strict=True):
        print(f"  {name:<18} {weight:+.3f}")
    model = {
        "features": list(FEATURES),
        "weights": [round(float(w), 6) for w in weights],
        "bias": round(float(final.intercept_[0]), 6),
        "means": [round(float(m), 6) for m in means],
        "scales": [round(float(s), 6) for s in scales],
        "threshold": threshold,
        "trained_on": args.gold.name,
        "cv_decision_accuracy": round(scores[threshold], 4),
        "hand_decision_accuracy": round(hand_accuracy, 4),
    }
    assert all(math.isfinite(v) for v in model["weights"])  # type: ignore[attr-defined]
    args.output.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"threshold {threshold}; wrote {args.output}")


if __name__ == "__main__":
    main()
