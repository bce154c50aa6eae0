"""The pipeline's settings: one frozen tree of tuned defaults."""

from __future__ import annotations

from dataclasses import dataclass, field

from marsad.cluster.stories import ClusterSettings
from marsad.cluster.threads import ThreadSettings


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """Pipeline settings; defaults are the tuned values."""

    dedup_threshold: float = 0.7  # see dedup.minhash for why copies score this low
    num_perm: int = 64
    cluster: ClusterSettings = field(default_factory=ClusterSettings)
    threads: ThreadSettings = field(default_factory=ThreadSettings)
    batch_size: int = 500  # articles per transaction: the most a killed run can lose
    summary_sentences: int = 5
    summary_chars: int = 900
    extract: bool = True  # entities, statements, numbers (the slowest stage)
    roundups: bool = True  # cluster multi-event articles passage by passage
    workers: int = 1  # processes preparing batches ahead on large inputs (0: none)
    # The input's dates are when pages were crawled, not published (SaudiNewsNet's are);
    # a record may also say so itself with ``"date_kind": "crawled"``.
    crawl_dates: bool = False
