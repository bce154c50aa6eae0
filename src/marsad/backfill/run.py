"""The backfill driver: shards out to Dask workers, one ordered writer, summaries back out.

Four phases, timed separately so the serial part can be named and measured::

    plan      driver   cut inputs into shards (files; plain JSONL by line-aligned byte ranges)
    read      workers  read + decode each shard (one task per shard); the driver puts the
              driver   records in (date, origin) order, the streaming pipeline's order,
                       spilling sorted runs to disk (``ingest.ordering.DateOrdered``)
    stream    workers  ``ingest.prepare.prepare_batch`` (clean, boilerplate, tokens, MinHash,
                       cluster features, extraction) on consecutive units of the ordered
                       stream, a bounded number of units in flight
              driver   each unit's results, put back in order (``reorder.in_order``), go
                       through the streaming pipeline's own stateful half as they arrive
                       (``Pipeline.store_prepared``: near-duplicate index, story clusterer,
                       threads, one store write per batch of ``Settings.batch_size``)
    summarize workers  one task per chunk of touched stories, reading the committed store;
                       the driver writes the summaries in one transaction

With ``blocks`` (``marsad backfill --blocks N``) the read phase keeps only each article's
sort key (``backfill.plan``: the driver cuts the keys into blocks and never holds a record),
and the stream phase is time blocks: each block read from its own inputs, prepared,
clustered and written into a scratch store by one task after a warm-up
(``backfill.blocks.write_planned_block``), then appended here in date order and renumbered:
attached and copied table by table (``Store.append_scratch``) when the scratch file is in a
folder this process reaches, else from its rows sent back (``Store.append_block``); the
stories then follow the blocks (see ``backfill/blocks.py``).

The write is the streaming code itself, fed the same articles in the same order with the
same batch boundaries (a unit is a whole number of batches), so copies and stories come
out exactly as ``marsad ingest`` makes them; that is also why it is serial (story
assignment depends on every earlier article). It overlaps the workers' preparing of the
next units. Near-duplicates across shards need no shuffle here: every fingerprint reaches
the driver's band index (``dedup.minhash.DuplicateIndex``, keyed by band), whatever shard
it came from.

Memory: the driver holds one sorted run of raw records while reading (the rest is spilled)
and at most ``window`` units of prepared articles while streaming, whatever the archive's
size.

Idempotence: an article's identity is its source, id or URL and folded text; a batch
that is written again (a retried run, a driver restarted after a crash) finds every
identity stored and writes nothing. A unit whose task failed is run again and its result
used once (``reorder.ReorderBuffer``). Story ids come from the clusterer's counter, saved
with each batch, so a resumed run continues the same numbering.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from marsad.backfill.blocks import (
    OVERLAP,
    Destination,
    WrittenBlock,
    recount_entity_range,
    remap_state,
    write_planned_block,
)
from marsad.backfill.plan import (
    AUTO_BLOCKS,
    BlockPlan,
    ShardIndex,
    auto_block_days,
    blocks_of_days,
    index_shard,
    plan_blocks,
    span_days,
)
from marsad.backfill.reorder import ReorderBuffer, TaskFuture, in_order
from marsad.backfill.shards import SHARD_BYTES, Shard, plan_shards
from marsad.backfill.tasks import (
    PreparedUnit,
    peak_rss_mb,
    prepare_articles,
    read_records,
    summarize_stories,
)
from marsad.ingest.ordering import DateOrdered, batched
from marsad.ingest.prepare import Prepared
from marsad.models import RawArticle, Skipped
from marsad.pipeline import IngestReport, Pipeline
from marsad.refresh import outlet_baseline
from marsad.settings import Settings
from marsad.store import Store
from marsad.store.dialect import sqlite_path
from marsad.store.parallel import STORY_IDS_PER_ARTICLE, BlockTarget
from marsad.workers import fewer_collections

if TYPE_CHECKING:
    from distributed import Client

logger = logging.getLogger(__name__)

PHASES = ("plan", "read", "stream", "summarize")
TASK_RETRIES = 2  # a task that raised is run again; a dead worker's tasks are rescheduled
SUMMARY_CHUNK = 200  # stories per summary task: enough to outweigh a task's overhead
UNIT_ARTICLES = 500  # articles per prepare task (rounded to whole write batches): about
# 7 s of one core with extraction, so the scheduler's ~1 ms per task is noise, and 1-2
# units per worker of prepared articles (about 80 KB each) is all the driver holds
UNITS_PER_WORKER = 2  # units in flight per worker thread: one running, one queued behind
# it so a worker never waits for the driver; plus SPARE_UNITS for reordering slack
SPARE_UNITS = 2
ENTITY_RANGES_PER_THREAD = 2  # key ranges recounted per worker thread after the blocks

PhaseProgress = Callable[[str, int, int], None]  # (what, done, total)
PrepareTask = Callable[..., PreparedUnit]
BlockWriteTask = Callable[[BlockPlan, datetime, Settings, Destination], WrittenBlock]


@dataclass(slots=True)
class BackfillReport:
    """What one backfill did, and where its time went."""

    ingest: IngestReport = field(default_factory=IngestReport)
    shards: int = 0
    units: int = 0
    window: int = 0  # prepare units allowed in flight
    peak_units_held: int = 0  # most finished units waiting for an earlier one
    wall_s: dict[str, float] = field(default_factory=lambda: dict.fromkeys(PHASES, 0.0))
    task_s: dict[str, float] = field(default_factory=dict)  # summed inside worker tasks
    read_cpu_s: float = 0.0  # CPU seconds of all read tasks
    task_cpu_s: float = 0.0  # CPU seconds of all prepare tasks
    summary_cpu_s: float = 0.0  # CPU seconds of all summary tasks
    cpu_s: dict[str, float] = field(default_factory=lambda: dict.fromkeys(PHASES, 0.0))  # driver
    write_s: float = 0.0  # driver wall seconds inside Pipeline.store_prepared (serial)
    wait_s: dict[str, float] = field(default_factory=dict)  # driver waiting for workers, per phase
    driver_peak_mb: dict[str, float] = field(default_factory=dict)  # after each phase
    summaries_on_workers: bool = False
    blocks: int = 0  # time blocks written on the workers (0: the ordered write)
    blocks_planned: int = 0  # blocks planned (from ``--blocks N``, or from the days)
    block_cpu_s: dict[str, float] = field(default_factory=dict)  # per step, summed on workers
    block_wall_s: list[float] = field(default_factory=list)  # per block, its task's wall
    warm_up_articles: int = 0  # summed over the blocks (each prepared and clustered again)
    finish_s: float = 0.0  # after the last block: entity recount, ids, state (serial)
    relink_s: float = 0.0  # PostgreSQL: the driver's boundary work between blocks (serial)
    relink_cpu_s: float = 0.0
    finish_cpu_s: float = 0.0
    mining_s: float = 0.0  # the store mining its name variants after the writes (serial)

    @property
    def total_s(self) -> float:
        """Wall-clock seconds of the whole run."""
        return sum(self.wall_s.values())

    @property
    def serial_s(self) -> float:
        """Wall seconds only the driver can spend: planning, ordering (the read phase less
        its waiting is not separable, so all of read counts), the ordered writes (in block
        mode: the appends and what follows the last), and the store's name-variant mining."""
        return (
            self.wall_s["plan"] + self.wall_s["read"] + self.write_s + self.finish_s + self.mining_s
        )

    def line(self) -> str:
        """One-line summary for humans."""
        share = self.serial_s / self.total_s if self.total_s else 0.0
        return (
            f"{self.ingest.line()}; {self.shards} shards, {self.units} units; "
            + ", ".join(f"{phase} {self.wall_s[phase]:.1f} s" for phase in PHASES)
            + f" (writing {self.write_s + self.finish_s:.1f} s"
            + (f" in {self.blocks} blocks" if self.blocks else "")
            + f"); serial share {share:.0%}"
        )


