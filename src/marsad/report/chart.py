"""Coverage over time per outlet, as a small inline SVG grid (no script, no external files).

Rows are outlets, columns are time buckets; a cell's shade and number give how many
articles (originals and copies) the outlet published in that bucket. Time runs from right
(oldest) to left (newest), the reading direction of the Arabic page. The bucket width is
picked so that a story fits in at most :data:`MAX_BUCKETS` columns.

Every label comes from article data and is escaped, attributes included.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape
from typing import Any

from marsad.report.style import FONT_STACK
from marsad.report.text import clean

#: Candidate bucket widths in hours, smallest first.
BUCKET_HOURS = (1, 2, 3, 6, 12, 24, 48, 168)
MAX_BUCKETS = 12
CELL = 30  # cell side in px
GAP = 4
LABEL_WIDTH = 130  # right-hand column for outlet names
AXIS_HEIGHT = 34  # bottom band for bucket start times (hour, then day when it changes)
LABEL_SPACING = 64  # least px between two time labels


@dataclass(frozen=True, slots=True)
class Grid:
    """Article counts per outlet per time bucket."""

    start: datetime  # start of the first (oldest) bucket
    hours: int  # bucket width
    outlets: tuple[str, ...]  # by first report, then name
    counts: tuple[tuple[int, ...], ...]  # counts[outlet][bucket]

    @property
    def buckets(self) -> int:
        """Number of time buckets."""
        return len(self.counts[0]) if self.counts else 0


def parse_time(value: object) -> datetime | None:
    """Parse an ISO time from a view field; None when absent or malformed."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=None)


def publications(articles: Iterable[Mapping[str, Any]]) -> list[tuple[str, datetime]]:
    """(outlet, time) of every article of a story view and of each of its copies."""
    out: list[tuple[str, datetime]] = []
    for article in articles:
        for item in (article, *(article.get("copies") or ())):
            when = parse_time(item.get("published"))
            if when is not None:
                out.append((str(item.get("source") or "?"), when))
    return out


def bucket_hours(span: timedelta) -> int:
    """The smallest bucket width that shows ``span`` in at most MAX_BUCKETS columns."""
    hours = span.total_seconds() / 3600
    for width in BUCKET_HOURS:
        if hours < width * MAX_BUCKETS:
            return width
    return BUCKET_HOURS[-1]


def coverage_grid(items: Sequence[tuple[str, datetime]]) -> Grid | None:
    """Count publications per outlet per bucket; None when nothing is dated."""
    if not items:
        return None
    first = min(when for _, when in items)
    last = max(when for _, when in items)
    hours = bucket_hours(last - first)
    # Align buckets to whole multiples of the width (midnight for days) so labels read well.
    start = first.replace(minute=0, second=0, microsecond=0)
    start -= timedelta(hours=start.hour % hours if hours <= 24 else start.hour)
    width = timedelta(hours=hours)
    n_buckets = int((last - start) / width) + 1
    cells: Counter[tuple[str, int]] = Counter(
        (outlet, int((when - start) / width)) for outlet, when in items
    )
    first_report: dict[str, datetime] = {}
    for outlet, when in items:
        first_report[outlet] = min(when, first_report.get(outlet, when))
    outlets = tuple(sorted(first_report, key=lambda o: (first_report[o], o)))
    counts = tuple(tuple(cells[(o, b)] for b in range(n_buckets)) for o in outlets)
    return Grid(start=start, hours=hours, outlets=outlets, counts=counts)


def bucket_label(grid: Grid, bucket: int) -> str:
    """Start of a bucket: day and hour for sub-day buckets, the day otherwise."""
    when = grid.start + timedelta(hours=grid.hours * bucket)
    return when.strftime("%m-%d %H:%M") if grid.hours < 24 else when.strftime("%m-%d")


def bucket_width_text(grid: Grid) -> str:
    """The bucket width in Arabic words ("6 ساعات", "يوم واحد")."""
    if grid.hours < 24:
        return "ساعة واحدة" if grid.hours == 1 else f"{grid.hours} ساعات"
    days = grid.hours // 24
    return "يوم واحد" if days == 1 else f"{days} أيام"


def coverage_svg(grid: Grid, *, caption_id: str = "") -> str:
    """Render a coverage grid as inline SVG markup.

    Args:
        grid: Counts from :func:`coverage_grid`.
        caption_id: Id of the element describing the chart, for ``aria-labelledby``.

    Returns:
        An ``<svg>`` element.
    """
    step = CELL + GAP
    plot_width = grid.buckets * step
    width = plot_width + LABEL_WIDTH + GAP
    height = len(grid.outlets) * step + AXIS_HEIGHT
    peak = max(max(row) for row in grid.counts)
    labelled = f' aria-labelledby="{escape(caption_id)}"' if caption_id else ""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="coverage" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img"{labelled} '
        f'font-family="{escape(FONT_STACK)}">'
    ]
    for row, (outlet, counts) in enumerate(zip(grid.outlets, grid.counts, strict=True)):
        y = row * step
        parts.append(
            f'<text x="{width - GAP}" y="{y + CELL / 2 + 5:.0f}" text-anchor="start" '
            f'direction="rtl" font-size="13" fill="#1f2a37">{escape(clean(outlet))}</text>'
        )
        for bucket, count in enumerate(counts):
            # Oldest bucket on the right, next to the labels.
            x = plot_width - (bucket + 1) * step
            shade = 0.12 + 0.88 * count / peak if count else 0.0
            fill = f'fill="#1d6fa5" fill-opacity="{shade:.2f}"' if count else 'fill="#eef1f4"'
            title = f"{clean(outlet)}: {count} — {bucket_label(grid, bucket)}"
            parts.append(
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" rx="4" {fill}>'
                f"<title>{escape(title)}</title></rect>"
            )
            if count:
                ink = "#ffffff" if shade > 0.55 else "#0b2a40"
                parts.append(
                    f'<text x="{x + CELL / 2:.0f}" y="{y + CELL / 2 + 5:.0f}" '
                    f'text-anchor="middle" font-size="13" fill="{ink}">{count}</text>'
                )
    axis_y = len(grid.outlets) * step
    every = -(-LABEL_SPACING // step)  # ceil: labels at least LABEL_SPACING px apart
    shown_day = ""
    for bucket in range(0, grid.buckets, every):
        centre = plot_width - (bucket + 1) * step + CELL / 2
        when = grid.start + timedelta(hours=grid.hours * bucket)
        day = when.strftime("%m-%d")
        lines = (
            [when.strftime("%H:%M"), day if day != shown_day else ""] if grid.hours < 24 else [day]
        )
        shown_day = day
        for offset, line in zip((14, 28), lines, strict=False):
            if line:
                parts.append(
                    f'<text x="{centre:.0f}" y="{axis_y + offset}" text-anchor="middle" '
                    f'font-size="11" fill="#52606d" direction="ltr">{line}</text>'
                )
    parts.append("</svg>")
    return "".join(parts)
