"""SQLite store: articles, duplicate groups, stories, full-text index.

One file, WAL mode, versioned migrations. Only ``pipeline.py``, ``search`` and the CLI/API
layers use it; analysis stages never touch the store.

Full-text search runs over MATCH-profile text (two columns: folded words and their stems)
in a contentless FTS5 table keyed by article id; users only ever see the stored DISPLAY body.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from marsad.errors import StoreError
from marsad.store.articles import ArticlesAndSearch
from marsad.store.core import StoreCore
from marsad.store.entities import count_entities_from_mentions
from marsad.store.read_queries import ReadQueries
from marsad.store.redirects import StoryRedirects
from marsad.store.state import WriterState
from marsad.store.stories import StoriesAndThreads
from marsad.writes import ArticleWrite, RecordWriteError


class Store(
    WriterState, ArticlesAndSearch, StoriesAndThreads, StoreCore, ReadQueries, StoryRedirects
):
    """A Marsad store: every concern's methods over one connection (see :class:`StoreCore`)."""

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

    def story_analysis(self, story_id: int) -> dict[str, Any] | None:
        """A story's outlet comparison and timeline, if built."""
        row = self.db.execute("SELECT analysis FROM stories WHERE id = ?", (story_id,)).fetchone()
        return None if row is None or row[0] is None else dict(json.loads(row[0]))

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
