"""Name variants the store mined from its own articles (``marsad aliases mine``).

One row per variant: ``variant -> canonical``, replaced as a whole by each mining (the
miners read a window of the newest articles, so a line may drop out as a title changes
holder). Meta ``aliases_mined_through`` is the newest article id the last mining saw and
``aliases_mined_articles`` how many articles it read: what the mining trigger compares.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # the migrations import this module, and StoreCore imports them
    from marsad.store.core import StoreCore
else:
    StoreCore = object

MINED_THROUGH_KEY = "aliases_mined_through"
MINED_ARTICLES_KEY = "aliases_mined_articles"


def create_mined_aliases(db: Any) -> None:
    """Migration ``0020_mined_aliases``: the store's mined name variants."""
    db.execute("CREATE TABLE mined_aliases (variant TEXT PRIMARY KEY, canonical TEXT NOT NULL)")


class MiningText(NamedTuple):
    """One current article as the alias miners read it."""

    id: int
    source: str
    published: str
    title: str
    body: str


class MinedAliases(StoreCore):
    """Mixin of :class:`marsad.store.store.Store`: the mined name-variant table."""

    def mined_aliases(self) -> list[tuple[str, str]]:
        """Every mined ``(variant, canonical)`` line, by variant."""
        rows = self.db.execute("SELECT variant, canonical FROM mined_aliases ORDER BY variant")
        return [(str(variant), str(canonical)) for variant, canonical in rows]

    def replace_mined_aliases(
        self, pairs: Sequence[tuple[str, str]], *, through: int, articles: int
    ) -> None:
        """Replace every mined line with ``pairs`` and record what the mining read (caller's
        transaction). A variant listed twice keeps its first canonical."""
        self.db.execute("DELETE FROM mined_aliases")
        for variant, canonical in pairs:
            self.db.execute(
                "INSERT OR IGNORE INTO mined_aliases (variant, canonical) VALUES (?, ?)",
                (variant, canonical),
            )
        self.set_meta(MINED_THROUGH_KEY, str(through))
        self.set_meta(MINED_ARTICLES_KEY, str(articles))

    def alias_mining_mark(self) -> tuple[int, int]:
        """``(newest article id, articles read)`` of the last mining; ``(0, 0)`` before any."""
        through = self.get_meta(MINED_THROUGH_KEY)
        articles = self.get_meta(MINED_ARTICLES_KEY)
        return int(through or 0), int(articles or 0)

    def articles_since(self, after_id: int) -> int:
        """How many articles were stored with an id above ``after_id``."""
        row = self.db.execute("SELECT count(*) FROM articles WHERE id > ?", (after_id,))
        return int(row.fetchone()[0])

    def mining_texts(self, since: str, limit: int) -> list[MiningText]:
        """Current articles (no superseded version) published at or after ``since`` (ISO
        text), the newest ``limit`` of them by id, in id order."""
        rows = self.db.execute(
            "SELECT id, source, published, title, body FROM articles"
            " WHERE superseded_by IS NULL AND published >= ? ORDER BY id DESC LIMIT ?",
            (since, limit),
        ).fetchall()
        return [
            MiningText(int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4])) for r in rows[::-1]
        ]
