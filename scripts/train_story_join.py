"""Train the learned join decision of story clustering on the July DEV gold.

1. Replay the gold pool in date order through the online clusterer (the pure stages as in
   ingest, copies folded into their original's story, hand-weighted decisions) and record,
   for every labeled article, the features (``marsad.cluster.stories.FEATURES``) of each
   candidate story it was scored against. A pair is positive when most labeled members of
   the candidate carry the article's gold story; a candidate with no labeled member is
   negative (gold stories are labeled completely, so an unlabeled story is another event).
2. Fit a logistic regression on those pairs.
3. Pick the join threshold by cross-validation **by day** on the clustering itself: each
   day's articles are clustered with a model fit on the other days' pairs (an event's
   articles share a day; interleaved folds would leak), the whole pool is replayed once
   per threshold, and the threshold with the best B-cubed F1 wins. Decision accuracy was
   tried first and chose too low a threshold: most articles of the pool are unlabeled
   singletons, and joining them wrongly costs precision it does not see.

Writes the model as JSON (``src/marsad/data/story_join.json``) and prints its report.

Usage::

    python scripts/train_story_join.py build/stories_dev.jsonl.gz -o src/marsad/data/story_join.json

Never point it at the August validation gold: that one is for measuring only.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import pickle
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

from marsad.cluster.stories import (
    FEATURES,
    Assignment,
    ClusterDoc,
    ClusterSettings,
    JoinModel,
    StoryClusterer,
)
from marsad.dedup.minhash import DuplicateIndex, Fingerprint
from marsad.evaluate.metrics import bcubed
from marsad.evaluate.stories import load_gold
from marsad.pipeline import Prepared, Settings, prepare_article

THRESHOLDS = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55)
REGULARIZATION = 1.0  # inverse L2 strength on standardized features


@dataclasses.dataclass(frozen=True)
class Item:
    """One prepared pool article: what clustering sees, its gold label and its day."""

    doc: ClusterDoc
    fp: Fingerprint
    ext_id: str
    label: str | None

    @property
    def day(self) -> str:
        return self.doc.when.date().isoformat()


@dataclasses.dataclass
class Decision:
    """One labeled article's candidates: features, pair labels, and its day."""

    day: str
    features: list[tuple[float, ...]]
    labels: list[int]
    ext_id: str = ""  # the article (for reading the errors of a kind)


def prepare(gold_path: Path) -> list[Item]:
    articles, gold = load_gold(gold_path)
    settings = Settings(cluster=ClusterSettings())  # never the shipped models being trained
    now = datetime(2000, 1, 1)
    items = []
    for key, raw in enumerate(sorted(articles, key=lambda a: (a.date or now, a.origin))):
        prepared = prepare_article(raw, now, settings)
        if isinstance(prepared, Prepared):
            doc = dataclasses.replace(prepared.cluster_doc, key=key)
            ext_id = raw.ext_id or str(key)
            items.append(Item(doc, prepared.fp, ext_id, gold.get(ext_id)))
    return items


def replay(
    items: list[Item],
    clusterer: StoryClusterer,
    on_assign: Callable[[Item, int], None] | None = None,
) -> dict[str, int]:
    """Cluster the pool as ingest does (copies follow their original); id -> story."""
    settings = Settings(cluster=ClusterSettings())  # never the shipped models being trained
    duplicates = DuplicateIndex(threshold=settings.dedup_threshold, num_perm=settings.num_perm)
    story_of: dict[int, int] = {}
    for item in items:
        doc = item.doc
        original = duplicates.find(item.fp, doc.when, None)
        if original is not None and original in story_of:
            story = story_of[original]
            clusterer.add_to_story(story, doc)
        else:
            story = clusterer.assign(doc).story
            duplicates.add(doc.key, item.fp, doc.when)
            if on_assign is not None:
                on_assign(item, story)
        story_of[doc.key] = story
    return {item.ext_id: story_of[item.doc.key] for item in items}


def collect(items: list[Item], clusterer: StoryClusterer | None = None) -> list[Decision]:
    """Candidate features of every labeled article's join decision, replayed with
    ``clusterer``'s decisions (default: the hand-weighted rule)."""
    clusterer = clusterer or StoryClusterer(ClusterSettings(join_model=None))
    seen: list[tuple[int, tuple[float, ...]]] = []
    clusterer.on_features = lambda story, features: seen.append((story, features))
    members: dict[int, Counter[str]] = {}  # story -> gold labels of its labeled members
    decisions = []
    assign = clusterer.assign

    def recording(doc: ClusterDoc) -> Assignment:
        seen.clear()
        return assign(doc)

    clusterer.assign = recording  # type: ignore[method-assign]

    def on_assign(item: Item, story: int) -> None:
        if item.label is None:
            return
        if seen:
            labels = [_positive(members.get(candidate), item.label) for candidate, _ in seen]
            decisions.append(Decision(item.day, [f for _, f in seen], labels, item.ext_id))
        members.setdefault(story, Counter())[item.label] += 1

    replay(items, clusterer, on_assign)
    return decisions


