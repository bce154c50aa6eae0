"""SQLite store: articles, duplicate groups, stories, full-text index.

One file, WAL mode, versioned migrations. Only ``pipeline.py``, ``search`` and the CLI/API
layers use it; analysis stages never touch the store.

Full-text search runs over MATCH-profile text (two columns: folded words and their stems)
in a contentless FTS5 table keyed by article id; users only ever see the stored DISPLAY body.
"""

from __future__ import annotations

import json
import sqlite3
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from marsad.errors import MigrationError, StoreError
from marsad.store.dialect import (
    DIALECTS,
    covering_postings_key,
    create_fts_totals,
    is_postgres,
    postgres_extras,
    search_filter_index,
    sqlite_path,
)
from marsad.store.lock import hold_shared
from marsad.store.postgres import PgConnection, bm25_matches, redact
from marsad.store.read_queries import ReadQueries
from marsad.store.redirects import StoryRedirects, create_story_redirects
from marsad.store.watchlists import create_watchlists
from marsad.writes import ArticleWrite, RecordWriteError

# A migration gets the store's connection: sqlite3's, or PgConnection, which runs the same
# portable statements (CREATE/ALTER TABLE in PostgreSQL's types) on PostgreSQL.
Migration = Callable[[Any], None]
BUSY_TIMEOUT_MS = 60_000  # one statement's wait for the write lock
WAIT_STEP_MS = 1_000  # transaction() retries at this step...
WAIT_REPORT_S = 5.0  # ...and says it is waiting this often
MIGRATIONS: list[tuple[str, Migration]] = []
# What counts as a story, once for every list and count (health, river, top, threads):
# a story with at least one article of its own. A story known only from passages inside
# other stories' roundup articles is a fragment (often one line of a list) and is not listed.
LISTED_STORY = "n_articles > 0"
MIN_THREAD_STORIES = 2  # a thread lists only when it chains at least this many stories


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
    _count_entities(db)
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
migration("0015_fts_postings_covering")(covering_postings_key)  # store/dialect.py
migration("0016_fts_totals")(create_fts_totals)  # store/dialect.py
migration("0017_search_filter_index")(search_filter_index)  # store/dialect.py


def _count_entities(db: Any, keys: str | None = None) -> None:
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


def _create_fts(db: Any) -> None:
    DIALECTS["postgresql" if isinstance(db, PgConnection) else "sqlite"].create_fts(db)


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredArticle:
    """An article row as stored (DISPLAY text only)."""

    id: int
    ext_id: str | None
    source: str
    published: datetime
    title: str
    body: str
    url: str | None
    origin: str
    duplicate_of: int | None
    story_id: int | None
    extra: dict[str, Any]
    boilerplate: list[str]
    superseded_by: int | None = None
    agency: str | None = None  # the news agency its byline or signature credits
    time_kind: str | None = None  # "published" or "crawled"; None: not recorded


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


