"""Entity-level evaluation of named-entity tags against a CoNLL gold file.

Scoring is exact match on (sentence, start token, end token, type) spans, the CoNLL-2003
convention: a predicted entity counts only if both its boundaries and its type are right.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from marsad.extract.ner import bio_spans, load_tagger

LabeledSentence = tuple[list[str], list[str]]
SequenceTagger = Callable[[list[str]], list[str]]
DocumentTagger = Callable[[list[list[str]]], list[list[str]]]

DEV_SHARE = 0.1  # the final tenth of the ANERcorp train split, in whole documents
DASHES = frozenset({"ـ", "-", "–"})
# Agencies and photo credits in brackets open an article ("بيروت ( اف ب ) حذر ...",
# a caption "سولانا ( يمين ) قال ..."); all are real knowledge, not names from the dev block.
OPENING_CREDITS = frozenset(
    {
        "اف ب", "أ ف ب", "ا ف ب", "د ب أ", "رويترز", "إفي", "افي", "قنا", "واس", "وام",
        "كونا", "سانا", "بترا", "الفرنسية", "الجزيرة", "أرشيف", "الأوروبية", "يمين", "يسار",
        "أسوشيتد برس",
    }
)  # fmt: skip
CREDIT_IN_BRACKETS = re.compile(r"\( ([^()]{1,20}) \)")


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


def is_document_start(tokens: Sequence[str]) -> bool:
    """Whether a sentence opens a news article: it starts with a dateline or a byline.

    ANERcorp has no document markers, but its articles open with a dateline ("الخرطوم ـ
    وكالات الأنباء : ...", "غزة ـ أ . ش . أ"), a byline ("كتب ـ خليفة أدهم : ...") or an
    agency or photo credit in brackets ("بيروت ( اف ب ) ..."). The rule only needs to be
    right when it fires: an article it misses merges with the one before it, which never
    puts one article on both sides of a split.
    """
    if len(tokens) > 2 and tokens[1] in DASHES:
        # "CITY ـ ...", but not a numbered item ("2 - ...") or a model name ("إس - 2").
        first, third = tokens[0], tokens[2]
        if len(first) > 2 and not first.isdigit() and not third[:1].isdigit():
            return True
    head = list(tokens[:10])
    if ":" in head:
        before_colon = head[: head.index(":")]
        if any(t in DASHES or t.startswith("كتب") or "وكالات" in t for t in before_colon):
            return True
    opening = " ".join(tokens[:9])
    return any(m.group(1) in OPENING_CREDITS for m in CREDIT_IN_BRACKETS.finditer(opening))


def document_starts(sentences: Sequence[LabeledSentence]) -> list[int]:
    """Indices of the sentences that open a document (the first sentence always does)."""
    return [i for i, (tokens, _) in enumerate(sentences) if i == 0 or is_document_start(tokens)]


@dataclass(frozen=True, slots=True)
class DocumentSplit:
    """Train part and a final dev block of whole documents, cut into two halves.

    ``tune`` (the first half of the block) may steer choices such as the training epoch;
    ``validation`` (the second half, the end of the train split) is never tuned on.
    """

    train: list[LabeledSentence]
    tune: list[LabeledSentence]
    validation: list[LabeledSentence]
    dev_start: int  # index of the first dev sentence
    validation_start: int

    @property
    def dev(self) -> list[LabeledSentence]:
        """The whole dev block: tune then validation."""
        return self.tune + self.validation


def nearest_start(starts: Sequence[int], target: float) -> int:
    """The document start closest to ``target`` (the earlier one on a tie)."""
    return min(starts, key=lambda start: (abs(start - target), start))


def split_documents(
    sentences: Sequence[LabeledSentence], share: float = DEV_SHARE
) -> DocumentSplit:
    """Hold out the final ``share`` of the sentences, cut at document starts.

    The official ANERcorp test split is the corpus's last part, so the end of the train
    split is the text nearest to it; a contiguous block of whole documents keeps every
    dev article unseen in training (interleaved blocks shared articles with training and
    overstated unseen text: dev 0.819 vs 0.703 on the official test split).
    """
    starts = [s for s in document_starts(sentences) if s > 0]
    if len(starts) < 2:
        raise ValueError("fewer than three documents: cannot hold out whole documents")
    dev_start = nearest_start(starts, len(sentences) * (1 - share))
    later = [s for s in starts if s > dev_start] or [dev_start]
    validation_start = nearest_start(later, (dev_start + len(sentences)) / 2)
    return DocumentSplit(
        list(sentences[:dev_start]),
        list(sentences[dev_start:validation_start]),
        list(sentences[validation_start:]),
        dev_start,
        validation_start,
    )


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


def tag_by_document(
    sentences: Sequence[LabeledSentence], tag_document: DocumentTagger
) -> list[list[str]]:
    """Predicted tags of every sentence, each document (``document_starts``) tagged as one.

    The pipeline tags whole articles, where a name found once is marked at its other
    mentions too; tagging the gold file document by document measures that.
    """
    starts = document_starts(sentences)
    predicted: list[list[str]] = []
    for begin, end in zip(starts, [*starts[1:], len(sentences)], strict=True):
        predicted += tag_document([tokens for tokens, _ in sentences[begin:end]])
    return predicted


def evaluate_ner(path: str | Path, tagger: SequenceTagger | None = None) -> NerReport:
    """Tag every sentence of a CoNLL gold file and score the result.

    Args:
        path: CoNLL gold file (``token TAG`` lines, plain or ``.gz``).
        tagger: maps a token list to BIO tags, one sentence at a time; when omitted the
            shipped model tags the file document by document (``tag_by_document``).

    Returns:
        Entity-level exact-match report.
    """
    sentences = read_conll(path)
    if tagger is None:
        predicted = tag_by_document(sentences, load_tagger().tag_document)
    else:
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