def _positive(labels: Counter[str] | None, label: str) -> int:
    if not labels:
        return 0
    return int(labels[label] * 2 >= sum(labels.values()))


def fit(decisions: list[Decision], drop: Sequence[str] = ()) -> JoinModel:
    """Logistic regression over the pair features; a feature named in ``drop`` is left out
    (weight 0: the model ignores whatever value it takes)."""
    x = np.array([f for d in decisions for f in d.features], dtype=float)
    y = np.array([label for d in decisions for label in d.labels])
    return JoinModel(*fit_logistic(x, y, [FEATURES.index(name) for name in drop]), 0.5)


def joins_by_held_out_day(
    decisions: list[Decision],
    days: Sequence[str],
    base: ClusterSettings,
    drop: Sequence[str] = (),
    threshold: float = 0.5,
) -> dict[str, ClusterSettings]:
    """For each day, ``base`` with a join model fit on the other days' decisions (CV by day)."""
    return {
        day: dataclasses.replace(
            base,
            join_model=dataclasses.replace(
                fit([d for d in decisions if d.day != day], drop), threshold=threshold
            ),
        )
        for day in days
    }


def fit_logistic(
    x: np.ndarray, y: np.ndarray, dropped: Sequence[int] = ()
) -> tuple[tuple[float, ...], float, tuple[float, ...], tuple[float, ...]]:
    """Weights, bias, means and scales of an L2 logistic regression on standardized
    features; the columns in ``dropped`` are zeroed (so their weight is 0) and stored with
    mean 0 and scale 1, as is a column that never varies (a feature switched off: the
    topical ones without ``--topics``), whose scale would round to 0."""
    dropped = sorted({*dropped, *np.flatnonzero(x.std(axis=0) == 0.0).tolist()})
    x = x.copy()
    x[:, list(dropped)] = 0.0
    means, scales = x.mean(axis=0), x.std(axis=0) + 1e-9
    means[list(dropped)], scales[list(dropped)] = 0.0, 1.0
    model = LogisticRegression(C=REGULARIZATION, max_iter=3000).fit((x - means) / scales, y)
    return (
        tuple(round(float(w), 6) for w in model.coef_[0]),
        round(float(model.intercept_[0]), 6),
        tuple(round(float(m), 6) for m in means),
        tuple(round(float(s), 6) for s in scales),
    )


class _ByDay(StoryClusterer):
    """Scores each article with the model fit without its own day (cross-validation)."""

    def __init__(
        self,
        models: dict[str, JoinModel],
        threshold: float,
        settings: ClusterSettings | None = None,
    ) -> None:
        super().__init__(settings or ClusterSettings(join_model=None))
        self._models = models
        self._threshold = threshold

    def _join_cutoff(self) -> float:
        return self._threshold

    def _score(self, when: datetime, vectors: object, story: object) -> float:
        features = self._features(when, vectors, story, numbers=True)  # type: ignore[arg-type]
        if self.on_features is not None:
            self.on_features(story.story_id, features)  # type: ignore[attr-defined]
        return self._models[when.date().isoformat()].probability(features)


