"""Multi-document extractive story summary with outlet credits.

Each candidate sentence (lead sentences of the story's most central articles) is scored by

* centrality: cosine of its TF-IDF vector to the story centroid, i.e. how much it shares
  with everything the story's outlets wrote;
* position: news puts the essential facts first, so earlier sentences get a prior;
* support: how many distinct outlets carry the same fact (sentence alignment by stem-set
  containment, plus outlets that carried a copy of the article).

Short, subject-less ("وأضاف أن ...") and unpunctuated sentences are scored down. Sentences
are then picked greedily by maximal marginal relevance (MMR) within ``max_sentences`` and
``max_chars``, never taking one that states a chosen fact again or whose words are mostly
in the summary already, and shown in article date order, then position.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from marsad.summarize.pool import LeadSentence, Pool, build_pool, canonical_docs
from marsad.summarize.vectors import Matrix, centroid_cosine, smoothed_idf, term_counts, tfidf
from marsad.text.arabic import sentence_spans

#: Weights of the three signals (they sum to 1); the sum is then scaled by informativeness
#: and reduced by the penalties below.
CENTRALITY_WEIGHT = 0.45
POSITION_WEIGHT = 0.25
SUPPORT_WEIGHT = 0.30
#: Subtracted from the score of a sentence whose speaker is named only before it, and of
#: one without final punctuation (mostly captions, tag lists and cut lines).
DANGLING_PENALTY = 0.15
UNTERMINATED_PENALTY = 0.15
#: Sentences with fewer content stems say little; their score shrinks in proportion, down
#: to half for the shortest, so generic one-liners that every outlet shares do not win.
INFORMATIVE_STEMS = 15
#: MMR trade-off between a sentence's own score and its similarity to what is chosen.
MMR_LAMBDA = 0.7
#: A sentence scoring below this share of the first pick's score is never added.
MIN_RELATIVE_SCORE = 0.25
# Share of the best score added to a sentence that credits an outlet the summary has not
# credited yet: a story's summary should carry what each outlet adds, not one outlet's lead.
NEW_OUTLET_BONUS = 0.15
#: A sentence whose stems not yet in the summary hold less than this share of its IDF
#: mass adds too little to be worth its length.
MIN_NOVELTY = 0.4
#: Above this cosine a sentence repeats a chosen one even when alignment missed it.
REDUNDANT_COSINE = 0.5
HEADLINE_MAX_CHARS = 120
ELLIPSIS = "…"
#: Titles with fewer content stems are labels ("عاجل", outlet names), poor headlines.
MIN_TITLE_STEMS = 2


@dataclass(frozen=True)
class SourceDoc:
    """One article of a story, as the summarizer sees it.

    Attributes:
        key: Article id.
        source: Outlet that published it.
        when: Publication time (naive UTC), if known.
        title: Article title; may be empty.
        text: DISPLAY body with boilerplate removed.
        also_sources: Outlets that carried an exact or near-duplicate copy; they are
            credited for every sentence of this article.
        lead: Its lead sentences when ingest analysed them already (else analysed here).
    """

    key: int
    source: str
    when: datetime | None
    title: str
    text: str
    also_sources: tuple[str, ...] = ()
    lead: tuple[LeadSentence, ...] | None = None


@dataclass(frozen=True)
class SummarySentence:
    """A summary sentence, located in its article, with the outlets carrying its fact.

    Attributes:
        text: Original spelling, exactly ``text[start:end]`` of the article.
        article: Key of the article the sentence is taken from.
        start: Offset of the sentence in the article body.
        end: End offset (exclusive).
        sources: Every outlet whose articles carry the same fact, sorted and unique.
    """

    text: str
    article: int
    start: int
    end: int
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Summary:
    """A story summary: a headline and a few sentences in reading order."""

    headline: str
    sentences: tuple[SummarySentence, ...]

    def to_json(self, *, offsets: Mapping[int, int] | None = None) -> dict[str, Any]:
        """The stored and served form (CLI ``--json``, API).

        Args:
            offsets: per article, added to sentence offsets when the summarized texts were
                passages starting at that offset in the article body.
        """
        shift = offsets or {}
        return {
            "headline": self.headline,
            "sentences": [
                {
                    "text": s.text,
                    "article": s.article,
                    "start": s.start + shift.get(s.article, 0),
                    "end": s.end + shift.get(s.article, 0),
                    "sources": list(s.sources),
                }
                for s in self.sentences
            ],
        }


def summarize(
    docs: Sequence[SourceDoc], *, max_sentences: int = 5, max_chars: int = 900
) -> Summary:
    """Summarise a story's articles into a headline and a few credited sentences.

    Args:
        docs: The story's articles, in any order (the result does not depend on it).
        max_sentences: Most sentences in the summary.
        max_chars: Most characters of the sentences joined by single spaces.

    Returns:
        The summary; it has no sentences when no body has a usable sentence.

    Raises:
        ValueError: If ``docs`` is empty or a limit is not positive.
    """
    check_limits(max_sentences, max_chars)
    pool = prepare(docs)
    chosen = select_mmr(pool, sentence_scores(pool), max_sentences, max_chars)
    return Summary(headline_of(pool), to_sentences(pool, chosen))


def lead_of(doc: SourceDoc, *, max_sentences: int = 5, max_chars: int = 900) -> Summary:
    """Summarise one text by its first sentences, headed by the first one, cut.

    Far cheaper than :func:`summarize` (no pool, no vectors): for a story known from a
    single roundup passage, which has no other source to weigh it against.
    """
    check_limits(max_sentences, max_chars)
    chosen: list[SummarySentence] = []
    used = 0
    for start, end in sentence_spans(doc.text):
        used += end - start + (1 if chosen else 0)
        if len(chosen) == max_sentences or (chosen and used > max_chars):
            break
        chosen.append(SummarySentence(doc.text[start:end], doc.key, start, end, (doc.source,)))
    title = cut_at_word(chosen[0].text, HEADLINE_MAX_CHARS) if chosen else ""
    return Summary(title, tuple(chosen))


def headline(docs: Sequence[SourceDoc]) -> str:
    """Choose a story headline: the most central title, else a cut lead sentence.

    Args:
        docs: The story's articles, in any order.

    Returns:
        The title closest to both the story's content and the other titles; when no
        article has a title, the first sentence of the most central article cut at a word
        boundary to at most 120 characters. Empty when there is no text at all.

    Raises:
        ValueError: If ``docs`` is empty.
    """
    return headline_of(prepare(docs))


def check_limits(max_sentences: int, max_chars: int) -> None:
    """Raise ``ValueError`` unless both summary limits are positive."""
    if max_sentences < 1 or max_chars < 1:
        raise ValueError(
            f"max_sentences and max_chars must be positive, got {max_sentences} and {max_chars}"
        )


def prepare(docs: Sequence[SourceDoc]) -> Pool:
    """Build the candidate pool from the docs put in canonical order.

    Raises:
        ValueError: If ``docs`` is empty.
    """
    if not docs:
        raise ValueError("cannot summarize a story with no articles: docs is empty")
    canonical = canonical_docs(
        [d.key for d in docs],
        [d.source for d in docs],
        [d.also_sources for d in docs],
        [d.when for d in docs],
        [d.title for d in docs],
        [d.text for d in docs],
        [d.lead for d in docs],
    )
    return build_pool(canonical)


def sentence_scores(pool: Pool) -> np.ndarray:
    """Combine centrality, position prior and outlet support into one score per candidate."""
    if not pool.candidates:
        return np.zeros(0)
    centrality = np.clip(centroid_cosine(pool.vectors), 0.0, None)
    top = float(centrality.max())
    if top > 0.0:
        centrality = centrality / top
    positions = np.array([c.position for c in pool.candidates], dtype=np.float64)
    position_prior = 1.0 / np.sqrt(1.0 + positions)
    support = pool.support().astype(np.float64) / max(len(pool.outlets), 1)
    dangling = np.array([c.lead.dangling for c in pool.candidates], dtype=np.float64)
    unterminated = np.array([c.lead.unterminated for c in pool.candidates], dtype=np.float64)
    stems = np.array([len(set(c.lead.stems)) for c in pool.candidates], dtype=np.float64)
    informativeness = 0.5 + 0.5 * np.minimum(stems / INFORMATIVE_STEMS, 1.0)
    merit = (
        CENTRALITY_WEIGHT * centrality + POSITION_WEIGHT * position_prior + SUPPORT_WEIGHT * support
    )
    return np.asarray(
        merit * informativeness - DANGLING_PENALTY * dangling - UNTERMINATED_PENALTY * unterminated,
        dtype=np.float64,
    )


def fits(pool: Pool, chosen: list[int], candidate: int, max_chars: int) -> bool:
    """Tell whether adding ``candidate`` keeps the space-joined length within budget."""
    used = sum(len(pool.text_of(i)) + 1 for i in chosen)
    return used + len(pool.text_of(candidate)) <= max_chars


def select_mmr(pool: Pool, scores: np.ndarray, max_sentences: int, max_chars: int) -> list[int]:
    """Pick sentences greedily by MMR within the limits, never repeating a chosen fact.

    A sentence is out once it states the same fact as a chosen one, is too similar to one,
    or would add too little: most of its IDF mass is already in the summary.
    """
    open_ = np.array([c.eligible for c in pool.candidates], dtype=np.bool_)
    lengths = np.array([c.end - c.start for c in pool.candidates])
    same_fact = pool.same_fact()
    own_mass = np.asarray(pool.present @ pool.idf, dtype=np.float64).ravel()
    own_mass[own_mass == 0.0] = np.inf
    unsaid = pool.idf.copy()  # IDF of stems the summary does not contain yet, else 0
    redundancy = np.zeros(len(pool.candidates))  # max cosine to any chosen sentence
    chosen: list[int] = []
    outlets = [frozenset(pool.outlets_of(i)) for i in range(len(pool.candidates))]
    credited: set[str] = set()
    bonus = NEW_OUTLET_BONUS * float(scores.max(initial=0.0))
    used = -1  # joined length so far; the first sentence needs no separating space
    while open_.any() and len(chosen) < max_sentences:
        open_ &= used + 1 + lengths <= max_chars
        if not open_.any():
            break
        new_outlet = np.array([not (o <= credited) for o in outlets], dtype=np.float64)
        value = MMR_LAMBDA * scores - (1.0 - MMR_LAMBDA) * redundancy + bonus * new_outlet
        # argmax returns the first maximum: ties go to canonical order, keeping results stable.
        pick = int(np.argmax(np.where(open_, value, -np.inf)))
        if chosen and scores[pick] < MIN_RELATIVE_SCORE * scores[chosen[0]]:
            break  # only filler is left, typically short captions fitting the leftover room
        chosen.append(pick)
        credited |= outlets[pick]
        used += 1 + int(lengths[pick])
        redundancy = np.maximum(redundancy, pool.cosine[pick])
        unsaid[_row_columns(pool.present, pick)] = 0.0
        novelty = np.asarray(pool.present @ unsaid, dtype=np.float64).ravel() / own_mass
        open_ &= (
            ~same_fact[pick] & (pool.cosine[pick] < REDUNDANT_COSINE) & (novelty >= MIN_NOVELTY)
        )
    return chosen


def _row_columns(matrix: Matrix, row: int) -> np.ndarray:
    """Column indices of the non-zero entries of one row."""
    if isinstance(matrix, np.ndarray):
        return np.flatnonzero(matrix[row])
    return np.asarray(matrix.indices[matrix.indptr[row] : matrix.indptr[row + 1]])


def reading_order(pool: Pool, chosen: list[int]) -> list[int]:
    """Order chosen candidates by article date (undated last), article, then position."""

    def key(i: int) -> tuple[bool, datetime, int, int]:
        cand = pool.candidates[i]
        when = pool.docs[cand.doc].when
        return (when is None, when or datetime.min, cand.doc, cand.start)

    return sorted(chosen, key=key)


def to_sentences(pool: Pool, chosen: list[int]) -> tuple[SummarySentence, ...]:
    """Turn chosen candidates into credited summary sentences in reading order."""
    out: list[SummarySentence] = []
    for i in reading_order(pool, chosen):
        cand = pool.candidates[i]
        out.append(
            SummarySentence(
                text=pool.text_of(i),
                article=pool.docs[cand.doc].key,
                start=cand.start,
                end=cand.end,
                sources=pool.outlets_of(i),
            )
        )
    return tuple(out)


def headline_of(pool: Pool) -> str:
    """Return the most central title, or the cut lead sentence of the most central doc."""
    titled = [i for i, doc in enumerate(pool.docs) if doc.title]
    if titled:
        return pool.docs[_most_central_title(pool, titled)].title
    if not pool.candidates:
        return ""
    lead = min(
        range(len(pool.candidates)),
        key=lambda i: (
            -round(float(pool.doc_centrality[pool.candidates[i].doc]), 12),
            pool.candidates[i].doc,
            not pool.candidates[i].eligible,
            pool.candidates[i].position,
        ),
    )
    return cut_at_word(pool.text_of(lead), HEADLINE_MAX_CHARS)


def _most_central_title(pool: Pool, titled: list[int]) -> int:
    """Index of the title closest to the story's docs and to the other titles."""
    informative = [i for i in titled if len(set(pool.title_bags[i])) >= MIN_TITLE_STEMS]
    contenders = informative or titled
    if len(contenders) == 1:
        return contenders[0]
    counts = term_counts(pool.doc_bags + [pool.title_bags[i] for i in contenders])
    vectors = tfidf(counts, smoothed_idf(counts))
    docs_part = vectors[: len(pool.docs)]
    titles_part = vectors[len(pool.docs) :]
    doc_centroid = np.asarray(docs_part.sum(axis=0)).ravel()
    norm = float(np.linalg.norm(doc_centroid))
    to_docs = np.asarray(titles_part @ (doc_centroid / norm)).ravel() if norm else 0.0
    scores = to_docs + centroid_cosine(titles_part)
    best = max(range(len(contenders)), key=lambda j: (round(float(scores[j]), 12), -j))
    return contenders[best]


def cut_at_word(text: str, limit: int) -> str:
    """Cut ``text`` at a word boundary so that it, with an ellipsis, fits in ``limit``."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    room = text[: limit - len(ELLIPSIS) + 1]
    cut = room.rfind(" ")
    head = room[:cut] if cut > 0 else room[: limit - len(ELLIPSIS)]
    return head.rstrip(" ،,:;-") + ELLIPSIS
