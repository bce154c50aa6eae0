"""Stored story analyses: summaries (rebuilt while a story is dirty), outlet comparison, timeline."""

from __future__ import annotations

import json
from typing import Any

from marsad.store.core import StoreCore


class StoryAnalyses(StoreCore):
    """Story summaries and analyses (mixed into ``Store``)."""

    def dirty_stories(self) -> list[int]:
        """Stories whose summary must be rebuilt."""
        return [int(r[0]) for r in self.db.execute("SELECT id FROM stories WHERE dirty = 1")]

    def set_summary(
        self, story_id: int, title: str, summary: dict[str, Any], *, revision: int | None = None
    ) -> bool:
        """Store a story's title and summary and mark it clean; returns whether it was stored.

        With ``revision``, only while the story is still at that revision: a summary of a
        snapshot that another writer has since extended would hide its new articles (the
        story stays dirty then).
        """
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
