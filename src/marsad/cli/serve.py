"""CLI commands for analysts: ``serve`` (web UI + JSON API) and ``export``."""

from __future__ import annotations

import argparse
import ipaddress
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from marsad.errors import ConfigError, MarsadError, MissingDependency
from marsad.store import store_exists

TOKEN_ENV = "MARSAD_TOKEN"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def add_parsers(sub: Any) -> None:
    """Register this module's subcommands on the main parser's subparsers."""
    p = sub.add_parser("serve", help="serve the web UI and JSON API (loopback by default)")
    p.add_argument("--host", default=DEFAULT_HOST, help=f"address to bind (default {DEFAULT_HOST})")
    p.add_argument("--port", type=int, default=DEFAULT_PORT,
                   help=f"port (default {DEFAULT_PORT}; 0: a free one, named in the first line)")  # fmt: skip
    p.add_argument(
        "--token",
        help=f"bearer token that enables the write API (default: ${TOKEN_ENV}; none: read-only)",
    )
    p.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="extra Host header value to answer (e.g. a reverse proxy's name); repeatable",
    )
    p.set_defaults(run=cmd_serve)

    p = sub.add_parser("export", help="export stories, articles, entities or statements")
    p.add_argument("--what", choices=("stories", "articles", "entities", "statements"),
                   default="stories")  # fmt: skip
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl",
                   help="jsonl, or csv with a UTF-8 BOM for spreadsheets")  # fmt: skip
    p.add_argument("-o", "--output", required=True, help="file to write")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.add_argument("--since", type=_time, help="from this time (ISO 8601)")
    p.add_argument("--until", type=_time, help="up to this time (ISO 8601)")
    p.add_argument("--outlet", help="only this outlet")
    p.add_argument("--query", help="only what matches this text (spelling-variant aware)")
    p.add_argument("--breaking", action=argparse.BooleanOptionalAction, default=None,
                   help="stories: only breaking (or, with --no-breaking, only non-breaking)")  # fmt: skip
    p.add_argument("--thread", type=int, help="stories: only this thread")
    p.set_defaults(run=cmd_export)


def _time(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 time") from None


def served_hosts(host: str, extra: list[str]) -> list[str]:
    """Host header values to accept: loopback names, the bound address, and extras."""
    from marsad.api.app import LOOPBACK_HOSTS

    hosts = [*LOOPBACK_HOSTS, *extra]
    try:
        unspecified = ipaddress.ip_address(host).is_unspecified
    except ValueError:
        unspecified = False
    if unspecified:
        # Bound to every interface: the machine's names are unknown here, so accept any.
        return ["*"]
    hosts.append(f"[{host}]" if ":" in host else host)
    return hosts


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the store over HTTP until interrupted."""
    try:
        import uvicorn

        from marsad.api import create_app
    except ImportError as exc:
        raise MissingDependency(
            f"the web server needs {exc.name}; install it with `pip install -e .`"
        ) from None
    if not 0 <= args.port < 65536:
        raise ConfigError(f"port {args.port} is out of range 0-65535")
    token = args.token or os.environ.get(TOKEN_ENV) or None
    if not store_exists(args.db) and token is None:
        raise MarsadError(
            f"{args.db}: no such store; run `marsad --db {args.db} ingest PATH` first, "
            "or serve with --token to ingest through the API"
        )
    app = create_app(args.db, token=token, allowed_hosts=served_hosts(args.host, args.allow_host))
    mode = "read-write (token set)" if token else "read-only (no token)"
    if args.port != 0:
        print(f"marsad: serving {args.db} on http://{args.host}:{args.port}/ [{mode}]", flush=True)
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning", server_header=False)
        return 0
    # Port 0: bound here, so the line names the port the system chose, and no other process
    # can take it between choosing and binding (the tests start servers this way). It
    # listens from now on: a request sent on reading the line waits until the app is up.
    config = uvicorn.Config(app, host=args.host, port=0, log_level="warning", server_header=False)
    listening = config.bind_socket()
    listening.listen(config.backlog)
    port = listening.getsockname()[1]
    print(f"marsad: serving {args.db} on http://{args.host}:{port}/ [{mode}]", flush=True)
    server = uvicorn.Server(config)
    server.run(sockets=[listening])
    return 0 if server.started else 1


def cmd_export(args: argparse.Namespace) -> int:
    """Export records to a file."""
    from marsad.export import ExportFilters, export
    from marsad.service import open_reader

    out = Path(args.output)
    if out.exists() and not args.force:
        raise MarsadError(f"{out} exists; pass --force to replace it")
    filters = ExportFilters(
        since=args.since,
        until=args.until,
        outlet=args.outlet,
        query=args.query,
        breaking=args.breaking,
        thread=args.thread,
    )
    count = export(open_reader(args.db), args.what, args.format, out, filters)
    print(f"exported {count} {args.what} to {out}")
    return 0
