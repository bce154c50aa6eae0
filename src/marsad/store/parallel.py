"""Blocks written straight into a PostgreSQL target by the workers, in parallel.

``marsad backfill --blocks`` into PostgreSQL: each block task clusters its block in a
scratch store as before (:mod:`marsad.backfill.blocks`), then COPYs what the block itself
added into the target, in ONE transaction of its own, beside the other blocks' (no writer
lock: the blocks never touch the same rows). Nothing is renumbered afterwards, because
every id a block writes comes from ranges the driver handed out when it planned the job
(:meth:`ParallelBlocks.start_job`):

- articles: one id per own article of the block (the plan knows the count);
- stories: at most ``STORY_IDS_PER_ARTICLE`` per own article (a block that needs more
  fails instead of colliding with the next);
- mentions, statements, numbers, passages, search rows: the tables' own sequences
  (nothing outside the block refers to them).

What a block cannot know, because an earlier block may not be written yet, waits in two
small tables for the driver: the **links** of each story that holds warm-up articles (it
may continue the stored story of the earliest of them: the reconciliation rule of
:mod:`marsad.store.bulk`) and the **refs** from its rows to warm-up articles (a copy of
one, a newer version of one). The driver applies them block by block in date order
(:meth:`ParallelBlocks.relink_block`): a provisional story that continues a stored one
is merged into it (articles and passages re-pointed, figures added, a redirect left from
its id), so the work is bounded by the block's continuing stories and references, never a
scan of the store.

Idempotence: the block's row in ``backfill_blocks``, keyed by (job, block), is inserted in
the same transaction as its rows. A task run again (a retry, a duplicated task, a worker
lost after its commit) finds the key and writes nothing; two running at once both try to
insert it, and the second waits for the first and then finds it taken. A worker killed
before its commit leaves nothing: the server rolls the transaction back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from marsad.errors import StoreError
from marsad.store.bulk import (
    LEADS_TABLE,
    BlockRows,
    BulkBlocks,
    _StoryFigures,
    remap_child_rows,
)
from marsad.store.migrations import count_entities_from_mentions
from marsad.store.postgres import fts_copy_text, fts_row
from marsad.store.redirects import StoryRedirects

STORY_IDS_PER_ARTICLE = 4  # story ids reserved per own article: its story, and stories its
# roundup passages open (the July dev pool: 0.58 stories per article)
REF_FIELDS = ("duplicate_of", "superseded_by")  # article columns a ref may set
SAMPLE_KEYS_PER_RANGE = 100  # sampled keys per recount range, at least, to cut ranges evenly


@dataclass(frozen=True, slots=True)
class BlockTarget:
    """Where one block task writes: the target's URL and the block's id ranges."""

    url: str
    job: str
    block: int
    first_article: int
    n_articles: int
    first_story: int
    n_stories: int


@dataclass(slots=True)
class ParallelWrite:
    """What one block task wrote into the target."""

    written: bool  # False: the block was written before (its key was there)
    articles: int = 0
    already_stored: int = 0  # own articles the target held already
    stories: int = 0  # story rows written (provisional ones included)
    provisional: int = 0  # stories that may continue an earlier block's
    story_map: dict[int, int] = field(default_factory=dict)  # scratch story -> target id
    # The last block: (identity, scratch story) of warm-up articles whose story it did not
    # write, so the driver can name those stories in the saved clustering state.
    warm_up_stories: list[tuple[str, int]] = field(default_factory=list)


@dataclass(slots=True)
class RelinkedBlock:
    """What the driver did at one block's start."""

    continued: dict[int, int] = field(default_factory=dict)  # provisional id -> stored story
    dropped: int = 0  # provisional stories that only named a thread and continued nothing
    refs: int = 0  # references to earlier blocks' articles set
    already: bool = False  # relinked before


