"""How much story clustering leans on time, measured on the July DEV gold only (issue 18).

SaudiNewsNet's ``date`` is the crawl time, close to publication only from 2015-08-01 on
(upstream README). The July gold therefore dates articles by crawl bursts, and features fit
on July time gaps (the learned join's ``gap_mean``/``gap_last``, the merge's ``gap_mean``/
``span_gap``, the hand score's decay by ``half_life_days``) learn the crawler's schedule as
much as the news. This script measures that on July alone; it never reads a validation gold.

Commands (each prints a table; every figure is a July DEVELOPMENT figure)::

    python scripts/study_story_time.py build/stories_dev.jsonl.gz gaps
    python scripts/study_story_time.py build/stories_dev.jsonl.gz hand
    python scripts/study_story_time.py build/stories_dev.jsonl.gz join
    python scripts/study_story_time.py build/stories_dev.jsonl.gz merge

``gaps``: time gaps between labeled articles of one gold story and of two stories (within the
3-day story window), and how bunched the crawl times are. ``hand``: the hand-weighted join with
the time decay as shipped, coarser, or off, scored by day with a leave-one-day-out choice.
``join``: the learned join cross-validated by day (each day clustered by a model fit on the
other days) with time (and size) features left out. ``merge``: the learned merge likewise, on
the stories of the cross-validated learned join.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import math
import pickle
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_story_join import Item, _ByDay, collect, fit, joins_by_held_out_day, prepare, score
from train_story_merge import fit_merge
from train_story_merge import replay as replay_merging

from marsad.cluster.stories import ClusterSettings, JoinModel, StoryClusterer

NO_DECAY = math.inf  # half_life_days: the hand score is not decayed by the story's age
JOIN_THRESHOLDS = (0.3, 0.35, 0.4, 0.45)
# name -> (join features left out, half_life_days of the hand score and its feature)
JOIN_VARIANTS: dict[str, tuple[tuple[str, ...], float]] = {
    "all features (as shipped)": ((), 4.0),
    "without gap_mean, gap_last": (("gap_mean", "gap_last"), 4.0),
    "without gaps, hand_score undecayed": (("gap_mean", "gap_last"), NO_DECAY),
    "without gaps and log_size, undecayed": (("gap_mean", "gap_last", "log_size"), NO_DECAY),
}
MERGE_VARIANTS: dict[str, tuple[str, ...]] = {
    "all features (as shipped)": (),
    "without gap_mean, span_gap": ("gap_mean", "span_gap"),
    "without gaps and sizes": ("gap_mean", "span_gap", "log_small", "log_large"),
}
HAND_HALF_LIVES = (4.0, 8.0, 16.0, NO_DECAY)
WINDOW_HOURS = 72.0  # the story window (ClusterSettings.window_days)


def load_items(gold: Path, cache: Path) -> list[Item]:
    if cache.exists():
        items: list[Item] = pickle.loads(cache.read_bytes())
        return items
    items = prepare(gold)
    cache.write_bytes(pickle.dumps(items))
    return items


def _quantiles(values: list[float]) -> str:
    if not values:
        return "none"
    cuts = statistics.quantiles(values, n=20, method="inclusive")
    within = {limit: sum(v <= limit for v in values) / len(values) for limit in (0.5, 6, 24)}
    return (
        f"n={len(values)} p10 {cuts[1]:.1f} h, p25 {cuts[4]:.1f} h, median {cuts[9]:.1f} h,"
        f" p75 {cuts[14]:.1f} h, p90 {cuts[17]:.1f} h; share <=0.5 h {within[0.5]:.2f},"
        f" <=6 h {within[6]:.2f}, <=24 h {within[24]:.2f}"
    )


def gaps(items: list[Item]) -> None:
    labeled = [item for item in items if item.label]
    same: list[float] = []
    other: list[float] = []
    for first, second in itertools.combinations(labeled, 2):
        hours = abs((first.doc.when - second.doc.when).total_seconds()) / 3600
        if first.label == second.label:
            same.append(hours)
        elif hours <= WINDOW_HOURS:
            other.append(hours)
    print(f"July labeled articles: {len(labeled)} in {len({i.label for i in labeled})} stories")
    print(f"same-story pairs:                 {_quantiles(same)}")
    print(f"different-story pairs (<= 72 h):  {_quantiles(other)}")
    # Crawl bursts: how many distinct 10-minute slots hold the pool's articles.
    slots = Counter(
        item.doc.when.replace(second=0, minute=item.doc.when.minute // 10 * 10) for item in items
    )
    ranked = sorted(slots.values(), reverse=True)
    total = sum(ranked)
    top = sum(ranked[: max(1, len(ranked) // 10)])
    exact = Counter(item.doc.when for item in items)
    print(
        f"pool: {total} articles in {len(ranked)} ten-minute slots of"
        f" {len({i.doc.when.date() for i in items})} days; the busiest 10% of slots hold"
        f" {top / total:.2f} of the articles; {sum(n for n in exact.values() if n > 1) / total:.2f}"
        " share an exact timestamp with another article"
    )
    minutes = Counter(
        f"{item.doc.when:%H}:{item.doc.when.minute // 10 * 10:02d}" for item in items
    ).most_common(8)
    print("busiest times of day (10-minute slots): " + ", ".join(f"{m} {n}" for m, n in minutes))


def _per_day(items: list[Item], predicted: dict[str, int]) -> dict[str, float]:
    """B-cubed F1 per day: each labeled article's precision and recall are counted over the
    whole pool's clustering (a wrong join across days counts on both days), then averaged
    over the articles of the day. Scoring each day's articles alone would not see the
    cross-day joins that the time decay prevents."""
    gold = {item.ext_id: item.label for item in items if item.label}
    day_of = {item.ext_id: item.day for item in items if item.label}
    cell: Counter[tuple[int, str]] = Counter((predicted[key], label) for key, label in gold.items())
    sizes: Counter[int] = Counter(predicted[key] for key in gold)
    golds: Counter[str] = Counter(gold.values())
    sums: dict[str, list[float]] = {}
    for key, label in gold.items():
        n = cell[predicted[key], label]
        row = sums.setdefault(day_of[key], [0.0, 0.0, 0.0])
        row[0] += n / sizes[predicted[key]]
        row[1] += n / golds[label]
        row[2] += 1
    scores = {}
    for day, (precision, recall, count) in sorted(sums.items()):
        p, r = precision / count, recall / count
        scores[day] = 2 * p * r / (p + r) if p + r else 0.0
    return scores


def _line(name: str, result: tuple[float, float, float], extra: str = "") -> str:
    p, r, f = result
    return f"{name:<42} bcubed P/R/F1 {p:.3f}/{r:.3f}/{f:.3f}{extra}"


def hand(items: list[Item], half_lives: list[float]) -> None:
    """Hand join per half-life; a leave-one-day-out choice scores the knob fairly."""
    from train_story_join import replay

    table: dict[float, dict[str, float]] = {}
    weights: Counter[str] = Counter(item.day for item in items if item.label)
    for half_life in half_lives:
        started = time.time()
        settings = ClusterSettings(half_life_days=half_life)
        cached = Path("build") / f"time_hand_{half_life:g}.pickle"
        if cached.exists():
            predicted = pickle.loads(cached.read_bytes())
        else:
            predicted = replay(items, StoryClusterer(settings))
            cached.write_bytes(pickle.dumps(predicted))
        table[half_life] = _per_day(items, predicted)
        cells = " ".join(f"{value:.3f}" for value in table[half_life].values())
        name = f"hand join, half_life_days {half_life:g}"
        print(
            _line(
                name, score(items, predicted), f"  per day {cells}  ({time.time() - started:.0f} s)"
            ),
            flush=True,
        )
    days = list(weights)
    chosen = []
    for day in days:

        def others(half_life: float, held: str = day) -> float:
            return sum(table[half_life][d] * weights[d] for d in days if d != held)

        best = max(half_lives, key=others)
        chosen.append((day, best, table[best][day]))
        print(
            f"  held-out {day}: chosen on the other days: half_life {best:g} -> {table[best][day]:.3f}"
        )
    cv = sum(value * weights[day] for day, _, value in chosen) / sum(weights.values())
    print(f"leave-one-day-out choice (article-weighted mean of per-day F1): {cv:.3f}")


def join(items: list[Item], variants: list[str], thresholds: list[float]) -> None:
    days = sorted({item.day for item in items})
    for name in variants:
        drop, half_life = JOIN_VARIANTS[name]
        started = time.time()
        settings = ClusterSettings(half_life_days=half_life)
        decisions = collect(items, StoryClusterer(settings))
        models = {day: fit([d for d in decisions if d.day != day], drop) for day in days}
        results = {t: score(items, _replay_join(items, models, t, settings)) for t in thresholds}
        best = max(thresholds, key=lambda t: (results[t][2], -t))
        cells = ", ".join(f"{t:g} {results[t][2]:.3f}" for t in thresholds)
        print(
            _line(
                f"learned join, {name}",
                results[best],
                f"  at {best:g} (F1 by threshold: {cells}; {time.time() - started:.0f} s)",
            ),
            flush=True,
        )
        full = fit(decisions, drop)
        print("   weights: " + ", ".join(f"{f} {w:+.3f}" for f, w in _weights(full) if w))


def _replay_join(
    items: list[Item], models: dict[str, JoinModel], threshold: float, settings: ClusterSettings
) -> dict[str, int]:
    from train_story_join import replay

    return replay(items, _ByDay(models, threshold, settings))


def _weights(model: JoinModel) -> list[tuple[str, float]]:
    from marsad.cluster.stories import FEATURES

    return list(zip(FEATURES, model.weights, strict=True))


def merge(
    items: list[Item], cache: Path, stage1: str, thresholds: list[float], variants: list[str]
) -> None:
    """Stage 1: the learned join fit without each day (warm-up as shipped), with the merge
    candidates recorded; then each merge variant fit without each day."""
    drop, half_life = JOIN_VARIANTS[stage1]
    days = sorted({item.day for item in items})
    settings = ClusterSettings(half_life_days=half_life)
    decisions = collect(items, StoryClusterer(settings))
    threshold = 0.35  # the shipped join threshold
    per_day = joins_by_held_out_day(decisions, days, settings, drop, threshold)
    key = "".join(c for c in stage1 if c.isalnum())
    path = cache / f"time_stage1_{key}.pickle"
    started = time.time()
    if path.exists():
        stage, pairs = pickle.loads(path.read_bytes())
    else:
        stage, pairs = replay_merging(
            items, StoryClusterer(settings), per_day=per_day, recording=True
        )
        path.write_bytes(pickle.dumps((stage, pairs)))
    print(
        _line(
            f"stage 1: join {stage1}",
            score(items, stage),
            f"  ({len(pairs)} merge pairs, {sum(p.label for p in pairs)} one event;"
            f" {time.time() - started:.0f} s)",
        ),
        flush=True,
    )
    for name in variants:
        merge_drop = MERGE_VARIANTS[name]
        for merge_threshold in thresholds:
            started = time.time()
            with_merge = {
                day: dataclasses.replace(
                    per_day[day],
                    merge_model=fit_merge(
                        [p for p in pairs if p.day != day], merge_threshold, 1, merge_drop
                    ),
                )
                for day in days
            }
            predicted, _ = replay_merging(items, StoryClusterer(settings), per_day=with_merge)
            print(
                _line(
                    f"  + merge {name}",
                    score(items, predicted),
                    f"  at {merge_threshold:g} ({time.time() - started:.0f} s)",
                ),
                flush=True,
            )
        full = fit_merge(pairs, 0.2, 1, merge_drop)
        print("   weights: " + ", ".join(f"{f} {w:+.3f}" for f, w in _merge_weights(full) if w))


def _merge_weights(model: Any) -> list[tuple[str, float]]:
    from marsad.cluster.stories import MERGE_FEATURES

    return list(zip(MERGE_FEATURES, model.weights, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("command", choices=("gaps", "hand", "join", "merge"))
    parser.add_argument("--variants", nargs="*", default=list(JOIN_VARIANTS))
    parser.add_argument("--stage1", default="all features (as shipped)")
    parser.add_argument("--merge-thresholds", type=float, nargs="*", default=[0.2])
    parser.add_argument("--merge-variants", nargs="*", default=list(MERGE_VARIANTS))
    parser.add_argument("--thresholds", type=float, nargs="*", default=list(JOIN_THRESHOLDS))
    parser.add_argument("--half-lives", type=float, nargs="*", default=list(HAND_HALF_LIVES))
    parser.add_argument("--cache", type=Path, default=Path("build"))
    args = parser.parse_args()
    if "dev" not in args.gold.name:
        raise SystemExit("study the July dev gold only: the validation gold is never tuned on")
    items = load_items(args.gold, args.cache / "story_items_dev.pickle")
    if args.command == "gaps":
        gaps(items)
    elif args.command == "hand":
        hand(items, args.half_lives)
    elif args.command == "join":
        join(items, args.variants, args.thresholds)
    else:
        merge(items, args.cache, args.stage1, args.merge_thresholds, args.merge_variants)


if __name__ == "__main__":
    main()
