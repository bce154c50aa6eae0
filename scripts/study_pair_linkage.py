"""Study (issue 18): article-PAIR probabilities learned on July, combined by average linkage.

Every learned stage so far judged an article against a story (join) or a story against a
story (merge). Here a model judges two ARTICLES, and the decisions are combined by average
linkage, which is robust where single incremental decisions are not: an event whose
articles agree pairwise merges even when it first grew as two stories, and two same-kind
events stay apart when most of their cross pairs disagree.

July DEV gold only (``build/stories_dev.jsonl.gz``); never point it at a validation gold.

1. Candidate pairs: pool articles (labeled and distractors, as ``eval stories`` scores them)
   within the clusterer's window (``ClusterSettings.window_days``) whose body TF-IDF cosine
   reaches ``--body-floor`` or whose titles share a term, found block by block with sparse
   products (never a loop over all pairs). The candidate recall of same-story pairs is printed.
2. Pair features (:data:`PAIR_FEATURES`) from the clusterer's own documents
   (:func:`train_story_join.prepare`: folded stems, name keys, event days).
3. A logistic regression (or ``--model hgb``: gradient-boosted trees) fit by
   cross-validation by day: a pair belongs to the day of its later article; the model that
   scores day D's pairs is fit on the pairs that touch no article of day D.
4. Clusterings from the out-of-fold probabilities: average linkage over the sparse graph
   (a missing pair counts as probability 0) from single articles, and average-linkage
   merges of the default clusterer's stories. Each is cut at every threshold of a curve;
   the threshold scored on a day's articles is the one that maximises B-cubed F1 on the
   other days' articles (B-cubed is a mean over articles, so it splits by day exactly).

Usage::

    python scripts/study_pair_linkage.py build/stories_dev.jsonl.gz -o evaluation/stories_dev/story_pair_linkage_study.txt
"""

from __future__ import annotations

import argparse
import heapq
import math
import pickle
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import roc_auc_score

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_story_join import Item, collect, fit_logistic, joins_by_held_out_day, prepare, replay
from train_story_merge import replay as replay_with_merges

from marsad.cluster.stories import LEAD_TERMS, ClusterSettings, StoryClusterer, _places
from marsad.pipeline import Settings

PAIR_FEATURES = (
    "body",  # cosine of the bodies (title and body stems, as the clusterer's body vector)
    "title",  # cosine of the titles
    "lead",  # cosine of the leads (the first LEAD_TERMS body stems)
    "title_body",  # the larger cosine of one's title with the other's body
    "names",  # cosine of the name keys (stem bigrams of title and lead, "number noun")
    "numbers_match",  # "number noun" keys both name
    "numbers_conflict",  # nouns both count, with no number in common
    "place_conflict",  # titles name places of one level and share none
    "day_conflict",  # both name event days (weekday, day and month) and share none
    "title_novel",  # the larger share of a title's weight in words the other never uses
    "lead_novel",  # the larger share of a lead's heaviest words the other's body lacks
    "names_novel",  # the larger share of name-key weight the other lacks (template parties)
    "copy",  # near-duplicate (MinHash estimate at least the dedup threshold)
    "same_outlet",
    "day_gap_1",  # calendar days apart: exactly one (crawl days, never hours)
    "day_gap_2",  # two or more
    "neighbours",  # cosine of the two rows of the pool's body-similarity graph (shared neighbours)
)
THRESHOLDS = (0.03, 0.05, 0.075, 0.1, 0.125, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
BLOCK = 512  # rows of the pair matrices computed at a time
WINDOW_REACH = 3  # calendar days: every candidate pair (at most window_days apart) is within it
EDGE_FLOOR = 0.01  # pair probabilities below this count as 0 in the linkage (bounded error)
LEAD_WORDS = 10  # heaviest body words that make a lead's content (as the join's lead_novel)


def _identity(values: Sequence[str]) -> Sequence[str]:
    return values


def _vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer=_identity, sublinear_tf=True, dtype=np.float32)


def _binary(rows: Sequence[Sequence[Any]]) -> sp.csr_matrix:
    """Presence matrix of arbitrary hashable values (one row per article)."""
    columns: dict[Any, int] = {}
    indptr, indices = [0], []
    for row in rows:
        for value in set(row):
            indices.append(columns.setdefault(value, len(columns)))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=(len(rows), max(1, len(columns))))


