"""Blocks written elsewhere, appended in bulk (``marsad backfill --blocks``).

A backfill block is clustered and written into a scratch store on a worker, after a
warm-up on the articles just before it (see :mod:`marsad.backfill.blocks`). Its scratch
store numbers everything from 1, and its warm-up articles are already in the target,
written by the block before. :meth:`BulkBlocks.export_block` reads what the block itself
added; :meth:`BulkBlocks.append_block` inserts those rows into the target in one
transaction, renumbered past the target's ids. When the driver can open the scratch file
(one host, or a shared folder), :meth:`BulkBlocks.append_scratch` does the same with the
file ATTACHed, one ``INSERT ... SELECT`` per table, the rows never leaving SQLite:

- a warm-up article is found in the target by its identity; a block's story that holds
  warm-up articles continues the target story of the earliest of them (the reconciliation
  rule, deterministic: it depends only on the block and the blocks before it);
- any other story, and every article the target lacks, gets the target's next id, in
  the scratch store's order (which is date order);
- an article the target holds already (a block appended twice, a resumed run) is not
  written again, nor are its extraction rows.

Story figures (articles, outlets, first and last seen, passages) are summed from the
appended rows, one statement per story; entity figures are recounted from all mentions
once, by :meth:`BulkBlocks.finish_blocks`. Both are what the per-article writes of
``write_batch`` would have left, for a small fraction of their statements.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from marsad.errors import StoreError
from marsad.store.articles import ArticlesAndSearch
from marsad.store.migrations import count_entities_from_mentions
from marsad.store.stories import StoriesAndThreads

# Rows hanging off one article: the id column is dropped (the target numbers them),
# ``article_id`` (and in passages ``story_id``) renumbered.
CHILD_TABLES = ("passages", "mentions", "statements", "numbers", "date_mentions")
KEYED_BY_ARTICLE = ("extracted_articles",)  # article_id is the primary key
ENTITY_TABLES = ("entity_stories", "entity_outlets", "entity_stats")  # pairs first (triggers)
APPENDED_TABLES = ("stories", "articles", *CHILD_TABLES, *KEYED_BY_ARTICLE)
BATCH_ROWS = 2_000  # rows per executemany
# Lead analyses of the appended articles, kept in the target until the backfill's summary
# tasks have read them (``drop_block_leads``): re-analysing the leads from the stored
# bodies was 46% of the summaries' cost.
LEADS_TABLE = "backfill_leads"
# A block's scratch store is thrown away once appended or copied, and a task that dies
# leaves a file nobody reads (its retry writes a new one): no journal on disk and no
# syncing. The journal stays in memory, not OFF, so a batch that fails half-way is still
# rolled back (``Pipeline.store_prepared`` writes the batch again without the record).
SCRATCH_PRAGMAS = (
    "journal_mode=MEMORY",
    "synchronous=OFF",
    "cache_size=-32768",  # KiB: a block's working set stays in the page cache
    "temp_store=MEMORY",
)
# Indexes no read on a block's path uses: the write looks articles up by identity (the
# table's UNIQUE key), canonical URL and id, stories by id; export and append read the
# rows by article id. Each of these would cost every insert or story update.
SCRATCH_UNREAD_INDEXES = (
    "articles_published",
    "articles_story",
    "articles_duplicate_of",
    "articles_source_live",
    "stories_last_seen",
    "stories_river",
    "stories_thread",
    "passages_story",
    "mentions_key",
    "statements_speaker",
    "entity_stats_rank",
)


@dataclass(slots=True)
class TableRows:
    """Rows of one table, with its column names."""

    columns: list[str]
    rows: list[tuple[Any, ...]]


@dataclass(slots=True)
class BlockRows:
    """What a block added to its scratch store, with the scratch store's ids."""

    # (id, identity, story_id, superseded_by) of every warm-up article, in id order
    warm_up: list[tuple[int, str, int | None, int | None]]
    articles: TableRows  # the block's own articles, in id (= date) order
    threads: dict[int, int | None]  # story id -> its thread (a story id), every story
    # (article id, start, end, story id) of the warm-up articles' passages, in id order
    warm_up_passages: list[tuple[int, int, int, int]] = field(default_factory=list)
    children: dict[str, TableRows] = field(default_factory=dict)  # rows of own articles
    fts: dict[str, tuple[str, str]] = field(default_factory=dict)  # identity -> words, stems
    # identity -> the lead analysis prepare made (JSON), read by the summary tasks
    leads: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class AppendedBlock:
    """What one append wrote."""

    articles: int = 0  # articles inserted
    already_stored: int = 0  # own articles the target held already
    new_stories: int = 0
    continued_stories: int = 0  # target stories the block added to
    story_map: dict[int, int] = field(default_factory=dict)  # scratch story id -> target's


