"""Arabic dates: publication dates of feeds and pages, and date expressions inside article text.

One module for every date rule; the word tables are package data (``data/months_ar.json``:
month and weekday names, clock words, relative units; ``data/compare_ar.json`` section
``timeline``: day words, tense words, future markers). All matching runs on
:func:`marsad.text.arabic.fold` output, so spelling variants of a month (أبريل/ابريل/إبريل)
need no separate entries.

**Publication dates** (:func:`parse_date`), anywhere inside a string:

* day-month-year with Levantine (كانون الثاني ... كانون الأول), Egyptian/Gulf
  (يناير ... ديسمبر) and Maghrebi (جانفي, فيفري, ..., Moroccan يوليوز, غشت, شتنبر) month names,
  also doubled as outlets write them ("14 آذار/مارس 2023"), and month-day-year;
* Arabic-Indic and Persian digits, weekday names, a 12-hour clock with ص/م (صباحاً/مساءً)
  or a 24-hour one, an explicit ``GMT+3``/``UTC+03:00`` offset;
* numeric dates (2023-03-14, 14/03/2023), ISO 8601 and RFC 822 (feed) dates;
* relative dates: "منذ 3 ساعات", "قبل ساعتين", "منذ يوم", "أمس", "اليوم", a bare weekday
  ("الخميس 10:30": the latest such day).

Results are naive datetimes: converted to UTC when the text gives an offset, otherwise the
outlet's wall-clock time as written.

**Date expressions in article text** (:func:`find_dates`), resolved against the article's
publication date (proclitics و ف ب ل are allowed where Arabic attaches them):

* a day and a month with an optional year and paired name ("28 نوفمبر", "28 تشرين الثاني",
  "14 آذار/مارس 2023"), and a day range in one month ("30-31 تشرين الأول",
  "يومي 30 و31 أكتوبر");
* numeric dates with a four-digit year (2017-11-28, 28/11/2017);
* a weekday ("الثلاثاء", "اليوم الثلاثاء", "يوم الأحد المقبل"): the most recent such day on or
  before the publication date, or the next one after it when the text marks the future;
* day words: اليوم، أمس، أول أمس، غدا، بعد غد;
* relative periods: الشهر الماضي، الأسبوع المقبل، العام الجاري (ranges);
* a month without a day when a year, a tense word or شهر marks it ("تشرين الأول الماضي");
* "منذ 3 أيام", "قبل يومين", "قبل أسبوع".

Without a year, a day and month take the year that puts them nearest the publication date,
or the nearest one before (الماضي) or after (المقبل) it.
"""

from __future__ import annotations

import calendar
import dataclasses
import email.utils
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache, lru_cache
from typing import Any

from marsad.data import load_json
from marsad.text.arabic import fold, fold_mapped

#: Gregorian years accepted; Saudi outlets also write Hijri ones (1436/10/15), not converted.
MIN_YEAR = 1900
MAX_YEAR = 2100
#: Words searched before a bare weekday for a future marker (سيزور، المقرر).
FUTURE_MARKER_WINDOW = 6
#: ... and for a plan or forecast word (المقرر، المتوقعة، توقعات), which governs a longer clause.
FORECAST_MARKER_WINDOW = 10
#: Weeks start on Saturday, as in most Arab countries.
WEEK_START = calendar.SATURDAY
_TIME_WINDOW = 40  # chars after (or before) a publication date searched for its clock time
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400, "week": 7 * 86400, "month": 30 * 86400}


# --------------------------------------------------------------------------------------------
# Shared tables
# --------------------------------------------------------------------------------------------


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation, longest first (so "كانون الثاني" wins over a shorter name it
    starts with), spaces matching any whitespace run."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


def _load_json(name: str) -> dict[str, Any]:
    data: dict[str, Any] = load_json(name)
    return data


@cache
def _calendar_words() -> tuple[dict[str, int], dict[str, int], dict[str, Any]]:
    """Folded month names -> number, folded weekday names (with ال) -> Monday=0, raw table."""
    raw = _load_json("months_ar.json")
    months = {
        fold(name): number for table in raw["months"].values() for name, number in table.items()
    }
    weekdays = {fold(name): number for name, number in raw["weekdays"].items()}
    return months, weekdays, raw


@cache
def month_names() -> frozenset[str]:
    """Every folded month name the date rules know (Gregorian, Levantine, Maghrebi, Hijri)."""
    return frozenset(_calendar_words()[0])


# --------------------------------------------------------------------------------------------
# Publication dates
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Tables:
    months: dict[str, int]  # folded name -> month number
    weekdays: dict[str, int]  # folded name -> Monday=0
    unit_counts: dict[str, tuple[str, int | None]]  # folded unit word -> (unit, implied count)
    ago: tuple[str, ...]
    today: tuple[str, ...]
    yesterday: tuple[str, ...]
    am: frozenset[str]
    pm: frozenset[str]
    day_month_year: re.Pattern[str]
    month_day_year: re.Pattern[str]
    clock: re.Pattern[str]
    relative: re.Pattern[str]
    weekday: re.Pattern[str]
    day_word: re.Pattern[str]


