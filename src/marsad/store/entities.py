"""Entities and statements in the store: mentions, per-entity figures, statements, numbers."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from marsad.store.core import StoreCore
from marsad.store.migrations import count_entities_from_mentions


class EntitiesAndStatements(StoreCore):
    """Entity mentions and figures, statements and numbers (mixed into ``Store``)."""

    # -- writes ------------------------------------------------------------------------
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

    # -- reads -------------------------------------------------------------------------
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
        """Keys of the entities a name may stand for, most reported first.

        Those of ``keys`` that exist, and people whose key ends with ``surname_key`` (a bare
        surname names the full name it was merged with). Reads ``entity_stats`` only (one
        row per entity), never the mentions, so it stays cheap on every search.
        """
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
