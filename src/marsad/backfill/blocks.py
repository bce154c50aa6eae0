"""Stories clustered in time blocks in parallel, reconciled across block boundaries.

The write path of ``marsad backfill --blocks N`` (see README, "Backfilling archives"):
the date-ordered articles are cut into ``N`` blocks of equal size (planned from their
keys alone, :mod:`marsad.backfill.plan`). Each block is one task
(:func:`write_planned_block`): it reads its own articles, prepares them, then writes them
with the streaming pipeline's own stateful half (near-duplicates, stories, threads,
extraction rows) into a scratch SQLite store on the worker, after a warm-up on the
``overlap`` of articles before it. It leaves that file in a folder the driver reaches
(``Store.keep_block``), or sends back the rows the block itself added
(``Store.export_block``). The driver appends the blocks in date order
(``Store.append_scratch`` or ``Store.append_block``): a block's story that holds warm-up
articles continues the stored story of the earliest of them; the others are new.

The overlap must cover the longest window the clusterer reads: the story window (3 days)
is not enough, since word rarity counts 7 days (on the July dev pool a 3-day warm-up
agreed with the serial stories at B-cubed 0.96-0.97, a 7-day one at 1.0000). Warm-up
articles only warm the clusterer, so they are prepared without extraction (it does not
touch stories) and their rows are not sent back.

Every block's result depends only on its own articles and warm-up, and the blocks are
cut by count whatever the cluster, so the stories are the same whatever the number of
workers. They are not always the serial stories: a block forgets what happened before
its warm-up, and a story that the serial run would have joined to two warm-up stories
keeps only the earliest.
"""

from __future__ import annotations

import contextlib
import dataclasses
import tempfile
import time
import uuid
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from marsad.backfill.tasks import worker_name
from marsad.ingest.prepare import Prepared, collector_paused, prepare_batch
from marsad.models import RawArticle, Skipped
from marsad.pipeline import IngestReport, Pipeline
from marsad.settings import Settings
from marsad.store import Store
from marsad.store.bulk import BlockRows
from marsad.store.parallel import BlockTarget, ParallelWrite
from marsad.summarize import leads_to_json
from marsad.text.arabic import NORMALIZER_VERSION
from marsad.writer_state import CLUSTER_STATE, THREAD_STATE, StateNotSaved

if TYPE_CHECKING:
    from distributed import Client

    from marsad.backfill.plan import BlockPlan

OVERLAP = timedelta(days=7)  # warm-up before each block: word rarity's window (above)
UNIT_ARTICLES = 500  # articles prepared at a time inside a block task (memory, not speed)

Row = tuple[RawArticle, Prepared | Skipped]


def cluster_block(rows: Sequence[Row], settings: Settings) -> dict[str, int]:
    """Cluster date-ordered ``rows`` (warm-up, then the block) in a scratch store; input
    id -> story id of each."""
    from marsad.backfill.run import write_in_order

    with tempfile.TemporaryDirectory(prefix="marsad-block-") as tmp:
        store = Store(Path(tmp) / "block.db", normalizer_version=NORMALIZER_VERSION)
        try:
            write_in_order(Pipeline(store, settings), rows, IngestReport(), _ignore)
            return store.story_assignments()
        finally:
            store.close()


def _ignore(_record: Skipped) -> None:
    """Skipped records were reported when the shards were read."""


@dataclass(frozen=True, slots=True)
class Block:
    """One time block: its rows (warm-up first) and the input ids of both parts."""

    rows: Sequence[Row]
    warm_up: list[str]  # in date order
    own: list[str]


