"""Put a stream of records in date order with bounded memory.

Clustering needs articles in publication order, but inputs come in any order and may be
far larger than memory. Records are read in runs of ``run_size`` articles; each run is
sorted and spilled to a temporary file, and the runs are merged lazily. Skipped records
go to a callback as they are read, never collected: a file of millions of empty lines
costs no memory.
"""

from __future__ import annotations

import heapq
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import IO, Any

from marsad.models import RawArticle, Skipped

RUN_SIZE = 20_000  # articles held in memory at once while reading (about 60 MB of text)


class DateOrdered:
    """The articles of ``records`` in (date, origin) order; undated ones take ``now``.

    Iterate once. ``count`` is known once reading is done, which happens on the first
    ``next()`` (or by calling :meth:`read`).
    """

    def __init__(
        self,
        records: Iterable[RawArticle | Skipped],
        now: datetime,
        on_skip: Callable[[Skipped], None],
        *,
        run_size: int = RUN_SIZE,
    ) -> None:
        self._records = records
        self._now = now
        self._on_skip = on_skip
        self._run_size = run_size
        self._runs: list[IO[bytes]] = []
        self._last: list[RawArticle] = []
        self.count = 0
        self._read = False

    def _key(self, article: RawArticle) -> tuple[datetime, str]:
        return (article.date or self._now, article.origin)

    def read(self) -> int:
        """Read every record (spilling sorted runs), and return the number of articles."""
        if self._read:
            return self.count
        run: list[RawArticle] = []
        for record in self._records:
            if isinstance(record, Skipped):
                self._on_skip(record)
                continue
            run.append(record)
            self.count += 1
            if len(run) >= self._run_size:
                self._runs.append(self._spill(run))
                run = []
        run.sort(key=self._key)
        self._last = run
        self._read = True
        return self.count

    def _spill(self, run: list[RawArticle]) -> IO[bytes]:
        run.sort(key=self._key)
        # Closed (and so removed) once merged, in __iter__.
        spill = tempfile.TemporaryFile(prefix="marsad-run-")  # noqa: SIM115
        for article in run:
            pickle.dump(article, spill, protocol=pickle.HIGHEST_PROTOCOL)
        spill.seek(0)
        return spill

    def __iter__(self) -> Iterator[RawArticle]:
        self.read()
        try:
            streams: list[Iterable[RawArticle]] = [_unpickled(run) for run in self._runs]
            streams.append(self._last)
            if len(streams) == 1:
                yield from self._last
            else:
                yield from heapq.merge(*streams, key=self._key)
        finally:
            for run in self._runs:
                run.close()
            self._last = []


def _unpickled(spill: IO[bytes]) -> Iterator[Any]:
    while True:
        try:
            yield pickle.load(spill)
        except EOFError:
            return


def batched(articles: Iterable[RawArticle], size: int) -> Iterator[list[RawArticle]]:
    """Consecutive lists of ``size`` articles (the last may be shorter)."""
    batch: list[RawArticle] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
