"""Load benchmark of the web server (not a test): req/s and p50/p99 latency per page.

Starts ``marsad``'s app under uvicorn on 127.0.0.1 over a store, then drives three pages
(story river, story page, search) in turn with N concurrent clients. Every loop is
bounded by a time limit and a request count; only the loopback address is contacted.

    .venv/bin/python scripts/load_bench.py STORE [--clients 20] [--seconds 10]
        [--wrk] [--ingest-every 2]

STORE is a SQLite file or a ``postgresql://`` URL (the server is the app ``marsad serve``
runs). Target: p99 < 100 ms per page on the project machine (2 cores). The machine's load
average is printed before and after, since the figures mean little without it.

Whole responses are cached by the server, so the timed loop mostly measures cached pages
(and the version checks each request makes against the store). The first request of each
path, made by the warm-up, builds the page from the store: those are printed as the
"built" lines, what a reader waits for after a commit.

With ``--ingest-every S`` a second process (as ``marsad watch`` would run beside
``marsad serve``) commits a batch of articles into the same store every S seconds while
the pages are measured, so the figures include pages rebuilt after commits, not only the
steady state between ingests. The batch re-sends the newest stored articles under another
outlet's name: they land as copies in the newest stories, the very pages being measured.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx

from marsad.store import store_exists

HOST = "127.0.0.1"
SEARCH_QUERIES = ("السعودية", "الرياض", "وزير", "الامير", "مجلس الوزراء", "النفط", "الصحة", "مكة")
SERVER_CODE = (
    "import sys, uvicorn; from marsad.api import create_app; "
    "uvicorn.run(create_app(sys.argv[1]), host=sys.argv[2], port=int(sys.argv[3]), "
    "log_level='warning', access_log=False)"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


WRITER_CODE = """
import sys, time, itertools
from datetime import datetime
from marsad.models import RawArticle
from marsad.pipeline import Pipeline
from marsad.store import open_store
db, every, batch = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
store = open_store(db)
pipeline = Pipeline(store)
newest = store.articles(store.live_article_ids(limit=4000))
originals = [a for a in newest if a.duplicate_of is None][:2000]
stamp = datetime.now().strftime("%H%M%S")
records = (
    RawArticle(source="load-wire", date=a.published, title=a.title, text=a.body,
               ext_id=f"load-{stamp}-{n}", origin=f"load:{n}")
    for n, a in enumerate(itertools.cycle(originals))
)
print("writer ready", flush=True)
commits = 0
while True:
    started = time.perf_counter()
    pipeline.ingest(itertools.islice(records, batch))
    commits += 1
    print(f"commit {commits} {time.perf_counter() - started:.2f}s", flush=True)
    time.sleep(max(0.0, every - (time.perf_counter() - started)))
