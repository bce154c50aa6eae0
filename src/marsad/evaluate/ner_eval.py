"""Entity-level evaluation of named-entity tags against a CoNLL gold file.

Scoring is exact match on (sentence, start token, end token, type) spans, the CoNLL-2003
convention: a predicted entity counts only if both its boundaries and its type are right.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from marsad.extract.ner import bio_spans, load_tagger

LabeledSentence = tuple[list[str], list[str]]
SequenceTagger = Callable[[list[str]], list[str]]

DEV_EVERY = 10  # hold out one block in ten
DEV_BLOCK = 20  # consecutive sentences per block, about one news story


@dataclass(frozen=True, slots=True)
class TypeScore:
    """Counts and scores for one entity type (or ``"micro"`` for all types)."""

    label: str
    gold: int
    predicted: int
    correct: int

    @property
    def precision(self) -> float:
        """Share of predicted entities that are right (0.0 when nothing was predicted)."""
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        """Share of gold entities that were found (0.0 when there are none)."""
        return self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class NerReport:
    """Per-type scores plus the micro average over all types."""

    per_type: tuple[TypeScore, ...]
    micro: TypeScore
    sentences: int
    tokens: int


def read_conll(path: str | Path) -> list[LabeledSentence]:
    """Read ``token TAG`` lines (blank line between sentences), plain or gzip-compressed.

    The tag is the last whitespace-separated field, so tokens never contain spaces.

    Args:
        path: CoNLL file; a name ending in ``.gz`` is decompressed.

    Returns:
        One ``(tokens, tags)`` pair per sentence.
    """
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return parse_conll(handle)


def parse_conll(lines: Iterable[str]) -> list[LabeledSentence]:
    """Parse CoNLL lines (see :func:`read_conll`) into ``(tokens, tags)`` pairs."""
    sentences: list[LabeledSentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    for line in lines:
        fields = line.split()
        if not fields:
            if tokens:
                sentences.append((tokens, tags))
                tokens, tags = [], []
            continue
        if len(fields) < 2:
            raise ValueError(f"CoNLL line without a tag: {line.rstrip()!r}")
        tokens.append(fields[0])
        tags.append(fields[-1])
    if tokens:
        sentences.append((tokens, tags))
    return sentences


def split_dev(
    sentences: Sequence[LabeledSentence], block: int = DEV_BLOCK
) -> tuple[list[LabeledSentence], list[LabeledSentence]]:
    """Deterministic (train, dev) split: every tenth block of ``block`` consecutive sentences is dev.

    Blocks rather than single sentences keep most dev stories unseen in training, so the dev
    score is not inflated by names repeated across neighbouring sentences of one article.
    """
    train: list[LabeledSentence] = []
    dev: list[LabeledSentence] = []
    for index, sentence in enumerate(sentences):
        in_dev = (index // block) % DEV_EVERY == DEV_EVERY - 1
        (dev if in_dev else train).append(sentence)
    return train, dev


def score(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> NerReport:
    """Score predicted BIO tag sequences against gold ones, sentence by sentence.

    Args:
        gold: gold tags per sentence.
        predicted: predicted tags per sentence, same lengths as ``gold``.

    Returns:
        Per-type and micro-averaged exact-match counts.
    """
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold sentences but {len(predicted)} predicted")
    counts: dict[str, list[int]] = {}
    for gold_tags, predicted_tags in zip(gold, predicted, strict=True):
        if len(gold_tags) != len(predicted_tags):
            raise ValueError("a predicted sentence has a different length from its gold one")
        gold_spans, predicted_spans = bio_spans(gold_tags), bio_spans(predicted_tags)
        for spans, slot in (
            (gold_spans, 0),
            (predicted_spans, 1),
            (gold_spans & predicted_spans, 2),
        ):
            for _, _, label in spans:
                counts.setdefault(label, [0, 0, 0])[slot] += 1
    per_type = tuple(TypeScore(label, *counts[label]) for label in sorted(counts))
    micro = TypeScore(
        "micro",
        sum(t.gold for t in per_type),
        sum(t.predicted for t in per_type),
        sum(t.correct for t in per_type),
    )
    return NerReport(per_type, micro, len(gold), sum(len(tags) for tags in gold))


def evaluate_ner(path: str | Path, tagger: SequenceTagger | None = None) -> NerReport:
    """Tag every sentence of a CoNLL gold file and score the result.

    Args:
        path: CoNLL gold file (``token TAG`` lines, plain or ``.gz``).
        tagger: maps a token list to BIO tags; the shipped model when omitted.

    Returns:
        Entity-level exact-match report.
    """
    if tagger is None:
        tagger = load_tagger().tag
    sentences = read_conll(path)
    predicted = [tagger(tokens) for tokens, _ in sentences]
    return score([tags for _, tags in sentences], predicted)


def format_report(report: NerReport) -> str:
    """Render a report as a table; the last line is exactly ``micro_f1=0.xxx``."""
    lines = [
        f"sentences={report.sentences} tokens={report.tokens}",
        f"{'type':<6} {'gold':>6} {'pred':>6} {'ok':>6} {'P':>6} {'R':>6} {'F1':>6}",
    ]
    for row in (*report.per_type, report.micro):
        lines.append(
            f"{row.label:<6} {row.gold:>6} {row.predicted:>6} {row.correct:>6} "
            f"{row.precision:>6.3f} {row.recall:>6.3f} {row.f1:>6.3f}"
        )
    lines.append(f"micro_f1={report.micro.f1:.3f}")
    return "\n".join(lines)
