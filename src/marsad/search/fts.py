"""Arabic-aware search over the store's full-text index.

The query goes through the same MATCH normalizer as the indexed text, so spelling
variants (السورى / السوري, Persian ی and ک, hamza on any carrier, diacritics) find each
other. Each query word matches its folded form or its stem, and any of its alternative
spellings: transliterations of foreign names shipped in ``data/transliterations_ar.txt``
(أميركا / أمريكا) and the spellings the entity layer has seen for a name (كوناشنكوف /
كوناشينكوف). Snippets are cut from the stored DISPLAY body, so users see the outlet's own
spelling. Results can be limited by date, outlet and story, and are grouped by story with
wire copies (near-duplicates) collapsed under the first-ranked copy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache

from marsad.data import load_text
from marsad.models import Token
from marsad.store import SearchRow, Store
from marsad.text import arabic

SNIPPET_CONTEXT = 70  # characters of context kept on each side of the first hit
HIGHLIGHT = ("[", "]")  # markers around hits in plain-text snippets
MAX_RANKED = 1000  # matches read to collapse copies and group a page (deeper pages are cut)
MAX_NAME_WORDS = 4  # longer queries are not looked up as entity names
MIN_SURNAME_KEY = 4  # letters of a one-word query's name key needed to look it up as a surname
ENTITY_LABELS = ("PERS", "ORG", "LOC", "MISC")


@dataclass(frozen=True, slots=True, kw_only=True)
class Hit:
    """One search result; ``snippet`` is original text with hits wrapped in HIGHLIGHT.

    ``copies`` are the other matching articles of the same wire text (near-duplicates),
    as (article id, outlet), collapsed under this one.
    """

    article_id: int
    story_id: int | None
    source: str
    published: str
    title: str
    snippet: str
    highlights: tuple[tuple[int, int], ...]  # spans of hits inside ``snippet``
    rank: float
    copies: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchFilters:
    """Optional limits on a search: publication days (inclusive), outlet, story."""

    since: date | None = None
    until: date | None = None
    source: str | None = None
    story_id: int | None = None

    def bounds(self) -> tuple[str | None, str | None]:
        """ISO bounds on ``published``: from the start of ``since`` to the end of ``until``."""
        low = None if self.since is None else datetime.combine(self.since, time.min).isoformat()
        high = None if self.until is None else datetime.combine(self.until, time.max).isoformat()
        return low, high


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of results: ``total`` matching articles (copies included), the page's hits
    (copies collapsed) and the same hits grouped by story in rank order."""

    total: int
    hits: list[Hit]
    groups: list[tuple[int | None, list[Hit]]] = field(default_factory=list)


@lru_cache(maxsize=1)
def transliteration_groups() -> dict[str, frozenset[str]]:
    """Folded spelling -> all folded spellings of the same foreign name (shipped data).

    A spelling of several words (فيس بوك) is kept as one string, words joined by a space.
    """
    raw = load_text("transliterations_ar.txt")
    groups: dict[str, frozenset[str]] = {}
    for line in raw.splitlines():
        spellings = frozenset(
            " ".join(token.text for token in arabic.tokenize(spelling))
            for spelling in line.split("#", 1)[0].split("|")
        ) - {""}
        if len(spellings) > 1:
            for spelling in spellings:
                groups[spelling] = groups.get(spelling, frozenset()) | spellings
    return groups


def build_query(
    query: str, *, alternatives: Mapping[str, Iterable[str]] | None = None
) -> tuple[str, set[str]]:
    """Turn a user query into an FTS5 expression plus the forms to highlight.

    Every word must match (AND); a word matches its folded form, its stem, or any
    alternative spelling (folded token texts) from ``alternatives`` or the shipped
    transliterations, and with ي for a hamza after alef (جايزة / جائزة). A compound name matches written joined or apart (عبد ربه / عبدربه,
    نصر الله / نصرالله). Returns ("", set()) when the query has no searchable word.
    """
    extra = alternatives or {}
    stems: set[str] = set()
    tokens = [t for t in arabic.tokenize(query) if t.text]
    clauses = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        spaced = f"{token.text} {following.text}" if following is not None else ""
        if following is not None and spaced in transliteration_groups():
            clauses.append(_forms_clause(transliteration_groups()[spaced], stems))
            index += 2
            continue
        if following is not None and arabic.is_name_compound(token.text, following.text):
            joined = token.text + following.text
            stems.add(joined)
            both = (
                f"{_word_clause(token, extra, stems)} AND {_word_clause(following, extra, stems)}"
            )
            clauses.append(f"(({both}) OR words:{_quote(joined)})")
            index += 2
            continue
        clause = _word_clause(token, extra, stems)
        parts = arabic.split_name_compound(token.text)
        if parts is not None:
            stems.update(parts)
            clause = f"({clause} OR words:{_quote(' '.join(parts))})"
        clauses.append(clause)
        index += 1
    return " AND ".join(clauses), stems


