"""CLI commands for live monitoring: watch, sources, backup, restore."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from marsad.errors import MarsadError


def add_parsers(sub: Any) -> None:
    """Register this module's subcommands on the main parser's subparsers."""
    p = sub.add_parser("watch", help="poll outlets' feeds and pages, ingesting new articles live")
    p.add_argument("--sources", required=True, help="TOML file of [[source]] tables")
    p.add_argument("--once", action="store_true", help="poll every source once, then exit")
    p.add_argument("--max-polls", type=_positive_int, help="stop after N polls")
    p.add_argument(
        "--host-interval",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="politeness: least time between two requests to one host (default 1)",
    )
    p.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                   help="network timeout per connect/read (default 10)")  # fmt: skip
    p.add_argument("--alerts", action="store_true",
                   help="run every watchlist after each poll (their feeds follow the watch)")  # fmt: skip
    p.set_defaults(run=cmd_watch)

    p = sub.add_parser("sources", help="health of watched sources: last success/error, lag")
    p.add_argument("--sources", help="also list the sources of this file never polled yet")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_sources)

    p = sub.add_parser("backup", help="copy the store consistently (safe while watching)")
    p.add_argument("out", help="backup file to write")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.set_defaults(run=cmd_backup)

    p = sub.add_parser("restore", help="replace the store with a verified backup")
    p.add_argument("backup", help="backup file to restore")
    p.add_argument("--force", action="store_true", help="replace an existing store")
    p.set_defaults(run=cmd_restore)


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _open_watch_pipeline(db: str, config: str | None) -> Any:
    from marsad.pipeline import Pipeline
    from marsad.settings import load_settings
    from marsad.store import open_store
    from marsad.store.errors import store_errors

    settings = load_settings(config)
    # e.g. a read-only store that needs a migration or reindex: one StoreError line
    with store_errors(db):
        return Pipeline(open_store(db), settings)


def cmd_watch(args: argparse.Namespace) -> int:
    """Watch the sources of a file until interrupted (or for --once / --max-polls)."""
    from marsad.store.errors import store_errors
    from marsad.watch.fetch import FetchLimits
    from marsad.watch.poller import Watcher, WatchSettings
    from marsad.watch.sources import load_sources

    sources = load_sources(args.sources)
    # trafilatura/htmldate log multi-line warnings about odd pages; the watch reports one
    # line per item itself, so keep stderr to those lines.
    for name in ("trafilatura", "htmldate", "courlan"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    pipeline = _open_watch_pipeline(args.db, getattr(args, "config", None))
    settings = WatchSettings(
        limits=FetchLimits(timeout_s=args.timeout, host_interval_s=max(0.0, args.host_interval))
    )
    watcher_class = _alerting_watcher(Watcher) if args.alerts else Watcher
    watcher = watcher_class(pipeline, sources, settings=settings)
    max_polls = 1 if args.once else args.max_polls
    try:
        with store_errors(args.db):
            report = watcher.run(max_polls=max_polls)
    except KeyboardInterrupt:
        print(watcher.report.line(), file=sys.stderr)
        raise
    print(report.line())
    return 0


def _alerting_watcher(base: type[Any]) -> type[Any]:
    """A Watcher that runs every watchlist after each poll and prints their new matches."""
    from marsad.alerts.watchlists import run as run_watchlists

    class AlertingWatcher(base):  # type: ignore[misc]  # built at run time: lazy imports
        def poll(self, *, only_due: bool = True) -> Any:
            report = super().poll(only_due=only_due)
            for result in run_watchlists(self.store):
                if result.new_article_ids:
                    w = result.watchlist
                    print(f"alerts: #{w.id} {w.name}: {len(result.new_article_ids)} new")
            return report

    return AlertingWatcher


def cmd_sources(args: argparse.Namespace) -> int:
    """Show per-source health from the store."""
    from marsad.store import open_store
    from marsad.views import sources_view
    from marsad.watch.sources import load_sources

    if not Path(args.db).exists():
        raise MarsadError(f"{args.db}: no such store; run `marsad --db {args.db} watch` first")
    names = [s.name for s in load_sources(args.sources)] if args.sources else []
    store = open_store(args.db)
    store.refuse_writes()  # a report: it only reads
    statuses = store.source_status(names)
    rows = sources_view(store, names)["sources"]
    if args.json:
        print(json.dumps({"sources": rows}, ensure_ascii=False, indent=2))
        return 0
    for s in statuses:
        error = f"; last error {_iso(s.last_error_at)}: {s.last_error}" if s.last_error else ""
        print(
            f"{s.name}: last success {_iso(s.last_success) or 'never'}, "
            f"{s.articles_today} article(s) today, lag {_duration(s.lag_s)}{error}"
        )
    print(f"({len(rows)} sources)")
    return 0


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds")


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "n/a"
    minutes = int(seconds // 60)
    if abs(minutes) < 60:
        return f"{minutes} min"
    hours = minutes // 60
    return f"{hours} h {minutes % 60} min" if abs(hours) < 48 else f"{hours // 24} days"


def cmd_backup(args: argparse.Namespace) -> int:
    """Back up the store."""
    from marsad.store.backup import backup_store

    report = backup_store(args.db, args.out, force=args.force)
    print(
        f"backed up {args.db} to {report.path}: {report.articles} articles, "
        f"{report.stories} stories, {report.bytes:,} bytes (integrity ok)"
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore the store from a backup."""
    from marsad.store.backup import restore_store

    report = restore_store(args.backup, args.db, force=args.force)
    print(
        f"restored {args.db} from {args.backup}: {report.articles} articles, "
        f"{report.stories} stories (integrity ok)"
    )
    return 0
