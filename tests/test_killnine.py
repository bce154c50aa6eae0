"""Crash safety: SIGKILL `marsad ingest` and `marsad watch` at random points, then resume.

Each run starts from an empty store, kills the command several times at seeded random
moments, restarts it, lets the last start run to completion, and then checks that the
store is sound: ``PRAGMA integrity_check`` passes, every input article is stored exactly
once (none lost, none duplicated), every article's story exists and each story's
``n_articles`` matches its live articles. The figures are printed (``pytest -s``).
"""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.watch.loopback import Item, Route, invented_article, rss, serving

SEED = 9
N_INGEST = 600  # two pipeline batches of 500 and 100
N_WATCH = 240  # 24 watch batches of 10; every 8th item is a teaser whose page is fetched
RUNS = 2
KILLS_PER_RUN = 3
FINAL_TIMEOUT_S = 90

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX signals")


def _cli(db: Path, *args: str) -> list[str]:
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


def _audit(db: Path, expected_ids: set[str]) -> tuple[int, int]:
    """Check the store; returns (lost, duplicated) input articles."""
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
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


def test_ingest_survives_sigkill(tmp_path: Path) -> None:
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
        db = tmp_path / f"ingest{run}.db"
        runs.append(_kill_and_resume(_cli(db, "ingest", str(corpus)), rng, (0.25, 1.1)))
        run_lost, run_duplicated = _audit(db, expected)
        lost, duplicated = lost + run_lost, duplicated + run_duplicated
    _report("ingest", runs, lost, duplicated)
    assert (lost, duplicated) == (0, 0)


def test_watch_survives_sigkill(tmp_path: Path) -> None:
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
            db = tmp_path / f"watch{run}.db"
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
