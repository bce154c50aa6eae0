"""Schema migrations of the store: the ordered list every store runs, each once.

A migration is a named function registered by :func:`migration`; ``Store`` applies the
missing ones in name order inside one write transaction and records each in the table
``_migrations`` (see :class:`~marsad.store.core.StoreCore`). Both backends run the same list:
a migration gets the store's connection (sqlite3's, or ``PgConnection``, which runs the same
portable statements on PostgreSQL); what differs per backend is written per backend here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marsad.errors import MigrationError
from marsad.store.aliases import create_mined_aliases
from marsad.store.dialect import (
    DIALECTS,
    covering_postings_key,
    create_fts_totals,
    postgres_extras,
    search_filter_index,
)
from marsad.store.extractions import add_extraction_details
from marsad.store.postgres import PgConnection
from marsad.store.redirects import create_story_redirects
from marsad.store.watchlists import create_watchlists

# A migration gets the store's connection: sqlite3's, or PgConnection, which runs the same
# portable statements (CREATE/ALTER TABLE in PostgreSQL's types) on PostgreSQL.
Migration = Callable[[Any], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(name: str) -> Callable[[Migration], Migration]:
    """Register a schema migration; they run in registration order, each once."""

    def register(fn: Migration) -> Migration:
        if any(existing == name for existing, _ in MIGRATIONS):
            raise MigrationError(f"migration {name!r} is registered twice")
        MIGRATIONS.append((name, fn))
        return fn

    return register


def _run_script(db: Any, script: str) -> None:
    # executescript() would COMMIT the migration's transaction first; run statements one by one.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


@migration("0001_initial")
def _initial(db: Any) -> None:
    _run_script(
        db,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE stories (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL DEFAULT '',
            first_seen TEXT,
            last_seen TEXT,
            n_articles INTEGER NOT NULL DEFAULT 0,
            sources TEXT NOT NULL DEFAULT '[]',
            summary TEXT,
            dirty INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            ext_id TEXT,
            source TEXT NOT NULL,
            published TEXT NOT NULL,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            boilerplate TEXT NOT NULL DEFAULT '[]',
            url TEXT,
            extra TEXT NOT NULL DEFAULT '{}',
            origin TEXT NOT NULL,
            identity TEXT NOT NULL UNIQUE,
            content_hash TEXT NOT NULL,
            signature BLOB,
            duplicate_of INTEGER REFERENCES articles(id),
            story_id INTEGER REFERENCES stories(id),
            ingested_at TEXT NOT NULL
        );
        CREATE INDEX articles_published ON articles(published);
        CREATE INDEX articles_story ON articles(story_id);
        CREATE INDEX articles_duplicate_of ON articles(duplicate_of);
        CREATE INDEX articles_source ON articles(source);
        CREATE INDEX stories_last_seen ON stories(last_seen);
        CREATE TABLE state (name TEXT PRIMARY KEY, value TEXT NOT NULL);
        """,
    )
    _create_fts(db)
    if isinstance(db, PgConnection):
        postgres_extras(db)


@migration("0002_url_identity")
def _url_identity(db: Any) -> None:
    # One article per canonical URL; a changed text at a known URL is a new version that
    # supersedes the old row (kept, never silently overwritten).
    _run_script(
        db,
        """
        ALTER TABLE articles ADD COLUMN canonical_url TEXT;
        ALTER TABLE articles ADD COLUMN superseded_by INTEGER REFERENCES articles(id);
        CREATE INDEX articles_canonical_url ON articles(canonical_url);
        """,
    )


