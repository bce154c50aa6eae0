"""Do two stores (e.g. the same pool ingested into SQLite and PostgreSQL) hold the same
stories and threads?

    marsad --db build/july.db ingest --no-extract build/stories_dev.jsonl.gz
    marsad --db postgresql://.../july ingest --no-extract build/stories_dev.jsonl.gz
    python scripts/compare_stores.py build/july.db postgresql://.../july

Compares, by input id, every article's story and thread, and every story row a reader sees
(title, summary, sources, thread, breaking flag, burst); the last line is ``identical=1``
or ``identical=0``.
"""

from __future__ import annotations

import argparse

from marsad.store import open_store

STORY_COLUMNS = "id, title, first_seen, last_seen, n_articles, sources, summary, thread_id,"
STORY_COLUMNS += " breaking, burst, n_passages"


def main() -> None:
    """Print how the two stores compare; the last line is the verdict."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", help="a store: path or URL")
    parser.add_argument("second", help="another store: path or URL")
    args = parser.parse_args()
    stores = [open_store(args.first, read_only=True), open_store(args.second, read_only=True)]
    stories = [s.story_assignments() for s in stores]
    threads = [s.thread_assignments() for s in stores]
    rows = [s.rows(f"SELECT {STORY_COLUMNS} FROM stories ORDER BY id") for s in stores]
    for store, assigned, chained in zip(stores, stories, threads, strict=True):
        print(
            f"{store.location}: {len(assigned)} articles in {len(set(assigned.values()))}"
            f" stories, {len(set(chained.values()))} threads"
        )
    checks = {
        "story of every article": stories[0] == stories[1],
        "thread of every article": threads[0] == threads[1],
        "story rows (titles, summaries, flags)": rows[0] == rows[1],
    }
    for name, same in checks.items():
        print(f"{name}: {'same' if same else 'DIFFERENT'}")
    print(f"identical={int(all(checks.values()))}")


if __name__ == "__main__":
    main()
