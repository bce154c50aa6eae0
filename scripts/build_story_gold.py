"""Build the story-clustering DEV gold file from SaudiNewsNet and our committed labels.

The repository commits only ids and story labels (``evaluation/stories_dev/labels.csv``);
article texts stay in the licensed corpus (SaudiNewsNet, CC BY-NC-SA 4.0). This script joins
the two into the input of ``marsad eval stories``: every article of the pool (crawl dates
2015-07-21..2015-07-31) as one JSON line with ``id, source, date, title, text, url, story``,
where ``story`` is the label or null (an unlabeled distractor), sorted by date then id.

Usage::

    python scripts/build_story_gold.py --corpus ../shared/data/saudinewsnet/saudinewsnet.jsonl.gz \
        --labels evaluation/stories_dev/labels.csv -o build/stories_dev.jsonl.gz
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TextIO

POOL_FIRST_DAY: Final = "2015-07-21"
POOL_LAST_DAY: Final = "2015-07-31"
# August 2015 is held out for an independent test set; the pool must never reach into it.
OUTPUT_FIELDS: Final = ("id", "source", "date", "title", "text", "url")
SLUG_PATTERN: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_PATTERN: Final = re.compile(r"^snn-[0-9a-f]{16}$")


class GoldError(ValueError):
    """A labels file or corpus that cannot produce a valid gold set; the message is one line."""


@dataclass(frozen=True)
class Label:
    """One row of ``labels.csv``: a SaudiNewsNet id, its story slug and an optional note."""

    article_id: str
    story: str
    note: str


def in_pool(date: str) -> bool:
    """Whether a SaudiNewsNet ``date`` (``YYYY-MM-DD hh:mm:ss``) falls inside the pool days."""
    return POOL_FIRST_DAY <= date[:10] <= POOL_LAST_DAY


def read_labels(path: Path) -> list[Label]:
    """Read and validate ``labels.csv`` (columns ``id,story,note``).

    Raises:
        GoldError: on a missing column, a malformed id or slug, or a duplicated id.
    """
    with path.open(encoding="utf-8", newline="") as fh:
        return parse_labels(fh, origin=str(path))


def parse_labels(fh: TextIO, *, origin: str = "labels") -> list[Label]:
    """Parse label rows from an open CSV text stream; see :func:`read_labels`."""
    reader = csv.DictReader(fh)
    missing = {"id", "story"} - set(reader.fieldnames or ())
    if missing:
        raise GoldError(f"{origin}: missing column(s) {', '.join(sorted(missing))}")
    labels: list[Label] = []
    seen: set[str] = set()
    for line_number, row in enumerate(reader, start=2):
        article_id = (row.get("id") or "").strip()
        story = (row.get("story") or "").strip()
        if not ID_PATTERN.match(article_id):
            raise GoldError(f"{origin}:{line_number}: malformed id {article_id!r}")
        if not SLUG_PATTERN.match(story):
            raise GoldError(f"{origin}:{line_number}: malformed story slug {story!r}")
        if article_id in seen:
            raise GoldError(f"{origin}:{line_number}: duplicate id {article_id}")
        seen.add(article_id)
        labels.append(Label(article_id, story, (row.get("note") or "").strip()))
    return labels


def read_corpus(path: Path) -> Iterator[dict[str, Any]]:
    """Stream the SaudiNewsNet JSON lines (plain or gzipped)."""
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def build_gold(
    corpus: Iterable[Mapping[str, Any]], labels: Iterable[Label]
) -> list[dict[str, Any]]:
    """Join the pool articles of ``corpus`` with ``labels``; sorted by date then id.

    Raises:
        GoldError: if a labeled id is missing from the corpus or dated outside the pool.
    """
    story_of = {label.article_id: label.story for label in labels}
    records: list[dict[str, Any]] = []
    outside: dict[str, str] = {}
    for article in corpus:
        article_id = str(article["id"])
        date = str(article.get("date") or "")
        if not in_pool(date):
            if article_id in story_of:
                outside[article_id] = date
            continue
        record = {field: article.get(field) for field in OUTPUT_FIELDS}
        record["story"] = story_of.get(article_id)
        records.append(record)
    if outside:
        first = min(outside)
        raise GoldError(
            f"{len(outside)} labeled id(s) dated outside the pool "
            f"{POOL_FIRST_DAY}..{POOL_LAST_DAY}, e.g. {first} ({outside[first]})"
        )
    found = {record["id"] for record in records}
    absent = sorted(set(story_of) - found)
    if absent:
        raise GoldError(f"{len(absent)} labeled id(s) not in the corpus, e.g. {absent[0]}")
    records.sort(key=lambda record: (str(record["date"]), str(record["id"])))
    return records


def write_jsonl_gz(records: Iterable[Mapping[str, Any]], path: Path) -> int:
    """Write ``records`` as gzipped UTF-8 JSON lines; returns how many were written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    # mtime=0 keeps the output byte-identical across runs.
    with (
        path.open("wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz,
    ):
        for record in records:
            gz.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
            count += 1
    return count


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="saudinewsnet.jsonl.gz")
    parser.add_argument("--labels", type=Path, required=True, help="labels.csv (id,story,note)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="output .jsonl.gz")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Build the gold file; prints a one-line summary, or a one-line error and exits 1."""
    args = parse_args(argv)
    try:
        labels = read_labels(args.labels)
        records = build_gold(read_corpus(args.corpus), labels)
    except (GoldError, OSError, json.JSONDecodeError, KeyError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    written = write_jsonl_gz(records, args.output)
    stories = {label.story for label in labels}
    print(
        f"wrote {written} pool articles ({len(labels)} labeled in {len(stories)} stories) "
        f"to {args.output}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
