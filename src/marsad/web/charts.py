"""Figures drawn from a story view: coverage over time, outlet comparison, analysis tables.

Pure functions over the ``story_view`` dict and its ``analysis``; the template turns them
into SVG and tables (SVG attributes, not inline styles, so the strict content security
policy holds). They only reshape data: every string stays plain text for Jinja to escape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

CHART_WIDTH = 640
ROW_HEIGHT = 28
LABEL_WIDTH = 150  # right-hand column for outlet names (the page reads right to left)
PLOT_MARGIN = 14
MAX_SPEAKERS = 25  # rows of the quote table; a big story's long tail is counted, not listed
#: Framing lexicon stances (data/FRAMING.md) as the story page names them.
STANCE_LABELS = {
    "neutral": "محايد",
    "official": "رسمي",
    "sympathetic": "متعاطف",
    "pejorative": "قدحي",
}


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
    lag: str = ""  # the lag in words ("بعد 4 س 40 د"), empty for the first report
    copied_from: tuple[tuple[str, int], ...] = ()  # (outlet, copies of its text), from analysis
    wire_copies: tuple[tuple[str, int], ...] = ()  # (agency name, articles credited to it)
    reposts: int = 0  # re-posts of the outlet's own article (copies nobody)
    first_report_kind: str | None = None  # "published" or "crawled"


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
    """Per outlet: own articles, copies carried, first report and its lag, headlines used.

    Counts come from the articles themselves (fresh even while the analysis is rebuilt);
    whose text each outlet copied comes from ``analysis.coverage`` when there is one.
    """
    items = _all_articles(view)
    if not items:
        return []
    start = min(datetime.fromisoformat(a["published"]) for a, _ in items)
    by_outlet: dict[str, list[tuple[dict[str, Any], bool]]] = {}
    for article, is_copy in items:
        by_outlet.setdefault(article["source"], []).append((article, is_copy))
    sources = _copy_sources(view.get("analysis"))
    credited = _coverage_rows(view.get("analysis"))
    rows = []
    for outlet, entries in by_outlet.items():
        first = min(datetime.fromisoformat(a["published"]) for a, _ in entries)
        headlines = list(dict.fromkeys(str(a.get("title", "")) for a, _ in entries))
        lag_minutes = int((first - start).total_seconds() // 60)
        known = credited.get(outlet, {})
        wires = tuple(
            (str(w.get("agency_name") or w.get("agency")), int(w.get("copies", 0)))
            for w in known.get("wire_copies") or ()
            if isinstance(w, Mapping)
        )
        reposts = int(known.get("reposts") or 0)
        copies = sum(c for _, c in entries)
        # Agency copies and own re-posts are not copies of another outlet's text.
        copies = int(known["copies"]) if "copies" in known else copies
        rows.append(
            OutletCoverage(
                outlet=outlet,
                # max: a stale analysis may lag the articles shown
                originals=max(0, len(entries) - copies - reposts - sum(n for _, n in wires)),
                copies=copies,
                first_report=first.isoformat(sep=" ", timespec="minutes"),
                lag_hours=round((first - start).total_seconds() / 3600, 1),
                headlines=headlines,
                lag=lag_text(lag_minutes),
                copied_from=sources.get(outlet, ()),
                wire_copies=wires,
                reposts=reposts,
                first_report_kind=known.get("first_report_kind"),
            )
        )
    return sorted(rows, key=lambda r: (r.lag_hours, r.outlet))


def _coverage_rows(analysis: object) -> dict[str, Mapping[str, Any]]:
    """Outlet -> its row of the analysis' coverage block (version 2 and later)."""
    coverage = analysis.get("coverage") if isinstance(analysis, Mapping) else None
    outlets = coverage.get("outlets") if isinstance(coverage, Mapping) else None
    return {
        str(entry.get("outlet", "")): entry
        for entry in (outlets if isinstance(outlets, list) else ())
        if isinstance(entry, Mapping) and "reposts" in entry
    }


def _copy_sources(analysis: object) -> dict[str, tuple[tuple[str, int], ...]]:
    """Outlet -> whose text it carried, from the analysis' coverage block."""
    coverage = analysis.get("coverage") if isinstance(analysis, Mapping) else None
    outlets = coverage.get("outlets") if isinstance(coverage, Mapping) else None
    found: dict[str, tuple[tuple[str, int], ...]] = {}
    for entry in outlets if isinstance(outlets, list) else ():
        if not isinstance(entry, Mapping):
            continue
        pairs = tuple(
            (str(c.get("outlet", "")), int(c.get("copies", 0)))
            for c in entry.get("copied_from") or ()
            if isinstance(c, Mapping)
        )
        if pairs:
            found[str(entry.get("outlet", ""))] = pairs
    return found


def lag_text(minutes: int) -> str:
    """How long after the first report, in short Arabic units; empty for the first."""
    if minutes <= 0:
        return ""
    if minutes < 60:
        return f"بعد {minutes} د"
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return f"بعد {hours} س" + (f" {rest} د" if rest else "")
    days, hours = divmod(hours, 24)
    unit = "أيام" if days <= 10 else "يوماً"
    return f"بعد {days} {unit}" + (f" و{hours} س" if hours else "")


# -- outlet comparison (``analysis``) -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuoteRow:
    """One speaker and how often each outlet (a column) quoted them."""

    speaker: str
    counts: list[int]  # per outlet column; 0 when that outlet did not quote them
    outlets: int  # how many outlets quoted them


