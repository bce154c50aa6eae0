"""PostgreSQL connection for the store: runs the store's portable SQL on psycopg 3.

The store's SQL is written once, in SQLite's spelling (``?`` placeholders), inside the
portable subset that :mod:`marsad.store` documents. :class:`PgConnection` gives it the
``execute``/``executemany`` surface of ``sqlite3.Connection`` and rewrites, once per
distinct statement, the few spellings the two engines do not share:

* ``?`` -> ``%s`` (and a literal ``%`` -> ``%%``);
* ``INSERT OR IGNORE INTO ...`` -> ``INSERT INTO ... ON CONFLICT DO NOTHING``;
* ``x IN (SELECT value FROM json_each(?))`` -> ``x = ANY(?)`` with the JSON list decoded;
* ``articles_fts MATCH ?`` -> ``doc @@ tsquery`` and ``bm25(articles_fts, w1, w2)`` -> a
  negated ``ts_rank`` (lower is better, as bm25), the FTS5 expression turned into the
  equivalent tsquery over the same folded tokens (:func:`fts5_to_tsquery`);
* a bare column named ``end`` (a reserved word in PostgreSQL) -> ``"end"``;
* ``PRAGMA query_only = ON`` -> a read-only session.

Parameters are bound on the client (``psycopg.ClientCursor``): a value becomes a literal
exactly as SQLite would see it, so no statement depends on PostgreSQL inferring the type
of a placeholder. ``bool`` parameters become 0/1 (the store keeps flags as integers).

Full-text rows are ``tsvector`` values built here from the same folded ``words`` and
``stems`` the SQLite FTS5 table indexes, split the way FTS5's ``unicode61`` tokenizer
splits them: words carry weight A, stems weight B (the two FTS5 columns), positions run
on from the words into the stems so phrases never straddle the two. Beside them a
postings table holds each term's count per column and article: :func:`bm25_matches`
ranks with FTS5's own bm25 from it (the store's search methods use it, so hits come in
SQLite's order); an inline ``bm25()`` in other SQL gets the ``ts_rank`` stand-in above.
"""

from __future__ import annotations

import json
import math
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from marsad.errors import StoreError

#: NOTIFY channel: every commit announces the change counter's new value on it.
CHANGE_CHANNEL = "marsad_data_version"
LISTEN_POLL_S = 1.0  # how often the listener looks whether it was closed
MAX_TSVECTOR_POSITION = 16383  # PostgreSQL's cap on a lexeme position
# ts_rank weights, in PostgreSQL's {D, C, B, A} order: stems (B) count half as much as
# words (A), as bm25(articles_fts, 2.0, 1.0) weighs the two FTS5 columns.
TS_RANK_WEIGHTS = "{0, 0, 0.5, 1}"
# Normalization 1: rank / (1 + log(document length)), the nearest ts_rank has to bm25's
# length normalisation (a long article does not win by repeating a word).
TS_RANK_NORMALIZATION = 1


class DatabaseError(StoreError):
    """A PostgreSQL statement failed; ``sqlstate`` is the server's error code."""

    def __init__(self, message: str, sqlstate: str | None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    user = f"{parts.username}:***@" if parts.username else ""
    return urlunsplit((parts.scheme, user + host, parts.path, parts.query, parts.fragment))


# -- full-text tokens ----------------------------------------------------------------------
def fts_tokens(text: str) -> list[str]:
    """Split text as FTS5's ``unicode61`` tokenizer does (remove_diacritics 0): runs of
    characters that are neither separators, punctuation, symbols nor controls, lower-cased."""
    # Split at the text's own non-token characters in C, not one character at a time in
    # Python: what marsad indexes is folded tokens joined by spaces (every str.isspace
    # character is a separator or a control), now and then with "." or ",".
    # Most texts are letters and digits between whitespace: then splitting is all, and
    # checking that costs less than building the set of the text's characters (no
    # character but a letter or digit lower-cases to letters or digits only, and every
    # letter or digit is a token character: tests check all of Unicode).
    words = text.lower().split()
    if "".join(words).isalnum():
        return words
    breaks = frozenset(char for char in set(text) if not _is_token_char(char))
    if all(char.isspace() for char in breaks):
        return words
    return [token.lower() for token in _splitter(breaks).split(text) if token]


@lru_cache(maxsize=1024)
def _splitter(breaks: frozenset[str]) -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(char) for char in sorted(breaks)) + "]+")


