"""``marsad aliases``: the name variants a store mined from its own articles."""

from __future__ import annotations

import argparse
from typing import Any


def add_parsers(sub: Any) -> None:
    """Register ``marsad aliases mine`` and ``marsad aliases list``."""
    p = sub.add_parser(
        "aliases",
        help="name variants mined from the store's own articles (titles, acronyms, short names)",
        description="The store mines its newest articles for name variants after runs that"
        " brought enough new articles; `mine` does it now, `list` prints the lines.",
    )
    actions = p.add_subparsers(dest="action", required=True)
    a = actions.add_parser("mine", help="mine the store's newest articles now")
    a.set_defaults(run=cmd_aliases_mine)
    a = actions.add_parser("list", help="print the store's mined lines: variant<TAB>canonical")
    a.set_defaults(run=cmd_aliases_list)


def cmd_aliases_mine(args: argparse.Namespace) -> int:
    """Mine the store's newest articles and replace its mined lines."""
    from marsad.name_variants import mine_store
    from marsad.store import open_store

    store = open_store(args.db)
    try:
        print(mine_store(store).line())
    finally:
        store.close()
    return 0


def cmd_aliases_list(args: argparse.Namespace) -> int:
    """Print every mined line of the store."""
    from marsad.service import open_reader

    store = open_reader(args.db)
    try:
        for variant, canonical in store.mined_aliases():
            print(f"{variant}\t{canonical}")
    finally:
        store.close()
    return 0