@dataclass(frozen=True, slots=True)
class QuoteTable:
    """Who each outlet quotes: speakers as rows, outlets as columns."""

    outlets: list[str]
    rows: list[QuoteRow]
    hidden: int  # speakers left out beyond :data:`MAX_SPEAKERS`


def quote_table(claims: object) -> QuoteTable | None:
    """Pivot ``analysis.claims[*].quotes`` into a speaker-by-outlet table.

    Speakers quoted by more outlets come first, so a reader sees at once whom all outlets
    quote and whom only one does. None when no outlet quotes anyone.
    """
    per_outlet: dict[str, dict[str, int]] = {}
    for entry in claims if isinstance(claims, list) else ():
        if not isinstance(entry, Mapping):
            continue
        counts = per_outlet.setdefault(str(entry.get("outlet", "")), {})
        for quote in entry.get("quotes") or ():
            if isinstance(quote, Mapping) and quote.get("speaker"):
                speaker = str(quote["speaker"])
                counts[speaker] = counts.get(speaker, 0) + int(quote.get("count", 1))
    outlets = list(per_outlet)
    speakers = {speaker for counts in per_outlet.values() for speaker in counts}
    if not speakers:
        return None
    rows = [
        QuoteRow(
            speaker=speaker,
            counts=[per_outlet[o].get(speaker, 0) for o in outlets],
            outlets=sum(speaker in per_outlet[o] for o in outlets),
        )
        for speaker in speakers
    ]
    rows.sort(key=lambda r: (-r.outlets, -sum(r.counts), r.speaker))
    return QuoteTable(
        outlets=outlets,
        rows=rows[:MAX_SPEAKERS],
        hidden=max(0, len(rows) - MAX_SPEAKERS),
    )


@dataclass(frozen=True, slots=True)
class TermCell:
    """One outlet's use of one term: how often, and the article of its first use."""

    count: int
    article: int | None
    main: bool  # the outlet's most used term for this actor


@dataclass(frozen=True, slots=True)
class TermRow:
    """One name of an actor and its use by each outlet (a column)."""

    term: str
    stance: str
    cells: list[TermCell | None]  # None: that outlet never used this name


@dataclass(frozen=True, slots=True)
class FramingTable:
    """The names outlets gave one actor: terms as rows, outlets as columns."""

    group: str
    label: str
    contested: bool
    outlets: list[str]
    rows: list[TermRow]


def framing_tables(framing: object) -> list[FramingTable]:
    """Pivot ``analysis.framing`` (one record per actor group) into term-by-outlet tables."""
    tables = []
    for group in framing if isinstance(framing, list) else ():
        if not isinstance(group, Mapping):
            continue
        entries = [o for o in group.get("outlets") or () if isinstance(o, Mapping)]
        outlets = [str(o.get("outlet", "")) for o in entries]
        uses: dict[tuple[str, str], list[TermCell | None]] = {}
        for column, entry in enumerate(entries):
            terms = [t for t in entry.get("terms") or () if isinstance(t, Mapping)]
            top = max((int(t.get("count", 0)) for t in terms), default=0)
            for term in terms:
                key = (str(term.get("term", "")), str(term.get("stance", "")))
                cells = uses.setdefault(key, [None] * len(entries))
                count = int(term.get("count", 0))
                article = term.get("article")
                cells[column] = TermCell(
                    count=count,
                    article=article if isinstance(article, int) else None,
                    main=count == top,
                )
        rows = [TermRow(term=t, stance=s, cells=c) for (t, s), c in uses.items()]
        rows.sort(key=lambda r: (-sum(c.count for c in r.cells if c), r.term))
        tables.append(
            FramingTable(
                group=str(group.get("group", "")),
                label=str(group.get("label_ar") or group.get("label") or ""),
                contested=bool(group.get("contested")),
                outlets=outlets,
                rows=rows,
            )
        )
    return tables


def timeline_date(entry: Mapping[str, Any]) -> str:
    """A timeline entry's date as precise as it is known: a day, a month, a year or a span."""
    start, end = str(entry.get("start") or ""), str(entry.get("end") or "")
    if entry.get("date"):
        return str(entry["date"])
    precision = entry.get("precision")
    if precision == "month" and start[:7] == end[:7]:
        return start[:7]
    if precision == "year" and start[:4] == end[:4]:
        return start[:4]
    return f"{start} – {end}" if start and end and start != end else start or end


def marked(text: object, start: object, end: object) -> tuple[str, str, str]:
    """``text`` split around ``text[start:end]`` to highlight it; all of it first when the
    offsets do not fit the text (an analysis built from an older version of the article)."""
    value = str(text or "")
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(value):
        return value[:start], value[start:end], value[end:]
    return value, "", ""


def number_text(value: object) -> str:
    """A number as digits: integers without decimals, others with at most two."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return str(value or "")
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def relative_offsets(report: Mapping[str, Any], base: str = "sentence_start") -> tuple[int, int]:
    """A mention's offsets inside its sentence (the analysis gives them in the article)."""
    origin, start, end = report.get(base), report.get("start"), report.get("end")
    if isinstance(origin, int) and isinstance(start, int) and isinstance(end, int):
        return start - origin, end - origin
    return -1, -1