@lru_cache(maxsize=4096)
def _is_token_char(char: str) -> bool:
    return unicodedata.category(char)[0] not in "ZPSC" or unicodedata.category(char) == "Co"


@lru_cache(maxsize=65_536)
def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


@lru_cache(maxsize=2)
def _position_labels(weight: str) -> tuple[str, ...]:
    """``1A``, ``2A``, ... up to PostgreSQL's cap: a position's label is one lookup."""
    return tuple(f"{p}{weight}" for p in range(1, MAX_TSVECTOR_POSITION + 1))


def _labels(weight: str, before: int, n: int) -> Sequence[str]:
    """Labels of the positions ``before + 1 .. before + n`` (past the cap: the cap's)."""
    table = _position_labels(weight)
    if before + n <= MAX_TSVECTOR_POSITION:
        return table[before : before + n]
    kept = table[before:] if before < MAX_TSVECTOR_POSITION else ()
    return (*kept, *[table[-1]] * (n - len(kept)))


@dataclass(frozen=True, slots=True)
class FtsRow:
    """One article's full-text data on PostgreSQL."""

    tsvector: str  # words with weight A, then stems with weight B, with positions
    tokens: int  # FTS5's document length (both columns), for bm25
    postings: tuple[tuple[str, int, int], ...]  # (term, count in words, count in stems)


def fts_row(words: str, stems: str) -> FtsRow:
    """The full-text data of one article from its folded words and stems.

    The postings (one row per distinct term) let bm25 read a term's counts and document
    frequency from an index range instead of unpacking every matching tsvector.
    """
    word_tokens, stem_tokens = fts_tokens(words), fts_tokens(stems)
    labels = _labels("A", 0, len(word_tokens)), _labels("B", len(word_tokens), len(stem_tokens))
    # One loop over both columns' tokens (a backfill worker runs this for every article).
    positions: dict[str, list[str]] = {}  # in first-seen order
    seen = positions.get
    for token, label in zip(word_tokens + stem_tokens, (*labels[0], *labels[1]), strict=True):
        known = seen(token)
        if known is None:
            positions[token] = [label]
        else:
            known.append(label)
    in_words, in_stems = Counter(word_tokens).get, Counter(stem_tokens).get
    return FtsRow(
        " ".join([f"{_lexeme(t)}:{','.join(p)}" for t, p in positions.items()]),
        len(word_tokens) + len(stem_tokens),
        tuple([(t, in_words(t, 0), in_stems(t, 0)) for t in positions]),
    )


# -- COPY text ---------------------------------------------------------------------------
_COPY_SPECIAL = re.compile(r"[\\\t\n\r]")
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text_field(text: str) -> str:
    """``text`` as one field of COPY's text format (backslash, tab, newline, return escaped)."""
    return text.translate(_COPY_ESCAPES) if _COPY_SPECIAL.search(text) else text


def fts_copy_text(article_id: int, row: FtsRow) -> tuple[str, str]:
    """One article's ``articles_fts`` line (rowid, doc, tokens) and its ``fts_postings``
    lines (term, rowid, in_words, in_stems, tokens) in COPY's text format.

    Formatting the ~260 postings of an article as one string costs a fraction of handing
    them to ``write_row`` one by one. Terms come from ``fts_tokens``, which never keeps a
    backslash, tab, newline or return; they are still escaped if the article's tsvector
    (which holds every term) shows one, so one scan of it covers them all.
    """
    doc = row.tsvector
    tail = f"\t{article_id}\t"
    end = f"\t{row.tokens}\n"
    if _COPY_SPECIAL.search(doc):
        doc = copy_text_field(doc)
        postings: Sequence[tuple[str, int, int]] = [
            (copy_text_field(t), w, s) for t, w, s in row.postings
        ]
    else:
        postings = row.postings
    return (
        f"{article_id}\t{doc}\t{row.tokens}\n",
        "".join([f"{t}{tail}{w}\t{s}{end}" for t, w, s in postings]),
    )