class Store(ReadQueries, StoryRedirects):
    """A Marsad store: a SQLite file (or ``":memory:"``), or a PostgreSQL database.

    Args:
        location: a file path, ``sqlite:///path``, or ``postgresql://user@host/db``.
        normalizer_version: the MATCH normalizer's version (a change means reindexing).
        read_only: refuse writes on this connection (readers of a served store).
    """

    def __init__(
        self, location: str | Path, *, normalizer_version: str, read_only: bool = False
    ) -> None:
        self.path = str(location)
        self._depth = 0  # nesting of transaction() blocks
        self.rollback_hooks: list[Callable[[], None]] = []
        self.is_postgres = is_postgres(self.path)
        self.dialect = DIALECTS["postgresql" if self.is_postgres else "sqlite"]
        self.db: Any
        if self.is_postgres:
            self.db = PgConnection(self.path)
            self._migrate()
        else:
            self._open_sqlite(sqlite_path(self.path))
        if read_only:
            self.dialect.set_read_only(self.db)
        self.reindex_needed = self.get_meta("normalizer_version") != normalizer_version
        self.normalizer_version = normalizer_version

    def _open_sqlite(self, path: str) -> None:
        try:
            if path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                hold_shared(path)  # restore refuses while any other process holds it
            self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            # A single statement waits this long for another writer's batch to commit
            # (set first: switching a new file to WAL takes the lock too); transaction()
            # waits as long as it takes.
            self.db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            self._retry_while_locked(self._prepare)
        except (sqlite3.DatabaseError, OSError) as exc:
            raise StoreError(
                f"{path}: cannot open the store ({exc}); check the path and permissions, "
                "or restore it from a backup"
            ) from exc

    @property
    def location(self) -> str:
        """Where the store is, fit for messages (a PostgreSQL password is hidden)."""
        return redact(self.path)

    # -- schema -------------------------------------------------------------------------
    def _prepare(self) -> None:
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    @staticmethod
    def _retry_while_locked(action: Callable[[], None]) -> None:
        """Run ``action``, again while SQLite answers "locked" without waiting (it does when
        two processes switch a new file to WAL, or start one, at the same moment)."""
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                action()
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _applied_migrations(self) -> set[str]:
        if not self.dialect.table_exists(self.db, "_migrations"):
            return set()
        return {str(row[0]) for row in self.db.execute("SELECT name FROM _migrations")}

    def _migrate(self) -> None:
        done = self._applied_migrations()
        known = {name for name, _ in MIGRATIONS}
        if done - known:
            raise MigrationError(
                f"{self.location} was written by a newer Marsad (unknown migrations "
                f"{sorted(done - known)}); upgrade Marsad to open it"
            )
        if known <= done:
            return
        # Under the write lock, asking again: two processes opening a new store at once
        # must not both apply a migration.
        with self.transaction():
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS _migrations"
                " (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            done = self._applied_migrations()
            # Name order, not import order: modules may register migrations in any order.
            for name, apply in sorted(MIGRATIONS):
                if name not in done:
                    apply(self.db)
                    self.db.execute(
                        "INSERT INTO _migrations VALUES (?, ?)", (name, datetime.now().isoformat())
                    )

    def insert_id(self, sql: str, params: Sequence[Any]) -> int:
        """Run one INSERT into a table keyed by ``id``; returns the new row's id."""
        return self.dialect.insert_id(self.db, sql, params)

    def has_table(self, name: str) -> bool:
        """Whether the store has a table of that name."""
        return self.dialect.table_exists(self.db, name)

    @property
    def schema_version(self) -> int:
        """Number of migrations applied."""
        return int(self.db.execute("SELECT count(*) FROM _migrations").fetchone()[0])

    @contextmanager
    def transaction(self, on_wait: Callable[[float], None] | None = None) -> Iterator[Any]:
        """Run a block atomically: everything or nothing is written.

        Waits for other writers as long as it takes: writers (ingest, watch, the API) take
        turns batch by batch, a batch holds the lock for a second or two, so a writer may
        wait for several. ``on_wait(seconds)`` is called every ``WAIT_REPORT_S`` while
        waiting (a progress line for humans). A block inside another joins it (one commit,
        at the end). When a block rolls back, the ``rollback_hooks`` run:
        memory that mirrors what the block wrote must be dropped too.
        """
        if self._depth:
            # A savepoint: a failed inner block is undone alone, the outer one may go on.
            savepoint = f"nested_{self._depth}"
            self.db.execute(f"SAVEPOINT {savepoint}")
            self._depth += 1
            try:
                yield self.db
            except BaseException:
                self.db.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                self.db.execute(f"RELEASE SAVEPOINT {savepoint}")
                for hook in self.rollback_hooks:
                    hook()
                raise
            finally:
                self._depth -= 1
            self.db.execute(f"RELEASE SAVEPOINT {savepoint}")
            return
        self.dialect.begin_write(self.db, on_wait, step_ms=WAIT_STEP_MS, report_s=WAIT_REPORT_S)
        self._depth = 1
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            for hook in self.rollback_hooks:
                hook()
            raise
        finally:
            self._depth = 0
        self.db.execute("COMMIT")
        self.dialect.after_commit(self.db)

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    # -- meta and state -----------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        """Read a metadata value."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Write a metadata value (inside the caller's transaction, if any)."""
        self.db.execute(
            "INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def get_state(self, name: str) -> Any:
        """Load a JSON state blob saved by a pipeline stage (None when absent)."""
        row = self.db.execute("SELECT value FROM state WHERE name = ?", (name,)).fetchone()
        return None if row is None else json.loads(row[0])

    def set_state(self, name: str, value: Any) -> int:
        """Save a JSON state blob (inside the caller's transaction); returns its length."""
        encoded = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        self.db.execute(
            "INSERT INTO state VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            (name, encoded),
        )
        return len(encoded)

    def state_rev(self) -> int:
        """The store-wide revision of the clustering state (bumped by every saved batch)."""
        value = self.get_meta("state_rev")
        return int(value) if value else 0

    def snapshot_rev(self) -> int:
        """The revision the saved snapshot describes (0: none, or one older than deltas)."""
        value = self.get_meta("state_snapshot_rev")
        return int(value) if value else 0

    def add_state_delta(self, value: Any) -> int:
        """Save one batch's state delta under the next revision (inside the batch's
        transaction) and return that revision."""
        rev = self.state_rev() + 1
        blob = zlib.compress(json.dumps(value, ensure_ascii=False).encode("utf-8"), 1)
        self.db.execute("INSERT INTO state_deltas VALUES (?, ?)", (rev, blob))
        self.set_meta("state_rev", str(rev))
        return rev

    def state_deltas(self, after_rev: int) -> Iterator[tuple[int, Any]]:
        """Saved deltas newer than ``after_rev``, oldest first: (revision, value)."""
        rows = self.db.execute(
            "SELECT rev, value FROM state_deltas WHERE rev > ? ORDER BY rev", (after_rev,)
        )
        for rev, blob in rows:
            yield int(rev), json.loads(zlib.decompress(blob))

    def state_delta_bytes(self) -> int:
        """Compressed size of the deltas not yet absorbed by a snapshot."""
        row = self.db.execute("SELECT coalesce(sum(length(value)), 0) FROM state_deltas")
        return int(row.fetchone()[0])

    def save_state_snapshot(self, states: dict[str, Any]) -> int:
        """Save whole states under the next revision, dropping the deltas they absorb;
        returns the revision."""
        rev = self.state_rev() + 1
        chars = sum(self.set_state(name, value) for name, value in states.items())
        self.set_meta("state_rev", str(rev))
        self.set_meta("state_snapshot_rev", str(rev))
        # Kept beside it: measuring the snapshot with length() would read it all per batch.
        self.set_meta("state_snapshot_chars", str(chars))
        self.db.execute("DELETE FROM state_deltas WHERE rev <= ?", (rev,))
        return rev

    def snapshot_chars(self) -> int:
        """Size in characters of the last snapshot (0 when there is none)."""
        value = self.get_meta("state_snapshot_chars")
        return int(value) if value else 0

    # -- articles -----------------------------------------------------------------------
    def has_identity(self, identity: str) -> bool:
        """True when an article with this identity (source + content) is already stored."""
        row = self.db.execute("SELECT 1 FROM articles WHERE identity = ?", (identity,)).fetchone()
        return row is not None

    def add_article(
        self,
        *,
        ext_id: str | None,
        source: str,
        published: datetime,
        title: str,
        body: str,
        boilerplate: Sequence[str],
        url: str | None,
        extra: dict[str, Any],
        origin: str,
        identity: str,
        content_hash: str,
        signature: bytes | None,
        duplicate_of: int | None,
        story_id: int | None,
        words: str,
        stems: str,
        canonical_url: str | None = None,
        agency: str | None = None,
        time_kind: str | None = None,
        article_id: int | None = None,
    ) -> int:
        """Insert one article and its full-text entry; returns its id: ``article_id`` (the
        one a batch's decisions refer to) or, without it, the highest id + 1.

        The id is always given explicitly, read inside the write transaction: a PostgreSQL
        sequence would not roll back with a killed batch, and the next batch's allocated
        ids would then differ from the stored ones.
        """
        if article_id is None:
            article_id = self.next_article_id()
        self.db.execute(
            "INSERT INTO articles (id, ext_id, source, published, title, body, boilerplate, url,"
            " extra, origin, identity, content_hash, signature, duplicate_of, story_id,"
            " ingested_at, canonical_url, agency, time_kind)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article_id,
                ext_id,
                source,
                published.isoformat(),
                title,
                body,
                json.dumps(list(boilerplate), ensure_ascii=False),
                url,
                json.dumps(extra, ensure_ascii=False, default=str),
                origin,
                identity,
                content_hash,
                signature,
                duplicate_of,
                story_id,
                datetime.now().isoformat(timespec="seconds"),
                canonical_url,
                agency,
                time_kind,
            ),
        )
        self.dialect.add_fts(self.db, [(article_id, words, stems)])
        return article_id

    def current_version(self, canonical_url: str) -> tuple[int, str, int | None] | None:
        """(id, identity, story id) of the live version of the article at a URL, if any."""
        row = self.db.execute(
            "SELECT id, identity, story_id FROM articles"
            " WHERE canonical_url = ? AND superseded_by IS NULL ORDER BY id DESC LIMIT 1",
            (canonical_url,),
        ).fetchone()
        return None if row is None else (int(row[0]), str(row[1]), row[2])

    def supersede(self, old_id: int, new_id: int) -> None:
        """Mark ``old_id`` as replaced by a newer version; stories and search skip it."""
        self.db.execute("UPDATE articles SET superseded_by = ? WHERE id = ?", (new_id, old_id))
        self.db.execute(
            "UPDATE stories SET dirty = 1, revision = revision + 1"
            " WHERE id = (SELECT story_id FROM articles WHERE id = ?)",
            (old_id,),
        )

    def article(self, article_id: int) -> StoredArticle | None:
        """Fetch one article."""
        row = self.db.execute(_ARTICLE_SELECT + " WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else _article(row)

    def articles(self, ids: Iterable[int]) -> list[StoredArticle]:
        """Fetch articles by id, in the order given."""
        wanted = list(ids)
        if not wanted:
            return []
        by_id: dict[int, StoredArticle] = {}
        for chunk_start in range(0, len(wanted), 500):
            chunk = wanted[chunk_start : chunk_start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(_ARTICLE_SELECT + f" WHERE id IN ({marks})", chunk):
                article = _article(row)
                by_id[article.id] = article
        return [by_id[i] for i in wanted if i in by_id]

    def story_articles(self, story_id: int) -> list[StoredArticle]:
        """All articles of a story (copies included), oldest first."""
        rows = self.db.execute(
            _ARTICLE_SELECT
            + " WHERE story_id = ? AND superseded_by IS NULL ORDER BY published, id",
            (story_id,),
        )
        return [_article(row) for row in rows]

    def recent_signatures(
        self, since: datetime, *, after_id: int = 0
    ) -> Iterator[tuple[int, str, bytes, datetime]]:
        """Representatives published since a date (and stored after article ``after_id``):
        (id, content hash, signature, published)."""
        rows = self.db.execute(
            "SELECT id, content_hash, signature, published FROM articles"
            " WHERE duplicate_of IS NULL AND superseded_by IS NULL AND signature IS NOT NULL"
            " AND published >= ? AND id > ?"
            " ORDER BY published, id",
            (since.isoformat(), after_id),
        )
        for article_id, content_hash, signature, published in rows:
            yield int(article_id), str(content_hash), bytes(signature), _parse_time(published)

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

    def max_article_id(self) -> int:
        """Highest article id in use (0 when there is none)."""
        return int(self.db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0])

    def max_story_id(self) -> int:
        """Highest story id in use (0 when there is none)."""
        return int(self.db.execute("SELECT coalesce(max(id), 0) FROM stories").fetchone()[0])

    def latest_published(self) -> datetime | None:
        """Publication time of the newest stored article."""
        row = self.db.execute("SELECT max(published) FROM articles").fetchone()
        return None if row is None or row[0] is None else _parse_time(row[0])

    def count(self, table: str) -> int:
        """Row count of ``articles`` or ``stories``."""
        if table not in {"articles", "stories"}:
            raise ValueError(f"unknown table {table!r}")
        return int(self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

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

    def iter_articles_for_reindex(self) -> Iterator[tuple[int, str, str]]:
        """(id, title, body) of every article, for rebuilding derived indexes."""
        for article_id, title, body in self.db.execute("SELECT id, title, body FROM articles"):
            yield int(article_id), str(title), str(body)

    def rebuild_fts(self, rows: Iterable[tuple[int, str, str]]) -> None:
        """Replace the whole full-text index with (id, words, stems) rows; one transaction."""
        with self.transaction():
            self.dialect.clear_fts(self.db)
            self.dialect.add_fts(self.db, rows)
            self.set_meta("normalizer_version", self.normalizer_version)
        self.reindex_needed = False

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
        _count_entities(self.db, wanted)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run a read-only query for views; each row is a dict keyed by column name."""
        cursor = self.db.execute(sql, params)
        names = [d[0] for d in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

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

    def data_version(self) -> int:
        """A number that changes whenever another connection commits (cheap to ask)."""
        return self.dialect.data_version(self.db)

    def story_revision(self, story_id: int) -> int | None:
        """The story's change counter (bumped by every write its page shows), or None."""
        row = self.db.execute("SELECT revision FROM stories WHERE id = ?", (story_id,)).fetchone()
        return None if row is None else int(row[0])

    def story_analysis(self, story_id: int) -> dict[str, Any] | None:
        """A story's outlet comparison and timeline, if built."""
        row = self.db.execute("SELECT analysis FROM stories WHERE id = ?", (story_id,)).fetchone()
        return None if row is None or row[0] is None else dict(json.loads(row[0]))

    def outlets(self) -> list[str]:
        """Every outlet with a stored article."""
        return [
            str(r[0]) for r in self.db.execute("SELECT DISTINCT source FROM articles ORDER BY 1")
        ]

    def outlets_active(self, since: datetime, until: datetime) -> list[str]:
        """Outlets with an article published between ``since`` and ``until`` (inclusive)."""
        rows = self.db.execute(
            "SELECT DISTINCT source FROM articles WHERE published BETWEEN ? AND ?"
            " AND superseded_by IS NULL ORDER BY 1",
            (since.isoformat(), until.isoformat()),
        )
        return [str(r[0]) for r in rows]

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

    # -- search -------------------------------------------------------------------------
    def fts_query(self, expression: str, *, limit: int, offset: int = 0) -> list[tuple[int, float]]:
        """Run an FTS5 MATCH expression; returns (article id, bm25 rank) best first."""
        try:
            if self.is_postgres:
                ranked = bm25_matches(self.db, expression)[offset : offset + limit]
                return [(int(r[0]), float(r[1])) for r in ranked]
            rows = self.db.execute(
                "SELECT rowid, bm25(articles_fts, 2.0, 1.0) AS rank FROM articles_fts"
                " WHERE articles_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?",
                (expression, limit, offset),
            ).fetchall()
        except (sqlite3.OperationalError, StoreError) as exc:
            raise StoreError(f"search expression not understood ({exc})") from exc
        return [(int(r[0]), float(r[1])) for r in rows]

    def fts_filtered(
        self,
        expression: str,
        *,
        since: str | None = None,
        until: str | None = None,
        source: str | None = None,
        story_id: int | None = None,
        limit: int,
        offset: int = 0,
    ) -> tuple[int, list[SearchRow]]:
        """Live articles matching an FTS5 expression inside optional filters, best first.

        ``since``/``until`` bound the publication time (ISO strings, inclusive). Returns the
        number of matching live articles (copies included) and one page of rows.
        """
        where = ["a.superseded_by IS NULL"]
        params: list[Any] = []
        for condition, value in (
            ("a.published >= ?", since),
            ("a.published <= ?", until),
            ("a.source = ?", source),
            ("a.story_id = ?", story_id),
        ):
            if value is not None:
                where.append(condition)
                params.append(value)
        try:
            if self.is_postgres:
                # bm25 ranks every match (as FTS5 does before its LIMIT); the page is cut here.
                ranked = bm25_matches(
                    self.db,
                    expression,
                    where="".join(f" AND {w}" for w in where),
                    params=params,
                    columns=("a.story_id", "a.duplicate_of"),
                )
                total, rows = len(ranked), ranked[offset : offset + limit]
            else:
                joined = (
                    "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
                    " WHERE articles_fts MATCH ? AND " + " AND ".join(where)
                )
                params = [expression, *params]
                total = int(self.db.execute(f"SELECT count(*) {joined}", params).fetchone()[0])
                rows = self.db.execute(
                    "SELECT a.id, bm25(articles_fts, 2.0, 1.0) AS rank, a.story_id,"
                    f" a.duplicate_of {joined} ORDER BY rank LIMIT ? OFFSET ?",
                    [*params, limit, offset],
                ).fetchall()
        except (sqlite3.OperationalError, StoreError) as exc:
            raise StoreError(f"search expression not understood ({exc})") from exc
        return total, [
            SearchRow(
                article_id=int(r[0]),
                rank=float(r[1]),
                story_id=None if r[2] is None else int(r[2]),
                duplicate_of=None if r[3] is None else int(r[3]),
            )
            for r in rows
        ]

    def ext_ids(self) -> dict[int, str]:
        """Article id -> input id of every stored article that has one."""
        rows = self.db.execute("SELECT id, ext_id FROM articles WHERE ext_id IS NOT NULL")
        return {int(article_id): str(ext_id) for article_id, ext_id in rows}

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
    def next_article_id(self) -> int:
        """The id the next stored article gets (call inside the write transaction)."""
        return self.max_article_id() + 1

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


@dataclass(frozen=True, slots=True)
class SearchRow:
    """One full-text match: the article, its bm25 rank, its story and the copy it is of."""

    article_id: int
    rank: float
    story_id: int | None
    duplicate_of: int | None


_ARTICLE_SELECT = (
    "SELECT id, ext_id, source, published, title, body, url, origin, duplicate_of, story_id,"
    " extra, boilerplate, superseded_by, agency, time_kind FROM articles"
)
_STORY_SELECT = (
    "SELECT id, title, first_seen, last_seen, n_articles, sources, summary, thread_id, breaking,"
    " burst, revision, n_passages FROM stories"
)


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _article(row: Sequence[Any]) -> StoredArticle:
    return StoredArticle(
        id=int(row[0]),
        ext_id=row[1],
        source=str(row[2]),
        published=_parse_time(row[3]),
        title=str(row[4]),
        body=str(row[5]),
        url=row[6],
        origin=str(row[7]),
        duplicate_of=None if row[8] is None else int(row[8]),
        story_id=None if row[9] is None else int(row[9]),
        extra=json.loads(row[10]),
        boilerplate=json.loads(row[11]),
        superseded_by=None if row[12] is None else int(row[12]),
        agency=row[13],
        time_kind=row[14],
    )


def _story(row: Sequence[Any]) -> StoredStory:
    return StoredStory(
        id=int(row[0]),
        title=str(row[1]),
        first_seen=None if row[2] is None else _parse_time(row[2]),
        last_seen=None if row[3] is None else _parse_time(row[3]),
        n_articles=int(row[4]),
        sources=json.loads(row[5]),
        summary=None if row[6] is None else json.loads(row[6]),
        thread_id=None if row[7] is None else int(row[7]),
        breaking=bool(row[8]),
        burst=float(row[9]),
        revision=int(row[10]),
        n_passages=int(row[11]),
    )
