"""Evaluation of name-variant merging (:func:`marsad.extract.aliases.same_entity`).

The gold file is JSONL: ``{"variants": [...]}`` lists names of one entity (every pair
is a positive), ``{"a": ..., "b": ..., "same": false}`` a pair that must stay apart. Names of
two different variant groups are negatives as well. Precision and recall are over pairs
judged "same".

With articles (``marsad eval aliases GOLD --articles FILE ...``) the score is what a store
holding them would give: they are ingested into a temporary store, which mines its own name
variants as every store does (:func:`marsad.name_variants.mine_store`), and the pairs are
scored with the shipped list plus those lines.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from itertools import combinations
from pathlib import Path

from marsad.extract.aliases import same_entity, store_aliases, use_store_aliases


def load_pairs(path: Path) -> list[tuple[str, str, bool]]:
    """All labelled pairs ``(a, b, same)`` of a gold file, without duplicates."""
    groups: list[list[str]] = []
    pairs: dict[tuple[str, str], bool] = {}
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if "variants" in row:
                groups.append([str(v) for v in row["variants"]])
            elif {"a", "b", "same"} <= row.keys():
                pairs[(str(row["a"]), str(row["b"]))] = bool(row["same"])
            else:
                raise ValueError(f"{path}:{number}: expected 'variants' or 'a', 'b', 'same'")
    for group in groups:
        for a, b in combinations(group, 2):
            pairs.setdefault((a, b), True)
    for group_a, group_b in combinations(groups, 2):
        for a in group_a:
            for b in group_b:
                pairs.setdefault((a, b), False)
    return [(a, b, same) for (a, b), same in pairs.items()]


def evaluate_aliases(path: Path | str, articles: Sequence[Path | str] = ()) -> str:
    """Scores :func:`same_entity` on a gold file; the last line is ``alias_f1=0.xxx``.

    ``articles``: input files (any ``marsad ingest`` reads) whose store's mined lines are used
    as well (see the module's docstring)."""
    if not articles:
        return _score(load_pairs(Path(path)), [])
    saved = store_aliases()
    try:
        mined = mine_articles(articles)
        return _score(load_pairs(Path(path)), [mined])
    finally:
        use_store_aliases(saved)


def mine_articles(paths: Sequence[Path | str]) -> str:
    """Ingest ``paths`` into a temporary store, which mines its name variants and leaves them
    in use in this process; the mining's line."""
    from marsad.ingest import read_path
    from marsad.name_variants import mine_store
    from marsad.pipeline import Pipeline
    from marsad.settings import Settings
    from marsad.store import open_store

    # extraction off: mining reads the stored texts, not the extracted entities
    settings = replace(Settings(), extract=False, alias_mining=False)
    with tempfile.TemporaryDirectory(prefix="marsad-aliases-") as tmp:
        store = open_store(Path(tmp) / "aliases.db")
        try:
            Pipeline(store, settings).ingest(
                record for path in paths for record in read_path(Path(path))
            )
            return mine_store(store).line()
        finally:
            store.close()


def _score(pairs: list[tuple[str, str, bool]], notes: list[str]) -> str:
    true_pos = false_pos = positives = 0
    errors: list[str] = []
    for a, b, same in pairs:
        predicted = same_entity(a, b)
        positives += same
        true_pos += predicted and same
        false_pos += predicted and not same
        if predicted != same and len(errors) < 20:
            errors.append(f"  {'missed' if same else 'wrongly merged'}: {a} | {b}")
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 0.0
    recall = true_pos / positives if positives else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return "\n".join(
        [
            *notes,
            f"pairs={len(pairs)} same={positives} predicted_same={true_pos + false_pos}",
            *errors,
            f"precision={precision:.3f} recall={recall:.3f}",
            f"alias_f1={f1:.3f}",
        ]
    )