# -- FTS5 expression -> tsquery ------------------------------------------------------------
_FTS_TOKEN = re.compile(r'\s*(?:(\()|(\))|"((?:[^"]|"")*)"|([^\s()"]+))')
_COLUMN_WEIGHT = {"words": "A", "stems": "B"}


def fts5_to_tsquery(expression: str) -> str:
    """Translate an FTS5 MATCH expression (the subset marsad builds: AND, OR, NOT,
    parentheses, ``column:`` filters, quoted phrases, bare words, ``*`` prefixes) into
    tsquery text over the same tokens.

    Raises:
        StoreError: The expression is not understood.
    """
    return parse_fts5(expression)[0].query


def _lex(expression: str) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    position = 0
    while position < len(expression):
        if not expression[position:].strip():
            break
        match = _FTS_TOKEN.match(expression, position)
        if match is None:
            raise StoreError(f"search expression not understood: {expression!r}")
        position = match.end()
        if match.group(1):
            items.append(("(", "("))
        elif match.group(2):
            items.append((")", ")"))
        elif match.group(3) is not None:
            items.append(("phrase", match.group(3).replace('""', '"')))
        else:
            word = match.group(4)
            if word in ("AND", "OR", "NOT"):
                items.append((word, word))
            elif word.endswith(":") and word[:-1] in _COLUMN_WEIGHT:
                items.append(("column", word[:-1]))
            elif ":" in word and word.split(":", 1)[0] in _COLUMN_WEIGHT:
                column, rest = word.split(":", 1)
                items.append(("column", column))
                items.append(("phrase", rest))
            else:
                items.append(("phrase", word))
    return items


Node = Any  # ("or", [nodes]) | ("and", [nodes]) | ("not", node, node) | Phrase


@dataclass(frozen=True, slots=True)
class _Part:
    """A parsed piece: its tsquery and its tree."""

    query: str
    node: Node


class _FtsParser:
    """Recursive descent over FTS5's precedence: NOT binds tighter than AND, AND than OR."""

    def __init__(self, items: list[tuple[str, str]]) -> None:
        self.items = items
        self.position = 0
        self.phrases: list[Phrase] = []  # every phrase of the expression, in order

    def _peek(self) -> str | None:
        return self.items[self.position][0] if self.position < len(self.items) else None

    @staticmethod
    def _join(kind: str, parts: list[_Part]) -> _Part:
        if len(parts) == 1:
            return parts[0]
        mark = " | " if kind == "or" else " & "
        return _Part(
            "(" + mark.join(p.query for p in parts) + ")",
            (kind, [p.node for p in parts]),
        )

    def parse_or(self) -> _Part:
        parts = [self.parse_and()]
        while self._peek() == "OR":
            self.position += 1
            parts.append(self.parse_and())
        return self._join("or", parts)

    def parse_and(self) -> _Part:
        parts = [self.parse_not()]
        while self._peek() in ("AND", "(", "phrase", "column"):
            if self._peek() == "AND":
                self.position += 1
            parts.append(self.parse_not())
        return self._join("and", parts)

    def parse_not(self) -> _Part:
        left = self.parse_primary()
        while self._peek() == "NOT":
            self.position += 1
            right = self.parse_primary()
            left = _Part(f"({left.query} & !{right.query})", ("not", left.node, right.node))
        return left

    def parse_primary(self) -> _Part:
        kind = self._peek()
        if kind == "(":
            self.position += 1
            inner = self.parse_or()
            if self._peek() != ")":
                raise StoreError("search expression not understood: unbalanced parentheses")
            self.position += 1
            return inner
        weight = ""
        if kind == "column":
            weight = _COLUMN_WEIGHT[self.items[self.position][1]]
            self.position += 1
            kind = self._peek()
            if kind == "(":
                raise StoreError("search expression not understood: column filter on a group")
        if kind != "phrase":
            raise StoreError(f"search expression not understood near {kind!r}")
        text = self.items[self.position][1]
        self.position += 1
        prefix = text.endswith("*")
        tokens = fts_tokens(text.rstrip("*"))
        if not tokens:
            raise StoreError(f"search expression not understood: no word in {text!r}")
        lexemes = [f"{_lexeme(t)}:{weight}" if weight else _lexeme(t) for t in tokens]
        if prefix:
            lexemes[-1] = f"{_lexeme(tokens[-1])}:*{weight}"
        query = lexemes[0] if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")"
        phrase = Phrase(tuple(tokens), weight, prefix, query)
        self.phrases.append(phrase)
        return _Part(query, phrase)


