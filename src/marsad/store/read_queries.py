"""The read side's queries: named, typed methods that views, search, export and alerts call.

``ReadQueries`` is a mixin of :class:`~marsad.store.Store`; it runs its SQL on the
store's connection (``self.db``) as the store's own methods do. The SQL keeps to the
portable subset (``?`` placeholders, standard SQL); what only SQLite can say sits in one
small helper each, for a PostgreSQL form to replace:

* :meth:`ReadQueries._ids_in` (``json_each``: an id list too long for placeholders),
* :meth:`ReadQueries.count_fts_matches_each` (the FTS5 table; postings on PostgreSQL),
* :meth:`ReadQueries.refuse_writes` (``PRAGMA query_only``).

Nothing here writes. Rows come back as tuples or dicts of plain values, in the column
order or with the keys each docstring names: callers never see a cursor.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, cast

from marsad.errors import StoreError
from marsad.store.postgres import PgConnection, count_matches

ID_CHUNK = 500  # ids per IN (?, ?, ...) list: well under SQLite's 32,766 placeholders
#: (source, articles, copies of other articles, stories, first published, last published)
OutletFigures = tuple[str, int, int, int, str | None, str | None]


def _marks(count: int) -> str:
    return ",".join("?" * count)


class ReadQueries:
    """Read-only queries over the store's tables (mixed into ``Store``)."""

    db: sqlite3.Connection
    is_postgres: bool

    # -- SQLite-only helpers ------------------------------------------------------------
    @staticmethod
    def _ids_in(column: str, ids: Sequence[int]) -> tuple[str, list[Any]]:
        """A condition ``column IN ids`` and its parameter, for any number of ids.

        SQLite: the ids travel as one JSON array read by ``json_each`` (a million ids
        would pass SQLite's placeholder limit); PostgreSQL: ``column = ANY(?)``.
        """
        return f"{column} IN (SELECT value FROM json_each(?))", [json.dumps(list(ids))]

    def count_fts_matches(self, expression: str) -> int:
        """Articles the full-text expression matches (a document frequency)."""
        return self.count_fts_matches_each([expression])[0]

    def count_fts_matches_each(self, expressions: Sequence[str]) -> list[int]:
        """Articles each full-text expression matches, in order (PostgreSQL counts the
        single words of them in one statement)."""
        if self.is_postgres:
            return count_matches(cast(PgConnection, self.db), expressions)
        counts = []
        for expression in expressions:
            try:
                row = self.db.execute(
                    "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (expression,)
                ).fetchone()
            except sqlite3.OperationalError as exc:
                raise StoreError(f"search expression not understood ({exc})") from exc
            counts.append(int(row[0]) if row else 0)
        return counts

    def refuse_writes(self) -> None:
        """Make this connection read-only: any write fails instead of taking the lock."""
        self.db.execute("PRAGMA query_only = ON")

    def _dicts(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.db.execute(sql, params)
        names = [d[0] for d in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # -- stories ----------------------------------------------------------------------------
    def story_ids_with_articles(self) -> list[int]:
        """Every story with an article of its own (the listed stories), by id."""
        return [
            int(r[0])
            for r in self.db.execute("SELECT id FROM stories WHERE n_articles > 0 ORDER BY id")
        ]

    # -- articles and outlets -------------------------------------------------------------
    def story_ids_of_articles(self, article_ids: Sequence[int]) -> set[int]:
        """Stories of the live articles among ``article_ids``."""
        found: set[int] = set()
        for start in range(0, len(article_ids), ID_CHUNK):
            chunk = list(article_ids[start : start + ID_CHUNK])
            rows = self.db.execute(
                f"SELECT DISTINCT story_id FROM articles WHERE id IN ({_marks(len(chunk))})"
                " AND story_id IS NOT NULL AND superseded_by IS NULL",
                chunk,
            )
            found.update(int(r[0]) for r in rows)
        return found

    def outlet_article_counts(self) -> list[tuple[str, int]]:
        """(outlet, live articles), largest first."""
        rows = self.db.execute(
            "SELECT source, count(*) FROM articles WHERE superseded_by IS NULL"
            " GROUP BY source ORDER BY count(*) DESC, source"
        )
        return [(str(name), int(n)) for name, n in rows]

    def outlet_figures(self) -> list[OutletFigures]:
        """Per outlet (largest first) its live articles, copies, stories and time span."""
        rows = self.db.execute(
            "SELECT source, count(*),"
            " sum(CASE WHEN duplicate_of IS NOT NULL THEN 1 ELSE 0 END),"
            " count(DISTINCT story_id), min(published), max(published)"
            " FROM articles WHERE superseded_by IS NULL"
            " GROUP BY source ORDER BY count(*) DESC, source"
        )
        return [
            (str(name), int(n), int(copies or 0), int(stories), first, last)
            for name, n, copies, stories, first, last in rows
        ]

    def live_article_ids(
        self, *, story: int | None = None, thread: int | None = None, limit: int
    ) -> list[int]:
        """The ``limit`` newest live articles of a story, of a thread's stories, or of all."""
        if story is not None:
            where, params = "story_id = ?", [story]
        elif thread is not None:
            where, params = "story_id IN (SELECT id FROM stories WHERE thread_id = ?)", [thread]
        else:
            where, params = "1 = 1", []
        rows = self.db.execute(
            f"SELECT id FROM articles WHERE {where} AND superseded_by IS NULL"
            " ORDER BY published DESC, id DESC LIMIT ?",
            (*params, limit),
        )
        return [int(r[0]) for r in rows]

    def export_articles(
        self,
        *,
        outlet: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        ids: Sequence[int] | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        """Live articles, oldest first, as (id, ext_id, source, published, title, url,
        story_id, duplicate_of, body); ``ids`` keeps only those (a text filter's matches)."""
        where, params = ["superseded_by IS NULL"], list[Any]()
        if outlet:
            where.append("source = ?")
            params.append(outlet)
        if since:
            where.append("published >= ?")
            params.append(since.isoformat())
        if until:
            where.append("published <= ?")
            params.append(until.isoformat())
        if ids is not None:
            condition, values = self._ids_in("id", ids)
            where.append(condition)
            params += values
        yield from self.db.execute(
            "SELECT id, ext_id, source, published, title, url, story_id, duplicate_of, body"
            f" FROM articles WHERE {' AND '.join(where)} ORDER BY published, id",
            params,
        )

    # -- related coverage -------------------------------------------------------------------
    def story_span(self, story_id: int) -> tuple[datetime, datetime] | None:
        """(first seen, last seen) of a story; None when absent or not dated."""
        row = self.db.execute(
            "SELECT first_seen, last_seen FROM stories WHERE id = ?", (story_id,)
        ).fetchone()
        if row is None or row[0] is None or row[1] is None:
            return None
        return datetime.fromisoformat(row[0]), datetime.fromisoformat(row[1])

    def count_published_between(self, since: datetime, until: datetime) -> int:
        """Articles (every version) published in [since, until]."""
        row = self.db.execute(
            "SELECT count(*) FROM articles WHERE published BETWEEN ? AND ?",
            (since.isoformat(), until.isoformat()),
        ).fetchone()
        return int(row[0])

    def article_stories_and_lengths(self, article_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
        """Article id -> (its story, body length in characters), for articles in a story."""
        if not article_ids:
            return {}
        rows = self.db.execute(
            f"SELECT id, story_id, length(body) FROM articles WHERE id IN ({_marks(len(article_ids))})"
            " AND story_id IS NOT NULL",
            list(article_ids),
        )
        return {int(r[0]): (int(r[1]), int(r[2])) for r in rows}

    def passages_of_articles(
        self, article_ids: Sequence[int]
    ) -> list[tuple[int, int, int, int, int, int]]:
        """(article, story, start, end, first paragraph, last paragraph) of the roundup
        passages of these articles, by article and start."""
        if not article_ids:
            return []
        rows = self.db.execute(
            'SELECT article_id, story_id, start, "end", first_paragraph, last_paragraph'
            f" FROM passages WHERE article_id IN ({_marks(len(article_ids))})"
            " ORDER BY article_id, start",
            list(article_ids),
        )
        return [(int(a), int(s), int(b), int(e), int(f), int(la)) for a, s, b, e, f, la in rows]

    def live_originals_published_between(
        self, article_ids: Sequence[int], since: datetime, until: datetime
    ) -> set[int]:
        """Those of ``article_ids`` that are live originals published in [since, until]."""
        if not article_ids:
            return set()
        rows = self.db.execute(
            f"SELECT id FROM articles WHERE id IN ({_marks(len(article_ids))})"
            " AND published BETWEEN ? AND ? AND superseded_by IS NULL AND duplicate_of IS NULL",
            [*article_ids, since.isoformat(), until.isoformat()],
        )
        return {int(r[0]) for r in rows}

    def story_threads_and_titles(
        self, story_ids: Sequence[int]
    ) -> list[tuple[int, int | None, str]]:
        """(story, thread or None, title) of these stories."""
        if not story_ids:
            return []
        rows = self.db.execute(
            f"SELECT id, thread_id, title FROM stories WHERE id IN ({_marks(len(story_ids))})",
            list(story_ids),
        )
        return [(int(s), None if t is None else int(t), str(title or "")) for s, t, title in rows]

    # -- entities and statements --------------------------------------------------------------
    def story_ids_with_entity(self, mention_keys: Sequence[str], speaker_key: str) -> set[int]:
        """Stories whose articles mention one of ``mention_keys`` or quote ``speaker_key``."""
        rows = self.db.execute(
            "SELECT a.story_id FROM mentions m JOIN articles a ON a.id = m.article_id"
            f" WHERE m.key IN ({_marks(len(mention_keys))}) AND a.story_id IS NOT NULL"
            " UNION SELECT a.story_id FROM statements s JOIN articles a ON a.id = s.article_id"
            " WHERE s.speaker_key = ? AND a.story_id IS NOT NULL",
            (*mention_keys, speaker_key),
        )
        return {int(r[0]) for r in rows}

    def count_entity_keys(self) -> int:
        """Rows of the entity figures (every key ever counted)."""
        return int(self.db.execute("SELECT count(*) FROM entity_stats").fetchone()[0])

    def entity_page(self, *, limit: int, offset: int) -> list[tuple[str, str, int, int, int, int]]:
        """(name, label, mentions, articles, stories, outlets) of reported entities, most
        widely reported first."""
        rows = self.db.execute(
            "SELECT name, label, mentions, articles, stories, outlets FROM entity_stats"
            " WHERE articles > 0 ORDER BY articles DESC, mentions DESC, key LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [
            (str(name), str(label), int(m), int(a), int(s), int(o))
            for name, label, m, a, s, o in rows
        ]

    def story_mentions(self, story_id: int) -> list[dict[str, Any]]:
        """Entity mentions in a story's live articles, in extraction order: dicts of
        article_id, label, text, canonical, key."""
        return self._dicts(
            "SELECT m.article_id, m.label, m.text, m.canonical, m.key FROM mentions m"
            " JOIN articles a ON a.id = m.article_id"
            " WHERE a.story_id = ? AND a.superseded_by IS NULL ORDER BY m.id",
            (story_id,),
        )

    def entity_mentions(self, keys: Sequence[str]) -> list[dict[str, Any]]:
        """Mentions in live articles with one of ``keys``: dicts of label, text, canonical,
        article_id, story_id, source."""
        return self._dicts(
            "SELECT m.label, m.text, m.canonical, m.article_id, a.story_id, a.source FROM mentions m"
            f" JOIN articles a ON a.id = m.article_id WHERE m.key IN ({_marks(len(keys))})"
            # In mention order: ties between spellings and stories go to the first seen.
            " AND a.superseded_by IS NULL ORDER BY m.id",
            list(keys),
        )

    def co_occurring_entities(
        self, article_ids: Sequence[int], exclude_keys: Sequence[str], *, limit: int
    ) -> list[dict[str, Any]]:
        """Entities mentioned in these articles, other than ``exclude_keys``, in most
        articles first: dicts of name, label, articles.

        ``max()``: one spelling and label per key, the same on every backend (a bare column
        beside ``GROUP BY`` would take an arbitrary row's, and PostgreSQL refuses it).
        """
        return self._dicts(
            "SELECT max(canonical) AS name, max(label) AS label,"
            " count(DISTINCT article_id) AS articles FROM mentions"
            f" WHERE article_id IN ({_marks(len(article_ids))})"
            f" AND key NOT IN ({_marks(len(exclude_keys))})"
            " GROUP BY key ORDER BY articles DESC, name LIMIT ?",
            (*article_ids, *exclude_keys, limit),
        )

    def entity_candidates(
        self, keys: Sequence[str], spelling: str, surname_pattern: str | None, *, limit: int
    ) -> list[dict[str, Any]]:
        """Reported entities (dicts of key, name, label, articles) a query may name: those
        with one of ``keys``, those a mention spelled ``spelling`` has, and, with
        ``surname_pattern`` (a LIKE pattern over keys), the ``limit`` most reported matching
        it. Duplicates are possible; the caller merges them by key."""
        select = "SELECT key, name, label, articles FROM entity_stats WHERE articles > 0 AND "
        rows = self._dicts(select + f"key IN ({_marks(len(keys))})", list(keys))
        rows += self._dicts(
            select + "key IN (SELECT DISTINCT key FROM mentions WHERE text = ?)", (spelling,)
        )
        if surname_pattern is not None:
            rows += self._dicts(
                select + "key LIKE ? ORDER BY articles DESC LIMIT ?", (surname_pattern, limit)
            )
        return rows

    def statements(
        self,
        *,
        story_id: int | None = None,
        speaker_key: str | None = None,
        outlet: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int,
    ) -> list[dict[str, Any]]:
        """Statements of live articles, oldest first, each filter optional: dicts of id,
        article_id, speaker, speaker_canonical, cue, start, end, direct (bool), source,
        outlet, published, story_id and text (cut from the stored body, original spelling)."""
        where, params = ["a.superseded_by IS NULL"], list[Any]()
        for condition, value in (
            ("a.story_id = ?", story_id),
            ("s.speaker_key = ?", speaker_key),
            ("a.source = ?", outlet or None),
            ("a.published >= ?", since.isoformat() if since else None),
            ("a.published <= ?", until.isoformat() if until else None),
        ):
            if value is not None:
                where.append(condition)
                params.append(value)
        rows = self._dicts(
            'SELECT s.id, s.article_id, s.speaker, s.speaker_canonical, s.cue, s.start, s."end",'
            " s.direct, s.source, a.source AS outlet, a.published, a.story_id,"
            ' substr(a.body, s.start + 1, s."end" - s.start) AS text'
            " FROM statements s JOIN articles a ON a.id = s.article_id"
            f" WHERE {' AND '.join(where)} ORDER BY a.published, s.id LIMIT ?",
            (*params, limit),
        )
        for row in rows:
            row["direct"] = bool(row["direct"])
        return rows

    # -- evaluation -------------------------------------------------------------------------
    def breaking_story_ext_ids(self, since: datetime, until: datetime) -> list[tuple[int, str]]:
        """(story, input id of a live article) of listed breaking stories begun in
        [since, until), by story then article."""
        rows = self.db.execute(
            "SELECT s.id, a.ext_id FROM stories s JOIN articles a ON a.story_id = s.id"
            " WHERE s.breaking = 1 AND s.n_articles > 0 AND s.first_seen >= ? AND s.first_seen < ?"
            " AND a.superseded_by IS NULL AND a.ext_id IS NOT NULL ORDER BY s.id, a.id",
            (since.isoformat(), until.isoformat()),
        )
        return [(int(story), str(ext_id)) for story, ext_id in rows]