def _squared_share(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Each row's squared weights (a unit row's squares sum to 1)."""
    out = matrix.multiply(matrix).tocsr()
    return out.astype(np.float32)


def _top_share(matrix: sp.csr_matrix, count: int) -> sp.csr_matrix:
    """Each row's ``count`` heaviest weights, squared and rescaled to sum 1."""
    rows = []
    for i in range(matrix.shape[0]):
        start, stop = matrix.indptr[i], matrix.indptr[i + 1]
        data, idx = matrix.data[start:stop], matrix.indices[start:stop]
        keep = np.argsort(-data)[:count]
        squares = data[keep] ** 2
        total = squares.sum()
        rows.append((idx[keep], squares / total if total else squares))
    indptr = np.cumsum([0] + [len(r[0]) for r in rows])
    indices = np.concatenate([r[0] for r in rows]) if rows else np.zeros(0, dtype=np.int32)
    data = np.concatenate([r[1] for r in rows]) if rows else np.zeros(0, dtype=np.float32)
    return sp.csr_matrix((data.astype(np.float32), indices, indptr), shape=matrix.shape)


class PairSpace:
    """The matrices every pair feature is a product of, built once for the pool."""

    def __init__(self, items: list[Item], dedup_threshold: float) -> None:
        docs = [item.doc for item in items]
        words = _vectorizer().fit([list(d.title_stems) + list(d.stems) for d in docs])
        self.body = words.transform([list(d.title_stems) + list(d.stems) for d in docs]).tocsr()
        self.title = words.transform([list(d.title_stems) for d in docs]).tocsr()
        self.lead = words.transform([list(d.stems[:LEAD_TERMS]) for d in docs]).tocsr()
        self.names = _vectorizer().fit_transform([list(d.names) for d in docs]).tocsr()
        self.title_bin = (self.title > 0).astype(np.float32).tocsr()
        self.body_bin = (self.body > 0).astype(np.float32).tocsr()
        self.names_bin = (self.names > 0).astype(np.float32).tocsr()
        self.title_sq = _squared_share(self.title)
        self.names_sq = _squared_share(self.names)
        self.lead_top = _top_share(self.body, LEAD_WORDS)
        numbered = [[k for k in d.names if k[:1].isdigit() and " " in k] for d in docs]
        self.number_keys = _binary(numbered)
        self.number_nouns = _binary([[k.split(" ", 1)[1] for k in keys] for keys in numbered])
        self.has_days = np.array([bool(d.days) for d in docs])
        self.days = _binary([d.days for d in docs])
        by_level: dict[str, list[list[int]]] = {}
        found = [_places(d.title_stems) for d in docs]
        for level in sorted({level for places in found for level in places}):
            by_level[level] = [sorted(places.get(level, ())) for places in found]
        self.places = {level: _binary(rows) for level, rows in by_level.items()}
        self.has_place = {
            level: np.array([bool(r) for r in rows]) for level, rows in by_level.items()
        }
        self.signatures = np.stack([np.asarray(item.fp.signature) for item in items])
        self.dedup_threshold = dedup_threshold
        self.sources = np.array([d.source for d in docs])
        self.day = np.array([(d.when.date() - docs[0].when.date()).days for d in docs])
        self.stamp = np.array([d.when.timestamp() for d in docs], dtype=np.float64)

    @property
    def size(self) -> int:
        return int(self.body.shape[0])


def _dense(left: sp.csr_matrix, right: sp.csr_matrix) -> np.ndarray:
    return np.asarray((left @ right.T).todense(), dtype=np.float32)


