"""Stories clustered in time blocks in parallel, reconciled across block boundaries.

An experiment towards lifting the serial write (see README, "Backfilling archives"): the
date-ordered articles are cut into ``n_blocks`` blocks of equal size; each block is
clustered by the streaming pipeline's own stateful half, as a task, into a scratch store,
after a warm-up on the ``overlap`` of articles before it. The overlap must cover the
longest window the clusterer reads: the story window (3 days) is not enough, since word
rarity counts 7 days (on the July dev pool a 3-day warm-up agreed with the serial
stories at B-cubed 0.96-0.97, a 7-day one at 1.0000). Reconciliation walks the blocks in date
order: a block's story that holds a warm-up article takes the global story of that
article (of the earliest one, when several), any other story gets a new global label.
Every block's result depends only on its own articles, so the stories are the same
whatever the number of workers. They are not always the serial stories: a block forgets
what happened before its warm-up (word rarity, stories still open), and a story that the
serial run would have joined to two warm-up stories keeps only the earliest. The
agreement with the serial path is measured by ``scripts/backfill_blocks.py``; nothing is
written to the real store here.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from marsad.ingest.prepare import Prepared
from marsad.models import RawArticle, Skipped
from marsad.pipeline import IngestReport, Pipeline
from marsad.settings import Settings
from marsad.store import Store
from marsad.text.arabic import NORMALIZER_VERSION

if TYPE_CHECKING:
    from distributed import Client

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
