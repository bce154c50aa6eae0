"""Block plans from a key index: workers read their own records, the same as cut_blocks."""

from __future__ import annotations

import gzip
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from marsad.backfill.blocks import BlockTask, cut_blocks
from marsad.backfill.plan import index_shard, plan_blocks, read_planned
from marsad.backfill.shards import plan_shards
from marsad.ingest.readers import read_path
from marsad.models import RawArticle
from test_backfill import DEMO, demo_as_jsonl

NOW = datetime(2026, 11, 1)
SHORT = timedelta(days=1)


def origins(task: BlockTask) -> tuple[list[str], list[str]]:
    return [a.origin for a in task.warm_up], [a.origin for a in task.own]


def expected_blocks(path: Path, n_blocks: int) -> list[BlockTask]:
    """What cutting every record, held in memory, gives."""
    articles = sorted(
        (r for r in read_path(path) if isinstance(r, RawArticle)),
        key=lambda a: (a.date or NOW, a.origin),
    )
    return list(
        cut_blocks(articles, total=len(articles), n_blocks=n_blocks, now=NOW, overlap=SHORT)
    )


def planned_blocks(path: Path, n_blocks: int, shard_bytes: int) -> list[BlockTask]:
    shards, _ = plan_shards([path], shard_bytes=shard_bytes)
    plans = plan_blocks(
        shards, [index_shard(s, NOW) for s in shards], n_blocks=n_blocks, overlap=SHORT
    )
    return [read_planned(plan, NOW) for plan in plans]


@pytest.mark.parametrize("compressed", [False, True], ids=["jsonl-byte-ranges", "jsonl.gz"])
def test_workers_read_the_blocks_cut_blocks_would_give_them(
    tmp_path: Path, compressed: bool
) -> None:
    plain = tmp_path / "demo.jsonl"
    demo_as_jsonl(plain)
    path = plain
    if compressed:
        path = tmp_path / "demo.jsonl.gz"
        with plain.open("rb") as src, gzip.open(path, "wb") as dst:
            shutil.copyfileobj(src, dst)
    expected = expected_blocks(path, 4)
    got = planned_blocks(path, 4, shard_bytes=4_000)  # plain: several byte ranges
    assert len(got) == 4 and all(task.warm_up for task in got[1:])
    assert [origins(t) for t in got] == [origins(t) for t in expected]
    assert [t.is_last for t in got] == [False, False, False, True]
    # The records themselves, not only their places.
    assert [a.text for t in got for a in t.own] == [a.text for t in expected for a in t.own]


def test_a_block_plan_names_only_lines_and_a_file_not_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "demo.jsonl"
    demo_as_jsonl(path)
    shards, _ = plan_shards([path], shard_bytes=4_000)
    assert len(shards) > 3
    plans = plan_blocks(shards, [index_shard(s, NOW) for s in shards], n_blocks=4, overlap=SHORT)
    for plan in plans:
        picked = sum(len(lines) for _, lines in plan.picks if lines is not None)
        assert picked == plan.n_own + plan.n_warm_up
    # The demo's folder of .txt files has no lines to pick: read whole, filtered by key.
    shards, _ = plan_shards([DEMO])
    plans = plan_blocks(shards, [index_shard(s, NOW) for s in shards], n_blocks=2, overlap=SHORT)
    assert all(lines is None for plan in plans for _, lines in plan.picks)
    expected = [origins(t) for t in expected_blocks(DEMO, 2)]
    assert [origins(read_planned(plan, NOW)) for plan in plans] == expected


def test_a_changed_input_fails_the_block_loudly(tmp_path: Path) -> None:
    path = tmp_path / "demo.jsonl"
    demo_as_jsonl(path)
    shards, _ = plan_shards([path])
    plans = plan_blocks(shards, [index_shard(s, NOW) for s in shards], n_blocks=2, overlap=SHORT)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")
    with pytest.raises(RuntimeError, match="did the input change"):
        read_planned(plans[-1], NOW)
