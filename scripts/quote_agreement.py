"""Agreement of two hand annotations of the same articles' statements.

The second file is scored as if it were the extractor's prediction, with exactly the
matching and entity test of :mod:`marsad.evaluate.quotes_eval` (spans overlapping by at
least half of the gold span, one-to-one, largest overlap first; a speaker is right when
``same_entity(speaker_canonical(predicted), gold canonical)``), in both directions:
statement precision / recall / F1 and speaker accuracy over matched statements. On the
statements matched first -> second it also gives the raw agreement on
``speaker_canonical`` and Cohen's kappa, whose chance agreement comes from how often each
entity is named by each annotator (labels grouped into entities with ``same_entity``).

    PYTHONPATH=src python scripts/quote_agreement.py FIRST.jsonl SECOND.jsonl \
        [--articles build/quotes_val7_articles.jsonl] [--list]

``--list`` prints every speaker disagreement and every statement only one file holds (with
``--articles``, with its text), for reading them by kind. The last line is the raw speaker
agreement.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from marsad.evaluate.jsonl import read_jsonl
from marsad.evaluate.quotes_eval import GoldStatement, load_gold, match_statements
from marsad.extract.aliases import same_entity
from marsad.extract.quotes import Statement, speaker_canonical


def as_prediction(item: GoldStatement) -> Statement:
    """A gold statement dressed as an extractor prediction: its canonical is the speaker."""
    return Statement(
        speaker=item.speaker,
        speaker_start=0,
        speaker_end=0,
        speaker_resolved=item.speaker_canonical,
        cue="",
        start=item.start,
        end=item.end,
        direct=item.direct,
        source=None,
        sentence_start=item.start,
        sentence_end=item.end,
    )


def speakers_agree(predicted: Statement, gold: GoldStatement) -> bool:
    """The entity test of ``evaluate_quotes`` on the two annotators' canonical forms.

    ``evaluate_quotes`` first passes the extractor's raw resolved mention through
    :func:`speaker_canonical`; a human label is already canonical, and that normaliser would
    shorten some of them (a role kept whole, ``الأمين العام لمنظمة ... للبترول`` -> للبترول),
    so a file scored against itself would not agree fully. :func:`scorer_agrees` keeps it.
    """
    return same_entity(predicted.speaker_resolved, gold.speaker_canonical)


def scorer_agrees(predicted: Statement, gold: GoldStatement) -> bool:
    """The test of ``evaluate_quotes`` word for word, normaliser included."""
    return same_entity(speaker_canonical(predicted.speaker_resolved), gold.speaker_canonical)


def by_article(items: list[GoldStatement]) -> dict[str, list[GoldStatement]]:
    grouped: dict[str, list[GoldStatement]] = {}
    for item in items:
        grouped.setdefault(item.article_id, []).append(item)
    return grouped


def matched_pairs(
    gold: list[GoldStatement], predicted: list[GoldStatement]
) -> list[tuple[Statement, GoldStatement]]:
    """All matches, article by article, of ``predicted`` (scored as prediction) to ``gold``."""
    gold_by_article, predicted_by_article = by_article(gold), by_article(predicted)
    pairs = []
    for article_id in sorted(gold_by_article.keys() | predicted_by_article.keys()):
        as_predicted = [as_prediction(p) for p in predicted_by_article.get(article_id, [])]
        pairs.extend(match_statements(as_predicted, gold_by_article.get(article_id, [])))
    return pairs


def direction_report(name: str, gold: list[GoldStatement], predicted: list[GoldStatement]) -> str:
    pairs = matched_pairs(gold, predicted)
    n_match = len(pairs)
    precision = n_match / len(predicted) if predicted else 0.0
    recall = n_match / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    n_speaker = sum(speakers_agree(p, g) for p, g in pairs)
    n_scorer = sum(scorer_agrees(p, g) for p, g in pairs)
    accuracy = n_speaker / n_match if n_match else 0.0
    scorer_accuracy = n_scorer / n_match if n_match else 0.0
    return (
        f"{name}: gold={len(gold)} predicted={len(predicted)} matched={n_match} "
        f"precision={precision:.3f} recall={recall:.3f} f1={f1:.3f} "
        f"speaker_accuracy={accuracy:.3f} ({n_speaker}/{n_match}; with the extractor's "
        f"normaliser on the predicted side {scorer_accuracy:.3f}, {n_scorer}/{n_match})"
    )


def entity_key(label: str, entities: list[str]) -> int:
    """Index of the first known entity ``label`` names (registering a new one if none)."""
    for index, known in enumerate(entities):
        if same_entity(label, known):
            return index
    entities.append(label)
    return len(entities) - 1


def kappa_report(pairs: list[tuple[Statement, GoldStatement]]) -> tuple[str, float]:
    """Raw agreement and Cohen's kappa on the speakers of matched statements."""
    if not pairs:
        return "no matched statements", 0.0
    agreed = sum(speakers_agree(p, g) for p, g in pairs) / len(pairs)
    # Chance agreement: entities are shared across articles (one list), so a speaker named by
    # both annotators in many articles (a ministry, an agency) raises it, as it should.
    entities: list[str] = []
    first = Counter(entity_key(g.speaker_canonical, entities) for _, g in pairs)
    second = Counter(entity_key(p.speaker_resolved, entities) for p, _ in pairs)
    total = len(pairs)
    same_string = sum(p.speaker_resolved == g.speaker_canonical for p, g in pairs) / total
    chance = sum(first[k] * second[k] for k in first) / (total * total)
    kappa = (agreed - chance) / (1 - chance) if chance < 1 else 1.0
    return (
        f"speaker agreement on {total} matched statements: raw={agreed:.3f} "
        f"chance={chance:.3f} kappa={kappa:.3f} ({len(entities)} entities); "
        f"identical canonical strings {same_string:.3f}",
        agreed,
    )


