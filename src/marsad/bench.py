"""``marsad bench``: end-to-end throughput and memory, per stage and as the corpus grows.

Articles are read once, sorted by date and fed to one pipeline in growing chunks, as a
live stream would arrive; each chunk includes refreshing the summaries of touched stories.
The rate is printed at each checkpoint so a super-linear cost would show as a falling rate.
Reading the corpus counts pro rata: each checkpoint is charged the reading of its own articles.
"""

from __future__ import annotations

import gzip
import resource
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from marsad.errors import StoreError
from marsad.ingest import read_path
from marsad.models import RawArticle, Skipped
from marsad.pipeline import STAGES, IngestReport, Pipeline, ProgressFn
from marsad.settings import Settings
from marsad.store import Store
from marsad.text.arabic import NORMALIZER_VERSION

CHECKPOINTS = (5_000, 10_000, 20_000)


def peak_rss_mb(workers: int = 0) -> float:
    """Peak resident memory so far, in MB (Linux reports KiB), worker processes included.

    The kernel keeps only the largest finished child's peak, so the figure counts that
    peak once per worker: an upper bound of what main process and workers held at once.
    """
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + workers * child) / 1024


def run_bench(
    corpus: Path,
    *,
    limit: int | None = None,
    settings: Settings | None = None,
    progress: ProgressFn | None = None,
    store_location: str | None = None,
) -> str:
    """Run the whole pipeline over a corpus; the last line is ``articles_per_s=N peak_rss_mb=M``.

    ``store_location``: an empty store (path or URL) to ingest into, to measure that
    backend; default a temporary SQLite file.
    """
    lines = [f"corpus: {corpus}"]
    started = time.perf_counter()
    records = list(read_path(corpus))
    read_s = time.perf_counter() - started
    articles = [r for r in records if isinstance(r, RawArticle)]
    skipped = [r for r in records if isinstance(r, Skipped)]
    readable = len(articles)
    if limit is not None:
        articles = articles[:limit]
    articles.sort(key=lambda a: (a.date or datetime.max, a.origin))
    total = len(articles)
    lines.append(f"read {len(records)} records in {read_s:.1f} s ({len(skipped)} unreadable)")

    marks = [c for c in CHECKPOINTS if c < total] + [total]
    workers = (settings or Settings()).pool_size
    totals = IngestReport()
    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as tmp:
        store = Store(
            store_location or Path(tmp) / "bench.db", normalizer_version=NORMALIZER_VERSION
        )
        if store.count("articles"):
            store.close()
            raise StoreError(f"{store.location}: bench needs an empty store")
        lines.append(f"store: {store.location}")
        pipeline = Pipeline(store, settings)
        # Reading counts towards the end-to-end rate, pro rata at every checkpoint: the
        # corpus is read in one go (to sort it by date), but a stream reads as it goes, and
        # charging all of it to the first checkpoint would understate the early rate.
        read_per_article = read_s / max(1, readable)
        done, elapsed = 0, 0.0
        for mark in marks:
            chunk_started = time.perf_counter()
            report = pipeline.ingest(articles[done:mark], progress=_offset(progress, done, total))
            chunk_s = time.perf_counter() - chunk_started + read_per_article * (mark - done)
            elapsed += chunk_s
            _accumulate(totals, report)
            chunk_rate = (mark - done) / max(1e-9, chunk_s)
            done = mark
            lines.append(
                f"at {mark:>6} articles: {mark / elapsed:8.1f} articles/s cumulative, "
                f"{chunk_rate:8.1f} articles/s for the last chunk, "
                f"{store.count('stories')} stories, peak {peak_rss_mb(workers):.0f} MB"
            )
        store.close()

    lines.append(
        f"ingested {totals.ingested} ({totals.duplicates} duplicate copies), "
        f"skipped {totals.n_skipped}, stories summarized {totals.stories_summarized}"
    )
    lines.append(
        "per stage (seconds, articles/s; with a worker process, clean/analyze/extract and"
        " part of dedup and cluster ran there, beside the rest):"
    )
    stage_seconds = dict(totals.seconds)
    stage_seconds["read"] += read_per_article * total
    for stage in STAGES:
        secs = stage_seconds[stage]
        rate = total / secs if secs > 0 else float("inf")
        lines.append(f"  {stage:<10} {secs:8.2f} s  {rate:10.0f} articles/s")
    own = peak_rss_mb()
    lines.append(
        f"peak memory: main process {own:.0f} MB, largest worker {peak_rss_mb(1) - own:.0f} MB"
    )
    lines.append(f"articles_per_s={total / elapsed:.0f} peak_rss_mb={peak_rss_mb(workers):.0f}")
    return "\n".join(lines)


