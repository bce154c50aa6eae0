"""The sources file: which outlets to watch, through which feeds and pages, how often.

A TOML file with one ``[[source]]`` table per outlet::

    [[source]]
    name = "جريدة المثال"          # stored as the articles' source
    feeds = ["https://example.com/rss.xml"]
    pages = ["https://example.com/live"]   # article pages watched for new versions
    language = "ar"
    poll_interval_s = 300
    total_timeout_s = 30            # optional: deadline per response (default: the watch's)

Every mistake is reported as one :class:`~marsad.errors.ConfigError` line naming the
file, the source and key at fault, and what to write instead.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from marsad.errors import ConfigError

DEFAULT_POLL_INTERVAL_S = 300.0
MIN_POLL_INTERVAL_S = 1.0
_KEYS = frozenset({"name", "feeds", "pages", "language", "poll_interval_s", "total_timeout_s"})


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceConfig:
    """One watched outlet."""

    name: str
    feeds: tuple[str, ...] = ()
    pages: tuple[str, ...] = ()
    language: str = "ar"
    poll_interval_s: float = DEFAULT_POLL_INTERVAL_S
    total_timeout_s: float | None = None  # per response; None: the fetcher's limit


def load_sources(path: str | Path) -> list[SourceConfig]:
    """Read and validate a sources file.

    Raises:
        ConfigError: The file is missing, not TOML, or a source is invalid.
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: no such sources file; create it with [[source]] tables"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"{path}: cannot read the sources file ({exc}); save it as UTF-8"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix the syntax there") from None
    return parse_sources(data, origin=str(path))


def parse_sources(data: dict[str, Any], *, origin: str) -> list[SourceConfig]:
    """Validate the parsed TOML of a sources file (``origin`` names it in errors)."""
    extra = set(data) - {"source"}
    if extra:
        raise ConfigError(
            f"{origin}: unknown top-level key {sorted(extra)[0]!r}; "
            "put each outlet in a [[source]] table"
        )
    tables = data.get("source")
    if not isinstance(tables, list) or not tables:
        raise ConfigError(f"{origin}: no [[source]] tables; add one per outlet with name and feeds")
    sources: list[SourceConfig] = []
    names: set[str] = set()
    for index, table in enumerate(tables, start=1):
        source = _source(table, origin=f"{origin}: source #{index}")
        if source.name in names:
            raise ConfigError(
                f"{origin}: source #{index}: name {source.name!r} is used twice; names must be unique"
            )
        names.add(source.name)
        sources.append(source)
    return sources


def _source(table: Any, *, origin: str) -> SourceConfig:
    if not isinstance(table, dict):
        raise ConfigError(f"{origin}: must be a [[source]] table")
    unknown = set(table) - _KEYS
    if unknown:
        raise ConfigError(
            f"{origin}: unknown key {sorted(unknown)[0]!r}; allowed keys are {', '.join(sorted(_KEYS))}"
        )
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{origin}: 'name' is missing or empty; give the outlet's name")
    origin = f"{origin} ({name.strip()})"
    feeds = _urls(table.get("feeds", []), key="feeds", origin=origin)
    pages = _urls(table.get("pages", []), key="pages", origin=origin)
    if not feeds and not pages:
        raise ConfigError(f"{origin}: no 'feeds' or 'pages'; list at least one URL to watch")
    language = table.get("language", "ar")
    if not isinstance(language, str) or not language.strip():
        raise ConfigError(f"{origin}: 'language' must be a language code such as \"ar\"")
    interval = table.get("poll_interval_s", DEFAULT_POLL_INTERVAL_S)
    if (
        isinstance(interval, bool)
        or not isinstance(interval, int | float)
        or not interval >= MIN_POLL_INTERVAL_S
    ):
        raise ConfigError(
            f"{origin}: 'poll_interval_s' must be a number of seconds >= {MIN_POLL_INTERVAL_S:g}"
        )
    total_timeout = table.get("total_timeout_s")
    if total_timeout is not None and (
        isinstance(total_timeout, bool)
        or not isinstance(total_timeout, int | float)
        or not total_timeout > 0
    ):
        raise ConfigError(
            f"{origin}: 'total_timeout_s' must be a number of seconds > 0 (the deadline for "
            "one whole response)"
        )
    return SourceConfig(
        name=name.strip(),
        feeds=feeds,
        pages=pages,
        language=language.strip(),
        poll_interval_s=float(interval),
        total_timeout_s=None if total_timeout is None else float(total_timeout),
    )


def _urls(value: Any, *, key: str, origin: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f'{origin}: {key!r} must be a list of URL strings, like ["https://..."]')
    for url in value:
        parts = urlsplit(url.strip())
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ConfigError(f"{origin}: {key!r} entry {url!r} is not an http(s) URL; fix it")
    return tuple(url.strip() for url in value)
