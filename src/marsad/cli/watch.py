"""CLI commands for live monitoring: watch, sources, backup, restore."""

from __future__ import annotations

import argparse
from typing import Any


def add_parsers(sub: Any) -> None:
    """Register this module's subcommands on the main parser's subparsers."""
    del sub  # filled in by the live-monitoring work


def _unused(_: argparse.Namespace) -> int:
    return 0