def score(items: list[Item], predicted: dict[str, int]) -> tuple[float, float, float]:
    gold = {item.ext_id: item.label for item in items if item.label}
    return bcubed({key: str(predicted[key]) for key in gold}, gold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument(
        "--rounds", type=int, default=2, help="fit, replay with the model, refit on both"
    )
    parser.add_argument("--thresholds", type=float, nargs="*", default=THRESHOLDS)
    parser.add_argument(
        "--drop", nargs="*", default=[], choices=FEATURES, help="features left out (weight 0)"
    )
    parser.add_argument(
        "--half-life",
        type=float,
        default=ClusterSettings().half_life_days,
        help="half_life_days of the hand score (inf: not decayed by the story's age)",
    )
    parser.add_argument(
        "--topics",
        type=int,
        default=0,
        choices=(0, 256, 1024),
        help="topical word classes behind topic_lead/topic_body (ClusterSettings.topic_classes;"
        " 0: off)",
    )
    parser.add_argument("--items", type=Path, help="prepared pool articles cached here (pickle)")
    parser.add_argument(
        "--decisions",
        type=Path,
        help="the hand rule's recorded decisions cached here (pickle; they do not depend on"
        " --drop, so runs that leave out different features can share them)",
    )
    parser.add_argument(
        "--no-cv",
        action="store_true",
        help="fit on all pairs and write the model at the first --thresholds, without replays"
        " (the merge's training chooses the join threshold on the whole clustering)",
    )
    parser.add_argument(
        "--rejections",
        action="store_true",
        help="only list the kinds of same-story pairs that the hand rule joins and the learned"
        " join (fit without the pair's day, at each of --thresholds) rejects; no replay",
    )
    args = parser.parse_args()
    if "val" in args.gold.name:
        raise SystemExit("refusing to train on a validation gold")
    items = prepared_items(args.gold, args.items)
    settings = ClusterSettings(
        join_model=None, half_life_days=args.half_life, topic_classes=args.topics
    )
    decisions = cached(args.decisions, lambda: collect(items, StoryClusterer(settings)))
    if args.rejections:
        for threshold in args.thresholds:
            print_rejections(items, decisions, args.drop, threshold, settings)
        return
    days = sorted({item.day for item in items})
    pairs = sum(len(d.labels) for d in decisions)
    positive = sum(sum(d.labels) for d in decisions)
    print(f"{len(decisions)} labeled decisions, {pairs} pairs ({positive} positive), days {days}")
    if args.drop or args.half_life != ClusterSettings().half_life_days:
        print(
            f"left out: {', '.join(args.drop) or 'none'}; hand score half-life {args.half_life:g} days"
        )
    if args.topics:
        print(f"topical word classes: {args.topics}")
    if args.no_cv:
        # The join's threshold is chosen with the merge, on the whole clustering's B-cubed
        # (train_story_merge.py --join-thresholds); its model is fit here on all July pairs.
        final = dataclasses.replace(fit(decisions, args.drop), threshold=args.thresholds[0])
        write_model(
            args, items, final, {"cross_validated": "with the merge (train_story_merge.py)"}
        )
        return
    hand = score(items, replay(items, StoryClusterer(settings)))
    print(f"hand-weighted rule: bcubed P/R/F1 {hand[0]:.3f}/{hand[1]:.3f}/{hand[2]:.3f}")
    thresholds = tuple(args.thresholds)
    for round_ in range(1, args.rounds + 1):
        models = {day: fit([d for d in decisions if d.day != day], args.drop) for day in days}
        results = {}
        for threshold in thresholds:
            results[threshold] = score(items, replay(items, _ByDay(models, threshold, settings)))
            p, r, f = results[threshold]
            print(f"round {round_}: learned, cross-validated by day, threshold {threshold}: "
                  f"bcubed P/R/F1 {p:.3f}/{r:.3f}/{f:.3f}", flush=True)  # fmt: skip
        threshold = max(thresholds, key=lambda t: (results[t][2], -t))
        if round_ < args.rounds:
            # The model meets stories shaped by its own decisions, not by the hand rule's:
            # add the pairs its own (cross-validated) replay produces (DAgger, Ross et al. 2011).
            decisions += collect(items, _ByDay(models, threshold, settings))
            print(f"round {round_ + 1}: {len(decisions)} decisions")
    final = dataclasses.replace(fit(decisions, args.drop), threshold=threshold)
    scores = {
        "rounds": args.rounds,
        "cv_bcubed_f1": round(results[threshold][2], 4),
        "hand_bcubed_f1": round(hand[2], 4),
    }
    write_model(args, items, final, scores)


def write_model(
    args: argparse.Namespace, items: list[Item], final: JoinModel, scores: dict[str, Any]
) -> None:
    """Print the weights and write the model JSON (with what it left out, and its decay)."""
    for name, weight in zip(FEATURES, final.weights, strict=True):
        print(f"  {name:<18} {weight:+.3f}")
    model = {
        "features": list(FEATURES),
        "weights": list(final.weights),
        "bias": final.bias,
        "means": list(final.means),
        "scales": list(final.scales),
        "threshold": final.threshold,
        "trained_on": args.gold.name,
        "labeled_articles": sum(1 for item in items if item.label),
        **scores,
    }
    if args.drop or args.half_life != ClusterSettings().half_life_days:
        # Read back by learned_settings(): the hand score must be decayed as in training.
        model["left_out"] = list(args.drop)
        model["half_life_days"] = args.half_life if math.isfinite(args.half_life) else "inf"
    if args.topics:
        model["topic_classes"] = args.topics  # read back by learned_settings()
    assert all(math.isfinite(w) for w in final.weights)
    args.output.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"threshold {final.threshold}; wrote {args.output}")


