"""Reference systems that Marsad's story clustering is compared against.

``agglomerative_baseline``: the usual batch approach, TF-IDF over the same stems Marsad
uses, cosine distance, average-linkage agglomerative clustering cut at a distance
threshold. It sees the whole collection at once (no streaming, no time), and it is given
its best threshold on the gold set: an upper bound for that family, not a fair fight.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from marsad.models import RawArticle
from marsad.text import arabic

THRESHOLDS = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9)  # cosine distances tried


def article_stems(article: RawArticle) -> list[str]:
    """Content stems of title (twice: titles carry the event) and body."""
    title = arabic.content_stems(arabic.tokenize(article.title))
    return title + title + arabic.content_stems(arabic.tokenize(article.text))


def agglomerative_baseline(
    articles: Sequence[RawArticle],
    gold: Mapping[str, str],
    score: Callable[[dict[str, str], Mapping[str, str]], float],
    *,
    thresholds: Sequence[float] = THRESHOLDS,
) -> tuple[dict[str, str], float]:
    """Cluster all articles at once; returns the best prediction and its distance threshold."""
    items = [a for a in articles if a.ext_id is not None]
    vectorizer = TfidfVectorizer(analyzer=lambda stems: stems, min_df=1, sublinear_tf=True)
    matrix = vectorizer.fit_transform([article_stems(a) for a in items])
    # Rows are L2-normalised, so 1 - X.X^T is the cosine distance; n x n stays small for a
    # gold pool of a few thousand articles where n x vocabulary would not.
    distances = 1.0 - (matrix @ matrix.T).toarray().astype(np.float32)
    np.clip(distances, 0.0, 2.0, out=distances)
    best: tuple[float, dict[str, str], float] = (-1.0, {}, thresholds[0])
    for threshold in thresholds:
        model = AgglomerativeClustering(
            n_clusters=None,
            metric="precomputed",
            linkage="average",
            distance_threshold=threshold,
        )
        labels = model.fit_predict(distances)
        pred = {str(a.ext_id): f"a{label}" for a, label in zip(items, labels, strict=True)}
        value = score(pred, gold)
        if value > best[0]:
            best = (value, pred, threshold)
    return best[1], best[2]
