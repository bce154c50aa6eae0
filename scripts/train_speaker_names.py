"""Trains the per-word speaker-name model (``marsad.extract.speaker_names``), cross-validated
by day, and compares it with the rules' canonical form on the same statements.

Items are the fresh speaker phrases (the mention at the statement, not a resolved reference)
of matched statements of the readable development sets; a word's label is whether it lies in
the gold ``speaker_canonical`` found as a run of the window's words. Phrases whose gold name is
not in the window (a back-reference, another entity) train nothing but are still scored.
Folds hold out whole days (SaudiNewsNet date; the seed articles are one group).

    PYTHONPATH=src python scripts/train_speaker_names.py [--show]

``--days``: ``article_id<TAB>YYYY-MM-DD`` of the sets' SaudiNewsNet articles
(``evaluation/speaker_errors/dev_days.tsv``).

Experiment, not shipped: out of fold the model finds the gold name run as often as the rules
do, and decides no statement differently for the better (see the speaker_errors README).
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from speaker_name_model import (
    best_name_run,
    ner_labels,
    run_score,
    token_features,
    window_words,
)

from marsad.evaluate.jsonl import read_jsonl
from marsad.evaluate.quotes_eval import load_gold, match_statements
from marsad.extract.aliases import same_entity
from marsad.extract.ner import load_tagger
from marsad.extract.quotes import extract_statements, speaker_canonical
from marsad.extract.speaker_entities import snap_speakers
from marsad.text.arabic import fold

SETS = ("quotes_dev", "quotes_dev2", "quotes_dev7", "speakers_train")
_MARKS = '«»"“”'


@dataclass
class Item:
    group: str
    article: str
    gold: str
    rules: str  # the rules' canonical form
    words: list[str]
    features: list[list[str]]
    labels: list[int] | None  # None: the gold name is not a run of the window
    rules_run: tuple[int, int] | None


def _folded(words: list[str]) -> list[str]:
    return [fold(w.strip(_MARKS)) for w in words]


def _find_run(window: list[str], name: str) -> tuple[int, int] | None:
    target = _folded(name.split())
    for first in range(len(window) - len(target) + 1):
        if window[first : first + len(target)] == target:
            return first, first + len(target)
    return None


def collect(days: dict[str, str]) -> list[Item]:
    tagger = load_tagger()
    items = []
    for name in SETS:
        folder = Path("evaluation") / name
        gold_file = (
            folder / "gold.jsonl" if (folder / "gold.jsonl").exists() else folder / "speakers.jsonl"
        )
        gold = load_gold(gold_file)
        for row in read_jsonl(Path("build") / f"{name}_articles.jsonl"):
            article, text = str(row["id"]), row["text"]
            entities = tagger.entities(text)
            predicted = snap_speakers(text, extract_statements(text), entities)
            article_gold = [g for g in gold if g.article_id == article]
            for statement, item in match_statements(predicted, article_gold):
                if fold(statement.speaker) != fold(statement.speaker_resolved):
                    continue
                if statement.speaker_end <= statement.speaker_start:
                    continue
                words = window_words(text, statement.speaker_start, statement.speaker_end)
                if not words:
                    continue
                labels = ner_labels(words, entities)
                written = [w.written for w in words]
                window = _folded(written)
                run = _find_run(window, item.speaker_canonical)
                rules = speaker_canonical(statement.speaker_resolved)
                items.append(
                    Item(
                        group=days.get(article, "seed"),
                        article=article,
                        gold=item.speaker_canonical,
                        rules=rules,
                        words=written,
                        features=[token_features(words, i, labels) for i in range(len(words))],
                        labels=None
                        if run is None
                        else [int(run[0] <= i < run[1]) for i in range(len(words))],
                        rules_run=_find_run(window, rules),
                    )
                )
    return items


def fit(items: list[Item], c: float) -> dict[str, float]:
    rows, targets = [], []
    for item in items:
        if item.labels is None:
            continue
        for features, label in zip(item.features, item.labels, strict=True):
            rows.append(dict.fromkeys(features, 1.0))
            targets.append(label)
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(rows)
    model = LogisticRegression(C=c, max_iter=2000, fit_intercept=False)
    model.fit(matrix, np.asarray(targets))
    return {
        name: round(float(weight), 4)
        for name, weight in zip(vectorizer.get_feature_names_out(), model.coef_[0], strict=True)
        if abs(weight) >= 1e-4
    }


def decide(item: Item, weights: dict[str, float], threshold: float) -> str:
    """The canonical form the model gives: the rules' unless the model's run beats the rules'
    run by ``threshold`` nats (rules' canonical kept where it is no run of the window)."""
    probabilities = [_probability(f, weights) for f in item.features]
    first, last, _ = best_name_run(probabilities)
    if item.rules_run is None or (first, last) == item.rules_run:
        return item.rules
    gain = run_score(probabilities, first, last) - run_score(probabilities, *item.rules_run)
    if gain < threshold:
        return item.rules
    return speaker_canonical(" ".join(w.strip(_MARKS) for w in item.words[first:last]))


def _probability(features: list[str], weights: dict[str, float]) -> float:
    score = sum(weights.get(f, 0.0) for f in features)
    return float(1.0 / (1.0 + np.exp(-np.clip(score, -30, 30))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=Path, default=Path("evaluation/speaker_errors/dev_days.tsv"))
    parser.add_argument("--c", type=float, nargs="+", default=[0.1, 0.3, 1.0])
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.0, 1.0, 2.0, 4.0])
    parser.add_argument("--show", action="store_true", help="print each changed statement")
    args = parser.parse_args()
    days = dict(
        line.split("\t")
        for line in args.days.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )
    items = collect(days)
    groups = sorted({i.group for i in items})
    trainable = sum(i.labels is not None for i in items)
    print(f"statements={len(items)} with_gold_in_window={trainable} groups={len(groups)}")
    rules_right = sum(same_entity(i.rules, i.gold) for i in items)
    print(f"rules: {rules_right}/{len(items)} right")
    for c in args.c:
        held: dict[float, Counter[str]] = defaultdict(Counter)
        changed: dict[float, list[str]] = defaultdict(list)
        for group in groups:
            weights = fit([i for i in items if i.group != group], c)
            for item in (i for i in items if i.group == group):
                before = same_entity(item.rules, item.gold)
                for threshold in args.thresholds:
                    after = same_entity(decide(item, weights, threshold), item.gold)
                    held[threshold]["right"] += after
                    if after != before:
                        held[threshold]["fixed" if after else "broke"] += 1
                        changed[threshold].append(item.article)
                        if args.show and threshold == args.thresholds[0]:
                            print(
                                f"  {'FIX' if after else 'BREAK'} {item.article} gold={item.gold}"
                                f" rules={item.rules} model={decide(item, weights, threshold)}"
                            )
        for threshold in args.thresholds:
            counts = held[threshold]
            print(
                f"CV by day C={c} threshold={threshold}: {counts['right']}/{len(items)} right,"
                f" fixed {counts['fixed']} broke {counts['broke']}"
                f" (articles changed {len(set(changed[threshold]))})"
            )


if __name__ == "__main__":
    main()
