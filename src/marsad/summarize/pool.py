"""Candidate sentences of a story, their TF-IDF vectors and cross-outlet alignment.

Shared by the summarizer (:mod:`marsad.summarize.extractive`) and the evaluation
baselines (:mod:`marsad.summarize.baselines`) so that every method chooses from the same
candidates and credits outlets the same way; only the selection differs.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from operator import attrgetter

import numpy as np
import numpy.typing as npt

from marsad.models import Token
from marsad.summarize.vectors import (
    FloatArray,
    Matrix,
    centroid_cosine,
    gram,
    presence,
    smoothed_idf,
    term_counts,
    tfidf,
    weigh,
)
from marsad.text.arabic import content_stems, is_stopword, sentence_spans, tokenize

BoolArray = npt.NDArray[np.bool_]

#: Work bound for huge stories: only the most central articles and their lead sentences
#: compete; news puts what matters first, so little is lost.
MAX_ARTICLES = 40
LEAD_SENTENCES = 8
#: Generous sentence length used to find where the lead ends without splitting everything.
LEAD_CHARS_PER_SENTENCE = 400
#: Distinct article bodies whose analysis is kept between calls: a story summarized again
#: after days of growth needs its first members' leads (the analyses are kept, not bodies).
ANALYSIS_CACHE_SIZE = 32_768
#: Sentences outside this word range are fragments or run-on paragraphs, poor summary units.
MIN_WORDS = 6
MAX_WORDS = 70
#: ... and one with fewer distinct content stems is a caption or a line of names
#: ("الأمير محمد بن سلمان خلال الاجتماع.").
MIN_CONTENT_STEMS = 6
#: Sentence B carries the fact of sentence A when the stems they share hold at least this
#: share of A's IDF mass (weighted containment): rewordings across outlets keep the rare
#: words (names, places, numbers) and vary the common ones.
#: Checked by hand on 80 cross-outlet SaudiNewsNet pairs drawn from the doubtful zone
#: (containment 0.3-0.9): 85% of the pairs these three settings align state the same fact,
#: and they find 78% of those that do; without the compound rule recall drops to 69%.
SAME_FACT_CONTAINMENT = 0.55
#: ... or B is contained in A that way and holds at least this share of A's mass.
PART_OF_COMPOUND = 0.4
#: ... and they share at least this many content stems, so lines of names and titles
#: ("نحن سلمان بن عبدالعزيز آل سعود") do not align with every sentence naming the same people.
SAME_FACT_MIN_SHARED = 6

# A dateline opening a lead sentence: a place of up to three words, then a dash or an
# agency in parentheses ("الرياض - واس -", "جدة (واس) -"), optionally followed by an agency
# and a dash. A bare "place:" is left alone because "قال الوزير: ..." looks the same.
_DASH = "[-–—]+"
_WORD = r"[^\s\-–—:()\[\]،,.]+"
_PLACE = rf"(?:{_WORD}\s+){{0,2}}{_WORD}\s*"
_AGENCY_PAREN = rf"\(\s*(?:{_WORD}\s*){{1,4}}\)\s*(?:{_DASH}|:)"
_AGENCY_DASH = rf"(?:{_WORD}\s*){{1,2}}{_DASH}"
_DATELINE_PREFIX = re.compile(
    rf"\s*{_PLACE}(?:{_AGENCY_PAREN}|{_DASH})\s*(?:(?:{_AGENCY_PAREN}|{_AGENCY_DASH})\s*)?"
)
# A sentence that only credits people ("كتب: فلان", "تصوير: ...", "بقلم ...").
_BYLINE = re.compile(r"^\s*[(\[]?\s*(?:كتب|كتبت|بقلم|تصوير|متابعة|إعداد|اعداد|تحرير|حرر|ترجمة)\b")
_BYLINE_MAX_WORDS = 10
# MATCH forms (folded, proclitics removed) of verbs that introduce reported speech.
# fmt: off
_REPORTING_VERBS = frozenset({
    "اضاف", "اضافت", "تابع", "تابعت", "اوضح", "اوضحت", "اشار", "اشارت",
    "بين", "بينت", "قال", "قالت", "اكد", "اكدت", "لفت", "لفتت",
    "شدد", "شددت", "نوه", "نوهت", "اعتبر", "اعتبرت", "راي", "رات",
    "ذكر", "ذكرت", "اعلن", "اعلنت", "كشف", "كشفت",
})
# fmt: on
# What may end a finished sentence: terminators, or closing quotes and brackets after them.
_FINAL_PUNCTUATION = frozenset(".!?؟؛…»\"”')")
# "نصه" / "نصها" (its text) and "يلي" (what follows) introduce a statement quoted in full.
_ANNOUNCING = frozenset(("نصه", "نصها", "يلي"))


@dataclass(frozen=True, slots=True)
class PoolDoc:
    """A story article in canonical order, with what the pool needs of it."""

    key: int
    outlets: frozenset[str]  # its own outlet plus outlets that carried a copy
    when: datetime | None
    title: str
    text: str
    lead: tuple[LeadSentence, ...] | None = None  # its lead sentences, when analysed already


@dataclass(frozen=True, slots=True)
class LeadSentence:
    """One lead sentence of an article body, analysed once per distinct body."""

    position: int  # index of the sentence in its article (0 = lead)
    start: int
    end: int
    stems: tuple[str, ...]  # content stems, plus numbers as "#120"
    # A usable summary sentence: length, not a byline, a quote fragment or a preamble.
    eligible: bool
    dangling: bool  # reports speech of a subject named only in an earlier sentence
    unterminated: bool  # no final punctuation: often a caption, tag list or cut line


def leads_to_json(leads: Sequence[LeadSentence]) -> str:
    """An article's lead analysis as compact JSON, for a writer that summarizes later
    elsewhere (a backfill block's leads travel to the summary tasks through the store)."""
    return json.dumps(
        [
            [s.position, s.start, s.end, s.eligible, s.dangling, s.unterminated, s.stems]
            for s in leads
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def leads_from_json(text: str) -> tuple[LeadSentence, ...]:
    """The lead analysis :func:`leads_to_json` wrote, exactly."""
    return tuple(
        LeadSentence(
            position=position,
            start=start,
            end=end,
            stems=tuple(stems),
            eligible=eligible,
            dangling=dangling,
            unterminated=unterminated,
        )
        for position, start, end, eligible, dangling, unterminated, stems in json.loads(text)
    )


@dataclass(frozen=True, slots=True)
class Candidate:
    """A lead sentence of one of the story's articles; it may enter a summary."""

    doc: int  # index into Pool.docs
    lead: LeadSentence

    @property
    def position(self) -> int:
        """Index of the sentence in its article (0 = lead)."""
        return self.lead.position

    @property
    def start(self) -> int:
        """Offset of the sentence in its article body."""
        return self.lead.start

    @property
    def end(self) -> int:
        """End offset (exclusive) of the sentence in its article body."""
        return self.lead.end

    @property
    def eligible(self) -> bool:
        """Whether the sentence may enter a summary at all."""
        return self.lead.eligible


@dataclass(frozen=True, slots=True)
class Pool:
    """All candidate sentences of a story with their vectors and same-fact relations.

    Attributes:
        docs: The story's articles in canonical order (by key).
        candidates: Lead sentences of the most central articles.
        vectors: L2-normalised TF-IDF rows, one per candidate.
        present: 0/1 rows: which stems each candidate contains.
        idf: Smoothed IDF of each stem column over the candidates.
        cosine: Dense candidate-by-candidate cosine similarity.
        covers: ``covers[i, j]`` when sentence ``j`` carries the fact of sentence ``i``
            (reflexive, not symmetric: a long sentence may carry a short one's fact).
        outlets: Sorted names of every outlet in the story.
        carried_by: ``carried_by[i, k]`` when outlet ``k`` carries the fact of sentence ``i``.
        doc_centrality: Cosine of each doc's vector to the story centroid.
        doc_bags: Content stems of each doc's title and lead, for headline choice.
        title_bags: Content stems of each doc's title.
    """

    docs: list[PoolDoc]
    candidates: list[Candidate]
    vectors: Matrix
    present: Matrix
    idf: FloatArray
    cosine: FloatArray
    covers: BoolArray
    outlets: tuple[str, ...]
    carried_by: BoolArray
    doc_centrality: FloatArray
    doc_bags: list[list[str]]
    title_bags: list[list[str]]

    def text_of(self, index: int) -> str:
        """Return the original text of candidate ``index``."""
        cand = self.candidates[index]
        return self.docs[cand.doc].text[cand.start : cand.end]

    def outlets_of(self, index: int) -> tuple[str, ...]:
        """Return every outlet carrying the fact of candidate ``index``, sorted and unique."""
        return tuple(self.outlets[k] for k in np.flatnonzero(self.carried_by[index]))

    def support(self) -> npt.NDArray[np.int64]:
        """Return, per candidate, how many distinct outlets carry its fact."""
        return np.asarray(self.carried_by.sum(axis=1), dtype=np.int64)

    def same_fact(self) -> BoolArray:
        """Return the symmetric relation: either sentence carries the other's fact."""
        return np.asarray(self.covers | self.covers.T, dtype=np.bool_)


def canonical_docs(
    keys: Sequence[int],
    sources: Sequence[str],
    also: Sequence[tuple[str, ...]],
    whens: Sequence[datetime | None],
    titles: Sequence[str],
    texts: Sequence[str],
    leads: Sequence[tuple[LeadSentence, ...] | None],
) -> list[PoolDoc]:
    """Build pool docs sorted by (key, outlet, text) so input order cannot change results."""
    docs = [
        PoolDoc(key, frozenset((src, *extra)), when, title.strip(), text, lead)
        for key, src, extra, when, title, text, lead in zip(
            keys, sources, also, whens, titles, texts, leads, strict=True
        )
    ]
    docs.sort(key=lambda d: (d.key, tuple(sorted(d.outlets)), d.text, d.title))
    return docs


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` to exclude surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def strip_dateline(text: str, start: int, end: int) -> int:
    """Return the start of a lead sentence after any dateline prefix ("الرياض - واس -")."""
    match = _DATELINE_PREFIX.match(text, start, end)
    if match is None or match.end() >= end:
        return start
    return match.end()


def is_byline(sentence: str, words: int) -> bool:
    """Tell whether a short sentence only credits a writer or photographer."""
    return words <= _BYLINE_MAX_WORDS and _BYLINE.match(sentence) is not None


def is_fragment(sentence: str) -> bool:
    """Tell whether a sentence opens or closes a quote or bracket it does not contain.

    Such sentences are pieces of a quotation cut by the sentence splitter and read badly
    out of context.
    """
    return (
        sentence.count("«") != sentence.count("»")
        or sentence.count("(") != sentence.count(")")
        or sentence.count('"') % 2 == 1
    )


def number_stems(tokens: list[Token]) -> list[str]:
    """Numbers of a sentence as pseudo-stems ("#120"): counts and dates pin facts down."""
    return [f"#{tok.text}" for tok in tokens if tok.text[:1].isdigit()]


def starts_without_subject(text: str, tokens: list[Token]) -> bool:
    """Tell whether a sentence opens with a reporting verb and no subject ("وأضاف أن ...").

    Out of its article such a sentence does not say who is speaking.
    """
    if len(tokens) < 2 or tokens[0].text not in _REPORTING_VERBS:
        return False
    # A named subject follows the verb directly ("وقال الوزير"); a particle or preposition
    # there ("وقال إن", "وقال في بيان") means the subject was named earlier.
    after_verb = text[tokens[0].end : tokens[1].start]
    return ":" in after_verb or is_stopword(tokens[1].text)


def announces_text(sentence: str, tokens: list[Token]) -> bool:
    """Tell whether a sentence only introduces a text that follows ("فيما يلي نصه:")."""
    return sentence.rstrip().endswith(":") or any(tok.text in _ANNOUNCING for tok in tokens)


def _lead_lines(text: str, limit: int) -> str:
    """Return a prefix of whole lines long enough to hold ``limit`` sentences, or all text.

    Sentences never cross a line break, so splitting the prefix gives the same first
    sentences as splitting the whole body, for a fraction of the work on long articles.
    """
    cut = text.find("\n", limit * LEAD_CHARS_PER_SENTENCE)
    return text if cut < 0 else text[:cut]


def _lead_spans(text: str, limit: int) -> list[tuple[int, int, int]]:
    """Return up to ``limit`` trimmed, non-empty sentence spans as (position, start, end)."""
    spans: list[tuple[int, int, int]] = []
    for position, (raw_start, raw_end) in enumerate(sentence_spans(_lead_lines(text, limit))):
        start, end = trim_span(text, raw_start, raw_end)
        if start >= end:
            continue
        if not spans:
            start = strip_dateline(text, start, end)
        spans.append((position, start, end))
        if len(spans) >= limit:
            break
    return spans


_token_start = attrgetter("start")


def lead_analysis(text: str, tokens: Sequence[Token] | None = None) -> tuple[LeadSentence, ...]:
    """Split, tokenise and filter the first sentences of an article body.

    Ingest analyses each new body once, with the tokens it has, and the analysis travels
    with the article (:attr:`SourceDoc.lead`) to the summarizer.
    """
    spans = _lead_spans(text, LEAD_SENTENCES)
    # Tokenise only the lead: offsets stay valid because the prefix starts at 0.
    lead_end = spans[-1][2] if spans else 0
    if tokens is None:
        tokens = tokenize(text[:lead_end])
    else:
        tokens = list(tokens[: bisect_left(tokens, lead_end, key=_token_start)])
    token_starts = [tok.start for tok in tokens]
    out: list[LeadSentence] = []
    for position, start, end in spans:
        lo = bisect_left(token_starts, start)
        hi = bisect_left(token_starts, end, lo)
        words = hi - lo
        in_span = tokens[lo:hi]
        stems = (*content_stems(in_span), *number_stems(in_span))
        sentence = text[start:end]
        eligible = (
            MIN_WORDS <= words <= MAX_WORDS
            and len(set(stems)) >= MIN_CONTENT_STEMS
            and not is_byline(sentence, words)
            and not is_fragment(sentence)
            and not announces_text(sentence, in_span)
        )
        out.append(
            LeadSentence(
                position=position,
                start=start,
                end=end,
                stems=stems,
                eligible=eligible,
                dangling=starts_without_subject(text, in_span),
                unterminated=sentence[-1] not in _FINAL_PUNCTUATION,
            )
        )
    return tuple(out)


@lru_cache(maxsize=ANALYSIS_CACHE_SIZE)
def title_stems(title: str) -> tuple[str, ...]:
    """Content stems of a title (cached: a story is re-summarized as it grows)."""
    return tuple(content_stems(tokenize(title)))


def _covers(present: Matrix, idf: FloatArray) -> BoolArray:
    """Return ``covers[i, j]``: sentence ``j`` holds most of sentence ``i``'s IDF mass."""
    shared_mass = gram(weigh(present, idf, sublinear=False), present)
    shared_count = gram(present, present)
    own_mass = np.diag(shared_mass).copy()
    own_mass[own_mass == 0.0] = np.inf  # a sentence without stems carries no fact
    containment = shared_mass / own_mass[:, np.newaxis]  # share of i's mass found in j
    # j carries i's fact when it holds most of i, or when i holds most of j and j is a
    # sizeable part of i (a compound sentence whose main clause another outlet wrote alone).
    holds = (containment >= SAME_FACT_CONTAINMENT) | (
        (containment.T >= SAME_FACT_CONTAINMENT) & (containment >= PART_OF_COMPOUND)
    )
    covered = holds & (shared_count >= SAME_FACT_MIN_SHARED)
    np.fill_diagonal(covered, True)
    return np.asarray(covered, dtype=np.bool_)


def _carried_by(
    docs: list[PoolDoc], candidates: list[Candidate], covers: BoolArray
) -> tuple[tuple[str, ...], BoolArray]:
    """Return the story's outlets and, per candidate, which of them carry its fact."""
    outlets = tuple(sorted(set().union(*(doc.outlets for doc in docs))))
    carried = np.zeros((len(candidates), len(outlets)), dtype=np.bool_)
    for k, outlet in enumerate(outlets):
        # Boolean reductions, not a float product: BLAS would multithread a large one.
        published = [j for j, cand in enumerate(candidates) if outlet in docs[cand.doc].outlets]
        if published:
            carried[:, k] = covers[:, published].any(axis=1)
    return outlets, carried


def build_pool(docs: list[PoolDoc]) -> Pool:
    """Split, stem and vectorise the lead sentences of the story's most central articles.

    Args:
        docs: Articles in canonical order (see :func:`canonical_docs`).

    Returns:
        The pool; it may have no candidates when every body is empty.
    """
    leads = [doc.lead if doc.lead is not None else lead_analysis(doc.text) for doc in docs]
    title_bags = [list(title_stems(doc.title)) for doc in docs]
    doc_bags = [
        title + [stem for sentence in lead for stem in sentence.stems]
        for title, lead in zip(title_bags, leads, strict=True)
    ]
    if len(docs) == 1:
        doc_centrality = np.ones(1)  # nothing to compare with; skip the arithmetic
    else:
        doc_counts = term_counts(doc_bags)
        doc_centrality = centroid_cosine(tfidf(doc_counts, smoothed_idf(doc_counts)))
    # Most central first, canonical order breaks ties; then back to canonical order.
    ranked = sorted(range(len(docs)), key=lambda i: (-round(float(doc_centrality[i]), 12), i))
    kept = sorted(ranked[:MAX_ARTICLES])

    candidates = [
        Candidate(doc_index, sentence) for doc_index in kept for sentence in leads[doc_index]
    ]
    counts = term_counts([sentence.stems for doc_index in kept for sentence in leads[doc_index]])
    idf = smoothed_idf(counts)
    present = presence(counts)
    vectors = tfidf(counts, idf)
    cosine = gram(vectors, vectors)
    covers = _covers(present, idf)
    outlets, carried_by = _carried_by(docs, candidates, covers)
    return Pool(
        docs=docs,
        candidates=candidates,
        vectors=vectors,
        present=present,
        idf=idf,
        cosine=cosine,
        covers=covers,
        outlets=outlets,
        carried_by=carried_by,
        doc_centrality=doc_centrality,
        doc_bags=doc_bags,
        title_bags=title_bags,
    )
