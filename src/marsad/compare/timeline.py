"""Dated developments of a story: date expressions resolved against publication dates.

Recognised expressions (matched on :func:`marsad.text.arabic.fold` output, so spelling
variants need no entries; proclitics و ف ب ل are allowed where Arabic attaches them):

* a day and a month, Levantine, Egyptian/Gulf or Maghrebi, with an optional year and
  paired name ("28 نوفمبر", "28 تشرين الثاني", "14 آذار/مارس 2023"), and a day range in
  one month ("30-31 تشرين الأول", "يومي 30 و31 أكتوبر");
* numeric dates with a four-digit year (2017-11-28, 28/11/2017);
* a weekday ("الثلاثاء", "اليوم الثلاثاء", "يوم الأحد المقبل"): the most recent such day on or
  before the publication date, or the next one after it when the text marks the future;
* day words: اليوم، أمس، أول أمس، غدا، بعد غد;
* relative periods: الشهر الماضي، الأسبوع المقبل، العام الجاري (ranges);
* a month without a day when a year, a tense word or شهر marks it ("تشرين الأول الماضي");
* "منذ 3 أيام", "قبل يومين", "قبل أسبوع".

Without a year, a day and month take the year that puts them nearest the publication date,
or the nearest one before (الماضي) or after (المقبل) it. Month names come from
``data/months_ar.json`` (shared with :mod:`marsad.text.dates`); tense and day words from
``data/compare_ar.json``.
"""

from __future__ import annotations

import calendar
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from marsad.text.arabic import fold

#: Dated sentences of different articles state the same development when their content
#: stems overlap this much (share of the smaller set) and they share this many stems.
SAME_DEVELOPMENT_CONTAINMENT = 0.5
SAME_DEVELOPMENT_MIN_SHARED = 3
#: Words searched before a bare weekday for a future marker (سيزور، المقرر).
FUTURE_MARKER_WINDOW = 6
#: Gregorian years accepted in numeric dates; Saudi outlets also write Hijri ones (1436/10/15).
MIN_YEAR = 1900
MAX_YEAR = 2100
#: Weeks start on Saturday, as in most Arab countries.
WEEK_START = calendar.SATURDAY


@dataclass(frozen=True, slots=True, kw_only=True)
class DateMention:
    """A date expression in a text, resolved to a day or a range of days.

    ``text[start:end]`` is the expression as written; ``first == last`` for a single day.
    """

    start: int
    end: int
    expression: str
    first: date
    last: date
    precision: str  # "day", "days" (a range of days), "week", "month" or "year"


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
# Word tables and patterns
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Lexicon:
    months: dict[str, int]  # folded name (single spaces) -> month number
    weekdays: dict[str, int]  # folded name without ال -> Monday=0
    day_words: dict[str, int]  # folded -> days from publication
    not_after: frozenset[str]
    past: frozenset[str]
    future: frozenset[str]
    current: frozenset[str]
    future_markers: frozenset[str]
    units: dict[str, str]
    relative_days: dict[str, int | None]
    day_month: re.Pattern[str]
    numeric: re.Pattern[str]
    weekday: re.Pattern[str]
    day_word: re.Pattern[str]
    period: re.Pattern[str]
    month_only: re.Pattern[str]
    ago: re.Pattern[str]


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation, longest first, spaces matching any whitespace run."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