def candidate_pairs(
    space: PairSpace, *, window_days: float, body_floor: float, title_share: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(first, second, features) of every candidate pair, first < second (date order)."""
    n = space.size
    firsts, seconds, features = [], [], []
    span = window_days * 86400.0
    for start in range(0, n, BLOCK):
        stop = min(start + BLOCK, n)
        rows = slice(start, stop)
        body = _dense(space.body[rows], space.body)
        keep = body >= body_floor
        if title_share:
            keep |= _dense(space.title_bin[rows], space.title_bin) > 0
        index = np.arange(start, stop)[:, None]
        keep &= np.arange(n)[None, :] > index
        keep &= np.abs(space.stamp[None, :] - space.stamp[start:stop, None]) <= span
        r, c = np.nonzero(keep)
        if not r.size:
            continue
        block = _features(space, rows, r, c, body)
        firsts.append(r + start)
        seconds.append(c)
        features.append(block)
    return (
        np.concatenate(firsts),
        np.concatenate(seconds),
        np.concatenate(features).astype(np.float32),
    )


def _features(
    space: PairSpace, rows: slice, r: np.ndarray, c: np.ndarray, body: np.ndarray
) -> np.ndarray:
    """:data:`PAIR_FEATURES` of the pairs (rows[r], c), from products of this row block."""
    start = rows.start

    def at(left: sp.csr_matrix, right: sp.csr_matrix) -> np.ndarray:
        return _dense(left[rows], right)[r, c]

    def both_ways(left: sp.csr_matrix, right: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
        """(row's left against column's right, column's left against row's right)."""
        return at(left, right), _dense(right[rows], left)[r, c]

    title_body = np.maximum(*both_ways(space.title, space.body))
    shared_keys = at(space.number_keys, space.number_keys)
    shared_nouns = at(space.number_nouns, space.number_nouns)

    def novel(share: sp.csr_matrix, presence: sp.csr_matrix) -> np.ndarray:
        """The larger share of one side's weight in terms the other lacks (0 for an empty side)."""
        mine, theirs = both_ways(share, presence)
        has = np.asarray(share.sum(axis=1)).ravel() > 0
        left = np.where(has[start + r], 1.0 - mine, 0.0)
        right = np.where(has[c], 1.0 - theirs, 0.0)
        return np.maximum(left, right)

    place_conflict = np.zeros(r.size, dtype=bool)
    for level, matrix in space.places.items():
        has = space.has_place[level]
        place_conflict |= has[start + r] & has[c] & (at(matrix, matrix) == 0)
    day_conflict = space.has_days[start + r] & space.has_days[c] & (at(space.days, space.days) == 0)
    same = (space.signatures[start + r] == space.signatures[c]).mean(axis=1)
    gap = np.abs(space.day[c] - space.day[start + r])
    return np.column_stack(
        [
            body[r, c],
            at(space.title, space.title),
            at(space.lead, space.lead),
            title_body,
            at(space.names, space.names),
            shared_keys,
            np.maximum(0.0, shared_nouns - shared_keys),
            place_conflict,
            day_conflict,
            novel(space.title_sq, space.body_bin),
            novel(space.lead_top, space.body_bin),
            novel(space.names_sq, space.names_bin),
            same >= space.dedup_threshold,
            space.sources[start + r] == space.sources[c],
            gap == 1,
            gap >= 2,
        ]
    ).astype(np.float32)


def neighbour_cosine(
    n: int, first: np.ndarray, second: np.ndarray, body: np.ndarray, floor: float
) -> np.ndarray:
    """Second-order similarity: the cosine of the two articles' rows of the graph of body
    cosines at least ``floor`` (each article its own neighbour). Two reports of one event
    told from different angles share neighbours even when they share few words."""
    strong = body >= floor
    rows = np.concatenate([first[strong], second[strong], np.arange(n)])
    cols = np.concatenate([second[strong], first[strong], np.arange(n)])
    values = np.concatenate([body[strong], body[strong], np.ones(n, dtype=np.float32)])
    graph = sp.csr_matrix((values, (rows, cols)), shape=(n, n), dtype=np.float32)
    norms = np.sqrt(np.asarray(graph.multiply(graph).sum(axis=1)).ravel())
    graph = sp.diags(1.0 / norms) @ graph
    graph = graph.tocsr()
    out = np.zeros(len(first), dtype=np.float32)
    order = np.argsort(first, kind="stable")
    bounds = np.searchsorted(first[order], np.arange(0, n + BLOCK, BLOCK))
    for block, start in enumerate(range(0, n, BLOCK)):
        chosen = order[bounds[block] : bounds[block + 1]]
        if not chosen.size:
            continue
        dense = _dense(graph[start : start + BLOCK], graph)
        out[chosen] = dense[first[chosen] - start, second[chosen]]
    return out


# --------------------------------------------------------------------------- models


def pair_labels(labels: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """1 same gold story, 0 different or one side unlabeled (gold stories are labeled
    completely), -1 both unlabeled (unknown: scored, never trained on)."""
    a, b = labels[first], labels[second]
    out = np.where((a >= 0) & (b >= 0), (a == b).astype(np.int8), np.int8(0))
    out[(a < 0) & (b < 0)] = -1
    return out.astype(np.int8)


class Logistic:
    def __init__(self, x: np.ndarray, y: np.ndarray) -> None:
        self.weights, self.bias, self.means, self.scales = (np.array(v) for v in fit_logistic(x, y))

    def predict(self, x: np.ndarray) -> np.ndarray:
        z = ((x - self.means) / self.scales) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-z))


