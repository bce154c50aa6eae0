"""A listening socket on a free loopback port, taken without a race.

Asking the kernel for a free port, closing the probe and letting a server bind the number
later leaves a window in which any other process on the machine (CI runs beside other
jobs) can take the port: the server then fails to start, or the test talks to someone
else's server. Binding once, and handing the bound socket to the server, has no window.
"""

from __future__ import annotations

import socket


def listening_socket(host: str = "127.0.0.1") -> socket.socket:
    """A socket bound to a free port of ``host`` and listening; the caller closes it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((host, 0))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock
