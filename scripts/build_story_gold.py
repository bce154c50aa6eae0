"""Build a story-clustering gold file from SaudiNewsNet and our committed labels.

The repository commits only ids and story labels (``evaluation/stories_dev/labels.csv`` and
``labels_more.csv`` for the July DEV gold, ``evaluation/stories_val/labels.csv`` for the August
VALIDATION gold); article
texts stay in the licensed corpus (SaudiNewsNet, CC BY-NC-SA 4.0). This script joins the two
into the input of ``marsad eval stories``: every article of the pool as one JSON line with
``id, source, date, title, text, url, story``, where ``story`` is the label or null (an
unlabeled distractor), sorted by date then id.

The pool is every article whose crawl date falls in ``--first-day..--last-day`` (default the July
DEV pool 2015-07-21..2015-07-31). Articles dated 2015-08-04 or later are held out for test sets:
a pool reaching into them is refused. ``--exclude-ids FILE`` (one id per line) names articles
kept apart from annotation: they stay in the pool as unlabeled distractors, and the build
fails if any labeled id is listed there. ``--labels`` may be given several times (label files of
one pool made in separate passes): an id labeled in two files, or a story slug used in two files,
is refused, since either would silently merge or overwrite another annotator's story. Every
failure is a one-line error.

Usage::

    python scripts/build_story_gold.py --corpus ../shared/data/saudinewsnet/saudinewsnet.jsonl.gz \
        --labels evaluation/stories_dev/labels.csv --labels evaluation/stories_dev/labels_more.csv \
        -o build/stories_dev.jsonl.gz
    python scripts/build_story_gold.py --corpus ../shared/data/saudinewsnet/saudinewsnet.jsonl.gz \
        --labels evaluation/stories_val/labels.csv --first-day 2015-08-01 --last-day 2015-08-03 \
        --exclude-ids ../shared/data/saudinewsnet/kept_apart_ids.txt -o build/stories_val.jsonl.gz
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TextIO

POOL_FIRST_DAY: Final = "2015-07-21"
POOL_LAST_DAY: Final = "2015-07-31"
# Articles crawled from this day on are held out for independent test sets; no pool may reach
# into them (the August VALIDATION gold uses 2015-08-01..2015-08-03).
HELD_OUT_FIRST_DAY: Final = "2015-08-04"
DAY_PATTERN: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")
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


def in_pool(date: str, first_day: str = POOL_FIRST_DAY, last_day: str = POOL_LAST_DAY) -> bool:
    """Whether a SaudiNewsNet ``date`` (``YYYY-MM-DD hh:mm:ss``) falls inside the pool days."""
    return first_day <= date[:10] <= last_day


def check_pool_days(first_day: str, last_day: str) -> None:
    """Validate the pool days: ``YYYY-MM-DD``, in order, and all before the held-out days.

    Raises:
        GoldError: on a malformed day, ``first_day`` after ``last_day``, or a pool day on or
            after :data:`HELD_OUT_FIRST_DAY`.
    """
    for day in (first_day, last_day):
        if not DAY_PATTERN.match(day):
            raise GoldError(f"malformed pool day {day!r} (expected YYYY-MM-DD)")
    if first_day > last_day:
        raise GoldError(f"pool first day {first_day} is after its last day {last_day}")
    if last_day >= HELD_OUT_FIRST_DAY:
        raise GoldError(
            f"pool day {last_day} is held out: the pool must end before {HELD_OUT_FIRST_DAY}"
        )


def read_id_list(path: Path) -> set[str]:
    """Read a file of article ids, one per line; blank lines and ``#`` comments are ignored."""
    with path.open(encoding="utf-8") as fh:
        lines = (line.split("#", 1)[0].strip() for line in fh)
        return {line for line in lines if line}


