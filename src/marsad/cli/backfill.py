"""``marsad backfill``: ingest archives with the pure stages on a Dask cluster."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import importlib.util
import sys
import tempfile
from typing import Any

from marsad.cli.main import _print_skipped, progress_bar


def add_parsers(sub: Any) -> None:
    """Register ``backfill`` on the main parser's subparsers."""
    p = sub.add_parser(
        "backfill",
        help="ingest large archives on a Dask cluster (same stories as ingest)",
        description="Ingest files or folders with reading, cleaning, fingerprints and"
        " extraction as Dask tasks; stories are then formed in date order, exactly as"
        " `marsad ingest` forms them, and summarized as tasks.",
    )
    p.add_argument("paths", nargs="+", metavar="INPUT", help="files or folders to ingest")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--local-workers", type=int, metavar="N", help="start a cluster of N processes here"
    )
    where.add_argument(
        "--cluster",
        metavar="tcp://HOST:8786",
        help="use the running Dask scheduler at this address",
    )
    p.add_argument(
        "--shard-mb", type=float, default=1.0, help="plain JSONL byte range per task (default 1)"
    )
    p.add_argument(
        "--no-extract", action="store_true", help="skip entities, statements and numbers"
    )
    p.add_argument(
        "--blocks",
        type=_block_count,
        nargs="?",
        const=AUTO,
        default=0,
        metavar="N",
        help="cut the archive into N time blocks, each clustered and written on a worker and"
        " appended here in bulk (a PostgreSQL --db: written by the workers themselves, in"
        " parallel; stories agree with ingest's closely, not exactly); without N (or 'auto'):"
        " blocks of about DAYS / (2 x worker threads) days, 7 to 60 (README: the warm-up"
        " share against balance and retry cost); default 0: the exact, serial ordered write",
    )
    p.add_argument(
        "--block-days",
        type=float,
        default=0.0,
        metavar="D",
        help="time blocks of about D days each (instead of a count)",
    )
    p.add_argument(
        "--scratch-dir",
        metavar="FOLDER",
        help="with --blocks and --cluster: a folder this machine and every worker reach (a"
        " shared mount), where block tasks leave their scratch stores for a SQLite --db to"
        " attach (default: a temporary folder with --local-workers; the rows are sent back"
        " through Dask with --cluster; a PostgreSQL --db needs none: the workers write it)",
    )
    p.add_argument("--crawl-dates", action="store_true", help="the input's dates are crawl times")
    p.set_defaults(run=cmd_backfill)


AUTO = "auto"


def _block_count(text: str) -> int:
    """``--blocks`` N, or ``auto`` (the backfill's AUTO_BLOCKS)."""
    from marsad.backfill.plan import AUTO_BLOCKS

    if text == AUTO:
        return AUTO_BLOCKS
    count = int(text)
    if count < 0:
        raise argparse.ArgumentTypeError("N must be 0 or more (or 'auto')")
    return count


def cmd_backfill(args: argparse.Namespace) -> int:
    """Backfill the inputs into the --db store."""
    from marsad.cli.main import missing_input  # here: main imports this module
    from marsad.settings import load_settings
    from marsad.store import open_store

    if missing_input(args.paths):
        return 2
    # The settings ingest would use (--config or ./marsad.toml): the same stories need them.
    settings = load_settings(args.config)
    if args.no_extract:
        settings = dataclasses.replace(settings, extract=False)
    if args.crawl_dates:
        settings = dataclasses.replace(settings, crawl_dates=True)
    store = open_store(args.db)
    with contextlib.ExitStack() as cleanup:
        scratch_dir = args.scratch_dir
        if isinstance(args.blocks, str):  # the bare flag's const
            args.blocks = _block_count(args.blocks)
        in_blocks = bool(args.blocks or args.block_days)
        if scratch_dir is None and args.local_workers and in_blocks and not store.is_postgres:
            # Local workers share this file system: they leave each block's scratch store
            # here and the driver attaches it, instead of receiving its rows.
            scratch_dir = cleanup.enter_context(
                tempfile.TemporaryDirectory(prefix="marsad-blocks-")
            )
        report = _run(args, settings, store, scratch_dir)
    store.close()
    print(report.line())
    return 0


def _run(args: argparse.Namespace, settings: Any, store: Any, scratch_dir: str | None) -> Any:
    from marsad.backfill.cluster import dask_client
    from marsad.backfill.run import backfill
    from marsad.store.dialect import is_postgres

    with dask_client(local_workers=args.local_workers, address=args.cluster) as client:
        # Dask serves its dashboard only with bokeh installed (not a Marsad dependency).
        missing = "" if importlib.util.find_spec("bokeh") else " (install bokeh to serve it)"
        print(f"dashboard: {client.dashboard_link}{missing}", file=sys.stderr)
        report = backfill(
            args.paths,
            store,
            client,
            settings=settings,
            shard_bytes=int(args.shard_mb * 1_000_000),
            # A remote cluster's workers cannot open this machine's SQLite file; a
            # PostgreSQL server is assumed reachable from them as from here.
            workers_see_store=args.cluster is None or is_postgres(args.db),
            progress=_progress_bars(),
            on_skip=_print_skipped,
            on_warning=_print_warning,
            blocks=args.blocks,
            block_days=args.block_days,
            scratch_dir=scratch_dir
            if (args.blocks or args.block_days) and not store.is_postgres
            else None,
        )
    return report


def _print_warning(record: Any) -> None:
    print(f"warning {record.origin}: {'; '.join(record.warnings)}", file=sys.stderr)


def _progress_bars() -> Any:
    """One progress bar per phase (shards, articles, stories) on a terminal; else a line
    when each phase ends, so logs show progress too."""
    bars: dict[str, Any] = {}

    def show(what: str, done: int, total: int) -> None:
        if what not in bars:
            bars[what] = progress_bar(what)
        bar = bars[what]
        if bar is not None:
            bar(done, total)
        elif done >= total:
            print(f"{what}: {done}/{total}", file=sys.stderr)

    return show
