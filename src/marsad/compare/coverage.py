"""Who covered a story, who was first, and who carried whose text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

UNKNOWN_OUTLET = "unknown"


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """One article of the story, as coverage sees it."""

    article: int
    outlet: str
    published: datetime
    duplicate_of: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class OutletCoverage:
    """One outlet's share of a story."""

    outlet: str
    articles: int  # copies included
    copies: int  # articles that are copies of another article's text
    first_report: datetime
    is_first: bool
    copied_from: tuple[tuple[str, int], ...]  # (other outlet, copies of its text), most first


@dataclass(frozen=True, slots=True, kw_only=True)
class Coverage:
    """Coverage of a story: outlets in order of first report, and those absent."""

    outlets: tuple[OutletCoverage, ...]
    first: tuple[str, ...]  # outlet(s) with the earliest report
    missing: tuple[str, ...]


def story_coverage(reports: Sequence[Report], all_outlets: Sequence[str] = ()) -> Coverage:
    """Counts each outlet's articles and copies and finds who reported first.

    Args:
        reports: the story's articles, copies included.
        all_outlets: every outlet being watched; those absent from the story are ``missing``.

    Returns:
        The coverage; ties for the earliest report make several outlets first.
    """
    outlet_of = {r.article: r.outlet for r in reports}
    by_outlet: dict[str, list[Report]] = {}
    for report in reports:
        by_outlet.setdefault(report.outlet, []).append(report)
    earliest = min((r.published for r in reports), default=None)
    outlets = []
    for outlet, own in by_outlet.items():
        sources = Counter(
            outlet_of.get(r.duplicate_of, UNKNOWN_OUTLET) for r in own if r.duplicate_of is not None
        )
        sources.pop(outlet, None)  # an outlet republishing itself copies nobody
        first_report = min(r.published for r in own)
        outlets.append(
            OutletCoverage(
                outlet=outlet,
                articles=len(own),
                copies=sum(r.duplicate_of is not None for r in own),
                first_report=first_report,
                is_first=first_report == earliest,
                copied_from=tuple(sorted(sources.items(), key=lambda kv: (-kv[1], kv[0]))),
            )
        )
    outlets.sort(key=lambda o: (o.first_report, o.outlet))
    present = set(by_outlet)
    return Coverage(
        outlets=tuple(outlets),
        first=tuple(o.outlet for o in outlets if o.is_first),
        missing=tuple(sorted(dict.fromkeys(o for o in all_outlets if o not in present))),
    )