def check_not_excluded(labels: Iterable[Label], excluded: set[str], *, origin: str) -> None:
    """Refuse labels on articles kept apart from annotation (they stay unlabeled distractors).

    Raises:
        GoldError: if any labeled id is listed in ``excluded``.
    """
    clash = sorted(label.article_id for label in labels if label.article_id in excluded)
    if clash:
        raise GoldError(
            f"{len(clash)} labeled id(s) are kept apart in {origin} and must stay unlabeled, "
            f"e.g. {clash[0]}"
        )


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


def merge_label_files(files: Sequence[tuple[str, Sequence[Label]]]) -> list[Label]:
    """Join the labels of several files of one pool, given as ``(origin, labels)`` pairs.

    Each file is one labeling pass whose stories are complete on their own, so a story slug
    belongs to exactly one file and an article to at most one story.

    Raises:
        GoldError: if an id is labeled in two files, or a story slug is used in two files.
    """
    origin_of_id: dict[str, str] = {}
    origin_of_story: dict[str, str] = {}
    merged: list[Label] = []
    for origin, labels in files:
        for label in labels:
            if label.article_id in origin_of_id:
                raise GoldError(
                    f"id {label.article_id} is labeled in both {origin_of_id[label.article_id]} "
                    f"and {origin}"
                )
            origin_of_id[label.article_id] = origin
        for story in sorted({label.story for label in labels}):
            if origin_of_story.setdefault(story, origin) != origin:
                raise GoldError(
                    f"story {story!r} is used in both {origin_of_story[story]} and {origin}"
                )
        merged.extend(labels)
    return merged


def read_label_files(paths: Sequence[Path]) -> list[Label]:
    """Read and join several ``labels.csv`` files; see :func:`read_labels`, :func:`merge_label_files`."""
    return merge_label_files([(str(path), read_labels(path)) for path in paths])


def read_corpus(path: Path) -> Iterator[dict[str, Any]]:
    """Stream the SaudiNewsNet JSON lines (plain or gzipped)."""
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def build_gold(
    corpus: Iterable[Mapping[str, Any]],
    labels: Iterable[Label],
    *,
    first_day: str = POOL_FIRST_DAY,
    last_day: str = POOL_LAST_DAY,
) -> list[dict[str, Any]]:
    """Join the pool articles of ``corpus`` with ``labels``; sorted by date then id.

    Raises:
        GoldError: if the pool days are invalid or reach the held-out days (see
            :func:`check_pool_days`), or a labeled id is missing from the corpus or dated
            outside the pool.
    """
    check_pool_days(first_day, last_day)
    story_of = {label.article_id: label.story for label in labels}
    records: list[dict[str, Any]] = []
    outside: dict[str, str] = {}
    for article in corpus:
        article_id = str(article["id"])
        date = str(article.get("date") or "")
        if not in_pool(date, first_day, last_day):
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
            f"{first_day}..{last_day}, e.g. {first} ({outside[first]})"
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
    parser.add_argument(
        "--labels",
        type=Path,
        action="append",
        required=True,
        help="labels.csv (id,story,note); repeat for several files of the same pool",
    )
    parser.add_argument("-o", "--output", type=Path, required=True, help="output .jsonl.gz")
    parser.add_argument(
        "--first-day", default=POOL_FIRST_DAY, help=f"first pool day (default {POOL_FIRST_DAY})"
    )
    parser.add_argument(
        "--last-day",
        default=POOL_LAST_DAY,
        help=f"last pool day (default {POOL_LAST_DAY}); must be before {HELD_OUT_FIRST_DAY}",
    )
    parser.add_argument(
        "--exclude-ids",
        type=Path,
        help="ids kept apart from annotation (one per line): they stay in the pool unlabeled, "
        "and the build fails if any of them is labeled",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Build the gold file; prints a one-line summary, or a one-line error and exits 1."""
    args = parse_args(argv)
    try:
        check_pool_days(args.first_day, args.last_day)
        labels = read_label_files(args.labels)
        if args.exclude_ids is not None:
            excluded = read_id_list(args.exclude_ids)
            check_not_excluded(labels, excluded, origin=str(args.exclude_ids))
        records = build_gold(
            read_corpus(args.corpus), labels, first_day=args.first_day, last_day=args.last_day
        )
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
