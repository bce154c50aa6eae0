"""Arabic-aware search over the store's full-text index.

The query goes through the same MATCH normalizer as the indexed text, so spelling
variants (السورى / السوري, Persian ی and ک, hamza forms, diacritics) find each other.
Each query word matches either its folded form or its stem. Snippets are cut from the
stored DISPLAY body, so users see the outlet's own spelling.
"""

from __future__ import annotations

from dataclasses import dataclass

from marsad.models import Token
from marsad.store.sqlite import Store
from marsad.text import arabic

SNIPPET_CONTEXT = 70  # characters of context kept on each side of the first hit
HIGHLIGHT = ("[", "]")  # markers around hits in plain-text snippets


@dataclass(frozen=True, slots=True, kw_only=True)
class Hit:
    """One search result; ``snippet`` is original text with hits wrapped in HIGHLIGHT."""

    article_id: int
    story_id: int | None
    source: str
    published: str
    title: str
    snippet: str
    highlights: tuple[tuple[int, int], ...]  # spans of hits inside ``snippet``
    rank: float


def build_query(query: str) -> tuple[str, set[str]]:
    """Turn a user query into an FTS5 expression plus the stems to highlight.

    Returns ("", set()) when the query has no searchable word.
    """
    tokens = arabic.tokenize(query)
    clauses = []
    stems: set[str] = set()
    for token in tokens:
        word = _quote(token.text)
        stem = _quote(token.stem or token.text)
        stems.add(token.stem or token.text)
        clauses.append(f"(words:{word} OR stems:{stem})")
    return " AND ".join(clauses), stems


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def search(store: Store, query: str, *, limit: int = 20, offset: int = 0) -> list[Hit]:
    """Search article titles and bodies; best matches first."""
    expression, stems = build_query(query)
    if not expression:
        return []
    ranked = store.fts_query(expression, limit=limit, offset=offset)
    articles = {a.id: a for a in store.articles(article_id for article_id, _ in ranked)}
    hits = []
    for article_id, rank in ranked:
        article = articles.get(article_id)
        if article is None or article.superseded_by is not None:
            continue
        text = article.body if _has_hit(article.body, stems) else article.title
        snippet, highlights = make_snippet(text, stems)
        hits.append(
            Hit(
                article_id=article.id,
                story_id=article.story_id,
                source=article.source,
                published=article.published.isoformat(),
                title=article.title,
                snippet=snippet,
                highlights=highlights,
                rank=rank,
            )
        )
    return hits


def _has_hit(text: str, stems: set[str]) -> bool:
    return any(_is_hit(token, stems) for token in arabic.tokenize(text))


def _is_hit(token: Token, stems: set[str]) -> bool:
    return token.stem in stems or token.text in stems


def make_snippet(
    text: str, stems: set[str], *, context: int = SNIPPET_CONTEXT
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Cut a window of ``text`` around its first hit and mark every hit inside it.

    Returns the snippet and the spans of the hits inside the returned snippet.
    """
    spans = [(t.start, t.end) for t in arabic.tokenize(text) if _is_hit(t, stems)]
    if not spans:
        window = text[: 2 * context].strip()
        return window + ("…" if len(text) > 2 * context else ""), ()
    first_start = spans[0][0]
    start = max(0, first_start - context)
    end = min(len(text), spans[0][1] + context)
    # Widen to word boundaries so the snippet never cuts a word in half.
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    pieces: list[str] = ["…"] if start > 0 else []
    out_spans: list[tuple[int, int]] = []
    cursor = start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        pieces.append(text[cursor:span_start])
        pieces.append(HIGHLIGHT[0])
        offset = sum(len(p) for p in pieces)
        pieces.append(text[span_start:span_end])
        out_spans.append((offset, offset + span_end - span_start))
        pieces.append(HIGHLIGHT[1])
        cursor = span_end
    pieces.append(text[cursor:end])
    if end < len(text):
        pieces.append("…")
    snippet = "".join(pieces).replace("\n", " ")
    return snippet, tuple(out_spans)
