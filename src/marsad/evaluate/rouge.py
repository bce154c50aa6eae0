"""ROUGE-1, ROUGE-2 and ROUGE-L for Arabic summaries (Lin 2004), on normalized stems.

Texts go through Marsad's Arabic tokenizer (:func:`marsad.text.arabic.tokenize`): letters
are folded, the article and proclitics split off, light suffixes stemmed, so "والوزير" and
"الوزراء"-style spelling variants that differ only in clitics or hamza forms match.

Choices, stated because they change the numbers:

* Stopwords are **removed** by default (``keep_stopwords=False``). Arabic function words
  ("في", "من", "أن", "على") make up a third of news text; keeping them lets any fluent
  sentence of the right length score ROUGE-1 above 0.2. Numbers are kept: they are facts.
  Bigrams are then formed over the remaining tokens, as ROUGE-1.5.5 does with ``-s``.
* ROUGE-L is the summary-level measure of Lin (2004): for every reference sentence, the
  union of its longest common subsequences with each candidate sentence, a token counted
  at most as often as it occurs on both sides. Word order counts inside a sentence, not
  the order in which sentences are shown (Marsad shows them by article date).
  Sentences are split by :func:`marsad.text.arabic.sentence_spans`.
* Several references are pooled as in ROUGE-1.5.5: matches are summed over references,
  recall divides by all reference n-grams, precision by the candidate's n-grams once per
  reference.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from marsad.text.arabic import STOPWORDS, sentence_spans, tokenize


@dataclass(frozen=True, slots=True)
class Score:
    """Precision, recall and F1 (harmonic mean) of one ROUGE variant."""

    precision: float
    recall: float
    f1: float


@dataclass(frozen=True, slots=True)
class RougeScores:
    """ROUGE-1, ROUGE-2 and ROUGE-L of one candidate against its references."""

    rouge1: Score
    rouge2: Score
    rouge_l: Score


ZERO = Score(0.0, 0.0, 0.0)


def rouge_tokens(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Return the stems ROUGE compares: normalized, clitics split, light-stemmed.

    Args:
        text: Original Arabic (or mixed) text.
        keep_stopwords: Keep function words; by default they are dropped.

    Returns:
        Stems in text order; numbers are kept as written (folded digits).
    """
    return [token.stem for token in tokenize(text) if keep_stopwords or token.text not in STOPWORDS]


def ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    """Count the n-grams of a token sequence."""
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def from_counts(hits: int, candidate_total: int, reference_total: int) -> Score:
    """Turn matched, candidate and reference totals into a score (0 when either is empty)."""
    if hits == 0 or candidate_total == 0 or reference_total == 0:
        return ZERO
    precision = hits / candidate_total
    recall = hits / reference_total
    return Score(precision, recall, 2.0 * precision * recall / (precision + recall))


def ngram_score(candidate: Sequence[str], references: Sequence[Sequence[str]], n: int) -> Score:
    """ROUGE-N of token sequences, references pooled; n-gram matches are clipped counts.

    Args:
        candidate: Candidate summary tokens.
        references: One token sequence per reference summary.
        n: N-gram length (1 or 2 for ROUGE-1 and ROUGE-2).

    Returns:
        Precision, recall and F1.

    Raises:
        ValueError: If ``n`` is not positive.
    """
    if n < 1:
        raise ValueError(f"n-gram length must be positive, got {n}")
    produced = ngrams(candidate, n)
    produced_total = sum(produced.values())
    hits = reference_total = 0
    for reference in references:
        expected = ngrams(reference, n)
        reference_total += sum(expected.values())
        hits += sum((produced & expected).values())
    return from_counts(hits, produced_total * len(references), reference_total)


def lcs_positions(first: Sequence[str], second: Sequence[str]) -> list[int]:
    """Indices into ``first`` of one longest common subsequence of two token sequences.

    Full dynamic-programming table, then a walk back from the end; O(len(first) *
    len(second)), ample for sentences of a few dozen tokens.
    """
    rows, cols = len(first), len(second)
    table = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows):
        for j in range(cols):
            table[i + 1][j + 1] = (
                table[i][j] + 1 if first[i] == second[j] else max(table[i][j + 1], table[i + 1][j])
            )
    positions: list[int] = []
    i, j = rows, cols
    while i and j:
        if first[i - 1] == second[j - 1]:
            positions.append(i - 1)
            i, j = i - 1, j - 1
        elif table[i - 1][j] >= table[i][j - 1]:
            i -= 1
        else:
            j -= 1
    return positions[::-1]


def union_lcs_hits(candidate: Sequence[Sequence[str]], reference: Sequence[Sequence[str]]) -> int:
    """Summary-level LCS hits of a candidate against one reference, both split in sentences.

    For each reference sentence, the tokens on any LCS with any candidate sentence count,
    each at most as often as it is still unused on both sides.
    """
    unused_produced = Counter(token for sentence in candidate for token in sentence)
    unused_expected = Counter(token for sentence in reference for token in sentence)
    hits = 0
    for expected in reference:
        union: set[int] = set()
        for produced in candidate:
            union.update(lcs_positions(expected, produced))
        for position in sorted(union):
            token = expected[position]
            if unused_produced[token] and unused_expected[token]:
                unused_produced[token] -= 1
                unused_expected[token] -= 1
                hits += 1
    return hits


def union_lcs_score(
    candidate: Sequence[Sequence[str]], references: Sequence[Sequence[Sequence[str]]]
) -> Score:
    """ROUGE-L (summary level) of sentence-split token sequences, references pooled."""
    produced_total = sum(len(sentence) for sentence in candidate)
    hits = sum(union_lcs_hits(candidate, reference) for reference in references)
    reference_total = sum(len(s) for reference in references for s in reference)
    return from_counts(hits, produced_total * len(references), reference_total)


def sentence_tokens(text: str, *, keep_stopwords: bool = False) -> list[list[str]]:
    """ROUGE tokens of each sentence of ``text``; sentences without tokens are dropped."""
    sentences = (
        rouge_tokens(text[start:end], keep_stopwords=keep_stopwords)
        for start, end in sentence_spans(text)
    )
    return [tokens for tokens in sentences if tokens]


def rouge(
    candidate: str, references: Sequence[str], *, keep_stopwords: bool = False
) -> RougeScores:
    """Score a candidate summary against one or more reference summaries.

    Args:
        candidate: The system summary (sentences joined by spaces or newlines).
        references: Reference summaries of the same story.
        keep_stopwords: Compare function words too (see the module notes).

    Returns:
        ROUGE-1, ROUGE-2 and ROUGE-L precision, recall and F1.

    Raises:
        ValueError: If ``references`` is empty.
    """
    if not references:
        raise ValueError("ROUGE needs at least one reference summary")
    produced = sentence_tokens(candidate, keep_stopwords=keep_stopwords)
    expected = [sentence_tokens(r, keep_stopwords=keep_stopwords) for r in references]
    # N-grams run across sentence breaks, as in ROUGE-1.5.5.
    produced_flat = [token for sentence in produced for token in sentence]
    expected_flat = [[token for sentence in r for token in sentence] for r in expected]
    return RougeScores(
        rouge1=ngram_score(produced_flat, expected_flat, 1),
        rouge2=ngram_score(produced_flat, expected_flat, 2),
        rouge_l=union_lcs_score(produced, expected),
    )