def text_of(articles: dict[str, str], item: GoldStatement | Statement, article_id: str) -> str:
    text = articles.get(article_id, "")
    return text[item.start : item.end][:90].replace("\n", " ")


def list_differences(
    first: list[GoldStatement], second: list[GoldStatement], articles: dict[str, str]
) -> None:
    pairs = matched_pairs(first, second)
    print("# speaker disagreements (article, start, first canonical | second canonical, span)")
    for p, g in pairs:
        if not speakers_agree(p, g):
            print(
                f"SPK\t{g.article_id}\t{g.start}\t{g.speaker_canonical} | {p.speaker_resolved}"
                f"\t[{g.speaker} | {p.speaker}]\t{text_of(articles, g, g.article_id)}"
            )
    matched_first = {(g.article_id, g.start) for _, g in pairs}
    matched_second = {(g.article_id, p.start, p.end) for p, g in pairs}
    for g in first:
        if (g.article_id, g.start) not in matched_first:
            print(
                f"ONLY1\t{g.article_id}\t{g.start}\t{g.speaker_canonical}"
                f"\t{text_of(articles, g, g.article_id)}"
            )
    for s in second:
        if (s.article_id, s.start, s.end) not in matched_second:
            print(
                f"ONLY2\t{s.article_id}\t{s.start}\t{s.speaker_canonical}"
                f"\t{text_of(articles, s, s.article_id)}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", type=Path, help="gold statements of the first annotator")
    parser.add_argument("second", type=Path, help="gold statements of the second annotator")
    parser.add_argument("--articles", type=Path, help="ARTICLES jsonl, to print spans")
    parser.add_argument("--list", action="store_true", help="print every difference")
    args = parser.parse_args()
    first, second = load_gold(args.first), load_gold(args.second)
    if args.list:
        articles = (
            {str(row["id"]): str(row["text"]) for row in read_jsonl(args.articles)}
            if args.articles
            else {}
        )
        list_differences(first, second, articles)
    print(direction_report("second scored against first", first, second))
    print(direction_report("first scored against second", second, first))
    line, agreed = kappa_report(matched_pairs(first, second))
    print(line)
    print(f"speaker_agreement={agreed:.3f}")


if __name__ == "__main__":
    main()