@dataclass(frozen=True, slots=True)
class Phrase:
    """One phrase of an FTS5 expression: its tokens, column weight ("" for any column),
    whether its last token is a prefix, and its own tsquery."""

    tokens: tuple[str, ...]
    weight: str
    prefix: bool
    tsquery: str

    @property
    def is_word(self) -> bool:
        """A single whole word: its counts come from the postings table."""
        return len(self.tokens) == 1 and not self.prefix


def parse_fts5(expression: str) -> tuple[_Part, list[Phrase]]:
    """The parsed FTS5 expression (tsquery and tree) and its phrases."""
    items = _lex(expression)
    parser = _FtsParser(items)
    part = parser.parse_or()
    if parser.position != len(items):
        raise StoreError(f"search expression not understood near {items[parser.position]!r}")
    return part, parser.phrases


# -- bm25 on PostgreSQL --------------------------------------------------------------------
BM25_K1 = 1.2  # FTS5's constants
BM25_B = 0.75
COLUMN_WEIGHTS = {"A": 2.0, "B": 1.0}  # bm25(articles_fts, 2.0, 1.0): words, stems
Counts = dict[int, tuple[int, int]]  # article id -> (occurrences in words, in stems)


def _word_frequency(phrase: Phrase, counts: tuple[int, int]) -> float:
    """Weighted count of a one-word phrase in one article: FTS5 counts each hit, times
    its column's weight."""
    in_words, in_stems = counts
    if phrase.weight == "A":
        return in_words * COLUMN_WEIGHTS["A"]
    if phrase.weight == "B":
        return in_stems * COLUMN_WEIGHTS["B"]
    return in_words * COLUMN_WEIGHTS["A"] + in_stems * COLUMN_WEIGHTS["B"]


def _occurrences(phrase: Phrase, postings: dict[str, list[tuple[int, str]]]) -> float:
    """Weighted count of a phrase's occurrences in one article, from token positions."""
    first, *rest = phrase.tokens
    by_token = [
        {(position, weight) for position, weight in postings.get(token, ())} for token in rest
    ]
    total = 0.0
    for position, weight in postings.get(first, ()):
        if phrase.weight and weight != phrase.weight:
            continue
        if all((position + k, weight) in by_token[k - 1] for k in range(1, len(phrase.tokens))):
            total += COLUMN_WEIGHTS.get(weight, 1.0)
    return total


class _Frequencies:
    """Every phrase's weighted frequency per article that holds it: one-word phrases from
    the postings table (an index range per word), longer phrases and prefixes from the
    positions of the articles the GIN index finds for them."""

    def __init__(self, db: PgConnection, phrases: Sequence[Phrase]) -> None:
        self.by_phrase: dict[str, dict[int, float]] = {}
        self.lengths: dict[int, int] = {}  # article id -> tokens, of every article seen
        words = sorted({p.tokens[0] for p in phrases if p.is_word})
        counts: dict[str, Counts] = {w: {} for w in words}
        if words:
            rows = db.execute(
                "SELECT term, rowid, in_words, in_stems, tokens FROM fts_postings"
                " WHERE term = ANY(?)",
                (words,),
            )
            for term, article_id, in_words, in_stems, tokens in rows:
                counts[term][int(article_id)] = (int(in_words), int(in_stems))
                self.lengths[int(article_id)] = int(tokens)
        for phrase in phrases:
            if phrase.tsquery in self.by_phrase:
                continue
            if phrase.is_word:
                found = {
                    article_id: _word_frequency(phrase, pair)
                    for article_id, pair in counts[phrase.tokens[0]].items()
                }
            else:
                held = _phrase_postings(db, phrase, self.lengths)
                found = {
                    article_id: (0.0 if phrase.prefix else _occurrences(phrase, postings))
                    for article_id, postings in held.items()
                }
                if not phrase.prefix:  # a prefix hit matches without scoring
                    found = {a: f for a, f in found.items() if f > 0}
            # A one-word phrase confined to the other column is no hit.
            self.by_phrase[phrase.tsquery] = {
                a: f for a, f in found.items() if f > 0 or not phrase.is_word
            }

    def hits(self, node: Node, article_id: int) -> list[Phrase] | None:
        """The phrases whose hits count for bm25 when the article satisfies the expression
        tree, or None when it does not. As in FTS5, a phrase counts only inside parts of
        the tree the article satisfies (a word of a failed AND adds nothing)."""
        if isinstance(node, Phrase):
            return [node] if article_id in self.by_phrase[node.tsquery] else None
        kind = node[0]
        if kind == "not":
            left = self.hits(node[1], article_id)
            return None if left is None or self.hits(node[2], article_id) else left
        found = [self.hits(child, article_id) for child in node[1]]
        if kind == "and" and any(part is None for part in found):
            return None
        if kind == "or" and all(part is None for part in found):
            return None
        return [phrase for part in found if part for phrase in part]


