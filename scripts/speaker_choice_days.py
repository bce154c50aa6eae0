"""Writes the SaudiNewsNet day of every article of the speaker-choice training sets.

``evaluation/speaker_errors/choice_days.tsv`` (``article_id<TAB>YYYY-MM-DD``): the folds of
``scripts/train_speaker_choice.py`` hold out whole days. Only the ids and dates of the listed
development sets' articles are kept; nothing else of any record is written or printed.

    PYTHONPATH=src python scripts/speaker_choice_days.py ../shared
"""

from __future__ import annotations

import sys
from pathlib import Path

from snn_days import records_of_days

# The labelled development sets the chooser is trained on (quotes_val8 and quotes_val9 are
# development since session 26, quotes_val10 since session 27; quotes_val11 is blind, never here).
TRAINING_SETS = (
    "quotes_dev",
    "quotes_dev2",
    "quotes_dev7",
    "speakers_train",
    "quotes_val",
    "quotes_val2",
    "quotes_val3",
    "quotes_val4",
    "quotes_val5",
    "quotes_val6",
    "quotes_val7",
    "quotes_val8",
    "quotes_val9",
    "quotes_val10",
)
DAYS = [f"2015-07-{day:02d}" for day in range(1, 32)] + ["2015-08-01", "2015-08-02", "2015-08-03"]
OUTPUT = Path("evaluation/speaker_errors/choice_days.tsv")


def main(argv: list[str]) -> int:
    shared = Path(argv[1]) if len(argv) > 1 else Path("../shared")
    wanted: set[str] = set()
    for name in TRAINING_SETS:
        for line in Path(f"evaluation/{name}/articles.tsv").read_text("utf-8").splitlines():
            if line and not line.startswith("#") and line.split("\t")[1] == "saudinewsnet":
                wanted.add(line.split("\t")[0])
    days = {
        record["id"]: record["date"][:10]
        for record in records_of_days(shared / "data" / "saudinewsnet", DAYS)
        if record["id"] in wanted
    }
    missing = wanted - days.keys()
    lines = ["# article_id<TAB>SaudiNewsNet date of the speaker-choice training articles"]
    lines += [f"{article}\t{days[article]}" for article in sorted(days)]
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(days)} articles dated, {len(missing)} not found")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
