"""Entities and statements in the store: mentions, per-entity figures, statements, numbers."""

from __future__ import annotations

from typing import Any

_KEY_IN = "AND m.key IN (SELECT value FROM json_each(?))"
_ENTITY_STATS = (
    "INSERT INTO entity_stats (key, name, label, mentions, articles, stories, outlets)"
    " SELECT m.key, max(m.canonical), max(m.label), count(*), count(DISTINCT m.article_id),"
    " count(DISTINCT a.story_id), count(DISTINCT a.source)"
    " FROM mentions m JOIN articles a ON a.id = m.article_id"
    " WHERE a.superseded_by IS NULL {only} GROUP BY m.key"
)


def count_entities_from_mentions(db: Any, keys: str | None = None) -> None:
    """Count entities (all, or those of the JSON list ``keys``) from their live mentions.

    Their figures and pairs must be absent. Pairs go in first, while no figures row
    exists for the pair triggers to bump; the figures then come with their counts.
    """
    only, params = ("", ()) if keys is None else (_KEY_IN, (keys,))
    live = f"FROM mentions m JOIN articles a ON a.id = m.article_id WHERE a.superseded_by IS NULL {only}"
    db.execute(
        f"INSERT OR IGNORE INTO entity_stories SELECT m.key, a.story_id {live}"
        " AND a.story_id IS NOT NULL",
        params,
    )
    db.execute(f"INSERT OR IGNORE INTO entity_outlets SELECT m.key, a.source {live}", params)
    db.execute(_ENTITY_STATS.format(only=only), params)
