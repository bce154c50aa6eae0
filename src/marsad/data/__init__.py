"""Package data (word lists, lexicons, the join model), read one way.

Every module that needs a file of ``marsad/data`` reads it through these functions, which
keep the file's text once per process (a few MB in all): several modules read the same
file (``stem_df_ar.tsv.gz``), and parsers stay free to build what they keep from it. Parsed
values (JSON, TOML) are built anew per call, so a caller may change what it gets.
"""

from __future__ import annotations

import gzip
import json
import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_text(name: str) -> str:
    """The text of ``data/NAME`` (UTF-8)."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


@cache
def load_gzip_text(name: str) -> str:
    """The text of the gzip-compressed ``data/NAME`` (UTF-8)."""
    return gzip.decompress(resources.files(__name__).joinpath(name).read_bytes()).decode("utf-8")


def load_json(name: str) -> Any:
    """``data/NAME`` parsed as JSON."""
    return json.loads(load_text(name))


def load_toml(name: str) -> dict[str, Any]:
    """``data/NAME`` parsed as TOML."""
    return tomllib.loads(load_text(name))
