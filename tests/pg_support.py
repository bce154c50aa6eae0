"""A throwaway PostgreSQL server for the tests, started and stopped by the tests themselves.

Debian's ``initdb`` and ``pg_ctl`` (package ``postgresql``; ``make postgres`` installs it)
build a cluster in a temporary folder and serve it on a free port, through a Unix socket
inside that folder only (no TCP listener). ``initdb`` refuses to run as root, and CI runs as
root: there the server runs as the package's ``postgres`` user. Each test gets its own
database, copied from a template the store's migrations already ran on (a copy takes a few
milliseconds; migrating each time would take far longer). Without the binaries the tests
that need the server fail with a message saying how to install them; they never skip.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

TEMPLATE = "marsad_template"
INSTALL_HINT = (
    "PostgreSQL binaries (initdb, pg_ctl) not found: run `make postgres` as root, or install "
    "Debian's postgresql package; the PostgreSQL backend tests cannot run without them"
)


def find_binary(name: str) -> str | None:
    """Debian's PostgreSQL binary of that name (PATH first, then the versioned folders)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """One temporary cluster; :meth:`new_database` hands out fresh migrated databases."""

    def __init__(self) -> None:
        initdb, pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
        if initdb is None or pg_ctl is None:
            pytest.fail(INSTALL_HINT, pytrace=False)
        self.pg_ctl = pg_ctl
        self.folder = Path(tempfile.mkdtemp(prefix="marsad-pg-"))
        self.data = self.folder / "data"
        self.socket_dir = self.folder / "socket"
        self.socket_dir.mkdir()
        self.port = _free_port()
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            # initdb refuses root: the cluster belongs to the package's postgres user.
            user = pwd.getpwnam("postgres")
            for path in (self.folder, self.socket_dir):
                os.chown(path, user.pw_uid, user.pw_gid)
            self._as_user = ["runuser", "-u", "postgres", "--"]
        self._run(
            initdb,
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        )
        options = (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses='' -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(pg_ctl, "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"),
                  "-w", "start")  # fmt: skip
        self._counter = itertools.count(1)
        try:
            self._make_template()
        except BaseException:
            self.stop()  # the session fixture never yields: stop the server here
            raise

    def _run(self, *command: str) -> None:
        result = subprocess.run(
            [*self._as_user, *command], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            log = self.folder / "log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            pytest.fail(
                f"{' '.join(command[:1])} failed ({result.returncode}): {result.stderr}{tail}",
                pytrace=False,
            )

    def url(self, database: str) -> str:
        """The URL of a database of this server (Unix socket in the server's folder)."""
        return f"postgresql://postgres@/{database}?host={self.socket_dir}&port={self.port}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as db:
            db.execute(sql)

    def _make_template(self) -> None:
        from marsad.store import Store
        from marsad.text.arabic import NORMALIZER_VERSION

        self._admin(f"CREATE DATABASE {TEMPLATE}")
        Store(self.url(TEMPLATE), normalizer_version=NORMALIZER_VERSION).close()
        # A closed connection's server process ends a moment later; CREATE DATABASE ...
        # TEMPLATE refuses a template still in use after waiting only 5 s for it (a loaded
        # machine can take that long), so wait here until it is gone.
        self._wait_until_unused(TEMPLATE)

    def _wait_until_unused(self, database: str) -> None:
        import psycopg

        deadline = time.monotonic() + 60
        with psycopg.connect(self.url("postgres"), autocommit=True) as db:
            while True:
                row = db.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (database,)
                ).fetchone()
                if row is not None and row[0] == 0:
                    return
                if time.monotonic() > deadline:
                    pytest.fail(f"{database} still has {row} connections after 60 s")
                time.sleep(0.05)

    def new_database(self) -> str:
        """A fresh, migrated, empty database; returns its URL."""
        name = f"marsad_test_{next(self._counter)}"
        self._admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        return self.url(name)

    def empty_database(self) -> str:
        """A fresh database without the store's schema (for migration tests)."""
        name = f"marsad_bare_{next(self._counter)}"
        self._admin(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        subprocess.run(
            [*self._as_user, self.pg_ctl, "-D", str(self.data), "-m", "immediate", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.folder, ignore_errors=True)
