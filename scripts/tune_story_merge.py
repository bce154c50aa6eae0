"""Tune the story merge and the event-day guard on the July dev gold only.

Usage:
    python scripts/tune_story_merge.py build/stories_dev.jsonl.gz scores CONFIG...
    python scripts/tune_story_merge.py build/stories_dev.jsonl.gz pairs

``scores`` runs the ingest pipeline once per CONFIG (``merge=0.5,inst=0.5``; ``off`` for
the defaults) and prints B-cubed F1 overall and per labeled day, then a leave-one-day-out
choice: for each day the config best on the other days, scored on that day. ``pairs`` runs
once with merges scored but never applied and prints, per best-candidate similarity band,
how many candidate story pairs the gold calls one event. ``errors CONFIG`` prints the worst
mixed and split stories (titles) for writing up the remaining errors by kind. Refuses any gold that is not a
dev gold: the August validation gold is never tuned on.
"""

from __future__ import annotations

import dataclasses
import sys
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

from marsad.cluster import stories as story_clusterer
from marsad.evaluate.metrics import bcubed
from marsad.evaluate.stories import load_gold, predict_stories
from marsad.pipeline import Settings


def settings_for(config: str) -> Settings:
    cluster = Settings().cluster
    if config != "off":
        for part in config.split(","):
            name, value = part.split("=")
            if name == "merge":
                cluster = dataclasses.replace(cluster, merge_threshold=float(value))
            elif name == "inst":
                cluster = dataclasses.replace(cluster, instance_factor=float(value))
            elif name == "novel":
                cluster = dataclasses.replace(cluster, template_novelty=float(value))
            elif name == "gap":
                cluster = dataclasses.replace(cluster, merge_gap_days=float(value))
            elif name == "size":
                cluster = dataclasses.replace(cluster, merge_min_size=int(value))
            else:
                raise SystemExit(f"unknown knob {name!r}")
    return dataclasses.replace(Settings(), cluster=cluster)


def by_day(articles: list[Any], gold: dict[str, str]) -> dict[str, dict[str, str]]:
    days: dict[str, dict[str, str]] = defaultdict(dict)
    for article in articles:
        if article.ext_id in gold and article.date is not None:
            days[article.date.date().isoformat()][article.ext_id] = gold[article.ext_id]
    return dict(sorted(days.items()))


def scores(path: Path, configs: list[str]) -> None:
    articles, gold = load_gold(path)
    days = by_day(articles, gold)
    table: dict[str, dict[str, float]] = {}
    for config in configs:
        predicted = predict_stories(articles, settings=settings_for(config)).stories
        full = {k: predicted.get(k, f"missing:{k}") for k in gold}
        row = {"all": bcubed(full, gold)[2]}
        for day, labels in days.items():
            row[day] = bcubed({k: full[k] for k in labels}, labels)[2]
        table[config] = row
        p, r, f = bcubed(full, gold)
        print(
            f"{config:<28} all P/R/F1 {p:.3f}/{r:.3f}/{f:.3f}  "
            + " ".join(f"{row[d]:.3f}" for d in days),
            flush=True,
        )
    chosen = []
    for day in days:

        def rest(config: str, held: str = day) -> float:
            return sum(table[config][d] * len(days[d]) for d in days if d != held)

        best = max(configs, key=rest)
        chosen.append((day, best, table[best][day]))
    weights = {day: len(labels) for day, labels in days.items()}
    cv = sum(score * weights[day] for day, _, score in chosen) / sum(weights.values())
    for day, best, score in chosen:
        print(f"  held-out {day}: chosen on the other days {best}: {score:.3f}")
    print(f"leave-one-day-out (article-weighted mean of per-day F1): {cv:.3f}")


def pairs(path: Path) -> None:
    articles, gold = load_gold(path)
    seen: dict[tuple[int, int], float] = {}
    original = story_clusterer.StoryClusterer._merge_if_same_event

    def record(self: Any, story: Any, known: Any) -> Any:
        mine = self._weighted(story, known)
        for other in self._merge_candidates(story, self.settings.merge_min_size):
            theirs = self._weighted(other, known)
            if story_clusterer._stories_conflict(story, mine, other, theirs):
                continue
            key = (min(story.story_id, other.story_id), max(story.story_id, other.story_id))
            seen[key] = max(seen.get(key, 0.0), self._story_similarity(mine, theirs))
        return original(self, story, known)

    story_clusterer.StoryClusterer._merge_if_same_event = record  # type: ignore[method-assign]
    predicted = predict_stories(articles, settings=settings_for("merge=9")).stories
    members: dict[int, Counter[str]] = defaultdict(Counter)
    for ext_id, story in predicted.items():
        if ext_id in gold:
            members[int(story[1:])][gold[ext_id]] += 1
    bands: dict[float, list[int]] = defaultdict(lambda: [0, 0, 0])
    for (first, second), score in seen.items():
        if not members[first] or not members[second]:
            continue
        same = members[first].most_common(1)[0][0] == members[second].most_common(1)[0][0]
        band = min(0.9, int(score * 20) / 20)
        bands[band][0 if same else 1] += 1
    print("similarity band: same event / different (labeled story pairs)")
    for band in sorted(bands):
        same, different, _ = bands[band]
        print(f"  >= {band:.2f}: {same} / {different}")


