"""``marsad backfill --blocks`` into PostgreSQL: the workers COPY their blocks straight into
the target in parallel, the driver relinks the stories that cross block boundaries."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from marsad.backfill.blocks import Destination, WrittenBlock, cut_blocks, write_block
from marsad.backfill.plan import BlockPlan
from marsad.settings import Settings
from marsad.store import Store
from marsad.store.parallel import BlockTarget, ParallelBlocks
from marsad.text.arabic import NORMALIZER_VERSION
from test_backfill import SETTINGS
from test_backfill_blocks import SHORT, full_snapshot, ordered_articles
from test_backfill_blocks import in_blocks as backfill_in_blocks

distributed = pytest.importorskip("distributed")
cloudpickle = pytest.importorskip("cloudpickle")


@pytest.fixture(scope="module")
def client() -> Iterator[distributed.Client]:
    from marsad.backfill.cluster import dask_client

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    with dask_client(local_workers=2) as dask:
        yield dask


def canonical(store: Store) -> dict[str, Any]:
    """``full_snapshot`` with story ids replaced by a name that does not depend on how
    they were numbered (the story's first article, or first passage), and rows whose
    order of insertion may differ (blocks written at once) sorted."""
    shot = full_snapshot(store)
    first: dict[int, tuple[str, int, int]] = {}
    for row in store.rows(
        "SELECT story_id, id FROM articles WHERE story_id IS NOT NULL ORDER BY id"
    ):
        first.setdefault(row["story_id"], ("article", row["id"], 0))
    for row in store.rows("SELECT story_id, article_id, start FROM passages ORDER BY 2, 3"):
        first.setdefault(row["story_id"], ("passage", row["article_id"], row["start"]))

    def name(story: int | None) -> object:
        return None if story is None else first.get(story, ("empty", story, 0))

    def renamed(rows: Any, *columns: str) -> list[tuple[Any, ...]]:
        out = []
        for row in rows:
            values = dict(row)
            for column in columns:
                values[column] = name(values[column])
            out.append(tuple(sorted(values.items(), key=lambda kv: kv[0])))
        return sorted(out, key=repr)

    return {
        "articles": renamed(shot["articles"], "story_id"),
        "stories": renamed(shot["stories"], "id", "thread_id"),
        "passages": renamed(shot["passages"], "story_id"),
        "mentions": renamed(shot["mentions"]),
        "statements": renamed(shot["statements"]),
        "numbers": renamed(shot["numbers"]),
        "entities": shot["entities"],
        "entity_stories": renamed(shot["entity_stories"], "story_id"),
        "search": shot["search"],
        "seen": renamed(shot["seen"], "id"),
    }


@pytest.fixture(scope="module")
def serial_blocks(tmp_path_factory: pytest.TempPathFactory, client) -> dict[str, Any]:
    """Three blocks with a short warm-up appended by the driver into SQLite (the serial
    append: the reference)."""
    store = in_blocks(tmp_path_factory.mktemp("serial") / "blocks.db", client, 3)
    return canonical(store)


def in_blocks(location: Path | str, client: object, n_blocks: int, **options: Any) -> Store:
    """The block-mode backfill of test_backfill_blocks, with its short warm-up."""
    return backfill_in_blocks(location, client, n_blocks, overlap=SHORT, **options)


def test_parallel_blocks_into_postgresql_store_what_the_serial_append_stores(
    postgres_server, client, serial_blocks: dict[str, Any]
) -> None:
    store = in_blocks(postgres_server.new_database(), client, 3)
    assert store.rows("SELECT count(*) AS n FROM backfill_blocks")[0]["n"] == 3
    # Nothing left for the driver, and the search totals are the blocks' sum.
    assert store.rows("SELECT count(*) AS n FROM backfill_links")[0]["n"] == 0
    assert store.rows("SELECT count(*) AS n FROM backfill_refs")[0]["n"] == 0
    totals = store.rows("SELECT n_rows FROM fts_totals")[0]["n_rows"]
    assert totals == store.rows("SELECT count(*) AS n FROM articles_fts")[0]["n"] > 0
    got = canonical(store)
    assert got["articles"] and got["stories"]
    assert got == serial_blocks


def test_blocks_committed_in_any_order_write_the_same_ids(postgres_server) -> None:
    # What one worker or two change is the order the blocks commit in; the ids come from
    # the plan, so the store is the same whatever that order.
    blocks = planned_rows()
    stores = []
    for order in (list(range(3)), [2, 0, 1]):
        store = Store(postgres_server.new_database(), normalizer_version=NORMALIZER_VERSION)
        where = targets(store, blocks)
        for i in order:
            assert store.write_block_rows(blocks[i].rows, where[i]).written  # type: ignore[arg-type]
        for target in where:
            store.relink_block(target.job, target.block)
        finish(store)
        stores.append(store)
    first, second = (full_snapshot(s) for s in stores)
    for table in ("articles", "stories", "seen", "entities"):
        assert first[table] == second[table]
    assert canonical(stores[0]) == canonical(stores[1])


def finish(store: Store) -> None:
    """What the driver does after the last block, with the entity ranges' tasks run here."""
    ranges = store.entity_key_ranges(3)
    assert len(ranges) == 3 and ranges[0][0] == "" and ranges[-1][1] is None
    for low, high in ranges:
        store.recount_entity_range(low, high)
    store.finish_blocks(recount=False)


_PLANNED: list[WrittenBlock] = []


def planned_rows() -> list[WrittenBlock]:
    """Three blocks' rows as their tasks export them (written once per module: the rows
    are only read)."""
    if not _PLANNED:
        now = datetime(2026, 11, 1)
        articles = ordered_articles(now)
        tasks = cut_blocks(articles, total=len(articles), n_blocks=3, now=now, overlap=SHORT)
        _PLANNED.extend(write_block(task, now, SETTINGS) for task in tasks)
    return _PLANNED


def targets(store: Store, blocks: list[WrittenBlock], job: str = "job") -> list[BlockTarget]:
    first_article, first_story = store.start_job(job)
    out = []
    for block in blocks:
        assert block.rows is not None
        n = len(block.rows.articles.rows)
        out.append(BlockTarget(store.path, job, block.index, first_article, n, first_story, 4 * n))
        first_article += n
        first_story += 4 * n
    return out


def test_a_block_written_twice_writes_nothing_the_second_time(postgres_server) -> None:
    store = Store(postgres_server.new_database(), normalizer_version=NORMALIZER_VERSION)
    blocks = planned_rows()
    where = targets(store, blocks)
    # Written in reverse order, as parallel tasks may commit; relinked in date order.
    first = [
        store.write_block_rows(b.rows, t)
        for b, t in reversed(list(zip(blocks, where, strict=True)))
    ]  # type: ignore[arg-type]
    assert all(w.written for w in first)
    again = [store.write_block_rows(b.rows, t) for b, t in zip(blocks, where, strict=True)]  # type: ignore[arg-type]
    assert not any(w.written for w in again)
    # A second run rebuilds the first run's story map (a worker lost after its commit).
    firsts = list(reversed(first))
    assert [(w.story_map, w.stories) for w in again] == [(w.story_map, w.stories) for w in firsts]
    assert all(w.story_map for w in again)
    for target in where:
        store.relink_block(target.job, target.block)
    finish(store)
    before = full_snapshot(store)
    assert len(before["articles"]) == sum(w.articles for w in first) > 0  # type: ignore[arg-type]
    # Written and relinked again (a restarted driver): nothing changes.
    assert not any(
        store.write_block_rows(b.rows, t).written for b, t in zip(blocks, where, strict=True)
    )  # type: ignore[arg-type]
    assert all(store.relink_block(t.job, t.block).already for t in where)
    finish(store)
    assert full_snapshot(store) == before
    # The same store as the driver's serial append of the same blocks.
    assert canonical(store) == canonical(serial_append(postgres_server))


def serial_append(postgres_server) -> Store:
    """The driver's serial append of the same blocks, into a fresh database: the reference."""
    serial = Store(postgres_server.new_database(), normalizer_version=NORMALIZER_VERSION)
    for block in planned_rows():
        assert block.rows is not None
        serial.append_block(block.rows)
    serial.finish_blocks()
    return serial


def test_a_block_that_fails_mid_transaction_writes_nothing_and_is_written_again(
    postgres_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(postgres_server.new_database(), normalizer_version=NORMALIZER_VERSION)
    blocks = planned_rows()
    where = targets(store, blocks)

    def broken(*args: object) -> None:
        raise RuntimeError("the connection dropped")

    with monkeypatch.context() as patch:  # after the articles' COPY, before the commit
        patch.setattr(ParallelBlocks, "_write_children", broken)
        with pytest.raises(RuntimeError):
            store.write_block_rows(blocks[1].rows, where[1])  # type: ignore[arg-type]
    assert store.rows("SELECT count(*) AS n FROM articles")[0]["n"] == 0
    assert store.rows("SELECT count(*) AS n FROM backfill_blocks")[0]["n"] == 0
    for block, target in zip(blocks, where, strict=True):
        assert store.write_block_rows(block.rows, target).written  # type: ignore[arg-type]
        store.relink_block(target.job, target.block)
    finish(store)
    assert canonical(store) == canonical(serial_append(postgres_server))


def write_or_die_in_transaction(
    plan: BlockPlan, now: datetime, settings: Settings, keep_in: Destination, *, marker: str
) -> WrittenBlock:
    """The block task, except that the first call anywhere kills its worker process inside
    its write transaction (after the articles' COPY)."""
    from marsad.backfill.blocks import write_planned_block

    original = ParallelBlocks._write_children

    def die_once(self: ParallelBlocks, *args: Any) -> None:
        try:
            fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return original(self, *args)
        os.close(fd)
        os._exit(1)  # as the OOM killer or a lost machine would: no rollback sent

    ParallelBlocks._write_children = die_once  # type: ignore[method-assign]
    try:
        return write_planned_block(plan, now, settings, keep_in)
    finally:
        ParallelBlocks._write_children = original  # type: ignore[method-assign]


def test_a_worker_killed_inside_its_block_transaction_loses_and_doubles_nothing(
    tmp_path: Path, postgres_server, client, serial_blocks: dict[str, Any]
) -> None:
    marker = tmp_path / "killed"
    task = partial(write_or_die_in_transaction, marker=str(marker))
    got = canonical(in_blocks(postgres_server.new_database(), client, 3, block_task=task))
    assert marker.exists(), "a worker was killed"
    assert got == serial_blocks


def write_then_die_after_commit(
    plan: BlockPlan, now: datetime, settings: Settings, keep_in: Destination, *, marker: str
) -> WrittenBlock:
    """The block task, except that the last block's first run kills its worker after its
    transaction committed, before the result is returned."""
    from marsad.backfill.blocks import write_planned_block

    written = write_planned_block(plan, now, settings, keep_in)
    if plan.is_last:
        try:
            fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return written
        os.close(fd)
        os._exit(1)
    return written


def test_a_last_block_lost_after_its_commit_still_saves_its_stories_in_the_state(
    tmp_path: Path, postgres_server, client
) -> None:
    """Its retry finds the block written, rebuilds the story map the lost run made, and the
    saved clustering state names the block's stories as without the loss."""
    from marsad.writer_state import CLUSTER_STATE

    reference = in_blocks(postgres_server.new_database(), client, 3)
    marker = tmp_path / "killed"
    task = partial(write_then_die_after_commit, marker=str(marker))
    lost = in_blocks(postgres_server.new_database(), client, 3, block_task=task)
    assert marker.exists(), "a worker was killed"
    assert canonical(lost) == canonical(reference)

    def saved_stories(store: Store) -> list[tuple[int, ...]]:
        state = store.get_state(CLUSTER_STATE)
        assert state is not None
        return sorted((row["id"], row["size"]) for row in state["stories"])

    assert saved_stories(reference), "the last block has open stories"
    assert saved_stories(lost) == saved_stories(reference)
    assert (
        lost.get_state(CLUSTER_STATE)["next_story_id"]
        == (reference.get_state(CLUSTER_STATE)["next_story_id"])
    )


def test_a_story_continuing_across_a_boundary_is_one_story_with_a_redirect(
    postgres_server,
) -> None:
    store = Store(postgres_server.new_database(), normalizer_version=NORMALIZER_VERSION)
    blocks = planned_rows()
    where = targets(store, blocks)
    written = [store.write_block_rows(b.rows, t) for b, t in zip(blocks, where, strict=True)]  # type: ignore[arg-type]
    provisional = {
        r["story_id"]: r["identity"]
        for r in store.rows("SELECT story_id, identity FROM backfill_links ORDER BY seq DESC")
    }
    assert provisional, "some block's story holds warm-up articles"
    continued: dict[int, int] = {}
    for target in where:
        continued |= store.relink_block(target.job, target.block).continued
    finish(store)
    assert continued and sum(w.provisional for w in written) >= len(continued)
    for old, into in continued.items():
        assert store.story(old) is None  # the provisional story is gone
        assert store.story_redirect(old) == into  # and its id leads to the story it joined
        # Its articles on both sides of the boundary are one story, counted once.
        members = store.rows(
            "SELECT count(*) AS n FROM articles WHERE story_id = ? AND superseded_by IS NULL",
            (into,),
        )[0]["n"]
        assert (
            store.rows("SELECT n_articles FROM stories WHERE id = ?", (into,))[0]["n_articles"]
            == members
        )
        assert not store.rows("SELECT id FROM articles WHERE story_id = ?", (old,))


def test_search_rows_copied_as_text_are_the_rows_write_row_stores(postgres_server) -> None:
    from marsad.store.postgres import FtsRow, fts_copy_text, fts_row

    odd = FtsRow(  # terms fts_tokens never makes: the COPY text must still escape them
        "'a\\\\b':1A 'c\td':2A 'e\nf\r':3B", 3, (("a\\b", 1, 0), ("c\td", 1, 0), ("e\nf\r", 0, 1))
    )
    built = [(7, fts_row("الرياض - واس: قال الوزير", "رياض واس قول وزير")), (9, odd)]
    by_row, by_text = (open_target(postgres_server.new_database()) for _ in range(2))
    with by_row.transaction():
        by_row.db.copy_rows(
            "articles_fts",
            ("rowid", "doc", "tokens"),
            [(i, r.tsvector, r.tokens) for i, r in built],
        )
        by_row.db.copy_rows(
            "fts_postings",
            ("term", "rowid", "in_words", "in_stems", "tokens"),
            [(t, i, w, s, r.tokens) for i, r in built for t, w, s in r.postings],
        )
    lines = [fts_copy_text(i, r) for i, r in built]
    with by_text.transaction():
        by_text.db.copy_text("articles_fts", ("rowid", "doc", "tokens"), [a for a, _ in lines])
        by_text.db.copy_text(
            "fts_postings",
            ("term", "rowid", "in_words", "in_stems", "tokens"),
            [p for _, p in lines],
        )
    queries = (
        "SELECT rowid, CAST(doc AS TEXT) AS doc, tokens FROM articles_fts ORDER BY rowid",
        "SELECT term, rowid, in_words, in_stems, tokens FROM fts_postings ORDER BY rowid, term",
    )
    for query in queries:
        stored = by_row.rows(query)
        assert len(stored) in (2, len(built[0][1].postings) + 3)
        assert by_text.rows(query) == stored
    assert {r["term"] for r in by_text.rows(queries[1])} >= {"a\\b", "c\td", "e\nf\r"}


def open_target(url: str) -> Store:
    return Store(url, normalizer_version=NORMALIZER_VERSION)
