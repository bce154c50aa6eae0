"""SaudiNewsNet records of chosen days, for the scripts that build data or gold files.

The one place the scripts apply the corpus rule: days from 2015-08-04 on and the ids of
``kept_apart_ids.txt`` are never read.
"""

from __future__ import annotations

import gzip
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
