"""Trains the learned speaker choice (``scripts/speaker_choice_model.py``), cross-validated by
day, and reports it against the rules; writes ``build/speaker_choice.json`` only where a model
beats the rules out of fold.

Items are the matched statements of the labelled development sets (``TRAINING_SETS`` of
``scripts/speaker_choice_days.py``; quotes_val11 is blind and never read): the
statements as the extract stage makes them (the rules, then ``snap_speakers`` with the shipped
tagger's entities), each with its candidates (``speaker_candidates``). A candidate is positive
when it names the gold ``speaker_canonical`` (``aliases.same_entity``). Folds hold out whole
SaudiNewsNet days (``evaluation/speaker_errors/choice_days.tsv``; the seed articles are one
group). Three learners: a pointwise logistic model (C), a pairwise linear ranker (logistic
regression on feature differences of a right and a wrong candidate of one statement; C) and
boosted trees (depth). For every setting and margin the out-of-fold speaker accuracy is
compared with the rules'; the best is refit on all items, and written if it beats the rules
(more right, one-sided sign test p < 0.05, no set losing more than one statement).
``--narrow`` uses session 26's candidates (``speaker_candidates(..., wide=False)``).

    PYTHONPATH=src:scripts python scripts/train_speaker_choice.py   # make train-speakers

The statements and entities of the sets are kept in ``build/speaker_choice_items.pkl`` (the
tagger is the slow part); ``--fresh`` recomputes them.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import math
import pickle
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from speaker_choice_days import TRAINING_SETS
from speaker_choice_model import (
    Candidate,
    SpeakerModel,
    model_from_json,
    speaker_candidates,
)

from marsad.evaluate.jsonl import read_jsonl
from marsad.evaluate.quotes_eval import load_gold, match_statements
from marsad.extract.aliases import same_entity
from marsad.extract.article import tag_entities
from marsad.extract.ner import load_tagger
from marsad.extract.quotes import extract_statements
from marsad.extract.speaker_entities import snap_speakers

CACHE = Path("build/speaker_choice_items.pkl")
MODEL = Path("build/speaker_choice.json")
DAYS = Path("evaluation/speaker_errors/choice_days.tsv")
SETTINGS = {"logistic": (0.1, 0.3, 1.0, 3.0), "pairwise": (0.1, 0.3, 1.0, 3.0), "trees": (2, 3, 4)}
MAX_SIGN_P = 0.05  # a model must fix more than it breaks, out of fold, by a one-sided sign test
MAX_SET_LOSS = 1  # ... and no development set may lose more than this many statements
TREES = 150
RATE = 0.1
MARGINS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)  # score (log-odds) units


def _gold_path(name: str) -> Path:
    if name == "speakers_train":
        return Path("evaluation/speakers_train/speakers.jsonl")
    return Path(f"evaluation/{name}/gold.jsonl")


def collect(fresh: bool, wide: bool = True) -> list[dict[str, Any]]:
    """Per matched statement: set, article, day, gold canonical, and its candidates."""
    if CACHE.exists() and not fresh:
        articles = pickle.loads(CACHE.read_bytes())
    else:
        tagger = load_tagger()
        articles = []
        for name in TRAINING_SETS:
            gold = load_gold(_gold_path(name))
            for row in read_jsonl(Path(f"build/{name}_articles.jsonl")):
                text = row["text"]
                entities = tagger.entities(text)
                articles.append(
                    {
                        "set": name,
                        "id": str(row["id"]),
                        "text": text,
                        "statements": snap_speakers(text, extract_statements(text), entities),
                        "entities": entities,
                        "gold": [g for g in gold if g.article_id == str(row["id"])],
                    }
                )
        CACHE.write_bytes(pickle.dumps(articles))
    days = dict(
        line.split("\t")
        for line in DAYS.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )
    items = []
    for article in articles:
        statements = article["statements"]
        candidates = speaker_candidates(article["text"], statements, article["entities"], wide=wide)
        position = {id(s): i for i, s in enumerate(statements)}
        for predicted, gold in match_statements(statements, article["gold"]):
            options = candidates[position[id(predicted)]]
            items.append(
                {
                    "set": article["set"],
                    "article": article["id"],
                    "day": days.get(article["id"], "seed"),
                    "gold": gold.speaker_canonical,
                    "candidates": options,
                    "labels": [
                        int(same_entity(c.canonical, gold.speaker_canonical)) for c in options
                    ],
                }
            )
    return items


def _rows(items: list[dict[str, Any]]) -> tuple[list[dict[str, float]], list[int]]:
    features: list[dict[str, float]] = []
    labels: list[int] = []
    for item in items:
        candidate: Candidate
        for candidate, label in zip(item["candidates"], item["labels"], strict=True):
            features.append(candidate.features)
            labels.append(label)
    return features, labels


def fit(items: list[dict[str, Any]], learner: str, setting: float) -> dict[str, Any]:
    """The JSON form of a model fit on ``items`` (margin 0): logistic with C = setting, or
    boosted trees of depth ``setting``."""
    if learner == "pairwise":
        return _fit_pairwise(items, setting)
    features, labels = _rows(items)
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(features)
    names = [str(n) for n in vectorizer.get_feature_names_out()]
    target = np.array(labels)
    if learner == "logistic":
        model = LogisticRegression(C=setting, max_iter=2000)
        model.fit(matrix, target)
        weights = {n: float(w) for n, w in zip(names, model.coef_[0], strict=True) if w}
        return {
            "kind": learner,
            "setting": setting,
            "intercept": float(model.intercept_[0]),
            "margin": 0.0,
            "weights": weights,
        }
    boosted = GradientBoostingClassifier(
        n_estimators=TREES,
        max_depth=int(setting),
        learning_rate=RATE,
        subsample=1.0,
        random_state=0,
    )
    dense = matrix.toarray()
    boosted.fit(dense, target)
    trees = []
    for estimator in boosted.estimators_[:, 0]:
        tree = estimator.tree_
        trees.append(
            {
                "feature": [names[f] if f >= 0 else "" for f in tree.feature],
                "threshold": [round(float(t), 6) for t in tree.threshold],
                "left": [int(x) for x in tree.children_left],
                "right": [int(x) for x in tree.children_right],
                "value": [round(float(v), 6) for v in tree.value[:, 0, 0]],
            }
        )
    zero = np.zeros((1, dense.shape[1]))
    tree_sum = sum(float(e.predict(zero)[0]) for e in boosted.estimators_[:, 0])
    intercept = float(boosted.decision_function(zero)[0]) - RATE * tree_sum
    return {
        "kind": learner,
        "setting": setting,
        "intercept": intercept,
        "margin": 0.0,
        "rate": RATE,
        "trees": trees,
    }


def _fit_pairwise(items: list[dict[str, Any]], c: float) -> dict[str, Any]:
    """A linear ranker fit on candidate pairs of one statement, one naming the speaker and one
    not: logistic regression without intercept on the difference of their features, both
    ways round. Only differences within a statement count, so how often statements are
    right or wrong overall does not move the weights."""
    vectorizer = DictVectorizer()
    vectorizer.fit([c.features for item in items for c in item["candidates"]])
    differences = []
    labels = []
    for item in items:
        matrix = vectorizer.transform([c.features for c in item["candidates"]]).toarray()
        good = [i for i, label in enumerate(item["labels"]) if label]
        bad = [i for i, label in enumerate(item["labels"]) if not label]
        for g in good:
            for b in bad:
                differences += [matrix[g] - matrix[b], matrix[b] - matrix[g]]
                labels += [1, 0]
    model = LogisticRegression(C=c, max_iter=3000, fit_intercept=False)
    model.fit(np.array(differences), np.array(labels))
    names = [str(n) for n in vectorizer.get_feature_names_out()]
    weights = {n: float(w) for n, w in zip(names, model.coef_[0], strict=True) if w}
    return {"kind": "pairwise", "setting": c, "intercept": 0.0, "margin": 0.0, "weights": weights}


def _with_margin(raw: dict[str, Any], margin: float) -> SpeakerModel:
    return model_from_json({**raw, "margin": margin})


def sign_p(fixed: int, broken: int) -> float:
    """One-sided sign test: the chance of at least ``fixed`` of ``fixed + broken`` changed
    decisions going right if each went either way at even odds."""
    n = fixed + broken
    return sum(math.comb(n, k) for k in range(fixed, n + 1)) / 2**n if n else 1.0


def _worst_set_loss(items: list[dict[str, Any]], picks: dict[int, int]) -> int:
    """The most statements any one set loses against the rules (0 where none loses)."""
    change: dict[str, int] = defaultdict(int)
    for index, pick in picks.items():
        change[items[index]["set"]] += right(items[index], pick) - right(items[index], 0)
    return max(0, -min(change.values(), default=0))


def right(item: dict[str, Any], pick: int) -> int:
    return int(item["labels"][pick])


def _table(items: list[dict[str, Any]], picks: dict[int, int], field: str, keys: list[str]) -> None:
    for key in keys:
        indices = [i for i, item in enumerate(items) if item[field] == key]
        before = sum(right(items[i], 0) for i in indices)
        after = sum(right(items[i], picks[i]) for i in indices)
        fixed = sum(1 for i in indices if right(items[i], picks[i]) > right(items[i], 0))
        broken = sum(1 for i in indices if right(items[i], picks[i]) < right(items[i], 0))
        print(
            f"  {key:15s} {len(indices):4d} matched  rules {before / len(indices):.3f}  "
            f"model {after / len(indices):.3f}  (+{fixed} -{broken})"
        )


def time_choice(corpus: Path, limit: int, raw: dict[str, Any]) -> None:
    """CPU milliseconds per article of the statements (rules and ``snap_speakers``) and of
    the choice on top of them: its candidates (``speaker_candidates``) and their scores, the
    tagger's entities given; the first 50 articles only warm up."""
    opener = gzip.open if corpus.suffix == ".gz" else open
    with opener(corpus, "rt", encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] or "" for line in itertools.islice(handle, limit + 50)]
    entities = tag_entities(texts)
    model = model_from_json(raw)
    rules_time = candidates_time = scores_time = 0.0
    statements_seen = 0
    for index, (text, found) in enumerate(zip(texts, entities, strict=True)):
        began = time.process_time()
        statements = snap_speakers(text, extract_statements(text), found)
        middle = time.process_time()
        candidates = speaker_candidates(text, statements, found)
        listed = time.process_time()
        for options in candidates:
            model.choice(options)
        ended = time.process_time()
        if index >= 50:
            rules_time += middle - began
            candidates_time += listed - middle
            scores_time += ended - listed
            statements_seen += len(statements)
    count = max(1, len(texts) - 50)
    print(
        f"\ntimed on {count} articles of {corpus} ({statements_seen / count:.2f} statements "
        f"per article): statements {1000 * rules_time / count:.3f} ms/article, choice on top "
        f"{1000 * (candidates_time + scores_time) / count:.3f} ms/article (candidates "
        f"{1000 * candidates_time / count:.3f}, scores {1000 * scores_time / count:.3f}; CPU)"
    )


