"""The clustering state writers share: JSON state blobs, per-batch deltas and snapshots."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from typing import Any

from marsad.store.core import StoreCore


class WriterState(StoreCore):
    """Clustering state saved by writers: snapshots and the deltas of every batch."""

    def get_state(self, name: str) -> Any:
        """Load a JSON state blob saved by a pipeline stage (None when absent)."""
        row = self.db.execute("SELECT value FROM state WHERE name = ?", (name,)).fetchone()
        return None if row is None else json.loads(row[0])

    def set_state(self, name: str, value: Any) -> int:
        """Save a JSON state blob (inside the caller's transaction); returns its length."""
        encoded = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        self.db.execute(
            "INSERT INTO state VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            (name, encoded),
        )
        return len(encoded)

    def state_rev(self) -> int:
        """The store-wide revision of the clustering state (bumped by every saved batch)."""
        value = self.get_meta("state_rev")
        return int(value) if value else 0

    def snapshot_rev(self) -> int:
        """The revision the saved snapshot describes (0: none, or one older than deltas)."""
        value = self.get_meta("state_snapshot_rev")
        return int(value) if value else 0

    def add_state_delta(self, value: Any) -> int:
        """Save one batch's state delta under the next revision; returns that revision.

        Runs inside the batch's transaction.
        """
        rev = self.state_rev() + 1
        blob = zlib.compress(json.dumps(value, ensure_ascii=False).encode("utf-8"), 1)
        self.db.execute("INSERT INTO state_deltas VALUES (?, ?)", (rev, blob))
        self.set_meta("state_rev", str(rev))
        return rev

    def state_deltas(self, after_rev: int) -> Iterator[tuple[int, Any]]:
        """Saved deltas newer than ``after_rev``, oldest first: (revision, value)."""
        rows = self.db.execute(
            "SELECT rev, value FROM state_deltas WHERE rev > ? ORDER BY rev", (after_rev,)
        )
        for rev, blob in rows:
            yield int(rev), json.loads(zlib.decompress(blob))

    def state_delta_bytes(self) -> int:
        """Compressed size of the deltas not yet absorbed by a snapshot."""
        row = self.db.execute("SELECT coalesce(sum(length(value)), 0) FROM state_deltas")
        return int(row.fetchone()[0])

    def save_state_snapshot(self, states: dict[str, Any]) -> int:
        """Save whole states under the next revision; returns the revision.

        The deltas the snapshot absorbs are dropped.
        """
        rev = self.state_rev() + 1
        chars = sum(self.set_state(name, value) for name, value in states.items())
        self.set_meta("state_rev", str(rev))
        self.set_meta("state_snapshot_rev", str(rev))
        # Kept beside it: measuring the snapshot with length() would read it all per batch.
        self.set_meta("state_snapshot_chars", str(chars))
        self.db.execute("DELETE FROM state_deltas WHERE rev <= ?", (rev,))
        return rev

    def snapshot_chars(self) -> int:
        """Size in characters of the last snapshot (0 when there is none)."""
        value = self.get_meta("state_snapshot_chars")
        return int(value) if value else 0
