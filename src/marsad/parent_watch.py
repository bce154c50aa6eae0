"""Worker processes that exit when the process that started them dies.

Kept apart from :mod:`marsad.workers` on purpose: a spawned worker imports the module of
its initializer before it can run it, and importing the ingest stages takes a second or
two of CPU (seconds more on a loaded machine). A killed ingest's worker still starting up
would live on that long; with this module alone to import, it notices within a second of
starting.
"""

from __future__ import annotations

import os
import threading
import time

CHECK_INTERVAL_S = 1.0  # how often a worker asks whether its parent is still there


def exit_with_parent(parent: int) -> None:
    """Worker initializer: exit when the process ``parent`` dies.

    A killed parent (kill -9) cannot stop its worker, which would otherwise live on,
    holding hundreds of MB, reparented to init. A parent that died while the worker was
    starting is noticed at once.
    """
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(CHECK_INTERVAL_S)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="marsad-parent-watch", daemon=True).start()