@migration("0003_sources")
def _watch_sources(db: Any) -> None:
    for statement in (
        """CREATE TABLE watch_sources (
            name TEXT PRIMARY KEY,
            last_success TEXT,
            last_error TEXT,
            last_error_at TEXT,
            consecutive_errors INTEGER NOT NULL DEFAULT 0
        )""",
        """CREATE TABLE watch_feeds (
            url TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            etag TEXT,
            last_modified TEXT,
            fetched_at TEXT
        )""",
        """CREATE TABLE watch_seen (
            key TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            item_hash TEXT NOT NULL,
            article_id INTEGER REFERENCES articles(id),
            seen_at TEXT NOT NULL
        )""",
        "CREATE INDEX watch_seen_article ON watch_seen(article_id)",
    ):
        db.execute(statement)


@migration("0004_threads_passages")
def _threads_passages(db: Any) -> None:
    # Threads chain stories of one evolving event across days; ``breaking`` flags a story
    # whose arrival rate jumps above its outlets' baseline; passages are the parts of
    # roundup articles that report a different story than the article as a whole.
    _run_script(
        db,
        """
        ALTER TABLE stories ADD COLUMN thread_id INTEGER;
        ALTER TABLE stories ADD COLUMN breaking INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE stories ADD COLUMN burst REAL NOT NULL DEFAULT 0;
        ALTER TABLE stories ADD COLUMN n_passages INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX stories_thread ON stories(thread_id);
        CREATE TABLE passages (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            story_id INTEGER NOT NULL REFERENCES stories(id),
            first_paragraph INTEGER NOT NULL,
            last_paragraph INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            score REAL NOT NULL
        );
        CREATE INDEX passages_story ON passages(story_id);
        CREATE INDEX passages_article ON passages(article_id);
        """,
    )


@migration("0005_extraction")
def _extraction(db: Any) -> None:
    # What the extract stage found, per article; offsets index the stored body.
    _run_script(
        db,
        """
        CREATE TABLE mentions (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            label TEXT NOT NULL,
            text TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            canonical TEXT NOT NULL,
            key TEXT NOT NULL
        );
        CREATE INDEX mentions_key ON mentions(key);
        CREATE INDEX mentions_article ON mentions(article_id);
        CREATE TABLE statements (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            speaker TEXT NOT NULL,
            speaker_resolved TEXT NOT NULL,
            speaker_canonical TEXT NOT NULL,
            speaker_key TEXT NOT NULL,
            cue TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            direct INTEGER NOT NULL,
            source TEXT
        );
        CREATE INDEX statements_speaker ON statements(speaker_key);
        CREATE INDEX statements_article ON statements(article_id);
        CREATE TABLE numbers (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            value REAL,
            text TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            counted TEXT NOT NULL,
            counted_key TEXT NOT NULL,
            is_percent INTEGER NOT NULL,
            approximate INTEGER NOT NULL,
            sentence_start INTEGER NOT NULL,
            sentence_end INTEGER NOT NULL
        );
        CREATE INDEX numbers_article ON numbers(article_id);
        """,
    )


@migration("0006_story_analysis")
def _story_analysis(db: Any) -> None:
    # Outlet comparison and timeline, rebuilt with the summary whenever a story changes.
    db.execute("ALTER TABLE stories ADD COLUMN analysis TEXT")


@migration("0007_story_revisions")
def _story_revisions(db: Any) -> None:
    # A per-story change counter lets the server keep a story's page cached across ingests
    # that did not touch that story. Every Store method that changes what a story page
    # shows bumps it in the same UPDATE (cheaper than a trigger's second UPDATE per write).
    db.execute("ALTER TABLE stories ADD COLUMN revision INTEGER NOT NULL DEFAULT 0")


@migration("0008_river_index")
def _river_index(db: Any) -> None:
    # The river (newest stories first, with its total and its outlet menu) is the most
    # viewed page: these indexes cover its filter, order and counts, so none reads the
    # wide rows. (source, superseded_by) replaces the index on source alone.
    db.execute(
        "CREATE INDEX stories_river ON stories"
        "(last_seen DESC, n_articles DESC, id, n_passages, breaking)"
    )
    db.execute("DROP INDEX IF EXISTS articles_source")
    db.execute("CREATE INDEX articles_source_live ON articles(source, superseded_by)")


