"""Claims only one outlet makes: sentences whose facts no other outlet's articles carry.

Fact alignment follows the summarizer's (:mod:`marsad.summarize.pool`): sentence B carries
sentence A's fact when the content stems they share hold most of A's IDF mass. A sentence is
also carried when another outlet's articles, taken whole, hold nearly all of its mass (the
fact is there, spread over several sentences).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from marsad.compare.facts import StoryDoc

#: Share of a sentence's IDF mass another sentence must hold to carry its fact.
SAME_FACT_CONTAINMENT = 0.55
#: ... sharing at least this many stems (or all of them, for a shorter sentence).
SAME_FACT_MIN_SHARED = 4
#: Share of a sentence's IDF mass that another outlet's whole articles must hold.
SPREAD_FACT_CONTAINMENT = 0.8
#: A claim states something: at least this many distinct content stems.
MIN_CLAIM_STEMS = 5
MAX_CLAIMS = 5
#: Weight of a sentence's position: news puts what matters first.
POSITION_DECAY = 0.1


@dataclass(frozen=True, slots=True, kw_only=True)
class Claim:
    """A sentence only one outlet reports; ``start``/``end`` index its article's body."""

    article: int
    outlet: str
    start: int
    end: int
    text: str
    score: float


@dataclass(frozen=True, slots=True)
class _Sentence:
    doc: int
    index: int


def _presence(rows: Sequence[frozenset[str]], vocabulary: dict[str, int]) -> sp.csr_matrix:
    indptr = [0]
    indices: list[int] = []
    for stems in rows:
        indices.extend(vocabulary[s] for s in stems)
        indptr.append(len(indices))
    data = np.ones(len(indices))
    return sp.csr_matrix((data, indices, indptr), shape=(len(rows), len(vocabulary)))


def unique_claims(docs: Sequence[StoryDoc]) -> dict[str, list[Claim]]:
    """Up to :data:`MAX_CLAIMS` claims per outlet that no other outlet carries.

    Args:
        docs: the story's distinct texts (copies merged into their original's ``outlets``).

    Returns:
        outlet -> claims, best first; empty when the story has a single outlet.
    """
    outlets = sorted(set().union(*(d.outlets for d in docs))) if docs else []
    if len(outlets) < 2:
        return {outlet: [] for outlet in outlets}
    sentences = [
        _Sentence(d, k) for d, doc in enumerate(docs) for k in range(len(doc.facts.sentences))
    ]
    stem_sets = [docs[s.doc].facts.sentence_stems[s.index] for s in sentences]
    vocabulary: dict[str, int] = {}
    for stems in stem_sets:
        for stem in stems:
            vocabulary.setdefault(stem, len(vocabulary))
    if not vocabulary:
        return {outlet: [] for outlet in outlets}
    present = _presence(stem_sets, vocabulary)
    df = np.asarray(present.sum(axis=0)).ravel()
    idf = np.log1p(len(sentences) / df)
    weighted = sp.csr_matrix(present.multiply(idf[np.newaxis, :]))
    own_mass = np.asarray(weighted.sum(axis=1)).ravel()
    sizes = np.array([len(s) for s in stem_sets])

    outlet_index = {o: k for k, o in enumerate(outlets)}
    doc_outlets = np.zeros((len(docs), len(outlets)), dtype=np.bool_)
    for d, doc in enumerate(docs):
        for outlet in doc.outlets:
            doc_outlets[d, outlet_index[outlet]] = True
    sentence_doc = np.array([s.doc for s in sentences])

    # Sentence-level alignment: best containment of each sentence by each outlet's sentences.
    shared_mass = sp.coo_matrix(weighted @ present.T)
    shared_count = sp.csr_matrix(present @ present.T)
    rows, cols, mass = shared_mass.row, shared_mass.col, shared_mass.data
    containment = mass / np.where(own_mass[rows] > 0, own_mass[rows], np.inf)
    counts = np.asarray(shared_count[rows, cols]).ravel()
    enough = counts >= np.minimum(SAME_FACT_MIN_SHARED, sizes[rows])
    best_by_outlet = np.zeros((len(sentences), len(outlets)))
    for k in range(len(outlets)):
        by_k = doc_outlets[sentence_doc[cols], k] & enough
        np.maximum.at(best_by_outlet[:, k], rows[by_k], containment[by_k])

    # Document-level alignment: the outlet's whole texts hold the sentence's stems.
    outlet_rows = [
        frozenset(
            stem
            for d in np.flatnonzero(doc_outlets[:, k])
            for stem in docs[int(d)].facts.stems
            if stem in vocabulary
        )
        for k in range(len(outlets))
    ]
    outlet_mass = np.asarray((weighted @ _presence(outlet_rows, vocabulary).T).todense())
    outlet_mass /= np.where(own_mass > 0, own_mass, np.inf)[:, np.newaxis]

    carried = (best_by_outlet >= SAME_FACT_CONTAINMENT) | (outlet_mass >= SPREAD_FACT_CONTAINMENT)
    claims: dict[str, list[Claim]] = {outlet: [] for outlet in outlets}
    for outlet in outlets:
        k = outlet_index[outlet]
        others = np.ones(len(outlets), dtype=np.bool_)
        others[k] = False
        mine = doc_outlets[sentence_doc, k] & (doc_outlets[sentence_doc].sum(axis=1) == 1)
        candidates = np.flatnonzero(
            mine & (sizes >= MIN_CLAIM_STEMS) & ~carried[:, others].any(axis=1)
        )
        best_other = np.maximum(best_by_outlet[:, others].max(axis=1), 0.0)
        scored = sorted(
            (
                own_mass[i] * (1.0 - best_other[i]) / (1.0 + POSITION_DECAY * sentences[i].index),
                int(i),
            )
            for i in candidates
        )
        chosen: list[int] = []
        for score, i in reversed(scored):
            if any(_repeats(stem_sets[i], stem_sets[j]) for j in chosen):
                continue  # the outlet's own update repeating the claim
            chosen.append(i)
            doc = docs[sentences[i].doc]
            start, end = doc.facts.sentences[sentences[i].index]
            claims[outlet].append(
                Claim(
                    article=doc.article,
                    outlet=outlet,
                    start=start,
                    end=end,
                    text=doc.body[start:end],
                    score=round(float(score), 3),
                )
            )
            if len(chosen) == MAX_CLAIMS:
                break
    return claims


def _repeats(a: frozenset[str], b: frozenset[str]) -> bool:
    return len(a & b) >= SAME_FACT_CONTAINMENT * min(len(a), len(b))
