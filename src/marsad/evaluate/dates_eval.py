"""Evaluation of date expressions in article text against hand-labelled mentions.

The gold (``evaluation/dates_dev/mentions.jsonl``) holds only article ids, offsets into the
corpus ``text`` field, the expression and its resolved first/last day; the article text and
its publication day (the corpus ``date``) are joined from the corpus by id.
:func:`marsad.text.dates.find_dates` runs on each article, anchored at that day.

* **recall**: share of gold mentions overlapped by a predicted mention;
* **precision**: share of predicted mentions (in the gold articles) that overlap a gold one
  (a gold expression the recognizer splits in two, "أمس (السبت)", costs no precision);
* **resolution accuracy**: share of found gold mentions whose overlapping prediction gives
  the same first and last day (the prediction with the same days when several overlap);
* **date_accuracy** (last line): share of all gold mentions found and resolved right.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from marsad.evaluate.jsonl import read_jsonl
from marsad.text.dates import DateMention, find_dates


@dataclass(frozen=True, slots=True)
class GoldDate:
    """One labelled date mention; offsets index the article's corpus ``text``."""

    article_id: str
    start: int
    end: int
    text: str
    first: date
    last: date


@dataclass(frozen=True, slots=True)
class DateScores:
    """Counts behind the reported figures."""

    gold: int
    predicted: int
    found: int  # gold mentions overlapped by a prediction
    resolved: int  # ... of which one gives the gold days
    predicted_on_gold: int  # predictions overlapping some gold mention
    errors: tuple[str, ...]  # one line per missed or misresolved gold mention

    @property
    def recall(self) -> float:
        """Share of gold mentions found."""
        return self.found / self.gold if self.gold else 0.0

    @property
    def precision(self) -> float:
        """Share of predictions that overlap a gold mention."""
        return self.predicted_on_gold / self.predicted if self.predicted else 0.0

    @property
    def resolution_accuracy(self) -> float:
        """Share of found gold mentions resolved to the gold days."""
        return self.resolved / self.found if self.found else 0.0

    @property
    def date_accuracy(self) -> float:
        """Share of gold mentions found and resolved right."""
        return self.resolved / self.gold if self.gold else 0.0


def load_gold(path: Path) -> list[GoldDate]:
    """Reads gold mentions (``article_id, start, end, text, first, last``)."""
    return [
        GoldDate(
            article_id=str(row["article_id"]),
            start=int(row["start"]),
            end=int(row["end"]),
            text=str(row["text"]),
            first=date.fromisoformat(row["first"]),
            last=date.fromisoformat(row["last"]),
        )
        for row in read_jsonl(path)
    ]


def load_articles(corpus: Path, ids: set[str]) -> dict[str, tuple[str, date]]:
    """The ``text`` and publication day of the corpus articles named in ``ids``."""
    found: dict[str, tuple[str, date]] = {}
    for row in read_jsonl(corpus):
        if row.get("id") in ids:
            found[row["id"]] = (row.get("text") or "", date.fromisoformat(row["date"][:10]))
    return found


def _overlaps(gold: GoldDate, mention: DateMention) -> bool:
    return mention.start < gold.end and gold.start < mention.end


def score_dates(gold: list[GoldDate], articles: dict[str, tuple[str, date]]) -> DateScores:
    """Scores :func:`find_dates` on the gold articles.

    Raises:
        ValueError: a gold article is missing from ``articles`` or its offsets do not
            select the labelled expression (the corpus changed under the gold).
    """
    by_article: dict[str, list[GoldDate]] = {}
    for item in gold:
        by_article.setdefault(item.article_id, []).append(item)
    predicted = found = resolved = on_gold = 0
    errors: list[str] = []
    for article_id, items in by_article.items():
        if article_id not in articles:
            raise ValueError(f"gold article {article_id} is not in the corpus")
        text, published = articles[article_id]
        for item in items:
            if text[item.start : item.end] != item.text:
                raise ValueError(f"{article_id}:{item.start}: offsets do not select {item.text!r}")
        mentions = find_dates(text, published)
        predicted += len(mentions)
        on_gold += sum(any(_overlaps(g, m) for g in items) for m in mentions)
        for item in items:
            overlapping = [m for m in mentions if _overlaps(item, m)]
            where = f"{article_id} {published} {item.text!r} gold {item.first}..{item.last}"
            if not overlapping:
                errors.append(f"missed     {where}")
                continue
            found += 1
            if any((m.first, m.last) == (item.first, item.last) for m in overlapping):
                resolved += 1
            else:
                got = ", ".join(f"{m.expression!r} {m.first}..{m.last}" for m in overlapping)
                errors.append(f"misresolved {where}; got {got}")
    return DateScores(
        gold=len(gold),
        predicted=predicted,
        found=found,
        resolved=resolved,
        predicted_on_gold=on_gold,
        errors=tuple(errors),
    )


def evaluate_dates(gold_path: Path, corpus: Path, *, show_errors: bool = False) -> str:
    """Runs the evaluation and formats the report; the last line is ``date_accuracy=``."""
    gold = load_gold(gold_path)
    articles = load_articles(corpus, {g.article_id for g in gold})
    scores = score_dates(gold, articles)
    lines = [
        f"gold mentions: {scores.gold} in {len({g.article_id for g in gold})} articles; "
        f"predicted: {scores.predicted}",
        f"recall={scores.recall:.3f} ({scores.found}/{scores.gold})  "
        f"precision={scores.precision:.3f} ({scores.predicted_on_gold}/{scores.predicted})",
        f"resolution_accuracy={scores.resolution_accuracy:.3f} "
        f"({scores.resolved}/{scores.found} found mentions)",
    ]
    if show_errors:
        lines[1:1] = list(scores.errors)
    lines.append(f"date_accuracy={scores.date_accuracy:.3f}")
    return "\n".join(lines)
