"""Writes the ARTICLES file for ``marsad eval quotes`` from the shared data (never committed).

The gold statements in ``evaluation/quotes_dev/gold.jsonl`` hold character offsets into the
article texts this script reproduces: for the seeds, the file decoded as UTF-8 with
``marsad.text.arabic.display`` applied; for SaudiNewsNet, the record's ``text`` through
``marsad.ingest.readers.clean_body`` (the text as ingested). ``articles.tsv`` lists every
article with the SHA-1 of that text, so a change of the cleaning rules is reported instead
of silently shifting offsets.

Usage: python scripts/build_quotes_articles.py [SHARED_DIR] [OUT_FILE] [--list ARTICLES_TSV]

``--list`` picks another annotated set (default ``evaluation/quotes_dev/articles.tsv``), e.g.
``evaluation/quotes_val/articles.tsv`` for the validation set (never tuned on).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
from pathlib import Path

from marsad.ingest.readers import clean_body
from marsad.text.arabic import display

REPO = Path(__file__).resolve().parents[1]
LIST_FILE = REPO / "evaluation" / "quotes_dev" / "articles.tsv"


def _read_list(list_file: Path = LIST_FILE) -> list[tuple[str, str, str]]:
    rows = []
    for line in list_file.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            article_id, origin, digest = line.split("\t")
            rows.append((article_id, origin, digest))
    return rows


def _snn_texts(shared: Path, wanted: set[str]) -> dict[str, str]:
    texts: dict[str, str] = {}
    path = shared / "data" / "saudinewsnet" / "saudinewsnet.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["id"] in wanted:
                texts[record["id"]] = clean_body(record["text"])
    return texts


def main(argv: list[str]) -> int:
    args = list(argv[1:])
    list_file = LIST_FILE
    if "--list" in args:
        position = args.index("--list")
        if position + 1 >= len(args):
            print("--list needs an articles.tsv path", file=sys.stderr)
            return 2
        list_file = Path(args[position + 1])
        del args[position : position + 2]
    shared = Path(args[0]) if args else REPO.parent / "shared"
    out = Path(args[1]) if len(args) > 1 else REPO / "build" / "quotes_dev_articles.jsonl"
    rows = _read_list(list_file)
    snn = _snn_texts(shared, {a for a, origin, _ in rows if origin == "saudinewsnet"})
    out.parent.mkdir(parents=True, exist_ok=True)
    problems = 0
    with out.open("w", encoding="utf-8") as handle:
        for article_id, origin, digest in rows:
            if origin == "seed":
                raw = (shared / "seeds" / article_id).read_bytes().decode("utf-8")
                text = display(raw)
            else:
                text = snn[article_id]
            if hashlib.sha1(text.encode("utf-8")).hexdigest() != digest:
                print(f"{article_id}: text differs from the annotated version", file=sys.stderr)
                problems += 1
            handle.write(json.dumps({"id": article_id, "text": text}, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} articles to {out}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
