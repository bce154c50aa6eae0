"""Dated developments of a story: the story-level half of the timeline.

Date expressions are found and resolved against each article's publication date by
:func:`marsad.text.dates.find_dates` (the text layer holds every date rule); this module
groups the dated sentences of a story's articles into developments, one entry per
development listing every outlet that reports it, and orders them by date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from marsad.text.dates import DateMention

#: Dated sentences of different articles state the same development when their content
#: stems overlap this much (share of the smaller set) and they share this many stems.
SAME_DEVELOPMENT_CONTAINMENT = 0.5
SAME_DEVELOPMENT_MIN_SHARED = 3


@dataclass(frozen=True, slots=True, kw_only=True)
class DatedSentence:
    """A sentence of one article that carries a resolved date, input to :func:`build_timeline`."""

    article: int
    outlet: str
    sentence_start: int
    sentence_end: int
    text: str  # the sentence as written
    stems: frozenset[str]  # its content stems, for merging the same development
    mention: DateMention


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineEntry:
    """One development: a date and the sentences (of one or more outlets) that report it."""

    first: date
    last: date
    precision: str
    reports: tuple[DatedSentence, ...]  # earliest article first

    @property
    def outlets(self) -> tuple[str, ...]:
        """The outlets reporting the development, in order of first report."""
        return tuple(dict.fromkeys(report.outlet for report in self.reports))


# --------------------------------------------------------------------------------------------
# Timeline
# --------------------------------------------------------------------------------------------


def _same_development(a: DatedSentence, b: DatedSentence) -> bool:
    if (a.mention.first, a.mention.last) != (b.mention.first, b.mention.last):
        return False
    shared = len(a.stems & b.stems)
    smaller = min(len(a.stems), len(b.stems))
    return (
        smaller > 0
        and shared >= SAME_DEVELOPMENT_MIN_SHARED
        and shared / smaller >= SAME_DEVELOPMENT_CONTAINMENT
    )


def build_timeline(sentences: Sequence[DatedSentence]) -> list[TimelineEntry]:
    """Merges dated sentences into developments and orders them by date.

    Sentences with the same resolved date (or range) that state the same development
    (stem overlap, see :data:`SAME_DEVELOPMENT_CONTAINMENT`) become one entry listing every
    outlet; a sentence is listed once per distinct date it carries.

    Args:
        sentences: dated sentences in story order (earliest article first).

    Returns:
        Entries sorted by first day, then last day, then story order.
    """
    unique: list[DatedSentence] = []
    seen: set[tuple[int, int, date, date]] = set()
    for item in sentences:
        key = (item.article, item.sentence_start, item.mention.first, item.mention.last)
        if key not in seen:  # "اليوم الثلاثاء (أمس)": one date, one report
            seen.add(key)
            unique.append(item)
    parent = list(range(len(unique)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_date: dict[tuple[date, date], list[int]] = {}
    for index, item in enumerate(unique):
        by_date.setdefault((item.mention.first, item.mention.last), []).append(index)
    for members in by_date.values():
        for position, i in enumerate(members):
            for j in members[position + 1 :]:
                if unique[i].article != unique[j].article and _same_development(
                    unique[i], unique[j]
                ):
                    parent[root(j)] = root(i)
    groups: dict[int, list[DatedSentence]] = {}
    for index, item in enumerate(unique):
        groups.setdefault(root(index), []).append(item)
    entries = [
        TimelineEntry(
            first=group[0].mention.first,
            last=group[0].mention.last,
            precision=group[0].mention.precision,
            reports=tuple(group),
        )
        for _, group in sorted(groups.items())
    ]
    entries.sort(key=lambda e: (e.first, e.last))  # stable: story order within a date
    return entries