@cache
def _tables() -> _Tables:
    months, weekdays, raw = _calendar_words()
    unit_counts: dict[str, tuple[str, int | None]] = {}
    for unit, forms in raw["relative_units"].items():
        for word in forms["one"]:
            unit_counts[fold(word)] = (unit, 1)
        for word in forms["two"]:
            unit_counts[fold(word)] = (unit, 2)
        for word in forms["many"]:
            unit_counts[fold(word)] = (unit, None)
    ago, today, yesterday = (
        [fold(w) for w in raw["relative_words"][key]] for key in ("ago", "today", "yesterday")
    )
    meridiem = {key: frozenset(fold(w) for w in values) for key, values in raw["meridiem"].items()}
    month = f"(?:{_alternation(list(months))})"
    b, e = r"(?<![\w])", r"(?![\w])"  # word boundaries that also work for Arabic letters
    return _Tables(
        months=months,
        weekdays=weekdays,
        unit_counts=unit_counts,
        ago=tuple(ago),
        today=tuple(today),
        yesterday=tuple(yesterday),
        am=meridiem["am"],
        pm=meridiem["pm"],
        day_month_year=re.compile(
            rf"(?<![0-9])([0-9]{{1,2}})\s*(?:من\s+)?{b}({month}){e}"
            rf"(?:\s*[/(\-]\s*{b}{month}{e}\s*\)?)?\s*[,\-]?\s*(?:(?:عام|سنه)\s+)?([0-9]{{4}})(?![0-9])"
        ),
        month_day_year=re.compile(
            rf"{b}({month}){e}\s*([0-9]{{1,2}})\s*,?\s*([0-9]{{4}})(?![0-9])"
        ),
        clock=re.compile(
            rf"(?<![0-9])([0-9]{{1,2}}):([0-9]{{2}})(?::([0-9]{{2}}))?(?![0-9])"
            rf"(?:\s*({_alternation([*meridiem['am'], *meridiem['pm']])}){e})?"
            r"(?:\s*(?:gmt|utc)\s*([+\-])\s*([0-9]{1,2})(?::?([0-9]{2}))?)?"
        ),
        relative=re.compile(
            rf"{b}(?:{_alternation(ago)})\s+"
            rf"(?:([0-9]{{1,4}})\s*)?({_alternation(list(unit_counts))}){e}"
        ),
        weekday=re.compile(rf"{b}({_alternation(list(weekdays))}){e}"),
        day_word=re.compile(rf"{b}({_alternation([*today, *yesterday])}){e}"),
    )


_NUMERIC_YMD = re.compile(r"(?<![0-9])([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?![0-9])")
_NUMERIC_DMY = re.compile(r"(?<![0-9])([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})(?![0-9])")


def parse_date(text: str, *, now: datetime | None = None) -> datetime | None:
    """Find and parse the first publication date in ``text``.

    Args:
        text: A date string from a feed or page, or text that contains one.
        now: The reference time for relative dates (naive; defaults to the current UTC time).

    Returns:
        A naive datetime, or None when the text holds no recognisable, valid date. Never
        raises, whatever the input.
    """
    if not text or not text.strip():
        return None
    stripped = text.strip()
    standard = _parse_standard(stripped)
    if standard is not None:
        return standard
    folded = fold(stripped[:2000])  # a date is near the start; bound the work on page text
    reference = now or datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    for parse in (_named_month, _numeric_date, _relative_time, _relative_day, _recent_weekday):
        try:
            found = parse(folded, reference)
        except (ValueError, OverflowError):
            found = None
        if found is not None:
            return found
    return None


def _in_range(value: datetime) -> datetime | None:
    return value if MIN_YEAR <= value.year <= MAX_YEAR else None


def _parse_standard(text: str) -> datetime | None:
    """ISO 8601 or RFC 822 dates, as feeds carry them."""
    parsed: datetime | None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    if parsed is None:
        return None
    if parsed.tzinfo is not None:
        try:
            parsed = parsed.astimezone(UTC).replace(tzinfo=None)
        except OverflowError:
            return None
    return _in_range(parsed)


def _with_clock(day: datetime, folded: str, start: int, end: int) -> datetime:
    """Add the clock time written just after (else just before) a date span."""
    clock = _tables().clock
    match = clock.search(folded, end, end + _TIME_WINDOW) or clock.search(
        folded, max(0, start - _TIME_WINDOW), start
    )
    if match is None:
        return day
    hour, minute = int(match[1]), int(match[2])
    second = int(match[3]) if match[3] else 0
    marker = match[4]
    if marker in _tables().pm and hour < 12:
        hour += 12
    elif marker in _tables().am and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return day
    result = day.replace(hour=hour, minute=minute, second=second)
    if match[5]:
        offset = timedelta(hours=int(match[6]), minutes=int(match[7] or 0))
        result = result - offset if match[5] == "+" else result + offset
    return result


def _named_month(folded: str, now: datetime) -> datetime | None:
    tables = _tables()
    match = tables.day_month_year.search(folded)
    if match is not None:
        day, month, year = int(match[1]), tables.months[match[2]], int(match[3])
    else:
        match = tables.month_day_year.search(folded)
        if match is None:
            return None
        month, day, year = tables.months[match[1]], int(match[2]), int(match[3])
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    return _with_clock(datetime(year, month, day), folded, match.start(), match.end())


def _numeric_date(folded: str, now: datetime) -> datetime | None:
    match = _NUMERIC_YMD.search(folded)
    if match is not None:
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    else:
        match = _NUMERIC_DMY.search(folded)
        if match is None:
            return None
        day, month, year = int(match[1]), int(match[2]), int(match[3])  # Arab order
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    return _with_clock(datetime(year, month, day), folded, match.start(), match.end())


