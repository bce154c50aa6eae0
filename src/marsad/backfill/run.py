"""The backfill driver: shards out to Dask workers, one ordered writer, summaries back out.

Five phases, timed separately so the serial part can be named and measured::

    plan     driver   cut inputs into shards (files; plain JSONL by line-aligned byte ranges)
    prepare  workers  read + decode, then ``ingest.prepare.prepare_batch`` (clean,
                      boilerplate, tokens, MinHash, cluster features, extraction); one
                      task per shard, results gathered as they finish
    order    driver   sort by (date, origin), the streaming pipeline's order
    write    driver   all prepared articles in (date, origin) order through the streaming
                      pipeline's own stateful half (``Pipeline.store_prepared``: near-duplicate
                      index, story clusterer, threads, one store write per batch), in
                      batches of ``Settings.batch_size``
    summarize workers one task per chunk of touched stories, reading the committed store;
                      the driver writes the summaries in one transaction

The write phase is the streaming code itself, fed the same articles in the same order
with the same batch boundaries, so copies and stories come out exactly as ``marsad
ingest`` makes them; that is also why it is serial (story assignment depends on every
earlier article). Near-duplicates across shards need no shuffle here: every
fingerprint reaches the driver's band index (``dedup.minhash.DuplicateIndex``, keyed by
band), whatever shard it came from.

Idempotence: an article's identity is its source, id or URL and folded text; a batch
that is written again (a retried run, a driver restarted after a crash) finds every
identity stored and writes nothing. Story ids come from the clusterer's counter, saved
with each batch, so a resumed run continues the same numbering.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from marsad.backfill.shards import SHARD_BYTES, plan_shards
from marsad.backfill.tasks import ShardResult, prepare_shard, summarize_stories
from marsad.ingest.prepare import Prepared
from marsad.models import RawArticle, Skipped
from marsad.pipeline import IngestReport, Pipeline
from marsad.refresh import StoryRefresh, outlet_baseline
from marsad.settings import Settings
from marsad.store import Store
from marsad.store.dialect import sqlite_path
from marsad.workers import fewer_collections

if TYPE_CHECKING:
    from distributed import Client

logger = logging.getLogger(__name__)

PHASES = ("plan", "prepare", "order", "write", "summarize")
TASK_RETRIES = 2  # a task that raised is tried again; a dead worker's tasks are rescheduled
SUMMARY_CHUNK = 200  # stories per summary task: enough to outweigh a task's overhead

PhaseProgress = Callable[[str, int, int], None]  # (what, done, total)
PrepareTask = Callable[..., ShardResult]


@dataclass(slots=True)
class BackfillReport:
    """What one backfill did, and where its time went."""

    ingest: IngestReport = field(default_factory=IngestReport)
    shards: int = 0
    wall_s: dict[str, float] = field(default_factory=lambda: dict.fromkeys(PHASES, 0.0))
    task_s: dict[str, float] = field(default_factory=dict)  # summed inside worker tasks
    task_cpu_s: float = 0.0  # CPU seconds of all shard tasks
    summary_cpu_s: float = 0.0  # CPU seconds of all summary tasks
    cpu_s: dict[str, float] = field(default_factory=lambda: dict.fromkeys(PHASES, 0.0))  # driver
    summaries_on_workers: bool = False

    @property
    def total_s(self) -> float:
        """Wall-clock seconds of the whole run."""
        return sum(self.wall_s.values())

    @property
    def serial_s(self) -> float:
        """Seconds of the run that only the driver can do (plan, order, write)."""
        return self.wall_s["plan"] + self.wall_s["order"] + self.wall_s["write"]

    def line(self) -> str:
        """One-line summary for humans."""
        share = self.serial_s / self.total_s if self.total_s else 0.0
        return (
            f"{self.ingest.line()}; {self.shards} shards; "
            + ", ".join(f"{phase} {self.wall_s[phase]:.1f} s" for phase in PHASES)
            + f"; serial share {share:.0%}"
        )


def write_in_order(
    pipeline: Pipeline,
    ordered: Sequence[tuple[RawArticle, Prepared | Skipped]],
    report: IngestReport,
    skipped: Callable[[Skipped], None],
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Dedup, cluster and store date-ordered prepared articles in ``batch_size`` batches,
    through :meth:`Pipeline.store_prepared`: the batches ``marsad ingest`` would write."""
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
    workers_see_store: bool = True,
    progress: PhaseProgress | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
    on_warning: Callable[[RawArticle], None] | None = None,
    prepare_task: PrepareTask = prepare_shard,
) -> BackfillReport:
    """Ingest ``inputs`` into ``store`` with the pure stages on ``client``'s workers.

    Args:
        inputs: files or folders (.txt, .jsonl, .jsonl.gz, .csv).
        store: the store to write; only this process writes it.
        client: a connected ``distributed.Client``.
        settings: pipeline settings (``batch_size`` is the write batch, as in ingest).
        shard_bytes: byte-range size for plain JSONL files.
        workers_see_store: the workers can open the store (a SQLite file on one host, or a
            PostgreSQL server they reach): then stories are summarized on the workers,
            else here.
        progress: called with ("shards" | "articles" | "stories", done, total).
        on_skip: told every unreadable record (else kept in the report).
        on_warning: told every kept record that reading had to change.
        prepare_task: the per-shard task (tests wrap it to kill a worker).

    Returns:
        Counts and per-phase seconds.
    """
    settings = settings or Settings()
    pipeline = Pipeline(store, settings)
    report = BackfillReport()
    ingest = report.ingest

    def skipped(record: Skipped) -> None:
        if record.ignored:
            ingest.notes.append(record)
            return
        ingest.n_skipped += 1
        if on_skip is None:
            ingest.skipped.append(record)
        else:
            on_skip(record)

    started, cpu_started = time.perf_counter(), time.process_time()
    shards, notes = plan_shards(inputs, shard_bytes=shard_bytes)
    for note in notes:
        skipped(note)
    report.shards = len(shards)
    now = datetime.now().replace(microsecond=0)
    report.wall_s["plan"] = time.perf_counter() - started
    report.cpu_s["plan"] = time.process_time() - cpu_started

    started, cpu_started = time.perf_counter(), time.process_time()
    rows = _prepare_on_workers(
        client, prepare_task, shards, now, settings, report, skipped, progress
    )
    for raw, _ in rows:
        if on_warning is not None and raw.warnings:
            on_warning(raw)
    report.wall_s["prepare"] = time.perf_counter() - started
    report.cpu_s["prepare"] = time.process_time() - cpu_started

    started, cpu_started = time.perf_counter(), time.process_time()
    # The streaming pipeline's order (ingest.ordering.DateOrdered): date, then origin.
    rows.sort(key=lambda row: (row[0].date or now, row[0].origin))
    report.wall_s["order"] = time.perf_counter() - started
    report.cpu_s["order"] = time.process_time() - cpu_started
    ingest.read = len(rows) + ingest.n_skipped

    started, cpu_started = time.perf_counter(), time.process_time()
    shown = None if progress is None else _phase(progress, "articles")
    write_in_order(pipeline, rows, ingest, skipped, shown)
    del rows
    report.wall_s["write"] = time.perf_counter() - started
    report.cpu_s["write"] = time.process_time() - cpu_started

    started, cpu_started = time.perf_counter(), time.process_time()
    location = _worker_location(store)
    if workers_see_store and location is not None:
        report.summaries_on_workers = True
        _summarize_on_workers(client, pipeline, location, settings, report, progress)
    else:
        pipeline.summarize_dirty(ingest)
    report.wall_s["summarize"] = time.perf_counter() - started
    report.cpu_s["summarize"] = time.process_time() - cpu_started
    return report


