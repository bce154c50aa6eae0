"""Evaluation of wire attribution (:func:`marsad.extract.wires.detect_agency`).

A gold part is a CSV ``id,day,outlet,agency`` (``agency`` is an id of
``data/agencies.json`` or ``none``); article texts come from a JSONL corpus by ``id``.
An article counts as a true positive when the detected agency is the labeled one, a false
positive when an agency is detected that is not the labeled one, a false negative when a
labeled agency is not the one detected (a wrong agency is both).
"""

from __future__ import annotations

import csv
import gzip
import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from marsad.extract.wires import detect_agency

NO_AGENCY = "none"
#: Part roles by file name; a validation part is never tuned on.
ROLES = {"dev": "development (rules written from it)", "val": "validation (never tuned on)"}


@dataclass(slots=True)
class PartScore:
    """Counts and errors of one gold part."""

    name: str
    articles: int = 0
    credited: int = 0  # articles labeled with an agency
    tp: int = 0
    fp: int = 0
    fn: int = 0
    by_agency: Counter[str] = field(default_factory=Counter)  # labeled agency -> articles
    errors: list[tuple[str, str, str, str]] = field(default_factory=list)  # id, outlet, gold, got

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def gold_parts(path: Path) -> list[Path]:
    """The label files of a gold: the file itself, or a folder's ``*_labels.csv``."""
    return sorted(path.glob("*_labels.csv")) if path.is_dir() else [path]


def _read_labels(path: Path) -> dict[str, tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if rows and not {"id", "outlet", "agency"} <= rows[0].keys():
        raise ValueError(f"{path}: expected columns id,day,outlet,agency")
    return {row["id"]: (row["outlet"], row["agency"].strip() or NO_AGENCY) for row in rows}


def _corpus(path: Path, wanted: set[str]) -> Iterator[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if not wanted:
                return
            record = json.loads(line)
            if record.get("id") in wanted:
                wanted.discard(record["id"])
                yield record


def score_part(
    name: str, labels: dict[str, tuple[str, str]], texts: dict[str, dict[str, str]]
) -> PartScore:
    """Detect the agency of every labeled article and count agreement."""
    score = PartScore(name)
    for article_id, (outlet, gold) in labels.items():
        record = texts.get(article_id)
        if record is None:
            raise ValueError(f"{name}: article {article_id} is not in the corpus")
        got = detect_agency(record.get("title", ""), record.get("text", "")) or NO_AGENCY
        score.articles += 1
        if gold != NO_AGENCY:
            score.credited += 1
            score.by_agency[gold] += 1
        if got == gold:
            score.tp += gold != NO_AGENCY
            continue
        score.fp += got != NO_AGENCY
        score.fn += gold != NO_AGENCY
        score.errors.append((article_id, outlet, gold, got))
    return score


def evaluate_wires(gold: Path, corpus: Path, *, show_errors: bool = False) -> str:
    """Score wire attribution on each part of a gold; the last line is the score.

    The score is the F1 of the validation part (``val_labels.csv``) when there is one,
    else of all parts together.
    """
    parts = gold_parts(gold)
    labels = {p.stem.removesuffix("_labels"): _read_labels(p) for p in parts}
    wanted = {i for part in labels.values() for i in part}
    texts = {r["id"]: r for r in _corpus(corpus, set(wanted))}
    scores = [score_part(name, part, texts) for name, part in labels.items()]
    lines = [f"wire attribution: {gold} ({len(wanted)} articles)"]
    lines.append(f"{'part':<6} {'role':<38} {'n':>4} {'credited':>8} {'P':>6} {'R':>6} {'F1':>6}")
    for s in scores:
        lines.append(
            f"{s.name:<6} {ROLES.get(s.name, '?'):<38} {s.articles:>4} {s.credited:>8} "
            f"{s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f}"
        )
        lines.append(
            "       labeled: " + ", ".join(f"{a} {n}" for a, n in s.by_agency.most_common())
        )
        if show_errors:
            lines.extend(f"       {i} {o}: gold {g}, got {d}" for i, o, g, d in s.errors)
    final = next((s for s in scores if s.name == "val"), None) or _pooled(scores)
    lines.append(
        f"wires_f1={final.f1:.3f} ({final.name}: P {final.precision:.3f} R {final.recall:.3f})"
    )
    return "\n".join(lines)


def _pooled(scores: Sequence[PartScore]) -> PartScore:
    total = PartScore("all")
    for s in scores:
        total.tp += s.tp
        total.fp += s.fp
        total.fn += s.fn
    return total