def cross_validate(
    items: list[dict[str, Any]], learner: str
) -> dict[tuple[float, float], dict[int, int]]:
    """Out-of-fold picks (candidate index per item) for every (setting, margin)."""
    days = sorted({item["day"] for item in items})
    picks: dict[tuple[float, float], dict[int, int]] = defaultdict(dict)
    for setting in SETTINGS[learner]:
        for day in days:
            raw = fit([item for item in items if item["day"] != day], learner, setting)
            models = {margin: _with_margin(raw, margin) for margin in MARGINS}
            for index, item in enumerate(items):
                if item["day"] == day:
                    for margin, model in models.items():
                        picks[(setting, margin)][index] = model.choice(item["candidates"])
    return picks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fresh", action="store_true", help="recompute statements and entities")
    parser.add_argument("--no-write", action="store_true", help="report only, write no model")
    parser.add_argument(
        "--learner", choices=sorted(SETTINGS), action="append", help="default: all three"
    )
    parser.add_argument(
        "--narrow", action="store_true", help="session 26's candidates (no wider sources)"
    )
    parser.add_argument("--time", type=Path, help="also time the choice on this JSONL corpus")
    parser.add_argument("--limit", type=int, default=2000, help="articles timed (after 50)")
    parser.add_argument(
        "--time-only", action="store_true", help=f"time the model in {MODEL}, train nothing"
    )
    args = parser.parse_args()
    if args.time_only:
        time_choice(args.time, args.limit, json.loads(MODEL.read_text(encoding="utf-8")))
        return
    items = collect(args.fresh, wide=not args.narrow)
    days = sorted({item["day"] for item in items})
    total = len(items)
    rules_right = sum(right(item, 0) for item in items)
    oracle = sum(max(item["labels"]) for item in items)
    print(
        f"matched statements {total}, rules right {rules_right} ({rules_right / total:.3f}), "
        f"some candidate right {oracle} ({oracle / total:.3f}), "
        f"candidates per statement {sum(len(i['candidates']) for i in items) / total:.1f}"
    )
    best: tuple[int, int, str, tuple[float, float]] | None = None
    best_picks: dict[int, int] = {}
    for learner in args.learner or ["logistic", "pairwise", "trees"]:
        picks = cross_validate(items, learner)
        unit = "C" if learner != "trees" else "depth"
        print(f"\n{learner}: out-of-fold speaker accuracy (right of matched; rules {rules_right})")
        for key in sorted(picks):
            correct = sum(right(items[i], p) for i, p in picks[key].items())
            changed = sum(1 for p in picks[key].values() if p)
            fixed = sum(right(items[i], p) > right(items[i], 0) for i, p in picks[key].items())
            broken = sum(right(items[i], p) < right(items[i], 0) for i, p in picks[key].items())
            p_value = sign_p(fixed, broken)
            worst_set = _worst_set_loss(items, picks[key])
            print(
                f"  {unit}={key[0]:<4} margin={key[1]:.2f}  model {correct}/{total} "
                f"({correct / total:.3f})  changed {changed} (+{fixed} -{broken}, sign p "
                f"{p_value:.2f}), worst set {-worst_set:+d}"
            )
            clearly_better = (
                correct > rules_right and p_value < MAX_SIGN_P and worst_set <= MAX_SET_LOSS
            )
            if clearly_better and (best is None or (correct, -changed) > best[:2]):
                best = (correct, -changed, learner, key)
                best_picks = picks[key]
        free = max(
            (key for key in picks if key[1] == 0.0),
            key=lambda k: sum(1 for p in picks[k].values() if p),
        )  # the setting that changes most: where the model decides, not the rules
        print(f"  per held-out day, {unit}={free[0]} margin 0 (the most changes):")
        _table(items, picks[free], "day", days)
        print("  per set, same model:")
        _table(items, picks[free], "set", list(TRAINING_SETS))
    if best is None:
        print(
            f"\nno learner, setting and margin beats the rules out of fold (more right, sign "
            f"p < {MAX_SIGN_P}, no set losing more than {MAX_SET_LOSS}): no model written"
        )
        if args.time:
            time_choice(args.time, args.limit, fit(items, "logistic", 1.0))
        return
    _, _, learner, key = best
    print(f"\nbest out of fold: {learner} {key}; per held-out day:")
    _table(items, best_picks, "day", days)
    print("  per set:")
    _table(items, best_picks, "set", list(TRAINING_SETS))
    raw = fit(items, learner, key[0])
    raw["margin"] = key[1]
    print(f"refit on all items: {learner} {key}")
    if learner != "trees":
        for name, weight in sorted(raw["weights"].items(), key=lambda kv: -abs(kv[1])):
            print(f"  {name:24s} {weight:+.3f}")
    final = model_from_json(raw)
    in_sample = sum(right(item, final.choice(item["candidates"])) for item in items)
    print(f"in sample: {in_sample}/{total} ({in_sample / total:.3f})")
    if args.time:
        time_choice(args.time, args.limit, raw)
    if not args.no_write:
        MODEL.write_text(
            json.dumps(raw, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
        )
        print(f"wrote {MODEL}")


if __name__ == "__main__":
    main()
