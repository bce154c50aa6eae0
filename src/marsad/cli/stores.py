"""``marsad copy-store``: move a whole store between SQLite and PostgreSQL."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from marsad.errors import MarsadError


def add_parsers(sub: Any) -> None:
    """Register the store commands."""
    p = sub.add_parser(
        "copy-store",
        help="copy a store to another (SQLite file or postgresql:// URL, either way)",
        description="Copy every article, story, thread, analysis and watch row with its ids;"
        " the search index is rebuilt on the target. Refuses a target that holds articles"
        " or stories unless --replace.",
    )
    p.add_argument("source", help="store to read: a path, sqlite:///path or postgresql://...")
    p.add_argument("target", help="store to write (created and migrated when needed)")
    p.add_argument("--replace", action="store_true", help="overwrite a target that is not empty")
    p.set_defaults(run=cmd_copy_store)


def cmd_copy_store(args: argparse.Namespace) -> int:
    """Copy a store, then rebuild the target's search index."""
    from marsad.pipeline import Pipeline
    from marsad.store import open_store, store_exists
    from marsad.store.copy import copy_store

    if not store_exists(args.source):
        raise MarsadError(f"{args.source}: no such store")
    source = open_store(args.source, read_only=True)
    target = open_store(args.target)
    try:
        report = copy_store(
            source,
            target,
            replace=args.replace,
            progress=lambda table, n: print(f"  {table}: {n} rows", file=sys.stderr),
        )
        Pipeline(target).reindex()  # the index is derived: built from the copied articles
        articles, stories = report.rows.get("articles", 0), report.rows.get("stories", 0)
        print(f"copied {articles} articles and {stories} stories to {target.location}")
    finally:
        source.close()
        target.close()
    return 0
