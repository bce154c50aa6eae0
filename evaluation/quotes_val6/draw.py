"""Draws the articles of quotes_val6 (run once, before annotation; kept for the record).

Usage: PYTHONPATH=src python evaluation/quotes_val6/draw.py [SHARED_DIR] [--write]
Prints one id per line with its day and outlet; ``--write`` also writes ``articles.tsv`` (id,
origin, SHA-1 of the text as ingested). No article text is written anywhere.

Pool rule of ``quotes_val3/draw.py`` on the August days 2015-08-01..03, without every article
of ``quotes_val`` and ``quotes_val5`` (same days) or sharing a title with one of theirs, nor any
article of the other quote sets; the same number is drawn from each day so the set spreads over
the three days.
"""

from __future__ import annotations

import hashlib
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from snn_days import records_of_days

from marsad.ingest.readers import clean_body

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
DAYS = ("2015-08-01", "2015-08-02", "2015-08-03")  # never 2015-08-04 or later (kept apart)
CUES = ("قال", "أكد", "أوضح", "أشار", "أضاف")
USED_SETS = (
    "quotes_dev",
    "quotes_dev2",
    "quotes_val",
    "quotes_val2",
    "quotes_val3",
    "quotes_val4",
    "quotes_val5",
)
SEED = 20150803
PER_DAY = 15  # 45 drawn, so 40 remain if a few cannot be annotated in time


def _used_ids() -> set[str]:
    used: set[str] = set()
    for name in USED_SETS:
        for line in (REPO / "evaluation" / name / "articles.tsv").read_text("utf-8").splitlines():
            if line and not line.startswith("#"):
                used.add(line.split("\t")[0])
    return used


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if a != "--write"]
    shared = Path(args[0]) if args else REPO.parent / "shared"
    snn = shared / "data" / "saudinewsnet"
    used = _used_ids()
    records = list(records_of_days(snn, DAYS))
    used_titles = {r["title"] for r in records if r["id"] in used}
    pool: dict[str, list[tuple[str, dict[str, str]]]] = {day: [] for day in DAYS}
    for record in records:
        text = clean_body(record["text"])
        if (
            record["id"] not in used
            and record["title"] not in used_titles
            and 500 <= len(text) <= 1200
            and any(cue in text for cue in CUES)
        ):
            pool[record["date"][:10]].append((text, record))
    random.seed(SEED)
    drawn = []
    for day in DAYS:
        candidates = sorted(pool[day], key=lambda item: item[1]["id"])
        drawn.extend(random.sample(candidates, PER_DAY))
    sizes = ", ".join(f"{day} {len(pool[day])}" for day in DAYS)
    sys.stderr.write(f"# pool {sum(len(p) for p in pool.values())} articles ({sizes})\n")
    for _, record in drawn:
        sys.stdout.write(f"{record['id']}\t{record['date'][:10]}\t{record.get('source', '')}\n")
    if "--write" in argv:
        header = "# article_id<TAB>origin (seed | saudinewsnet)<TAB>SHA-1 of the UTF-8 text"
        lines = [header + " the offsets index"]
        for text, record in drawn:
            digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
            lines.append(f"{record['id']}\tsaudinewsnet\t{digest}")
        (HERE / "articles.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
