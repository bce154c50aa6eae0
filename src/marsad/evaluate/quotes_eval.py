"""Evaluation of attributed-statement extraction against hand-annotated statements.

A predicted statement matches a gold statement of the same article when their spans
overlap by at least half of the gold span; matching is one-to-one, largest overlap first.
Predictions are :func:`stored_statements`: the rules' statements with speakers checked against
the article's tagged names, as the extract stage makes them (the tagger's time is not in the
speed line). Speaker accuracy is the share of matches whose predicted speaker (resolved, in the
canonical form of :func:`marsad.extract.quotes.speaker_canonical`, as stored) names the same
entity as the gold ``speaker_canonical`` (:func:`aliases.same_entity`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from marsad.evaluate.jsonl import read_jsonl
from marsad.extract.aliases import same_entity
from marsad.extract.ner import load_tagger
from marsad.extract.quotes import Statement, extract_statements, speaker_canonical
from marsad.extract.speaker_entities import snap_speakers

MIN_OVERLAP = 0.5  # share of the gold span a prediction must cover


@dataclass(frozen=True, slots=True)
class GoldStatement:
    """One annotated statement; offsets index the article text as ingested."""

    article_id: str
    speaker: str
    speaker_canonical: str
    start: int
    end: int
    direct: bool


def load_gold(path: Path) -> list[GoldStatement]:
    """Reads gold statements (``article_id, speaker, speaker_canonical, start, end, direct``)."""
    return [
        GoldStatement(
            article_id=str(row["article_id"]),
            speaker=row["speaker"],
            speaker_canonical=row.get("speaker_canonical") or row["speaker"],
            start=int(row["start"]),
            end=int(row["end"]),
            direct=bool(row.get("direct", False)),
        )
        for row in read_jsonl(path)
    ]


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def match_statements(
    predicted: list[Statement], gold: list[GoldStatement]
) -> list[tuple[Statement, GoldStatement]]:
    """One-to-one matches between predictions and gold statements of one article."""
    candidates = []
    for p_index, pred in enumerate(predicted):
        for g_index, item in enumerate(gold):
            overlap = _overlap(pred.start, pred.end, item.start, item.end)
            if overlap and overlap >= MIN_OVERLAP * (item.end - item.start):
                candidates.append((overlap, p_index, g_index))
    used_pred: set[int] = set()
    used_gold: set[int] = set()
    matches = []
    for _, p_index, g_index in sorted(candidates, reverse=True):
        if p_index not in used_pred and g_index not in used_gold:
            used_pred.add(p_index)
            used_gold.add(g_index)
            matches.append((predicted[p_index], gold[g_index]))
    return matches


@dataclass(frozen=True, slots=True)
class SpeakerError:
    """A matched statement whose predicted speaker names another entity than the gold one."""

    gold: GoldStatement
    predicted: Statement
    predicted_canonical: str


def stored_statements(text: str) -> list[Statement]:
    """The statements of one article as the extract stage makes them: the rules' statements
    with speakers checked against the article's tagged entities
    (:func:`marsad.extract.speaker_entities.snap_speakers`). The stage's last step, a lone
    surname written as the article's full name (``article._with_full_speakers``, which
    needs the article's alias resolution), is not scored here."""
    return snap_speakers(text, extract_statements(text), load_tagger().entities(text))


def speaker_errors(quotes_path: Path | str, articles_path: Path | str) -> list[SpeakerError]:
    """The speaker errors of :func:`stored_statements` on annotated articles, in article order,
    for reading them by kind (the same matching and entity test as :func:`evaluate_quotes`)."""
    gold = load_gold(Path(quotes_path))
    errors = []
    for row in read_jsonl(Path(articles_path)):
        article_id = str(row["id"])
        article_gold = [g for g in gold if g.article_id == article_id]
        predicted_all = stored_statements(row["text"])
        for predicted, item in match_statements(predicted_all, article_gold):
            canonical = speaker_canonical(predicted.speaker_resolved)
            if not same_entity(canonical, item.speaker_canonical):
                errors.append(SpeakerError(item, predicted, canonical))
    return errors


def evaluate_quotes(quotes_path: Path | str, articles_path: Path | str) -> str:
    """Scores the stored statements (:func:`stored_statements`) on annotated articles.

    Args:
        quotes_path: JSONL gold statements (one per line).
        articles_path: JSONL articles with ``id`` and ``text``; every article is scored,
            so an article without gold statements counts against precision only.

    Returns:
        A report whose last line is ``quote_f1=0.xxx``.
    """
    gold = load_gold(Path(quotes_path))
    articles = {str(row["id"]): row["text"] for row in read_jsonl(Path(articles_path))}
    missing = sorted({g.article_id for g in gold} - articles.keys())
    if missing:
        raise ValueError(f"gold statements for articles not in {articles_path}: {missing[:5]}")
    n_pred = n_match = n_speaker = 0
    elapsed = 0.0
    tagger = load_tagger()
    for article_id, text in articles.items():
        entities = tagger.entities(text)  # tagged before statements, as the extract stage does
        began = time.perf_counter()
        predicted = snap_speakers(text, extract_statements(text), entities)
        elapsed += time.perf_counter() - began
        matches = match_statements(predicted, [g for g in gold if g.article_id == article_id])
        n_pred += len(predicted)
        n_match += len(matches)
        n_speaker += sum(
            same_entity(speaker_canonical(p.speaker_resolved), g.speaker_canonical)
            for p, g in matches
        )
    precision = n_match / n_pred if n_pred else 0.0
    recall = n_match / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    speaker_accuracy = n_speaker / n_match if n_match else 0.0
    return "\n".join(
        [
            f"articles={len(articles)} gold={len(gold)} predicted={n_pred} matched={n_match}",
            f"precision={precision:.3f} recall={recall:.3f}",
            f"speaker_accuracy={speaker_accuracy:.3f}",
            f"speed={len(articles) / elapsed if elapsed else 0.0:.0f} articles/s",
            f"quote_f1={f1:.3f}",
        ]
    )