def count_matches(db: PgConnection, expressions: Sequence[str]) -> list[int]:
    """Articles each FTS5 expression matches (document frequencies), in order.

    Single whole words, each optionally confined to one column (related coverage asks for
    40 of them per story page), are counted together on the postings table's index
    ranges, in one statement per column. Through the GIN index each count would recheck
    every candidate's tsvector for the column's weight: about 40 ms a common word on 15k
    articles, once the largest cost of a story page. Other expressions use the GIN index.
    """
    counts: list[int] = [0] * len(expressions)
    words: dict[str, dict[str, list[int]]] = {}  # column weight -> word -> positions
    for position, expression in enumerate(expressions):
        part, _phrases = parse_fts5(expression)
        if isinstance(part.node, Phrase) and part.node.is_word:
            by_word = words.setdefault(part.node.weight, {})
            by_word.setdefault(part.node.tokens[0], []).append(position)
            continue
        row = db.execute(
            "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (expression,)
        ).fetchone()
        counts[position] = int(row[0])
    for weight, by_word in words.items():
        in_column = {"A": " AND in_words > 0", "B": " AND in_stems > 0"}.get(weight, "")
        rows = db.execute(
            f"SELECT term, count(*) FROM fts_postings WHERE term = ANY(?){in_column} GROUP BY term",
            (list(by_word),),
        )
        for term, count in rows:
            for position in by_word[str(term)]:
                counts[position] = int(count)
    return counts


def bm25_matches(
    db: PgConnection,
    expression: str,
    *,
    where: str = "",
    params: Sequence[Any] = (),
    columns: Sequence[str] = (),
) -> list[tuple[Any, ...]]:
    """Rows matching an FTS5 expression, best first, ranked with FTS5's own bm25 formula
    (same IDF, term frequencies, column weights and length normalisation), so a search
    orders its hits as on SQLite. Each row: (article id, rank, *columns); ``where`` (a
    condition starting with AND) and ``columns`` read the article row ``a`` and add
    ``params``: the matches are found without it, so it is read through the index that
    covers the search filters (:func:`~marsad.store.dialect.search_filter_index`).

    Every match holds one of the expression's phrases: per-word counts come from the
    postings table (an index range per word), longer phrases from the positions of the
    articles the GIN index finds for them, and the expression is checked on those counts
    here, so no article's tsvector is read for a one-word phrase.
    """
    part, phrases = parse_fts5(expression)
    n_rows, n_tokens = db.execute("SELECT n_rows, n_tokens FROM fts_totals").fetchone()
    average = n_tokens / n_rows if n_rows else 1.0
    frequencies = _Frequencies(db, phrases)
    idf = {}
    for phrase in phrases:
        holding = len(frequencies.by_phrase[phrase.tsquery])
        value = math.log((n_rows - holding + 0.5) / (holding + 0.5))
        idf[phrase.tsquery] = value if value > 0 else 1e-6
    # Every match holds one of the phrases: the articles seen are the candidates.
    hits = {a: frequencies.hits(part.node, a) for a in frequencies.lengths}
    matched = sorted(a for a, found in hits.items() if found is not None)
    if not matched:
        return []
    if where or columns:
        extra = "".join(f", {c}" for c in columns)
        rows = db.execute(
            f"SELECT a.id{extra} FROM articles a WHERE a.id = ANY(?) {where}",
            (matched, *params),
        ).fetchall()
    else:
        rows = [(a,) for a in matched]
    scored = []
    for row in rows:
        article_id = int(row[0])
        length = frequencies.lengths[article_id]
        norm = BM25_K1 * (1 - BM25_B + BM25_B * length / average)
        score = 0.0
        for phrase in hits[article_id] or ():
            frequency = frequencies.by_phrase[phrase.tsquery][article_id]
            score += idf[phrase.tsquery] * frequency * (BM25_K1 + 1) / (frequency + norm)
        scored.append((-score, article_id, tuple(row[1:])))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [(article_id, rank, *values) for rank, article_id, values in scored]