@dataclass(slots=True)
class _StoryFigures:
    """What appended rows add to one story (the columns ``_widen_story`` keeps)."""

    articles: int = 0
    passages: int = 0
    sources: set[str] = field(default_factory=set)
    first: str | None = None
    last: str | None = None

    def widen(self, source: str, when: str, *, articles: int) -> None:
        self.articles += articles
        self.sources.add(source)
        self.first = when if self.first is None or when < self.first else self.first
        self.last = when if self.last is None or when > self.last else self.last


def remap_child_rows(
    table: str,
    rows: TableRows,
    fresh_ids: set[int],
    article_map: dict[int, int],
    story_map: dict[int, int],
) -> tuple[list[str], list[list[Any]]]:
    """The rows of one child table that belong to a block's fresh articles, with their
    article (and story) ids mapped to the target's; returns the columns kept and the rows.
    A table keyed by article keeps its ids; the others get the target's sequence."""
    keep = [name for name in rows.columns if table in KEYED_BY_ARTICLE or name != "id"]
    index = [rows.columns.index(name) for name in keep]
    at = keep.index("article_id")
    story_at = keep.index("story_id") if "story_id" in keep else None
    out = []
    for row in rows.rows:
        values = [row[i] for i in index]
        if int(values[at]) not in fresh_ids:
            continue
        values[at] = article_map[int(values[at])]
        if story_at is not None:
            values[story_at] = story_map[int(values[story_at])]
        out.append(values)
    return keep, out


