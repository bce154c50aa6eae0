"""Stories and threads in the store: story rows, membership, threads, roundup passages, signals."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from marsad.errors import StoreError
from marsad.store.core import StoreCore

# What counts as a story, once for every list and count (health, river, top, threads):
# a story with at least one article of its own. A story known only from passages inside
# other stories' roundup articles is a fragment (often one line of a list) and is not listed.
LISTED_STORY = "n_articles > 0"
MIN_THREAD_STORIES = 2  # a thread lists only when it chains at least this many stories
_STORY_SELECT = (
    "SELECT id, title, first_seen, last_seen, n_articles, sources, summary, thread_id, breaking,"
    " burst, revision, n_passages FROM stories"
)


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


class StoriesAndThreads(StoreCore):
    """Stories, their articles, threads, roundup passages and surge signals (mixed into ``Store``)."""

    # -- stories -----------------------------------------------------------------------
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

    def story_revision(self, story_id: int) -> int | None:
        """The story's change counter (bumped by every write its page shows), or None."""
        row = self.db.execute("SELECT revision FROM stories WHERE id = ?", (story_id,)).fetchone()
        return None if row is None else int(row[0])

    # -- threads -----------------------------------------------------------------------
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

    def thread_assignments(self) -> dict[str, int]:
        """Input id -> thread id of every stored article in a story.

        A story without a thread stands for itself (its own id).
        """
        rows = self.db.execute(
            "SELECT a.ext_id, coalesce(s.thread_id, s.id) FROM articles a"
            " JOIN stories s ON s.id = a.story_id WHERE a.ext_id IS NOT NULL"
        )
        return {str(ext_id): int(thread) for ext_id, thread in rows}

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

    # -- roundup passages --------------------------------------------------------------
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
        """(article, start, end) of passages in a story's own articles that report other stories.

        Those are the other events of a roundup.
        """
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

    # -- surge signals (breaking) ------------------------------------------------------
    def set_signal(self, story_id: int, *, burst: float, breaking: bool) -> None:
        """Store a story's burst score and breaking flag."""
        self.db.execute(
            "UPDATE stories SET burst = ?, breaking = ?, revision = revision + 1 WHERE id = ?",
            (burst, int(breaking), story_id),
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
        """Outlet count -> how many listed stories active since a time reached that many.

        Outlets are counted over each story's last ``window_hours`` (the breaking baseline:
        how far a story usually gets).
        """
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
