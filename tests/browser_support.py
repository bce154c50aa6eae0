"""What the browser tests share: Debian's Chromium, a served app, the screenshots folder.

Importing this module skips the importing test module when Chromium (/usr/bin/chromium,
Debian's package) or playwright is missing: Playwright's own browser download cannot work
offline.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from loopback import listening_socket

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        "browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright")
uvicorn = pytest.importorskip("uvicorn", reason="browser tests need uvicorn")

# Screenshots for a person to look at; each test overwrites its own files.
SCREENSHOTS = Path(__file__).resolve().parents[1] / "build" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """Serve ``app`` on a free local port in a thread; yields its base URL.

    The server gets a socket already bound (tests/loopback.py): a port number chosen first
    and bound later could be taken meanwhile by another process on a busy machine.
    """
    sock = listening_socket()
    port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive():
            pytest.fail("the server stopped while starting (see the log above)")
        if time.monotonic() > deadline:
            pytest.fail("the server did not start within 20 s")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Debian Chromium driven by Playwright."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield launched
        finally:
            launched.close()
