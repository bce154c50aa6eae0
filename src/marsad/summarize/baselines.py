"""Baseline summarizers for evaluation, sharing candidates and credits with the main one.

Both return the same :class:`~marsad.summarize.extractive.Summary` as
:func:`~marsad.summarize.extractive.summarize`, with the same headline and the same outlet
credits per sentence, so an evaluation compares only which sentences are chosen.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np

from marsad.summarize.extractive import (
    SourceDoc,
    Summary,
    check_limits,
    fits,
    headline_of,
    prepare,
    to_sentences,
)
from marsad.summarize.pool import Pool

#: Classic LexRank settings (Erkan & Radev 2004): edges above this cosine, PageRank damping.
LEXRANK_EDGE_COSINE = 0.1
LEXRANK_DAMPING = 0.85
LEXRANK_ITERATIONS = 100
LEXRANK_TOLERANCE = 1e-8
#: LexRank's only redundancy control: skip a sentence this similar to a chosen one.
LEXRANK_REDUNDANT_COSINE = 0.5


def lead_summary(
    docs: Sequence[SourceDoc], *, max_sentences: int = 5, max_chars: int = 900
) -> Summary:
    """Summarise a story by the first sentences of one article.

    The article is the earliest dated one among the story's most central articles (those
    the pool keeps); when none is dated, the most central one.

    Args:
        docs: The story's articles, in any order.
        max_sentences: Most sentences in the summary.
        max_chars: Most characters of the sentences joined by single spaces.

    Returns:
        The summary, in article order.

    Raises:
        ValueError: If ``docs`` is empty or a limit is not positive.
    """
    check_limits(max_sentences, max_chars)
    pool = prepare(docs)
    chosen: list[int] = []
    lead_doc = _lead_doc(pool)
    if lead_doc is not None:
        for i, cand in enumerate(pool.candidates):
            if len(chosen) == max_sentences:
                break
            if cand.doc == lead_doc and cand.eligible and fits(pool, chosen, i, max_chars):
                chosen.append(i)
    return Summary(headline_of(pool), to_sentences(pool, chosen))


def _lead_doc(pool: Pool) -> int | None:
    """Index of the earliest (then most central) doc that has an eligible sentence."""
    with_sentences = sorted({c.doc for c in pool.candidates if c.eligible})
    if not with_sentences:
        return None

    def key(doc: int) -> tuple[bool, datetime, float, int]:
        when = pool.docs[doc].when
        centrality = -round(float(pool.doc_centrality[doc]), 12)
        return (when is None, when or datetime.min, centrality, doc)

    return min(with_sentences, key=key)


def lexrank_summary(
    docs: Sequence[SourceDoc], *, max_sentences: int = 5, max_chars: int = 900
) -> Summary:
    """Summarise a story by classic LexRank over its candidate sentences.

    Sentences are ranked by the stationary distribution of a random walk on the graph of
    sentence pairs whose TF-IDF cosine exceeds 0.1, then taken best first, skipping one
    whose cosine to a chosen sentence reaches 0.5; no position prior, no outlet support.

    Args:
        docs: The story's articles, in any order.
        max_sentences: Most sentences in the summary.
        max_chars: Most characters of the sentences joined by single spaces.

    Returns:
        The summary, in article date order, then position.

    Raises:
        ValueError: If ``docs`` is empty or a limit is not positive.
    """
    check_limits(max_sentences, max_chars)
    pool = prepare(docs)
    eligible = np.array([i for i, c in enumerate(pool.candidates) if c.eligible], dtype=np.int64)
    chosen: list[int] = []
    if eligible.size:
        ranks = lexrank_scores(pool.cosine[np.ix_(eligible, eligible)])
        # Stable sort on negated ranks: ties keep canonical order.
        for j in np.argsort(-ranks, kind="stable"):
            if len(chosen) == max_sentences:
                break
            i = int(eligible[j])
            if chosen and float(pool.cosine[i, chosen].max()) >= LEXRANK_REDUNDANT_COSINE:
                continue
            if fits(pool, chosen, i, max_chars):
                chosen.append(i)
    return Summary(headline_of(pool), to_sentences(pool, chosen))


def lexrank_scores(cosine: np.ndarray) -> np.ndarray:
    """Return LexRank scores of a cosine matrix (thresholded graph, damped power iteration).

    Args:
        cosine: Square, symmetric sentence-by-sentence cosine similarity.

    Returns:
        One score per sentence, summing to 1.
    """
    n = cosine.shape[0]
    adjacency = (cosine > LEXRANK_EDGE_COSINE).astype(np.float64)
    np.fill_diagonal(adjacency, 1.0)  # every sentence links to itself, so no row is empty
    transition = adjacency / adjacency.sum(axis=1, keepdims=True)
    ranks = np.full(n, 1.0 / n)
    teleport = (1.0 - LEXRANK_DAMPING) / n
    for _ in range(LEXRANK_ITERATIONS):
        updated = teleport + LEXRANK_DAMPING * (transition.T @ ranks)
        done = float(np.abs(updated - ranks).sum()) < LEXRANK_TOLERANCE
        ranks = updated
        if done:
            break
    return np.asarray(ranks / ranks.sum(), dtype=np.float64)
