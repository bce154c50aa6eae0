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
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import quote

import httpx

from marsad.store import store_exists

HOST = "127.0.0.1"
SEARCH_QUERIES = ("السعودية", "الرياض", "وزير", "الامير", "مجلس الوزراء", "النفط", "الصحة", "مكة")
SERVER_CODE = """
import signal, sys, uvicorn
from marsad.api import create_app
app = create_app(sys.argv[1])
profile = None
if len(sys.argv) > 4:  # --profile: the event loop's thread (cached pages are served there)
    import cProfile
    profile = cProfile.Profile()
    profile.enable()
    # uvicorn raises the SIGTERM again once it has stopped: end by SystemExit, not by it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
try:
    uvicorn.run(app, host=sys.argv[2], port=int(sys.argv[3]), log_level="warning",
                access_log=False)
finally:
    if profile is not None:
        profile.disable()
        profile.dump_stats(sys.argv[4])
"""


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


def start_server(store: str, port: int, profile: str | None) -> subprocess.Popen[bytes]:
    """The server as a child process; returns once it answers."""
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            SERVER_CODE,
            store,
            HOST,
            str(port),
            *([profile] if profile else []),
        ],
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


Get = Callable[[str], Awaitable[int]]  # GET a path, read the whole answer: its status


class RawConnection:
    """One keep-alive HTTP/1.1 connection spoken by hand, as a browser keeps one open.

    httpx spends about a millisecond of CPU per request; on a 2-core machine the client
    then takes much of the core the server needs. This costs tens of microseconds: it
    writes the request line and reads the head and a Content-Length body, nothing more.
    """

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        if self.reader is None or self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        try:
            self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
            head = await self.reader.readuntil(b"\r\n\r\n")
            length = CONTENT_LENGTH.search(head)
            if length is None:  # every page the server sends says its length
                raise ConnectionError("an answer without Content-Length")
            await self.reader.readexactly(int(length.group(1)))
            return int(head[9:12])
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            self.close()  # the next request opens a fresh connection
            raise

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


CONTENT_LENGTH = re.compile(rb"\r\ncontent-length: *(\d+)", re.IGNORECASE)


async def drive(
    connect: Callable[[], Get], paths: list[str], *, clients: int, seconds: float,
    max_requests: int,
) -> tuple[list[float], int, float]:  # fmt: skip
    """Run ``clients`` workers (each its own ``connect()``) over ``paths`` round robin;
    (latencies in s, errors, wall s)."""
    cycle = itertools.cycle(paths)
    latencies: list[float] = []
    errors = 0
    started = time.perf_counter()
    stop_at = started + seconds

    async def worker() -> None:
        nonlocal errors
        get = connect()
        while time.perf_counter() < stop_at and len(latencies) + errors < max_requests:
            path = next(cycle)
            t0 = time.perf_counter()
            try:
                ok = await get(path) == 200
            except (httpx.HTTPError, OSError, asyncio.IncompleteReadError):
                ok = False
            if ok:
                latencies.append(time.perf_counter() - t0)
            else:
                errors += 1

    await asyncio.gather(*(worker() for _ in range(clients)))
    return latencies, errors, time.perf_counter() - started


