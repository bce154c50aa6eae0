"""Regenerate ``src/marsad/demo/gold.jsonl`` from the demo corpus and ``labels.csv``.

The gold file is what ``marsad eval stories`` scores story clustering against. It holds
one JSON object per corpus article (sorted by file name) with the fields ``id``,
``source``, ``date``, ``title``, ``text``, ``url`` and ``story`` (``null`` for articles
that belong to no single story, such as the roundup).

Usage::

    python scripts/make_demo_gold.py [CORPUS_DIR LABELS_CSV OUTPUT_JSONL]
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import datetime
from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parents[1] / "src" / "marsad" / "demo"
DEFAULT_CORPUS = DEMO_DIR / "corpus"
DEFAULT_LABELS = DEMO_DIR / "labels.csv"
DEFAULT_OUTPUT = DEMO_DIR / "gold.jsonl"

HEADER_FIELDS = ("title", "source", "date", "url")
DATE_FORMAT = "%Y-%m-%d %H:%M"
# One demo file is deliberately stored as Windows Arabic to exercise the ingest decoder.
FALLBACK_ENCODING = "cp1256"


def decode_article(raw: bytes) -> str:
    """Decode a corpus file: UTF-8 (BOM tolerated) first, else Windows Arabic.

    Args:
        raw: The file's bytes.

    Returns:
        The decoded text.
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode(FALLBACK_ENCODING)


def split_article(content: str) -> tuple[dict[str, str], str]:
    """Split a corpus file into its header fields and its body.

    Args:
        content: Decoded file content: ``key: value`` header lines, a blank line, the body.

    Returns:
        The header fields and the body (paragraphs joined by newlines, outer whitespace
        removed).

    Raises:
        ValueError: If the header block is malformed or misses a required field.
    """
    head, separator, body = content.replace("\r\n", "\n").partition("\n\n")
    if not separator:
        raise ValueError("no blank line between header and body")
    headers: dict[str, str] = {}
    for line in head.split("\n"):
        key, colon, value = line.partition(":")
        if not colon:
            raise ValueError(f"header line without 'key: value': {line!r}")
        headers[key.strip().lower()] = value.strip()
    missing = [name for name in HEADER_FIELDS if not headers.get(name)]
    if missing:
        raise ValueError(f"missing header fields: {', '.join(missing)}")
    return headers, body.strip()


def read_labels(labels_path: Path) -> dict[str, str | None]:
    """Read ``file,story`` rows; an empty story means "no single story".

    Args:
        labels_path: Path of ``labels.csv``.

    Returns:
        Story slug (or ``None``) per corpus file name.
    """
    with labels_path.open(encoding="utf-8", newline="") as handle:
        return {row["file"]: (row["story"].strip() or None) for row in csv.DictReader(handle)}


def build_gold(corpus_dir: Path, labels_path: Path) -> list[dict[str, str | None]]:
    """Build the gold records for every article of the corpus.

    Args:
        corpus_dir: Folder of ``NN_slug.txt`` articles.
        labels_path: Path of ``labels.csv``.

    Returns:
        One record per article, sorted by file name.

    Raises:
        ValueError: If a file has no label row, a label names no file, or a header is bad.
    """
    labels = read_labels(labels_path)
    paths = sorted(corpus_dir.glob("*.txt"))
    names = {path.name for path in paths}
    unlabeled = sorted(names - labels.keys())
    orphans = sorted(labels.keys() - names)
    if unlabeled or orphans:
        raise ValueError(f"labels out of sync: unlabeled={unlabeled} orphan labels={orphans}")
    records: list[dict[str, str | None]] = []
    for path in paths:
        try:
            headers, body = split_article(decode_article(path.read_bytes()))
            date = datetime.strptime(headers["date"], DATE_FORMAT)
        except ValueError as error:
            raise ValueError(f"{path.name}: {error}") from error
        records.append(
            {
                "id": path.stem,
                "source": headers["source"],
                "date": date.isoformat(),
                "title": headers["title"],
                "text": body,
                "url": headers["url"],
                "story": labels[path.name],
            }
        )
    return records


def render_gold(records: list[dict[str, str | None]]) -> str:
    """Serialise records as JSON Lines, keeping Arabic readable.

    Args:
        records: Output of :func:`build_gold`.

    Returns:
        The file content, one object per line, ending with a newline.
    """
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def main(argv: list[str]) -> int:
    """Write the gold file; arguments override the default paths.

    Args:
        argv: Either empty or ``CORPUS_DIR LABELS_CSV OUTPUT_JSONL``.

    Returns:
        Process exit status.
    """
    if argv and len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    corpus, labels, output = (
        (Path(argv[0]), Path(argv[1]), Path(argv[2]))
        if argv
        else (DEFAULT_CORPUS, DEFAULT_LABELS, DEFAULT_OUTPUT)
    )
    records = build_gold(corpus, labels)
    output.write_text(render_gold(records), encoding="utf-8", newline="\n")
    stories = {record["story"] for record in records} - {None}
    print(f"wrote {len(records)} articles in {len(stories)} stories to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