def _load_json(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        resources.files("marsad.data").joinpath(name).read_text(encoding="utf-8")
    )
    return data


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    raw_months = _load_json("months_ar.json")
    words = _load_json("compare_ar.json")["timeline"]
    months = {
        fold(name): number
        for table in raw_months["months"].values()
        for name, number in table.items()
    }
    weekdays = {
        fold(name).removeprefix("ال"): number for name, number in raw_months["weekdays"].items()
    }
    day_words = {fold(w): offset for w, offset in words["day_words"].items()}
    past = frozenset(fold(w) for w in words["past"])
    future = frozenset(fold(w) for w in words["future"])
    current = frozenset(fold(w) for w in words["current"])
    modifiers = _alternation(past | future | current)
    month = f"(?:{_alternation(months)})"
    paired = rf"(?:\s*[/(\-]\s*{month}(?!\w)\s*\)?)?"
    year = r"(?:\s*,?\s*(?:(?:عام|سنه)\s+)?(?P<year>[0-9]{4})(?![0-9]))"
    modifier = rf"(?:\s+(?P<mod>{modifiers})(?!\w))"
    prefixes = _alternation([fold(w) for w in words["day_prefixes"]] + list(day_words))
    units = {fold(w): unit for w, unit in words["units"].items()}
    relative_days = {fold(w): n for w, n in words["relative_days"].items()}
    return _Lexicon(
        months=months,
        weekdays=weekdays,
        day_words=day_words,
        not_after=frozenset(fold(w) for w in words["not_after"]),
        past=past,
        future=future,
        current=current,
        future_markers=frozenset(fold(w) for w in words["future_markers"]),
        units=units,
        relative_days=relative_days,
        day_month=re.compile(
            rf"(?<![0-9.,/])(?P<d1>[0-9]{{1,2}})"
            rf"(?:\s*(?:-|/|و|الى|حتى)\s*(?P<d2>[0-9]{{1,2}}))?\s*(?:من\s+)?(?:شهر\s+)?"
            rf"(?P<month>{month})(?!\w){paired}{year}?{modifier}?"
        ),
        numeric=re.compile(
            r"(?<![0-9])(?:(?P<y1>[0-9]{4})[-/.](?P<m1>[0-9]{1,2})[-/.](?P<d1>[0-9]{1,2})"
            r"|(?P<d2>[0-9]{1,2})[-/.](?P<m2>[0-9]{1,2})[-/.](?P<y2>[0-9]{4}))(?![0-9])"
        ),
        weekday=re.compile(
            rf"(?<!\w)(?:(?P<pre>{prefixes})\s+)?[وفبل]?(?:ال|لل)"
            rf"(?P<day>{_alternation(weekdays)})(?!\w){modifier}?"
        ),
        day_word=re.compile(
            rf"(?<!\w)(?:يوم\s+)?(?:[وف]?(?:ب|ل)?)(?P<word>{_alternation(day_words)})(?!\w)"
        ),
        period=re.compile(
            rf"(?<!\w)(?:(?P<this>هذا|هذه)\s+)?[وفبل]?(?:ال|لل)(?P<unit>{_alternation(units)})"
            rf"(?:\s+(?P<mod>{modifiers}))?(?!\w)"
        ),
        month_only=re.compile(
            rf"(?<!\w)(?:(?P<shahr>[وفبل]?(?:ال)?شهر)\s+)?(?P<month>{month})(?!\w){paired}"
            rf"(?:{year}|{modifier})?"
        ),
        ago=re.compile(
            rf"(?<!\w)(?:منذ|قبل)\s+(?:(?P<n>[0-9]{{1,2}})\s+)?"
            rf"(?P<unit>{_alternation(relative_days)})(?!\w)"
        ),
    )


# --------------------------------------------------------------------------------------------
# Resolution
# --------------------------------------------------------------------------------------------


def _tense(modifier: str | None, lex: _Lexicon) -> str:
    if modifier in lex.past:
        return "past"
    if modifier in lex.future:
        return "future"
    if modifier in lex.current:
        return "current"
    return ""


def infer_year(published: date, month: int, day: int, tense: str = "") -> date | None:
    """The date of a day and month written without a year.

    Args:
        published: the article's publication date.
        month: 1-12.
        day: day of the month.
        tense: ``"past"`` (الماضي: on or before publication), ``"future"`` (المقبل: after it),
            ``"current"`` (الجاري: the publication year) or ``""`` (the nearest).

    Returns:
        The date, or None when no year makes it valid (31 February).
    """
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if tense == "past":
        candidates = [c for c in candidates if c <= published]
    elif tense == "future":
        candidates = [c for c in candidates if c > published]
    elif tense == "current":
        candidates = [c for c in candidates if c.year == published.year]
    if not candidates:
        return None
    return min(candidates, key=lambda c: (abs((c - published).days), c))


