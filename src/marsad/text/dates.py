"""Publication dates as Arab outlets print them, in feeds and on article pages.

Handles, anywhere inside a string:

* day-month-year with Levantine (كانون الثاني ... كانون الأول), Egyptian/Gulf
  (يناير ... ديسمبر) and Maghrebi (جانفي, فيفري, ..., Moroccan يوليوز, غشت, شتنبر) month names,
  also doubled as outlets write them ("14 آذار/مارس 2023"), and month-day-year;
* Arabic-Indic and Persian digits, weekday names, a 12-hour clock with ص/م (صباحاً/مساءً)
  or a 24-hour one, an explicit ``GMT+3``/``UTC+03:00`` offset;
* numeric dates (2023-03-14, 14/03/2023), ISO 8601 and RFC 822 (feed) dates;
* relative dates: "منذ 3 ساعات", "قبل ساعتين", "منذ يوم", "أمس", "اليوم", a bare weekday
  ("الخميس 10:30": the latest such day).

Matching runs on :func:`marsad.text.arabic.fold` output, so spelling variants of a month
(أبريل/ابريل/إبريل) need no separate entries. Results are naive datetimes: converted to UTC
when the text gives an offset, otherwise the outlet's wall-clock time as written.
"""

from __future__ import annotations

import email.utils
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any

from marsad.text.arabic import fold

MIN_YEAR = 1900
MAX_YEAR = 2100
_TIME_WINDOW = 40  # chars after (or before) a date searched for its clock time
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400, "week": 7 * 86400, "month": 30 * 86400}


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


def _alternation(words: list[str]) -> str:
    # Longest first, so "كانون الثاني" wins over a shorter name it starts with.
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@cache
def _tables() -> _Tables:
    raw: dict[str, Any] = json.loads(
        resources.files("marsad").joinpath("data/months_ar.json").read_text(encoding="utf-8")
    )
    months = {
        fold(name): number for table in raw["months"].values() for name, number in table.items()
    }
    weekdays = {fold(name): number for name, number in raw["weekdays"].items()}
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
    for parse in (_named_month, _numeric, _relative, _day_word, _weekday):
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


def _numeric(folded: str, now: datetime) -> datetime | None:
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


def _relative(folded: str, now: datetime) -> datetime | None:
    tables = _tables()
    match = tables.relative.search(folded)
    if match is None:
        return None
    unit, implied = tables.unit_counts[match[2]]
    count = int(match[1]) if match[1] else (implied or 1)
    return _in_range(now - timedelta(seconds=count * _UNIT_SECONDS[unit]))


def _day_word(folded: str, now: datetime) -> datetime | None:
    tables = _tables()
    match = tables.day_word.search(folded)
    if match is None:
        return None
    days_back = 1 if match[1] in tables.yesterday else 0
    day = (now - timedelta(days=days_back)).replace(hour=0, minute=0, second=0, microsecond=0)
    return _with_clock(day, folded, match.start(), match.end())


def _weekday(folded: str, now: datetime) -> datetime | None:
    tables = _tables()
    match = tables.weekday.search(folded)
    if match is None or tables.clock.search(folded) is None:
        return None  # a weekday alone is too vague; outlets pair it with a time for recent items
    days_back = (now.weekday() - tables.weekdays[match[1]]) % 7
    day = (now - timedelta(days=days_back)).replace(hour=0, minute=0, second=0, microsecond=0)
    return _with_clock(day, folded, match.start(), match.end())