"""


def start_writer(store: str, every: float, batch: int) -> subprocess.Popen[str]:
    """The concurrent ingest, as a child process committing a batch every ``every`` s."""
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER_CODE, store, str(every), str(batch)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    if writer.stdout.readline().strip() != "writer ready":
        raise SystemExit("the writer process did not start")
    return writer


def start_server(store: str, port: int) -> subprocess.Popen[bytes]:
    """The server as a child process; returns once it answers."""
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER_CODE, store, HOST, str(port)],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120  # opening a big store may rebuild its search index
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"server exited with code {server.returncode}")
        try:
            httpx.get(f"http://{HOST}:{port}/api/v1/health", timeout=1.0).raise_for_status()
            return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("server did not answer within 120 s")


async def drive(
    client: httpx.AsyncClient, paths: list[str], *, clients: int, seconds: float, max_requests: int
) -> tuple[list[float], int, float]:
    """Run ``clients`` workers over ``paths`` round robin; (latencies in s, errors, wall s)."""
    cycle = itertools.cycle(paths)
    latencies: list[float] = []
    errors = 0
    started = time.perf_counter()
    stop_at = started + seconds

    async def worker() -> None:
        nonlocal errors
        while time.perf_counter() < stop_at and len(latencies) + errors < max_requests:
            path = next(cycle)
            t0 = time.perf_counter()
            try:
                response = await client.get(path)
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            if ok:
                latencies.append(time.perf_counter() - t0)
            else:
                errors += 1

    await asyncio.gather(*(worker() for _ in range(clients)))
    return latencies, errors, time.perf_counter() - started


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def figures(name: str, latencies: list[float], errors: int, wall: float) -> str:
    """One table row: requests, errors, req/s and p50/p95/p99 in ms."""
    if not latencies:
        return f"{name:<20}{0:>9}{errors:>8}"
    return (
        f"{name:<20}{len(latencies):>9}{errors:>8}{len(latencies) / wall:>9.1f}"
        f"{statistics.median(latencies) * 1000:>9.1f}{pct(latencies, 0.95):>9.1f}"
        f"{pct(latencies, 0.99):>9.1f}"
    )


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} ({os.cpu_count()} CPUs)"


async def run(args: argparse.Namespace, port: int) -> None:
    base = f"http://{HOST}:{port}"
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30.0) as client:
        river = (await client.get("/api/v1/stories", params={"limit": 200})).json()["stories"]
        if not river:
            raise SystemExit("the store has no stories; ingest something first")
        scenarios = {
            "story river": ["/", "/?tab=breaking", "/?page=2"],
            "story page": [f"/story/{s['id']}" for s in river],
            "search": [f"/search?q={quote(q)}" for q in SEARCH_QUERIES],
            "api stories": ["/api/v1/stories?limit=50"],
        }
        print(f"{args.clients} clients, {args.seconds:g} s or {args.max_requests} requests each")
        print(
            f"{'page':<20}{'requests':>9}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
            f"{'p99 ms':>9}"
        )
        for name, paths in scenarios.items():
            # Warm up: every path once (with --ingest-every, commits keep invalidating pages),
            # so the timed loop measures the server's steady state, not first builds.
            # These first requests build their pages from the store: shown as "built".
            built, errors, wall = await drive(
                client, paths, clients=2, seconds=args.warm_up_seconds, max_requests=len(paths)
            )
            print(figures(f"{name} (built)", built, errors, wall))
            if len(built) + errors < len(paths):
                print(f"  warm-up stopped after {args.warm_up_seconds:g} s: "
                      f"{len(built) + errors} of {len(paths)} paths built")  # fmt: skip
            if args.wrk:
                print(run_wrk(base, name, paths, clients=args.clients, seconds=args.seconds))
                continue
            latencies, errors, wall = await drive(
                client, paths, clients=args.clients, seconds=args.seconds,
                max_requests=args.max_requests,
            )  # fmt: skip
            print(figures(name, latencies, errors, wall))


WRK_SCRIPT = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("WRK %%d %%d %%.3f %%.3f %%.3f %%.3f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
"""


def run_wrk(base: str, name: str, paths: list[str], *, clients: int, seconds: float) -> str:
    """Drive the paths round robin with wrk (a C client: its own cost stays off the figures)."""
    script = WRK_SCRIPT % ", ".join(f'"{p}"' for p in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    command = ["wrk", "-t1", f"-c{clients}", f"-d{max(1, int(seconds))}s", "-s", handle.name, base]
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60).stdout
    Path(handle.name).unlink()
    line = next(row for row in output.splitlines() if row.startswith("WRK "))
    requests, errors, wall, p50, p95, p99 = line.split()[1:]
    return (
        f"{name:<20}{int(requests):>9}{int(errors):>8}{int(requests) / float(wall):>9.1f}"
        f"{float(p50):>9.1f}{float(p95):>9.1f}{float(p99):>9.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", help="a Marsad store: SQLite file or postgresql:// URL")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0, help="per page kind (max 120)")
    parser.add_argument("--max-requests", type=int, default=20_000, help="per page kind")
    parser.add_argument(
        "--warm-up-seconds", type=float, default=600.0, help="most time to build every path once"
    )
    parser.add_argument(
        "--wrk", action="store_true", help="measure with wrk (Debian package) instead of httpx"
    )
    parser.add_argument(
        "--ingest-every", type=float, default=0.0, help="commit a batch every S s while measuring"
    )
    parser.add_argument("--ingest-batch", type=int, default=10, help="articles per commit")
    args = parser.parse_args()
    if not store_exists(args.store):
        raise SystemExit(f"{args.store}: no such store")
    args.seconds = min(args.seconds, 120.0)
    print(f"before: {load_average()}")
    port = free_port()
    server = start_server(args.store, port)
    writer = None
    try:
        if args.ingest_every > 0:
            writer = start_writer(args.store, args.ingest_every, args.ingest_batch)
        asyncio.run(run(args, port))
    finally:
        if writer is not None:
            writer.terminate()
            output = writer.communicate(timeout=30)[0]
            commits = [line for line in output.splitlines() if line.startswith("commit")]
            print(f"writer: {len(commits)} more commits of {args.ingest_batch} articles")
        server.terminate()
        server.wait(timeout=10)
        print(f"after: {load_average()}")


if __name__ == "__main__":
    main()