def _word_clause(token: Token, extra: Mapping[str, Iterable[str]], stems: set[str]) -> str:
    """FTS5 terms for one query word: its forms and their stems, ORed; a form of several
    words (فيس بوك for فيسبوك) must match as a phrase."""
    forms = {
        token.text,
        *arabic.hamza_seat_alternatives(token.text),
        *transliteration_groups().get(token.text, ()),
        *extra.get(token.text, ()),
    }
    return _forms_clause(forms, stems)


def _forms_clause(forms: Iterable[str], stems: set[str]) -> str:
    terms = []
    for form in sorted(forms):
        if " " in form:
            stems.update(form.split())
            terms.append(f"words:{_quote(form)}")
            continue
        form_stem = arabic.stem(form)
        stems.update({form, form_stem})
        terms.append(f"words:{_quote(form)} OR stems:{_quote(form_stem)}")
    return "(" + " OR ".join(terms) + ")"


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def name_alternatives(store: Store, query: str) -> dict[str, set[str]]:
    """Other spellings of the query's words, taken from the entity it names.

    The entity is found by the name key of the whole query, or, for one word, as the surname
    of a person (كوناشنكوف for إيجور كوناشنكوف). A spelling of the entity counts for a query word when
    their name keys agree (كوناشنكوف and كوناشينكوف share one), so a title or a first name
    never becomes an alternative for a surname.
    """
    from marsad.extract.aliases import canonical_name, name_key

    words = [t.text for t in arabic.tokenize(query)]
    if not words or len(words) > MAX_NAME_WORDS:
        return {}
    key = name_key(canonical_name(query))
    if not key:
        return {}
    keys = store.entity_keys_named(
        [f"{label}:{key}" for label in ENTITY_LABELS],
        surname_key=key if len(words) == 1 and len(key) >= MIN_SURNAME_KEY else None,
    )
    if not keys:
        return {}
    word_keys = {word: name_key(word) for word in words}
    found: dict[str, set[str]] = {}
    for spelling in store.mention_spellings(keys):
        for token in arabic.tokenize(spelling):
            spelled_key = name_key(token.text)
            for word, word_key in word_keys.items():
                if token.text != word and spelled_key and spelled_key == word_key:
                    found.setdefault(word, set()).add(token.text)
    return found


def search_page(
    store: Store,
    query: str,
    *,
    filters: SearchFilters | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchPage:
    """Search titles and bodies: best matches first, copies collapsed, grouped by story.

    ``offset`` and ``limit`` count collapsed hits. Raises StoreError for a query the index
    cannot run.
    """
    filters = filters or SearchFilters()
    expression, stems = build_query(query, alternatives=name_alternatives(store, query))
    if not expression:
        return SearchPage(total=0, hits=[])
    since, until = filters.bounds()
    total, rows = store.fts_filtered(
        expression,
        since=since,
        until=until,
        source=filters.source,
        story_id=filters.story_id,
        limit=MAX_RANKED,
    )
    wires = collapse_copies(rows)[offset : offset + limit]
    articles = {a.id: a for a in store.articles(r.article_id for rows_ in wires for r in rows_)}
    hits = []
    for copies in wires:
        article = articles.get(copies[0].article_id)
        if article is None:
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
                rank=copies[0].rank,
                copies=tuple(
                    (r.article_id, articles[r.article_id].source)
                    for r in copies[1:]
                    if r.article_id in articles
                ),
            )
        )
    return SearchPage(total=total, hits=hits, groups=group_by_story(hits))


def collapse_copies(rows: Sequence[SearchRow]) -> list[list[SearchRow]]:
    """Ranked rows gathered by wire text: an article and its near-duplicates form one entry,
    placed where its best-ranked member was, that member first."""
    entries: dict[int, list[SearchRow]] = {}
    for row in rows:
        original = row.duplicate_of if row.duplicate_of is not None else row.article_id
        entries.setdefault(original, []).append(row)
    return list(entries.values())


def group_by_story(hits: Sequence[Hit]) -> list[tuple[int | None, list[Hit]]]:
    """Hits gathered by story in the order of each story's best hit; hits without a story
    stay alone."""
    groups: dict[object, tuple[int | None, list[Hit]]] = {}
    for hit in hits:
        slot: object = hit.story_id if hit.story_id is not None else ("article", hit.article_id)
        groups.setdefault(slot, (hit.story_id, []))[1].append(hit)
    return list(groups.values())


def search(
    store: Store,
    query: str,
    *,
    limit: int = 20,
    offset: int = 0,
    filters: SearchFilters | None = None,
) -> list[Hit]:
    """Search article titles and bodies; best matches first, copies collapsed."""
    return search_page(store, query, filters=filters, limit=limit, offset=offset).hits


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
