"""``marsad serve`` killed with SIGKILL leaves no process behind.

The server starts a refresher process (story analyses rebuilt off the serving threads,
:mod:`marsad.api.writer`). A killed parent cannot stop it; it must notice on its own and
exit, as the ingest workers do (:mod:`marsad.parent_watch`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from marsad.store import open_store
from processes import alive, descendants

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX signals"),
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc"),
]

START_TIMEOUT_S = 120  # importing the app on a loaded machine
EXIT_TIMEOUT_S = 10  # parent_watch checks every second; generous for a loaded machine


def test_killed_server_leaves_no_refresher_behind(tmp_path: Path) -> None:
    db = tmp_path / "served.db"
    open_store(db).close()
    server = subprocess.Popen(
        [sys.executable, "-m", "marsad.cli.main", "--db", str(db), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    below: set[int] = set()
    try:
        assert server.stdout is not None
        assert "serving" in server.stdout.readline()  # the app, and its writer, are up
        deadline = time.monotonic() + START_TIMEOUT_S
        while not below and time.monotonic() < deadline:
            below = descendants(server.pid)  # the refresher is spawned by the writer
            time.sleep(0.1)
        assert below, "the server started no refresher process"
        time.sleep(1.5)  # past the refresher's start-up: it is waiting for work
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait()
    deadline = time.monotonic() + EXIT_TIMEOUT_S
    while any(alive(pid) for pid in below) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = {pid for pid in below if alive(pid)}
    for pid in left:  # do not leave them to the next test either
        os.kill(pid, signal.SIGKILL)
    assert left == set(), f"{len(left)} of {len(below)} processes outlived the killed server"
