"""Draw the speaker-training articles (run once, before labelling; prints ids only).

SaudiNewsNet articles dated in July 2015 (never August: quotes_val and quotes_val5 use
2015-08-01..03, and 2015-08-04 on is kept apart), none in the development quote sets, none in
kept_apart_ids.txt, with at least two cue words of speech so that statements are likely.
"""

from __future__ import annotations

import gzip
import json
import random
import sys
from pathlib import Path

DEV_LISTS = ("quotes_dev", "quotes_dev2", "quotes_val2", "quotes_val3", "quotes_val4")
CUES = ("قال", "أكد", "أوضح", "أشار", "أضاف", "ذكر")
WANTED = 40
SEEDS = (20150728, 20150729)  # the first draw, then a second one of other articles


def main(shared: Path) -> None:
    used = set()
    for name in DEV_LISTS:
        for line in (
            Path(f"evaluation/{name}/articles.tsv").read_text(encoding="utf-8").splitlines()
        ):
            if line and not line.startswith("#"):
                used.add(line.split("\t")[0])
    kept_apart = set((shared / "data/saudinewsnet/kept_apart_ids.txt").read_text().split())
    pool = []
    with gzip.open(shared / "data/saudinewsnet/saudinewsnet.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if not record["date"].startswith("2015-07") or record["id"] in used | kept_apart:
                continue
            text = record["text"] or ""
            if 400 < len(text) < 3000 and sum(text.count(c) for c in CUES) >= 2:
                pool.append(record["id"])
    drawn: list[str] = []
    for seed in SEEDS:
        random.seed(seed)
        left = sorted(set(pool) - set(drawn))
        drawn += sorted(random.sample(left, WANTED))
    for article_id in drawn:
        sys.stdout.write(article_id + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