def _month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _month_year(published: date, month: int, tense: str) -> int:
    """Year of a month named without one (تشرين الأول الماضي)."""
    if tense == "past":
        return published.year if month < published.month else published.year - 1
    if tense == "future":
        return published.year if month > published.month else published.year + 1
    if tense == "current":
        return published.year
    here = published.year * 12 + published.month
    years = (published.year - 1, published.year, published.year + 1)
    return min(years, key=lambda year: (abs(year * 12 + month - here), -year))


def _weekday_date(published: date, weekday: int, future: bool) -> date:
    """The most recent such weekday on or before publication, or the next one after it."""
    if future:
        return published + timedelta(days=(weekday - published.weekday() - 1) % 7 + 1)
    return published - timedelta(days=(published.weekday() - weekday) % 7)


def _week_range(published: date, weeks: int) -> tuple[date, date]:
    start = published - timedelta(days=(published.weekday() - WEEK_START) % 7)
    start += timedelta(days=7 * weeks)
    return start, start + timedelta(days=6)


def _shift_month(published: date, months: int) -> tuple[int, int]:
    index = published.year * 12 + published.month - 1 + months
    return index // 12, index % 12 + 1


_Resolved = tuple[date, date, str]
_PUNCTUATION = "\"'()[]-,.:;"  # folded quotes and brackets around a word


def _day_month(match: re.Match[str], published: date, lex: _Lexicon) -> _Resolved | None:
    month = lex.months[" ".join(match["month"].split())]
    first_day = int(match["d1"])
    last_day = int(match["d2"]) if match["d2"] else first_day
    if last_day < first_day:
        return None
    if match["year"]:
        try:
            first = date(int(match["year"]), month, first_day)
        except ValueError:
            return None
    else:
        inferred = infer_year(published, month, first_day, _tense(match["mod"], lex))
        if inferred is None:
            return None
        first = inferred
    try:
        last = first.replace(day=last_day)
    except ValueError:
        return None
    return first, last, "day" if first == last else "days"


