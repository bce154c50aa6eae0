"""The store: articles, stories, threads, extractions and search, on SQLite or PostgreSQL.

Open one with :func:`open_store`. A location is a plain path or ``sqlite:///path`` (a
SQLite file, the default; ``":memory:"`` for a throwaway one) or ``postgresql://...`` (a
team server, through psycopg 3). Both backends run the same :class:`Store` class, the same
migrations in the same order (table ``_migrations``) and the same rules: one writer at a
time, batch by batch (SQLite ``BEGIN IMMEDIATE``; PostgreSQL a transaction-level advisory
lock), so ids handed out inside a write transaction are unique across processes.

Why one class and not one per backend: every method, and every method added later, is
written once; only what cannot be shared sits in a small :mod:`~marsad.store.dialect`
object (opening a write transaction, the full-text table, one piece of clock arithmetic,
the change counter, error kinds).

The API by concern
------------------
``Store`` (store.py) is one mixin per concern over :class:`~marsad.store.core.StoreCore`;
every method says in its docstring what it returns or does. Writes run inside
``transaction()``; the pipeline writes a whole batch with ``write_batch``.

* core.py (``StoreCore``): opening and migrating, ``transaction``, ``close``, ``location``,
  ``schema_version``, ``get_meta``/``set_meta``, ``insert_id``, ``has_table``, ``count``,
  ``rows``, ``data_version``. sqlite.py: what only a SQLite file needs to open;
  migrations.py: the ordered migrations.
* articles.py, articles and search (``ArticlesAndSearch``): ``add_article``,
  ``next_article_id``, ``supersede``, ``current_version``, ``has_identity``, ``article``,
  ``articles``, ``story_articles``, ``recent_signatures``, ``max_article_id``,
  ``latest_published``, ``ext_ids``, ``outlets``, ``outlets_active``; the full-text index:
  ``rebuild_fts``, ``iter_articles_for_reindex``, ``fts_query``, ``fts_filtered``.
* stories.py, stories and threads (``StoriesAndThreads``): ``create_story``, ``touch_story``,
  ``story``, ``stories``, ``find_stories``, ``story_of``, ``story_assignments``,
  ``max_story_id``, ``count_listed_stories``, ``story_rank_rows``, ``story_revision``;
  threads: ``set_thread``, ``thread_of``, ``thread_assignments``, ``thread_rows``,
  ``thread_story_titles``; roundup passages: ``add_passage``, ``passages_elsewhere``,
  ``story_passages``; surge signals: ``set_signal``, ``outlet_output``, ``story_reach``.
  redirects.py (``StoryRedirects``): ``merge_stories``, ``story_redirect``.
* entities.py, entities and statements (``EntitiesAndStatements``): ``add_extraction``,
  ``entity_keys``, ``count_entities``, ``recount_entities``, ``mention_spellings``,
  ``entity_keys_named``.
* extractions.py, what ingest extracted once (``StoredExtractions``): ``add_extracted``,
  ``add_dates``, ``mark_extracted``, ``replace_extraction``, ``unextracted_articles``,
  ``stored_extractions``.
* analyses.py, summaries and analyses (``StoryAnalyses``): ``dirty_stories``,
  ``set_summary``, ``set_analysis``, ``story_analysis``.
* state.py, the writers' clustering state (``WriterState``): ``get_state``/``set_state``,
  ``state_rev``, ``add_state_delta``, ``state_deltas``, ``state_delta_bytes``,
  ``save_state_snapshot``, ``snapshot_rev``, ``snapshot_chars``.
* bulk.py, blocks written elsewhere (``BulkBlocks``, ``marsad backfill --blocks``):
  ``export_block`` (from a block's scratch store), ``append_block`` (into the target,
  renumbered), ``keep_block`` + ``append_scratch`` (the scratch file attached, copied by
  ``INSERT ... SELECT``; ``export_kept`` gives a kept file's rows), ``finish_blocks``;
  ``make_scratch`` (a block's scratch store: no journal on disk, no sync, no unread
  index), ``block_leads`` / ``make_block_leads`` / ``add_block_leads`` /
  ``drop_block_leads`` (the blocks' lead analyses, kept for the summary tasks).
  parallel.py, blocks written by the workers straight into PostgreSQL (``ParallelBlocks``):
  ``start_job`` (id ranges), ``stories_of``, ``write_block_rows`` (a block's rows COPYed in
  one transaction, once per job and block), ``relink_block`` (the driver's boundary work:
  continuing stories merged, references set), ``entity_key_ranges`` and
  ``recount_entity_range`` (entity figures recounted in key ranges at once, after the last
  block).
* aliases.py, name variants the store mined from its own articles (``MinedAliases``;
  :mod:`marsad.name_variants` mines): ``mined_aliases``, ``replace_mined_aliases``,
  ``alias_mining_mark``, ``articles_since``, ``mining_texts``.
* read_queries.py, the read side's named queries (``ReadQueries``): pages, exports,
  entity and statement lists, search counts.
* sources.py, the watcher's sources (``WatchSources``): ``validators``,
  ``save_validators``, ``seen``, ``mark_seen``, ``article_at``, ``record_success``,
  ``record_error``, ``source_status``. watchlists.py: saved watchlists and their matches
  (functions over a ``Store``).

Portable SQL: the subset every store query keeps to
-------------------------------------------------------
Write SQLite's spelling; on PostgreSQL :class:`~marsad.store.postgres.PgConnection`
rewrites the marked items, and everything else must mean the same on both engines.

* Placeholders ``?`` (never ``:name``); pass a tuple or list. ``True``/``False`` are stored
  as 1/0 (flags are INTEGER columns).
* ``INSERT OR IGNORE INTO ...`` (rewritten to ``ON CONFLICT DO NOTHING``) and
  ``INSERT ... ON CONFLICT(key) DO UPDATE SET col = excluded.col``. In the ``SET`` part,
  name the old row's columns with their table (``entity_stats.mentions + 1``): PostgreSQL
  rejects a bare column there as ambiguous. Never ``INSERT OR REPLACE``.
* A new row's id: ``store.insert_id("INSERT ...", params)`` (lastrowid on SQLite, RETURNING
  on PostgreSQL); never ``cursor.lastrowid`` nor ``RETURNING`` directly.
* A list parameter: ``col IN (SELECT value FROM json_each(?))`` with a JSON list
  (rewritten to ``col = ANY(?)``), or ``IN (?, ?, ...)`` with one mark per value.
* Full text: ``articles_fts MATCH ?`` with an FTS5 expression (AND, OR, NOT, parentheses,
  ``words:``/``stems:`` filters, quoted phrases, ``*`` prefixes), joined on
  ``articles_fts.rowid``; rank with ``bm25(articles_fts, 2.0, 1.0)`` (lower is better),
  in the statement that has the MATCH. On PostgreSQL that is a GIN-indexed tsvector of
  the same folded tokens and a negated ``ts_rank`` (an approximation): for ranked hits
  call ``Store.fts_query``/``fts_filtered``, which rank with FTS5's exact bm25 on both.
* Functions: ``count``, ``sum``, ``min``/``max`` (one argument: aggregates only),
  ``coalesce``, ``substr``, ``length``, ``lower``, ``json_array_length(text_column)``,
  ``CAST(x AS INTEGER|REAL|TEXT)``, ``CASE``. Not: two-argument ``max``/``min`` (write a
  CASE), ``ifnull``, ``strftime``/``datetime``/``julianday`` (ask the dialect, as
  ``story_reach`` does), ``group_concat``, ``instr``, ``printf``, ``round`` on REAL.
* Every subquery in FROM has an alias (``FROM (...) AS t``); ``HAVING`` repeats the
  aggregate (``HAVING count(*) >= 2``), never an output alias; every selected column that
  is not aggregated is in ``GROUP BY``.
* No ``LIMIT -1``; an ``ORDER BY`` over a column that may be NULL says ``NULLS FIRST`` or
  ``NULLS LAST`` (the engines differ otherwise). A query whose row order matters to its
  caller (even only to break ties) says ``ORDER BY``: without it SQLite tends to answer
  in rowid order and PostgreSQL in whatever order its plan yields.
* Times are ISO-8601 TEXT and compare as text; text compares bytewise on both (PostgreSQL
  columns are created in the C collation).
* A column named ``end`` may be written bare (it is quoted for PostgreSQL, where END is
  reserved), or qualified (``p.end``).
* Errors: a failed statement raises ``sqlite3.Error`` on SQLite and
  :class:`~marsad.store.postgres.DatabaseError` (a :class:`~marsad.errors.StoreError`) on
  PostgreSQL; catch :data:`DATABASE_ERRORS`. On PostgreSQL a failed statement ends the
  transaction: do not catch an error inside ``transaction()`` and go on writing.
* DDL in migrations: ``INTEGER PRIMARY KEY``, ``TEXT``, ``REAL``, ``BLOB``, ``WITHOUT
  ROWID`` are mapped to PostgreSQL's types; triggers and functions differ and are written
  per backend (see migration ``0009_entity_stats``).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from marsad.store.articles import SearchRow, StoredArticle
from marsad.store.dialect import is_postgres, sqlite_path
from marsad.store.postgres import ChangeListener, DatabaseError
from marsad.store.store import Store
from marsad.store.stories import StoredStory

DATABASE_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, DatabaseError)


def open_store(
    location: str | Path, *, normalizer_version: str | None = None, read_only: bool = False
) -> Store:
    """Open (creating and migrating when needed) the store at a path or URL.

    Args:
        location: a path, ``sqlite:///path``, ``":memory:"`` or ``postgresql://...``.
        normalizer_version: the MATCH normalizer's version; default: the running one.
        read_only: refuse writes on this connection.

    Raises:
        StoreError: The store cannot be opened (message says why and what to do).
    """
    if normalizer_version is None:
        from marsad.text.arabic import NORMALIZER_VERSION

        normalizer_version = NORMALIZER_VERSION
    return Store(location, normalizer_version=normalizer_version, read_only=read_only)


def change_listener(location: str | Path) -> ChangeListener | None:
    """A listener that keeps the store's change counter without asking the database, where
    asking is a round trip (PostgreSQL); None where it is a local call (SQLite's
    ``PRAGMA data_version``)."""
    text = str(location)
    return ChangeListener(text) if is_postgres(text) else None


def store_exists(location: str | Path) -> bool:
    """Whether a store is there to read: a SQLite file that exists, or any PostgreSQL URL
    (a server database is created by its administrator; opening it migrates it)."""
    text = str(location)
    if is_postgres(text):
        return True
    path = sqlite_path(text)
    return path == ":memory:" or Path(path).exists()


__all__ = [
    "DATABASE_ERRORS",
    "ChangeListener",
    "DatabaseError",
    "SearchRow",
    "Store",
    "StoredArticle",
    "StoredStory",
    "change_listener",
    "open_store",
    "store_exists",
]