# Kinds of a same-story pair the learned join may reject, read off the pair's features
# (thresholds in the features' own units: days, cosines, shares of weight).
REJECTION_KINDS: dict[str, Callable[[dict[str, float]], bool]] = {
    "late follow-up (>= 1 day after the story's newest article)": lambda f: f["gap_last"] >= 1,
    "other day (calendar day differs from the story's newest)": lambda f: f["day_gap_last"] >= 1,
    "other headline (title cosine < 0.2 with titles and bodies)": lambda f: (
        max(f["title"], f["title_body"]) < 0.2
    ),
    "new lead (> half of the lead's weight unseen in the story)": lambda f: f["lead_novel"] > 0.5,
    "lacks the story's key title words (story_missing > 0.5)": lambda f: f["story_missing"] > 0.5,
    "big story (10 articles or more)": lambda f: f["log_size"] >= math.log1p(10),
    "place conflict": lambda f: f["place_conflict"] > 0,
    "number conflict": lambda f: f["numbers_conflict"] > 0,
}


def print_rejections(
    items: list[Item],
    decisions: list[Decision],
    drop: Sequence[str],
    threshold: float,
    settings: ClusterSettings,
) -> None:
    """The same-story pairs the hand rule joins (its best candidate, at its threshold) that
    the learned join, fit without the pair's day, rates below ``threshold``: how many, their
    kinds (by feature), the features that push them down most, and their gold stories."""
    models = {
        day: fit([d for d in decisions if d.day != day], drop)
        for day in sorted({d.day for d in decisions})
    }
    source = {item.ext_id: item.doc.source for item in items}
    accepted: list[dict[str, float]] = []
    rejected: list[tuple[Decision, dict[str, float], float]] = []
    pushes: dict[str, list[float]] = {name: [] for name in FEATURES}
    for decision in decisions:
        best = max(range(len(decision.features)), key=lambda i: decision.features[i][-1])
        values = decision.features[best]
        if values[-1] < settings.join_threshold or not decision.labels[best]:
            continue  # the hand rule opened a story, or joined another event
        named = dict(zip(FEATURES, values, strict=True))
        model = models[decision.day]
        probability = model.probability(values)
        if probability >= threshold:
            accepted.append(named)
            continue
        rejected.append((decision, named, probability))
        for name, value, weight, mean, scale in zip(
            FEATURES, values, model.weights, model.means, model.scales, strict=True
        ):
            pushes[name].append(weight * (value - mean) / scale)
    total = len(accepted) + len(rejected)
    print(
        f"same-story pairs the hand rule joins: {total}; the learned join (CV by day,"
        f" threshold {threshold:g}) rejects {len(rejected)} ({len(rejected) / max(1, total):.0%})"
    )
    for kind, test in REJECTION_KINDS.items():
        among_rejected = sum(test(named) for _, named, _ in rejected)
        among_accepted = sum(test(named) for named in accepted)
        print(
            f"  {kind:<62} rejected {among_rejected:>4} ({among_rejected / max(1, len(rejected)):.0%})"
            f"  accepted {among_accepted:>4} ({among_accepted / max(1, len(accepted)):.0%})"
        )
    print("  mean push of each feature on the rejected pairs' log-odds (most negative first):")
    means = {name: sum(v) / len(v) for name, v in pushes.items() if v}
    for name, push in sorted(means.items(), key=lambda nv: nv[1])[:6]:
        print(f"    {name:<18} {push:+.2f}")
    label = {item.ext_id: item.label for item in items}
    by_story = Counter(str(label[d.ext_id]) for d, _, _ in rejected)
    print("  gold stories with most rejected joins: " + ", ".join(
        f"{story} {n}" for story, n in by_story.most_common(12)
    ))  # fmt: skip
    outlets = Counter(source[d.ext_id] for d, _, _ in rejected)
    print("  outlets of the rejected articles: " + ", ".join(
        f"{outlet} {n}" for outlet, n in outlets.most_common()
    ))  # fmt: skip


def cached(path: Path | None, make: Callable[[], list[Decision]]) -> list[Decision]:
    """``make()``, read from ``path`` when it is there and written to it when not."""
    if path is not None and path.exists():
        found: list[Decision] = pickle.loads(path.read_bytes())
        return found
    made = make()
    if path is not None:
        path.write_bytes(pickle.dumps(made))
    return made


def prepared_items(gold: Path, cache: Path | None) -> list[Item]:
    """The prepared pool (:func:`prepare`), from ``cache`` when it is there."""
    if cache is not None and cache.exists():
        items: list[Item] = pickle.loads(cache.read_bytes())
        return items
    items = prepare(gold)
    if cache is not None:
        cache.write_bytes(pickle.dumps(items))
    return items


if __name__ == "__main__":
    main()
