"""Peak memory of `marsad ingest` over a .jsonl.gz that expands to about 1 GiB of empty records.

Not a test (it takes a while): prints the maximum resident set size that `/usr/bin/time -v`
reports for each kind of file, and fails (exit 1) over the limit. Kinds:

* ``records``: 1 KiB lines ``{"text": ""}`` padded with spaces (about a million records);
* ``one-line``: a single 1 GiB line with no newline (read past in chunks, never held).

Usage: .venv/bin/python scripts/hostile_memory.py [--limit-mb 300] [--gib 1.0]
"""

from __future__ import annotations

import argparse
import gzip
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

LINE = b'{"text": ""' + b" " * 1011 + b"}\n"  # 1 KiB


def write_gz(path: Path, kind: str, size: int) -> None:
    chunk = LINE * 1024 if kind == "records" else b" " * (1 << 20)  # 1 MiB either way
    with gzip.open(path, "wb", compresslevel=1) as out:
        for _ in range(size // len(chunk)):
            out.write(chunk)


def peak_rss_mb(argv: list[str]) -> tuple[float, str]:
    done = subprocess.run(["/usr/bin/time", "-v", *argv], capture_output=True, text=True)
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"no RSS figure from /usr/bin/time: {done.stderr[-500:]}")
    lines = [x for x in done.stderr.splitlines() if not x.startswith("\t")]
    return int(found.group(1)) / 1024, "\n".join([*lines[:3], done.stdout.strip()])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit-mb", type=float, default=300)
    parser.add_argument("--gib", type=float, default=1.0)
    args = parser.parse_args()
    marsad = shutil.which("marsad", path=str(Path(sys.executable).parent)) or "marsad"
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("records", "one-line"):
            path = Path(tmp) / f"{kind}.jsonl.gz"
            write_gz(path, kind, int(args.gib * (1 << 30)))
            rss, output = peak_rss_mb([marsad, "--db", f"{tmp}/{kind}.db", "ingest", str(path)])
            print(f"{kind}: {path.stat().st_size:,} bytes gz, peak RSS {rss:.0f} MB\n{output}")
            worst = max(worst, rss)
    print(f"peak_rss_mb={worst:.0f} limit_mb={args.limit_mb:.0f}")
    return 0 if worst <= args.limit_mb else 1


if __name__ == "__main__":
    sys.exit(main())