def _relative_time(folded: str, now: datetime) -> datetime | None:
    tables = _tables()
    match = tables.relative.search(folded)
    if match is None:
        return None
    unit, implied = tables.unit_counts[match[2]]
    count = int(match[1]) if match[1] else (implied or 1)
    return _in_range(now - timedelta(seconds=count * _UNIT_SECONDS[unit]))


def _relative_day(folded: str, now: datetime) -> datetime | None:
    tables = _tables()
    match = tables.day_word.search(folded)
    if match is None:
        return None
    days_back = 1 if match[1] in tables.yesterday else 0
    day = (now - timedelta(days=days_back)).replace(hour=0, minute=0, second=0, microsecond=0)
    return _with_clock(day, folded, match.start(), match.end())


def _recent_weekday(folded: str, now: datetime) -> datetime | None:
    tables = _tables()
    match = tables.weekday.search(folded)
    if match is None or tables.clock.search(folded) is None:
        return None  # a weekday alone is too vague; outlets pair it with a time for recent items
    days_back = (now.weekday() - tables.weekdays[match[1]]) % 7
    day = (now - timedelta(days=days_back)).replace(hour=0, minute=0, second=0, microsecond=0)
    return _with_clock(day, folded, match.start(), match.end())


# --------------------------------------------------------------------------------------------
# Date expressions in text: tables and patterns
# --------------------------------------------------------------------------------------------


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


@dataclass(frozen=True, slots=True)
class HijriCalendar:
    """The Umm al-Qura calendar over the years ``data/months_ar.json`` lists."""

    first_year: int
    month_starts: tuple[date, ...]  # 1st of every month in order, then the day after the last

    def month_range(self, year: int, month: int) -> tuple[date, date] | None:
        """First and last Gregorian day of a Hijri month, or None outside the table."""
        index = (year - self.first_year) * 12 + month - 1
        if not 0 <= index < len(self.month_starts) - 1 or not 1 <= month <= 12:
            return None
        return self.month_starts[index], self.month_starts[index + 1] - timedelta(days=1)

    def to_gregorian(self, year: int, month: int, day: int) -> date | None:
        """The Gregorian day of a Hijri date, or None when it does not exist."""
        span = self.month_range(year, month)
        if span is None or not 1 <= day <= (span[1] - span[0]).days + 1:
            return None
        return span[0] + timedelta(days=day - 1)

    def year_of(self, day: date) -> int | None:
        """The Hijri year holding a Gregorian day, or None outside the table."""
        index = bisect_right(self.month_starts, day) - 1
        if not 0 <= index < len(self.month_starts) - 1:
            return None
        return self.first_year + index // 12


@cache
def hijri_calendar() -> HijriCalendar:
    """The Umm al-Qura calendar of ``data/months_ar.json`` (month lengths per Hijri year)."""
    table = _calendar_words()[2]["hijri_calendar"]
    years = sorted(table["month_lengths"].items())
    starts = [date.fromisoformat(table["first_day"])]
    for _, lengths in years:
        for digit in lengths:
            starts.append(starts[-1] + timedelta(days=30 if digit == "1" else 29))
    return HijriCalendar(first_year=int(years[0][0]), month_starts=tuple(starts))


@dataclass(frozen=True, slots=True)
class _Lexicon:
    months: dict[str, int]  # folded name (single spaces) -> month number
    hijri_months: dict[str, int]
    ordinals: dict[str, int]  # folded ordinal word -> day of the month
    weekdays: dict[str, int]  # folded name without ال -> Monday=0
    day_words: dict[str, int]  # folded -> days from publication
    not_after: frozenset[str]
    past: frozenset[str]
    future: frozenset[str]
    current: frozenset[str]
    future_markers: frozenset[str]
    plans_and_forecasts: tuple[str, ...]
    until_words: frozenset[str]
    future_not_verbs: frozenset[str]
    ordinal_not_after: frozenset[str]
    parts: dict[str, str]  # folded word -> "start", "middle" or "end"
    month_prepositions: frozenset[str]
    monday_followers: frozenset[str]
    units: dict[str, str]
    relative_days: dict[str, int | None]
    day_month: re.Pattern[str]
    day_of_month: re.Pattern[str]
    numeric: re.Pattern[str]
    weekday: re.Pattern[str]
    day_word: re.Pattern[str]
    period: re.Pattern[str]
    month_only: re.Pattern[str]
    year_part: re.Pattern[str]
    ago: re.Pattern[str]


