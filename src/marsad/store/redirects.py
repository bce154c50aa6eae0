"""Story merges in the store: a merged story's articles move to the story it joined, and its
old id redirects there (links, bookmarks and alerts keep working).

The clusterer decides merges (:mod:`marsad.cluster.merge`); this mixin applies them. The
migration is plain SQL (CREATE TABLE / CREATE INDEX) so every backend runs it as written.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

from marsad.errors import StoreError

MAX_REDIRECT_HOPS = 32  # chains are flattened on write; this only guards a damaged table


def create_story_redirects(db: sqlite3.Connection) -> None:
    """Migration ``0014_story_redirects``: old story id -> the story it was merged into."""
    db.execute(
        "CREATE TABLE story_redirects ("
        " story_id INTEGER PRIMARY KEY,"
        " into_id INTEGER NOT NULL,"
        " merged_at TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX story_redirects_into ON story_redirects(into_id)")


class StoryRedirects:
    """Mixin of :class:`marsad.store.store.Store`: merging stories and following redirects."""

    db: sqlite3.Connection

    def merge_stories(self, into: int, merged: int) -> None:
        """Merge story ``merged`` into ``into``, leaving a redirect from its id.

        Every article, passage and entity count of ``merged`` moves into ``into``, and
        ``merged`` is deleted (caller's transaction).

        Raises:
            StoreError: when either story is missing or they are the same story.
        """
        if into == merged:
            raise StoreError(f"cannot merge story #{into} into itself")
        rows = {
            int(r[0]): r
            for r in self.db.execute(
                "SELECT id, first_seen, last_seen, n_articles, n_passages, sources"
                " FROM stories WHERE id IN (?, ?)",
                (into, merged),
            )
        }
        if into not in rows or merged not in rows:
            missing = merged if into in rows else into
            raise StoreError(f"cannot merge stories #{merged} -> #{into}: no story #{missing}")
        _, first_a, last_a, articles_a, passages_a, sources_a = rows[into]
        _, first_b, last_b, articles_b, passages_b, sources_b = rows[merged]
        firsts = [day for day in (first_a, first_b) if day]
        lasts = [day for day in (last_a, last_b) if day]
        sources = sorted(set(json.loads(sources_a)) | set(json.loads(sources_b)))
        self.db.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", (into, merged))
        self.db.execute("UPDATE passages SET story_id = ? WHERE story_id = ?", (into, merged))
        # An entity named in both stories now counts one story, not two.
        shared = (
            "SELECT key FROM entity_stories WHERE story_id = ? AND key IN"
            " (SELECT key FROM entity_stories WHERE story_id = ?)"
        )
        self.db.execute(
            f"UPDATE entity_stats SET stories = stories - 1 WHERE key IN ({shared})",
            (merged, into),
        )
        self.db.execute(
            f"DELETE FROM entity_stories WHERE story_id = ? AND key IN ({shared})",
            (merged, merged, into),
        )
        self.db.execute("UPDATE entity_stories SET story_id = ? WHERE story_id = ?", (into, merged))
        self.db.execute(
            "UPDATE stories SET n_articles = ?, n_passages = ?, sources = ?, first_seen = ?,"
            " last_seen = ?, dirty = 1, revision = revision + 1 WHERE id = ?",
            (
                articles_a + articles_b,
                passages_a + passages_b,
                json.dumps(sources, ensure_ascii=False),
                min(firsts) if firsts else None,
                max(lasts) if lasts else None,
                into,
            ),
        )
        self.db.execute("DELETE FROM stories WHERE id = ?", (merged,))
        # Flattened: whatever redirected to the merged story now points at its new home.
        self.db.execute("UPDATE story_redirects SET into_id = ? WHERE into_id = ?", (into, merged))
        self.db.execute(
            "INSERT INTO story_redirects (story_id, into_id, merged_at) VALUES (?, ?, ?)",
            (merged, into, datetime.now(UTC).isoformat(timespec="seconds")),
        )

    def story_redirect(self, story_id: int) -> int | None:
        """The story that ``story_id`` was merged into (followed to the end), or None.

        None when ``story_id`` was never merged.
        """
        current: int | None = None
        seen = story_id
        for _ in range(MAX_REDIRECT_HOPS):
            row = self.db.execute(
                "SELECT into_id FROM story_redirects WHERE story_id = ?", (seen,)
            ).fetchone()
            if row is None:
                return current
            current = seen = int(row[0])
        return current
