"""Counts the speaker errors of the quote dev sets by kind.

Each error is keyed by set, article and gold start; its kind comes from hand-labelled TSVs
(``evaluation/speaker_errors/kinds_before.tsv``: the errors before issue 19's rules;
``kinds_new.tsv``: errors on statements first matched after them). Errors in no file are
printed as ``unlabelled`` with the two speakers, to be labelled by reading.

    PYTHONPATH=src python scripts/speaker_error_kinds.py quotes_val4 quotes_val3 ...
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from marsad.evaluate.quotes_eval import speaker_errors

LABELS = (
    Path("evaluation/speaker_errors/kinds_before.tsv"),
    Path("evaluation/speaker_errors/kinds_new.tsv"),
)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", help="quote set names (evaluation/NAME/gold.jsonl)")
    parser.add_argument("--articles", default="build", help="folder of NAME_articles.jsonl")
    parser.add_argument("--labels", type=Path, nargs="+", default=list(LABELS))
    args = parser.parse_args()
    labels = read_labels(args.labels)
    total: Counter[str] = Counter()
    for name in args.sets:
        kinds: Counter[str] = Counter()
        for error in speaker_errors(
            Path("evaluation") / name / "gold.jsonl", Path(args.articles) / f"{name}_articles.jsonl"
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
