"""``marsad backfill`` on a real two-worker LocalCluster gives what ``marsad ingest`` gives."""

from __future__ import annotations

import itertools
import json
import os
import sys
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

import pytest

from conftest import SEEDS
from marsad.backfill.blocks import cluster_block, cluster_in_blocks, plan_blocks, reconcile
from marsad.backfill.run import backfill
from marsad.backfill.shards import plan_shards, read_shard
from marsad.backfill.tasks import PreparedUnit, prepare_articles
from marsad.ingest.prepare import prepare_batch
from marsad.ingest.readers import read_path
from marsad.models import RawArticle
from marsad.pipeline import IngestReport, Pipeline
from marsad.settings import Settings
from marsad.store import Store
from marsad.text.arabic import NORMALIZER_VERSION

distributed = pytest.importorskip("distributed")
cloudpickle = pytest.importorskip("cloudpickle")

DEMO = Path(__file__).resolve().parents[1] / "src" / "marsad" / "demo" / "corpus"
# Small batches and units, so the demo's 46 articles make several write batches and
# several prepare tasks, with fewer units in flight than there are.
SETTINGS = Settings(batch_size=8)
UNIT_ARTICLES = 8
WINDOW = 3


@pytest.fixture(scope="module")
def client() -> Iterator[distributed.Client]:
    from marsad.backfill.cluster import dask_client

    # The worker-kill task below is defined here, in a module the workers cannot import.
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    with dask_client(local_workers=2) as dask:
        yield dask


def inputs() -> list[Path]:
    """The demo corpus, and the seeds when ../shared is beside the checkout."""
    return [DEMO, SEEDS] if SEEDS.is_dir() else [DEMO]


def streamed(path: Path | str, sources: list[Path], settings: Settings = SETTINGS) -> Store:
    store = Store(path, normalizer_version=NORMALIZER_VERSION)
    records = itertools.chain.from_iterable(read_path(s) for s in sources)
    Pipeline(store, settings).ingest(records)
    return store


def backfilled(path: Path | str, sources: list[Path], client: object, **options: object) -> Store:
    store = Store(path, normalizer_version=NORMALIZER_VERSION)
    options = {"unit_articles": UNIT_ARTICLES, "window": WINDOW, **options}
    report = backfill([str(s) for s in sources], store, client, settings=SETTINGS, **options)  # type: ignore[arg-type]
    assert not report.ingest.skipped
    assert report.units > WINDOW and report.peak_units_held <= WINDOW
    return store


def snapshot(store: Store) -> dict[str, object]:
    return {
        "articles": store.rows(
            "SELECT id, ext_id, origin, source, story_id, duplicate_of, title, body, identity"
            " FROM articles ORDER BY id"
        ),
        "stories": store.rows(
            "SELECT id, title, n_articles, n_passages, sources, summary, thread_id, burst,"
            " breaking FROM stories ORDER BY id"
        ),
        "mentions": store.rows(
            "SELECT article_id, label, start, end, key FROM mentions ORDER BY id"
        ),
        "statements": store.rows(
            "SELECT article_id, speaker, start, end FROM statements ORDER BY id"
        ),
        "numbers": store.rows("SELECT article_id, value, start, end FROM numbers ORDER BY id"),
        "passages": store.rows("SELECT article_id, story_id, start, end FROM passages ORDER BY id"),
    }


def test_backfill_stores_exactly_what_streaming_ingest_stores(tmp_path: Path, client) -> None:
    sources = inputs()
    expected = snapshot(streamed(tmp_path / "stream.db", sources))
    got = snapshot(backfilled(tmp_path / "backfill.db", sources, client))
    assert len(expected["articles"]) >= 46 and expected["mentions"]  # type: ignore[arg-type]
    assert any(a["duplicate_of"] for a in expected["articles"])  # type: ignore[attr-defined]
    assert got == expected