class CpuMeter:
    """CPU seconds of this process (the client) and of the server over a timed loop."""

    def __init__(self, server_pid: int) -> None:
        self.server_stat = Path(f"/proc/{server_pid}/stat")
        self.started = (time.process_time(), self._server_cpu())

    def _server_cpu(self) -> float:
        if not self.server_stat.exists():  # no /proc: not measured
            return float("nan")
        fields = self.server_stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def used(self) -> tuple[float, float]:
        """(client, server) CPU seconds since the meter started."""
        return (
            time.process_time() - self.started[0],
            self._server_cpu() - self.started[1],
        )


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def figures(
    name: str, latencies: list[float], errors: int, wall: float,
    cpu: tuple[float, float] | None = None,
) -> str:  # fmt: skip
    """One table row: requests, errors, req/s, p50/p95/p99 in ms, and (timed loops) the
    CPU milliseconds per request of the server and of this client."""
    if not latencies:
        return f"{name:<20}{0:>9}{errors:>8}"
    row = (
        f"{name:<20}{len(latencies):>9}{errors:>8}{len(latencies) / wall:>9.1f}"
        f"{statistics.median(latencies) * 1000:>9.1f}{pct(latencies, 0.95):>9.1f}"
        f"{pct(latencies, 0.99):>9.1f}"
    )
    if cpu is not None:
        requests = len(latencies) + errors
        row += f"{cpu[1] * 1000 / requests:>10.2f}{cpu[0] * 1000 / requests:>10.2f}"
    return row


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} ({os.cpu_count()} CPUs)"


async def run(args: argparse.Namespace, port: int, server_pid: int) -> None:
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
        connections: list[RawConnection] = []

        def connect() -> Get:
            if args.client == "httpx":  # one pool shared by the workers

                async def get(path: str) -> int:
                    return (await client.get(path)).status_code

                return get
            connection = RawConnection(port)
            connections.append(connection)
            return connection.get

        print(f"{args.clients} clients ({args.client}), {args.seconds:g} s or "
              f"{args.max_requests} requests each")  # fmt: skip
        print(
            f"{'page':<20}{'requests':>9}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
            f"{'p99 ms':>9}{'srv cpu':>10}{'cli cpu':>10}"
        )
        print(f"{'':<72}(ms of CPU per request)")
        for name, paths in scenarios.items():
            # Warm up: every path once (with --ingest-every, commits keep invalidating pages),
            # so the timed loop measures the server's steady state, not first builds.
            # These first requests build their pages from the store: shown as "built".
            built, errors, wall = await drive(
                connect, paths, clients=2, seconds=args.warm_up_seconds, max_requests=len(paths)
            )
            print(figures(f"{name} (built)", built, errors, wall))
            if len(built) + errors < len(paths):
                print(f"  warm-up stopped after {args.warm_up_seconds:g} s: "
                      f"{len(built) + errors} of {len(paths)} paths built")  # fmt: skip
            if args.wrk:
                print(run_wrk(base, name, paths, clients=args.clients, seconds=args.seconds))
                continue
            meter = CpuMeter(server_pid)
            latencies, errors, wall = await drive(
                connect, paths, clients=args.clients, seconds=args.seconds,
                max_requests=args.max_requests,
            )  # fmt: skip
            print(figures(name, latencies, errors, wall, meter.used()))
            for connection in connections:
                connection.close()
            connections.clear()


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


def print_profile(path: str, rows: int = 25) -> None:
    """The server's costliest functions (own time), over warm-up and timed loops alike."""
    import pstats

    pstats.Stats(path).sort_stats("tottime").print_stats(rows)


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
        "--client",
        choices=("raw", "httpx"),
        default="raw",
        help="raw: keep-alive HTTP written by hand (cheap); httpx: the httpx client (~1 ms CPU"
        " per request of its own)",
    )
    parser.add_argument(
        "--profile", metavar="FILE", help="profile the server's event loop (cProfile) into FILE"
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
    server = start_server(args.store, port, args.profile)
    writer = None
    try:
        if args.ingest_every > 0:
            writer = start_writer(args.store, args.ingest_every, args.ingest_batch)
        asyncio.run(run(args, port, server.pid))
    finally:
        if writer is not None:
            writer.terminate()
            output = writer.communicate(timeout=30)[0]
            commits = [line for line in output.splitlines() if line.startswith("commit")]
            print(f"writer: {len(commits)} more commits of {args.ingest_batch} articles")
        server.terminate()
        server.wait(timeout=60)  # a profiled server writes its profile on the way out
        print(f"after: {load_average()}")
        if args.profile:
            print_profile(args.profile)


if __name__ == "__main__":
    main()
