"""What runs on the Dask workers: reading a shard with the pure stages, and summaries.

Every function here is pure with respect to the store (summaries only read it), so the
scheduler may run it twice (a worker died mid-task, a retry) without anything doubling:
the only writer is the driver.
"""

from __future__ import annotations

import os
import resource
import time
from dataclasses import dataclass, field
from datetime import datetime

from marsad.backfill.shards import Shard, read_shard
from marsad.cluster.signals import Baseline
from marsad.ingest.prepare import Prepared, prepare_batch
from marsad.models import RawArticle, Skipped
from marsad.refresh import StoryRefresh, refresh_stories
from marsad.settings import Settings
from marsad.summarize import leads_from_json
from marsad.workers import worker_store


@dataclass(slots=True)
class ShardResult:
    """A shard's articles with their pure stages done, in reading order.

    ``prepared[i]`` belongs to ``articles[i]``; ``skipped`` holds the records that could
    not be read at all.
    """

    shard: Shard
    articles: list[RawArticle]
    prepared: list[Prepared | Skipped]
    skipped: list[Skipped]
    seconds: dict[str, float] = field(default_factory=dict)  # per stage, summed over articles
    cpu_s: float = 0.0  # CPU seconds of the whole task: unlike wall time, not inflated by
    # other processes sharing the cores, so the cost model is built from it
    worker: str = ""  # host:pid that did the work


def prepare_shard(shard: Shard, now: datetime, settings: Settings) -> ShardResult:
    """Read one shard and run decode, clean, boilerplate, tokens, fingerprints, cluster
    features and (unless ``settings.extract`` is off) extraction on each article."""
    started, cpu_started = time.perf_counter(), time.process_time()
    articles: list[RawArticle] = []
    skipped: list[Skipped] = []
    for record in read_shard(shard):
        if isinstance(record, RawArticle):
            articles.append(record)
        else:
            skipped.append(record)
    seconds = {"read": time.perf_counter() - started}
    prepared = prepare_batch(articles, now, settings, None)
    for item in prepared:
        if isinstance(item, Prepared):
            for stage, spent in item.seconds.items():
                seconds[stage] = seconds.get(stage, 0.0) + spent
    cpu_s = time.process_time() - cpu_started
    return ShardResult(shard, articles, prepared, skipped, seconds, cpu_s, worker_name())


@dataclass(slots=True)
class ShardRecords:
    """The records of one shard as read and decoded on a worker, in reading order."""

    records: list[RawArticle | Skipped]
    cpu_s: float = 0.0


def read_records(shard: Shard) -> ShardRecords:
    """Read and decode one shard (the backfill orders the records on the driver)."""
    cpu_started = time.process_time()
    records = list(read_shard(shard))
    return ShardRecords(records, time.process_time() - cpu_started)


@dataclass(slots=True)
class PreparedUnit:
    """The pure stages of a run of date-ordered articles; ``prepared[i]`` belongs to the
    unit's ``i``-th article."""

    prepared: list[Prepared | Skipped]
    seconds: dict[str, float] = field(default_factory=dict)  # per stage, summed over articles
    cpu_s: float = 0.0  # CPU seconds of the task (robust to other load on the cores)
    worker: str = ""  # host:pid that did the work


def prepare_articles(articles: list[RawArticle], now: datetime, settings: Settings) -> PreparedUnit:
    """Clean, boilerplate, tokens, fingerprints, cluster features and (unless
    ``settings.extract`` is off) extraction of each article: ``prepare_batch`` as a task.

    Everything heavy it reads (NER model, name lists, stem tables) is loaded once per
    worker process by the modules' own caches, not per task.
    """
    cpu_started = time.process_time()
    prepared = prepare_batch(articles, now, settings, None)
    seconds: dict[str, float] = {}
    for item in prepared:
        if isinstance(item, Prepared):
            for stage, spent in item.seconds.items():
                seconds[stage] = seconds.get(stage, 0.0) + spent
    return PreparedUnit(prepared, seconds, time.process_time() - cpu_started, worker_name())


def summarize_stories(
    db_path: str, story_ids: list[int], baseline: Baseline, settings: Settings
) -> tuple[list[StoryRefresh | None], float]:
    """Summaries of some stories read from a store file the worker can open (read-only),
    and the task's CPU seconds. The lead analyses the block tasks kept in the store
    (``Store.block_leads``) are read, not made again."""
    cpu_started = time.process_time()
    leads = {
        article_id: leads_from_json(text)
        for article_id, text in worker_store(db_path).block_leads(story_ids).items()
    }
    refreshed = refresh_stories(db_path, story_ids, baseline, settings, leads)
    return refreshed, time.process_time() - cpu_started


def worker_name() -> str:
    """host:pid of this process."""
    return f"{os.uname().nodename}:{os.getpid()}"


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
