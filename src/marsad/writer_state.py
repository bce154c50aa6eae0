"""What a writer keeps in memory between batches, kept true to the committed store.

A writer (``marsad ingest``, ``watch``, the API's ingest endpoint) clusters each batch
against three pieces of state: the story clusterer (IDF counts, open stories), the thread
linker and the near-duplicate index. Any number of writers may share one store, and any of
them may be killed at any point, so this state is never trusted on its own:

- each committed batch saves what it changed (a delta) in its own transaction, under a
  store-wide revision; a killed writer loses exactly the batch the store lost;
- at the start of every batch, inside the write lock, :meth:`WriterState.catch_up` compares
  the store's revision with its own and replays the deltas other writers committed since
  (or reloads everything when a snapshot absorbed them), and adds their articles to the
  near-duplicate index;
- now and then a snapshot of the whole state absorbs the deltas, so a restart replays few.

Story ids are allocated from the caught-up clusterer inside the write lock, so two writers
never hand out the same id. (Before, each writer reserved ids once at start and saved the
state every 20 batches: concurrent writers filed articles into each other's stories, and
a killed run resumed with a clusterer that had forgotten its last stories.)
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from marsad.cluster.stories import ClusterSettings, StoryClusterer
from marsad.cluster.threads import ThreadLinker, ThreadSettings
from marsad.dedup.minhash import DuplicateIndex, Fingerprint, signature_from_bytes
from marsad.store import Store

CLUSTER_STATE = "cluster.v1"
THREAD_STATE = "threads.v1"
# A snapshot is written once the deltas since the last one, decompressed, would be about as
# large as it (deltas compress about 4:1): replaying them then costs about a snapshot load.
DELTA_COMPRESSION = 4
MIN_SNAPSHOT_CHARS = 2_000_000  # below this, deltas are cheap to replay whatever their count


class StateNotSaved(RuntimeError):
    """A writer that does not save its state (``WriterState.saves`` off) had a batch
    rolled back: the state of the last commit is nowhere to reload from."""


@dataclass(frozen=True, slots=True)
class StateSettings:
    """The parts of the pipeline settings the writer state is built from."""

    cluster: ClusterSettings
    threads: ThreadSettings
    dedup_threshold: float
    num_perm: int


class WriterState:
    """Clusterer, thread linker and near-duplicate index, as of store revision ``rev``."""

    def __init__(self, settings: StateSettings) -> None:
        self.settings = settings
        self.clusterer = StoryClusterer(settings.cluster)
        self.threads = ThreadLinker(settings.threads)
        self.duplicates = DuplicateIndex(
            threshold=settings.dedup_threshold, num_perm=settings.num_perm
        )
        self.rev = -1  # nothing loaded: the next catch_up() loads everything
        self._seen_article = 0  # articles up to this id are in the duplicate index
        self.writer = uuid.uuid4().hex[:12]  # names this writer's clock in the deltas
        # Off for a backfill block's scratch store: one writer, thrown away, and nobody
        # reads its state back (the block exports the last one from memory). Saving it was
        # a sixth of the block's write (deltas and snapshots as JSON, 5,000 July articles).
        self.saves = True
        self._loaded = False  # catch_up() has loaded the store's state once
        self._connect()

    def _connect(self) -> None:
        self.clusterer.set_writer(self.writer)
        # Threads outlive stories (10 days against 3): they expire by the same writers' clocks.
        self.threads.horizon = self.clusterer.horizon

    def start_run(self) -> None:
        """A run of date-ordered input starts (its first article sets this writer's clock)."""
        self.clusterer.start_run()

    def catch_up(self, store: Store) -> None:
        """Bring the state up to the store's committed revision (cheap when unchanged).

        Call inside the write transaction, so nothing commits between this and the batch.
        """
        rev = store.state_rev()
        if rev == self.rev:
            return
        if self._loaded and not self.saves:
            # Only a rollback (invalidate) gets here: the committed state was not saved.
            raise StateNotSaved("a batch rolled back and this writer does not save its state")
        self._loaded = True
        if self.rev < 0 or self.rev < store.snapshot_rev():
            # After a rollback the duplicate index may hold articles the store lost.
            self._reload(store, duplicates=self.rev < 0)
        else:
            for _, delta in store.state_deltas(self.rev):
                self.clusterer.apply_changes(delta["cluster"])
                self.threads.apply_changes(delta["threads"])
            self._add_signatures(store)
        # Ids of stories stored by a writer of an older version (no deltas) stay taken.
        self.clusterer.reserve_ids(store.max_story_id())
        self.rev = rev

    def save(self, store: Store) -> None:
        """Save what this batch changed, in the batch's transaction (a snapshot now and then)."""
        if not self.saves:  # tracking starts afresh per batch; no delta is built to drop
            self.clusterer.forget_changes()
            self.threads.forget_changes()
            self._seen_article = store.max_article_id()
            return
        changes = self.clusterer.take_changes()
        thread_changes = self.threads.take_changes()
        snapshot_due = store.state_delta_bytes() * DELTA_COMPRESSION >= max(
            store.snapshot_chars(), MIN_SNAPSHOT_CHARS
        )
        if snapshot_due:
            self.rev = store.save_state_snapshot(
                {
                    CLUSTER_STATE: self.clusterer.export_state(),
                    THREAD_STATE: self.threads.export_state(),
                }
            )
        else:
            self.rev = store.add_state_delta({"cluster": changes, "threads": thread_changes})
        self._seen_article = store.max_article_id()

    def invalidate(self) -> None:
        """Forget the in-memory state (a batch was rolled back): reload at the next batch."""
        self.rev = -1

    def prune_duplicates(self, newest: datetime | None) -> None:
        """Copies arrive within days: originals older than the window need not stay."""
        if newest is not None:
            self.duplicates.prune(newest - self.window)

    def _reload(self, store: Store, *, duplicates: bool) -> None:
        settings = self.settings
        # After a rollback nothing in memory can be trusted; after another writer's
        # snapshot, this writer's own recent stories can (see keep_own_stories).
        previous = None if duplicates else self.clusterer
        self.clusterer = StoryClusterer(settings.cluster)
        self.threads = ThreadLinker(settings.threads)
        state: Any = store.get_state(CLUSTER_STATE)
        # A state saved by another version is dropped: stored stories stay, new articles
        # start fresh statistics (their ids never clash, see catch_up).
        if state:
            with contextlib.suppress(ValueError, KeyError, TypeError):
                self.clusterer = StoryClusterer.from_state(state, settings.cluster)
        thread_state = store.get_state(THREAD_STATE)
        if thread_state:
            self.threads = ThreadLinker.from_state(thread_state, settings.threads)
        self._connect()
        if previous is not None:
            self.clusterer.keep_own_stories(previous)
        for _, delta in store.state_deltas(store.snapshot_rev()):
            with contextlib.suppress(ValueError):
                self.clusterer.apply_changes(delta["cluster"])
            self.threads.apply_changes(delta["threads"])
        if duplicates:
            self.duplicates = DuplicateIndex(
                threshold=settings.dedup_threshold, num_perm=settings.num_perm
            )
            self._seen_article = 0
        self._add_signatures(store)

    def _add_signatures(self, store: Store) -> None:
        """Add originals stored since the last look (by any writer) to the duplicate index."""
        latest = store.latest_published()
        if latest is not None:
            since = latest - self.window
            rows = store.recent_signatures(since, after_id=self._seen_article)
            for article_id, content_hash, blob, published in rows:
                fp = Fingerprint(content_hash, signature_from_bytes(blob))
                self.duplicates.add(article_id, fp, published)
        self._seen_article = store.max_article_id()

    @property
    def window(self) -> timedelta:
        """The story window: copies and stories are looked for this far either way."""
        return timedelta(days=self.settings.cluster.window_days)