def write_in_order(
    pipeline: Pipeline,
    ordered: Sequence[tuple[RawArticle, Prepared | Skipped]],
    report: IngestReport,
    skipped: Callable[[Skipped], None],
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Dedup, cluster and store date-ordered prepared articles in ``batch_size`` batches,
    through :meth:`Pipeline.store_prepared`: the batches ``marsad ingest`` would write.
    (All in memory: for the time-block experiment, ``blocks.py``.)"""
    size = pipeline.settings.batch_size
    with fewer_collections():
        pipeline.start_run()
        for start in range(0, len(ordered), size):
            chunk = ordered[start : start + size]
            pipeline.store_prepared(
                [raw for raw, _ in chunk], [item for _, item in chunk], report, skipped
            )
            if progress is not None:
                progress(start + len(chunk), len(ordered))


def backfill(
    inputs: Sequence[str],
    store: Store,
    client: Client,
    *,
    settings: Settings | None = None,
    shard_bytes: int = SHARD_BYTES,
    unit_articles: int = UNIT_ARTICLES,
    window: int | None = None,
    workers_see_store: bool = True,
    progress: PhaseProgress | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
    on_warning: Callable[[RawArticle], None] | None = None,
    prepare_task: PrepareTask = prepare_articles,
    blocks: int = 0,
    block_days: float = 0.0,
    overlap: timedelta = OVERLAP,
    block_task: BlockWriteTask = write_planned_block,
    scratch_dir: str | None = None,
    parallel_writes: bool = True,
) -> BackfillReport:
    """Ingest ``inputs`` into ``store`` with the pure stages on ``client``'s workers.

    Args:
        inputs: files or folders (.txt, .jsonl, .jsonl.gz, .csv).
        store: the store to write; only this process writes it.
        client: a connected ``distributed.Client``.
        settings: pipeline settings (``batch_size`` is the write batch, as in ingest).
        shard_bytes: byte-range size for plain JSONL files.
        unit_articles: articles per prepare task, rounded down to whole write batches.
        window: prepare units started and not yet written, at most (default: two per
            worker thread, plus two); bounds the driver's memory.
        workers_see_store: the workers can open the store (a SQLite file on one host, or a
            PostgreSQL server they reach): then stories are summarized on the workers,
            else here.
        progress: called with ("shards" | "articles" | "stories", done, total).
        on_skip: told every unreadable record (else kept in the report).
        on_warning: told every kept record that reading had to change.
        prepare_task: the per-unit task, ``(articles, now, settings) -> PreparedUnit``
            (tests wrap it to kill a worker).
        blocks: when above 0, cut the archive into this many time blocks, each prepared,
            clustered and written on a worker and appended here in bulk
            (:mod:`marsad.backfill.blocks`); the stories then depend on the number of
            blocks (never on the number of workers) and agree with ingest's closely,
            not exactly. ``AUTO_BLOCKS``: as many as :func:`auto_block_days` gives for
            the archive's days and the cluster's worker threads.
        block_days: when above 0, blocks of about this many days (instead of ``blocks``).
        overlap: the warm-up before each block.
        block_task: the per-block task, ``(BlockPlan, now, settings, scratch_dir) ->
            WrittenBlock``.
        scratch_dir: with ``blocks``, a folder the workers and this process both reach
            (one host, or a shared mount), for a SQLite target: each block task leaves its
            scratch store there and this process attaches it (``Store.append_scratch``),
            so no row travels through Dask. None: the rows are sent back.
        parallel_writes: with ``blocks`` and a PostgreSQL store, each block task writes
            its rows straight into the store (:mod:`marsad.store.parallel`) and this
            process only relinks the stories that continue across block boundaries;
            False: the rows are sent back and appended here.

    Returns:
        Counts and per-phase seconds.
    """
    settings = settings or Settings()
    pipeline = Pipeline(store, settings)
    report = BackfillReport()
    ingest = report.ingest
    threads = max(1, sum(client.nthreads().values()))
    report.window = window or UNITS_PER_WORKER * threads + SPARE_UNITS
    size = settings.batch_size
    unit_size = size * max(1, unit_articles // size)  # whole batches: ingest's boundaries

    skipped = partial(ingest.count_skipped, on_skip=on_skip)

    with _phase_timer(report, "plan"):
        shards, notes = plan_shards(inputs, shard_bytes=shard_bytes)
        for note in notes:
            skipped(note)
        report.shards = len(shards)
        now = datetime.now().replace(microsecond=0)

    if blocks > 0 or blocks == AUTO_BLOCKS or block_days > 0:
        with _phase_timer(report, "read"):
            # Keys only: each block task reads its own records (backfill/plan.py).
            indexes = _index_on_workers(client, shards, now, report, on_warning, progress)
            for index in indexes:
                for note in index.skipped:
                    skipped(note)
            if block_days > 0 or blocks == AUTO_BLOCKS:
                days = block_days or auto_block_days(span_days(indexes), threads)
                blocks = blocks_of_days(indexes, days)
            plans = plan_blocks(shards, indexes, n_blocks=blocks, overlap=overlap)
            report.blocks_planned = len(plans)  # fewer than asked when articles are fewer
            del indexes
            total = sum(plan.n_own for plan in plans)
            ingest.read = total + ingest.n_skipped
        with _phase_timer(report, "stream"):
            _write_in_blocks(
                client,
                plans,
                total,
                now,
                settings,
                store,
                report,
                block_task,
                _destinations(store, plans, scratch_dir, parallel=parallel_writes),
                progress,
            )
        pipeline = Pipeline(store, settings)  # its state: the one the last block saved
    else:
        with _phase_timer(report, "read"):
            records = _read_on_workers(client, shards, report, on_warning, progress)
            ordered = DateOrdered(records, now, skipped)
            total = ordered.read()
            ingest.read = total + ingest.n_skipped
        with _phase_timer(report, "stream"), fewer_collections():
            _stream_in_order(
                client,
                ordered,
                total,
                now,
                settings,
                pipeline,
                report,
                unit_size,
                progress,
                skipped,
                prepare_task,
            )

    with _phase_timer(report, "summarize"):
        location = _worker_location(store)
        if workers_see_store and location is not None:
            report.summaries_on_workers = True
            _summarize_on_workers(client, pipeline, location, settings, report, progress)
        else:
            pipeline.summarize_dirty(ingest)
        if report.blocks_planned:
            store.drop_block_leads()  # read by the summary tasks; nothing else needs them
        mining_started = time.perf_counter()
        ingest.mined = pipeline.mine_aliases_when_due()
        report.mining_s = time.perf_counter() - mining_started
    return report


def _stream_in_order(
    client: Client,
    ordered: Iterable[RawArticle],
    total: int,
    now: datetime,
    settings: Settings,
    pipeline: Pipeline,
    report: BackfillReport,
    unit_size: int,
    progress: PhaseProgress | None,
    skipped: Callable[[Skipped], None],
    prepare_task: PrepareTask,
) -> None:
    """Units prepared on the workers, written here in order through the streaming
    pipeline's stateful half as they arrive."""
    size = settings.batch_size
    ingest = report.ingest
    pipeline.start_run()
    waited = _timed_wait(report, "stream")
    buffer: ReorderBuffer[PreparedUnit] = ReorderBuffer(report.window)
    results = in_order(
        batched(ordered, unit_size),
        lambda unit: client.submit(prepare_task, unit, now, settings, pure=False),
        waited,
        buffer,
        retries=TASK_RETRIES,
        on_done=_release,
    )
    written = 0
    for unit, result in results:
        report.units += 1
        _add_task_times(report, result)
        started = time.perf_counter()
        for first in range(0, len(unit), size):
            pipeline.store_prepared(
                unit[first : first + size],
                result.prepared[first : first + size],
                ingest,
                skipped,
            )
        report.write_s += time.perf_counter() - started
        written += len(unit)
        if progress is not None:
            progress("articles", written, total)
    report.peak_units_held = buffer.peak_held


def _destinations(
    store: Store, plans: Sequence[BlockPlan], scratch_dir: str | None, *, parallel: bool
) -> list[Destination]:
    """Where each block task writes: into a PostgreSQL store itself (its id ranges
    reserved here), else the scratch folder (SQLite), else nowhere (rows sent back)."""
    if not store.is_postgres:
        return [scratch_dir] * len(plans)
    if not parallel:
        return [None] * len(plans)  # a server gets the rows
    job = _job_key(plans)
    first_article, first_story = store.start_job(job)
    targets: list[Destination] = []
    for plan in plans:
        stories = STORY_IDS_PER_ARTICLE * plan.n_own
        targets.append(
            BlockTarget(
                store.path, job, plan.index, first_article, plan.n_own, first_story, stories
            )
        )
        first_article += plan.n_own
        first_story += stories
    return targets


def _job_key(plans: Sequence[BlockPlan]) -> str:
    """The same for the same inputs cut the same way: a restarted backfill is the same job,
    so the blocks it wrote before are not written again."""
    digest = hashlib.sha256()
    for plan in plans:
        shards = [(shard.path, shard.start, shard.end) for shard, _ in plan.picks]
        digest.update(repr((plan.first, plan.after, plan.n_own, plan.n_warm_up, shards)).encode())
    return digest.hexdigest()[:32]


def _write_in_blocks(
    client: Client,
    plans: Sequence[BlockPlan],
    total: int,
    now: datetime,
    settings: Settings,
    store: Store,
    report: BackfillReport,
    block_task: BlockWriteTask,
    destinations: Sequence[Destination],
    progress: PhaseProgress | None,
) -> None:
    """Blocks read, prepared, clustered and written on the workers; appended here in date
    order (each append names its warm-up's stories, so the order matters), or, written
    into PostgreSQL by the workers themselves, relinked here in date order; then the
    entity figures and the last block's clustering state."""
    ingest = report.ingest
    threads = max(1, sum(client.nthreads().values()))
    # A block's result is small with a scratch folder, large without: one running per
    # worker thread and one waiting either way.
    window = threads + 1
    story_map: dict[int, int] = {}
    state = None
    written = 0
    results = in_order(
        plans,
        lambda plan: client.submit(
            block_task, plan, now, settings, destinations[plan.index], pure=False
        ),
        _timed_wait(report, "stream"),
        ReorderBuffer(window),
        retries=TASK_RETRIES,
        on_done=_release,
    )
    for plan, result in results:
        report.blocks += 1
        for step, spent in result.cpu_s.items():
            report.block_cpu_s[step] = report.block_cpu_s.get(step, 0.0) + spent
        report.task_cpu_s += sum(result.cpu_s.values())
        report.block_wall_s.append(result.wall_s)
        report.warm_up_articles += plan.n_warm_up
        for stage, spent in result.stage_s.items():
            report.task_s[stage] = report.task_s.get(stage, 0.0) + spent
        started, cpu_started = time.perf_counter(), time.process_time()
        destination = destinations[plan.index]
        if isinstance(destination, BlockTarget):
            new_stories, block_map = _relink(store, destination, result)
            report.relink_s += time.perf_counter() - started
            report.relink_cpu_s += time.process_time() - cpu_started
        else:
            if result.scratch is not None:
                appended = store.append_scratch(result.scratch)
                _remove_store_file(result.scratch)
            else:
                assert result.rows is not None
                appended = store.append_block(result.rows)
            new_stories, block_map = appended.new_stories, appended.story_map
        report.write_s += time.perf_counter() - started
        _add_counts(ingest, result.report, new_stories)
        if result.state is not None:
            state, story_map = result.state, block_map
        written += plan.n_own
        if progress is not None:
            progress("articles", written, total)
    started, cpu_started = time.perf_counter(), time.process_time()
    targets = [d for d in destinations if isinstance(d, BlockTarget)]
    if targets:
        # Entity figures recounted in key ranges, one task each, at once (the server runs
        # each in its own process): the recount is not one serial statement.
        ranges = store.entity_key_ranges(ENTITY_RANGES_PER_THREAD * threads)
        futures = [
            client.submit(
                recount_entity_range, targets[0].url, low, high, pure=False, retries=TASK_RETRIES
            )
            for low, high in ranges
        ]
        for spent in client.gather(futures):
            report.block_cpu_s["entities"] = report.block_cpu_s.get("entities", 0.0) + spent
        store.finish_blocks(recount=False)
    else:
        store.finish_blocks()
    if state is not None:
        with store.transaction():
            store.save_state_snapshot(remap_state(state, story_map, store.max_story_id() + 1))
    report.finish_s += time.perf_counter() - started
    report.finish_cpu_s += time.process_time() - cpu_started


def _relink(store: Store, target: BlockTarget, result: WrittenBlock) -> tuple[int, dict[int, int]]:
    """The driver's part of a block its task wrote into PostgreSQL: its continuing stories
    merged into theirs (``Store.relink_block``). Returns the block's new stories and its
    scratch story -> stored story map (complete for the last block only, which the saved
    clustering state needs)."""
    relinked = store.relink_block(target.job, target.block)
    written = result.written
    if written is None or relinked.already:
        # Relinked by an earlier driver (a restarted backfill): counted then, and the
        # links that named its continuing stories are gone.
        return 0, {}
    # A block written by an earlier run of its task (a worker lost after its commit, so
    # that run's result never came) carries the same map, rebuilt (``written`` False).
    into = relinked.continued
    block_map = {s: into.get(t, t) for s, t in written.story_map.items()}
    if written.warm_up_stories:  # the last block: stories of its warm-up alone
        stored = store.stories_of([identity for identity, _ in written.warm_up_stories])
        for identity, story in written.warm_up_stories:
            if identity in stored:
                block_map.setdefault(story, stored[identity])
    return written.stories - len(into) - relinked.dropped, block_map


def _remove_store_file(path: str) -> None:
    """A scratch store appended already, with its journal and lock files."""
    for suffix in ("", "-wal", "-shm", "-journal", ".lock"):
        with contextlib.suppress(FileNotFoundError):
            Path(path + suffix).unlink()


def _index_on_workers(
    client: Client,
    shards: Sequence[Shard],
    now: datetime,
    report: BackfillReport,
    on_warning: Callable[[RawArticle], None] | None,
    progress: PhaseProgress | None,
) -> list[ShardIndex]:
    """The key index of every shard, read on the workers, in shard order."""
    read = in_order(
        shards,
        lambda shard: client.submit(index_shard, shard, now, pure=False),
        _timed_wait(report, "read"),
        ReorderBuffer(report.window),
        retries=TASK_RETRIES,
        on_done=_release,
    )
    indexes = []
    for done, (_, index) in enumerate(read, start=1):
        report.read_cpu_s += index.cpu_s
        if on_warning is not None:
            for record in index.warned:
                on_warning(record)
        index.warned = []
        indexes.append(index)
        if progress is not None:
            progress("shards", done, len(shards))
    return indexes


def _add_counts(into: IngestReport, block: IngestReport, new_stories: int) -> None:
    into.ingested += block.ingested
    into.duplicates += block.duplicates
    into.already_stored += block.already_stored
    into.updated += block.updated
    into.new_stories += new_stories
    for record in block.skipped:  # could not be stored (unreadable ones were counted)
        into.count_skipped(record)


@contextlib.contextmanager
def _phase_timer(report: BackfillReport, phase: str) -> Iterator[None]:
    """Wall and CPU seconds of one phase, and the driver's peak memory after it."""
    started, cpu_started = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        report.wall_s[phase] += time.perf_counter() - started
        report.cpu_s[phase] += time.process_time() - cpu_started
        report.driver_peak_mb[phase] = peak_rss_mb()


def _read_on_workers(
    client: Client,
    shards: Sequence[Shard],
    report: BackfillReport,
    on_warning: Callable[[RawArticle], None] | None,
    progress: PhaseProgress | None,
) -> Iterator[RawArticle | Skipped]:
    """Every record of every shard, read on the workers, in shard order (a bounded number
    of shards in flight)."""
    read = in_order(
        shards,
        lambda shard: client.submit(read_records, shard, pure=False),
        _timed_wait(report, "read"),
        ReorderBuffer(report.window),
        retries=TASK_RETRIES,
        on_done=_release,
    )
    for done, (_, result) in enumerate(read, start=1):
        report.read_cpu_s += result.cpu_s
        for record in result.records:
            if on_warning is not None and isinstance(record, RawArticle) and record.warnings:
                on_warning(record)
            yield record
        if progress is not None:
            progress("shards", done, len(shards))


def _timed_wait(
    report: BackfillReport, phase: str
) -> Callable[[list[TaskFuture[Any]]], Collection[Any]]:
    """Wait for the first of some Dask futures, adding the seconds to ``report.wait_s``."""
    from distributed import wait

    def wait_first(futures: list[TaskFuture[Any]]) -> Collection[Any]:
        started = time.perf_counter()
        done: Collection[Any] = wait(futures, return_when="FIRST_COMPLETED").done
        report.wait_s[phase] = report.wait_s.get(phase, 0.0) + time.perf_counter() - started
        return done

    return wait_first


def _release(future: Any) -> None:
    future.release()  # the worker may drop the result now


def _add_task_times(report: BackfillReport, result: PreparedUnit) -> None:
    report.task_cpu_s += result.cpu_s
    for stage, spent in result.seconds.items():
        report.task_s[stage] = report.task_s.get(stage, 0.0) + spent


def _summarize_on_workers(
    client: Client,
    pipeline: Pipeline,
    location: str,
    settings: Settings,
    report: BackfillReport,
    progress: PhaseProgress | None,
) -> None:
    """Summarize every touched story as tasks reading the store at ``location``; write
    each chunk's summaries here as it arrives (a bounded number of chunks in flight, so
    the driver never holds every summary)."""
    store = pipeline.store
    dirty = store.dirty_stories()
    if not dirty:
        return
    baseline = outlet_baseline(store)
    chunks = (dirty[i : i + SUMMARY_CHUNK] for i in range(0, len(dirty), SUMMARY_CHUNK))
    summaries = in_order(
        chunks,
        lambda chunk: client.submit(
            summarize_stories, location, chunk, baseline, settings, pure=False
        ),
        _timed_wait(report, "summarize"),
        ReorderBuffer(report.window),
        retries=TASK_RETRIES,
        on_done=_release,
    )
    done = 0
    for chunk, (refreshed, cpu_s) in summaries:
        # One transaction per chunk: a story's summary does not depend on another's, and
        # a story left dirty by a crash is summarized by the next run.
        pipeline.apply_refreshed(refreshed)
        report.summary_cpu_s += cpu_s
        done += len(chunk)
        if progress is not None:
            progress("stories", done, len(dirty))
    report.ingest.stories_summarized += len(dirty)


def _worker_location(store: Store) -> str | None:
    """Where a worker opens ``store``: its PostgreSQL URL, or its SQLite file as an
    absolute path (a worker's working folder may differ); None for an in-memory store."""
    if store.is_postgres:
        return store.path
    path = sqlite_path(store.path)
    return None if path == ":memory:" else str(Path(path).resolve())