def _folded(words: Iterable[str]) -> frozenset[str]:
    return frozenset(fold(w) for w in words)


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    months, named_weekdays, raw = _calendar_words()
    words = _load_json("compare_ar.json")["timeline"]
    weekdays = {name.removeprefix("ال"): number for name, number in named_weekdays.items()}
    hijri_months = {fold(name): number for name, number in raw["hijri_months"].items()}
    ordinals = {fold(word): day for word, day in raw["ordinal_days"].items()}
    day_words = {fold(w): offset for w, offset in words["day_words"].items()}
    past, future, current = (_folded(words[key]) for key in ("past", "future", "current"))
    parts = {fold(w): part for w, part in words["day_parts"].items()}
    modifiers = _alternation(past | future | current)
    gregorian = f"(?:{_alternation(months)})"
    any_month = f"(?:{_alternation([*months, *hijri_months])})"
    ordinal = f"(?:{_alternation(ordinals)})"
    part = rf"(?:(?P<part>{_alternation(parts)})\s+)"
    paired = rf"(?:\s*[/(\-]\s*{gregorian}(?!\w)\s*\)?)?"
    # A year may carry its era letter: 1436هـ (Hijri), 2015م (Gregorian).
    year = r"(?:\s*,?\s*(?:(?:عام|سنه)\s+)?(?P<year>[0-9]{4})(?![0-9])(?:\s*[هم](?!\w))?)"
    modifier = rf"(?:\s+(?P<mod>{modifiers})(?!\w))"
    day = rf"(?:(?<![0-9.,/])(?P<d1>[0-9]{{1,2}})|(?<!\w)(?P<o1>{ordinal})(?=\s+من\s))"
    through = _alternation(["-", "/", "و", fold("إلى"), "حتى"])
    prefixes = _alternation([fold(w) for w in words["day_prefixes"]] + list(day_words))
    units = {fold(w): unit for w, unit in words["units"].items()}
    relative_days = {fold(w): n for w, n in words["relative_days"].items()}
    return _Lexicon(
        months=months,
        hijri_months=hijri_months,
        ordinals=ordinals,
        weekdays=weekdays,
        day_words=day_words,
        not_after=_folded(words["not_after"]),
        past=past,
        future=future,
        current=current,
        future_markers=_folded(words["future_markers"]),
        plans_and_forecasts=tuple(sorted(_folded(words["plans_and_forecasts"]))),
        until_words=_folded(words["until_words"]),
        future_not_verbs=_folded(words["future_prefix_not_verbs"]),
        ordinal_not_after=_folded(words["ordinal_not_after"]),
        parts=parts,
        month_prepositions=_folded(words["month_prepositions"]),
        monday_followers=_folded(words["monday_followers"]),
        units=units,
        relative_days=relative_days,
        day_month=re.compile(
            rf"{day}(?:\s*(?:{through})\s*(?P<d2>[0-9]{{1,2}}))?\s*(?:من\s+)?"
            rf"(?P<shahr>(?:ال)?شهر\s+)?(?P<month>{any_month})(?!\w){paired}{year}?{modifier}?"
        ),
        day_of_month=re.compile(
            rf"{day}\s+من\s+(?:(?P<this>هذا)\s+)?(?:ال|لل)شهر(?:\s+(?P<mod>{modifiers}))?(?!\w)"
        ),
        numeric=re.compile(
            r"(?<![0-9])(?:(?P<y1>[0-9]{4})\s*(?P<s1>[-/.])\s*(?P<m1>[0-9]{1,2})\s*(?P=s1)\s*"
            r"(?P<d1>[0-9]{1,2})|(?P<d2>[0-9]{1,2})\s*(?P<s2>[-/.])\s*(?P<m2>[0-9]{1,2})\s*"
            r"(?P=s2)\s*(?P<y2>[0-9]{4}))(?![0-9])(?:\s*[هم](?!\w))?"
        ),
        weekday=re.compile(
            rf"(?<!\w)(?:(?P<pre>{prefixes})\s+(?P<open>\(\s*)?)?[وفبل]?(?:ال|لل)"
            rf"(?P<day>{_alternation(weekdays)})(?!\w)(?(open)\s*\))(?:{modifier})?"
        ),
        day_word=re.compile(
            rf"(?<!\w)(?:يوم\s+)?(?:[وف]?(?:ب|ل)?)(?P<word>{_alternation(day_words)})(?!\w)"
        ),
        period=re.compile(
            rf"(?<!\w){part}?(?:(?P<this>هذا|هذه)\s+)?[وفبل]?(?:ال|لل)"
            rf"(?P<unit>{_alternation(units)})(?:\s+(?P<mod>{modifiers}))?(?!\w)"
        ),
        month_only=re.compile(
            rf"(?<!\w){part}?(?:(?P<shahr>[وفبل]?(?:ال)?شهر)\s+)?(?P<month>{any_month})(?!\w)"
            rf"{paired}(?:{year}|{modifier})?"
        ),
        year_part=re.compile(
            rf"(?<!\w){part}(?:ال)?(?:عام|سنه)\s+(?P<year>[0-9]{{4}})(?![0-9])(?:\s*م(?!\w))?"
        ),
        ago=re.compile(
            rf"(?<!\w)(?:منذ|قبل)\s+(?:(?P<n>[0-9]{{1,2}})\s+)?"
            rf"(?P<unit>{_alternation(relative_days)})(?!\w)"
        ),
    )


# --------------------------------------------------------------------------------------------
# Date expressions in text: resolution
# --------------------------------------------------------------------------------------------


def _tense(modifier: str | None, lex: _Lexicon) -> str:
    if modifier in lex.past:
        return "past"
    if modifier in lex.future:
        return "future"
    if modifier in lex.current:
        return "current"
    return ""


def _pick(candidates: list[tuple[date, date]], published: date, tense: str) -> tuple[date, date]:
    """The candidate span that the tense allows, nearest the publication date."""
    if tense == "past":
        candidates = [c for c in candidates if c[0] <= published]
    elif tense == "future":
        candidates = [c for c in candidates if c[0] > published]
    elif tense == "current":
        candidates = [c for c in candidates if c[0] <= published + timedelta(days=366)]

    def distance(span: tuple[date, date]) -> int:
        if span[0] <= published <= span[1]:
            return 0
        return min(abs((span[0] - published).days), abs((span[1] - published).days))

    return min(candidates, key=lambda c: (distance(c), c[0]))


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
    if tense == "current":
        candidates = [c for c in candidates if c.year == published.year]
    spans = [(c, c) for c in candidates]
    if tense in ("past", "future"):
        spans = [s for s in spans if (s[0] <= published) == (tense == "past")]
    return _pick(spans, published, "")[0] if spans else None


