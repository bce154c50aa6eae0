"""``marsad backfill --blocks``: time blocks written on real LocalCluster workers, appended."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

import pytest

from marsad.backfill.blocks import WrittenBlock, cut_blocks, write_block, write_planned_block
from marsad.backfill.plan import BlockPlan
from marsad.backfill.run import backfill
from marsad.ingest.readers import read_path
from marsad.models import RawArticle
from marsad.settings import Settings
from marsad.store import Store
from marsad.store.bulk import BlockRows
from marsad.text.arabic import NORMALIZER_VERSION
from test_backfill import DEMO, SETTINGS, inputs, partition, snapshot, streamed

distributed = pytest.importorskip("distributed")
cloudpickle = pytest.importorskip("cloudpickle")

# The demo spans ten days: a one-day warm-up leaves each block most of the past unseen,
# so blocks really differ from the serial run, and stories cross their boundaries.
SHORT = timedelta(days=1)


@pytest.fixture(scope="module")
def client() -> Iterator[distributed.Client]:
    from marsad.backfill.cluster import dask_client

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    with dask_client(local_workers=2) as dask:
        yield dask


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """Streaming ingest of the same input (the reference)."""
    return streamed(tmp_path_factory.mktemp("serial") / "stream.db", inputs())


@pytest.fixture(scope="module")
def short_blocks(tmp_path_factory: pytest.TempPathFactory, client) -> dict[str, object]:
    """Three blocks with a short warm-up, on the two workers (shared by several tests),
    attached from the scratch folder."""
    folder = tmp_path_factory.mktemp("short")
    store = in_blocks(folder / "blocks.db", client, 3, overlap=SHORT, scratch=folder / "scratch")
    return {
        "snapshot": full_snapshot(store),
        "state": store.get_state("cluster.v1"),
        "store": store,
    }


def in_blocks(
    path: Path | str,
    client: object,
    n_blocks: int,
    *,
    scratch: Path | None = None,
    **options: object,
) -> Store:
    """Backfill in blocks; with ``scratch``, the blocks are attached from that folder
    (which is left empty), else their rows are sent back."""
    store = Store(path, normalizer_version=NORMALIZER_VERSION)
    if scratch is not None:
        scratch.mkdir()
    report = backfill(
        [str(s) for s in inputs()],
        store,
        client,  # type: ignore[arg-type]
        settings=SETTINGS,
        blocks=n_blocks,
        scratch_dir=None if scratch is None else str(scratch),
        **options,  # type: ignore[arg-type]
    )
    assert report.blocks == n_blocks and not report.ingest.skipped
    if scratch is not None:
        assert not list(scratch.iterdir()), "every attached scratch store is removed"
    return store


def full_snapshot(store: Store) -> dict[str, object]:
    """What ``snapshot`` compares, plus entity figures, search and thread state."""
    return {
        **snapshot(store),
        "entities": store.rows(
            "SELECT key, name, label, mentions, articles, stories, outlets FROM entity_stats"
            " ORDER BY key"
        ),
        "entity_stories": store.rows("SELECT key, story_id FROM entity_stories ORDER BY 1, 2"),
        # bm25 sums floats in an engine's order: equal to 9 places, not to the last bit
        "search": [
            (hit, round(score, 9))
            for hit, score in store.fts_query("words:الرياض OR stems:سيول", limit=50)
        ],
        "seen": store.rows(
            "SELECT id, first_seen, last_seen, revision > 0 AS r FROM stories ORDER BY id"
        ),
    }


def test_one_block_stores_exactly_what_streaming_ingest_stores(
    tmp_path: Path, client, serial: Store
) -> None:
    expected = full_snapshot(serial)
    got = full_snapshot(in_blocks(tmp_path / "one.db", client, 1, scratch=tmp_path / "s"))
    assert expected["search"] and expected["entities"]
    assert got == expected  # (rows sent back instead: the CLI test below)


def test_three_blocks_into_postgresql_store_what_they_store_into_sqlite(
    postgres_server, client, short_blocks: dict[str, object]
) -> None:
    # Renumbered rows, story figures, entity recount and search rows on PostgreSQL too
    # (short_blocks wrote SQLite), with the rows sent back to the driver (the workers'
    # own writes into PostgreSQL: tests/test_backfill_parallel.py).
    got = full_snapshot(
        in_blocks(postgres_server.new_database(), client, 3, overlap=SHORT, parallel_writes=False)
    )
    assert got == short_blocks["snapshot"]


def test_block_stories_do_not_depend_on_the_number_of_workers(
    tmp_path: Path, short_blocks: dict[str, object]
) -> None:
    from marsad.backfill.cluster import dask_client

    # (Rows sent back here, scratch files attached there: the two appends agree too.)
    with dask_client(local_workers=1) as alone:
        one = full_snapshot(in_blocks(tmp_path / "one.db", alone, 3, overlap=SHORT))
    assert one == short_blocks["snapshot"]


def ordered_articles(now: datetime) -> list[RawArticle]:
    records = [r for s in inputs() for r in read_path(s) if isinstance(r, RawArticle)]
    return sorted(records, key=lambda a: (a.date or now, a.origin))


def test_a_story_crossing_a_block_boundary_is_one_story(
    tmp_path: Path, client, serial: Store
) -> None:
    # With the default warm-up (a week, the clusterer's longest window), as in real use.
    got = in_blocks(tmp_path / "blocks.db", client, 4, scratch=tmp_path / "scratch")
    now = datetime.now()
    articles = ordered_articles(now)
    tasks = list(cut_blocks(articles, total=len(articles), n_blocks=4, now=now))
    block_of = {a.origin: t.index for t in tasks for a in t.own}
    assert len(tasks) == 4 and all(t.warm_up for t in tasks[1:])
    in_story = "SELECT origin, story_id FROM articles WHERE story_id IS NOT NULL"
    mine = {r["origin"]: r["story_id"] for r in got.rows(in_story)}
    theirs = {r["origin"]: r["story_id"] for r in serial.rows(in_story)}
    crossing = [
        group for group in partition(theirs) if len({block_of[origin] for origin in group}) > 1
    ]
    assert crossing, "some serial story spans two blocks"
    # Each such story is one story in the block store too (not one per block).
    joined = [group for group in crossing if len({mine[origin] for origin in group}) == 1]
    assert len(joined) == len(crossing)
    # The stored figures of a story are those of its articles, whichever block wrote them.
    for story in got.rows("SELECT id, n_articles FROM stories WHERE n_articles > 0"):
        count = got.rows(
            "SELECT count(*) AS n FROM articles WHERE story_id = ? AND superseded_by IS NULL",
            (story["id"],),
        )[0]["n"]
        assert story["n_articles"] == count


def written_blocks(n_blocks: int) -> list[BlockRows]:
    """The rows each block task sends back when the driver cannot open its file."""
    now = datetime(2026, 11, 1)
    articles = ordered_articles(now)
    tasks = cut_blocks(articles, total=len(articles), n_blocks=n_blocks, now=now, overlap=SHORT)
    rows = [write_block(task, now, SETTINGS).rows for task in tasks]
    assert all(r is not None for r in rows)
    return [r for r in rows if r is not None]


def test_a_block_appended_again_writes_nothing_twice(tmp_path: Path) -> None:
    store = Store(tmp_path / "twice.db", normalizer_version=NORMALIZER_VERSION)
    blocks = written_blocks(3)
    first = [store.append_block(b) for b in blocks]
    store.finish_blocks()
    before = full_snapshot(store)
    again = [store.append_block(b) for b in blocks]
    store.finish_blocks()
    assert sum(a.articles for a in first) == len(before["articles"]) > 0  # type: ignore[arg-type]
    assert sum(a.articles for a in again) == 0
    assert sum(a.new_stories for a in again) == 0
    assert sum(a.already_stored for a in again) == len(before["articles"])  # type: ignore[arg-type]
    assert full_snapshot(store) == before


def test_a_scratch_block_attached_again_writes_nothing_twice(tmp_path: Path) -> None:
    now = datetime(2026, 11, 1)
    articles = ordered_articles(now)
    tasks = cut_blocks(articles, total=len(articles), n_blocks=3, now=now, overlap=SHORT)
    kept = [write_block(task, now, SETTINGS, keep_in=str(tmp_path)) for task in tasks]
    assert all(b.rows is None and b.scratch for b in kept)
    store = Store(tmp_path / "twice.db", normalizer_version=NORMALIZER_VERSION)
    first = [store.append_scratch(str(b.scratch)) for b in kept]
    store.finish_blocks()
    before = full_snapshot(store)
    again = [store.append_scratch(str(b.scratch)) for b in kept]
    store.finish_blocks()
    assert sum(a.articles for a in first) == len(before["articles"]) > 0  # type: ignore[arg-type]
    assert sum(a.articles for a in again) == sum(a.new_stories for a in again) == 0
    assert full_snapshot(store) == before
    # What the rows sent back would have written.
    sent = Store(tmp_path / "sent.db", normalizer_version=NORMALIZER_VERSION)
    for block in written_blocks(3):
        sent.append_block(block)
    sent.finish_blocks()
    assert full_snapshot(sent) == before


def write_or_die_once(
    plan: BlockPlan, now: datetime, settings: Settings, keep_in: str | None, *, marker: str
) -> WrittenBlock:
    """The block task, except that the first call anywhere kills its worker process."""
    try:
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return write_planned_block(plan, now, settings, keep_in)
    os.close(fd)
    os._exit(1)  # as a worker killed by the OOM killer or a lost machine would


def test_a_worker_killed_mid_block_loses_and_doubles_nothing(
    tmp_path: Path, client, short_blocks: dict[str, object]
) -> None:
    marker = tmp_path / "killed"
    task = partial(write_or_die_once, marker=str(marker))
    expected = short_blocks["snapshot"]
    got = full_snapshot(
        in_blocks(
            tmp_path / "killed.db",
            client,
            3,
            overlap=SHORT,
            block_task=task,
            scratch=tmp_path / "scratch",
        )
    )
    assert marker.exists(), "a worker was killed"
    assert got == expected


def test_the_saved_clustering_state_names_stored_stories(short_blocks: dict[str, object]) -> None:
    # Writers after the backfill continue from the last block's state, in stored ids.
    store = short_blocks["store"]
    assert isinstance(store, Store)
    state = short_blocks["state"]
    assert isinstance(state, dict)
    assert state and state["stories"]
    known = {r["id"] for r in store.rows("SELECT id FROM stories")}
    assert {row["id"] for row in state["stories"]} <= known
    assert state["next_story_id"] == max(known) + 1


def test_bench_in_blocks_names_the_block_steps(tmp_path: Path) -> None:
    from marsad.bench import run_backfill_bench
    from test_backfill import demo_as_jsonl

    path = tmp_path / "demo.jsonl"
    demo_as_jsonl(path)
    out = run_backfill_bench(path, workers=1, limit=30, settings=SETTINGS, blocks=2)
    assert "2 time blocks" in out and "ingested 30 " in out
    assert "cluster_write" in out and "Store.append_scratch" in out
    fields = dict(part.split("=") for part in out.splitlines()[-1].split())
    assert float(fields["articles_per_s"]) > 0


def test_cli_blocks_on_a_running_scheduler_store_what_ingest_stores(
    tmp_path: Path, client, capsys: pytest.CaptureFixture[str]
) -> None:
    from marsad.cli.main import main

    expected = snapshot(streamed(tmp_path / "stream.db", [DEMO], Settings()))
    scratch = tmp_path / "shared"
    scratch.mkdir()
    # --cluster without a shared folder: rows sent back; with --scratch-dir: attached.
    for name, extra in (("sent", []), ("attached", ["--scratch-dir", str(scratch)])):
        db = tmp_path / f"{name}.db"
        args = ["--db", str(db), "backfill", str(DEMO), "--blocks", "1"]
        code = main([*args, "--cluster", client.scheduler.address, *extra])
        assert code == 0
        assert capsys.readouterr().out.splitlines()[-1].startswith("ingested 46 ")
        assert snapshot(Store(db, normalizer_version=NORMALIZER_VERSION)) == expected, name
    assert not list(scratch.iterdir())


def test_blocks_of_days_and_auto_blocks_cut_by_the_archive_days(
    tmp_path: Path, client, short_blocks: dict[str, object]
) -> None:
    from marsad.backfill.plan import (
        AUTO_BLOCKS,
        auto_block_days,
        blocks_of_days,
        index_shard,
        span_days,
    )
    from marsad.backfill.shards import plan_shards
    from marsad.store.bulk import LEADS_TABLE

    shards, _ = plan_shards([str(s) for s in inputs()])
    indexes = [index_shard(shard, datetime.now()) for shard in shards]
    span = span_days(indexes)
    # Two worker threads; at most one block per article (the demo and seeds span years).
    articles = sum(len(index.keys) for index in indexes)
    auto = min(articles, blocks_of_days(indexes, auto_block_days(span, 2)))
    for name, options, expected in (
        ("days", {"block_days": span / 3 + 0.01}, 3),
        ("auto", {"blocks": AUTO_BLOCKS}, auto),
    ):
        store = Store(tmp_path / f"{name}.db", normalizer_version=NORMALIZER_VERSION)
        (tmp_path / name).mkdir()
        report = backfill(
            [str(s) for s in inputs()],
            store,
            client,
            settings=SETTINGS,
            overlap=SHORT,
            scratch_dir=str(tmp_path / name),
            **options,  # type: ignore[arg-type]
        )
        assert report.blocks == report.blocks_planned == expected
        assert not store.has_table(LEADS_TABLE)  # read by the summaries, then dropped
        if expected == 3:  # cut by count like --blocks 3: the same store
            assert full_snapshot(store) == short_blocks["snapshot"]
