"""Counts the speaker errors of the quote dev sets by kind.

Each error is keyed by set, article and gold start; its kind comes from hand-labelled TSVs
(``evaluation/speaker_errors/kinds_before.tsv``: the errors before issue 19's rules;
``kinds_new.tsv``: errors on statements first matched after them). Errors in no file are
printed as ``unlabelled`` with the two speakers, to be labelled by reading.

    PYTHONPATH=src python scripts/speaker_error_kinds.py quotes_val4 quotes_val3 ...

Session 24's labels of the four readable development sets (speakers_train included)::

    PYTHONPATH=src python scripts/speaker_error_kinds.py quotes_dev quotes_dev2 quotes_dev7 \
        speakers_train --labels evaluation/speaker_errors/kinds_s24.tsv

With ``--items FILE`` (``evaluation/speaker_errors/kinds_dev7.tsv``: set, article, item, start,
kind) it counts every labelled speaker error, missed and extra statement of one set by kind:
those still there at the current rules, and those gone (fixed); items the file does not hold
are printed as ``unlabelled``.

    PYTHONPATH=src python scripts/speaker_error_kinds.py quotes_dev7 \
        --items evaluation/speaker_errors/kinds_dev7.tsv

Session 26's labels of quotes_val8 and quotes_val9 (two more columns, family and note, are
ignored here)::

    PYTHONPATH=src python scripts/speaker_error_kinds.py quotes_val8 quotes_val9 \
        --items evaluation/speaker_errors/kinds_s26_val89.tsv
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from marsad.evaluate.jsonl import read_jsonl
from marsad.evaluate.quotes_eval import (
    load_gold,
    match_statements,
    speaker_errors,
    stored_statements,
)
from marsad.extract.aliases import same_entity
from marsad.extract.quotes import speaker_canonical

LABELS = (
    Path("evaluation/speaker_errors/kinds_before.tsv"),
    Path("evaluation/speaker_errors/kinds_new.tsv"),
)


def gold_path(name: str) -> Path:
    """A set's gold statements: ``gold.jsonl``, or ``speakers.jsonl`` (speakers_train)."""
    folder = Path("evaluation") / name
    return folder / "gold.jsonl" if (folder / "gold.jsonl").exists() else folder / "speakers.jsonl"


def read_labels(paths: list[Path]) -> dict[tuple[str, str, int], str]:
    """``(set, article_id, gold_start) -> kind`` from the labels files."""
    labels = {}
    lines = [line for path in paths for line in path.read_text(encoding="utf-8").splitlines()]
    for line in lines:
        if line.startswith("#") or not line.strip():
            continue
        name, article_id, start, kind = line.split("\t")
        labels[(name, article_id, int(start))] = kind
    return labels


def statement_items(gold_path: Path, articles_path: Path) -> set[tuple[str, str, int]]:
    """``(article_id, item, start)`` of every speaker error (gold start), missed statement
    (gold start) and extra statement (predicted start) at the current rules."""
    gold = load_gold(gold_path)
    items = set()
    for row in read_jsonl(articles_path):
        article_id = str(row["id"])
        article_gold = [g for g in gold if g.article_id == article_id]
        predicted = stored_statements(row["text"])
        matches = match_statements(predicted, article_gold)
        for found, item in matches:
            if not same_entity(speaker_canonical(found.speaker_resolved), item.speaker_canonical):
                items.add((article_id, "speaker", item.start))
        matched_gold = {id(item) for _, item in matches}
        matched_predicted = {id(found) for found, _ in matches}
        items |= {
            (article_id, "missed", g.start) for g in article_gold if id(g) not in matched_gold
        }
        items |= {
            (article_id, "extra", p.start) for p in predicted if id(p) not in matched_predicted
        }
    return items


def count_items(name: str, labels_path: Path, articles: Path) -> None:
    """Prints the labelled items of one set by kind, still there and fixed."""
    labels = {}
    for line in labels_path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        set_name, article_id, item, start, kind = line.split("\t")[:5]  # then family, note
        if set_name == name:
            labels[(article_id, item, int(start))] = kind
    now = statement_items(gold_path(name), articles / f"{name}_articles.jsonl")
    rows: Counter[tuple[str, str, str]] = Counter()
    for key, kind in labels.items():
        rows[(key[1], kind, "left" if key in now else "fixed")] += 1
    for key in sorted(now - labels.keys()):
        print("unlabelled", name, *key, sep="\t")
        rows[(key[1], "unlabelled", "left")] += 1
    print("item\tkind\tlabelled\tfixed\tleft")
    for item, kind in sorted({(i, k) for i, k, _ in rows}):
        fixed, left = rows[(item, kind, "fixed")], rows[(item, kind, "left")]
        labelled = fixed + left if kind != "unlabelled" else 0
        print(f"{item}\t{kind}\t{labelled}\t{fixed}\t{left}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", help="quote set names (evaluation/NAME/gold.jsonl)")
    parser.add_argument("--articles", default="build", help="folder of NAME_articles.jsonl")
    parser.add_argument("--labels", type=Path, nargs="+", default=list(LABELS))
    parser.add_argument("--items", type=Path, help="labels of every item (kinds_dev7.tsv)")
    args = parser.parse_args()
    if args.items is not None:
        for name in args.sets:
            count_items(name, args.items, Path(args.articles))
        return
    labels = read_labels(args.labels)
    total: Counter[str] = Counter()
    for name in args.sets:
        kinds: Counter[str] = Counter()
        for error in speaker_errors(
            gold_path(name), Path(args.articles) / f"{name}_articles.jsonl"
        ):
            kind = labels.get((name, error.gold.article_id, error.gold.start), "unlabelled")
            kinds[kind] += 1
            if kind == "unlabelled":
                print(
                    f"unlabelled {name}\t{error.gold.article_id}\t{error.gold.start}"
                    f"\tgold={error.gold.speaker_canonical}\tpredicted={error.predicted_canonical}"
                )
        print(name, dict(sorted(kinds.items())))
        total.update(kinds)
    print("all", dict(sorted(total.items())), "errors", sum(total.values()))


if __name__ == "__main__":
    main()
