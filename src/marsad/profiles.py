"""Outlet profiles: display name, country, owner, language and camp of each outlet slug.

Shipped as ``data/outlets.toml``; a user file laid over it (``$MARSAD_OUTLETS``, else
``~/.config/marsad/outlets.toml``) adds outlets or changes single keys. An outlet without a
profile is shown by its slug and counts in no country or camp.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

from marsad.data import load_toml
from marsad.errors import ConfigError

USER_FILE_ENV = "MARSAD_OUTLETS"
USER_FILE = Path("~/.config/marsad/outlets.toml")
_OUTLET_KEYS = frozenset(
    {"name", "name_en", "country", "owner", "language", "kind", "camp", "agency"}
)


@dataclass(frozen=True, slots=True, kw_only=True)
class OutletProfile:
    """What is publicly known of one outlet."""

    slug: str
    name: str  # Arabic display name
    name_en: str = ""
    country: str = ""  # ISO 3166 code; "" when not known
    owner: str = ""  # owner or affiliation where public
    language: str = "ar"
    kind: str = ""  # newspaper, online, agency, sports
    camp: str = ""  # editorial alignment where public
    agency: str = ""  # the agency id (data/agencies.json) when the outlet is that agency

    def as_json(self) -> dict[str, Any]:
        """The profile as the JSON API shows it, with country and camp names."""
        book = profiles()
        return {
            **asdict(self),
            "country_name": book.country_name(self.country),
            "camp_name": book.camp_name(self.camp),
        }


@dataclass(frozen=True, slots=True)
class Profiles:
    """Every profile, with the country and camp tables."""

    outlets: Mapping[str, OutletProfile]
    countries: Mapping[str, Mapping[str, str]]  # code -> name, adjective
    camps: Mapping[str, Mapping[str, str]]  # id -> name

    def get(self, slug: str) -> OutletProfile | None:
        """The profile of an outlet, or None when it has none."""
        return self.outlets.get(slug)

    def name(self, slug: str) -> str:
        """The outlet's Arabic name, else its slug."""
        profile = self.outlets.get(slug)
        return profile.name if profile else slug

    def country_name(self, code: str) -> str:
        """«السعودية» for SA; "" when unknown."""
        return self.countries.get(code, {}).get("name", "")

    def country_adjective(self, code: str) -> str:
        """«سعودية» for SA (منافذ سعودية); the code itself when the table lacks it."""
        return self.countries.get(code, {}).get("adjective", code)

    def camp_name(self, camp: str) -> str:
        """The camp's Arabic name; "" when unknown."""
        return self.camps.get(camp, {}).get("name", "")


@cache
def profiles() -> Profiles:
    """The bundled profiles with the user's file laid over them (read once per process)."""
    bundled = load_toml("outlets.toml")
    user_path = os.environ.get(USER_FILE_ENV)
    path = Path(user_path) if user_path else USER_FILE.expanduser()
    user: dict[str, Any] = {}
    if path.is_file() or user_path:
        user = _read_user_file(path)
    return merge_profiles(bundled, user, origin=str(path))


def _read_user_file(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: no such outlets file (from ${USER_FILE_ENV}); create it or unset the variable"
        ) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the outlets file ({exc}); fix it") from None


def merge_profiles(
    bundled: Mapping[str, Any], user: Mapping[str, Any], *, origin: str = "outlets file"
) -> Profiles:
    """Lay ``user`` over ``bundled`` key by key (both parsed outlets TOML)."""
    tables: dict[str, dict[str, dict[str, Any]]] = {}
    for section in ("outlet", "country", "camp"):
        merged = {k: dict(v) for k, v in bundled.get(section, {}).items()}
        for key, values in user.get(section, {}).items():
            if not isinstance(values, Mapping):
                raise ConfigError(f"{origin}: [{section}.{key}] must be a table of keys")
            merged.setdefault(key, {}).update(values)
        tables[section] = merged
    unknown = set(user) - {"outlet", "country", "camp"}
    if unknown:
        raise ConfigError(
            f"{origin}: unknown table {sorted(unknown)[0]!r}; use [outlet.SLUG], "
            "[country.CODE] or [camp.ID]"
        )
    outlets = {}
    for slug, values in tables["outlet"].items():
        extra = set(values) - _OUTLET_KEYS
        if extra:
            raise ConfigError(
                f"{origin}: [outlet.{slug}] has unknown key {sorted(extra)[0]!r}; "
                f"use {', '.join(sorted(_OUTLET_KEYS))}"
            )
        values = {k: str(v) for k, v in values.items()}
        values.setdefault("name", slug)
        outlets[slug] = OutletProfile(slug=slug, **values)
    return Profiles(
        outlets=outlets,
        countries={k: {n: str(v) for n, v in t.items()} for k, t in tables["country"].items()},
        camps={k: {n: str(v) for n, v in t.items()} for k, t in tables["camp"].items()},
    )


def outlet_name(slug: str) -> str:
    """An outlet's Arabic name from its profile, else its slug."""
    return profiles().name(slug)


def outlet_names(slugs: Iterable[str]) -> dict[str, str]:
    """Slug -> Arabic display name, for the slugs given."""
    book = profiles()
    return {slug: book.name(slug) for slug in slugs}


def profiles_json(slugs: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Slug -> profile JSON for the slugs that have a profile."""
    book = profiles()
    return {s: p.as_json() for s in dict.fromkeys(slugs) if (p := book.get(s)) is not None}


def blindspot_line(covering: Iterable[str], missing: Iterable[str]) -> str | None:
    """«غطّتها منافذ سعودية وإماراتية، ولم تغطّها منافذ قطرية أو إيرانية» from country
    codes; None when no watched country is missing or none covering is known."""
    book = profiles()
    have = [book.country_adjective(c) for c in covering if c]
    lack = [book.country_adjective(c) for c in missing if c]
    if not have or not lack:
        return None
    return f"غطّتها منافذ {_joined(have, ' و')}، ولم تغطّها منافذ {_joined(lack, ' أو ')}"


def _joined(words: list[str], conjunction: str) -> str:
    """«سعودية وإماراتية» with " و", «قطرية أو إيرانية» with " أو "; more: «أ، ب وج»."""
    if len(words) == 1:
        return words[0]
    return "، ".join(words[:-1]) + conjunction + words[-1]
