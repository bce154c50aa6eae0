"""Reference systems that Marsad's story clustering is compared against.

Both baselines use the same vectors: TF-IDF (sublinear tf) over the content stems Marsad
itself uses (:func:`marsad.text.arabic.tokenize` and ``content_stems``), title counted
twice, rows L2-normalised; the IDF is fitted on the whole input at once.

``agglomerative_baseline``: the usual batch approach, cosine distance, average-linkage
agglomerative clustering cut at a distance threshold. It sees the whole collection at once
(no streaming, no time).

``single_pass_baseline``: classic online single-pass clustering (Papka & Allan, TDT). In
date order, each article joins the existing cluster whose centroid is most similar to it
if that cosine reaches a threshold, else it opens a new cluster; only clusters updated
within the last few days can be joined.

Each baseline's threshold is a named constant chosen once on the July DEV gold
(``build/stories_dev.jsonl.gz``) and used unchanged on every other gold, so a validation
score is never tuned on its own set. ``marsad eval stories GOLD --sweep`` reprints the
sweep on any gold, labeled as tuned on that set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, Final

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.feature_extraction.text import TfidfVectorizer

from marsad.models import RawArticle
from marsad.text import arabic

# Chosen once on the July DEV gold only (build/stories_dev.jsonl.gz: 14,848 articles, 656
# labeled in 66 stories) with `marsad eval stories build/stories_dev.jsonl.gz --sweep`.
# B-cubed F1 by cosine distance: 0.5 0.703, 0.6 0.768, 0.7 0.809, 0.75 0.823 (picked),
# 0.8 0.819, 0.85 0.798, 0.9 0.783, 0.95 0.492.
AGGLOMERATIVE_DISTANCE: Final = 0.75
AGGLOMERATIVE_SWEEP: Final = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)  # distances tried

# Chosen once on the July DEV gold only, by the same sweep. B-cubed F1 by cosine threshold
# with the 3-day window: 0.1 0.614, 0.15 0.750, 0.2 0.820, 0.25 0.833, 0.3 0.840 (picked),
# 0.35 0.814, 0.4 0.800, 0.45 0.750, 0.5 0.712, 0.6 0.639. Without the window the best was
# 0.804 (also at 0.3), so the window stays.
SINGLE_PASS_THRESHOLD: Final = 0.3
SINGLE_PASS_WINDOW: Final = timedelta(days=3)  # only clusters updated this recently can grow
SINGLE_PASS_SWEEP: Final = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6)  # tried

_ROWS_PER_CHUNK = 1024  # rows of the similarity matrix computed at a time


def article_stems(article: RawArticle) -> list[str]:
    """Content stems of title (twice: titles carry the event) and body."""
    title = arabic.content_stems(arabic.tokenize(article.title))
    return title + title + arabic.content_stems(arabic.tokenize(article.text))


def tfidf_vectors(articles: Sequence[RawArticle]) -> Any:
    """Sparse TF-IDF rows (L2-normalised) of the articles, in the given order."""
    vectorizer = TfidfVectorizer(analyzer=lambda stems: stems, sublinear_tf=True)
    return vectorizer.fit_transform([article_stems(a) for a in articles])


def _with_ids(articles: Iterable[RawArticle]) -> list[RawArticle]:
    return [a for a in articles if a.ext_id is not None]


def _condensed_cosine_distances(matrix: object) -> np.ndarray:
    """Upper triangle of 1 - X.X^T (rows L2-normalised) as scipy's condensed vector."""
    n = matrix.shape[0]  # type: ignore[attr-defined]
    out = np.empty(n * (n - 1) // 2, dtype=np.float64)
    position = 0
    for start in range(0, n, _ROWS_PER_CHUNK):
        block = (matrix[start : start + _ROWS_PER_CHUNK] @ matrix.T).toarray()  # type: ignore[index,attr-defined]
        for offset, row in enumerate(block):
            i = start + offset
            tail = 1.0 - row[i + 1 :]
            out[position : position + tail.size] = tail
            position += tail.size
    np.clip(out, 0.0, 2.0, out=out)
    return out


def agglomerative_clusterings(
    articles: Sequence[RawArticle], distances: Sequence[float]
) -> dict[float, dict[str, str]]:
    """Average-linkage clusterings cut at each distance (one linkage tree for all cuts)."""
    items = _with_ids(articles)
    if len(items) < 2:
        return {d: {str(a.ext_id): "a0" for a in items} for d in distances}
    tree = linkage(_condensed_cosine_distances(tfidf_vectors(items)), method="average")
    out: dict[float, dict[str, str]] = {}
    for distance in distances:
        labels = fcluster(tree, t=distance, criterion="distance")
        out[distance] = {str(a.ext_id): f"a{label}" for a, label in zip(items, labels, strict=True)}
    return out


def agglomerative_baseline(
    articles: Sequence[RawArticle], *, distance: float = AGGLOMERATIVE_DISTANCE
) -> dict[str, str]:
    """Cluster all articles at once, cut at ``distance``; input id -> cluster key."""
    return agglomerative_clusterings(articles, (distance,))[distance]


def single_pass_clusterings(
    articles: Sequence[RawArticle],
    thresholds: Sequence[float],
    *,
    window: timedelta | None = SINGLE_PASS_WINDOW,
) -> dict[float, dict[str, str]]:
    """Single-pass clusterings in date order, one per cosine threshold.

    The cosine of an article x (unit norm) to the centroid of cluster c is
    ``x.s_c / |s_c|`` with ``s_c`` the sum of c's members, so it is computed from the
    article-to-earlier-article similarities (a chunk of rows at a time) summed per
    cluster; ``|s_c|^2`` grows by ``2 x.s_c + 1`` when x joins. Articles without a date
    come first, and a cluster whose latest member is dateless is outside every dated
    article's window; ties keep input order.
    ``window=None`` lets every cluster grow forever.
    """
    items = _with_ids(articles)
    order = sorted(
        range(len(items)),
        key=lambda i: (items[i].date is not None, items[i].date or datetime.min),
    )
    items = [items[i] for i in order]
    n = len(items)
    if n == 0:
        return {t: {} for t in thresholds}
    matrix = tfidf_vectors(items)
    stamps = np.array(
        [a.date.timestamp() if a.date is not None else -np.inf for a in items], dtype=np.float64
    )
    span = window.total_seconds() if window is not None else np.inf
    labels = {t: np.full(n, -1, dtype=np.int64) for t in thresholds}
    norm2 = {t: np.zeros(n, dtype=np.float64) for t in thresholds}
    updated = {t: np.zeros(n, dtype=np.float64) for t in thresholds}
    count = dict.fromkeys(thresholds, 0)
    for start in range(0, n, _ROWS_PER_CHUNK):
        stop = min(start + _ROWS_PER_CHUNK, n)
        block = (matrix[start:stop] @ matrix[:stop].T).toarray()
        for offset, row in enumerate(block):
            i = start + offset
            now = stamps[i]
            for t in thresholds:
                lab, n2, upd, k = labels[t], norm2[t], updated[t], count[t]
                best = -1
                dots = np.zeros(0, dtype=np.float64)
                if k:
                    dots = np.bincount(lab[:i], weights=row[:i], minlength=k).astype(np.float64)
                    cosine = dots / np.sqrt(n2[:k])
                    if span != np.inf and now != -np.inf:
                        cosine[upd[:k] < now - span] = -1.0
                    best = int(np.argmax(cosine))
                    if cosine[best] < t:
                        best = -1
                if best < 0:
                    best = k
                    count[t] = k + 1
                    n2[best] = 1.0
                else:
                    n2[best] += 2.0 * dots[best] + 1.0
                lab[i] = best
                upd[best] = now  # date order: the latest member so far
    return {
        t: {str(a.ext_id): f"p{label}" for a, label in zip(items, labels[t], strict=True)}
        for t in thresholds
    }


def single_pass_baseline(
    articles: Sequence[RawArticle],
    *,
    threshold: float = SINGLE_PASS_THRESHOLD,
    window: timedelta | None = SINGLE_PASS_WINDOW,
) -> dict[str, str]:
    """Online single-pass centroid clustering in date order; input id -> cluster key."""
    return single_pass_clusterings(articles, (threshold,), window=window)[threshold]


def sweep(
    clusterings: Mapping[float, Mapping[str, str]],
    gold: Mapping[str, str],
    score: Callable[[Mapping[str, str], Mapping[str, str]], float],
) -> list[tuple[float, float]]:
    """(threshold, score) for each clustering, in threshold order."""
    return [(t, score(pred, gold)) for t, pred in sorted(clusterings.items())]