def infer_hijri(published: date, month: int, day: int, tense: str = "") -> date | None:
    """The Gregorian date of a Hijri day and month written without a year (15 شوال الجاري).

    Same rules as :func:`infer_year` over the Hijri years around publication.
    """
    calendar_ = hijri_calendar()
    current = calendar_.year_of(published)
    if current is None:
        return None
    candidates = [
        (found, found)
        for year in (current - 1, current, current + 1)
        if (found := calendar_.to_gregorian(year, month, day)) is not None
        and (tense != "current" or year == current)
    ]
    if tense in ("past", "future"):
        candidates = [c for c in candidates if (c[0] <= published) == (tense == "past")]
    return _pick(candidates, published, "")[0] if candidates else None


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


def _hijri_month(published: date, month: int, tense: str) -> tuple[date, date] | None:
    """First and last day of a Hijri month named without a year (رمضان الماضي)."""
    calendar_ = hijri_calendar()
    current = calendar_.year_of(published)
    if current is None:
        return None
    spans = [
        span
        for year in (current - 1, current, current + 1)
        if (span := calendar_.month_range(year, month)) is not None
        and (tense != "current" or year == current)
    ]
    if tense == "past":
        spans = [s for s in spans if s[0] <= published]
        return max(spans) if spans else None
    if tense == "future":
        spans = [s for s in spans if s[0] > published]
        return min(spans) if spans else None
    return _pick(spans, published, "") if spans else None


def _part_of(first: date, last: date, part: str | None, unit: str) -> tuple[date, date]:
    """The start, middle or end third of a period (the whole period without a part word)."""
    if part is None:
        return first, last
    if unit == "year":
        months = {"start": (1, 4), "middle": (5, 8), "end": (9, 12)}[part]
        return _month_range(first.year, months[0])[0], _month_range(first.year, months[1])[1]
    lengths = (2, 3) if unit == "week" else (10, 10)  # days in the start and middle thirds
    if part == "start":
        return first, first + timedelta(days=lengths[0] - 1)
    if part == "middle":
        start = first + timedelta(days=lengths[0])
        return start, start + timedelta(days=lengths[1] - 1)
    return first + timedelta(days=sum(lengths)), last


def _weekday_date(published: date, weekday: int, tense: str) -> date:
    """The next such weekday after publication (future), the latest one before it (past), or
    the latest one on or before it."""
    if tense == "future":
        return published + timedelta(days=(weekday - published.weekday() - 1) % 7 + 1)
    if tense == "past":
        return published - timedelta(days=(published.weekday() - weekday - 1) % 7 + 1)
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
_SENTENCE_END = re.compile(r"[.!?:\n]")


def _day_of(match: re.Match[str], lex: _Lexicon) -> int:
    return int(match["d1"]) if match["d1"] else lex.ordinals[" ".join(match["o1"].split())]


def _ordinal_of_noun(match: re.Match[str], lex: _Lexicon, folded: str) -> bool:
    """ "الأسبوع الأول من أغسطس": the ordinal counts weeks, rounds or stages, not days."""
    previous = folded[: match.start()].split()[-1:]
    return bool(match["o1"]) and bool(previous) and previous[0] in lex.ordinal_not_after


def _day_month(
    match: re.Match[str], published: date, lex: _Lexicon, folded: str
) -> _Resolved | None:
    if _ordinal_of_noun(match, lex, folded):
        return None
    name = " ".join(match["month"].split())
    first_day = _day_of(match, lex)
    last_day = int(match["d2"]) if match["d2"] else first_day
    if last_day < first_day:
        return None
    tense = _tense(match["mod"], lex)
    year = int(match["year"]) if match["year"] else None
    if name in lex.hijri_months:
        month = lex.hijri_months[name]
        if name == "صفر" and not (year or match["mod"] or match["shahr"]):
            return None  # "2 صفر" is also a score
        calendar_ = hijri_calendar()
        first = (
            calendar_.to_gregorian(year, month, first_day)
            if year
            else infer_hijri(published, month, first_day, tense)
        )
        hijri_year = year or (calendar_.year_of(first) if first else None)
        last = calendar_.to_gregorian(hijri_year, month, last_day) if hijri_year else None
        if first is None or last is None:
            return None
        return first, last, "day" if first == last else "days"
    month = lex.months[name]
    if year:
        try:
            first = date(year, month, first_day)
        except ValueError:
            return None
    else:
        inferred = infer_year(published, month, first_day, tense)
        if inferred is None:
            return None
        first = inferred
    try:
        last = first.replace(day=last_day)
    except ValueError:
        return None
    return first, last, "day" if first == last else "days"


def _day_of_month(
    match: re.Match[str], published: date, lex: _Lexicon, folded: str
) -> _Resolved | None:
    """A day of a month named by tense: "الثامن من الشهر المقبل", "15 من الشهر الجاري"."""
    if _ordinal_of_noun(match, lex, folded):
        return None
    tense = "current" if match["this"] else _tense(match["mod"], lex)
    if not tense:
        return None
    year, month = _shift_month(published, {"past": -1, "future": 1, "current": 0}[tense])
    try:
        found = date(year, month, _day_of(match, lex))
    except ValueError:
        return None
    return found, found, "day"


