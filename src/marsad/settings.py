"""The pipeline's settings: one frozen tree of tuned defaults, optionally laid over by a
``marsad.toml`` file (``--config PATH``, else ``./marsad.toml`` when present).

A file sets only the keys it names; top-level keys are :class:`Settings` fields and the
``[cluster]`` and ``[threads]`` tables set :class:`ClusterSettings` and
:class:`ThreadSettings`. An unknown key or a value of the wrong type is an error naming
the key, never silently ignored (a misspelt knob would otherwise look like no effect)::

    batch_size = 1000
    workers = 0

    [cluster]
    join_threshold = 0.25
    join_model = "shipped"   # the learned join decision; "none" for the hand-weighted one
    merge_model = "shipped"  # the learned story merge; "none" for none (or merge_threshold)
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from marsad.cluster.stories import (
    LEARNED_CONFIGURATIONS,
    ClusterSettings,
    learned_settings,
    shipped_join_model,
    shipped_merge_model,
)
from marsad.cluster.threads import ThreadSettings
from marsad.errors import ConfigError

CONFIG_FILE = "marsad.toml"  # read from the working directory when no --config is given


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """Pipeline settings; defaults are the tuned values."""

    dedup_threshold: float = 0.7  # see dedup.minhash for why copies score this low
    num_perm: int = 64
    cluster: ClusterSettings = field(default_factory=ClusterSettings)
    threads: ThreadSettings = field(default_factory=ThreadSettings)
    batch_size: int = 500  # articles per transaction: the most a killed run can lose
    summary_sentences: int = 5
    summary_chars: int = 900
    extract: bool = True  # entities, statements, numbers (the slowest stage)
    roundups: bool = True  # cluster multi-event articles passage by passage
    workers: int = -1  # processes preparing batches ahead on large inputs (0: none; -1: auto)
    # The input's dates are when pages were crawled, not published (SaudiNewsNet's are);
    # a record may also say so itself with ``"date_kind": "crawled"``.
    crawl_dates: bool = False
    # Mine name variants (titles' holders, acronyms, short names) from the store's own
    # articles after a run once enough new ones arrived (marsad.name_variants). Off unless
    # asked for: on all of SaudiNewsNet it took streaming ingest from 179 to 98 articles/s
    # and the main process from 1.2 to 3.2 GB; `marsad aliases mine` runs it on demand.
    alias_mining: bool = False

    @property
    def pool_size(self) -> int:
        """Worker processes to start: ``workers``, or when it is -1 (automatic), two with
        extraction on a machine of two cores or more, else one.

        With extraction the workers' share of an article (clean, analyse, extract) is about twice
        the writer's (dedup, cluster, store): one worker left the writer idle half the time on
        all of SaudiNewsNet (92 against 123 articles/s with two). Without extraction the writer
        is the slower side, and a second worker would only add its memory.
        """
        if self.workers >= 0:
            return self.workers
        return min(2, os.cpu_count() or 1) if self.extract else 1


def load_settings(path: str | Path | None = None) -> Settings:
    """The defaults with a settings file laid over them.

    Args:
        path: a TOML file; None reads ``./marsad.toml`` if there is one (else defaults).

    Raises:
        ConfigError: the file is missing or not TOML, or names an unknown key or a value
            of the wrong type (the message names the file and the key).
    """
    if path is None:
        if not Path(CONFIG_FILE).is_file():
            return Settings()
        path = CONFIG_FILE
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: no such settings file") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not a valid TOML file ({exc})") from exc
    return settings_from(data, where=str(path))


def settings_from(data: dict[str, Any], *, where: str = CONFIG_FILE) -> Settings:
    """:class:`Settings` with the keys of ``data`` (parsed TOML) laid over the defaults."""
    return _overlay(Settings(), data, where, "")


_Section = TypeVar("_Section")


def _overlay(section: _Section, data: dict[str, Any], where: str, prefix: str) -> _Section:
    assert is_dataclass(section) and not isinstance(section, type)
    known = {f.name for f in fields(section)}
    changes: dict[str, Any] = {}
    for key, value in data.items():
        name = prefix + key
        if key not in known:
            listed = ", ".join(sorted(prefix + k for k in known))
            raise ConfigError(f"{where}: unknown key {name!r}; known keys here: {listed}")
        current = getattr(section, key)
        if name == "cluster.join_model":  # a model is a dataclass, but set by name
            changes[key] = _join_model(value, where)
            if value in LEARNED_CONFIGURATIONS:
                # Its topical classes as trained, unless the file sets them (before or after).
                topics = learned_settings(str(value)).topic_classes
                changes.setdefault("topic_classes", topics)
        elif name == "cluster.merge_model":
            changes[key] = _merge_model(value, where)
        elif is_dataclass(current):
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: {name} must be a table ([{name}]), got {value!r}")
            changes[key] = _overlay(current, value, where, name + ".")
        else:
            changes[key] = _typed(current, value, name, where)
    return replace(section, **changes)


def _typed(current: object, value: object, name: str, where: str) -> object:
    """``value`` as the type of the default it replaces (an integer may set a float)."""
    if isinstance(current, bool):
        if isinstance(value, bool):
            return value
        raise ConfigError(f"{where}: {name} must be true or false, got {value!r}")
    if isinstance(current, int):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ConfigError(f"{where}: {name} must be a whole number, got {value!r}")
    if isinstance(current, float):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        raise ConfigError(f"{where}: {name} must be a number, got {value!r}")
    raise ConfigError(f"{where}: {name} cannot be set in a settings file")


def _join_model(value: object, where: str) -> object:
    # A named learned configuration was trained with its own half_life_days (time-robust:
    # inf), which the file should set too.
    if value == "shipped":
        return shipped_join_model()
    if value in LEARNED_CONFIGURATIONS:
        return learned_settings(str(value)).join_model
    if value == "none":
        return None
    raise ConfigError(f"{where}: cluster.join_model must be {_model_names()}, got {value!r}")


def _merge_model(value: object, where: str) -> object:
    if value == "shipped":
        return shipped_merge_model()
    if value in LEARNED_CONFIGURATIONS:
        return learned_settings(str(value)).merge_model
    if value == "none":
        return None
    raise ConfigError(f"{where}: cluster.merge_model must be {_model_names()}, got {value!r}")


def _model_names() -> str:
    names = ["shipped", *LEARNED_CONFIGURATIONS, "none"]
    return ", ".join(f'"{name}"' for name in names[:-1]) + f' or "{names[-1]}"'
