"""Article pages and HTML fragments to text: title, body, date, author.

Whole pages go through trafilatura (main-content extraction); the publication date is
taken, in order of trust, from machine-readable markup (``article:published_time``,
``datePublished``, ``<time datetime>``), then trafilatura's guess, then the first Arabic date
written near the top of the page (:mod:`marsad.text.dates`). Feed summaries, which are
small HTML fragments, are flattened with the standard library's parser.

Nothing here raises on bad HTML: a page without article text gives None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser

from marsad.text.dates import parse_date

MAX_HTML_CHARS = 5_000_000
_HEAD_CHARS = 200_000  # markup dates live in <head> or the article header
_DATE_META = re.compile(
    r"""(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|og:published_time|"""
    r"""datePublished|pubdate|publishdate|date|dc\.date(?:\.issued)?)["'][^>]*?content\s*=\s*["']([^"'<>]{4,64})["']"""
    r"""|content\s*=\s*["']([^"'<>]{4,64})["'][^>]*?(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|datePublished)["']"""
    r"""|"datePublished"\s*:\s*"([^"]{4,64})"""
    r"""|<time[^>]*?datetime\s*=\s*["']([^"'<>]{4,64})["']""",
    re.IGNORECASE,
)
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
     "section", "article", "tr", "table", "header", "footer", "figure", "figcaption", "pre"}
)  # fmt: skip
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "iframe"})
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")


@dataclass(frozen=True, slots=True, kw_only=True)
class PageArticle:
    """What an article page says about itself."""

    title: str
    text: str
    published: datetime | None
    author: str | None


def extract_article(html: str, *, url: str | None = None) -> PageArticle | None:
    """Extract the article of a page; None when the page holds no article text.

    Args:
        html: The decoded page.
        url: The page's URL (helps trafilatura with relative links and metadata).
    """
    if not html.strip() or len(html) > MAX_HTML_CHARS:
        return None
    document = _trafilatura(html, url)
    if document is None:
        return None
    text = (getattr(document, "text", None) or "").strip()
    if not text:
        return None
    title = (getattr(document, "title", None) or "").strip()
    first_line, _, rest = text.partition("\n")
    if title and first_line.strip() == title and rest.strip():
        text = rest.strip()  # the page's <h1> repeats the title
    author = (getattr(document, "author", None) or "").strip() or None
    published = (
        markup_date(html)
        or parse_date(getattr(document, "date", None) or "")
        or parse_date(html_to_text(html[:_HEAD_CHARS])[:1000])
    )
    return PageArticle(title=title, text=text, published=published, author=author)


def _trafilatura(html: str, url: str | None) -> object | None:
    import trafilatura  # imported lazily: it is large and only watching needs it

    try:
        return trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            fast=True,
            date_extraction_params={
                "extensive_search": False,
                "original_date": True,
                "outputformat": "%Y-%m-%dT%H:%M:%S",
            },
        )
    # trafilatura and lxml raise many exception types on hostile markup; a page that
    # breaks the extractor is a page without extractable text, not a crash of the watch.
    except Exception:
        return None


def markup_date(html: str) -> datetime | None:
    """The publication date given by meta tags, JSON-LD or ``<time datetime>``, if any."""
    for match in _DATE_META.finditer(html, 0, min(len(html), _HEAD_CHARS)):
        value = next(group for group in match.groups() if group)
        parsed = parse_date(value)
        if parsed is not None:
            return parsed
    return None


class _TextCollector(HTMLParser):
    """Collects visible text, with line breaks at block boundaries."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment: one paragraph per line, spaces collapsed."""
    if "<" not in fragment and "&" not in fragment:
        return _tidy(fragment)
    collector = _TextCollector()
    try:
        collector.feed(fragment)
        collector.close()
    except AssertionError:  # html.parser asserts on some malformed declarations
        pass
    return _tidy("".join(collector.parts))


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)
