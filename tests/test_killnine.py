"""Crash safety: SIGKILL `marsad ingest` and `marsad watch` at random points, then resume.

Each run starts from an empty store, kills the command several times at seeded random
moments, restarts it, lets the last start run to completion, and then checks that the
store is sound: ``PRAGMA integrity_check`` passes, every input article is stored exactly
once (none lost, none duplicated), every article's story exists and each story's
``n_articles`` matches its live articles. The figures are printed (``pytest -s``).
"""

from __future__ import annotations

import gzip
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import SHARED
from fixtures.watch.loopback import Item, Route, invented_article, rss, serving
from marsad.evaluate.metrics import pairwise
from marsad.store import open_store
from marsad.store.dialect import is_postgres
from processes import alive, descendants

SNN = SHARED / "data" / "saudinewsnet" / "saudinewsnet.jsonl.gz"
N_STORIES = 2400  # five batches: the worker process runs, and can be left behind
STORY_KILLS = 10

SEED = 9
N_INGEST = 600  # two pipeline batches of 500 and 100
N_WATCH = 240  # 24 watch batches of 10; every 8th item is a teaser whose page is fetched
RUNS = 2
KILLS_PER_RUN = 3
FINAL_TIMEOUT_S = 90

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX signals")


def _cli(db: Path | str, *args: str) -> list[str]:
    return [sys.executable, "-m", "marsad.cli.main", "--db", str(db), *args]


def _kill_and_resume(
    command: list[str], rng: random.Random, window: tuple[float, float]
) -> list[str]:
    """Start ``command`` KILLS_PER_RUN times, SIGKILL each at a random moment, then finish it."""
    points = []
    for _ in range(KILLS_PER_RUN):
        delay = rng.uniform(*window)
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            process.wait(timeout=delay)
            points.append(f"{delay:.2f}s (already done)")
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
            points.append(f"{delay:.2f}s")
    final = subprocess.run(command, capture_output=True, text=True, timeout=FINAL_TIMEOUT_S)
    assert final.returncode == 0, final.stderr
    return points


def _audit(db: str, expected_ids: set[str]) -> tuple[int, int]:
    """Check the store; returns (lost, duplicated) input articles."""
    if not is_postgres(db):
        with sqlite3.connect(db) as check:
            assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    store = open_store(db, read_only=True)
    try:
        con = store.db
        counts = dict(
            con.execute("SELECT ext_id, count(*) FROM articles GROUP BY ext_id").fetchall()
        )
        orphans = con.execute(
            "SELECT count(*) FROM articles a WHERE a.story_id IS NOT NULL"
            " AND NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = a.story_id)"
        ).fetchone()[0]
        mismatched = con.execute(
            "SELECT count(*) FROM stories s WHERE s.n_articles != (SELECT count(*) FROM articles a"
            " WHERE a.story_id = s.id AND a.superseded_by IS NULL)"
        ).fetchone()[0]
        dirty = con.execute("SELECT count(*) FROM stories WHERE dirty = 1").fetchone()[0]
    finally:
        store.close()
    assert orphans == 0, "articles point to missing stories"
    assert mismatched == 0, "stories whose n_articles disagrees with their articles"
    assert dirty == 0, "stories left without a summary"
    assert set(counts) <= expected_ids, "articles that were never input"
    lost = len(expected_ids - set(counts))
    duplicated = sum(n - 1 for n in counts.values() if n > 1)
    return lost, duplicated


def _report(name: str, runs: list[list[str]], lost: int, duplicated: int) -> None:
    kills = sum(not p.endswith("(already done)") for points in runs for p in points)
    print(  # noqa: T201  (the figures are this test's report)
        f"\nkill-9 {name}: {len(runs)} runs, {kills} kills at "
        f"{'; '.join(', '.join(points) for points in runs)}; lost {lost}, duplicated {duplicated}"
    )


def test_ingest_survives_sigkill(tmp_path: Path, new_store_url: Callable[[str], str]) -> None:
    rng = random.Random(SEED)
    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as out:
        for i in range(N_INGEST):
            title, text = invented_article(rng, f"ing{i}")
            record = {"id": f"ing{i}", "source": f"outlet{i % 4}", "title": title, "text": text,
                      "date": f"2023-03-{1 + i % 28:02d}T{i % 24:02d}:00:00"}  # fmt: skip
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    expected = {f"ing{i}" for i in range(N_INGEST)}
    runs, lost, duplicated = [], 0, 0
    for run in range(RUNS):
        db = new_store_url(f"ingest{run}")
        runs.append(_kill_and_resume(_cli(db, "ingest", str(corpus)), rng, (0.25, 1.1)))
        run_lost, run_duplicated = _audit(db, expected)
        lost, duplicated = lost + run_lost, duplicated + run_duplicated
    _report("ingest", runs, lost, duplicated)
    assert (lost, duplicated) == (0, 0)


