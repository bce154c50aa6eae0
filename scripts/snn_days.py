"""SaudiNewsNet records of chosen days, for the scripts that build data or gold files.

The one place the scripts apply the corpus rule: days from 2015-08-04 on and the ids of
``kept_apart_ids.txt`` are never read.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

FIRST_KEPT_APART_DAY = "2015-08-04"


def records_of_days(snn_dir: Path, days: Iterable[str]) -> Iterator[dict[str, Any]]:
    """Records dated on ``days`` (YYYY-MM-DD), kept-apart ids left out.

    Raises:
        ValueError: a day is on or after :data:`FIRST_KEPT_APART_DAY`.
    """
    wanted = set(days)
    if any(day >= FIRST_KEPT_APART_DAY for day in wanted):
        raise ValueError(f"days from {FIRST_KEPT_APART_DAY} on are kept apart")
    kept_apart = set((snn_dir / "kept_apart_ids.txt").read_text(encoding="utf-8").split())
    with gzip.open(snn_dir / "saudinewsnet.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["date"][:10] in wanted and record["id"] not in kept_apart:
                yield record


def texts_of_days(snn_dir: Path, days: Iterable[str]) -> list[str]:
    """Title and text of each record of ``days`` (see :func:`records_of_days`)."""
    return [f"{doc['title'] or ''}\n{doc['text'] or ''}" for doc in records_of_days(snn_dir, days)]


def listed_ids(evaluation_dir: Path, skip: Path) -> set[str]:
    """The article ids of every ``evaluation/*/articles.tsv`` but the one in ``skip``: what
    a new draw must leave out."""
    used: set[str] = set()
    for listing in sorted(evaluation_dir.glob("*/articles.tsv")):
        if listing.parent == skip:
            continue
        for line in listing.read_text("utf-8").splitlines():
            if line and not line.startswith("#"):
                used.add(line.split("\t")[0])
    return used


def write_article_list(path: Path, drawn: Iterable[tuple[str, str]]) -> None:
    """An ``articles.tsv`` of drawn (id, ingested text) pairs: the id and the text's SHA-1."""
    header = "# article_id<TAB>origin (seed | saudinewsnet)<TAB>SHA-1 of the UTF-8 text"
    lines = [header + " the offsets index"]
    for article_id, text in drawn:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
        lines.append(f"{article_id}\tsaudinewsnet\t{digest}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
