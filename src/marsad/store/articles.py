"""Articles and search in the store: article rows (DISPLAY text), versions, the full-text index.

Full-text search runs over MATCH-profile text (two columns: folded words and their stems)
in a contentless FTS5 table keyed by article id (a tsvector on PostgreSQL); users only ever
see the stored DISPLAY body.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from marsad.errors import StoreError
from marsad.store.core import StoreCore
from marsad.store.postgres import bm25_matches

_ARTICLE_SELECT = (
    "SELECT id, ext_id, source, published, title, body, url, origin, duplicate_of, story_id,"
    " extra, boilerplate, superseded_by, agency, time_kind FROM articles"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredArticle:
    """An article row as stored (DISPLAY text only)."""

    id: int
    ext_id: str | None
    source: str
    published: datetime
    title: str
    body: str
    url: str | None
    origin: str
    duplicate_of: int | None
    story_id: int | None
    extra: dict[str, Any]
    boilerplate: list[str]
    superseded_by: int | None = None
    agency: str | None = None  # the news agency its byline or signature credits
    time_kind: str | None = None  # "published" or "crawled"; None: not recorded


@dataclass(frozen=True, slots=True)
class SearchRow:
    """One full-text match: the article, its bm25 rank, its story and the copy it is of."""

    article_id: int
    rank: float
    story_id: int | None
    duplicate_of: int | None


class ArticlesAndSearch(StoreCore):
    """Article rows, their versions and the full-text index (mixed into ``Store``)."""

    # -- articles ----------------------------------------------------------------------
    def has_identity(self, identity: str) -> bool:
        """True when an article with this identity (source + content) is already stored."""
        row = self.db.execute("SELECT 1 FROM articles WHERE identity = ?", (identity,)).fetchone()
        return row is not None

    def next_article_id(self) -> int:
        """The id the next stored article gets (call inside the write transaction)."""
        return self.max_article_id() + 1

    def add_article(
        self,
        *,
        ext_id: str | None,
        source: str,
        published: datetime,
        title: str,
        body: str,
        boilerplate: Sequence[str],
        url: str | None,
        extra: dict[str, Any],
        origin: str,
        identity: str,
        content_hash: str,
        signature: bytes | None,
        duplicate_of: int | None,
        story_id: int | None,
        words: str,
        stems: str,
        canonical_url: str | None = None,
        agency: str | None = None,
        time_kind: str | None = None,
        article_id: int | None = None,
    ) -> int:
        """Insert one article and its full-text entry; returns its id.

        The id is ``article_id`` (the one a batch's decisions refer to) or, without it, the
        highest id + 1.

        The id is always given explicitly, read inside the write transaction: a PostgreSQL
        sequence would not roll back with a killed batch, and the next batch's allocated
        ids would then differ from the stored ones.
        """
        if article_id is None:
            article_id = self.next_article_id()
        self.db.execute(
            "INSERT INTO articles (id, ext_id, source, published, title, body, boilerplate, url,"
            " extra, origin, identity, content_hash, signature, duplicate_of, story_id,"
            " ingested_at, canonical_url, agency, time_kind)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article_id,
                ext_id,
                source,
                published.isoformat(),
                title,
                body,
                json.dumps(list(boilerplate), ensure_ascii=False),
                url,
                json.dumps(extra, ensure_ascii=False, default=str),
                origin,
                identity,
                content_hash,
                signature,
                duplicate_of,
                story_id,
                datetime.now().isoformat(timespec="seconds"),
                canonical_url,
                agency,
                time_kind,
            ),
        )
        if self.writes_search_and_entity_figures:
            self.dialect.add_fts(self.db, [(article_id, words, stems)])
        return article_id

    def current_version(self, canonical_url: str) -> tuple[int, str, int | None] | None:
        """(id, identity, story id) of the live version of the article at a URL, if any."""
        row = self.db.execute(
            "SELECT id, identity, story_id FROM articles"
            " WHERE canonical_url = ? AND superseded_by IS NULL ORDER BY id DESC LIMIT 1",
            (canonical_url,),
        ).fetchone()
        return None if row is None else (int(row[0]), str(row[1]), row[2])

    def supersede(self, old_id: int, new_id: int) -> None:
        """Mark ``old_id`` as replaced by a newer version; stories and search skip it."""
        self.db.execute("UPDATE articles SET superseded_by = ? WHERE id = ?", (new_id, old_id))
        self.db.execute(
            "UPDATE stories SET dirty = 1, revision = revision + 1"
            " WHERE id = (SELECT story_id FROM articles WHERE id = ?)",
            (old_id,),
        )

    def article(self, article_id: int) -> StoredArticle | None:
        """Fetch one article."""
        row = self.db.execute(_ARTICLE_SELECT + " WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else _article(row)

    def articles(self, ids: Iterable[int]) -> list[StoredArticle]:
        """Fetch articles by id, in the order given."""
        wanted = list(ids)
        if not wanted:
            return []
        by_id: dict[int, StoredArticle] = {}
        for chunk_start in range(0, len(wanted), 500):
            chunk = wanted[chunk_start : chunk_start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(_ARTICLE_SELECT + f" WHERE id IN ({marks})", chunk):
                article = _article(row)
                by_id[article.id] = article
        return [by_id[i] for i in wanted if i in by_id]

    def story_articles(self, story_id: int) -> list[StoredArticle]:
        """All articles of a story (copies included), oldest first."""
        rows = self.db.execute(
            _ARTICLE_SELECT
            + " WHERE story_id = ? AND superseded_by IS NULL ORDER BY published, id",
            (story_id,),
        )
        return [_article(row) for row in rows]

    def recent_signatures(
        self, since: datetime, *, after_id: int = 0
    ) -> Iterator[tuple[int, str, bytes, datetime]]:
        """(id, content hash, signature, published) of representatives published since a date.

        Only those stored after article ``after_id``.
        """
        rows = self.db.execute(
            "SELECT id, content_hash, signature, published FROM articles"
            " WHERE duplicate_of IS NULL AND superseded_by IS NULL AND signature IS NOT NULL"
            " AND published >= ? AND id > ?"
            " ORDER BY published, id",
            (since.isoformat(), after_id),
        )
        for article_id, content_hash, signature, published in rows:
            yield int(article_id), str(content_hash), bytes(signature), _parse_time(published)

    def max_article_id(self) -> int:
        """Highest article id in use (0 when there is none)."""
        return int(self.db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0])

    def latest_published(self) -> datetime | None:
        """Publication time of the newest stored article."""
        row = self.db.execute("SELECT max(published) FROM articles").fetchone()
        return None if row is None or row[0] is None else _parse_time(row[0])

    def ext_ids(self) -> dict[int, str]:
        """Article id -> input id of every stored article that has one."""
        rows = self.db.execute("SELECT id, ext_id FROM articles WHERE ext_id IS NOT NULL")
        return {int(article_id): str(ext_id) for article_id, ext_id in rows}

    def outlets(self) -> list[str]:
        """Every outlet with a stored article."""
        return [
            str(r[0]) for r in self.db.execute("SELECT DISTINCT source FROM articles ORDER BY 1")
        ]

    def outlets_active(self, since: datetime, until: datetime) -> list[str]:
        """Outlets with an article published between ``since`` and ``until`` (inclusive)."""
        rows = self.db.execute(
            "SELECT DISTINCT source FROM articles WHERE published BETWEEN ? AND ?"
            " AND superseded_by IS NULL ORDER BY 1",
            (since.isoformat(), until.isoformat()),
        )
        return [str(r[0]) for r in rows]

    # -- full-text index and search ----------------------------------------------------
    def iter_articles_for_reindex(self) -> Iterator[tuple[int, str, str]]:
        """(id, title, body) of every article, for rebuilding derived indexes."""
        for article_id, title, body in self.db.execute("SELECT id, title, body FROM articles"):
            yield int(article_id), str(title), str(body)

    def rebuild_fts(self, rows: Iterable[tuple[int, str, str]]) -> None:
        """Replace the whole full-text index with (id, words, stems) rows; one transaction."""
        with self.transaction():
            self.dialect.clear_fts(self.db)
            self.dialect.add_fts(self.db, rows)
            self.set_meta("normalizer_version", self.normalizer_version)
        self.reindex_needed = False

    def fts_query(self, expression: str, *, limit: int, offset: int = 0) -> list[tuple[int, float]]:
        """Run an FTS5 MATCH expression; returns (article id, bm25 rank) best first."""
        try:
            if self.is_postgres:
                ranked = bm25_matches(self.db, expression)[offset : offset + limit]
                return [(int(r[0]), float(r[1])) for r in ranked]
            rows = self.db.execute(
                "SELECT rowid, bm25(articles_fts, 2.0, 1.0) AS rank FROM articles_fts"
                " WHERE articles_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?",
                (expression, limit, offset),
            ).fetchall()
        except (sqlite3.OperationalError, StoreError) as exc:
            raise StoreError(f"search expression not understood ({exc})") from exc
        return [(int(r[0]), float(r[1])) for r in rows]

    def fts_filtered(
        self,
        expression: str,
        *,
        since: str | None = None,
        until: str | None = None,
        source: str | None = None,
        story_id: int | None = None,
        limit: int,
        offset: int = 0,
    ) -> tuple[int, list[SearchRow]]:
        """Live articles matching an FTS5 expression inside optional filters, best first.

        ``since``/``until`` bound the publication time (ISO strings, inclusive). Returns the
        number of matching live articles (copies included) and one page of rows.
        """
        where = ["a.superseded_by IS NULL"]
        params: list[Any] = []
        for condition, value in (
            ("a.published >= ?", since),
            ("a.published <= ?", until),
            ("a.source = ?", source),
            ("a.story_id = ?", story_id),
        ):
            if value is not None:
                where.append(condition)
                params.append(value)
        try:
            if self.is_postgres:
                # bm25 ranks every match (as FTS5 does before its LIMIT); the page is cut here.
                ranked = bm25_matches(
                    self.db,
                    expression,
                    where="".join(f" AND {w}" for w in where),
                    params=params,
                    columns=("a.story_id", "a.duplicate_of"),
                )
                total, rows = len(ranked), ranked[offset : offset + limit]
            else:
                joined = (
                    "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
                    " WHERE articles_fts MATCH ? AND " + " AND ".join(where)
                )
                params = [expression, *params]
                total = int(self.db.execute(f"SELECT count(*) {joined}", params).fetchone()[0])
                rows = self.db.execute(
                    "SELECT a.id, bm25(articles_fts, 2.0, 1.0) AS rank, a.story_id,"
                    f" a.duplicate_of {joined} ORDER BY rank LIMIT ? OFFSET ?",
                    [*params, limit, offset],
                ).fetchall()
        except (sqlite3.OperationalError, StoreError) as exc:
            raise StoreError(f"search expression not understood ({exc})") from exc
        return total, [
            SearchRow(
                article_id=int(r[0]),
                rank=float(r[1]),
                story_id=None if r[2] is None else int(r[2]),
                duplicate_of=None if r[3] is None else int(r[3]),
            )
            for r in rows
        ]


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _article(row: Sequence[Any]) -> StoredArticle:
    return StoredArticle(
        id=int(row[0]),
        ext_id=row[1],
        source=str(row[2]),
        published=_parse_time(row[3]),
        title=str(row[4]),
        body=str(row[5]),
        url=row[6],
        origin=str(row[7]),
        duplicate_of=None if row[8] is None else int(row[8]),
        story_id=None if row[9] is None else int(row[9]),
        extra=json.loads(row[10]),
        boilerplate=json.loads(row[11]),
        superseded_by=None if row[12] is None else int(row[12]),
        agency=row[13],
        time_kind=row[14],
    )
