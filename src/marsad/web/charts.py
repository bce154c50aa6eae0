"""Figures drawn from a story view: coverage over time per outlet and outlet comparison.

Pure functions over the ``story_view`` dict; the template turns them into SVG and tables
(SVG attributes, not inline styles, so the strict content security policy holds).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

CHART_WIDTH = 640
ROW_HEIGHT = 28
LABEL_WIDTH = 150  # right-hand column for outlet names (the page reads right to left)
PLOT_MARGIN = 14


@dataclass(frozen=True, slots=True)
class Dot:
    """One article on the coverage chart."""

    x: float
    y: float
    copy: bool
    title: str
    time: str


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """One outlet's line on the coverage chart."""

    outlet: str
    y: float
    dots: list[Dot]


@dataclass(frozen=True, slots=True)
class Coverage:
    """The coverage chart: rows of dots, time running right (oldest) to left (newest)."""

    width: int
    height: int
    plot_left: int
    plot_right: int
    label_x: int
    rows: list[CoverageRow]
    first: str
    last: str


@dataclass(frozen=True, slots=True)
class OutletCoverage:
    """How one outlet covered a story."""

    outlet: str
    originals: int
    copies: int
    first_report: str
    lag_hours: float  # after the story's first report
    headlines: list[str]


def _all_articles(view: dict[str, Any]) -> list[tuple[dict[str, Any], bool]]:
    out: list[tuple[dict[str, Any], bool]] = []
    for article in view.get("articles", []):
        out.append((article, False))
        out.extend((copy, True) for copy in article.get("copies", []))
    return [(a, c) for a, c in out if a.get("published")]


def coverage(view: dict[str, Any]) -> Coverage | None:
    """The coverage chart of a story; None when it has no dated article."""
    items = _all_articles(view)
    if not items:
        return None
    times = [datetime.fromisoformat(a["published"]) for a, _ in items]
    start, end = min(times), max(times)
    span = (end - start).total_seconds()
    plot_right = CHART_WIDTH - LABEL_WIDTH - PLOT_MARGIN
    plot_width = plot_right - PLOT_MARGIN
    first_seen: dict[str, datetime] = {}
    for (article, _copy), moment in zip(items, times, strict=True):
        source = article["source"]
        first_seen[source] = min(first_seen.get(source, moment), moment)
    outlets = sorted(first_seen, key=lambda s: (first_seen[s], s))
    rows: list[CoverageRow] = []
    for index, outlet in enumerate(outlets):
        y = ROW_HEIGHT * index + ROW_HEIGHT / 2 + 4
        dots = []
        for (article, is_copy), moment in zip(items, times, strict=True):
            if article["source"] != outlet:
                continue
            share = (moment - start).total_seconds() / span if span else 0.5
            dots.append(
                Dot(
                    x=round(plot_right - share * plot_width, 1),
                    y=y,
                    copy=is_copy,
                    title=str(article.get("title", "")),
                    time=moment.isoformat(sep=" ", timespec="minutes"),
                )
            )
        rows.append(CoverageRow(outlet=outlet, y=y, dots=dots))
    return Coverage(
        width=CHART_WIDTH,
        height=ROW_HEIGHT * len(rows) + 8,
        plot_left=PLOT_MARGIN,
        plot_right=plot_right,
        label_x=CHART_WIDTH - 6,
        rows=rows,
        first=start.isoformat(sep=" ", timespec="minutes"),
        last=end.isoformat(sep=" ", timespec="minutes"),
    )


def outlet_comparison(view: dict[str, Any]) -> list[OutletCoverage]:
    """Per outlet: own articles, copies carried, first report and its lag, headlines used."""
    items = _all_articles(view)
    if not items:
        return []
    start = min(datetime.fromisoformat(a["published"]) for a, _ in items)
    by_outlet: dict[str, list[tuple[dict[str, Any], bool]]] = {}
    for article, is_copy in items:
        by_outlet.setdefault(article["source"], []).append((article, is_copy))
    rows = []
    for outlet, entries in by_outlet.items():
        first = min(datetime.fromisoformat(a["published"]) for a, _ in entries)
        headlines = list(dict.fromkeys(str(a.get("title", "")) for a, _ in entries))
        rows.append(
            OutletCoverage(
                outlet=outlet,
                originals=sum(not c for _, c in entries),
                copies=sum(c for _, c in entries),
                first_report=first.isoformat(sep=" ", timespec="minutes"),
                lag_hours=round((first - start).total_seconds() / 3600, 1),
                headlines=headlines,
            )
        )
    return sorted(rows, key=lambda r: (r.lag_hours, r.outlet))
