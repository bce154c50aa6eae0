"""Who covered a story, who was first, and who carried whose text.

An article is credited to the news agency its byline or signature names (or, for a copy
without one, the agency of the text it copies), not to whichever outlet was crawled first
with that text: twelve «جدة - واس» articles are the Saudi Press Agency's, carried by twelve
outlets, and the agency counts as covering the story. An outlet re-posting its own article
copies nobody.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from marsad.profiles import OutletProfile

UNKNOWN_OUTLET = "unknown"


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """One article of the story, as coverage sees it."""

    article: int
    outlet: str
    published: datetime
    duplicate_of: int | None
    agency: str | None = None  # the agency its byline or signature credits
    time_kind: str | None = None  # what ``published`` is: "published", "crawled", None unknown


@dataclass(frozen=True, slots=True, kw_only=True)
class OutletCoverage:
    """One outlet's share of a story."""

    outlet: str
    articles: int  # every article of the outlet, copies and re-posts included
    copies: int  # uncredited copies of another outlet's text
    first_report: datetime
    first_report_kind: str | None  # "published" or "crawled" (None: not recorded)
    is_first: bool
    copied_from: tuple[tuple[str, int], ...]  # (other outlet, copies of its text), most first
    wire_copies: tuple[tuple[str, int], ...] = ()  # (agency, articles credited to it), most first
    reposts: int = 0  # copies of the outlet's own earlier article


@dataclass(frozen=True, slots=True, kw_only=True)
class AgencyCoverage:
    """A news agency whose copy outlets carried in the story."""

    agency: str
    articles: int  # articles credited to it
    outlets: tuple[str, ...]  # outlets that carried it, by first report
    first_report: datetime
    first_report_kind: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Coverage:
    """Coverage of a story: outlets in order of first report, agencies, and those absent."""

    outlets: tuple[OutletCoverage, ...]
    first: tuple[str, ...]  # outlet(s) with the earliest report
    missing: tuple[str, ...]
    agencies: tuple[AgencyCoverage, ...] = ()
    first_time: datetime | None = None
    first_time_kind: str | None = None  # is the earliest report's time a publication time?
    by_country: tuple[tuple[str, int], ...] = ()  # (country code, outlets covering), most first
    by_camp: tuple[tuple[str, int], ...] = ()
    missing_countries: tuple[str, ...] = ()  # countries of watched outlets, none covering


def credited_agencies(reports: Sequence[Report]) -> dict[int, str | None]:
    """Article -> the agency it is credited to: its own credit, else the credit of any copy
    of the same text (the first crawled copy often lost the byline a later one kept)."""
    by_id = {r.article: r for r in reports}

    def root(report: Report) -> int:
        seen = {report.article}
        while report.duplicate_of is not None and report.duplicate_of in by_id:
            report = by_id[report.duplicate_of]
            if report.article in seen:
                break  # a cycle in bad input
            seen.add(report.article)
        return report.article

    text_credit: dict[int, str] = {}
    for report in sorted(reports, key=lambda r: (r.published, r.article)):
        if report.agency is not None:
            text_credit.setdefault(root(report), report.agency)
    return {r.article: r.agency or text_credit.get(root(r)) for r in reports}


def story_coverage(
    reports: Sequence[Report],
    all_outlets: Sequence[str] = (),
    *,
    profiles: Mapping[str, OutletProfile] | None = None,
    generic_agencies: frozenset[str] = frozenset(),
) -> Coverage:
    """Counts each outlet's articles, copies and agency copies and finds who reported first.

    Args:
        reports: the story's articles, copies included.
        all_outlets: every outlet being watched; those absent from the story are ``missing``
            (an outlet that is an agency covering the story is not missing).
        profiles: outlet slug -> profile: countries and camps, and which outlet is an agency.
        generic_agencies: credits that name no agency («وكالات»): shown, never covering.

    Returns:
        The coverage; ties for the earliest report make several outlets first.
    """
    profiles = profiles or {}
    outlet_of = {r.article: r.outlet for r in reports}
    credit = credited_agencies(reports)
    by_outlet: dict[str, list[Report]] = {}
    for report in reports:
        by_outlet.setdefault(report.outlet, []).append(report)
    earliest = min(reports, key=lambda r: (r.published, r.article), default=None)
    outlets = []
    for outlet, own in by_outlet.items():
        itself = profiles[outlet].agency if outlet in profiles else ""
        wires: Counter[str] = Counter()
        sources: Counter[str] = Counter()
        reposts = 0
        for r in own:
            agency = credit[r.article]
            if agency and agency == itself:
                continue  # the agency's own copy, wherever its text was first crawled
            if agency:
                wires[agency] += 1
            elif r.duplicate_of is not None:
                source = outlet_of.get(r.duplicate_of, UNKNOWN_OUTLET)
                if source == outlet:
                    reposts += 1  # an outlet republishing itself copies nobody
                else:
                    sources[source] += 1
        first = min(own, key=lambda r: (r.published, r.article))
        outlets.append(
            OutletCoverage(
                outlet=outlet,
                articles=len(own),
                copies=sum(sources.values()),
                first_report=first.published,
                first_report_kind=first.time_kind,
                is_first=earliest is not None and first.published == earliest.published,
                copied_from=_most_first(sources),
                wire_copies=_most_first(wires),
                reposts=reposts,
            )
        )
    outlets.sort(key=lambda o: (o.first_report, o.outlet))
    agencies = _agencies(reports, credit, outlets)
    covering_agencies = {a.agency for a in agencies if a.agency not in generic_agencies}
    # A watched outlet that is an agency covering the story covered it.
    present = set(by_outlet) | {
        slug
        for slug in all_outlets
        if slug in profiles and profiles[slug].agency in covering_agencies
    }
    missing = tuple(sorted(dict.fromkeys(o for o in all_outlets if o not in present)))
    countries = Counter(profiles[o].country for o in present if o in profiles)
    camps = Counter(profiles[o].camp for o in present if o in profiles)
    countries.pop("", None)
    camps.pop("", None)
    watched_countries = {profiles[o].country for o in all_outlets if o in profiles} - {""}
    return Coverage(
        outlets=tuple(outlets),
        first=tuple(o.outlet for o in outlets if o.is_first),
        missing=missing,
        agencies=agencies,
        first_time=earliest.published if earliest else None,
        first_time_kind=earliest.time_kind if earliest else None,
        by_country=_most_first(countries),
        by_camp=_most_first(camps),
        missing_countries=tuple(sorted(watched_countries - set(countries))),
    )


def _agencies(
    reports: Sequence[Report],
    credit: Mapping[int, str | None],
    outlets: Sequence[OutletCoverage],
) -> tuple[AgencyCoverage, ...]:
    order = {o.outlet: i for i, o in enumerate(outlets)}
    credited: dict[str, list[Report]] = {}
    for r in reports:
        agency = credit[r.article]
        if agency is not None:
            credited.setdefault(agency, []).append(r)
    found = []
    for agency, carried in credited.items():
        first = min(carried, key=lambda r: (r.published, r.article))
        found.append(
            AgencyCoverage(
                agency=agency,
                articles=len(carried),
                outlets=tuple(sorted({r.outlet for r in carried}, key=order.__getitem__)),
                first_report=first.published,
                first_report_kind=first.time_kind,
            )
        )
    found.sort(key=lambda a: (a.first_report, a.agency))
    return tuple(found)


def _most_first(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
