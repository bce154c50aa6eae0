"""`marsad backup` / `marsad restore`: consistent copies, verified restores."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from marsad.cli.main import main
from marsad.errors import StoreError
from marsad.store.backup import backup_store, integrity_problems, restore_store


@pytest.fixture
def demo_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    db = tmp_path / "demo.db"
    assert main(["--db", str(db), "demo"]) == 0
    capsys.readouterr()
    return db


def _articles(db: Path) -> int:
    with sqlite3.connect(db) as con:
        return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])


def test_backup_and_restore_round_trip(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "copy.db"
    assert main(["--db", str(demo_db), "backup", str(out)]) == 0
    assert "integrity ok" in capsys.readouterr().out
    assert integrity_problems(out) == [] and _articles(out) == _articles(demo_db) > 0
    # Refuses to overwrite without --force, then restores over a changed store.
    assert main(["--db", str(demo_db), "backup", str(out)]) == 1
    with sqlite3.connect(demo_db) as con:
        con.execute("UPDATE articles SET title = 'changed'")
    assert main(["--db", str(demo_db), "restore", str(out)]) == 1
    assert "--force" in capsys.readouterr().err
    assert main(["--db", str(demo_db), "restore", str(out), "--force"]) == 0
    with sqlite3.connect(demo_db) as con:
        assert (
            con.execute("SELECT count(*) FROM articles WHERE title = 'changed'").fetchone()[0] == 0
        )
    assert main(["--db", str(demo_db), "stories"]) == 0  # the restored store opens and works


def test_restore_refuses_a_damaged_backup(demo_db: Path, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.db"
    data = bytearray(demo_db.read_bytes())
    data[4096 * 3 : 4096 * 3 + 2000] = b"\xff" * 2000  # wreck a b-tree page
    damaged.write_bytes(bytes(data))
    target = tmp_path / "new.db"
    with pytest.raises(StoreError, match=r"integrity check|not a Marsad store|malformed"):
        restore_store(damaged, target)
    assert not target.exists()
    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_text("hello")
    with pytest.raises(StoreError):
        restore_store(not_sqlite, target)
    with pytest.raises(StoreError, match="no such backup"):
        restore_store(tmp_path / "missing.db", target)


def test_backup_is_consistent_while_writing(demo_db: Path, tmp_path: Path) -> None:
    """A writer commits batches of 50 rows while backups run: every copy holds whole batches."""
    with sqlite3.connect(demo_db) as con:
        con.execute("CREATE TABLE load (batch INTEGER, n INTEGER)")
    stop, committed = threading.Event(), threading.Event()

    def write() -> None:
        con = sqlite3.connect(demo_db, isolation_level=None)
        batch = 0
        while not stop.is_set():
            con.execute("BEGIN IMMEDIATE")
            con.executemany("INSERT INTO load VALUES (?, ?)", [(batch, i) for i in range(50)])
            con.execute("COMMIT")
            committed.set()
            batch += 1
        con.close()

    writer = threading.Thread(target=write)
    writer.start()
    copied = []
    try:
        # Backups start once the writer is writing: on a loaded machine the thread may not
        # have run at all during five quick backups, and the copies would prove nothing.
        assert committed.wait(timeout=60), "the writer thread committed nothing within 60 s"
        for i in range(5):
            copy = tmp_path / f"live{i}.db"
            backup_store(demo_db, copy)
            assert integrity_problems(copy) == []
            with sqlite3.connect(copy) as con:
                rows = con.execute("SELECT count(*) FROM load").fetchone()[0]
            assert rows % 50 == 0
            copied.append(rows)
    finally:
        stop.set()
        writer.join()
    assert max(copied) > 0


def test_backup_leaves_no_partial_files(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "copy.db"
    backup_store(demo_db, out)
    assert integrity_problems(out) == []  # a reader of the backup leaves nothing beside it
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("copy")) == ["copy.db"]


def test_restore_refuses_while_another_process_has_the_store_open(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "copy.db"
    backup_store(demo_db, out)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from marsad.store import Store;"
            f" s = Store({str(demo_db)!r}, normalizer_version='x');"
            " print('open', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        with sqlite3.connect(demo_db) as con:
            con.execute("UPDATE articles SET title = 'changed'")
        assert main(["--db", str(demo_db), "restore", str(out), "--force"]) == 1
        err = capsys.readouterr().err
        assert "another Marsad process" in err and len(err.splitlines()) == 1
        with sqlite3.connect(demo_db) as con:  # untouched
            assert (
                con.execute("SELECT count(*) FROM articles WHERE title != 'changed'").fetchone()[0]
                == 0
            )
    finally:
        holder.communicate("", timeout=30)
    # Once that process is gone the restore goes through.
    assert main(["--db", str(demo_db), "restore", str(out), "--force"]) == 0
    with sqlite3.connect(demo_db) as con:
        assert (
            con.execute("SELECT count(*) FROM articles WHERE title = 'changed'").fetchone()[0] == 0
        )


def test_a_store_opened_during_a_restore_waits_for_it(tmp_path: Path) -> None:
    from marsad.store.lock import exclusive

    db = tmp_path / "s.db"
    opener = (
        "from marsad.store import Store; print('imported', flush=True);"
        f" Store({str(db)!r}, normalizer_version='x')"
    )
    with exclusive(db):
        waiting = subprocess.Popen(
            [sys.executable, "-c", opener], stdout=subprocess.PIPE, text=True
        )
        assert waiting.stdout is not None and waiting.stdout.readline() == "imported\n"
        with pytest.raises(subprocess.TimeoutExpired):
            waiting.wait(timeout=1.5)
    assert waiting.wait(timeout=30) == 0
    waiting.stdout.close()
