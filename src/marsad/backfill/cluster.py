"""Connect to a Dask cluster, or start one on this machine."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

from marsad.errors import MissingDependency

if TYPE_CHECKING:
    from distributed import Client


@contextlib.contextmanager
def dask_client(
    *, local_workers: int | None = None, address: str | None = None
) -> Iterator[Client]:
    """A client of the scheduler at ``address``, or of a new ``LocalCluster``.

    A local cluster runs ``local_workers`` processes of one thread each: the stages are
    pure Python, so threads would share one interpreter lock. Ports are chosen free, so
    several backfills on one machine do not collide. Everything is closed on exit.
    """
    if (local_workers is None) == (address is None):
        raise ValueError("give exactly one of local_workers or address")
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - a pinned dependency
        raise MissingDependency("pip install 'distributed'") from exc
    if address is not None:
        with Client(address) as client:
            yield client
        return
    if local_workers is None or local_workers < 1:
        raise ValueError(f"local_workers must be at least 1, got {local_workers}")
    with (
        LocalCluster(
            n_workers=local_workers,
            threads_per_worker=1,
            processes=True,
            scheduler_port=0,
            dashboard_address=":0",
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client
