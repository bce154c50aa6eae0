"""``marsad bench``: checkpoints, the per-stage table and the last line (speed itself is
measured by running the command, never asserted here)."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from types import SimpleNamespace

import pytest

from marsad import bench
from marsad.pipeline import Settings

DEMO = Path(str(resources.files("marsad") / "demo" / "corpus"))


def test_bench_prints_each_checkpoint_and_a_parseable_last_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bench, "CHECKPOINTS", (10, 20))
    out = bench.run_bench(DEMO, settings=Settings(workers=0)).splitlines()
    marks = [int(m.group(1)) for line in out if (m := re.match(r"at\s+(\d+) articles:", line))]
    assert marks == [10, 20, 46]
    assert re.fullmatch(r"articles_per_s=\d+ peak_rss_mb=\d+", out[-1])
    assert any(line.strip().startswith("cluster") for line in out)
    assert any(line.startswith("ingested 46 ") for line in out)


def test_reading_is_charged_pro_rata_to_each_checkpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a clock where reading takes a second per record and nothing else takes time, the
    first checkpoint pays for reading its own 10 articles, not all 46: its cumulative rate
    is 1 article/s (to the printed decimal), not the 10/46 that charging the whole read would give."""
    now = {"s": 0.0}
    real_read = bench.read_path

    def slow_read(path: Path) -> list[object]:
        records = list(real_read(path))
        now["s"] += len(records)
        return records

    def perf_counter() -> float:
        now["s"] += 1e-6
        return now["s"]

    monkeypatch.setattr(bench, "read_path", slow_read)
    monkeypatch.setattr(bench, "time", SimpleNamespace(perf_counter=perf_counter))
    monkeypatch.setattr(bench, "CHECKPOINTS", (10,))
    out = bench.run_bench(DEMO, settings=Settings(workers=0)).splitlines()
    first = next(line for line in out if line.startswith("at     10 articles"))
    found = re.search(r"([\d.]+) articles/s cumulative", first)
    assert found is not None
    assert 0.9 < float(found.group(1)) <= 1.0
