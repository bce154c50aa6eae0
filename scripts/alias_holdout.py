"""Scores the development alias sets with the mined aliases re-mined WITHOUT each set's days.

Usage: PYTHONPATH=src:scripts python scripts/alias_holdout.py [--snn PATH] [--list] [--store] [SET ...]

The committed mined section of ``aliases_ar.tsv`` read every July day, so a July set's figure
with it says little about names the miner has never seen (the blind sets' case). Here each
set is scored with a mined section built from the July days it was NOT drawn from (its own
days' text never seen by the miner), the hand-written section unchanged. ``--list`` prints
each error with its kind (:mod:`alias_error_kinds`). Blind sets are refused. The mined lines
of each fold are kept in ``build/alias_holdout/`` keyed by the days and a hash of the code, so
a second run scores without re-mining.

``--store`` scores each set a second time the way a user's store holding the set's own days
would: those days are ingested into a temporary store that mines its own name variants
(the product path of ``marsad eval aliases GOLD --articles FILE``), on top of the held-out
mined section.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from functools import lru_cache
from pathlib import Path

from alias_error_kinds import BLIND_SETS, kind_of_miss
from mine_aliases import ALIAS_FILE, replace_mined_section
from snn_days import records_of_days

import marsad.text.arabic as arabic
from marsad.evaluate.aliases_eval import load_pairs, mine_articles
from marsad.extract import aliases
from marsad.name_variants import mine_texts

ROOT = Path(__file__).resolve().parents[1]
JULY_DAYS = (
    "2015-07-21",
    "2015-07-22",
    "2015-07-23",
    "2015-07-24",
    "2015-07-25",
    "2015-07-26",
    "2015-07-27",
    "2015-07-31",
)
# Each development set and the days it was drawn from (its README); the others are not July.
SETS = {
    "aliases_dev": (ROOT / "evaluation/aliases_dev/gold.jsonl", ()),
    "aliases_val": (ROOT / "evaluation/aliases_val/gold.jsonl", ()),
    "aliases_val2": (
        ROOT / "evaluation/aliases_val2/aliases_val2.jsonl",
        ("2015-07-26", "2015-07-27"),
    ),
    "aliases_val3": (
        ROOT / "evaluation/aliases_val3/aliases_val3.jsonl",
        ("2015-07-24", "2015-07-25"),
    ),
    "aliases_val4": (
        ROOT / "evaluation/aliases_val4/aliases_val4.jsonl",
        ("2015-07-21", "2015-07-22", "2015-07-23", "2015-07-31"),
    ),
}
CACHE = ROOT / "build" / "alias_holdout"


@lru_cache(maxsize=1)
def _code_hash() -> str:
    """A hash of the code and lists the mining reads (as they were when this run started),
    so a cached fold is never stale."""
    digest = hashlib.sha1()
    for path in sorted((ROOT / "src/marsad").rglob("*")):
        if path.is_file() and path.suffix in (".py", ".txt", ".tsv") and path != ALIAS_FILE:
            digest.update(path.read_bytes())
    digest.update(ALIAS_FILE.read_text(encoding="utf-8").partition("[mined]")[0].encode())
    return digest.hexdigest()[:12]


def mined_lines(snn: Path, days: tuple[str, ...]) -> list[str]:
    """``variant<TAB>canonical`` lines mined from ``days`` (cached per days and code)."""
    cached = CACHE / f"{'_'.join(d[5:] for d in days)}-{_code_hash()}.tsv"
    if cached.exists():
        return cached.read_text(encoding="utf-8").splitlines()
    records = list(records_of_days(snn, days))
    mined = mine_texts(
        [f"{doc['title'] or ''}\n{doc['text'] or ''}" for doc in records],
        [doc["source"] for doc in records],
        [doc["date"] for doc in records],
    )
    lines = [f"{variant}\t{canonical}" for variant, canonical in mined]
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return lines


def days_file(snn: Path, days: tuple[str, ...]) -> Path:
    """The records of ``days`` as one JSONL.gz input file (written once, under the cache)."""
    path = CACHE / f"days-{'_'.join(d[5:] for d in days)}.jsonl.gz"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            for record in records_of_days(snn, days):
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def use_mined(lines: list[str]) -> None:
    """Makes the alias tables read ``lines`` as the mined section (this process only)."""
    text = replace_mined_section(ALIAS_FILE.read_text(encoding="utf-8"), "# holdout", lines)
    original = arabic.load_text

    def patched(name: str) -> str:
        return text if name == "aliases_ar.tsv" else original(name)

    arabic.load_text = patched  # type: ignore[assignment]
    aliases._clear_caches()


def score(path: Path, show: bool) -> str:
    """``P R F1`` of :func:`same_entity` on a gold file; errors printed when ``show``."""
    true_pos = false_pos = positives = 0
    for a, b, same in load_pairs(path):
        predicted = aliases.same_entity(a, b)
        positives += same
        true_pos += predicted and same
        false_pos += predicted and not same
        if show and predicted != same:
            kind = kind_of_miss(a, b) if same else "wrongly merged"
            print(f"  {path.parent.name}\t{kind}\t{a} | {b}")
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 0.0
    recall = true_pos / positives if positives else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f"precision={precision:.3f} recall={recall:.3f} f1={f1:.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", default=list(SETS))
    parser.add_argument("--snn", type=Path, default=ROOT.parent / "shared/data/saudinewsnet")
    parser.add_argument("--list", action="store_true", help="print every error with its kind")
    parser.add_argument("--mined", type=Path, help="score with these mined lines, no mining")
    parser.add_argument(
        "--store", action="store_true", help="also score with a store mining the own days"
    )
    args = parser.parse_args()
    if any(blind in name for name in args.sets for blind in BLIND_SETS):
        parser.error("a blind set is never scored here")
    for name in args.sets:
        path, own_days = SETS[name]
        days = tuple(d for d in JULY_DAYS if d not in own_days)
        lines = (
            args.mined.read_text(encoding="utf-8").splitlines()
            if args.mined
            else mined_lines(args.snn, days)
        )
        use_mined(lines)
        result = score(path, args.list)
        print(f"{name}\tmined from {len(days)} days ({len(lines)} lines)\t{result}", flush=True)
        if args.store and own_days:
            mined = mine_articles([days_file(args.snn, own_days)])
            result = score(path, args.list)
            print(f"{name}\t+ store of its {len(own_days)} days: {mined}\t{result}", flush=True)
            aliases.use_store_aliases(())
    return 0


if __name__ == "__main__":
    sys.exit(main())
