"""Safe rendering helpers: every string from the store is untrusted article content."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from urllib.parse import urlsplit

from markupsafe import Markup, escape

# Bidi embeddings, overrides and isolates: in a title they can flip how the text around
# them reads (U+202E makes "gpj.exe" look like "exe.jpg"). Ingest removes them; page
# output removes them again for stores written by older versions or other tools.
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F])


def strip_bidi(value: object) -> object:
    """Jinja ``finalize``: drop bidi controls from every string printed into a page."""
    if isinstance(value, Markup):
        return Markup(str(value).translate(BIDI_CONTROLS))
    if isinstance(value, str):
        return value.translate(BIDI_CONTROLS)
    return value


def snippet_html(snippet: str, highlights: Sequence[Sequence[int]]) -> Markup:
    """A search snippet as HTML: text escaped, each highlighted span in ``<mark>``.

    The plain snippet wraps hits in ``[`` ``]``; those markers sit just outside each span
    and are dropped here.
    """
    pieces: list[str] = []
    cursor = 0
    for start, end in sorted((int(s), int(e)) for s, e in highlights):
        if start < cursor or end > len(snippet) or start >= end:
            continue
        before = snippet[cursor:start]
        if before.endswith("["):
            before = before[:-1]
        pieces.append(str(escape(before.translate(BIDI_CONTROLS))))
        pieces.append(f"<mark>{escape(snippet[start:end].translate(BIDI_CONTROLS))}</mark>")
        cursor = end + 1 if snippet[end : end + 1] == "]" else end
    pieces.append(str(escape(snippet[cursor:].translate(BIDI_CONTROLS))))
    return Markup("".join(pieces))


def safe_url(url: object) -> str | None:
    """The URL when it is plain http(s), else None (no ``javascript:`` or ``data:`` links)."""
    if not isinstance(url, str) or not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in {"http", "https"} else None


def when(value: object, length: int = 16) -> str:
    """An ISO time as ``YYYY-MM-DD HH:MM`` (or shorter); empty for missing values."""
    if isinstance(value, datetime):
        value = value.isoformat()
    if not isinstance(value, str):
        return ""
    return value[:length].replace("T", " ")
