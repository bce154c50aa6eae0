"""Chooses the title -> holder thresholds (:class:`marsad.extract.aliases.TitleThresholds`).

Usage: python scripts/tune_title_thresholds.py 2015-07-21 ... [--snn PATH] [--gold FILE ...]

Mines the given SaudiNewsNet days once (as ``scripts/mine_aliases.py`` does), keeps the title
evidence, and for each setting of a small grid re-picks the title lines and scores
:func:`same_entity` on the development gold files' title pairs: pairs where one side is a
title phrase without a name (وزير الخارجية الأمريكي, رئيس الوزراء العراقي). Prints, per
setting, the pooled F1, then a leave-one-gold-out estimate: for each gold file, the setting
best on the others, scored on it. Never give it a blind gold file.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from snn_days import records_of_days

from marsad.evaluate.aliases_eval import load_pairs
from marsad.extract import aliases
from marsad.text.arabic import word_sections

DEV_GOLDS = [
    "evaluation/aliases_dev/gold.jsonl",
    "evaluation/aliases_val/gold.jsonl",
    "evaluation/aliases_val2/aliases_val2.jsonl",
    "evaluation/aliases_val3/aliases_val3.jsonl",
    "evaluation/aliases_val4/aliases_val4.jsonl",
]
SHARES = (0.5, 0.6, 0.7, 0.8)
ARTICLES = (2, 3)
OUTLETS = (1, 2)
OTHER_SHARES = (0.6, 0.7, 0.8, 0.9, 1.01)  # 1.01: such a phrase never names a holder
OTHER_ARTICLES = (3, 4)


def is_bare_title(name: str) -> bool:
    """A title phrase without a personal name in it."""
    return aliases.title_key(name) is not None and aliases._strip_titles(name) == name.strip()


def title_pairs(path: str) -> list[tuple[str, str, bool]]:
    return [p for p in load_pairs(Path(path)) if is_bare_title(p[0]) or is_bare_title(p[1])]


def counts(pairs: list[tuple[str, str, bool]]) -> tuple[int, int, int]:
    """True positives, predicted positives, gold positives."""
    tp = pp = gp = 0
    for a, b, same in pairs:
        predicted = aliases.same_entity(a, b)
        tp += predicted and same
        pp += predicted
        gp += same
    return tp, pp, gp


def f1(tp: int, pp: int, gp: int) -> float:
    return 2 * tp / (pp + gp) if pp + gp else 0.0


def with_mined_lines(lines: list[tuple[str, str]], run: Callable[[], Any]) -> Any:
    """Runs ``run`` with ``lines`` as the alias file's mined section."""
    original = word_sections

    def sections(name: str) -> dict[str, list[str]]:
        found = original(name)
        if name == "aliases_ar.tsv":
            found = {**found, "mined": [f"{v}\t{c}" for v, c in lines]}
        return found

    setattr(aliases, "word_sections", sections)  # noqa: B010 (a module attribute, patched)
    aliases._clear_caches()
    try:
        return run()
    finally:
        setattr(aliases, "word_sections", original)  # noqa: B010
        aliases._clear_caches()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("days", nargs="+")
    parser.add_argument("--snn", type=Path, default=Path("../shared/data/saudinewsnet"))
    parser.add_argument("--gold", nargs="*", default=DEV_GOLDS)
    parser.add_argument("--limit", type=int, default=0, help="first N articles only (a trial)")
    args = parser.parse_args()
    blind = ("aliases_val5", "aliases_val6", "aliases_val7", "aliases_val10")
    if any(name in gold for gold in args.gold for name in blind):
        parser.error("aliases_val5 .. aliases_val7 and aliases_val10 are blind: never tune on them")
    records = list(records_of_days(args.snn, args.days))
    if args.limit:
        records = records[: args.limit]
    texts = [f"{doc['title'] or ''}\n{doc['text'] or ''}" for doc in records]
    captured: dict[str, Any] = {}
    pick = aliases._pick_titles

    def capturing(*pos: Any, **kw: Any) -> list[tuple[str, str]]:
        captured.update(pos=pos, kw=kw)
        found = pick(*pos, **kw)
        captured["lines"] = found
        return found

    setattr(aliases, "_pick_titles", capturing)  # noqa: B010
    with aliases.hand_written_aliases_only():
        mined = aliases.mine_aliases(
            texts, outlets=[d["source"] for d in records], dates=[d["date"] for d in records]
        )
    setattr(aliases, "_pick_titles", pick)  # noqa: B010
    others = [line for line in mined if line not in captured["lines"]]
    golds = {gold: title_pairs(gold) for gold in args.gold}
    print(f"{len(records)} articles; title pairs: {[len(p) for p in golds.values()]}")

    def score(thresholds: aliases.TitleThresholds) -> dict[str, tuple[int, int, int]]:
        with aliases.hand_written_aliases_only():
            titles = pick(*captured["pos"], **{**captured["kw"], "thresholds": thresholds})
        scored: dict[str, tuple[int, int, int]] = with_mined_lines(
            others + titles, lambda: {gold: counts(p) for gold, p in golds.items()}
        )
        return scored

    base = aliases.TITLE_THRESHOLDS
    grid = [
        aliases.TitleThresholds(share, arts, outs, base.other_share, base.other_articles, 2)
        for share, arts, outs in itertools.product(SHARES, ARTICLES, OUTLETS)
    ]
    results = {t: score(t) for t in grid}
    best = max(results, key=lambda t: f1(*map(sum, zip(*results[t].values(), strict=True))))
    grid_other = [
        aliases.TitleThresholds(best.share, best.articles, best.outlets, share, arts, 2)
        for share, arts in itertools.product(OTHER_SHARES, OTHER_ARTICLES)
    ]
    results |= {t: score(t) for t in grid_other if t not in results}
    for thresholds, by_gold in results.items():
        pooled = f1(*map(sum, zip(*by_gold.values(), strict=True)))
        print(f"{thresholds}  pooled_f1={pooled:.3f}")
    held_out = []
    for gold in args.gold:
        chosen = max(
            results,
            key=lambda t: f1(
                *map(sum, zip(*(c for g, c in results[t].items() if g != gold), strict=True))
            ),
        )
        held_out.append(f1(*results[chosen][gold]))
        print(f"held out {gold}: {chosen} f1={held_out[-1]:.3f}")
    final = max(results, key=lambda t: f1(*map(sum, zip(*results[t].values(), strict=True))))
    print(f"leave_one_gold_out_mean_f1={sum(held_out) / len(held_out):.3f}")
    print(f"chosen={final}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