@migration("0010_state_deltas")
def _state_deltas(db: Any) -> None:
    # Every committed batch saves what it changed in the clustering state (a delta, in the
    # batch's own transaction) under a store-wide revision. A writer that finds the
    # revision moved (another writer, or a restart) replays the deltas it has not seen,
    # so every writer clusters against the committed state. Snapshots (table ``state``)
    # absorb the deltas now and then.
    db.execute("CREATE TABLE state_deltas (rev INTEGER PRIMARY KEY, value BLOB NOT NULL)")


@migration("0011_statement_speaker_parts")
def _statement_speaker_parts(db: Any) -> None:
    # A speaker is stored as its name (speaker_resolved) with its title and description
    # apart, and flagged when it is a reference (الوزارة، البيان) nothing earlier resolved.
    _run_script(
        db,
        """
        ALTER TABLE statements ADD COLUMN speaker_title TEXT NOT NULL DEFAULT '';
        ALTER TABLE statements ADD COLUMN speaker_description TEXT NOT NULL DEFAULT '';
        ALTER TABLE statements ADD COLUMN speaker_unresolved INTEGER NOT NULL DEFAULT 0
        """,
    )


_KEY_IN = "AND m.key IN (SELECT value FROM json_each(?))"
_ENTITY_STATS = (
    "INSERT INTO entity_stats (key, name, label, mentions, articles, stories, outlets)"
    " SELECT m.key, max(m.canonical), max(m.label), count(*), count(DISTINCT m.article_id),"
    " count(DISTINCT a.story_id), count(DISTINCT a.source)"
    " FROM mentions m JOIN articles a ON a.id = m.article_id"
    " WHERE a.superseded_by IS NULL {only} GROUP BY m.key"
)


def count_entities_from_mentions(
    db: Any, keys: str | None = None, *, key_range: tuple[str, str | None] | None = None
) -> None:
    """Count entities (all, those of the JSON list ``keys``, or those with ``low <= key <
    high`` for ``key_range`` (low, high or None)) from their live mentions.

    Their figures and pairs must be absent. Pairs go in first, while no figures row
    exists for the pair triggers to bump; the figures then come with their counts.
    """
    only: str
    params: tuple[str, ...]
    if key_range is not None:
        low, high = key_range
        only = "AND m.key >= ?" + ("" if high is None else " AND m.key < ?")
        params = (low,) if high is None else (low, high)
    else:
        only, params = ("", ()) if keys is None else (_KEY_IN, (keys,))
    live = f"FROM mentions m JOIN articles a ON a.id = m.article_id WHERE a.superseded_by IS NULL {only}"
    db.execute(
        f"INSERT OR IGNORE INTO entity_stories SELECT m.key, a.story_id {live}"
        " AND a.story_id IS NOT NULL",
        params,
    )
    db.execute(f"INSERT OR IGNORE INTO entity_outlets SELECT m.key, a.source {live}", params)
    db.execute(_ENTITY_STATS.format(only=only), params)