def _phrase_postings(
    db: PgConnection, phrase: Phrase, lengths: dict[int, int]
) -> dict[int, dict[str, list[tuple[int, str]]]]:
    """Positions of a phrase's words in every article that holds the phrase (their
    lengths go to ``lengths``)."""
    found: dict[int, dict[str, list[tuple[int, str]]]] = {}
    params: list[Any] = [phrase.tsquery, list(phrase.tokens)]
    wanted = "u.lexeme = ANY(?)"
    if phrase.prefix:
        wanted, params = f"({wanted} OR starts_with(u.lexeme, ?))", [*params, phrase.tokens[-1]]
    rows = db.execute(
        "SELECT f.rowid, f.tokens, u.lexeme, u.positions, u.weights FROM articles_fts f,"
        f" unnest(f.doc) u WHERE f.doc @@ CAST(? AS tsquery) AND {wanted}",
        params,
    )
    for article_id, tokens, lexeme, positions, weights in rows:
        lengths[int(article_id)] = int(tokens)
        found.setdefault(int(article_id), {})[lexeme] = list(zip(positions, weights, strict=True))
    return found


# -- statement translation -----------------------------------------------------------------
_WORD_OR_QUOTE = re.compile(
    r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|[A-Za-z_][A-Za-z_0-9.]*|\?|%|.", re.S
)
_JSON_EACH_IN = re.compile(r"\bIN\s*\(\s*SELECT\s+value\s+FROM\s+json_each\(\?\)\s*\)", re.I)
_FTS_FROM = re.compile(
    r"\b(?:FROM|JOIN)\s+articles_fts(?:\s+(?:AS\s+)?(?!(?:WHERE|JOIN|ON|ORDER|GROUP|LIMIT|"
    r"INNER|LEFT|CROSS|USING)\b)([A-Za-z_]\w*))?",
    re.I,
)
_FTS_MATCH = re.compile(r"\b(\w+)\s+MATCH\s+\?", re.I)
_BM25 = re.compile(r"\bbm25\(\s*(\w+)\s*(?:,\s*[\d.]+\s*)*\)", re.I)
_INSERT_OR_IGNORE = re.compile(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO\b", re.I)
_TABLE_DDL = re.compile(r"^\s*(?:CREATE|ALTER)\s+TABLE\b", re.I)
_QUERY_ONLY = re.compile(r"^\s*PRAGMA\s+query_only\s*=\s*(ON|1|TRUE)\s*;?\s*$", re.I)


@dataclass(frozen=True, slots=True)
class Translated:
    """A statement in PostgreSQL's spelling and how to bind the caller's parameters.

    ``plan`` gives, per ``%s`` of ``sql`` in order, the index of the caller's parameter
    and how to convert it (``None``: as is; ``"tsquery"``: an FTS5 expression;
    ``"json_list"``: a JSON list decoded to a Python list).
    """

    sql: str
    plan: tuple[tuple[int, str | None], ...]

    def bind(self, params: Sequence[Any]) -> list[Any]:
        """The parameters for ``sql``."""
        bound = []
        for index, conversion in self.plan:
            value = params[index]
            if conversion == "tsquery":
                value = fts5_to_tsquery(str(value))
            elif conversion == "json_list":
                value = json.loads(value)
            elif isinstance(value, bool):
                value = int(value)
            bound.append(value)
        return bound


@lru_cache(maxsize=2048)
def translate(sql: str) -> Translated:
    """Rewrite one statement of the portable subset into PostgreSQL's spelling."""
    if _QUERY_ONLY.match(sql):
        return Translated("SET default_transaction_read_only = on", ())
    if _TABLE_DDL.match(sql):
        sql = translate_ddl(sql)
    ignore = bool(_INSERT_OR_IGNORE.match(sql))
    if ignore:
        sql = _INSERT_OR_IGNORE.sub("INSERT INTO", sql, count=1)
    sql = _JSON_EACH_IN.sub("= ANY(?json_list)", sql)
    fts_alias = None
    found = _FTS_FROM.search(sql)
    if found is not None:
        fts_alias = found.group(1) or "articles_fts"
        sql = _FTS_MATCH.sub(lambda m: f"{fts_alias}.doc @@ CAST(?tsquery AS tsquery)", sql)
        sql = _BM25.sub(
            lambda m: (
                f"(-ts_rank(CAST('{TS_RANK_WEIGHTS}' AS float4[]), {fts_alias}.doc,"
                f" CAST(?rank AS tsquery), {TS_RANK_NORMALIZATION}))"
            ),
            sql,
        )
    out: list[str] = []
    plan: list[tuple[int, str | None]] = []
    case_depth = 0
    caller_index = 0
    rank_slots: list[int] = []  # plan positions waiting for the MATCH parameter's index
    match_index: int | None = None
    pieces = _WORD_OR_QUOTE.findall(sql)
    i = 0
    while i < len(pieces):
        piece = pieces[i]
        word = piece.upper()
        if piece == "?":
            following = pieces[i + 1] if i + 1 < len(pieces) else ""
            suffix = following if following in ("json_list", "tsquery", "rank") else ""
            if suffix:
                i += 1
            if suffix == "rank":
                rank_slots.append(len(plan))
                plan.append((-1, "tsquery"))
            else:
                if suffix == "tsquery":
                    match_index = caller_index
                plan.append((caller_index, suffix or None))
                caller_index += 1
            out.append("%s")
        elif "%" in piece:
            out.append(piece.replace("%", "%%"))
        elif word == "CASE":
            case_depth += 1
            out.append(piece)
        elif word == "END":
            if case_depth:
                case_depth -= 1
                out.append(piece)
            else:
                out.append('"end"')
        else:
            out.append(piece)
        i += 1
    if rank_slots:
        if match_index is None:
            raise StoreError("bm25() needs a MATCH in the same statement")
        for slot in rank_slots:
            plan[slot] = (match_index, "tsquery")
    text = "".join(out)
    if ignore:
        text = text.rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"
    return Translated(text, tuple(plan))


# -- connection ----------------------------------------------------------------------------
def _error(exc: Exception, location: str) -> DatabaseError:
    sqlstate = getattr(exc, "sqlstate", None)
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return DatabaseError(f"{redact(location)}: {first}", sqlstate)


class PgConnection:
    """A psycopg 3 connection that runs the store's portable SQL (see module docstring).

    Autocommit: the store opens and ends its transactions itself (BEGIN/COMMIT, as on
    SQLite), so a read outside a transaction never holds one open.
    """

    def __init__(self, url: str) -> None:
        import psycopg
        from psycopg.adapt import Loader

        class _NumberLoader(Loader):
            # sum() and avg() answer numeric; SQLite answers int or float.
            def load(self, data: Any) -> int | float:
                value = Decimal(bytes(data).decode())
                return int(value) if value == value.to_integral_value() else float(value)

        self.location = url
        self._psycopg = psycopg
        try:
            self._conn = psycopg.connect(
                url, autocommit=True, cursor_factory=psycopg.ClientCursor, application_name="marsad"
            )
        except psycopg.Error as exc:
            raise _error(exc, url) from exc
        self._conn.adapters.register_loader("numeric", _NumberLoader)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement; returns the cursor (fetchone, fetchall, iteration, rowcount)."""
        statement = translate(sql)
        cursor = self._conn.cursor()
        try:
            if statement.plan or params:
                cursor.execute(statement.sql, statement.bind(params))
            else:
                cursor.execute(statement.sql.replace("%%", "%"))
        except self._psycopg.Error as exc:
            raise _error(exc, self.location) from exc
        return cursor

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Any:
        """Run one statement for every parameter row."""
        statement = translate(sql)
        cursor = self._conn.cursor()
        bound = [statement.bind(row) for row in rows]
        if not bound:
            return cursor
        try:
            cursor.executemany(statement.sql, bound)
        except self._psycopg.Error as exc:
            raise _error(exc, self.location) from exc
        return cursor

    def copy_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Append many rows with COPY (far faster than INSERTs for the search postings)."""
        names = ", ".join(columns)
        try:
            with self._conn.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        except self._psycopg.Error as exc:
            raise _error(exc, self.location) from exc

    def copy_text(self, table: str, columns: Sequence[str], chunks: Iterable[str]) -> None:
        """Append rows already written in COPY's text format (tab-separated fields escaped
        as ``copy_text_field`` does, one row a line), a chunk of lines at a time."""
        names = ", ".join(columns)
        try:
            with self._conn.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for chunk in chunks:
                    copy.write(chunk)
        except self._psycopg.Error as exc:
            raise _error(exc, self.location) from exc

    def execute_native(self, sql: str, params: Sequence[Any]) -> Any:
        """Run PostgreSQL's own spelling (``%s`` marks, untranslated); returns the cursor."""
        cursor = self._conn.cursor()
        try:
            cursor.execute(sql, params)
        except self._psycopg.Error as exc:
            raise _error(exc, self.location) from exc
        return cursor

    def execute_raw(self, sql: str) -> None:
        """Run PostgreSQL text as written (dialect-specific DDL: functions, triggers)."""
        try:
            self._conn.execute(sql)
        except self._psycopg.Error as exc:
            raise _error(exc, self.location) from exc

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open on the server."""
        status = self._conn.info.transaction_status
        return bool(status != self._psycopg.pq.TransactionStatus.IDLE)

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()


class ChangeListener:
    """The store's change counter as the server announces it: no round trip to read it.

    The web server asks the counter on every request (its cached pages are keyed by it).
    A query each time makes the event loop wait for a PostgreSQL backend process, which
    on a busy machine waits for a core: measured on 2 loaded cores, the story pages' p99
    went from 120 to under 100 ms without it. Every commit announces the new value on
    :data:`CHANGE_CHANNEL` (``Postgres.after_commit``); a thread here listens on its own
    connection. An announcement arrives a moment after its commit: a request in between
    is answered as if it had come just before the commit.
    """

    def __init__(self, url: str) -> None:
        import psycopg

        self.location = url
        self._stop = threading.Event()
        try:
            self._conn = psycopg.connect(url, autocommit=True, application_name="marsad-listen")
            self._conn.execute(f"LISTEN {CHANGE_CHANNEL}")
            # Read after LISTEN: a commit in between is announced, none is missed.
            row = self._conn.execute("SELECT last_value FROM marsad_data_version").fetchone()
        except psycopg.Error as exc:
            raise _error(exc, url) from exc
        self._value: int | None = int(row[0]) if row else 0
        self._thread = threading.Thread(target=self._listen, name="marsad-listen", daemon=True)
        self._thread.start()

    @property
    def value(self) -> int | None:
        """The counter's latest announced value; None once the connection is lost (ask
        the store itself then)."""
        return self._value

    def _listen(self) -> None:
        import psycopg

        try:
            while not self._stop.is_set():
                for note in self._conn.notifies(timeout=LISTEN_POLL_S):
                    value = int(note.payload)
                    current = self._value
                    if current is not None and value > current:
                        self._value = value
        except (psycopg.Error, ValueError):
            pass
        finally:
            self._value = None
            self._conn.close()

    def close(self) -> None:
        """Stop listening (within :data:`LISTEN_POLL_S`)."""
        self._stop.set()
        self._thread.join(timeout=2 * LISTEN_POLL_S)


def translate_ddl(script: str) -> str:
    """SQLite DDL of the migrations in PostgreSQL's types: auto-numbered integer keys,
    BYTEA, DOUBLE PRECISION, TEXT in the C collation (byte order, as SQLite compares text,
    whatever the database's locale), no WITHOUT ROWID."""
    script = re.sub(
        r"\bINTEGER PRIMARY KEY\b",
        "INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
        script,
    )
    script = re.sub(r"\bBLOB\b", "BYTEA", script)
    script = re.sub(r"\bREAL\b", "DOUBLE PRECISION", script)
    script = re.sub(r"\bTEXT\b", 'TEXT COLLATE "C"', script)
    return re.sub(r"\)\s*WITHOUT ROWID", ")", script)