def errors(path: Path, config: str, shown: int = 12) -> None:
    """The worst mixed predicted stories and the most split gold stories, with titles."""
    articles, gold = load_gold(path)
    titles = {a.ext_id: f"{a.date:%m-%d %H:%M} {a.source}: {a.title[:70]}" for a in articles}
    predicted = predict_stories(articles, settings=settings_for(config)).stories
    by_story: dict[str, list[str]] = defaultdict(list)
    by_gold: dict[str, list[str]] = defaultdict(list)
    for ext_id, label in gold.items():
        by_story[predicted.get(ext_id, ext_id)].append(ext_id)
        by_gold[label].append(ext_id)
    mixed = []
    for story, members in by_story.items():
        labels = Counter(gold[m] for m in members)
        if len(labels) > 1:
            top = labels.most_common(1)[0][1]
            mixed.append((len(members) - top, story, members, labels))
    print(f"== mixed predicted stories: {len(mixed)}")
    for wrong, story, members, labels in sorted(mixed, key=lambda row: -row[0])[:shown]:
        print(f"-- {story}: {len(members)} labeled, {wrong} not of its main gold story")
        for label, _ in labels.most_common(4):
            example = next(m for m in members if gold[m] == label)
            print(f"   [{label} x{labels[label]}] {titles[example]}")
    split = []
    for label, members in by_gold.items():
        parts = Counter(predicted.get(m, m) for m in members)
        if len(parts) > 1:
            split.append((len(members) - parts.most_common(1)[0][1], label, members, parts))
    print(f"== split gold stories: {len(split)}")
    for lost, label, members, parts in sorted(split, key=lambda row: -row[0])[:shown]:
        print(
            f"-- {label}: {len(members)} articles in {len(parts)} stories ({lost} outside the largest)"
        )
        for story, count in parts.most_common(3):
            example = next(m for m in members if predicted.get(m, m) == story)
            print(f"   [{story} x{count}] {titles[example]}")


def fast(path: Path, configs: list[str]) -> None:
    """A quick screen: the clusterer alone (no dedup, no roundup passages) over cluster
    documents prepared once (cached beside the gold); full-pipeline figures come from
    ``marsad eval stories``."""
    import pickle

    from marsad.pipeline import prepare_article

    cache = path.with_suffix(".docs.pickle")
    articles, gold = load_gold(path)
    if cache.exists():
        docs = pickle.loads(cache.read_bytes())
    else:
        docs = []
        for index, article in enumerate(articles):
            prepared = prepare_article(article, datetime(2015, 8, 1), Settings(extract=False))
            if hasattr(prepared, "cluster_doc"):
                docs.append((article.ext_id, dataclasses.replace(prepared.cluster_doc, key=index)))
        cache.write_bytes(pickle.dumps(docs))
    days = by_day(articles, gold)
    for config in configs:
        cluster_settings = settings_for(config).cluster
        clusterer = story_clusterer.StoryClusterer(cluster_settings)
        story_of: dict[int, int] = {}
        predicted: dict[str, int] = {}
        for ext_id, doc in sorted(docs, key=lambda pair: (pair[1].when, pair[1].key)):
            story = clusterer.assign(doc).story
            for merge in clusterer.take_merges():
                story_of[merge.merged] = merge.into
            predicted[ext_id] = story
        for ext_id, story in predicted.items():
            while story in story_of:
                story = story_of[story]
            predicted[ext_id] = story
        full = {k: str(predicted.get(k, f"missing:{k}")) for k in gold}
        p, r, f = bcubed(full, gold)
        per_day = [bcubed({k: full[k] for k in labels}, labels)[2] for labels in days.values()]
        print(
            f"{config:<28} all P/R/F1 {p:.3f}/{r:.3f}/{f:.3f}  "
            + " ".join(f"{value:.3f}" for value in per_day),
            flush=True,
        )


def main() -> None:
    path = Path(sys.argv[1])
    if "dev" not in path.name:
        raise SystemExit("tune on the dev gold only")
    if sys.argv[2] == "pairs":
        pairs(path)
    elif sys.argv[2] == "fast":
        fast(path, sys.argv[3:])
    elif sys.argv[2] == "errors":
        errors(path, sys.argv[3])
    else:
        scores(path, sys.argv[3:])


if __name__ == "__main__":
    main()