@migration("0009_entity_stats")
def _entity_stats(db: Any) -> None:
    # The entities page ranks every entity of the store; aggregating all mentions per view
    # takes a second on 30k articles. Per-entity figures are kept instead, counted up as
    # articles arrive: the distinct stories and outlets of an entity are kept as pairs whose
    # first insertion bumps the count (a trigger), so each article costs a few small writes.
    _run_script(
        db,
        """
        CREATE TABLE entity_stats (
            key TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            label TEXT NOT NULL,
            mentions INTEGER NOT NULL,
            articles INTEGER NOT NULL,
            stories INTEGER NOT NULL,
            outlets INTEGER NOT NULL
        );
        CREATE INDEX entity_stats_rank ON entity_stats(articles DESC, mentions DESC, key);
        CREATE TABLE entity_stories (
            key TEXT NOT NULL, story_id INTEGER NOT NULL, PRIMARY KEY (key, story_id)
        ) WITHOUT ROWID;
        CREATE TABLE entity_outlets (
            key TEXT NOT NULL, source TEXT NOT NULL, PRIMARY KEY (key, source)
        ) WITHOUT ROWID
        """,
    )
    count_entities_from_mentions(db)
    for table, column in (("entity_stories", "stories"), ("entity_outlets", "outlets")):
        bump = f"UPDATE entity_stats SET {column} = {column} + 1 WHERE key = NEW.key"
        if isinstance(db, PgConnection):
            db.execute_raw(
                f"CREATE FUNCTION {table}_count() RETURNS trigger LANGUAGE plpgsql"
                f" AS $$ BEGIN {bump}; RETURN NULL; END $$"
            )
            db.execute_raw(
                f"CREATE TRIGGER {table}_count AFTER INSERT ON {table}"
                f" FOR EACH ROW EXECUTE FUNCTION {table}_count()"
            )
        else:
            db.execute(f"CREATE TRIGGER {table}_count AFTER INSERT ON {table} BEGIN {bump}; END")


@migration("0012_wire_agency")
def _wire_agency(db: Any) -> None:
    # The agency an article credits (extract.wires), and whether its time is the outlet's
    # publication time or only when it was crawled. Rows stored before say neither.
    _run_script(
        db,
        """
        ALTER TABLE articles ADD COLUMN agency TEXT;
        ALTER TABLE articles ADD COLUMN time_kind TEXT;
        """,
    )


migration("0013_watchlists")(create_watchlists)  # store/watchlists.py
migration("0014_story_redirects")(create_story_redirects)  # store/redirects.py
migration("0015_extraction_details")(add_extraction_details)  # store/extractions.py
migration("0016_fts_postings_covering")(covering_postings_key)  # store/dialect.py
migration("0017_fts_totals")(create_fts_totals)  # store/dialect.py
migration("0018_search_filter_index")(search_filter_index)  # store/dialect.py
migration("0020_mined_aliases")(create_mined_aliases)  # store/aliases.py


@migration("0019_backfill_blocks")
def _backfill_blocks(db: Any) -> None:
    # Blocks written straight into the target by the workers (store/parallel.py): each
    # job's id ranges, one row per block written (the idempotence key, committed with the
    # block's rows), and what the driver still has to do at the block's start: the
    # stories that may continue an earlier block's (links) and the references to
    # articles of earlier blocks (refs). Links and refs are deleted once applied.
    _run_script(
        db,
        """
        CREATE TABLE backfill_jobs (
            job TEXT PRIMARY KEY,
            first_article INTEGER NOT NULL,
            first_story INTEGER NOT NULL
        );
        CREATE TABLE backfill_blocks (
            job TEXT NOT NULL,
            block INTEGER NOT NULL,
            first_article INTEGER NOT NULL,
            last_article INTEGER NOT NULL,
            articles INTEGER NOT NULL,
            stories INTEGER NOT NULL,
            fts_rows INTEGER NOT NULL,
            fts_tokens INTEGER NOT NULL,
            relinked INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (job, block)
        );
        CREATE TABLE backfill_links (
            job TEXT NOT NULL,
            block INTEGER NOT NULL,
            story_id INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            identity TEXT NOT NULL,
            start INTEGER,
            "end" INTEGER
        );
        CREATE INDEX backfill_links_block ON backfill_links(job, block);
        CREATE TABLE backfill_refs (
            job TEXT NOT NULL,
            block INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            identity TEXT NOT NULL,
            field TEXT NOT NULL,
            ref_identity TEXT NOT NULL
        );
        CREATE INDEX backfill_refs_block ON backfill_refs(job, block);
        CREATE INDEX entity_stories_story ON entity_stories(story_id)
        """,
    )


def _create_fts(db: Any) -> None:
    DIALECTS["postgresql" if isinstance(db, PgConnection) else "sqlite"].create_fts(db)