def _numeric_candidates(match: re.Match[str]) -> list[date]:
    """The dates a numeric expression may mean, most likely first: day/month order as written,
    then month/day (10/4/1436 for the 4th of Shawwal); Hijri years converted."""
    if match["y1"]:
        year, month, day = int(match["y1"]), int(match["m1"]), int(match["d1"])
    else:
        year, month, day = int(match["y2"]), int(match["m2"]), int(match["d2"])
    found: list[date] = []
    for m, d in ((month, day), (day, month)):
        if MIN_YEAR <= year <= MAX_YEAR:
            try:
                found.append(date(year, m, d))
            except ValueError:
                continue
        else:
            converted = hijri_calendar().to_gregorian(year, m, d)
            if converted is not None:
                found.append(converted)
    return list(dict.fromkeys(found))


def _numeric(match: re.Match[str], published: date, lex: _Lexicon) -> _Resolved | None:
    candidates = _numeric_candidates(match)
    if not candidates:
        return None
    return candidates[0], candidates[0], "day"


def _is_future_verb(word: str, lex: _Lexicon) -> bool:
    """A verb with the future prefix سـ (سيلتقي، ستستأنف), or a listed future marker."""
    word = word.strip(_PUNCTUATION)
    if word in lex.future_markers or (word[:1] in ("و", "ف") and word[1:] in lex.future_markers):
        return True
    if len(word) > 1 and word[0] in "وف" and word[1] == "س":
        word = word[1:]
    return (
        len(word) >= 5 and word[0] == "س" and word[1] in "يتن" and word not in lex.future_not_verbs
    )


def _weekday_tense(match: re.Match[str], lex: _Lexicon, folded: str) -> str:
    tense = _tense(match["mod"], lex)
    pre = " ".join(match["pre"].split()) if match["pre"] else None
    if tense in ("past", "future"):
        return tense
    if pre in lex.day_words:
        return "future" if lex.day_words[pre] > 0 else ""  # أمس الخميس: never the next one
    clause = _SENTENCE_END.split(folded[max(0, match.start() - 200) : match.start()])[-1]
    words = [word.strip(_PUNCTUATION) for word in clause.split()]
    if words and words[-1] in lex.until_words:
        return "future"  # حتى (يوم) الجمعة: a period still running ends on the next Friday
    if any(_is_future_verb(word, lex) for word in words[-FUTURE_MARKER_WINDOW:]):
        return "future"
    planned = words[-FORECAST_MARKER_WINDOW:]
    if any(marker in word for word in planned for marker in lex.plans_and_forecasts):
        return "future"
    return ""


def _weekday(match: re.Match[str], published: date, lex: _Lexicon, folded: str) -> _Resolved | None:
    weekday = lex.weekdays[match["day"]]
    if match["day"] == "اثنين" and not (match["pre"] or match["mod"]):
        following = folded[match.end() :].split()[:1]
        if not following or following[0].strip(_PUNCTUATION) not in lex.monday_followers:
            return None  # الاثنين is also "the two"
    found = _weekday_date(published, weekday, _weekday_tense(match, lex, folded))
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
        if following and following[0].startswith("ال") and following[0] != "الي":
            return None  # اليوم الأول، اليوم الوطني: "the day", not today (but "اليوم إلى")
    found = published + timedelta(days=lex.day_words[word])
    return found, found, "day"


def _period(match: re.Match[str], published: date, lex: _Lexicon) -> _Resolved | None:
    tense = "current" if match["this"] else _tense(match["mod"], lex)
    if not tense:
        return None
    shift = {"past": -1, "future": 1, "current": 0}[tense]
    unit = lex.units[match["unit"]]
    part = lex.parts.get(match["part"] or "")
    if unit == "week":
        first, last = _part_of(*_week_range(published, shift), part, unit)
    elif unit == "month":
        first, last = _part_of(*_month_range(*_shift_month(published, shift)), part, unit)
    else:
        year = published.year + shift
        first, last = _part_of(date(year, 1, 1), date(year, 12, 31), part, unit)
    return first, last, "days" if part and unit != "year" else unit


def _month_only(
    match: re.Match[str], published: date, lex: _Lexicon, folded: str
) -> _Resolved | None:
    name = " ".join(match["month"].split())
    previous = folded[: match.start()].split()[-1:]
    after_preposition = bool(previous) and (
        previous[0] in lex.month_prepositions or previous[0][1:] in lex.month_prepositions
    )
    marked = match["shahr"] or match["year"] or match["mod"] or match["part"]
    if not (marked or (after_preposition and name != "صفر")):
        return None  # مارس is also a verb, ماي and تموز are names: need a marker
    tense = _tense(match["mod"], lex) or ("past" if previous and previous[0] == "منذ" else "")
    part = lex.parts.get(match["part"] or "")
    if name in lex.hijri_months:
        year = int(match["year"]) if match["year"] else None
        month = lex.hijri_months[name]
        span = (
            hijri_calendar().month_range(year, month)
            if year
            else _hijri_month(published, month, tense)
        )
        if span is None:
            return None
        first, last = _part_of(*span, part, "month")
    else:
        month = lex.months[name]
        year = int(match["year"]) if match["year"] else _month_year(published, month, tense)
        if not MIN_YEAR <= year <= MAX_YEAR:
            return None
        first, last = _part_of(*_month_range(year, month), part, "month")
    return first, last, "days" if part else "month"