def test_backfill_into_either_backend_stores_what_ingest_stores(
    new_store_url: Callable[[str], str], client
) -> None:
    # Summaries run on the workers, which open the server's URL (read-only) themselves.
    expected = snapshot(streamed(new_store_url("stream"), [DEMO]))
    got = snapshot(backfilled(new_store_url("backfill"), [DEMO], client))
    assert len(expected["articles"]) == 46  # type: ignore[arg-type]
    assert got == expected


def demo_as_jsonl(path: Path) -> dict[str, int]:
    """The demo corpus as one plain JSONL file; returns id -> line number."""
    lines = {}
    with path.open("w", encoding="utf-8") as out:
        articles = [r for r in read_path(DEMO) if isinstance(r, RawArticle)]
        for number, article in enumerate(articles, start=1):
            record = {
                "id": f"demo-{number}",
                "source": article.source,
                "date": article.date.isoformat() if article.date else None,
                "title": article.title,
                "text": article.text,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            lines[f"demo-{number}"] = number
    return lines


@pytest.mark.parametrize("shard_bytes", [1, 999, 20_000])
def test_byte_range_shards_read_every_line_once_with_ingest_origins(
    tmp_path: Path, shard_bytes: int
) -> None:
    path = tmp_path / "demo.jsonl"
    demo_as_jsonl(path)
    shards, _ = plan_shards([path], shard_bytes=shard_bytes)
    assert len(shards) > 1
    assert all(s.end is not None for s in shards)
    whole = [(r.origin, r.ext_id, r.text) for r in read_path(path) if isinstance(r, RawArticle)]
    split = [
        (r.origin, r.ext_id, r.text)
        for shard in shards
        for r in read_shard(shard)
        if isinstance(r, RawArticle)
    ]
    assert split == whole


def test_a_story_cut_by_a_shard_boundary_is_one_story(tmp_path: Path, client) -> None:
    path = tmp_path / "demo.jsonl"
    line_of = demo_as_jsonl(path)
    shard_bytes = path.stat().st_size // 6
    shards, _ = plan_shards([path], shard_bytes=shard_bytes)
    expected = streamed(tmp_path / "stream.db", [path])
    got = backfilled(tmp_path / "backfill.db", [path], client, shard_bytes=shard_bytes)
    assert snapshot(got) == snapshot(expected)

    def shard_of(ext_id: str) -> int:
        line = line_of[ext_id]
        return max(i for i, s in enumerate(shards) if s.first_line <= line)

    members: dict[int, set[int]] = {}
    for ext_id, story in got.story_assignments().items():
        members.setdefault(story, set()).add(shard_of(ext_id))
    assert any(len(spread) > 1 for spread in members.values()), "a story spans shards"


def prepare_or_die_once(
    articles: list[RawArticle], now: datetime, settings: Settings, *, marker: str
) -> PreparedUnit:
    """The prepare task, except that the first call anywhere kills its worker process."""
    try:
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return prepare_articles(articles, now, settings)
    os.close(fd)
    os._exit(1)  # as a worker killed by the OOM killer or a lost machine would


def test_a_worker_killed_mid_run_loses_and_doubles_nothing(tmp_path: Path, client) -> None:
    marker = tmp_path / "killed"
    task = partial(prepare_or_die_once, marker=str(marker))
    expected = snapshot(streamed(tmp_path / "stream.db", [DEMO]))
    got = snapshot(backfilled(tmp_path / "backfill.db", [DEMO], client, prepare_task=task))
    assert marker.exists(), "a worker was killed"
    assert got == expected
    assert len({a["identity"] for a in got["articles"]}) == len(got["articles"])  # type: ignore[attr-defined]


def prepare_or_raise_once(
    articles: list[RawArticle], now: datetime, settings: Settings, *, marker: str
) -> PreparedUnit:
    """The prepare task, except that its first call anywhere raises (after doing the work)."""
    result = prepare_articles(articles, now, settings)
    try:
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return result
    os.close(fd)
    raise OSError("lost the connection to the store mount")


def test_a_unit_whose_task_raised_is_run_again_and_written_once(tmp_path: Path, client) -> None:
    marker = tmp_path / "raised"
    task = partial(prepare_or_raise_once, marker=str(marker))
    expected = snapshot(streamed(tmp_path / "stream.db", [DEMO]))
    got = snapshot(backfilled(tmp_path / "backfill.db", [DEMO], client, prepare_task=task))
    assert marker.exists(), "a task raised"
    assert got == expected


def test_a_retried_batch_writes_nothing_twice(tmp_path: Path) -> None:
    store = Store(tmp_path / "retry.db", normalizer_version=NORMALIZER_VERSION)
    pipeline = Pipeline(store, SETTINGS)
    articles = sorted(
        (r for r in read_path(DEMO) if isinstance(r, RawArticle)),
        key=lambda a: (a.date or datetime.max, a.origin),
    )
    batch = articles[:10]
    prepared = prepare_batch(batch, datetime(2026, 11, 1), SETTINGS, None)
    pipeline.start_run()
    first, again = IngestReport(), IngestReport()
    pipeline.store_prepared(batch, list(prepared), first)
    before = snapshot(store)
    pipeline.store_prepared(batch, list(prepared), again)
    assert first.ingested == 10 and first.new_stories > 0
    assert again.ingested == 0 and again.new_stories == 0 and again.already_stored == 10
    assert snapshot(store) == before


def partition(labels: dict[str, object]) -> set[frozenset[str]]:
    groups: dict[object, set[str]] = {}
    for item, label in labels.items():
        groups.setdefault(label, set()).add(item)
    return {frozenset(group) for group in groups.values()}


def test_time_blocks_reconcile_the_same_whatever_runs_them(tmp_path: Path, client) -> None:
    path = tmp_path / "demo.jsonl"
    demo_as_jsonl(path)
    now = datetime(2026, 11, 1)
    settings = Settings(batch_size=8, extract=False)
    articles = sorted(
        (r for r in read_path(path) if isinstance(r, RawArticle)),
        key=lambda a: (a.date or now, a.origin),
    )
    rows = list(zip(articles, prepare_batch(articles, now, settings, None), strict=True))
    serial = cluster_block(rows, settings)
    one = cluster_in_blocks(client, rows, now, settings, n_blocks=1, overlap=timedelta(days=3))
    assert partition(one) == partition(serial)
    blocks = plan_blocks(rows, now, n_blocks=3, overlap=timedelta(days=3))
    assert len(blocks) == 3 and all(b.warm_up for b in blocks[1:])
    inline = reconcile(blocks, [cluster_block(b.rows, settings) for b in blocks])
    on_workers = cluster_in_blocks(
        client, rows, now, settings, n_blocks=3, overlap=timedelta(days=3)
    )
    assert on_workers == inline
    assert set(on_workers) == set(serial)


def test_bench_backfill_ends_with_a_parseable_line(tmp_path: Path) -> None:
    from marsad.bench import run_backfill_bench

    path = tmp_path / "demo.jsonl"
    demo_as_jsonl(path)
    out = run_backfill_bench(path, workers=1, limit=20, settings=Settings(extract=False))
    assert "input: 20 records" in out and "ingested 20 " in out
    fields = dict(part.split("=") for part in out.splitlines()[-1].split())
    assert set(fields) == {"articles_per_s", "peak_rss_mb_per_worker", "peak_rss_mb_driver"}
    assert all(float(value) > 0 for value in fields.values())


def test_cli_backfill_on_a_running_scheduler_stores_what_ingest_stores(
    tmp_path: Path, client, capsys: pytest.CaptureFixture[str]
) -> None:
    from marsad.cli.main import main

    db = tmp_path / "cli.db"
    # --cluster: summaries are made here, since remote workers could not open the file.
    code = main(["--db", str(db), "backfill", str(DEMO), "--cluster", client.scheduler.address])
    assert code == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[-1].startswith("ingested 46 ")
    assert "dashboard: " in err
    got = Store(db, normalizer_version=NORMALIZER_VERSION)
    assert snapshot(got) == snapshot(streamed(tmp_path / "stream.db", [DEMO], Settings()))
    assert (
        main(["--db", str(db), "backfill", str(tmp_path / "absent"), "--local-workers", "1"]) == 2
    )