class BulkBlocks(ArticlesAndSearch, StoriesAndThreads):
    """Mixin of :class:`marsad.store.store.Store`: export a block, append it elsewhere."""

    def make_scratch(self) -> None:
        """Set this fresh SQLite store up as a block's scratch store (on the worker): the
        settings and indexes above, and no search rows or entity figures (nothing on the
        worker reads them; the driver or the COPY writes both). What it stores is the
        same row for row; only how, and at what cost, changes."""
        if self.is_postgres:
            raise StoreError("a scratch store is a SQLite file")
        self.writes_search_and_entity_figures = False
        for pragma in SCRATCH_PRAGMAS:
            self.db.execute(f"PRAGMA {pragma}")
        for index in SCRATCH_UNREAD_INDEXES:
            self.db.execute(f"DROP INDEX IF EXISTS {index}")

    def export_block(self, first_own: int) -> BlockRows:
        """The rows of a scratch store's articles from id ``first_own`` on (the block's
        own; earlier ids are its warm-up), with what renumbering them needs.

        Raises:
            StoreError: the block merged stories (merges are not carried across blocks).
        """
        merged = self.db.execute("SELECT count(*) FROM story_redirects").fetchone()[0]
        if merged:
            raise StoreError("a backfill block merged stories; block mode needs merges off")
        warm_up = self._warm_up_articles("main", first_own)
        threads = {
            int(story): None if thread is None else int(thread)
            for story, thread in self.db.execute("SELECT id, thread_id FROM stories")
        }
        articles = self._table_rows("SELECT * FROM articles WHERE id >= ? ORDER BY id", first_own)
        children = {
            table: self._table_rows(
                f"SELECT * FROM {table} WHERE article_id >= ? ORDER BY article_id", first_own
            )
            for table in (*CHILD_TABLES, *KEYED_BY_ARTICLE)
            if self.has_table(table)
        }
        warm_up_passages = self._warm_up_passages("main", first_own)
        fts: dict[str, tuple[str, str]] = {}
        leads: dict[str, str] = {}
        if self.has_table("block_search"):  # kept by keep_block: the rows of a kept file
            for identity, words, stems, lead in self.db.execute(
                "SELECT a.identity, s.words, s.stems, s.leads FROM block_search s"
                " JOIN articles a ON a.id = s.article_id"
            ):
                fts[str(identity)] = (str(words), str(stems))
                if lead is not None:
                    leads[str(identity)] = str(lead)
        return BlockRows(warm_up, articles, threads, warm_up_passages, children, fts, leads)

    def _table_rows(self, sql: str, first_own: int) -> TableRows:
        cursor = self.db.execute(sql, (first_own,))
        columns = [str(d[0]) for d in cursor.description]
        return TableRows(columns, [tuple(row) for row in cursor.fetchall()])

    def append_block(self, block: BlockRows) -> AppendedBlock:
        """Insert a block's rows, renumbered past this store's ids, in one transaction
        (see the module docstring); an article stored already is skipped."""
        done = AppendedBlock()
        with self.transaction():
            self._append(block, done)
        return done

    def _append(self, block: BlockRows, done: AppendedBlock) -> None:
        columns = block.articles.columns
        mine = [str(d[0]) for d in self.db.execute("SELECT * FROM articles LIMIT 0").description]
        if sorted(columns) != sorted(mine):
            raise StoreError("the block's store and the target differ in version; upgrade both")
        col = {name: index for index, name in enumerate(columns)}
        known = self._stored_ids(
            [identity for _, identity, _, _ in block.warm_up]
            + [str(row[col["identity"]]) for row in block.articles.rows]
        )
        # Warm-up articles: their target ids; a story holding some continues the target
        # story of the earliest (warm-up rows are in id, that is date, order).
        story_map = done.story_map
        article_map = self._map_warm_up(block.warm_up, known, story_map)
        # Stories a warm-up roundup's passages opened (they hold no article): matched by
        # the passage's place in the same stored article.
        self._map_passage_stories(block.warm_up_passages, article_map, story_map)
        continued = set(story_map.values())
        next_article = self.max_article_id() + 1
        fresh: list[list[Any]] = []
        for row in block.articles.rows:
            identity = str(row[col["identity"]])
            if identity in known:  # appended before (a retried append, a resumed run)
                article_map[int(row[col["id"]])] = known[identity][0]
                done.already_stored += 1
                continue
            article_map[int(row[col["id"]])] = next_article
            next_article += 1
            fresh.append(list(row))
        # New stories: every story a fresh row or passage names (and their threads) that
        # no warm-up article placed, numbered in scratch order.
        passages = block.children.get("passages")
        fresh_ids = {int(row[col["id"]]) for row in fresh}
        named = {row[col["story_id"]] for row in fresh} - {None}
        if passages is not None:
            p_col = {name: i for i, name in enumerate(passages.columns)}
            named |= {
                row[p_col["story_id"]]
                for row in passages.rows
                if int(row[p_col["article_id"]]) in fresh_ids
            }
        next_story = self.max_story_id() + 1
        new_stories = []
        for story in sorted(int(s) for s in named if s not in story_map):
            story_map[story] = next_story
            new_stories.append((next_story,))
            next_story += 1
        # Before the articles that name them (foreign keys); figures are set below.
        self.db.executemany("INSERT INTO stories (id) VALUES (?)", new_stories)
        figures: dict[int, _StoryFigures] = {}
        self._append_articles(fresh, col, article_map, story_map, figures, block)
        self._append_children(block, fresh_ids, article_map, story_map, figures, fresh, col)
        self._write_story_figures(figures, continued, block.threads, story_map)
        done.articles = len(fresh)
        done.new_stories = len(new_stories)
        done.continued_stories = len(continued & figures.keys())

    @staticmethod
    def _map_warm_up(
        warm_up: list[tuple[int, str, int | None, int | None]],
        known: dict[str, tuple[int, int | None]],
        story_map: dict[int, int],
    ) -> dict[int, int]:
        """Scratch id -> target id of the warm-up articles stored already; a scratch story
        holding some continues the target story of the earliest (rows in id, that is date,
        order), recorded in ``story_map``."""
        article_map: dict[int, int] = {}
        for scratch_id, identity, story, _ in warm_up:
            found = known.get(identity)
            if found is None:
                continue
            article_map[scratch_id] = found[0]
            if story is not None and found[1] is not None and story not in story_map:
                story_map[story] = found[1]
        return article_map

    def _map_passage_stories(
        self,
        passages: list[tuple[int, int, int, int]],
        article_map: dict[int, int],
        story_map: dict[int, int],
    ) -> None:
        wanted = sorted({article_map[a] for a, *_ in passages if a in article_map})
        stored: dict[tuple[int, int, int], int] = {}
        for start in range(0, len(wanted), BATCH_ROWS):
            chunk = json.dumps(wanted[start : start + BATCH_ROWS])
            for article, first, last, story in self.db.execute(
                'SELECT article_id, start, "end", story_id FROM passages'
                " WHERE article_id IN (SELECT value FROM json_each(?))",
                (chunk,),
            ):
                stored[(int(article), int(first), int(last))] = int(story)
        for article, first, last, story in passages:
            target = article_map.get(article)
            found = None if target is None else stored.get((target, first, last))
            if found is not None and story not in story_map:
                story_map[story] = found

    def _stored_ids(self, identities: list[str]) -> dict[str, tuple[int, int | None]]:
        """identity -> (id, story id) of those stored here."""
        found: dict[str, tuple[int, int | None]] = {}
        for start in range(0, len(identities), BATCH_ROWS):
            chunk = json.dumps(identities[start : start + BATCH_ROWS], ensure_ascii=False)
            for article_id, story, identity in self.db.execute(
                "SELECT id, story_id, identity FROM articles"
                " WHERE identity IN (SELECT value FROM json_each(?))",
                (chunk,),
            ):
                found[str(identity)] = (int(article_id), None if story is None else int(story))
        return found

    def _append_articles(
        self,
        fresh: list[list[Any]],
        col: dict[str, int],
        article_map: dict[int, int],
        story_map: dict[int, int],
        figures: dict[int, _StoryFigures],
        block: BlockRows,
    ) -> None:
        # A newer version of an article is not counted in its story again (write_batch
        # supersedes instead of touching): the articles some row names as superseding it.
        superseding = {row[3] for row in block.warm_up} | {
            row[col["superseded_by"]] for row in block.articles.rows
        }
        later: list[tuple[int, int]] = []  # (row, the newer version): set once both exist
        fts: list[tuple[int, str, str]] = []
        for row in fresh:
            scratch_id = int(row[col["id"]])
            row[col["id"]] = article_map[scratch_id]
            duplicate = row[col["duplicate_of"]]
            row[col["duplicate_of"]] = None if duplicate is None else article_map.get(duplicate)
            story = row[col["story_id"]]
            row[col["story_id"]] = None if story is None else story_map[story]
            newer = row[col["superseded_by"]]
            if newer is not None and newer in article_map:
                later.append((row[col["id"]], article_map[newer]))
            row[col["superseded_by"]] = None
            if story is not None and scratch_id not in superseding:
                figures.setdefault(story_map[story], _StoryFigures()).widen(
                    row[col["source"]], row[col["published"]], articles=1
                )
            terms = block.fts.get(str(row[col["identity"]]))
            if terms is not None:
                fts.append((row[col["id"]], *terms))
        self._insert_rows("articles", block.articles.columns, fresh)
        self.add_block_leads(
            [
                (row[col["id"]], block.leads[str(row[col["identity"]])])
                for row in fresh
                if str(row[col["identity"]]) in block.leads
            ]
        )
        # Warm-up articles the block's own articles replaced, then the block's own.
        for scratch_id, _, _, newer in block.warm_up:
            if newer is not None and scratch_id in article_map and newer in article_map:
                later.append((article_map[scratch_id], article_map[newer]))
        if later:
            self.db.executemany(
                "UPDATE articles SET superseded_by = ? WHERE id = ? AND superseded_by IS NULL",
                [(newer, older) for older, newer in later],
            )
        if fts:
            self.dialect.add_fts(self.db, fts)

    def _append_children(
        self,
        block: BlockRows,
        fresh_ids: set[int],
        article_map: dict[int, int],
        story_map: dict[int, int],
        figures: dict[int, _StoryFigures],
        fresh: list[list[Any]],
        col: dict[str, int],
    ) -> None:
        outlet = {row[col["id"]]: (row[col["source"]], row[col["published"]]) for row in fresh}
        for table, rows in block.children.items():
            keep, out = remap_child_rows(table, rows, fresh_ids, article_map, story_map)
            if "story_id" in keep:  # a passage reports this story too
                at, story_at = keep.index("article_id"), keep.index("story_id")
                for values in out:
                    source, when = outlet[values[at]]
                    figure = figures.setdefault(values[story_at], _StoryFigures())
                    figure.passages += 1
                    figure.widen(source, when, articles=0)
            self._insert_rows(table, keep, out)

    def _insert_rows(self, table: str, columns: list[str], rows: list[Any]) -> None:
        """Insert rows: COPY on PostgreSQL (one stream instead of a round trip per batch
        of statements), ``executemany`` on SQLite (in process: nothing to save)."""
        names = [f'"{c}"' for c in columns]
        if self.is_postgres:
            self.db.copy_rows(table, names, rows)
            return
        marks = ", ".join("?" * len(columns))
        for start in range(0, len(rows), BATCH_ROWS):
            self.db.executemany(
                f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})",
                rows[start : start + BATCH_ROWS],
            )

    def _write_story_figures(
        self,
        figures: dict[int, _StoryFigures],
        continued: set[int],
        threads: dict[int, int | None],
        story_map: dict[int, int],
    ) -> None:
        # A thread is named by its first story; one this block did not place (a warm-up
        # story the target lacks) leaves the story standing for itself.
        thread_of = {story_map[s]: t for s, t in threads.items() if s in story_map}
        for story, figure in figures.items():
            sources = figure.sources
            first, last = figure.first, figure.last
            if story in continued:
                row = self.db.execute(
                    "SELECT sources, first_seen, last_seen FROM stories WHERE id = ?", (story,)
                ).fetchone()
                if row is not None:
                    sources = sources | set(json.loads(row[0]))
                    first = min(x for x in (first, row[1]) if x is not None)
                    last = max(x for x in (last, row[2]) if x is not None)
                self.db.execute(
                    "UPDATE stories SET n_articles = n_articles + ?, n_passages = n_passages + ?,"
                    " sources = ?, first_seen = ?, last_seen = ?, dirty = 1,"
                    " revision = revision + 1 WHERE id = ?",
                    (
                        figure.articles,
                        figure.passages,
                        json.dumps(sorted(sources), ensure_ascii=False),
                        first,
                        last,
                        story,
                    ),
                )
            else:
                thread = thread_of.get(story)
                self.db.execute(
                    "UPDATE stories SET n_articles = ?, n_passages = ?, sources = ?,"
                    " first_seen = ?, last_seen = ?, thread_id = ? WHERE id = ?",
                    (
                        figure.articles,
                        figure.passages,
                        json.dumps(sorted(sources), ensure_ascii=False),
                        first,
                        last,
                        None if thread is None else story_map.get(thread),
                        story,
                    ),
                )

    # -- a scratch file attached, copied in the engine ----------------------------------

    def keep_block(
        self,
        first_own: int,
        fts: dict[str, tuple[str, str]],
        leads: dict[str, str] | None = None,
    ) -> None:
        """Leave in this scratch store what :meth:`append_scratch` needs besides its rows:
        where the block's own articles start, their search terms (the full-text table is
        contentless, so they cannot be read back from it) and their lead analyses
        (identity -> JSON, for the summary tasks).

        Raises:
            StoreError: the block merged stories (merges are not carried across blocks).
        """
        merged = self.db.execute("SELECT count(*) FROM story_redirects").fetchone()[0]
        if merged:
            raise StoreError("a backfill block merged stories; block mode needs merges off")
        with self.transaction():
            self.db.execute("CREATE TABLE block_meta (first_own INTEGER NOT NULL)")
            self.db.execute("INSERT INTO block_meta VALUES (?)", (first_own,))
            self.db.execute(
                "CREATE TABLE block_search"
                " (article_id INTEGER PRIMARY KEY, words TEXT, stems TEXT, leads TEXT)"
            )
            ids = self.db.execute(
                "SELECT id, identity FROM articles WHERE id >= ?", (first_own,)
            ).fetchall()
            leads = leads or {}
            self.db.executemany(
                "INSERT INTO block_search VALUES (?, ?, ?, ?)",
                [
                    (int(i), *fts[str(identity)], leads.get(str(identity)))
                    for i, identity in ids
                    if str(identity) in fts
                ],
            )

    def export_kept(self) -> BlockRows:
        """:meth:`export_block` of a scratch store left by :meth:`keep_block` (its rows, as
        a worker that cannot share the file would send them)."""
        first_own = int(self.db.execute("SELECT first_own FROM block_meta").fetchone()[0])
        return self.export_block(first_own)

    def append_scratch(self, path: str) -> AppendedBlock:
        """:meth:`append_block` of a scratch store left by :meth:`keep_block` at ``path``,
        attached to this SQLite store: the ids are mapped here as there (the rules of the
        module docstring), but the rows are copied by ``INSERT ... SELECT``, one statement
        per table, without passing through Python. An article stored already is skipped.
        """
        if self.is_postgres:
            raise StoreError("a scratch block attaches to a SQLite store only")
        done = AppendedBlock()
        self.db.execute("ATTACH DATABASE ? AS block", (path,))
        try:
            with self.transaction():
                self._append_attached(done)
                for name in ("block_fresh", "block_article_map", "block_story_map"):
                    self.db.execute(f"DROP TABLE temp.{name}")
        finally:
            self.db.execute("DETACH DATABASE block")
        return done

    def _warm_up_articles(
        self, schema: str, first_own: int
    ) -> list[tuple[int, str, int | None, int | None]]:
        """``(id, identity, story, superseded_by)`` of a scratch store's warm-up articles (ids
        below ``first_own``), read from ``schema``: ``main`` on the worker, ``block`` attached."""
        return [
            (int(i), str(identity), story, superseded)
            for i, identity, story, superseded in self.db.execute(
                f"SELECT id, identity, story_id, superseded_by FROM {schema}.articles"
                " WHERE id < ? ORDER BY id",
                (first_own,),
            )
        ]

    def _warm_up_passages(self, schema: str, first_own: int) -> list[tuple[int, int, int, int]]:
        """``(article, start, end, story)`` of the warm-up articles' roundup passages."""
        return [
            (int(a), int(start), int(end), int(story))
            for a, start, end, story in self.db.execute(
                f'SELECT article_id, start, "end", story_id FROM {schema}.passages'
                " WHERE article_id < ? ORDER BY article_id, id",
                (first_own,),
            )
        ]

    def _append_attached(self, done: AppendedBlock) -> None:
        mine = self._columns("main", "articles")
        if sorted(self._columns("block", "articles")) != sorted(mine):
            raise StoreError("the block's store and the target differ in version; upgrade both")
        first_own = int(self.db.execute("SELECT first_own FROM block.block_meta").fetchone()[0])
        warm_up = self._warm_up_articles("block", first_own)
        own = self.db.execute(
            "SELECT id, identity, story_id, superseded_by, source, published"
            " FROM block.articles WHERE id >= ? ORDER BY id",
            (first_own,),
        ).fetchall()
        known = {
            str(identity): (int(i), None if story is None else int(story))
            for identity, i, story in self.db.execute(
                "SELECT b.identity, m.id, m.story_id FROM block.articles b"
                " JOIN main.articles m ON m.identity = b.identity"
            )
        }
        story_map = done.story_map
        article_map = self._map_warm_up(warm_up, known, story_map)
        warm_up_passages = self._warm_up_passages("block", first_own)
        self._map_passage_stories(warm_up_passages, article_map, story_map)
        continued = set(story_map.values())
        next_article = self.max_article_id() + 1
        fresh: list[tuple[int, int]] = []  # (scratch id, target id)
        outlet: dict[int, tuple[str, str]] = {}  # scratch id -> (source, published)
        for scratch_id, identity, _, _, source, published in own:
            if str(identity) in known:  # appended before (a retried append, a resumed run)
                article_map[int(scratch_id)] = known[str(identity)][0]
                done.already_stored += 1
                continue
            article_map[int(scratch_id)] = next_article
            fresh.append((int(scratch_id), next_article))
            outlet[int(scratch_id)] = (source, published)
            next_article += 1
        passages = [
            (int(a), int(story))
            for a, story in self.db.execute(
                "SELECT article_id, story_id FROM block.passages WHERE article_id >= ?"
                " ORDER BY article_id, id",
                (first_own,),
            )
            if int(a) in outlet
        ]
        named = {int(row[2]) for row in own if int(row[0]) in outlet and row[2] is not None}
        named |= {story for _, story in passages}
        next_story = self.max_story_id() + 1
        new_stories = []
        for story in sorted(s for s in named if s not in story_map):
            story_map[story] = next_story
            new_stories.append((next_story,))
            next_story += 1
        self.db.executemany("INSERT INTO stories (id) VALUES (?)", new_stories)
        # The maps as temporary tables, for the copies below to join.
        self.db.execute("CREATE TEMP TABLE block_fresh (scratch INTEGER PRIMARY KEY, target INT)")
        self.db.execute(
            "CREATE TEMP TABLE block_article_map (scratch INTEGER PRIMARY KEY, target INT)"
        )
        self.db.execute(
            "CREATE TEMP TABLE block_story_map (scratch INTEGER PRIMARY KEY, target INT)"
        )
        self.db.executemany("INSERT INTO temp.block_fresh VALUES (?, ?)", fresh)
        self.db.executemany(
            "INSERT INTO temp.block_article_map VALUES (?, ?)", list(article_map.items())
        )
        self.db.executemany(
            "INSERT INTO temp.block_story_map VALUES (?, ?)", list(story_map.items())
        )
        self._copy_articles(mine)
        self._copy_children()
        self.db.execute(
            "INSERT INTO articles_fts (rowid, words, stems) SELECT f.target, s.words, s.stems"
            " FROM block.block_search s JOIN temp.block_fresh f ON f.scratch = s.article_id"
            " ORDER BY s.article_id"
        )
        self.make_block_leads()
        self.db.execute(
            f"INSERT INTO {LEADS_TABLE} (article_id, leads) SELECT f.target, s.leads"
            " FROM block.block_search s JOIN temp.block_fresh f ON f.scratch = s.article_id"
            " WHERE s.leads IS NOT NULL ORDER BY s.article_id"
        )
        # A newer version supersedes an older one (set once both exist); a newer version
        # is not counted in its story again.
        superseding = {row[3] for row in warm_up} | {row[3] for row in own}
        later = [  # (newer, older) in target ids: the block's fresh rows, then warm-up rows
            (article_map[int(newer)], article_map[int(old)])
            for old, _, _, newer, *_ in [*(r for r in own if int(r[0]) in outlet), *warm_up]
            if newer is not None and int(old) in article_map and int(newer) in article_map
        ]
        if later:
            self.db.executemany(
                "UPDATE articles SET superseded_by = ? WHERE id = ? AND superseded_by IS NULL",
                later,
            )
        figures: dict[int, _StoryFigures] = {}
        for scratch_id, _, story, _, source, published in own:
            if int(scratch_id) in outlet and story is not None and scratch_id not in superseding:
                figures.setdefault(story_map[int(story)], _StoryFigures()).widen(
                    source, published, articles=1
                )
        for article, story in passages:
            source, when = outlet[article]
            figure = figures.setdefault(story_map[story], _StoryFigures())
            figure.passages += 1
            figure.widen(source, when, articles=0)
        threads = {
            int(story): None if thread is None else int(thread)
            for story, thread in self.db.execute("SELECT id, thread_id FROM block.stories")
        }
        self._write_story_figures(figures, continued, threads, story_map)
        done.articles = len(fresh)
        done.new_stories = len(new_stories)
        done.continued_stories = len(continued & figures.keys())

    def _columns(self, schema: str, table: str) -> list[str]:
        return [str(row[1]) for row in self.db.execute(f"PRAGMA {schema}.table_info({table})")]

    def _copy_articles(self, columns: list[str]) -> None:
        renumbered = {
            "id": "f.target",
            "duplicate_of": "(SELECT target FROM temp.block_article_map WHERE scratch"
            " = a.duplicate_of)",
            "story_id": "(SELECT target FROM temp.block_story_map WHERE scratch = a.story_id)",
            "superseded_by": "NULL",  # set below, once both versions are stored
        }
        names = ", ".join(f'"{c}"' for c in columns)
        values = ", ".join(renumbered.get(c, f'a."{c}"') for c in columns)
        self.db.execute(
            f"INSERT INTO main.articles ({names}) SELECT {values} FROM block.articles a"
            " JOIN temp.block_fresh f ON f.scratch = a.id ORDER BY a.id"
        )

    def _copy_children(self) -> None:
        for table in (*CHILD_TABLES, *KEYED_BY_ARTICLE):
            if not self.has_table(table):
                continue
            columns = self._columns("block", table)
            keyed = table in KEYED_BY_ARTICLE
            keep = [c for c in columns if keyed or c != "id"]
            renumbered = {
                "article_id": "f.target",
                "story_id": "(SELECT target FROM temp.block_story_map WHERE scratch = t.story_id)",
            }
            names = ", ".join(f'"{c}"' for c in keep)
            values = ", ".join(renumbered.get(c, f't."{c}"') for c in keep)
            order = "t.article_id" if keyed else "t.article_id, t.id"
            self.db.execute(
                f"INSERT INTO main.{table} ({names}) SELECT {values} FROM block.{table} t"
                f" JOIN temp.block_fresh f ON f.scratch = t.article_id ORDER BY {order}"
            )

    # -- lead analyses, from the blocks to the summary tasks -----------------------------

    def make_block_leads(self) -> None:
        """The table of appended articles' lead analyses (see ``LEADS_TABLE``)."""
        self.db.execute(
            f"CREATE TABLE IF NOT EXISTS {LEADS_TABLE}"
            " (article_id INTEGER PRIMARY KEY, leads TEXT NOT NULL)"
        )

    def add_block_leads(self, rows: list[tuple[int, str]]) -> None:
        """Keep ``(article id, lead analysis JSON)`` rows for the summary tasks."""
        if rows:
            self.make_block_leads()
            self._insert_rows(LEADS_TABLE, ["article_id", "leads"], rows)

    def block_leads(self, story_ids: list[int]) -> dict[int, str]:
        """article id -> kept lead analysis (JSON) of the articles of these stories."""
        if not story_ids or not self.has_table(LEADS_TABLE):
            return {}
        found: dict[int, str] = {}
        for start in range(0, len(story_ids), BATCH_ROWS):
            chunk = json.dumps(story_ids[start : start + BATCH_ROWS])
            for article_id, leads in self.db.execute(
                f"SELECT a.id, l.leads FROM articles a JOIN {LEADS_TABLE} l"
                " ON l.article_id = a.id"
                " WHERE a.story_id IN (SELECT value FROM json_each(?))",
                (chunk,),
            ):
                found[int(article_id)] = str(leads)
        return found

    def drop_block_leads(self) -> None:
        """Forget the kept lead analyses (the summaries are written)."""
        with self.transaction():
            self.db.execute(f"DROP TABLE IF EXISTS {LEADS_TABLE}")

    def finish_blocks(self, *, recount: bool = True) -> None:
        """After the last append: entity figures recounted from all live mentions (one
        aggregate instead of a few writes per article), and the next ids handed out made
        to follow the appended ones. ``recount=False``: the figures were counted block by
        block already (``relink_block``); only the ids."""
        if not recount:
            self.dialect.after_bulk_copy(self.db, APPENDED_TABLES)
            return
        with self.transaction():
            if self.is_postgres:
                # The tables were filled in bulk since the server last looked: without fresh
                # statistics it plans the recount's joins as over empty tables (5,000
                # articles: 15-27 ms of wall time per article without, 0.45 with).
                for table in ("articles", "mentions", *ENTITY_TABLES):
                    self.db.execute_raw(f"ANALYZE {table}")
            for table in ENTITY_TABLES:
                self.db.execute(f"DELETE FROM {table}")
            count_entities_from_mentions(self.db)
            # An entity is named as it was first written (count_entities keeps the first
            # article's spelling; the recount above takes the largest). By article, then
            # mention: blocks written in parallel number their mentions in commit order.
            self.db.execute(
                "UPDATE entity_stats SET name = (SELECT m.canonical FROM mentions m"
                " WHERE m.key = entity_stats.key ORDER BY m.article_id, m.id LIMIT 1)"
            )
        self.dialect.after_bulk_copy(self.db, APPENDED_TABLES)