def _year_part(match: re.Match[str], published: date, lex: _Lexicon) -> _Resolved | None:
    year = int(match["year"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    first, last = _part_of(date(year, 1, 1), date(year, 12, 31), lex.parts[match["part"]], "year")
    return first, last, "days"


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


def _original_end(text: str, offsets: Sequence[int], folded_end: int) -> int:
    end = int(offsets[folded_end - 1]) + 1
    while end < len(text) and (unicodedata.category(text[end]) == "Mn" or text[end] == "\u0640"):
        end += 1
    return end


@dataclass(frozen=True, slots=True)
class _Found:
    """A resolved match on the folded text, before mapping back to the original."""

    start: int
    end: int
    first: date
    last: date
    precision: str
    kind: str  # "weekday", "date" (an explicit day), or "other"
    match: re.Match[str]


#: Between two weekdays of one run of days: "يومي الجمعة والسبت", "ليل الخميس/الجمعة".
_WEEKDAY_RUN_GAP = re.compile(r"\s*[/\-،,]?\s*")


def _chain_weekdays(found: list[_Found], folded: str, lex: _Lexicon) -> list[_Found]:
    """A bare weekday joined to the weekday before it ("الجمعة والسبت", "الخميس/الجمعة")
    is the first such day after that one: a run of days goes forward, so a Friday forecast's
    "Friday and Saturday" ends tomorrow, not last Saturday."""
    chained: list[_Found] = []
    for item in found:
        previous = chained[-1] if chained else None
        if (
            previous is not None
            and item.kind == previous.kind == "weekday"
            and previous.first == previous.last
            and not (item.match["pre"] or item.match["mod"])
            and _WEEKDAY_RUN_GAP.fullmatch(folded[previous.end : item.start]) is not None
            and (folded[item.start] == "و" or folded[previous.end : item.start].strip())
        ):
            weekday = lex.weekdays[item.match["day"]]
            ahead = (weekday - previous.first.weekday()) % 7 or 7
            day = previous.first + timedelta(days=ahead)
            item = dataclasses.replace(item, first=day, last=day)
        chained.append(item)
    return chained


#: Between a weekday and the explicit date that names the same day ("الأربعاء الموافق 5").
_WEEKDAY_DATE_GAP = re.compile(r"[\s,\-]*(?:الموافق\s*)?[\s,\-]*")


def _merge_weekday_dates(found: list[_Found], folded: str, lex: _Lexicon) -> list[_Found]:
    """Joins a weekday and the explicit date right after it into one mention of that date.

    An explicit date beats the weekday's guess; when the date reads either day/month or
    month/day, the reading that falls on the weekday wins.
    """
    merged: list[_Found] = []
    index = 0
    while index < len(found):
        current = found[index]
        following = found[index + 1] if index + 1 < len(found) else None
        if (
            following is None
            or current.kind != "weekday"
            or following.kind != "date"
            or following.first != following.last
            or not _WEEKDAY_DATE_GAP.fullmatch(folded, current.end, following.start)
        ):
            merged.append(current)
            index += 1
            continue
        day = following.first
        weekday = lex.weekdays[current.match["day"]]
        if following.match.re is lex.numeric and day.weekday() != weekday:
            day = next(
                (d for d in _numeric_candidates(following.match) if d.weekday() == weekday), day
            )
        merged.append(
            _Found(current.start, following.end, day, day, "day", "date", following.match)
        )
        index += 2
    return merged


@cache
def _needed_runs() -> dict[re.Pattern[str], tuple[frozenset[str], ...]]:
    r"""Whole words that every match of a pattern contains: for each pattern, sets of which
    each must share a word with the text, a word being a maximal run of ``\w`` characters.

    A test for them is far cheaper than scanning the text with the pattern, and stricter
    than a substring test: اب (August) or قبل are inside many words (الشباب، مستقبل). Each
    word named here sits in its pattern between non-word characters: the pattern's
    ``(?<!\w)`` start, ``\s+``, ``(`` or its ``(?!\w)`` end, with proclitics and the article
    inside the word where the pattern glues them (والخميس، للعام، بالأمس). A name of several
    words needs each of them, so one of its words stands for it. One exception: a day and
    its month may be written together (28نوفمبر, see :func:`_month_after_digit_re`).
    """
    lex = _lexicon()

    def glued(
        firsts: Iterable[str], seconds: Iterable[str], words: Iterable[str]
    ) -> frozenset[str]:
        return frozenset(a + b + w for a in firsts for b in seconds for w in words)

    clitic, article = ("", "و", "ف", "ب", "ل"), ("ال", "لل")
    month_first_words = frozenset(name.split()[0] for name in [*lex.months, *lex.hijri_months])
    one_word_days = [word for word in lex.day_words if " " not in word]
    day_words = glued(("", "و", "ف"), ("", "ب", "ل"), one_word_days) | {
        word.split()[-1] for word in lex.day_words if " " in word
    }
    return {
        lex.day_month: (month_first_words,),
        lex.day_of_month: (frozenset(("الشهر", "للشهر")),),
        lex.weekday: (glued(clitic, article, lex.weekdays),),
        lex.day_word: (day_words,),
        lex.year_part: (
            frozenset(part.split()[0] for part in lex.parts),
            frozenset(("عام", "العام", "سنه", "السنه")),
        ),
        lex.period: (glued(clitic, article, lex.units),),
        lex.month_only: (month_first_words,),
        lex.ago: (frozenset(("منذ", "قبل")), frozenset(lex.relative_days)),
    }


@cache
def _month_after_digit_re() -> re.Pattern[str]:
    """A month name right after a digit (28نوفمبر، 30و31تموز): the one place a day-month
    match's month is no whole word. Cheap to search: it can only start at a digit."""
    lex = _lexicon()
    firsts = {name.split()[0] for name in [*lex.months, *lex.hijri_months]}
    return re.compile(rf"[0-9](?:{_alternation(firsts)})")


_DIGIT_RUN = re.compile(r"[0-9]+")
_WORD_RUN = re.compile(r"\w+")


def _day_starts(folded: str, digits: list[int]) -> list[int]:
    """Every place a day number can begin (see ``_Lexicon.day_month``): each run of digits
    (``digits``, their starts) and each place an ordinal's first word is written (a
    superset: the pattern decides)."""
    starts = list(digits)
    for word in _ordinal_first_words():
        at = folded.find(word)
        while at >= 0:
            starts.append(at)
            at = folded.find(word, at + 1)
    return sorted(starts)


@cache
def _ordinal_first_words() -> tuple[str, ...]:
    return tuple({ordinal.split()[0] for ordinal in _lexicon().ordinals})


def _matches_from(
    pattern: re.Pattern[str], text: str, starts: Iterable[int]
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern that can only match at one of ``starts``
    (increasing): the same matches, trying only those places instead of every character.

    As ``finditer``, a match hides the places it covers; no pattern here matches empty.
    """
    resume = 0
    for start in starts:
        if start < resume:
            continue
        match = pattern.match(text, start)
        if match is not None:
            resume = match.end()
            yield match


def find_dates(text: str, published: date) -> list[DateMention]:
    """Finds and resolves the date expressions of a text.

    Args:
        text: an article body (DISPLAY form).
        published: the article's publication date, the anchor of relative expressions.

    Returns:
        Non-overlapping mentions in text order; more specific patterns win where they overlap
        ("اليوم الثلاثاء" is one weekday mention, "28 نوفمبر المقبل" one day), and a weekday
        followed by its explicit date ("الأربعاء الموافق 20-10-1436هـ") is one mention of that
        date.
    """
    if not text:
        return []
    lex = _lexicon()
    folded, offsets = fold_mapped(text)
    found: list[_Found] = []

    def free(start: int, end: int) -> bool:
        return all(end <= f.start or start >= f.end for f in found)

    passes: Sequence[tuple[re.Pattern[str], str, Callable[[re.Match[str]], _Resolved | None]]] = (
        (lex.day_month, "date", lambda m: _day_month(m, published, lex, folded)),
        (lex.day_of_month, "date", lambda m: _day_of_month(m, published, lex, folded)),
        (lex.numeric, "date", lambda m: _numeric(m, published, lex)),
        (lex.weekday, "weekday", lambda m: _weekday(m, published, lex, folded)),
        (lex.day_word, "other", lambda m: _day_word(m, published, lex, folded)),
        (lex.year_part, "other", lambda m: _year_part(m, published, lex)),
        (lex.period, "other", lambda m: _period(m, published, lex)),
        (lex.month_only, "other", lambda m: _month_only(m, published, lex, folded)),
        (lex.ago, "other", lambda m: _ago(m, published, lex)),
    )
    need_runs = _needed_runs()
    runs: set[str] | None = None  # the text's words, found once when a pattern asks
    # Numbers and day numbers begin at a digit or an ordinal, a few places per article:
    # matching there only is much cheaper than scanning every character (same matches).
    digits = [run.start() for run in _DIGIT_RUN.finditer(folded)]
    day_starts: list[int] | None = None
    for pattern, kind, resolve in passes:
        # Skip a pattern that cannot match: its scan is much slower than these tests.
        if pattern in need_runs:
            runs = set(_WORD_RUN.findall(folded)) if runs is None else runs
            if any(runs.isdisjoint(required) for required in need_runs[pattern]) and not (
                pattern is lex.day_month and _month_after_digit_re().search(folded)
            ):
                continue
        matches: Iterable[re.Match[str]]
        if pattern is lex.numeric:
            matches = _matches_from(pattern, folded, digits)
        elif pattern is lex.day_month or pattern is lex.day_of_month:
            day_starts = _day_starts(folded, digits) if day_starts is None else day_starts
            matches = _matches_from(pattern, folded, day_starts)
        else:
            matches = pattern.finditer(folded)
        for match in matches:
            if not free(match.start(), match.end()):
                continue
            resolved = resolve(match)
            if resolved is not None:
                found.append(_Found(match.start(), match.end(), *resolved, kind, match))
    found.sort(key=lambda f: f.start)
    mentions = []
    for item in _merge_weekday_dates(_chain_weekdays(found, folded, lex), folded, lex):
        start = int(offsets[item.start])
        end = _original_end(text, offsets, item.end)
        mentions.append(
            DateMention(
                start=start,
                end=end,
                expression=text[start:end],
                first=item.first,
                last=item.last,
                precision=item.precision,
            )
        )
    return mentions