def _prepare_on_workers(
    client: Client,
    prepare_task: PrepareTask,
    shards: Sequence[Any],
    now: datetime,
    settings: Settings,
    report: BackfillReport,
    skipped: Callable[[Skipped], None],
    progress: PhaseProgress | None,
) -> list[tuple[RawArticle, Prepared | Skipped]]:
    """Run the per-shard task on the workers; the prepared articles in no particular order."""
    from distributed import as_completed

    futures = [
        client.submit(prepare_task, shard, now, settings, pure=False, retries=TASK_RETRIES)
        for shard in shards
    ]
    rows: list[tuple[RawArticle, Prepared | Skipped]] = []
    for done, future in enumerate(as_completed(futures), start=1):
        result: ShardResult = future.result()
        future.release()  # the worker may drop it now
        rows.extend(zip(result.articles, result.prepared, strict=True))
        for record in result.skipped:
            skipped(record)
        report.task_cpu_s += result.cpu_s
        for stage, spent in result.seconds.items():
            report.task_s[stage] = report.task_s.get(stage, 0.0) + spent
        if progress is not None:
            progress("shards", done, len(shards))
    return rows


def _summarize_on_workers(
    client: Client,
    pipeline: Pipeline,
    location: str,
    settings: Settings,
    report: BackfillReport,
    progress: PhaseProgress | None,
) -> None:
    """Summarize every touched story as tasks reading the store at ``location``; write
    them here."""
    from distributed import as_completed

    store = pipeline.store
    dirty = store.dirty_stories()
    if not dirty:
        return
    baseline = outlet_baseline(store)
    chunks = [dirty[i : i + SUMMARY_CHUNK] for i in range(0, len(dirty), SUMMARY_CHUNK)]
    futures = [
        client.submit(summarize_stories, location, chunk, baseline, settings, pure=False, retries=2)
        for chunk in chunks
    ]
    refreshed: list[StoryRefresh | None] = []
    done = 0
    for future in as_completed(futures):
        chunk_refreshed, cpu_s = future.result()
        refreshed.extend(chunk_refreshed)
        report.summary_cpu_s += cpu_s
        future.release()
        done += SUMMARY_CHUNK
        if progress is not None:
            progress("stories", min(done, len(dirty)), len(dirty))
    pipeline.apply_refreshed(refreshed)
    report.ingest.stories_summarized += len(dirty)


def _worker_location(store: Store) -> str | None:
    """Where a worker opens ``store``: its PostgreSQL URL, or its SQLite file as an
    absolute path (a worker's working folder may differ); None for an in-memory store."""
    if store.is_postgres:
        return store.path
    path = sqlite_path(store.path)
    return None if path == ":memory:" else str(Path(path).resolve())


def _phase(progress: PhaseProgress, what: str) -> Callable[[int, int], None]:
    def show(done: int, total: int) -> None:
        progress(what, done, total)

    return show