class Boosted:
    def __init__(self, x: np.ndarray, y: np.ndarray) -> None:
        from sklearn.ensemble import HistGradientBoostingClassifier

        self.model = HistGradientBoostingClassifier(
            max_iter=200, learning_rate=0.1, max_leaf_nodes=31, random_state=0
        ).fit(x, y)

    def predict(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(self.model.predict_proba(x)[:, 1])


MODELS: dict[str, Callable[[np.ndarray, np.ndarray], Any]] = {
    "logistic": Logistic,
    "hgb": Boosted,
}


def out_of_fold(
    space: PairSpace,
    first: np.ndarray,
    second: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    make: Callable[[np.ndarray, np.ndarray], Any],
) -> np.ndarray:
    """Each pair scored by a model fit on the pairs touching no article of its later day."""
    later = space.day[second]
    earlier = space.day[first]
    probability = np.zeros(len(first), dtype=np.float64)
    for day in np.unique(later):
        train = (y >= 0) & (later != day) & (earlier != day)
        model = make(x[train], y[train])
        scored = later == day
        probability[scored] = model.predict(x[scored])
    return probability


# --------------------------------------------------------------------------- linkage


def average_linkage(
    n: int,
    first: np.ndarray,
    second: np.ndarray,
    probability: np.ndarray,
    floor: float,
    start: np.ndarray | None = None,
    days: np.ndarray | None = None,
) -> tuple[np.ndarray, list[tuple[int, int, float]]]:
    """Average-linkage merges, best first, down to ``floor``, over a sparse graph whose
    missing pairs count as probability 0: the mean over all cross pairs of two clusters.

    ``start`` gives initial clusters (e.g. the incremental clusterer's stories); returns
    the initial cluster of each article and the merges (kept cluster, merged, mean). Average
    linkage is reducible, so the means of successive merges never rise: the merges at or
    above ``t`` are a prefix, and one run gives the cut at every threshold above ``floor``.

    ``days`` (each article's calendar day) bounds the mean by the window instead: it is taken
    over the cross pairs at most ``WINDOW_REACH`` calendar days apart, as an incremental
    clusterer only ever compares within its window. That mean is not reducible (cut one
    run per threshold, with ``floor`` the threshold).
    """
    cluster = np.arange(n) if start is None else start.copy()
    # Pairs below EDGE_FLOOR are dropped (counted as 0): every mean moves by less than it.
    strong = probability >= EDGE_FLOOR
    first, second, probability = first[strong], second[strong], probability[strong]
    size = Counter(cluster.tolist())
    sums: dict[int, dict[int, float]] = {c: {} for c in size}
    spread: dict[int, np.ndarray] = {}
    if days is not None:
        span = int(days.max()) + 1
        offsets = np.arange(span)
        reach = (np.abs(offsets[:, None] - offsets[None, :]) <= WINDOW_REACH).astype(np.float64)
        for c in size:
            spread[c] = np.zeros(span)
        for c, d in zip(cluster.tolist(), days.tolist(), strict=True):
            spread[c][d] += 1.0

    def pairs(x: int, z: int) -> float:
        """Cross pairs the mean is taken over."""
        if days is None:
            return float(size[x] * size[z])
        return float(spread[x] @ reach @ spread[z])

    a, b = cluster[first], cluster[second]
    cross = a != b
    lo, hi = np.minimum(a[cross], b[cross]), np.maximum(a[cross], b[cross])
    base = int(cluster.max()) + 1
    keys = lo.astype(np.int64) * base + hi
    unique, inverse = np.unique(keys, return_inverse=True)
    totals = np.bincount(inverse, weights=probability[cross])
    heap: list[tuple[float, int, int]] = []
    for key, total in zip(unique.tolist(), totals.tolist(), strict=True):
        x, z = divmod(key, base)
        sums[x][z] = total
        sums[z][x] = total
        mean = total / pairs(x, z)
        if mean >= floor:
            heap.append((-mean, x, z))
    heapq.heapify(heap)
    merges: list[tuple[int, int, float]] = []
    while heap:
        negative, x, z = heapq.heappop(heap)
        if x not in sums or z not in sums:
            continue
        mean = sums[x].get(z, 0.0) / pairs(x, z)
        if not math.isclose(mean, -negative, rel_tol=1e-9, abs_tol=1e-12):
            continue  # stale: one side grew since
        keep, gone = (x, z) if len(sums[x]) >= len(sums[z]) else (z, x)
        merges.append((keep, gone, mean))
        kept = sums[keep]
        kept.pop(gone, None)
        for other, total in sums.pop(gone).items():
            if other == keep:
                continue
            kept[other] = kept.get(other, 0.0) + total
            sums[other].pop(gone, None)
            sums[other][keep] = kept[other]
        size[keep] += size.pop(gone)
        if days is not None:
            spread[keep] = spread[keep] + spread.pop(gone)
        for other, total in kept.items():
            value = total / pairs(keep, other)
            if value >= floor:
                heapq.heappush(heap, (-value, keep, other))
    return cluster, merges


def cut(cluster: np.ndarray, merges: list[tuple[int, int, float]], threshold: float) -> np.ndarray:
    """The clustering after the merges whose mean reaches ``threshold``."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while x in parent:
            x = parent[x]
        return x

    for keep, gone, mean in merges:
        if mean < threshold:
            break
        parent[gone] = keep
    return np.array([root(c) for c in cluster.tolist()])


def per_item_bcubed(pred: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """B-cubed precision and recall of each labeled article (B-cubed is their mean)."""
    labeled = np.flatnonzero(labels >= 0)
    joint = Counter(zip(pred[labeled].tolist(), labels[labeled].tolist(), strict=True))
    pred_size = Counter(pred[labeled].tolist())
    gold_size = Counter(labels[labeled].tolist())
    precision = np.array(
        [joint[(p, g)] / pred_size[p] for p, g in zip(pred[labeled], labels[labeled], strict=True)]
    )
    recall = np.array(
        [joint[(p, g)] / gold_size[g] for p, g in zip(pred[labeled], labels[labeled], strict=True)]
    )
    return precision, recall


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def curve_and_cv(
    clusterings: dict[float, np.ndarray],
    labels: np.ndarray,
    days: np.ndarray,
    thresholds: Sequence[float],
) -> tuple[list[tuple[float, float, float, float]], tuple[float, float, float], dict[int, float]]:
    """The B-cubed curve over thresholds, and the leave-one-day-out choice: each day's
    articles are scored at the threshold that is best on the other days' articles."""
    labeled_days = days[labels >= 0]
    per = {t: per_item_bcubed(clusterings[t], labels) for t in thresholds}
    curve = [
        (t, float(p.mean()), float(r.mean()), _f1(p.mean(), r.mean())) for t, (p, r) in per.items()
    ]
    chosen: dict[int, float] = {}
    precision = np.zeros(int((labels >= 0).sum()))
    recall = np.zeros_like(precision)
    for day in np.unique(labeled_days):
        rest = labeled_days != day
        best = max(thresholds, key=lambda t: _f1(per[t][0][rest].mean(), per[t][1][rest].mean()))
        chosen[int(day)] = best
        mine = labeled_days == day
        precision[mine] = per[best][0][mine]
        recall[mine] = per[best][1][mine]
    p, r = float(precision.mean()), float(recall.mean())
    return curve, (p, r, _f1(p, r)), chosen


# --------------------------------------------------------------------------- errors


def error_kinds(
    pred: np.ndarray,
    labels: np.ndarray,
    names: list[str],
    candidate: set[tuple[int, int]],
    days: np.ndarray,
    top: int = 8,
) -> list[str]:
    """Labeled pairs the clustering gets wrong, by kind and by gold story."""
    labeled = np.flatnonzero(labels >= 0)
    split: Counter[str] = Counter()
    joined: Counter[tuple[str, str]] = Counter()
    kinds: Counter[str] = Counter()
    for position, i in enumerate(labeled.tolist()):
        for j in labeled[position + 1 :].tolist():
            same_gold = labels[i] == labels[j]
            same_pred = pred[i] == pred[j]
            if same_gold == same_pred:
                continue
            gap = min(2, abs(int(days[i]) - int(days[j])))
            if same_gold:
                split[names[labels[i]]] += 1
                where = "a candidate" if (i, j) in candidate else "not a candidate"
                kinds[f"split same-story pair, {where}, day gap {gap}"] += 1
            else:
                pair = sorted((names[labels[i]], names[labels[j]]))
                joined[(pair[0], pair[1])] += 1
                kinds[f"joined different-story pair, day gap {gap}"] += 1
    lines = [f"  {kind}: {count}" for kind, count in sorted(kinds.items())]
    lines.append(
        "  stories split most (same-story pairs apart): "
        + ", ".join(f"{s} {n}" for s, n in split.most_common(top))
    )
    lines.append(
        "  story pairs joined most (different-story pairs together): "
        + ", ".join(f"{a} + {b} {n}" for (a, b), n in joined.most_common(top))
    )
    return lines


# --------------------------------------------------------------------------- starts

# The join features the opt-in "decayed-no-gaps" configuration leaves out.
NO_GAPS_JOIN = ("gap_mean", "gap_last", "day_gap_mean", "day_gap_last")


def hand_stories(items: list[Item], threshold: float) -> dict[str, int]:
    """The hand-weighted incremental clusterer (copies follow their original)."""
    return replay(items, StoryClusterer(ClusterSettings(join_threshold=threshold)))


def learned_join_stories(items: list[Item], threshold: float, cache: Path) -> dict[str, int]:
    """Stage 1 of "decayed-no-gaps" alone (no merge), each article's join decided by a model
    fit without its day (the shipped model saw every July day); the hand rule decides until
    the IDF statistics are warm, as shipped."""
    decisions = _cache(cache / "join_decisions.pickle", lambda: collect(items))
    days = sorted({item.day for item in items})
    base = ClusterSettings()
    per_day = joins_by_held_out_day(decisions, days, base, NO_GAPS_JOIN, threshold)
    stories, _ = replay_with_merges(items, StoryClusterer(base), per_day=per_day)
    return stories


# --------------------------------------------------------------------------- cost


def cost(items: list[Item], what: str, body_floor: float) -> int:
    """Seconds and peak memory of one clustering of the prepared pool in this process:
    the default incremental clusterer, or the pair probabilities (a model fit on all pairs,
    as a shipped one would be read) with average linkage from articles."""
    before = _peak_mb()
    started = time.perf_counter()
    if what == "default":
        hand_stories(items, ClusterSettings().join_threshold)
    else:
        labels = np.array([hash(i.label) if i.label else -1 for i in items])
        space = PairSpace(items, Settings().dedup_threshold)
        first, second, x = candidate_pairs(
            space,
            window_days=ClusterSettings().window_days,
            body_floor=body_floor,
            title_share=True,
        )
        x = np.column_stack([x, neighbour_cosine(space.size, first, second, x[:, 0], body_floor)])
        y = pair_labels(labels, first, second)
        fitted = time.perf_counter()
        model = Logistic(x[y >= 0], y[y >= 0])
        fit_seconds = time.perf_counter() - fitted
        average_linkage(space.size, first, second, model.predict(x), 0.1)
        print(f"(of which fitting the model {fit_seconds:.1f} s, not a clustering cost)")
    seconds = time.perf_counter() - started
    print(
        f"cost {what}: {seconds:.1f} s for {len(items)} prepared articles; peak {_peak_mb():.0f} MB"
        f" (after loading the prepared pool {before:.0f} MB)"
    )
    return 0


# --------------------------------------------------------------------------- main


def _cache(path: Path, build: Callable[[], Any]) -> Any:
    if path.exists():
        return pickle.loads(path.read_bytes())
    value = build()
    path.write_bytes(pickle.dumps(value))
    return value


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", type=Path, help="the July DEV gold (never a validation gold)")
    parser.add_argument("-o", "--output", type=Path, help="write the report here too")
    parser.add_argument("--cache", type=Path, default=Path("build/pairlink"))
    parser.add_argument("--body-floor", type=float, default=0.1)
    parser.add_argument("--no-title-share", action="store_true")
    parser.add_argument("--model", choices=sorted(MODELS), action="append")
    parser.add_argument("--floor", type=float, default=min(THRESHOLDS))
    parser.add_argument(
        "--window-mean",
        action="store_true",
        help="mean over the cross pairs within the window only (average_linkage's days)",
    )
    parser.add_argument("--diagnose", action="store_true", help="also in-sample and oracle linkage")
    parser.add_argument("--cost", choices=("default", "pairs"), help="only time one clustering")
    parser.add_argument(
        "--both-labeled", action="store_true", help="train only on pairs of two labeled articles"
    )
    parser.add_argument(
        "--drop", nargs="*", default=[], choices=PAIR_FEATURES, help="features left out"
    )
    parser.add_argument(
        "--hand-joins",
        type=float,
        nargs="*",
        default=[],
        help="stricter hand join thresholds as starts",
    )
    parser.add_argument(
        "--learned-joins",
        type=float,
        nargs="*",
        default=[],
        help="decayed-no-gaps join thresholds (CV by day) as starts",
    )
    args = parser.parse_args(argv)
    if "val" in args.gold.name.lower():
        parser.error("this study reads the July DEV gold only")
    args.cache.mkdir(parents=True, exist_ok=True)
    out: list[str] = []

    def say(line: str) -> None:
        print(line, flush=True)
        out.append(line)

    started = time.perf_counter()
    items: list[Item] = _cache(args.cache / "items.pickle", lambda: prepare(args.gold))
    if args.cost:
        return cost(items, args.cost, args.body_floor)
    settings = Settings()
    window = ClusterSettings().window_days
    stories = _cache(
        args.cache / "hand_stories.pickle",
        lambda: replay(items, StoryClusterer(ClusterSettings())),
    )
    names = sorted({item.label for item in items if item.label is not None})
    label_index = {name: k for k, name in enumerate(names)}
    labels = np.array([label_index.get(item.label, -1) if item.label else -1 for item in items])
    t0 = time.perf_counter()
    space = PairSpace(items, settings.dedup_threshold)
    t1 = time.perf_counter()
    first, second, x = candidate_pairs(
        space, window_days=window, body_floor=args.body_floor, title_share=not args.no_title_share
    )
    x = np.column_stack([x, neighbour_cosine(space.size, first, second, x[:, 0], args.body_floor)])
    kept = [k for k, name in enumerate(PAIR_FEATURES) if name not in args.drop]
    feature_names = [PAIR_FEATURES[k] for k in kept]
    x = x[:, kept]
    t2 = time.perf_counter()
    y = pair_labels(labels, first, second)
    say(f"gold: {args.gold} (July DEV); {len(items)} articles, {int((labels >= 0).sum())} labeled")
    say(f"features left out: {', '.join(args.drop) or 'none'}")
    say(
        f"candidates: window {window:g} days, body cosine >= {args.body_floor:g}"
        + ("" if args.no_title_share else " or a shared title term")
        + f": {len(first):,} pairs ({int((y >= 0).sum()):,} with a labeled side,"
        f" {int((y == 1).sum()):,} same-story)"
    )
    day = space.day
    labeled = np.flatnonzero(labels >= 0)
    same_total = in_window = 0
    for position, i in enumerate(labeled.tolist()):
        rest = labeled[position + 1 :]
        same = rest[labels[rest] == labels[i]]
        same_total += same.size
        in_window += int((np.abs(space.stamp[same] - space.stamp[i]) <= window * 86400).sum())
    say(
        f"candidate recall of same-story labeled pairs: {int((y == 1).sum())}/{same_total}"
        f" = {(y == 1).sum() / same_total:.3f} (within the window: {in_window},"
        f" recall there {(y == 1).sum() / max(1, in_window):.3f})"
    )
    say(
        f"seconds: vectors {t1 - t0:.1f}, candidates and features {t2 - t1:.1f}; peak {_peak_mb():.0f} MB"
    )
    candidate = set(zip(first[y == 1].tolist(), second[y == 1].tolist(), strict=True))
    hand = np.array([stories[item.ext_id] for item in items])
    hand_p, hand_r = per_item_bcubed(hand, labels)
    say(
        f"default incremental clusterer (hand join, replay with dedup): B-cubed"
        f" {hand_p.mean():.3f}/{hand_r.mean():.3f}/{_f1(hand_p.mean(), hand_r.mean()):.3f}"
    )
    starts: list[tuple[str, np.ndarray | None]] = [
        ("average linkage from articles", None),
        ("default stories + average-linkage merges", hand),
    ]
    for threshold in args.hand_joins:
        found = _cache(
            args.cache / f"hand_stories_{threshold:g}.pickle",
            lambda t=threshold: hand_stories(items, t),
        )
        starts.append(
            (
                f"hand join {threshold:g} + average-linkage merges",
                np.array([found[i.ext_id] for i in items]),
            )
        )
    for threshold in args.learned_joins:
        t_start = time.perf_counter()
        found = _cache(
            args.cache / f"learned_join_{threshold:g}.pickle",
            lambda t=threshold: learned_join_stories(items, t, args.cache),
        )
        stage = np.array([found[i.ext_id] for i in items])
        sp_, sr_ = per_item_bcubed(stage, labels)
        say(
            f"learned join decayed-no-gaps {threshold:g} (CV by day), no merge: B-cubed"
            f" {sp_.mean():.3f}/{sr_.mean():.3f}/{_f1(sp_.mean(), sr_.mean()):.3f}"
            f" ({time.perf_counter() - t_start:.1f} s)"
        )
        starts.append((f"learned join {threshold:g} (CV) + average-linkage merges", stage))
    rows: list[str] = []
    for model_name in args.model or ["logistic"]:
        t3 = time.perf_counter()
        train_y = y.copy()
        if args.both_labeled:
            train_y[(labels[first] < 0) | (labels[second] < 0)] = -1
        probability = out_of_fold(space, first, second, x, train_y, MODELS[model_name])
        t4 = time.perf_counter()
        known = y >= 0
        auc = roc_auc_score(y[known], probability[known])
        say(
            f"\n== model {model_name}: out-of-fold AUC {auc:.4f} over {int(known.sum()):,} pairs; fit+score {t4 - t3:.1f} s"
        )
        if model_name == "logistic":
            whole = Logistic(x[known], y[known])
            say(
                "  weights per standard deviation (fit on all July pairs): "
                + ", ".join(
                    f"{name} {w:+.2f}" for name, w in zip(feature_names, whole.weights, strict=True)
                )
            )
        if args.diagnose:
            # Not CV figures: how much is the model's fit, how much the linkage and the window.
            fitted = Logistic(x[known], y[known]).predict(x)
            oracle = np.where(known, y, fitted)
            for name, values in (
                ("in-sample (fit on all July pairs)", fitted),
                ("oracle labels on pairs with a labeled side", oracle),
            ):
                cluster, merges = average_linkage(space.size, first, second, values, args.floor)
                cuts = {t: cut(cluster, merges, t) for t in THRESHOLDS}
                curve, _, _ = curve_and_cv(cuts, labels, day, THRESHOLDS)
                t_best, bp, br, bf = max(curve, key=lambda row: row[3])
                say(
                    f"  diagnosis, average linkage from articles, {name}: best on the curve t={t_best:g} {bp:.3f}/{br:.3f}/{bf:.3f}"
                )
        for variant, start in starts:
            t5 = time.perf_counter()
            if args.window_mean:
                # The window-bounded mean is not reducible: one run per threshold.
                variant += " (mean within the window)"
                cuts = {}
                for t in THRESHOLDS:
                    cluster, merges = average_linkage(
                        space.size, first, second, probability, t, start, day
                    )
                    cuts[t] = cut(cluster, merges, 0.0)
            else:
                cluster, merges = average_linkage(
                    space.size, first, second, probability, args.floor, start
                )
                cuts = {t: cut(cluster, merges, t) for t in THRESHOLDS}
            t6 = time.perf_counter()
            curve, (p, r, f), chosen = curve_and_cv(cuts, labels, day, THRESHOLDS)
            say(
                f"-- {variant} ({model_name}): linkage {t6 - t5:.1f} s, {len(merges)} merges; peak {_peak_mb():.0f} MB"
            )
            say(
                "  curve t: P/R/F1  "
                + "; ".join(f"{t:g}: {a:.3f}/{b:.3f}/{c:.3f}" for t, a, b, c in curve)
            )
            say(
                "  threshold chosen per held-out day on the other days: "
                + ", ".join(f"day {d}: {t:g}" for d, t in sorted(chosen.items()))
            )
            say(
                f"  B-cubed P/R/F1, CV by day (probabilities and threshold): {p:.3f}/{r:.3f}/{f:.3f}"
            )
            rows.append(f"| {variant}, {model_name} | {p:.3f}/{r:.3f}/{f:.3f} |")
            common = Counter(chosen.values()).most_common(1)[0][0]
            say(f"  errors at the most chosen threshold {common:g} (labeled pairs):")
            for line in error_kinds(cuts[common], labels, names, candidate, day):
                say(line)
    say("\n| variant (July DEV, CV by day) | B-cubed P/R/F1 |\n|---|---|")
    say(
        f"| default incremental clusterer (replay) | {hand_p.mean():.3f}/{hand_r.mean():.3f}/{_f1(hand_p.mean(), hand_r.mean()):.3f} |"
    )
    for row in rows:
        say(row)
    say(f"total seconds {time.perf_counter() - started:.1f}; peak {_peak_mb():.0f} MB")
    if args.output:
        args.output.write_text("\n".join(out) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
