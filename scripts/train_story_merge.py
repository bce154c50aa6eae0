"""Train the learned story-merge decision (stage 2) on the July DEV gold, and compare it.

Stage 1 is the learned join (``scripts/train_story_join.py``): precise, but an event with
many outlets grows as several stories side by side. Stage 2 merges two active stories
(found through the clusterer's index, within the time window) when a logistic regression
over story-pair features (``marsad.cluster.stories.MERGE_FEATURES``) says they are one event.

1. Replay the July pool through stage 1 (join models cross-validated by day) with every
   merge candidate's features recorded but nothing merged. A pair is positive when the
   majority gold labels of the two stories are the same; negative when only one of them
   holds labeled articles (gold stories are labeled completely); unlabeled pairs are left out.
2. Fit the merge model per held-out day on the other days' pairs, replay with it (each
   article's merges decided by the model fit without its day) for each merge threshold, and
   keep the threshold with the best B-cubed F1 (cross-validated by day).
3. Print the ablation table (``--ablation``): the hand rule of main, stage 1 alone, stage 1
   with a lower join threshold, each with and without the merge.

Writes the model fit on all July pairs (``src/marsad/data/story_merge.json``).

Usage::

    python scripts/train_story_merge.py build/stories_dev.jsonl.gz -o src/marsad/data/story_merge.json

Never point it at the August validation gold: that one is for measuring only.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import pickle
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_story_join import Item, collect, fit, fit_logistic, prepare, score

from marsad.cluster.stories import (
    FEATURES,
    MERGE_FEATURES,
    ClusterSettings,
    JoinModel,
    MergeModel,
    StoryClusterer,
    shipped_join_model,
)
from marsad.dedup.minhash import DuplicateIndex
from marsad.pipeline import Settings

MERGE_THRESHOLDS = (0.2, 0.3, 0.4, 0.5)


@dataclasses.dataclass
class Pair:
    """One recorded merge candidate: its day, features and gold label (1 = one event)."""

    day: str
    features: tuple[float, ...]
    label: int


def replay(
    items: list[Item],
    clusterer: StoryClusterer,
    *,
    per_day: dict[str, ClusterSettings] | None = None,
    recording: bool = False,
) -> tuple[dict[str, int], list[Pair]]:
    """Cluster the pool as ingest does (copies follow their original, merges redirect);
    returns id -> final story and, when ``recording``, the merge candidates seen.

    ``per_day`` swaps the clusterer's settings for each article's day (a merge model fit
    without that day: cross-validation by day).
    """
    settings = Settings(cluster=ClusterSettings())  # never the shipped models being trained
    duplicates = DuplicateIndex(threshold=settings.dedup_threshold, num_perm=settings.num_perm)
    story_of: dict[int, int] = {}
    into: dict[int, int] = {}
    members: dict[int, Counter[str]] = {}
    pairs: list[Pair] = []
    pending: list[tuple[int, int, tuple[float, ...]]] = []
    if recording:
        clusterer.on_merge_features = lambda a, b, f: pending.append((a, b, f))

    def final(story: int) -> int:
        while story in into:
            story = into[story]
        return story

    for item in items:
        doc = item.doc
        if per_day is not None:
            clusterer.settings = per_day[item.day]
        original = duplicates.find(item.fp, doc.when, None)
        pending.clear()
        if original is not None and original in story_of:
            story = final(story_of[original])
            clusterer.add_to_story(story, doc)
        else:
            story = clusterer.assign(doc).story
            duplicates.add(doc.key, item.fp, doc.when)
        for first, second, features in pending:
            mine = Counter(members.get(first, ()))
            if item.label is not None:
                mine[item.label] += 1  # the article that just joined ``first``
            theirs = members.get(second, Counter())
            if mine and theirs:
                same = mine.most_common(1)[0][0] == theirs.most_common(1)[0][0]
                pairs.append(Pair(item.day, features, int(same)))
            elif mine or theirs:
                pairs.append(Pair(item.day, features, 0))
        for merge in clusterer.take_merges():
            into[merge.merged] = merge.into
            members.setdefault(merge.into, Counter()).update(members.pop(merge.merged, ()))
        story = final(story)
        if item.label is not None:
            members.setdefault(story, Counter())[item.label] += 1
        story_of[doc.key] = story
    return {item.ext_id: final(story_of[item.doc.key]) for item in items}, pairs


def fit_merge(
    pairs: list[Pair], threshold: float = 0.5, min_size: int = 1, drop: Sequence[str] = ()
) -> MergeModel:
    """Logistic regression over the story-pair features, without those named in ``drop``."""
    x = np.array([p.features for p in pairs], dtype=float)
    y = np.array([p.label for p in pairs])
    dropped = [MERGE_FEATURES.index(name) for name in drop]
    return MergeModel(*fit_logistic(x, y, dropped), threshold, min_size)


class _Forest:
    """Gradient-boosted trees behind the :class:`MergeModel` interface (ablation only)."""

    def __init__(self, pairs: list[Pair], threshold: float, min_size: int) -> None:
        from sklearn.ensemble import HistGradientBoostingClassifier

        x = np.array([p.features for p in pairs], dtype=float)
        y = np.array([p.label for p in pairs])
        self.model = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_depth=3)
        self.model.fit(x, y)
        self.threshold = threshold
        self.min_size = min_size

    def probability(self, features: tuple[float, ...]) -> float:
        return float(self.model.predict_proba(np.array([features]))[0, 1])


def _cache(path: Path, make: Any) -> Any:
    if path.exists():
        return pickle.loads(path.read_bytes())
    value = make()
    path.write_bytes(pickle.dumps(value))
    return value


def _line(name: str, result: tuple[float, float, float], started: float) -> str:
    p, r, f = result
    return f"{name:<58} bcubed P/R/F1 {p:.3f}/{r:.3f}/{f:.3f}  ({time.time() - started:.0f} s)"


def _scored(items: list[Item], predicted: dict[str, int]) -> tuple[float, float, float]:
    return score(items, predicted)


def print_errors(items: list[Item], predicted: dict[str, int], shown: int = 60) -> None:
    """Split gold stories and mixed predicted stories, by gold slug (our labels, which name
    the kind of event: ``tasi-session-0722`` beside ``tasi-session-0723``)."""
    gold = {item.ext_id: item.label for item in items if item.label}
    by_story: dict[int, Counter[str]] = {}
    by_label: dict[str, Counter[int]] = {}
    for ext_id, label in gold.items():
        by_story.setdefault(predicted[ext_id], Counter())[label] += 1
        by_label.setdefault(label, Counter())[predicted[ext_id]] += 1
    mixed = [labels for labels in by_story.values() if len(labels) > 1]
    split = {label: parts for label, parts in by_label.items() if len(parts) > 1}
    print(f"mixed predicted stories: {len(mixed)}; split gold stories: {len(split)}")
    for labels in sorted(mixed, key=lambda c: -(sum(c.values()) - max(c.values())))[:shown]:
        print("  mixed: " + " + ".join(f"{label} x{n}" for label, n in labels.most_common()))
    for label, parts in sorted(split.items(), key=lambda lp: -len(lp[1]))[:shown]:
        print(f"  split: {label} into {len(parts)} ({sorted(parts.values(), reverse=True)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("-o", "--output", type=Path)
    parser.add_argument("--join-threshold", type=float, default=None)
    parser.add_argument(
        "--join-thresholds",
        type=float,
        nargs="*",
        default=[],
        help="stage-1 thresholds tried; the (join, merge) pair with the best cross-validated"
        " B-cubed F1 of the whole clustering is kept",
    )
    parser.add_argument("--merge-thresholds", type=float, nargs="*", default=MERGE_THRESHOLDS)
    parser.add_argument("--min-size", type=int, default=1, help="merge_min_size of both stories")
    parser.add_argument("--hand", action="store_true", help="also score main's hand rule")
    parser.add_argument("--forest", action="store_true", help="gradient-boosted trees instead")
    parser.add_argument("--cache", type=Path, default=Path("build"))
    parser.add_argument("--errors", action="store_true", help="list errors of the best")
    parser.add_argument(
        "--drop", nargs="*", default=[], choices=MERGE_FEATURES, help="merge features left out"
    )
    parser.add_argument(
        "--join-drop",
        nargs="*",
        default=[],
        choices=FEATURES,
        help="stage-1 join features left out",
    )
    parser.add_argument(
        "--topics",
        type=int,
        default=0,
        choices=(0, 256, 1024),
        help="topical word classes behind the topic_* features of both stages (0: off)",
    )
    parser.add_argument(
        "--half-life",
        type=float,
        default=ClusterSettings().half_life_days,
        help="half_life_days of the hand score (inf: not decayed by the story's age)",
    )
    args = parser.parse_args()
    if "val" in args.gold.name:
        raise SystemExit("refusing to train on a validation gold")
    started = time.time()
    items: list[Item] = _cache(args.cache / "merge_items.pickle", lambda: prepare(args.gold))
    days = sorted({item.day for item in items})
    print(f"{len(items)} articles, {sum(1 for i in items if i.label)} labeled, days {days}")
    if args.hand:
        started = time.time()
        hand_rule = ClusterSettings(half_life_days=args.half_life, topic_classes=args.topics)
        hand, _ = replay(items, StoryClusterer(hand_rule))
        print(_line("hand rule (main's join), no merge", _scored(items, hand), started))
    # Stage 1: join models fit without each day (the shipped model saw every July day).
    # The hand rule's decisions depend on its decay only (not on what a model leaves out);
    # stage-1 replays also on the join features left out.
    htag = "" if args.half_life == ClusterSettings().half_life_days else f"_h{args.half_life:g}"
    htag += f"_topics{args.topics}" if args.topics else ""
    tag = "".join(f"_{name}" for name in args.join_drop) + htag
    hand_settings = ClusterSettings(half_life_days=args.half_life, topic_classes=args.topics)
    decisions = _cache(
        args.cache / f"merge_join_decisions{htag}.pickle",
        lambda: collect(items, StoryClusterer(hand_settings)),
    )
    join_models: dict[str, JoinModel] = {
        day: fit([d for d in decisions if d.day != day], args.join_drop) for day in days
    }
    base = ClusterSettings(
        merge_min_size=args.min_size, half_life_days=args.half_life, topic_classes=args.topics
    )
    join_thresholds = args.join_thresholds or [
        args.join_threshold or shipped_join_model().threshold
    ]
    kind = "trees" if args.forest else "logistic"
    # (join threshold, merge threshold) -> B-cubed; the pair is chosen on the clustering's
    # B-cubed F1 (cross-validated by day), not on either model's pair log-loss.
    results: dict[tuple[float, float], tuple[float, float, float]] = {}
    predictions: dict[tuple[float, float], dict[str, int]] = {}
    recorded: dict[float, tuple[list[Pair], tuple[float, float, float]]] = {}
    for join_threshold in join_thresholds:
        started = time.time()
        # Each article is decided by the join model fit without its day (its settings are
        # swapped per day); the hand rule decides until the IDF statistics are warm, as shipped.
        stage1_days = {
            day: dataclasses.replace(
                base, join_model=dataclasses.replace(model, threshold=join_threshold)
            )
            for day, model in join_models.items()
        }
        stage1, pairs = _cache(
            args.cache / f"merge_stage1_{join_threshold:g}_{args.min_size}{tag}_warm.pickle",
            lambda days=stage1_days: replay(
                items, StoryClusterer(base), per_day=days, recording=True
            ),
        )
        stage1_score = _scored(items, stage1)
        recorded[join_threshold] = (pairs, stage1_score)
        name = f"stage 1: learned join (CV by day), threshold {join_threshold:g}, no merge"
        print(_line(name, stage1_score, started))
        positive = sum(p.label for p in pairs)
        print(f"  {len(pairs)} merge candidate pairs recorded ({positive} one event)")
        for threshold in args.merge_thresholds:
            started = time.time()
            per_day: dict[str, ClusterSettings] = {}
            for day in days:
                rest = [p for p in pairs if p.day != day]
                model: Any = (
                    _Forest(rest, threshold, args.min_size)
                    if args.forest
                    else fit_merge(rest, threshold, args.min_size, args.drop)
                )
                per_day[day] = dataclasses.replace(stage1_days[day], merge_model=model)
            predicted, _ = replay(items, StoryClusterer(base), per_day=per_day)
            results[join_threshold, threshold] = _scored(items, predicted)
            predictions[join_threshold, threshold] = predicted
            name = f"  + learned merge ({kind}, CV by day), threshold {threshold:g}"
            print(_line(name, results[join_threshold, threshold], started), flush=True)
    if not results:
        return
    join_threshold, best = max(results, key=lambda jt: (results[jt][2], jt[1], -jt[0]))
    pairs, stage1_score = recorded[join_threshold]
    positive = sum(p.label for p in pairs)
    p, r, f = results[join_threshold, best]
    print(f"chosen: join {join_threshold:g}, merge {best:g}: bcubed P/R/F1 {p:.3f}/{r:.3f}/{f:.3f}")
    if args.errors:
        print_errors(items, predictions[join_threshold, best])
    if not args.output:
        return
    final = fit_merge(pairs, best, args.min_size, args.drop)
    for feature, weight in zip(MERGE_FEATURES, final.weights, strict=True):
        print(f"  {feature:<18} {weight:+.3f}")
    model_json = {
        "features": list(MERGE_FEATURES),
        "weights": list(final.weights),
        "bias": final.bias,
        "means": list(final.means),
        "scales": list(final.scales),
        "threshold": best,
        "join_threshold": join_threshold,
        "merge_min_size": args.min_size,
        "trained_on": args.gold.name,
        "pairs": len(pairs),
        "positive_pairs": positive,
        "cv_bcubed_f1": round(results[join_threshold, best][2], 4),
        "stage1_cv_bcubed_f1": round(stage1_score[2], 4),
        **(
            {
                "left_out": list(args.drop),
                "join_left_out": list(args.join_drop),
                "half_life_days": args.half_life if math.isfinite(args.half_life) else "inf",
            }
            if tag or args.drop
            else {}
        ),
        **({"topic_classes": args.topics} if args.topics else {}),
    }
    assert all(math.isfinite(w) for w in final.weights)
    args.output.write_text(json.dumps(model_json, indent=1) + "\n", encoding="utf-8")
    print(f"merge threshold {best}; wrote {args.output}")


if __name__ == "__main__":
    main()
