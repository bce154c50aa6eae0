"""Reference systems that Marsad's story clustering is compared against.

``agglomerative_baseline``: the usual batch approach, TF-IDF over the same stems Marsad
uses, cosine distance, average-linkage agglomerative clustering cut at a distance
threshold. It sees the whole collection at once (no streaming, no time), and it is given
its best threshold on the gold set: an upper bound for that family, not a fair fight.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.feature_extraction.text import TfidfVectorizer

from marsad.models import RawArticle
from marsad.text import arabic

THRESHOLDS = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)  # cosine distances tried
_ROWS_PER_CHUNK = 1024  # rows of the similarity matrix computed at a time


def article_stems(article: RawArticle) -> list[str]:
    """Content stems of title (twice: titles carry the event) and body."""
    title = arabic.content_stems(arabic.tokenize(article.title))
    return title + title + arabic.content_stems(arabic.tokenize(article.text))


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


def agglomerative_baseline(
    articles: Sequence[RawArticle],
    gold: Mapping[str, str],
    score: Callable[[dict[str, str], Mapping[str, str]], float],
    *,
    thresholds: Sequence[float] = THRESHOLDS,
) -> tuple[dict[str, str], float]:
    """Cluster all articles at once; returns the best prediction and its distance threshold."""
    items = [a for a in articles if a.ext_id is not None]
    if len(items) < 2:
        return {str(a.ext_id): "a0" for a in items}, thresholds[0]
    vectorizer = TfidfVectorizer(analyzer=lambda stems: stems, sublinear_tf=True)
    matrix = vectorizer.fit_transform([article_stems(a) for a in items])
    tree = linkage(_condensed_cosine_distances(matrix), method="average")
    best: tuple[float, dict[str, str], float] = (-1.0, {}, thresholds[0])
    for threshold in thresholds:
        labels = fcluster(tree, t=threshold, criterion="distance")
        pred = {str(a.ext_id): f"a{label}" for a, label in zip(items, labels, strict=True)}
        value = score(pred, gold)
        if value > best[0]:
            best = (value, pred, threshold)
    return best[1], best[2]
