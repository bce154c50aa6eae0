"""Precision of the breaking flag against judged stories.

Judgments (``evaluation/breaking/judged.tsv``): one story per line, ``yes`` or ``no`` (is
it breaking news, read from its headline), then the input ids of its articles separated by
commas, so a judgment outlives story ids and matches any store built from the same corpus.
A store's story takes the judgment that shares most of its articles. Only stories that
began inside [since, until) count: flag the days a rule was not tuned on.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from marsad.store import Store


@dataclass(frozen=True, slots=True)
class Judgment:
    """Whether a story is breaking news, and the input ids of its articles."""

    breaking: bool
    article_ids: tuple[str, ...]


def read_judgments(path: Path) -> list[Judgment]:
    """Read ``judged.tsv`` (label, comma-separated article ids; ``#`` lines are comments)."""
    judgments = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if not row or row[0].startswith("#"):
                continue
            label, ids = row[0].strip(), row[1].strip()
            if label not in {"yes", "no"}:
                raise ValueError(f"{path}: label must be yes or no, got {label!r}")
            judgments.append(Judgment(label == "yes", tuple(ids.split(","))))
    return judgments


def flagged_stories(store: Store, since: datetime, until: datetime) -> dict[int, list[str]]:
    """Breaking stories that began in [since, until): story id -> its articles' input ids."""
    stories: dict[int, list[str]] = {}
    for story_id, ext_id in store.breaking_story_ext_ids(since, until):
        stories.setdefault(story_id, []).append(ext_id)
    return stories


def evaluate_breaking(store: Store, judged: Path, *, since: datetime, until: datetime) -> str:
    """Report flagged stories, how many are judged, and the precision of the flag.

    The last line is ``breaking_precision=P`` (over judged flagged stories), preceded by
    ``unjudged=N``: the precision covers every flagged story only when N is 0.
    """
    judgments = read_judgments(judged)
    owner = {aid: n for n, j in enumerate(judgments) for aid in j.article_ids}
    flagged = flagged_stories(store, since, until)
    yes = no = unjudged = 0
    lines = []
    for story_id, ids in sorted(flagged.items()):
        votes = Counter(owner[i] for i in ids if i in owner)
        if not votes:
            unjudged += 1
            lines.append(f"  unjudged story #{story_id}: {','.join(ids[:5])}")
            continue
        if judgments[votes.most_common(1)[0][0]].breaking:
            yes += 1
        else:
            no += 1
    judged_n = yes + no
    precision = yes / judged_n if judged_n else 0.0
    return "\n".join(
        [
            f"stories begun {since.date()}..{until.date()} flagged breaking: {len(flagged)}",
            *lines,
            f"judged: {judged_n} (breaking news: {yes}, not: {no})",
            f"unjudged={unjudged}",
            f"breaking_precision={precision:.3f}",
        ]
    )
