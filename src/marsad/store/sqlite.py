"""SQLite store: articles, duplicate groups, stories, full-text index.

One file, WAL mode, versioned migrations. Only ``pipeline.py``, ``search`` and the CLI/API
layers use it; analysis stages never touch the store.

Full-text search runs over MATCH-profile text (two columns: folded words and their stems)
in a contentless FTS5 table keyed by article id; users only ever see the stored DISPLAY body.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from marsad.errors import StoreError
from marsad.store.articles import ArticlesAndSearch
from marsad.store.core import StoreCore
from marsad.store.entities import count_entities_from_mentions
from marsad.store.read_queries import ReadQueries
from marsad.store.redirects import StoryRedirects
from marsad.store.state import WriterState
from marsad.writes import ArticleWrite, RecordWriteError

# What counts as a story, once for every list and count (health, river, top, threads):
# a story with at least one article of its own. A story known only from passages inside
# other stories' roundup articles is a fragment (often one line of a list) and is not listed.
LISTED_STORY = "n_articles > 0"
MIN_THREAD_STORIES = 2  # a thread lists only when it chains at least this many stories


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredStory:
    """A story row; ``summary`` is the JSON-decoded summary or None when not yet built."""

    id: int
    title: str
    first_seen: datetime | None
    last_seen: datetime | None
    n_articles: int
    sources: list[str]
    summary: dict[str, Any] | None
    thread_id: int | None = None
    breaking: bool = False
    burst: float = 0.0
    revision: int = 0  # change counter, see migration 0007
    n_passages: int = 0  # roundup passages of other articles that report it


class Store(WriterState, ArticlesAndSearch, StoreCore, ReadQueries, StoryRedirects):
    """A Marsad store: every concern's methods over one connection (see :class:`StoreCore`)."""

    def story_of(self, article_id: int) -> int | None:
        """The story an article belongs to."""
        row = self.db.execute(
            "SELECT story_id FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def story_assignments(self) -> dict[str, int]:
        """Input id -> story id of every stored article that has both."""
        rows = self.db.execute(
            "SELECT ext_id, story_id FROM articles WHERE ext_id IS NOT NULL AND story_id IS NOT NULL"
        )
        return {str(ext_id): int(story_id) for ext_id, story_id in rows}

    def thread_assignments(self) -> dict[str, int]:
        """Input id -> thread id (its story's id when the story has no thread) of every
        stored article in a story."""
        rows = self.db.execute(
            "SELECT a.ext_id, coalesce(s.thread_id, s.id) FROM articles a"
            " JOIN stories s ON s.id = a.story_id WHERE a.ext_id IS NOT NULL"
        )
        return {str(ext_id): int(thread) for ext_id, thread in rows}

    def max_story_id(self) -> int:
        """Highest story id in use (0 when there is none)."""
        return int(self.db.execute("SELECT coalesce(max(id), 0) FROM stories").fetchone()[0])

    def count_listed_stories(self) -> int:
        """Stories that lists show (see LISTED_STORY): the one story count of the store."""
        return int(
            self.db.execute(f"SELECT count(*) FROM stories WHERE {LISTED_STORY}").fetchone()[0]
        )

    def story_rank_rows(self, *, source: str | None = None) -> list[tuple[int, int, int, str]]:
        """(id, articles, outlets, last seen) of every listed story, for ranking top stories."""
        where, params = LISTED_STORY, []
        if source:
            where += (
                " AND EXISTS (SELECT 1 FROM articles a WHERE a.story_id = stories.id"
                " AND a.source = ?)"
            )
            params.append(source)
        rows = self.db.execute(
            f"SELECT id, n_articles, json_array_length(sources), last_seen FROM stories"
            f" WHERE {where}",
            params,
        )
        return [(int(i), int(n), int(o), str(seen)) for i, n, o, seen in rows]

    def thread_rows(self, *, limit: int, offset: int) -> tuple[int, list[tuple[Any, ...]]]:
        """(threads listed, one page of (id, stories, articles, first, last seen)).

        A thread is listed when it chains at least MIN_THREAD_STORIES listed stories.
        """
        grouped = (
            f"SELECT thread_id, count(*) AS n, sum(n_articles), min(first_seen),"
            f" max(last_seen) AS last FROM stories WHERE thread_id IS NOT NULL"
            f" AND {LISTED_STORY} GROUP BY thread_id HAVING count(*) >= {MIN_THREAD_STORIES}"
        )
        total = int(self.db.execute(f"SELECT count(*) FROM ({grouped}) AS listed").fetchone()[0])
        rows = self.db.execute(
            f"{grouped} ORDER BY last DESC, thread_id LIMIT ? OFFSET ?", (limit, offset)
        ).fetchall()
        return total, [tuple(r) for r in rows]

    def thread_story_titles(self, thread_id: int) -> list[tuple[int, str]]:
        """(id, title) of a thread's listed stories, oldest first."""
        rows = self.db.execute(
            f"SELECT id, title FROM stories WHERE thread_id = ? AND {LISTED_STORY}"
            " ORDER BY first_seen, id",
            (thread_id,),
        )
        return [(int(i), str(t)) for i, t in rows]

    # -- extraction ---------------------------------------------------------------------
    def add_extraction(
        self,
        article_id: int,
        *,
        mentions: Iterable[tuple[str, str, int, int, str, str]],
        statements: Iterable[
            tuple[str, str, str, str, str, int, int, bool, str | None, str, str, bool]
        ],
        numbers: Iterable[tuple[float | None, str, int, int, str, str, bool, bool, int, int]],
    ) -> None:
        """Store an article's entity mentions, statements and numbers (caller's transaction)."""
        self.db.executemany(
            "INSERT INTO mentions (article_id, label, text, start, end, canonical, key)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(article_id, *m) for m in mentions],
        )
        self.db.executemany(
            "INSERT INTO statements (article_id, speaker, speaker_resolved, speaker_canonical,"
            " speaker_key, cue, start, end, direct, source, speaker_title, speaker_description,"
            " speaker_unresolved) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(article_id, *s) for s in statements],
        )
        self.db.executemany(
            "INSERT INTO numbers (article_id, value, text, start, end, counted, counted_key,"
            " is_percent, approximate, sentence_start, sentence_end)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(article_id, *n) for n in numbers],
        )

    def entity_keys(self, article_id: int) -> set[str]:
        """Merge keys of the entities an article mentions."""
        rows = self.db.execute("SELECT key FROM mentions WHERE article_id = ?", (article_id,))
        return {str(r[0]) for r in rows}

    def count_entities(
        self,
        story_id: int | None,
        source: str,
        mentions: Sequence[tuple[str, str, str, int]],
    ) -> None:
        """Count one new article into the per-entity figures (caller's transaction).

        Args:
            story_id: the article's story.
            source: its outlet.
            mentions: per distinct entity key: (key, canonical name, label, mentions).
        """
        self.db.executemany(
            "INSERT INTO entity_stats (key, name, label, mentions, articles, stories, outlets)"
            " VALUES (?, ?, ?, ?, 1, 0, 0) ON CONFLICT(key) DO UPDATE"
            " SET mentions = entity_stats.mentions + excluded.mentions,"
            " articles = entity_stats.articles + 1",
            mentions,
        )
        if story_id is not None:
            self.db.executemany(
                "INSERT OR IGNORE INTO entity_stories VALUES (?, ?)",
                [(key, story_id) for key, *_ in mentions],
            )
        self.db.executemany(
            "INSERT OR IGNORE INTO entity_outlets VALUES (?, ?)",
            [(key, source) for key, *_ in mentions],
        )

    def recount_entities(self, keys: Iterable[str]) -> None:
        """Recount these entities from their mentions (after an article was superseded)."""
        wanted = json.dumps(sorted(set(keys)), ensure_ascii=False)
        for table in ("entity_stats", "entity_stories", "entity_outlets"):
            self.db.execute(
                f"DELETE FROM {table} WHERE key IN (SELECT value FROM json_each(?))", (wanted,)
            )
        count_entities_from_mentions(self.db, wanted)

    # -- stories ------------------------------------------------------------------------
    def create_story(self, story_id: int) -> None:
        """Create an empty story row; an id already in use is an error (never a merge)."""
        try:
            self.db.execute("INSERT INTO stories (id) VALUES (?)", (story_id,))
        except (sqlite3.IntegrityError, StoreError) as exc:
            if not self.dialect.is_unique_violation(exc):
                raise
            raise StoreError(f"story id {story_id} is already in use") from exc

    def touch_story(self, story_id: int, source: str, published: datetime) -> None:
        """Count one more article in a story and widen its time span."""
        self._widen_story(story_id, source, published.isoformat(), articles=1)

    def _widen_story(self, story_id: int, source: str, when: str, *, articles: int) -> None:
        """Add an outlet to a story, widen its time span, count ``articles`` more."""
        row = self.db.execute("SELECT sources FROM stories WHERE id = ?", (story_id,)).fetchone()
        sources = set(json.loads(row[0])) if row else set()
        sources.add(source)
        self.db.execute(
            "UPDATE stories SET n_articles = n_articles + ?, dirty = 1, sources = ?,"
            " revision = revision + 1,"
            " first_seen = CASE WHEN first_seen IS NULL OR first_seen > ? THEN ? ELSE first_seen END,"
            " last_seen = CASE WHEN last_seen IS NULL OR last_seen < ? THEN ? ELSE last_seen END"
            " WHERE id = ?",
            (
                articles,
                json.dumps(sorted(sources), ensure_ascii=False),
                when,
                when,
                when,
                when,
                story_id,
            ),
        )

    def outlet_output(self, since: datetime) -> dict[str, tuple[int, int]]:
        """Per outlet since a time: (articles, distinct stories) -- the breaking baseline."""
        rows = self.db.execute(
            "SELECT source, count(*), count(DISTINCT story_id) FROM articles"
            " WHERE published >= ? AND superseded_by IS NULL GROUP BY source",
            (since.isoformat(),),
        )
        return {str(source): (int(n), int(stories)) for source, n, stories in rows}

    def story_reach(self, since: datetime, *, window_hours: float) -> dict[int, int]:
        """Listed stories active since a time, counted by the distinct outlets of their
        last ``window_hours`` (the breaking baseline: how far a story usually gets)."""
        window_start, window = self.dialect.seconds_before("s.last_seen", window_hours * 3600)
        rows = self.db.execute(
            "SELECT reach, count(*) FROM (SELECT count(DISTINCT a.source) AS reach"
            " FROM stories s JOIN articles a ON a.story_id = s.id"
            f" WHERE s.{LISTED_STORY} AND s.last_seen >= ? AND a.superseded_by IS NULL"
            f" AND a.published > {window_start}"
            " GROUP BY s.id) AS reaches GROUP BY reach",
            (since.isoformat(), window),
        )
        return {int(outlets): int(n) for outlets, n in rows}

    def set_analysis(
        self,
        story_id: int,
        analysis: dict[str, Any] | None,
        *,
        revision: int | None = None,
        changes_page: bool = True,
    ) -> bool:
        """Store a story's outlet comparison and timeline (None: not analysed).

        With ``revision``, only while the story is still at that revision: an analysis
        built from a snapshot must not outlive a change made meanwhile. ``changes_page``
        False keeps the revision (the analysis was built for the page already shown).
        """
        encoded = None if analysis is None else json.dumps(analysis, ensure_ascii=False)
        bump = " + 1" if changes_page else ""
        if revision is None:
            cursor = self.db.execute(
                f"UPDATE stories SET analysis = ?, revision = revision{bump} WHERE id = ?",
                (encoded, story_id),
            )
        else:
            cursor = self.db.execute(
                f"UPDATE stories SET analysis = ?, revision = revision{bump}"
                " WHERE id = ? AND revision = ?",
                (encoded, story_id, revision),
            )
        return bool(cursor.rowcount > 0)

    def story_revision(self, story_id: int) -> int | None:
        """The story's change counter (bumped by every write its page shows), or None."""
        row = self.db.execute("SELECT revision FROM stories WHERE id = ?", (story_id,)).fetchone()
        return None if row is None else int(row[0])

    def story_analysis(self, story_id: int) -> dict[str, Any] | None:
        """A story's outlet comparison and timeline, if built."""
        row = self.db.execute("SELECT analysis FROM stories WHERE id = ?", (story_id,)).fetchone()
        return None if row is None or row[0] is None else dict(json.loads(row[0]))

    def set_signal(self, story_id: int, *, burst: float, breaking: bool) -> None:
        """Store a story's burst score and breaking flag."""
        self.db.execute(
            "UPDATE stories SET burst = ?, breaking = ?, revision = revision + 1 WHERE id = ?",
            (burst, int(breaking), story_id),
        )

    def add_passage(
        self,
        article_id: int,
        story_id: int,
        passage: Any,
        score: float,
        *,
        source: str,
        published: datetime,
    ) -> None:
        """Link a passage of a roundup article to the story it reports."""
        self.db.execute(
            "INSERT INTO passages (article_id, story_id, first_paragraph, last_paragraph, start,"
            " end, score) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                article_id,
                story_id,
                passage.first_paragraph,
                passage.last_paragraph,
                passage.start,
                passage.end,
                score,
            ),
        )
        self.db.execute("UPDATE stories SET n_passages = n_passages + 1 WHERE id = ?", (story_id,))
        # The passage's outlet reported the story too: it counts among the story's outlets
        # and dates (not among its articles).
        self._widen_story(story_id, source, published.isoformat(), articles=0)

    def passages_elsewhere(self, story_id: int) -> list[tuple[int, int, int]]:
        """(article, start, end) of the passages of a story's own articles that report other
        stories (the other events of a roundup)."""
        rows = self.db.execute(
            "SELECT p.article_id, p.start, p.end FROM passages p"
            " JOIN articles a ON a.id = p.article_id"
            " WHERE a.story_id = ? AND p.story_id != ? ORDER BY p.article_id, p.start",
            (story_id, story_id),
        )
        return [(int(a), int(start), int(end)) for a, start, end in rows]

    def story_passages(self, story_id: int) -> list[dict[str, Any]]:
        """Passages of other stories' articles that report this story ("also reported in")."""
        return self.rows(
            "SELECT p.article_id, p.first_paragraph, p.last_paragraph, p.start, p.end, p.score,"
            " a.source, a.published, a.title, a.story_id AS article_story,"
            " substr(a.body, p.start + 1, p.end - p.start) AS text"
            " FROM passages p JOIN articles a ON a.id = p.article_id"
            " WHERE p.story_id = ? AND a.superseded_by IS NULL ORDER BY a.published, p.id",
            (story_id,),
        )

    def set_thread(self, story_id: int, thread_id: int) -> None:
        """Put a story in a thread (a thread is named by its first story's id)."""
        self.db.execute(
            "UPDATE stories SET thread_id = ?, revision = revision + 1 WHERE id = ?",
            (thread_id, story_id),
        )

    def thread_of(self, story_id: int) -> int | None:
        """The thread a story belongs to."""
        row = self.db.execute("SELECT thread_id FROM stories WHERE id = ?", (story_id,)).fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def dirty_stories(self) -> list[int]:
        """Stories whose summary must be rebuilt."""
        return [int(r[0]) for r in self.db.execute("SELECT id FROM stories WHERE dirty = 1")]

    def set_summary(
        self, story_id: int, title: str, summary: dict[str, Any], *, revision: int | None = None
    ) -> bool:
        """Store a story's title and summary and mark it clean. With ``revision``, only while
        the story is still at that revision: a summary of a snapshot that another writer
        has since extended would hide its new articles (the story stays dirty then)."""
        params: tuple[Any, ...] = (title, json.dumps(summary, ensure_ascii=False), story_id)
        only = ""
        if revision is not None:
            only, params = " AND revision = ?", (*params, revision)
        cursor = self.db.execute(
            "UPDATE stories SET title = ?, summary = ?, dirty = 0, revision = revision + 1"
            " WHERE id = ?" + only,
            params,
        )
        return bool(cursor.rowcount > 0)

    def story(self, story_id: int) -> StoredStory | None:
        """Fetch one story."""
        row = self.db.execute(_STORY_SELECT + " WHERE id = ?", (story_id,)).fetchone()
        return None if row is None else _story(row)

    def stories(
        self,
        *,
        limit: int = 50,
        offset: int = 0,
        source: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[StoredStory]:
        """Stories, most recently updated first, then by size."""
        return self.find_stories(
            limit=limit, offset=offset, source=source, since=since, until=until
        )[1]

    def find_stories(
        self,
        *,
        limit: int = 50,
        offset: int = 0,
        source: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        breaking: bool | None = None,
        thread: int | None = None,
        ids: Iterable[int] | None = None,
    ) -> tuple[int, list[StoredStory]]:
        """(number of matches, one page of them), most recently updated first.

        Args:
            limit: page size.
            offset: matches skipped before the page.
            source: only stories this outlet covered.
            since: only stories active at or after this time.
            until: only stories that began at or before this time.
            breaking: only breaking (True) or non-breaking (False) stories.
            thread: only stories of this thread.
            ids: only these stories.
        """
        where: list[str] = [LISTED_STORY]
        params: list[Any] = []
        if source:
            where.append(
                "EXISTS (SELECT 1 FROM articles a WHERE a.story_id = stories.id AND a.source = ?)"
            )
            params.append(source)
        if since:
            where.append("last_seen >= ?")
            params.append(since.isoformat())
        if until:
            where.append("first_seen <= ?")
            params.append(until.isoformat())
        if breaking is not None:
            where.append("breaking = ?")
            params.append(int(breaking))
        if thread is not None:
            where.append("thread_id = ?")
            params.append(thread)
        if ids is not None:
            # JSON keeps the id list one parameter, whatever its length.
            where.append("id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(sorted(ids)))
        condition = " AND ".join(where)
        total = int(
            self.db.execute(f"SELECT count(*) FROM stories WHERE {condition}", params).fetchone()[0]
        )
        rows = self.db.execute(
            f"{_STORY_SELECT} WHERE {condition}"
            " ORDER BY last_seen DESC, n_articles DESC, id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return total, [_story(r) for r in rows]

    def mention_spellings(self, keys: Sequence[str], *, limit: int = 50) -> list[str]:
        """Distinct written forms of the entity mentions under the given keys, commonest first."""
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        rows = self.db.execute(
            f"SELECT text FROM mentions WHERE key IN ({marks})"
            " GROUP BY text ORDER BY count(*) DESC, text LIMIT ?",
            [*keys, limit],
        )
        return [str(r[0]) for r in rows]

    def entity_keys_named(
        self, keys: Sequence[str], *, surname_key: str | None = None, limit: int = 5
    ) -> list[str]:
        """Keys of the entities a name may stand for, most reported first: those of ``keys``
        that exist, and people whose key ends with ``surname_key`` (a bare surname names the
        full name it was merged with). Reads ``entity_stats`` only (one row per entity), never
        the mentions, so it stays cheap on every search."""
        condition = f"key IN ({','.join('?' * len(keys)) or 'NULL'})"
        params: list[Any] = list(keys)
        if surname_key:
            condition += " OR key LIKE ?"
            params.append(f"PERS:%{surname_key}")
        rows = self.db.execute(
            f"SELECT key FROM entity_stats WHERE articles > 0 AND ({condition})"
            " ORDER BY articles DESC, key LIMIT ?",
            [*params, limit],
        )
        return [str(r[0]) for r in rows]

    # --- orchestrator (issue 21) ------------------------------------------------------

    def write_batch(self, articles: Sequence[ArticleWrite]) -> None:
        """Persist one batch's decided articles, in order (caller's transaction).

        Raises:
            RecordWriteError: naming the index of the article that could not be written.
        """
        for index, article in enumerate(articles):
            try:
                self._write_article(article)
            except Exception as exc:
                raise RecordWriteError(index, exc) from exc

    def _write_article(self, a: ArticleWrite) -> None:
        for opened in a.passage_stories:
            self.create_story(opened.story)
            self.set_thread(opened.story, opened.thread)
        if a.story_id is not None and a.opens_thread is not None:
            self.create_story(a.story_id)
        stored_id = self.add_article(
            ext_id=a.ext_id,
            source=a.source,
            published=a.published,
            title=a.title,
            body=a.body,
            boilerplate=a.boilerplate,
            url=a.url,
            extra=a.extra,
            origin=a.origin,
            identity=a.identity,
            content_hash=a.content_hash,
            signature=a.signature,
            duplicate_of=a.duplicate_of,
            story_id=a.story_id,
            words=a.words,
            stems=a.stems,
            canonical_url=a.canonical_url,
            agency=a.agency,
            time_kind=a.time_kind,
            article_id=a.id,
        )
        if stored_id != a.id:  # decisions of this batch refer to the allocated id
            raise StoreError(f"article stored as id {stored_id}, allocated {a.id}")
        if a.entities or a.statements or a.numbers:
            self.add_extraction(
                a.id,
                mentions=[
                    (m.label, m.text, m.start, m.end, m.canonical, m.key) for m in a.entities
                ],
                statements=[
                    (
                        s.statement.speaker,
                        s.statement.speaker_resolved,
                        s.canonical,
                        s.key,
                        s.statement.cue,
                        s.statement.start,
                        s.statement.end,
                        s.statement.direct,
                        s.statement.source,
                        s.statement.speaker_title,
                        s.statement.speaker_description,
                        s.statement.speaker_unresolved,
                    )
                    for s in a.statements
                ],
                numbers=[
                    (
                        None if n.value != n.value else n.value,  # NaN: a vague quantity
                        n.text,
                        n.start,
                        n.end,
                        n.counted,
                        n.counted_key,
                        n.is_percent,
                        n.approximate,
                        n.sentence_start,
                        n.sentence_end,
                    )
                    for n in a.numbers
                ],
            )
        if a.entity_counts:
            self.count_entities(
                a.story_id,
                a.source,
                [(c.key, c.name, c.label, c.mentions) for c in a.entity_counts],
            )
        if a.story_id is not None and a.opens_thread is not None:
            self.set_thread(a.story_id, a.opens_thread)
        for placed in a.passages:
            self.add_passage(
                a.id,
                placed.story,
                placed.passage,
                placed.score,
                source=a.source,
                published=a.published,
            )
        if a.supersedes is not None:
            self.supersede(a.supersedes, a.id)
            self.recount_entities(self.entity_keys(a.supersedes) | self.entity_keys(a.id))
        elif a.story_id is not None:
            self.touch_story(a.story_id, a.source, a.published)


_STORY_SELECT = (
    "SELECT id, title, first_seen, last_seen, n_articles, sources, summary, thread_id, breaking,"
    " burst, revision, n_passages FROM stories"
)


def _story(row: Sequence[Any]) -> StoredStory:
    return StoredStory(
        id=int(row[0]),
        title=str(row[1]),
        first_seen=None if row[2] is None else datetime.fromisoformat(row[2]),
        last_seen=None if row[3] is None else datetime.fromisoformat(row[3]),
        n_articles=int(row[4]),
        sources=json.loads(row[5]),
        summary=None if row[6] is None else json.loads(row[6]),
        thread_id=None if row[7] is None else int(row[7]),
        breaking=bool(row[8]),
        burst=float(row[9]),
        revision=int(row[10]),
        n_passages=int(row[11]),
    )