def test_watch_survives_sigkill(tmp_path: Path, new_store_url: Callable[[str], str]) -> None:
    rng = random.Random(SEED + 1)
    with serving() as server:
        items = []
        for i in range(N_WATCH):
            title, body = invented_article(rng, f"w{i}")
            teaser = i % 8 == 0
            link = server.url(f"/kn/a{i}.html")
            items.append(
                Item(
                    f"w{i}",
                    link,
                    title,
                    body,
                    f"{1 + i % 28} آذار 2023 10:{i % 60:02d}",
                    not teaser,
                )
            )
            if teaser:
                html = (
                    f"<html><body><article><h1>{title}</h1>"
                    + "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
                    + "</article></body></html>"
                )
                server.set(f"/kn/a{i}.html", Route(html.encode(), "text/html; charset=utf-8"))
        half = N_WATCH // 2  # two sources, so a kill can fall between them too
        server.set("/kn/one.xml", Route(rss(items[:half]).encode(), etag='"one"'))
        server.set("/kn/two.xml", Route(rss(items[half:]).encode(), etag='"two"'))
        sources = tmp_path / "sources.toml"
        sources.write_text(
            f'[[source]]\nname = "الأولى"\nfeeds = ["{server.url("/kn/one.xml")}"]\n\n'
            f'[[source]]\nname = "الثانية"\nfeeds = ["{server.url("/kn/two.xml")}"]\n',
            encoding="utf-8",
        )
        expected = {item.guid for item in items}
        runs, lost, duplicated = [], 0, 0
        for run in range(RUNS):
            db = new_store_url(f"watch{run}")
            command = _cli(db, "watch", "--sources", str(sources), "--once", "--host-interval", "0")
            runs.append(_kill_and_resume(command, rng, (0.5, 3.0)))
            run_lost, run_duplicated = _audit(db, expected)
            lost, duplicated = lost + run_lost, duplicated + run_duplicated
            # Everything stored: the next poll is answered 304 thanks to the stored ETags.
            before = len(server.requests_for("/kn/one.xml"))
            again = subprocess.run(command, capture_output=True, text=True, timeout=FINAL_TIMEOUT_S)
            assert "0 new item(s)" in again.stdout and "2 not modified" in again.stdout, (
                again.stdout
            )
            assert server.requests_for("/kn/one.xml")[before:][0].get("if-none-match") == '"one"'
        _report("watch", runs, lost, duplicated)
        assert (lost, duplicated) == (0, 0)


def _grouping(db: Path | str) -> dict[str, str]:
    with sqlite3.connect(db) as con:
        return {str(i): str(s) for i, s in con.execute("SELECT ext_id, story_id FROM articles")}


@pytest.mark.skipif(not SNN.is_file(), reason="needs ../shared/data/saudinewsnet")
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_killed_ingest_resumes_to_the_same_stories(tmp_path: Path) -> None:
    """Ten kills at random points, then a finishing run: the same stories as one clean run,
    and no process of a killed run (worker, resource tracker) left behind."""
    corpus = tmp_path / "july.jsonl"
    kept = 0
    with gzip.open(SNN, "rt", encoding="utf-8") as lines, corpus.open("w") as out:
        for line in lines:  # development days only
            if json.loads(line)["date"][:10] in ("2015-07-21", "2015-07-22"):
                out.write(line)
                kept += 1
                if kept >= N_STORIES:
                    break
    clean, killed = tmp_path / "clean.db", tmp_path / "killed.db"
    subprocess.run(_cli(clean, "ingest", "--no-extract", str(corpus)), check=True,
                   capture_output=True, timeout=FINAL_TIMEOUT_S * 3)  # fmt: skip
    rng = random.Random(SEED + 2)
    command = _cli(killed, "ingest", "--no-extract", str(corpus))
    points, left_behind = [], set()
    for _ in range(STORY_KILLS):
        delay = rng.uniform(1.0, 12.0)
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            process.wait(timeout=delay)
            points.append(f"{delay:.1f}s (done)")
            continue
        except subprocess.TimeoutExpired:
            below = descendants(process.pid)
            process.send_signal(signal.SIGKILL)
            process.wait()
            points.append(f"{delay:.1f}s ({len(below)} below)")
        # A worker notices its parent is gone within a second or so, even one killed while
        # starting (marsad.parent_watch: its initializer no longer waits for the ingest
        # stages' imports, which took seconds under CI load and left it behind here).
        for _ in range(50):
            if not any(alive(pid) for pid in below):
                break
            time.sleep(0.1)
        left_behind |= {pid for pid in below if alive(pid)}
    for pid in left_behind:
        os.kill(pid, signal.SIGKILL)
    final = subprocess.run(command, capture_output=True, text=True, timeout=FINAL_TIMEOUT_S * 3)
    assert final.returncode == 0, final.stderr[-2000:]
    expected, got = _grouping(clean), _grouping(killed)
    precision, recall, f1 = pairwise(got, expected)
    print(  # noqa: T201
        f"\nkill-9 stories: kills at {', '.join(points)}; {len(set(got.values()))} stories"
        f" vs {len(set(expected.values()))} clean; pairwise P/R/F1"
        f" {precision:.3f}/{recall:.3f}/{f1:.3f}; left behind {len(left_behind)}"
    )
    assert set(got) == set(expected)
    assert left_behind == set()
    assert f1 >= 0.99


def test_a_worker_whose_parent_died_while_it_started_exits_at_once() -> None:
    """The worker initializer run after the parent it was given is gone (the process has
    another parent now): it exits before doing any work; under its live parent it goes on."""

    def run(parent: str) -> tuple[int, str]:
        code = (
            "import os; from marsad.parent_watch import exit_with_parent;"
            f" exit_with_parent({parent}); print('working')"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              timeout=60)  # fmt: skip
        return done.returncode, done.stdout

    assert run("os.getppid() + 1") == (1, "")
    assert run("os.getppid()") == (0, "working\n")