def plan_blocks(
    rows: Sequence[Row], now: datetime, *, n_blocks: int, overlap: timedelta
) -> list[Block]:
    """Cut date-ordered rows into ``n_blocks`` equal blocks, each with its warm-up."""
    if n_blocks < 1:
        raise ValueError(f"n_blocks must be at least 1, got {n_blocks}")
    size = max(1, -(-len(rows) // n_blocks))
    blocks = []
    for start in range(0, len(rows), size):
        end = min(len(rows), start + size)
        begin = rows[start][0].date or now
        first = start
        while first > 0 and (rows[first - 1][0].date or now) >= begin - overlap:
            first -= 1
        blocks.append(
            Block(
                rows[first:end],
                [raw.ext_id for raw, _ in rows[first:start] if raw.ext_id],
                [raw.ext_id for raw, _ in rows[start:end] if raw.ext_id],
            )
        )
    return blocks


def cluster_in_blocks(
    client: Client,
    rows: Sequence[Row],
    now: datetime,
    settings: Settings,
    *,
    n_blocks: int,
    overlap: timedelta,
) -> dict[str, str]:
    """Input id -> global story label, from ``n_blocks`` blocks clustered as tasks."""
    blocks = plan_blocks(rows, now, n_blocks=n_blocks, overlap=overlap)
    # Scattered first: rows inside the task graph make the scheduler hold them too.
    shipped = client.scatter([list(block.rows) for block in blocks])
    futures = [client.submit(cluster_block, part, settings, pure=False) for part in shipped]
    return reconcile(blocks, client.gather(futures))


def reconcile(blocks: Sequence[Block], results: Sequence[dict[str, int]]) -> dict[str, str]:
    """Global story labels from per-block ones, block after block (see module docstring)."""
    label: dict[str, str] = {}
    for index, (block, stories) in enumerate(zip(blocks, results, strict=True)):
        mapped: dict[int, str] = {}
        # Warm-up articles in date order: the earliest labeled one names the story.
        for ext_id in block.warm_up:
            story = stories.get(ext_id)
            if story is not None and ext_id in label and story not in mapped:
                mapped[story] = label[ext_id]
        for ext_id in block.own:
            story = stories.get(ext_id)
            if story is not None:
                label[ext_id] = mapped.setdefault(story, f"b{index}s{story}")
    return label


# -- the write path -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BlockTask:
    """One block to write: its warm-up and its own articles, in date order."""

    index: int
    warm_up: list[RawArticle]
    own: list[RawArticle]
    is_last: bool  # the last block also sends its clustering state (for later writers)


@dataclass(slots=True)
class WrittenBlock:
    """What a block task sends back: the rows its own articles added, with its counts."""

    index: int
    rows: BlockRows | None  # None: left in the scratch file at ``scratch``
    report: IngestReport  # the block's own articles (warm-up not counted)
    state: dict[str, Any] | None  # clusterer and thread state at the end (last block)
    cpu_s: dict[str, float] = field(default_factory=dict)  # per step, on the worker
    stage_s: dict[str, float] = field(default_factory=dict)  # own articles' prepare stages
    wall_s: float = 0.0  # the task's wall seconds
    worker: str = ""
    scratch: str | None = None  # the scratch store's file, left for the driver to attach
    written: ParallelWrite | None = None  # written by the task straight into PostgreSQL


def cut_blocks(
    ordered: Iterable[RawArticle],
    *,
    total: int,
    n_blocks: int,
    now: datetime,
    overlap: timedelta = OVERLAP,
) -> Iterator[BlockTask]:
    """Cut ``total`` date-ordered articles into ``n_blocks`` blocks of equal size, each
    with the articles of the ``overlap`` before its first as warm-up. Holds one block and
    one overlap of articles at a time."""
    if n_blocks < 1:
        raise ValueError(f"n_blocks must be at least 1, got {n_blocks}")
    size = max(1, -(-total // n_blocks))
    count = -(-total // size) if total else 0
    recent: deque[RawArticle] = deque()  # the articles of the last overlap
    own: list[RawArticle] = []
    index = 0
    for article in ordered:
        own.append(article)
        if len(own) == size:
            yield _block(index, recent, own, now, overlap, index == count - 1)
            index += 1
            recent.extend(own)
            newest = own[-1].date or now
            while recent and (recent[0].date or now) < newest - overlap:
                recent.popleft()
            own = []
    if own:
        yield _block(index, recent, own, now, overlap, True)


def _block(
    index: int,
    recent: deque[RawArticle],
    own: list[RawArticle],
    now: datetime,
    overlap: timedelta,
    is_last: bool,
) -> BlockTask:
    begin = own[0].date or now
    warm_up = [a for a in recent if (a.date or now) >= begin - overlap]
    return BlockTask(index, warm_up, list(own), is_last)


Destination = str | BlockTarget | None  # a scratch folder, a PostgreSQL target, or rows back


def write_block(
    task: BlockTask, now: datetime, settings: Settings, keep_in: Destination = None
) -> WrittenBlock:
    """Prepare, cluster and write one block into a scratch store; its own rows back, or
    with ``keep_in`` a folder the driver reaches too, the scratch file left there for the
    driver to attach (``Store.append_scratch``), so no row travels through Dask; or with
    ``keep_in`` a :class:`BlockTarget`, the rows COPYed by this task straight into that
    PostgreSQL store in one transaction (``Store.write_block_rows``).

    Pure with respect to a SQLite target: a task run twice (a retry, a worker lost)
    writes only its own scratch file (a new name each run); into PostgreSQL, the block's
    key makes a second run write nothing. Prepared a unit at a time, so a worker holds one
    unit of prepared articles, not the block's.
    """
    wall_started = time.perf_counter()
    if isinstance(keep_in, BlockTarget):
        written = write_block(task, now, settings)
        assert written.rows is not None
        started = time.process_time()
        target = Store(keep_in.url, normalizer_version=NORMALIZER_VERSION)
        try:
            written.written = target.write_block_rows(written.rows, keep_in)
            if task.is_last:
                written.written.warm_up_stories = _unwritten_warm_up_stories(
                    written.rows, written.written.story_map
                )
        finally:
            target.close()
        written.rows = None
        written.cpu_s["write_target"] = time.process_time() - started
        written.wall_s = time.perf_counter() - wall_started
        return written
    with contextlib.ExitStack() as cleanup:
        folder = keep_in
        if folder is None:
            folder = cleanup.enter_context(tempfile.TemporaryDirectory(prefix="marsad-block-"))
        try:
            written = _write_scratch(folder, task, now, settings, keep_in, saves_state=False)
        except StateNotSaved:
            # A record failed and its batch rolled back, which reloads the writer's state
            # as last committed: the block is written again the streaming writer's way,
            # saving its state with every batch (rare: a record that cannot be stored).
            written = _write_scratch(folder, task, now, settings, keep_in, saves_state=True)
    written.wall_s = time.perf_counter() - wall_started
    return written


def _write_scratch(
    folder: str,
    task: BlockTask,
    now: datetime,
    settings: Settings,
    keep_in: Destination,
    *,
    saves_state: bool,
) -> WrittenBlock:
    """One try at writing ``task`` into a new scratch store in ``folder`` (a new name
    each try, so a half-written file is never taken for a whole one)."""
    path = Path(folder) / f"block-{task.index:05d}-{uuid.uuid4().hex}.db"
    store = Store(path, normalizer_version=NORMALIZER_VERSION)
    try:
        store.make_scratch()
        written = _write_into(
            store, task, now, settings, keep=keep_in is not None, saves_state=saves_state
        )
    except StateNotSaved:
        store.close()
        _remove_scratch(path)
        raise
    store.close()
    if keep_in is not None:
        written.scratch = str(path)
    return written


def _remove_scratch(path: Path) -> None:
    """A scratch store given up, with its lock file."""
    for suffix in ("", "-journal", "-wal", "-shm", ".lock"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


def _unwritten_warm_up_stories(rows: BlockRows, story_map: dict[int, int]) -> list[tuple[str, int]]:
    """(identity, scratch story) of the warm-up articles whose story the block did not
    write: the driver finds their stored stories for the saved clustering state."""
    return [
        (identity, int(story))
        for _, identity, story, _ in rows.warm_up
        if story is not None and int(story) not in story_map
    ]


def write_planned_block(
    plan: BlockPlan, now: datetime, settings: Settings, keep_in: Destination = None
) -> WrittenBlock:
    """The block task of ``marsad backfill --blocks``: read the block's own records from
    its plan (:func:`marsad.backfill.plan.read_planned`), then :func:`write_block`."""
    from marsad.backfill.plan import read_planned

    started = time.process_time()
    task = read_planned(plan, now)
    read_s = time.process_time() - started
    written = write_block(task, now, settings, keep_in)
    written.cpu_s["read"] = read_s
    return written


def _write_into(
    store: Store,
    task: BlockTask,
    now: datetime,
    settings: Settings,
    *,
    keep: bool,
    saves_state: bool = False,
) -> WrittenBlock:
    cpu = dict.fromkeys(("prepare_warm_up", "cluster_warm_up", "prepare", "cluster_write"), 0.0)
    stage_s: dict[str, float] = {}
    quiet = dataclasses.replace(settings, extract=False)
    report = IngestReport()
    fts: dict[str, tuple[str, str]] = {}
    leads: dict[str, str] = {}  # the summary tasks read them instead of analysing again
    # No collections during the block: it makes no reference cycles (a full collection
    # after a 1,458-article July block written with the collector off found no garbage),
    # so each collection only walked the new clustering state and caches again, 0.29 CPU
    # ms per own article (5,000 July records in 4 blocks). Back on after the block, which
    # frees its state by reference counting; a cycle it might make is collected then.
    with collector_paused():
        pipeline = Pipeline(store, quiet)
        pipeline.state.saves = saves_state
        pipeline.start_run()
        for unit in _units(task.warm_up, settings.batch_size):
            started = time.process_time()
            # No lead analysis: a warm-up article is summarized by its own block, not here.
            prepared = prepare_batch(unit, now, quiet, None, with_leads=False)
            cpu["prepare_warm_up"] += time.process_time() - started
            started = time.process_time()
            _write_batches(pipeline, unit, prepared, IngestReport(), _ignore)
            cpu["cluster_warm_up"] += time.process_time() - started
        first_own = store.next_article_id()
        pipeline.settings = settings
        for unit in _units(task.own, settings.batch_size):
            started = time.process_time()
            prepared = prepare_batch(unit, now, settings, None)
            cpu["prepare"] += time.process_time() - started
            started = time.process_time()  # kept terms and leads: part of the write's cost
            for item in prepared:
                if isinstance(item, Prepared):
                    fts[item.identity] = (item.words, item.stems)
                    if item.lead is not None:
                        leads[item.identity] = leads_to_json(item.lead)
                    for stage, spent in item.seconds.items():
                        stage_s[stage] = stage_s.get(stage, 0.0) + spent
            _write_batches(pipeline, unit, prepared, report, report.count_skipped)
            cpu["cluster_write"] += time.process_time() - started
    started = time.process_time()
    rows = None
    if keep:
        store.keep_block(first_own, fts, leads)
    else:
        rows = store.export_block(first_own)
        rows.fts = fts
        rows.leads = leads
    state = None
    if task.is_last:
        state = {
            CLUSTER_STATE: pipeline.state.clusterer.export_state(),
            THREAD_STATE: pipeline.state.threads.export_state(),
        }
    cpu["export"] = time.process_time() - started
    return WrittenBlock(task.index, rows, report, state, cpu, stage_s, 0.0, worker_name())


def _units(articles: list[RawArticle], batch_size: int) -> Iterator[list[RawArticle]]:
    """Whole write batches of about UNIT_ARTICLES: the batch boundaries stay those of
    writing all at once."""
    size = batch_size * max(1, UNIT_ARTICLES // batch_size)
    for start in range(0, len(articles), size):
        yield articles[start : start + size]


def _write_batches(
    pipeline: Pipeline,
    articles: list[RawArticle],
    prepared: list[Prepared | Skipped],
    report: IngestReport,
    skipped: Any,
) -> None:
    size = pipeline.settings.batch_size
    for start in range(0, len(articles), size):
        pipeline.store_prepared(
            articles[start : start + size], prepared[start : start + size], report, skipped
        )


def remap_state(
    state: dict[str, Any], story_map: dict[int, int], next_story_id: int
) -> dict[str, Any]:
    """The last block's clustering state in the target's story ids (stories it did not
    place are dropped), for the writers that come after the backfill."""
    cluster = dict(state[CLUSTER_STATE])
    cluster["next_story_id"] = next_story_id
    cluster["stories"] = [
        {**row, "id": story_map[int(row["id"])]}
        for row in cluster["stories"]
        if int(row["id"]) in story_map
    ]
    threads = dict(state[THREAD_STATE])
    threads["opened"] = [
        [story_map[int(story)], story_map.get(int(thread), story_map[int(story)]), *rest]
        for story, thread, *rest in threads.get("opened", [])
        if int(story) in story_map
    ]
    return {CLUSTER_STATE: cluster, THREAD_STATE: threads}


def recount_entity_range(location: str, low: str, high: str | None) -> float:
    """Task: the entity figures of keys ``low <= key < high`` recounted in the PostgreSQL
    store at ``location`` (``Store.recount_entity_range``), beside the other ranges' tasks.
    Returns the task's CPU seconds (the server's work is in its own process)."""
    started = time.process_time()
    store = Store(location, normalizer_version=NORMALIZER_VERSION)
    try:
        store.recount_entity_range(low, high)
    finally:
        store.close()
    return time.process_time() - started
