"""A watchlist's matches as an Atom 1.0 feed (RFC 4287), for feed readers and mail tools.

Entry ids are tag URIs (RFC 4151) made of the watchlist and the article id, so they never
change and a reader shows each match once. Titles are plain text with bidi controls
removed (a stray override must not flip the reader's line); summaries are XHTML in an
RTL ``div``, so Arabic lines read right to left in readers that honour it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from typing import Any

from marsad.alerts.views import FEED_SIZE
from marsad.store import Store
from marsad.store import watchlists as saved
from marsad.text import arabic

ATOM = "http://www.w3.org/2005/Atom"
XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SUMMARY_CHARS = 300


def _stamp(value: str | datetime) -> str:
    """An RFC 3339 time in UTC (the store keeps naive UTC)."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=None, microsecond=0).isoformat() + "Z"


def _text(value: object) -> str:
    """Display text on one line: no controls, no bidi overrides, no line breaks."""
    return " ".join(arabic.display(str(value or "")).split())


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    # Plain tags under a root that declares the Atom namespace (no global prefix registry).
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def watchlist_feed(store: Store, watchlist_id: int, *, base_url: str) -> str | None:
    """The Atom document of a watchlist's latest matches, or None when it does not exist."""
    watchlist = saved.get_watchlist(store, watchlist_id)
    if watchlist is None:
        return None
    base = base_url.rstrip("/")
    rows = saved.matches(store, watchlist_id, limit=FEED_SIZE)
    tag = f"tag:marsad,{watchlist.created_at.date().isoformat()}:watchlist/{watchlist.id}"
    feed = ET.Element("feed", {"xmlns": ATOM, XML_LANG: "ar"})
    _add(feed, "id", tag)
    _add(feed, "title", f"مرصد: {_text(watchlist.name)}")
    _add(feed, "subtitle", f"{watchlist.kind}: {_text(watchlist.query)}")
    updated = max((_stamp(r["matched_at"]) for r in rows), default=_stamp(watchlist.created_at))
    _add(feed, "updated", updated)
    author = _add(feed, "author")
    _add(author, "name", "مرصد")
    _add(feed, "generator", "marsad")
    _add(feed, "link", rel="self", type="application/atom+xml",
         href=f"{base}/api/v1/alerts/{watchlist.id}/feed.atom")  # fmt: skip
    _add(feed, "link", rel="alternate", type="text/html", href=f"{base}/alerts/{watchlist.id}")
    for row in rows:
        feed.append(_entry(row, tag, base))
    body = ET.tostring(feed, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"


def _entry(row: dict[str, Any], tag: str, base: str) -> ET.Element:
    entry = ET.Element("entry")
    _add(entry, "id", f"{tag}/article/{int(row['article_id'])}")
    _add(entry, "title", _text(row["title"]) or f"مقال {int(row['article_id'])}", type="text")
    published = _stamp(row["published"])
    _add(entry, "published", published)
    # The article's own time, not the run's: a re-run never changes an entry.
    _add(entry, "updated", published)
    author = _add(entry, "author")
    _add(author, "name", _text(row["source"]))
    page = (
        f"{base}/story/{int(row['story_id'])}"
        if row["story_id"] is not None
        else f"{base}/article/{int(row['article_id'])}"
    )
    _add(entry, "link", rel="alternate", type="text/html", href=page)
    if isinstance(row["url"], str) and row["url"].startswith(("http://", "https://")):
        _add(entry, "link", rel="via", href=row["url"])
    summary = _add(entry, "summary", type="xhtml")
    div = ET.SubElement(summary, "div", {"xmlns": XHTML, "dir": "rtl", "lang": "ar"})
    lead = _text(row["lead"])
    div.text = lead[:SUMMARY_CHARS] + ("…" if len(lead) > SUMMARY_CHARS else "")
    return entry