def _offset(progress: ProgressFn | None, base: int, total: int) -> ProgressFn | None:
    """Report a chunk's progress as progress through the whole corpus."""
    if progress is None:
        return None
    report = progress

    def shifted(done: int, _chunk_total: int) -> None:
        report(base + done, total)

    return shifted


def _accumulate(totals: IngestReport, report: IngestReport) -> None:
    totals.ingested += report.ingested
    totals.duplicates += report.duplicates
    totals.n_skipped += report.n_skipped
    totals.stories_summarized += report.stories_summarized
    for stage, secs in report.seconds.items():
        totals.seconds[stage] += secs


def run_backfill_bench(
    corpus: Path,
    *,
    workers: int,
    limit: int | None = None,
    settings: Settings | None = None,
    progress: ProgressFn | None = None,
    blocks: int = 0,
) -> str:
    """``marsad backfill`` of a JSONL(.gz) corpus on a local cluster of ``workers`` processes
    (with ``blocks``, its time-block write path).

    The first ``limit`` records are copied to a temporary plain JSONL file (a gzip file
    cannot be split), so the shards are byte ranges as on a real archive. The last line is
    ``articles_per_s=N peak_rss_mb_per_worker=M peak_rss_mb_driver=D``; the rate counts the
    backfill from planning shards to the last summary, not the cluster's start-up (printed
    apart).
    """
    from marsad.backfill.cluster import dask_client
    from marsad.backfill.run import PHASES, backfill
    from marsad.backfill.tasks import peak_rss_mb as worker_peak_mb

    mode = f"{blocks} time blocks" if blocks else "ordered write"
    lines = [f"corpus: {corpus} (backfill, {mode}, {workers} worker process(es), 1 thread each)"]
    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as tmp:
        sliced = Path(tmp) / "corpus.jsonl"
        copied = _copy_jsonl(corpus, sliced, limit)
        lines.append(f"input: {copied} records as plain JSONL ({sliced.stat().st_size:,} bytes)")
        store = Store(Path(tmp) / "bench.db", normalizer_version=NORMALIZER_VERSION)
        scratch = Path(tmp) / "blocks"  # local workers: blocks are attached, not sent back
        scratch.mkdir()
        started = time.perf_counter()
        with dask_client(local_workers=workers) as client:
            lines.append(f"cluster started in {time.perf_counter() - started:.1f} s")
            shown = None if progress is None else _phase_progress(progress)
            report = backfill(
                [str(sliced)],
                store,
                client,
                settings=settings,
                progress=shown,
                on_skip=_quiet,
                blocks=blocks,
                scratch_dir=str(scratch),
            )
            peaks = client.run(worker_peak_mb)
        articles = report.ingest.ingested + report.ingest.already_stored
        store.close()
    total_s = report.total_s
    lines.append(report.ingest.line())
    lines.append(
        f"{report.shards} shards read; {report.units} prepare units, at most {report.window} in"
        f" flight, at most {report.peak_units_held} finished units waiting for an earlier one"
    )
    lines.append("wall seconds per phase (the driver waits, writes and orders inside each):")
    for phase in PHASES:
        lines.append(
            f"  {phase:<10} {report.wall_s[phase]:8.2f} s  {report.wall_s[phase] / total_s:6.1%}"
            f"  waiting for workers {report.wait_s.get(phase, 0.0):7.2f} s"
        )
    if report.blocks:
        lines.append(
            f"  appends (Store.append_scratch, serial, inside stream) {report.write_s:.2f} s"
            f" ({report.write_s * 1000 / max(1, articles):.2f} ms/article);"
            f" after the last block (entity recount, state) {report.finish_s:.2f} s"
        )
        lines.append(
            f"block tasks, CPU seconds summed over the workers ({report.blocks} blocks,"
            " wall per block " + ", ".join(f"{s:.0f}" for s in report.block_wall_s) + " s):"
        )
        lines.append(
            f"  ({articles} own articles, {report.warm_up_articles} warm-up articles;"
            " the warm-up steps per warm-up article:"
            + ", ".join(
                f" {step} {report.block_cpu_s[step] * 1000 / max(1, report.warm_up_articles):.2f} ms"
                for step in ("prepare_warm_up", "cluster_warm_up")
                if step in report.block_cpu_s
            )
            + ")"
        )
        for step, secs in report.block_cpu_s.items():
            lines.append(
                f"  {step:<16} {secs:8.2f} s  {secs * 1000 / max(1, articles):6.2f} ms/article"
            )
    else:
        lines.append(
            f"  writes (Pipeline.store_prepared, serial, inside stream) {report.write_s:.2f} s"
        )
    lines.append("task seconds per stage, summed over the workers (one core each):")
    for stage, secs in sorted(report.task_s.items()):
        rate = articles / secs if secs > 0 else float("inf")
        lines.append(f"  {stage:<10} {secs:8.2f} s  {rate:10.0f} articles/s per core")
    lines.append("driver seconds per stage inside the serial writes:")
    for stage in () if report.blocks else ("dedup", "cluster", "extract", "store"):
        # store_prepared adds the workers' seconds to the report; what is left is the driver's.
        secs = report.ingest.seconds[stage] - report.task_s.get(stage, 0.0)
        rate = articles / secs if secs > 0 else float("inf")
        lines.append(f"  {stage:<10} {secs:8.2f} s  {rate:10.0f} articles/s")
    lines.append(
        f"serial (plan + read + writes{' + finish' if report.blocks else ''} + name mining"
        f" {report.mining_s:.1f} s) {report.serial_s:.1f} s of {total_s:.1f} s"
        f" ({report.serial_s / total_s:.1%}); parallel part (workers' wall, the driver"
        f" waiting) {sum(report.wait_s.values()):.1f} s"
    )
    per_article = 1000 / max(1, articles)
    lines.append(
        "CPU seconds (robust to other load on the cores, unlike the wall times above):"
        f" read tasks {report.read_cpu_s:.1f} s ({report.read_cpu_s * per_article:.2f} ms/article),"
        f" prepare tasks {report.task_cpu_s:.1f} s ({report.task_cpu_s * per_article:.1f} ms/article),"
        f" summary tasks {report.summary_cpu_s:.1f} s"
        f" ({report.summary_cpu_s * per_article:.2f} ms/article); driver: "
        + ", ".join(
            f"{phase} {secs:.1f} s ({secs * per_article:.2f} ms/article)"
            for phase, secs in report.cpu_s.items()
        )
    )
    worker_peak = max(peaks.values()) if peaks else 0.0
    driver_peak = peak_rss_mb()
    lines.append(
        "peak memory: driver "
        + ", ".join(f"after {phase} {mb:.0f}" for phase, mb in report.driver_peak_mb.items())
        + " MB; workers "
        + ", ".join(f"{mb:.0f}" for mb in sorted(peaks.values()))
        + " MB"
    )
    lines.append(
        f"articles_per_s={articles / total_s:.0f} peak_rss_mb_per_worker={worker_peak:.0f}"
        f" peak_rss_mb_driver={driver_peak:.0f}"
    )
    return "\n".join(lines)


def _copy_jsonl(corpus: Path, out: Path, limit: int | None) -> int:
    """Copy the first ``limit`` non-empty lines of a JSONL(.gz) file to plain ``out``."""
    opener = gzip.open if corpus.name.lower().endswith(".gz") else open
    copied = 0
    with opener(corpus, "rb") as source, out.open("wb") as target:
        for line in source:
            if limit is not None and copied >= limit:
                break
            if line.strip():
                target.write(line if line.endswith(b"\n") else line + b"\n")
                copied += 1
    return copied


def _phase_progress(progress: ProgressFn) -> Callable[[str, int, int], None]:
    """Show only the slowest phase (preparing and writing articles) on the one bar."""

    def show(what: str, done: int, total: int) -> None:
        if what == "articles":
            progress(done, total)

    return show


def _quiet(_record: Skipped) -> None:
    """Skipped records are counted in the report, not printed, in a benchmark."""