class ParallelBlocks(BulkBlocks, StoryRedirects):
    """Mixin of :class:`marsad.store.store.Store`: blocks COPYed by the workers, relinked
    by the driver (PostgreSQL targets)."""

    def start_job(self, job: str) -> tuple[int, int]:
        """The first article and story id of ``job``'s ranges (past this store's highest
        ids), reserved on its first start and read back on the next (a restarted driver
        reuses them). Nothing else may write the store until the job has finished."""
        with self.transaction():
            first_article = self.max_article_id() + 1
            first_story = self.max_story_id() + 1
            self.db.execute(
                "INSERT OR IGNORE INTO backfill_jobs (job, first_article, first_story)"
                " VALUES (?, ?, ?)",
                (job, first_article, first_story),
            )
            row = self.db.execute(
                "SELECT first_article, first_story FROM backfill_jobs WHERE job = ?", (job,)
            ).fetchone()
            self.make_block_leads()  # here: blocks creating it at once would collide
        return int(row[0]), int(row[1])

    def stories_of(self, identities: list[str]) -> dict[str, int]:
        """identity -> story id of the stored articles among ``identities`` that have one."""
        return {
            identity: story
            for identity, (_, story) in self._stored_ids(identities).items()
            if story is not None
        }

    # -- on a worker ------------------------------------------------------------------

    def write_block_rows(self, block: BlockRows, target: BlockTarget) -> ParallelWrite:
        """COPY a block's own rows (from its scratch store's ``export_block``) into this
        store in one transaction, with ids from ``target``'s ranges; nothing when the block
        was written before (see the module docstring).

        Raises:
            StoreError: not PostgreSQL, or the block needs more ids than reserved.
        """
        if not self.is_postgres:
            raise StoreError("blocks are written in parallel into PostgreSQL only")
        db = self.db
        db.execute("BEGIN")  # no writer lock: blocks write disjoint rows
        try:
            done = self._write_block_rows(block, target)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        if not done.written:
            db.execute("ROLLBACK")
            return done
        db.execute("COMMIT")
        self.dialect.after_commit(db)
        return done

    def _write_block_rows(self, block: BlockRows, target: BlockTarget) -> ParallelWrite:
        db = self.db
        key = (target.job, target.block)
        if db.execute("SELECT 1 FROM backfill_blocks WHERE job = ? AND block = ?", key).fetchone():
            return self._written_before(block, target)
        # Taken now: a twin task running at once waits here until this one ends.
        claimed = db.execute(
            "INSERT INTO backfill_blocks (job, block, first_article, last_article, articles,"
            " stories, fts_rows, fts_tokens) VALUES (?, ?, ?, ?, 0, 0, 0, 0)"
            " ON CONFLICT DO NOTHING RETURNING block",
            (*key, target.first_article, target.first_article + target.n_articles - 1),
        ).fetchone()
        if claimed is None:
            return self._written_before(block, target)
        done = ParallelWrite(written=True)
        columns = block.articles.columns
        col = {name: index for index, name in enumerate(columns)}
        own = block.articles.rows
        known = self._stored_ids([str(row[col["identity"]]) for row in own])
        if len(own) > target.n_articles:
            raise StoreError(
                f"block {target.block}: {len(own)} articles, {target.n_articles} ids reserved"
            )
        # Own articles: the next id of the range, in date order; one the store holds keeps
        # its id and is not written again.
        article_map: dict[int, int] = {}
        fresh: list[list[Any]] = []
        for position, row in enumerate(own):
            identity = str(row[col["identity"]])
            if identity in known:
                article_map[int(row[col["id"]])] = known[identity][0]
                done.already_stored += 1
                continue
            article_map[int(row[col["id"]])] = target.first_article + position
            fresh.append(list(row))
        warm_identity = {scratch: identity for scratch, identity, _, _ in block.warm_up}
        fresh_passages, p_col = _fresh_passages(block, fresh, col)
        written = _written_stories(block, fresh, col, fresh_passages, p_col)
        if len(written) > target.n_stories:
            raise StoreError(
                f"block {target.block}: {len(written)} stories, {target.n_stories} ids reserved"
            )
        story_map = {story: target.first_story + rank for rank, story in enumerate(written)}
        done.story_map = story_map
        # Links: every warm-up article (then passage) of a written story, in date order.
        links: list[tuple[Any, ...]] = []
        for _, identity, story, _ in block.warm_up:
            if story is not None and int(story) in story_map:
                links.append((*key, story_map[int(story)], len(links), identity, None, None))
        for article, start, end, story in block.warm_up_passages:
            if story in story_map and article in warm_identity:
                links.append(
                    (*key, story_map[story], len(links), warm_identity[article], start, end)
                )
        done.provisional = len({link[2] for link in links})
        # Figures of the written stories, from the fresh rows (a newer version of an
        # article is not counted again; the driver adds a continuing story's to the story
        # it continues).
        superseding = {row[3] for row in block.warm_up} | {row[col["superseded_by"]] for row in own}
        figures = {story_map[s]: _StoryFigures() for s in written}
        outlet: dict[int, tuple[str, str]] = {}
        for values in fresh:
            scratch = int(values[col["id"]])
            outlet[scratch] = (values[col["source"]], values[col["published"]])
            story = values[col["story_id"]]
            if story is not None and scratch not in superseding:
                figures[story_map[int(story)]].widen(*outlet[scratch], articles=1)
        for r in fresh_passages:
            figure = figures[story_map[int(r[p_col["story_id"]])]]
            figure.passages += 1
            figure.widen(*outlet[int(r[p_col["article_id"]])], articles=0)
        self.db.copy_rows(
            "stories",
            ("id", "n_articles", "n_passages", "sources", "first_seen", "last_seen", "thread_id"),
            (
                (
                    story_map[s],
                    figures[story_map[s]].articles,
                    figures[story_map[s]].passages,
                    json.dumps(sorted(figures[story_map[s]].sources), ensure_ascii=False),
                    figures[story_map[s]].first,
                    figures[story_map[s]].last,
                    story_map.get(block.threads.get(s)),  # type: ignore[arg-type]
                )
                for s in written
            ),
        )
        fresh_ids = {int(row[col["id"]]) for row in fresh}  # scratch ids: before the rewrite
        refs = self._write_articles(block, fresh, col, article_map, story_map, warm_identity)
        self._write_children(block, fresh_ids, article_map, story_map)
        fts_rows, fts_tokens = self._write_search(block, fresh, col)
        db = self.db
        db.copy_rows(
            "backfill_links",
            ("job", "block", "story_id", "seq", "identity", "start", '"end"'),
            links,
        )
        db.copy_rows(
            "backfill_refs",
            ("job", "block", "seq", "identity", "field", "ref_identity"),
            [(*key, seq, *ref) for seq, ref in enumerate(refs)],
        )
        db.execute(
            "UPDATE backfill_blocks SET articles = ?, stories = ?, fts_rows = ?, fts_tokens = ?"
            " WHERE job = ? AND block = ?",
            (len(fresh), len(written), fts_rows, fts_tokens, *key),
        )
        done.articles = len(fresh)
        done.stories = len(written)
        return done

    def _written_before(self, block: BlockRows, target: BlockTarget) -> ParallelWrite:
        """What an earlier run of this block task wrote (its key is taken): its story map
        and story count, rebuilt as that run made them, so a task whose worker was lost
        after its commit still gives the driver the last block's stories for the saved
        clustering state. The run's own articles are those stored at their place in the
        block's id range (an article stored before the block kept its older id)."""
        col = {name: index for index, name in enumerate(block.articles.columns)}
        own = block.articles.rows
        known = self._stored_ids([str(row[col["identity"]]) for row in own])
        fresh = [
            list(row)
            for position, row in enumerate(own)
            if known.get(str(row[col["identity"]]), (None,))[0] == target.first_article + position
        ]
        fresh_passages, p_col = _fresh_passages(block, fresh, col)
        written = _written_stories(block, fresh, col, fresh_passages, p_col)
        return ParallelWrite(
            written=False,
            stories=len(written),
            story_map={story: target.first_story + rank for rank, story in enumerate(written)},
        )

    def _write_articles(
        self,
        block: BlockRows,
        fresh: list[list[Any]],
        col: dict[str, int],
        article_map: dict[int, int],
        story_map: dict[int, int],
        warm_identity: dict[int, str],
    ) -> list[tuple[str, str, str]]:
        """COPY the fresh articles; returns the refs to warm-up articles it could not set,
        ``(identity, field, identity it names)``, for the driver."""
        refs: list[tuple[str, str, str]] = []
        later: list[tuple[int, int]] = []  # (newer, older) both in this block
        for row in fresh:
            identity = str(row[col["identity"]])
            row[col["id"]] = article_map[int(row[col["id"]])]
            duplicate = row[col["duplicate_of"]]
            row[col["duplicate_of"]] = None
            if duplicate is not None:
                if int(duplicate) in article_map:
                    row[col["duplicate_of"]] = article_map[int(duplicate)]
                elif int(duplicate) in warm_identity:
                    refs.append((identity, "duplicate_of", warm_identity[int(duplicate)]))
            story = row[col["story_id"]]
            row[col["story_id"]] = None if story is None else story_map[int(story)]
            newer = row[col["superseded_by"]]
            row[col["superseded_by"]] = None  # set below, once both versions are stored
            if newer is not None:
                if int(newer) in article_map:
                    later.append((article_map[int(newer)], row[col["id"]]))
                elif int(newer) in warm_identity:
                    refs.append((identity, "superseded_by", warm_identity[int(newer)]))
        self.db.copy_rows("articles", [f'"{c}"' for c in block.articles.columns], fresh)
        own_identity = {
            int(row[col["id"]]): str(row[col["identity"]]) for row in block.articles.rows
        }
        # Warm-up articles that a newer version replaced: set once they are in the target.
        for _, identity, _, newer in block.warm_up:
            if newer is None:
                continue
            named = own_identity.get(int(newer)) or warm_identity.get(int(newer))
            if named is not None:
                refs.append((identity, "superseded_by", named))
        if later:
            self.db.executemany(
                "UPDATE articles SET superseded_by = ? WHERE id = ? AND superseded_by IS NULL",
                later,
            )
        return refs

    def _write_children(
        self,
        block: BlockRows,
        fresh_ids: set[int],
        article_map: dict[int, int],
        story_map: dict[int, int],
    ) -> None:
        for table, rows in block.children.items():
            keep, out = remap_child_rows(table, rows, fresh_ids, article_map, story_map)
            self.db.copy_rows(table, [f'"{c}"' for c in keep], out)

    def _write_search(
        self, block: BlockRows, fresh: list[list[Any]], col: dict[str, int]
    ) -> tuple[int, int]:
        """The fresh articles' search rows; returns (rows, tokens), which the driver adds
        to the one totals row (every block updating it would make them wait on each other)."""
        built = []
        for row in fresh:
            terms = block.fts.get(str(row[col["identity"]]))
            if terms is not None:
                built.append((row[col["id"]], fts_row(*terms)))
        lines = [fts_copy_text(article_id, r) for article_id, r in built]
        self.db.copy_text("articles_fts", ("rowid", "doc", "tokens"), (a for a, _ in lines))
        self.db.copy_text(
            "fts_postings",
            ("term", "rowid", "in_words", "in_stems", "tokens"),
            (postings for _, postings in lines),
        )
        self.db.copy_rows(
            LEADS_TABLE,
            ("article_id", "leads"),
            (
                (row[col["id"]], block.leads[identity])
                for row in fresh
                if (identity := str(row[col["identity"]])) in block.leads
            ),
        )
        return len(built), sum(r.tokens for _, r in built)

    # -- on the driver, block after block in date order ---------------------------------

    def relink_block(self, job: str, block: int) -> RelinkedBlock:
        """What block ``block`` of ``job`` left for the driver, once every earlier block
        is relinked: its stories continuing an earlier block's merged into them, its
        references to earlier articles set, its search totals added (one transaction).

        Raises:
            StoreError: the block was not written.
        """
        done = RelinkedBlock()
        key = (job, block)
        with self.transaction():
            row = self.db.execute(
                "SELECT relinked, fts_rows, fts_tokens, first_article, last_article"
                " FROM backfill_blocks WHERE job = ? AND block = ?",
                key,
            ).fetchone()
            if row is None:
                raise StoreError(f"block {block} of backfill {job} was not written")
            if int(row[0]):
                done.already = True
                return done
            provisional = {
                int(r[0])
                for r in self.db.execute(
                    "SELECT DISTINCT story_id FROM backfill_links WHERE job = ? AND block = ?",
                    key,
                )
            }
            done.continued = self._resolve_links(key)
            for story in sorted(provisional):
                into = done.continued.get(story)
                if into is not None:
                    self.merge_stories(into, story)
                    self.db.execute(
                        "UPDATE stories SET thread_id = ? WHERE thread_id = ?", (into, story)
                    )
                    continue
                empty = self.db.execute(
                    "SELECT n_articles = 0 AND n_passages = 0 FROM stories WHERE id = ?",
                    (story,),
                ).fetchone()
                if empty is not None and empty[0]:  # only a thread's name, continuing nothing
                    self.db.execute(
                        "UPDATE stories SET thread_id = NULL WHERE thread_id = ?", (story,)
                    )
                    self.db.execute("DELETE FROM stories WHERE id = ?", (story,))
                    done.dropped += 1
            done.refs = len(self._apply_refs(key))
            if self.has_table("fts_totals"):
                self.db.execute(
                    "UPDATE fts_totals SET n_rows = n_rows + ?, n_tokens = n_tokens + ?",
                    (int(row[1]), int(row[2])),
                )
            self.db.execute("DELETE FROM backfill_links WHERE job = ? AND block = ?", key)
            self.db.execute("DELETE FROM backfill_refs WHERE job = ? AND block = ?", key)
            self.db.execute(
                "UPDATE backfill_blocks SET relinked = 1 WHERE job = ? AND block = ?", key
            )
        return done

    def _resolve_links(self, key: tuple[str, int]) -> dict[int, int]:
        """Provisional story -> the stored story of its earliest warm-up article found
        (then of its earliest warm-up passage found)."""
        found = self.db.execute(
            "SELECT l.story_id, l.seq, a.story_id FROM backfill_links l"
            " JOIN articles a ON a.identity = l.identity"
            " WHERE l.job = ? AND l.block = ? AND l.start IS NULL AND a.story_id IS NOT NULL"
            " UNION ALL"
            " SELECT l.story_id, l.seq, p.story_id FROM backfill_links l"
            " JOIN articles a ON a.identity = l.identity"
            ' JOIN passages p ON p.article_id = a.id AND p.start = l.start AND p."end" = l."end"'
            " WHERE l.job = ? AND l.block = ? AND l.start IS NOT NULL"
            " ORDER BY 2",
            (*key, *key),
        ).fetchall()
        into: dict[int, int] = {}
        for story, _, stored in found:
            into.setdefault(int(story), int(stored))
        return into

    def _apply_refs(self, key: tuple[str, int]) -> list[tuple[str, str, str]]:
        """Set the block's references to earlier articles; returns them."""
        refs = [
            (str(identity), str(name), str(named))
            for identity, name, named in self.db.execute(
                "SELECT identity, field, ref_identity FROM backfill_refs"
                " WHERE job = ? AND block = ? ORDER BY seq",
                key,
            )
        ]
        for identity, name, named in refs:
            if name not in REF_FIELDS:
                raise StoreError(f"unknown reference field {name!r}")
            self.db.execute(
                f"UPDATE articles SET {name} = (SELECT id FROM articles WHERE identity = ?)"
                f" WHERE identity = ? AND {name} IS NULL",
                (named, identity),
            )
        return refs

    # -- after the last block: entity figures, in key ranges run at once ----------------

    def entity_key_ranges(self, parts: int) -> list[tuple[str, str | None]]:
        """``parts`` (at most) ranges of entity keys, ``(low, high or None)``, of about
        equal numbers of mentions (from a 1% sample), covering every key: each can be
        recounted by its own task (:meth:`recount_entity_range`), at the same time.
        Refreshes the statistics of the bulk-filled tables first: without them the server
        plans the recount's joins as over empty tables (see ``finish_blocks``). Not of the
        entity tables: seen empty now, the pair triggers' lookups would be planned as scans
        of a table the ranges fill (5,000 articles, 4 ranges: 24 s instead of 3)."""
        for table in ("articles", "mentions"):
            self.db.execute_raw(f"ANALYZE {table}")
        sample = self._keys("SELECT key FROM mentions TABLESAMPLE SYSTEM (1)")
        if len(sample) < SAMPLE_KEYS_PER_RANGE * parts:  # a small store: every key
            sample = self._keys("SELECT key FROM mentions")
        bounds = sorted(
            {sample[len(sample) * i // parts] for i in range(1, parts)} if sample else set()
        )
        lows = ["", *bounds]
        return [(low, high) for low, high in zip(lows, [*bounds, None], strict=True)]

    def _keys(self, sql: str) -> list[str]:
        return sorted(str(k) for (k,) in self.db.execute_native(sql, ()))

    def recount_entity_range(self, low: str, high: str | None) -> None:
        """Entity figures of the keys ``low <= key < high`` (None: no end) recounted from
        their live mentions, in one transaction without the writer lock: ranges are
        disjoint, so tasks recount theirs at once, each on its own server process."""
        db = self.db
        between = "key >= ?" + ("" if high is None else " AND key < ?")
        params = (low,) if high is None else (low, high)
        db.execute("BEGIN")
        try:
            for table in ("entity_stories", "entity_outlets", "entity_stats"):
                db.execute(f"DELETE FROM {table} WHERE {between}", params)
            count_entities_from_mentions(db, key_range=(low, high))
            # Named as first written: the first article's spelling.
            db.execute(
                "UPDATE entity_stats SET name = (SELECT m.canonical FROM mentions m"
                " WHERE m.key = entity_stats.key ORDER BY m.article_id, m.id LIMIT 1)"
                f" WHERE {between}",
                params,
            )
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        self.dialect.after_commit(db)


def _fresh_passages(
    block: BlockRows, fresh: list[list[Any]], col: dict[str, int]
) -> tuple[list[Any], dict[str, int]]:
    """The block's roundup passages in its fresh articles, and the passages' columns."""
    fresh_ids = {int(row[col["id"]]) for row in fresh}
    passages = block.children.get("passages")
    if passages is None:
        return [], {}
    p_col = {n: i for i, n in enumerate(passages.columns)}
    return [r for r in passages.rows if int(r[p_col["article_id"]]) in fresh_ids], p_col


def _written_stories(
    block: BlockRows,
    fresh: list[list[Any]],
    col: dict[str, int],
    fresh_passages: list[Any],
    p_col: dict[str, int],
) -> list[int]:
    """The scratch stories a block writes, in order (their rank is their place in the
    block's story id range): those a fresh row or passage names, and the threads they name
    that may continue an earlier block's story (only such a link can place them)."""
    named = {int(row[col["story_id"]]) for row in fresh if row[col["story_id"]] is not None}
    named |= {int(r[p_col["story_id"]]) for r in fresh_passages}
    linked = {int(s) for _, _, s, _ in block.warm_up if s is not None}
    linked |= {int(s) for *_, s in block.warm_up_passages}
    threads = {block.threads.get(s) for s in named} - {None}
    return sorted(named | {int(t) for t in threads if t in linked})
