"""RSS and Atom feeds to :class:`FeedItem` values, tolerant of what outlets publish.

feedparser does the XML work and copes with malformed feeds. This module hands it a
stream of UTF-8 bytes (decoded first by :func:`~marsad.watch.fetch.decode_document`, with
the XML declaration's encoding removed and control characters dropped), never a string:
feedparser treats strings as URLs or file names to open. Dates feedparser cannot read
(Arabic month names, Arabic-Indic digits) go through :mod:`marsad.text.dates`.
"""

from __future__ import annotations

import calendar
import io
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from marsad.text.dates import MAX_YEAR, MIN_YEAR, parse_date
from marsad.watch.pages import html_to_text

MAX_ITEMS = 500  # per feed document; more is a broken or hostile feed
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_XML_INVALID_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedItem:
    """One entry of a feed, its HTML flattened to text."""

    guid: str | None
    url: str | None  # absolute
    title: str
    text: str  # the fullest body the feed gives (content, else summary)
    published: datetime | None  # naive UTC when the feed gives a zone
    author: str | None


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed's items, and what was wrong with it when it yielded none."""

    items: tuple[FeedItem, ...]
    problem: str | None = None


def parse_feed(document: str, *, url: str) -> ParsedFeed:
    """Parse a decoded RSS/Atom document; never raises.

    Args:
        document: The feed text (see :func:`~marsad.watch.fetch.decode_document`).
        url: The feed's URL, against which relative item links are resolved.
    """
    import feedparser  # lazily: only watching needs it

    cleaned = _XML_INVALID_CHARS.sub("", _XML_DECLARATION.sub("", document, count=1))
    stream = io.BytesIO(cleaned.encode("utf-8", errors="replace"))
    try:
        parsed = feedparser.parse(
            stream, response_headers={"content-type": "application/xml; charset=utf-8"}
        )
    # feedparser's loose parser is built to survive anything, but a crash on one hostile
    # feed must not take the watch down: report it as that feed's problem instead.
    except Exception as exc:
        return ParsedFeed((), f"feed parser failed ({type(exc).__name__}: {exc})")
    items = tuple(
        item
        for item in (_item(entry, url) for entry in parsed.entries[:MAX_ITEMS])
        if item is not None
    )
    if items:
        return ParsedFeed(items)
    if parsed.get("bozo"):
        reason = str(parsed.get("bozo_exception", "malformed")).splitlines()[0][:200]
        return ParsedFeed((), f"not a readable RSS/Atom feed ({reason})")
    if not parsed.get("version") and not parsed.feed:
        return ParsedFeed((), "not an RSS/Atom feed (no channel or feed element)")
    return ParsedFeed(())


def _item(entry: Any, feed_url: str) -> FeedItem | None:
    link = _absolute(_text(entry.get("link")), feed_url)
    title = html_to_text(_text(entry.get("title")))
    text = _body(entry)
    if not (link or title or text):
        return None
    guid = _text(entry.get("id")) or None
    author = html_to_text(_text(entry.get("author"))) or None
    return FeedItem(
        guid=guid,
        url=link,
        title=" ".join(title.split()),
        text=text,
        published=_published(entry),
        author=author,
    )


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _absolute(link: str, base: str) -> str | None:
    if not link:
        return None
    try:
        absolute = urljoin(base, link)
        parts = urlsplit(absolute)
    except ValueError:  # e.g. an invalid IPv6 literal
        return None
    return absolute if parts.scheme in {"http", "https"} and parts.netloc else None


def _body(entry: Any) -> str:
    candidates = [
        _text(content.get("value"))
        for content in entry.get("content") or []
        if hasattr(content, "get")
    ]
    candidates.append(_text(entry.get("summary")))
    fullest = max(candidates, key=len, default="")
    return html_to_text(fullest)


def _published(entry: Any) -> datetime | None:
    # Only keys really present: feedparser maps absent "updated" to "published" with a warning.
    present = set(dict.keys(entry))
    for key in ("published", "updated", "created"):
        parsed = entry.get(f"{key}_parsed") if f"{key}_parsed" in present else None
        if isinstance(parsed, time.struct_time) and MIN_YEAR <= parsed.tm_year <= MAX_YEAR:
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC).replace(tzinfo=None)
        raw = _text(entry.get(key)) if key in present else ""
        if raw:
            found = parse_date(raw)
            if found is not None:
                return found
    return None