def _numeric(match: re.Match[str], published: date, lex: _Lexicon) -> _Resolved | None:
    if match["y1"]:
        year, month, day = int(match["y1"]), int(match["m1"]), int(match["d1"])
    else:
        year, month, day = int(match["y2"]), int(match["m2"]), int(match["d2"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None  # 1436/10/15: a Hijri date, not converted
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    return found, found, "day"


def _weekday(match: re.Match[str], published: date, lex: _Lexicon, folded: str) -> _Resolved | None:
    weekday = lex.weekdays[match["day"]]
    pre = match["pre"]
    if match["day"] == "اثنين" and not (pre or match["mod"]):
        return None  # الاثنين is also "the two"
    before = folded[: match.start()].split()[-FUTURE_MARKER_WINDOW:]
    future = (
        _tense(match["mod"], lex) == "future"
        or (pre is not None and lex.day_words.get(pre, 0) > 0)
        or any(word in lex.future_markers for word in before)
    )
    found = _weekday_date(published, weekday, future)
    return found, found, "day"


def _day_word(
    match: re.Match[str], published: date, lex: _Lexicon, folded: str
) -> _Resolved | None:
    word = " ".join(match["word"].split())
    previous = folded[: match.start()].split()[-1:]
    if previous and previous[0].strip(_PUNCTUATION) in lex.not_after:
        return None  # روسيا اليوم: a channel
    if word == "اليوم":
        following = folded[match.end() :].split()[:1]
        if following and following[0].startswith("ال"):
            return None  # اليوم الأول، اليوم الوطني: "the day", not today
    found = published + timedelta(days=lex.day_words[word])
    return found, found, "day"


def _period(match: re.Match[str], published: date, lex: _Lexicon) -> _Resolved | None:
    tense = "current" if match["this"] else _tense(match["mod"], lex)
    if not tense:
        return None
    shift = {"past": -1, "future": 1, "current": 0}[tense]
    unit = lex.units[match["unit"]]
    if unit == "week":
        first, last = _week_range(published, shift)
        return first, last, "week"
    if unit == "month":
        year, month = _shift_month(published, shift)
        first, last = _month_range(year, month)
        return first, last, "month"
    year = published.year + shift
    return date(year, 1, 1), date(year, 12, 31), "year"


def _month_only(match: re.Match[str], published: date, lex: _Lexicon) -> _Resolved | None:
    if not (match["shahr"] or match["year"] or match["mod"]):
        return None  # مارس is also a verb, ماي and تموز are names: need a marker
    month = lex.months[" ".join(match["month"].split())]
    year = (
        int(match["year"])
        if match["year"]
        else _month_year(published, month, _tense(match["mod"], lex))
    )
    first, last = _month_range(year, month)
    return first, last, "month"


def _ago(match: re.Match[str], published: date, lex: _Lexicon) -> _Resolved | None:
    implied = lex.relative_days[match["unit"]]
    if match["n"]:
        count = int(match["n"]) * (7 if (implied or 1) >= 7 else 1)
    elif implied is not None:
        count = implied
    else:
        return None  # منذ أيام: vague
    found = published - timedelta(days=count)
    return found, found, "day"


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    """MATCH form of one character; whitespace stays one space so offsets stay simple."""
    return " " if ch.isspace() else fold(ch)


def fold_mapped(text: str) -> tuple[str, npt.NDArray[np.int64]]:
    """Folds ``text`` character by character and maps each folded character to its source.

    Unlike :func:`marsad.text.arabic.fold` whitespace runs are kept (patterns match ``\\s+``),
    which lets the mapping be computed with one translate and a vectorised repeat: about
    twenty times faster than :func:`marsad.text.arabic.fold_with_offsets` on long bodies.

    Returns:
        ``(folded, offsets)`` with ``offsets[i]`` the index in ``text`` of ``folded[i]``.
    """
    table = {ord(ch): _fold_char(ch) for ch in set(text)}
    folded = text.translate(table)
    if len(folded) == len(text) and all(len(v) == 1 for v in table.values()):
        return folded, np.arange(len(text), dtype=np.int64)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    distinct, inverse = np.unique(codes, return_inverse=True)
    lengths = np.array([len(table[int(code)]) for code in distinct], dtype=np.int64)[inverse]
    return folded, np.repeat(np.arange(len(text), dtype=np.int64), lengths)


def _original_end(text: str, offsets: npt.NDArray[np.int64], folded_end: int) -> int:
    end = int(offsets[folded_end - 1]) + 1
    while end < len(text) and (unicodedata.category(text[end]) == "Mn" or text[end] == "\u0640"):
        end += 1
    return end


def find_dates(text: str, published: date) -> list[DateMention]:
    """Finds and resolves the date expressions of a text.

    Args:
        text: an article body (DISPLAY form).
        published: the article's publication date, the anchor of relative expressions.

    Returns:
        Non-overlapping mentions in text order; more specific patterns win where they overlap
        ("اليوم الثلاثاء" is one weekday mention, "28 نوفمبر المقبل" one day).
    """
    if not text:
        return []
    lex = _lexicon()
    folded, offsets = fold_mapped(text)
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    passes: Sequence[tuple[re.Pattern[str], Any]] = (
        (lex.day_month, lambda m: _day_month(m, published, lex)),
        (lex.numeric, lambda m: _numeric(m, published, lex)),
        (lex.weekday, lambda m: _weekday(m, published, lex, folded)),
        (lex.day_word, lambda m: _day_word(m, published, lex, folded)),
        (lex.period, lambda m: _period(m, published, lex)),
        (lex.month_only, lambda m: _month_only(m, published, lex)),
        (lex.ago, lambda m: _ago(m, published, lex)),
    )
    for pattern, resolve in passes:
        for match in pattern.finditer(folded):
            if not free(match.start(), match.end()):
                continue
            resolved = resolve(match)
            if resolved is None:
                continue
            first, last, precision = resolved
            start = int(offsets[match.start()])
            end = _original_end(text, offsets, match.end())
            taken.append((match.start(), match.end()))
            found.append(
                DateMention(
                    start=start,
                    end=end,
                    expression=text[start:end],
                    first=first,
                    last=last,
                    precision=precision,
                )
            )
    found.sort(key=lambda m: m.start)
    return found


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
