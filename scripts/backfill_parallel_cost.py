"""What do blocks written by the workers straight into PostgreSQL cost, and whom?

Usage::

    python scripts/backfill_parallel_cost.py CORPUS.jsonl[.gz] [--limit 5000] [--blocks 4]
        [--keep FOLDER]

Writes the first ``limit`` records of CORPUS as ``blocks`` time blocks with
``write_block`` in this process (the workers' clustering, with extraction; with ``--keep``
the scratch stores are left in FOLDER and reused by later runs), then, without Dask, into
fresh databases of a throwaway PostgreSQL server (``tests/pg_support.py``; Debian's
postgresql binaries):

- ``old``: the driver's serial append of the rows sent back (``Store.append_block``),
  then ``finish_blocks``: the path this replaces;
- ``new``: each block's rows COPYed by ``Store.write_block_rows`` (the workers' extra
  step; here one after another, in one process), then the driver's part: ``relink_block``
  of every block in date order and ``finish_blocks``.

For each step: this process's CPU and wall milliseconds per article, and the server's
CPU (its processes' user + system time from /proc, read after the step's connection has
closed). The last line is the new driver's serial wall milliseconds per article
(relinks and finish).
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from marsad.backfill.blocks import cut_blocks, write_block
from marsad.ingest.readers import read_path
from marsad.models import RawArticle
from marsad.settings import Settings
from marsad.store import Store
from marsad.store.bulk import BlockRows
from marsad.store.parallel import STORY_IDS_PER_ARTICLE, BlockTarget, RelinkedBlock
from marsad.text.arabic import NORMALIZER_VERSION

TICKS = os.sysconf("SC_CLK_TCK")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus")
    parser.add_argument("--limit", type=int, default=5000)
    parser.add_argument("--blocks", type=int, default=4)
    parser.add_argument("--keep", metavar="FOLDER", help="scratch stores kept and reused here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="marsad-parallel-") as tmp:
        rows = block_rows(args, Path(args.keep or tmp))
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
        from pg_support import PostgresServer

        server = PostgresServer()
        try:
            n = sum(len(r.articles.rows) for r in rows)
            print(f"{n} articles in {len(rows)} blocks; load {os.getloadavg()[0]:.1f}")
            old_url = server.new_database()
            step("old: driver appends the rows sent back", server, n, old_url,
                 lambda s: [s.append_block(r) for r in rows])  # fmt: skip
            step("old: finish_blocks", server, n, old_url, lambda s: s.finish_blocks())
            url = server.new_database()
            where = targets(url, rows)
            step("new: workers COPY their blocks", server, n, url,
                 lambda s: [s.write_block_rows(r, t) for r, t in zip(rows, where, strict=True)])  # fmt: skip
            relinked: list[RelinkedBlock] = []
            relink = step("new: driver relinks", server, n, url,
                          lambda s: relinked.extend(s.relink_block(t.job, t.block) for t in where))  # fmt: skip
            continued = sum(len(r.continued) for r in relinked)
            print(
                f"  {continued} stories continued, {sum(r.dropped for r in relinked)} dropped,"
                f" {sum(r.refs for r in relinked)} references set:"
                f" {relink * 1000 / max(1, continued):.2f} wall ms per continued story"
            )
            finish = step("new: entity ranges, then finish_blocks", server, n, url, finish_new)
            old, new = open_store(old_url), open_store(url)
            same = old.story_assignments() == _renamed(new.story_assignments(), old, new)
            print(f"same grouping as the old append: {same}")
        finally:
            server.stop()
    print(f"load {os.getloadavg()[0]:.1f}")
    print(f"driver_serial_wall_ms_per_article={(relink + finish) * 1000 / n:.3f}")
    return 0


def finish_new(store: Store) -> None:
    """The recount in 4 key ranges, one after another here (the backfill runs them as
    tasks at once), then the ids."""
    for low, high in store.entity_key_ranges(4):
        store.recount_entity_range(low, high)
    store.finish_blocks(recount=False)


def block_rows(args: argparse.Namespace, folder: Path) -> list[BlockRows]:
    """The blocks' rows as their tasks export them, from kept scratch stores if any."""
    files = sorted(folder.glob("block-*.db"))
    if not files:
        now = datetime.now().replace(microsecond=0)
        records = (r for r in read_path(Path(args.corpus)) if isinstance(r, RawArticle))
        articles = sorted(
            itertools.islice(records, args.limit), key=lambda a: (a.date or now, a.origin)
        )
        started = time.process_time()
        tasks = cut_blocks(articles, total=len(articles), n_blocks=args.blocks, now=now)
        for task in tasks:
            write_block(task, now, Settings(), keep_in=str(folder))
        print(f"write_block (the workers' clustering) {time.process_time() - started:.1f} CPU s")
        files = sorted(folder.glob("block-*.db"))
    out = []
    for path in files:
        kept = open_store(str(path))
        out.append(kept.export_kept())
        kept.close()
    return out


def targets(url: str, rows: list[BlockRows]) -> list[BlockTarget]:
    store = open_store(url)
    first_article, first_story = store.start_job("measure")
    store.close()
    out = []
    for index, block in enumerate(rows):
        n = len(block.articles.rows)
        stories = STORY_IDS_PER_ARTICLE * n
        out.append(BlockTarget(url, "measure", index, first_article, n, first_story, stories))
        first_article += n
        first_story += stories
    return out


def open_store(where: str) -> Store:
    return Store(where, normalizer_version=NORMALIZER_VERSION)


def server_cpu_s(server: object) -> float:
    """User + system seconds of the server's processes so far (live ones, and the
    connections that ended, which the postmaster has reaped)."""
    data = Path(str(server.data))  # type: ignore[attr-defined]
    postmaster = int((data / "postmaster.pid").read_text().split()[0])
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if pid == postmaster:
            total += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
        elif ppid == postmaster:
            total += int(fields[11]) + int(fields[12])
    return total / TICKS


def step(name: str, server: object, n: int, url: str, work: Callable[[Store], object]) -> float:
    """Run ``work`` on a fresh connection; print its costs per article; return wall s."""
    time.sleep(0.5)  # the previous step's connection ended and was reaped
    before = server_cpu_s(server)
    store = open_store(url)
    started, cpu_started = time.perf_counter(), time.process_time()
    work(store)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    store.close()
    time.sleep(0.5)
    spent = server_cpu_s(server) - before
    per = 1000 / n
    print(
        f"{name}: {cpu * per:.3f} CPU ms/article here, {wall * per:.3f} wall;"
        f" server {spent * per:.3f} CPU ms/article (load {os.getloadavg()[0]:.1f})"
    )
    return wall


def _renamed(assignments: dict[str, int], old: Store, new: Store) -> dict[str, int]:
    """``new``'s story ids as ``old``'s (the same story holds the same first article)."""
    first_old: dict[int, str] = {}
    for ext_id, story in sorted(old.story_assignments().items()):
        first_old.setdefault(story, ext_id)
    by_first = {ext_id: story for story, ext_id in first_old.items()}
    first_new: dict[int, str] = {}
    for ext_id, story in sorted(assignments.items()):
        first_new.setdefault(story, ext_id)
    return {e: by_first.get(first_new[s], -s) for e, s in assignments.items()}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
