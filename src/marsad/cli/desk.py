"""CLI commands for the analyst's desk: top stories and watchlist alerts."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from marsad.store.watchlists import WATCH_KINDS


def add_parsers(sub: Any) -> None:
    """Register ``top`` and ``alerts`` on the main parser's subparsers."""
    p = sub.add_parser(
        "top", help="top stories: ranked by distinct outlets and articles, decayed by age"
    )
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--source", help="only stories this outlet covered")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_top)

    alerts = sub.add_parser("alerts", help="watchlists: saved searches, entities, outlets")
    actions = alerts.add_subparsers(dest="action", required=True)
    a = actions.add_parser("add", help="save a watchlist")
    a.add_argument("query", help="words to search, an entity's name, or an outlet")
    a.add_argument(
        "--kind", choices=WATCH_KINDS, default="search", help="what the query is (default search)"
    )
    a.add_argument("--name", help="a label for the watchlist (default: the query)")
    a.add_argument("--json", action="store_true")
    a.set_defaults(run=cmd_alerts_add)
    a = actions.add_parser("list", help="list watchlists")
    a.add_argument("--json", action="store_true")
    a.set_defaults(run=cmd_alerts_list)
    a = actions.add_parser("run", help="find new matches since each watchlist's last run")
    a.add_argument("ids", nargs="*", type=int, help="only these watchlists (default: all)")
    a.add_argument("--json", action="store_true")
    a.set_defaults(run=cmd_alerts_run)
    a = actions.add_parser("feed", help="print a watchlist's matches as an Atom feed")
    a.add_argument("id", type=int)
    a.add_argument("--base-url", default="http://127.0.0.1:8000", help="server links point here")
    a.set_defaults(run=cmd_alerts_feed)
    a = actions.add_parser("remove", help="delete a watchlist and its matches")
    a.add_argument("id", type=int)
    a.set_defaults(run=cmd_alerts_remove)


def _store(db: str) -> Any:
    from marsad.store import open_store

    return open_store(db)


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def cmd_top(args: argparse.Namespace) -> int:
    """Print the top stories, best first."""
    from marsad.cli.main import render_story_line
    from marsad.views import top_view

    view = top_view(_store(args.db), limit=args.limit, offset=args.offset, source=args.source)
    if args.json:
        _print_json(view)
        return 0
    for story in view["stories"]:
        print(f"{story['score']:6.2f}  {render_story_line(story)}")
    print(
        f"({len(view['stories'])} of {view['total']} stories; score = outlets + a volume bonus"
        f" below 1, halved every {view['half_life_hours']:g} h before {view['reference']})"
    )
    return 0


def cmd_alerts_add(args: argparse.Namespace) -> int:
    """Save a watchlist."""
    from marsad.alerts.views import watchlist_brief
    from marsad.alerts.watchlists import add

    store = _store(args.db)
    watchlist = add(store, kind=args.kind, query=args.query, name=args.name)
    if args.json:
        _print_json(watchlist_brief(store, watchlist))
    else:
        print(f"watchlist #{watchlist.id} ({watchlist.kind}) {watchlist.query}")
    return 0


def cmd_alerts_list(args: argparse.Namespace) -> int:
    """List watchlists."""
    from marsad.alerts.views import watchlists_view

    view = watchlists_view(_store(args.db))
    if args.json:
        _print_json(view)
        return 0
    for w in view["watchlists"]:
        last = w["last_run_at"] or "never run"
        print(f"#{w['id']:<4} {w['kind']:<7} {w['query']}  ({w['matches']} matches; {last})")
    print(f"({view['total']} watchlists)")
    return 0


def cmd_alerts_run(args: argparse.Namespace) -> int:
    """Run watchlists and print their new matches."""
    from marsad.alerts.views import run_view

    view = run_view(_store(args.db), args.ids or None)
    if args.json:
        _print_json(view)
        return 0
    for result in view["runs"]:
        w = result["watchlist"]
        print(f"#{w['id']} {w['kind']} {w['query']}: {len(result['new'])} new")
        for hit in result["new"]:
            print(f"  {hit['published'][:16]}  [{hit['source']}] {hit['title']}  (#{hit['id']})")
    print(f"new_matches={sum(len(r['new']) for r in view['runs'])}")
    return 0


def cmd_alerts_feed(args: argparse.Namespace) -> int:
    """Print one watchlist's Atom feed."""
    from marsad.alerts.atom import watchlist_feed
    from marsad.errors import MarsadError

    feed = watchlist_feed(_store(args.db), args.id, base_url=args.base_url)
    if feed is None:
        raise MarsadError(f"no watchlist #{args.id}")
    sys.stdout.write(feed)
    return 0


def cmd_alerts_remove(args: argparse.Namespace) -> int:
    """Delete a watchlist."""
    from marsad.errors import MarsadError
    from marsad.store.watchlists import remove_watchlist

    if not remove_watchlist(_store(args.db), args.id):
        raise MarsadError(f"no watchlist #{args.id}")
    print(f"removed watchlist #{args.id}")
    return 0
