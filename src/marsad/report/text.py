"""Making untrusted article text safe to place in HTML and SVG.

Titles, bodies, outlet names and analysis terms all come from crawled pages. Beyond HTML
escaping, bidirectional control characters are removed: an embedded U+202E (right-to-left
override) would otherwise reverse the text that follows it on the page and could disguise
a link or a number. Each piece of text is also isolated (``<bdi>``) by the renderer so a
Latin name inside Arabic text cannot reorder its neighbours.
"""

from __future__ import annotations

import re
from html import escape

# Bidi embeddings, overrides and isolates, marks (LRM, RLM, ALM), and C0/C1 controls other
# than tab and newline.
_UNSAFE = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(value: object) -> str:
    """Return ``value`` as a string without bidi or control characters (not yet escaped)."""
    return _UNSAFE.sub("", str(value))


def text(value: object) -> str:
    """Return ``value`` cleaned and HTML-escaped (quotes included), safe in text and attributes."""
    return escape(clean(value), quote=True)
