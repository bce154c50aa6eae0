"""The watch loop: poll feeds and pages, store new articles as they come, never lose one.

Per source, per poll: fetch each feed conditionally (stored ETag / Last-Modified); for each
item not seen before (by guid or canonical URL, with the same content hash) take the
feed's text when it is a whole article, else fetch the article page and extract it; hand
articles to :meth:`Pipeline.ingest` in small batches so stories update while watching.

Crash safety: each batch's articles, its items' seen rows and (with the feed's last
batch) the feed's new validators commit in ONE transaction. A kill at any point leaves
either all of them or none; a restart refetches the feed with the old validators and
skips what was stored. Validators are only advanced when every item of the response was
handled, so an item whose page failed is retried on the next poll. A response cut short
or past its deadline is a fetch error like any other: nothing of it is stored or marked
seen, and no validators move, so the next poll fetches it whole.

After each poll the stories that gained articles get their analysis rebuilt and kept
(the watch is a writer; the server's pages then read it instead of building it).

Errors: a failing item is one stderr line (source and URL) and the watch goes on; a
failing feed puts its source into exponential backoff; only a store that cannot be
written stops the watch (:class:`~marsad.errors.StoreError`, nothing stored is lost).
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from marsad.ingest.readers import clean_body, clean_title
from marsad.ingest.urls import canonical_url
from marsad.models import RawArticle
from marsad.pipeline import Pipeline
from marsad.refresh import refresh_analyses
from marsad.store import Store
from marsad.store.errors import store_errors
from marsad.store.sources import Validators
from marsad.watch.feeds import FeedItem, parse_feed
from marsad.watch.fetch import Fetcher, FetchError, FetchLimits
from marsad.watch.pages import extract_article
from marsad.watch.sources import SourceConfig

Log = Callable[[str], None]
T = TypeVar("T")


@dataclass(frozen=True, slots=True, kw_only=True)
class WatchSettings:
    """Watch-loop settings."""

    batch_size: int = 10  # articles per transaction: small, so stories update promptly
    min_feed_words: int = 80  # a feed body shorter than this is a teaser: fetch the page
    max_backoff_s: float = 3600.0  # longest wait after repeated errors of a source
    keep_analyses: bool = True  # rebuild the analyses of stories that gained articles
    limits: FetchLimits = field(default_factory=FetchLimits)


@dataclass(slots=True)
class WatchReport:
    """What a watch run did, summed over its polls."""

    polls: int = 0
    fetched: int = 0  # feed and page responses with content
    not_modified: int = 0
    new_items: int = 0
    stored: int = 0  # articles written (new ones and new versions)
    updated: int = 0
    item_errors: int = 0
    source_errors: int = 0

    def line(self) -> str:
        """One-line summary for humans."""
        return (
            f"{self.polls} poll(s): {self.fetched} fetched, {self.not_modified} not modified, "
            f"{self.new_items} new item(s), {self.stored} article(s) stored "
            f"({self.updated} updated), {self.item_errors} item error(s), "
            f"{self.source_errors} source error(s)"
        )


@dataclass(frozen=True, slots=True)
class _Pending:
    """An item handled in this poll, waiting for its batch to commit."""

    keys: tuple[str, ...]
    item_hash: str
    article: RawArticle | None  # None: nothing to store, but do not fetch it again


class _ItemFailed(Exception):
    """An item could not be turned into an article (message says why)."""


def _stderr(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


class Watcher:
    """Polls sources into a pipeline, keeping feed state in the pipeline's store."""

    def __init__(
        self,
        pipeline: Pipeline,
        sources: Iterable[SourceConfig],
        *,
        settings: WatchSettings | None = None,
        fetcher: Fetcher | None = None,
        log: Log = _stderr,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.pipeline = pipeline
        self.store: Store = pipeline.store
        self.sources = list(sources)
        self.settings = settings or WatchSettings()
        self.fetcher = fetcher or Fetcher(self.settings.limits)
        self.report = WatchReport()
        self._log = log
        self._clock = clock
        self._sleep = sleep
        self._due = dict.fromkeys((s.name for s in self.sources), 0.0)

    # -- loop ---------------------------------------------------------------------------
    def run(self, *, max_polls: int | None = None) -> WatchReport:
        """Poll until ``max_polls`` polls are done (forever when None)."""
        while max_polls is None or self.report.polls < max_polls:
            wait = min(self._due.values(), default=0.0) - self._clock()
            if wait > 0:
                self._sleep(wait)
            self.poll()
        return self.report

    def poll(self, *, only_due: bool = True) -> WatchReport:
        """One poll: every source that is due (or every source) is fetched once."""
        now = self._clock()
        newest_before = self.store.max_article_id()
        for source in self.sources:
            if not only_due or self._due[source.name] <= now:
                self._poll_source(source)
        if self.settings.keep_analyses:
            self._keep_analyses(newest_before)
        self.report.polls += 1
        return self.report

    def _keep_analyses(self, newest_before: int) -> None:
        """Rebuild and keep the analyses of the stories that articles stored since
        ``newest_before`` joined."""
        stored = range(newest_before + 1, self.store.max_article_id() + 1)
        if stored:
            touched = sorted(self.store.story_ids_of_articles(stored))
            self._write(lambda: refresh_analyses(self.store, touched))

    def _poll_source(self, source: SourceConfig) -> None:
        problems: list[str] = []
        for url, poll in [(u, self._poll_feed) for u in source.feeds] + [
            (u, self._poll_page) for u in source.pages
        ]:
            try:
                poll(source, url)
            except (FetchError, _ItemFailed) as exc:
                problems.append(f"{url}: {exc}")
        if not problems:
            self._due[source.name] = self._clock() + source.poll_interval_s
            self._write(lambda: self.store.record_success(source.name))
            return
        self.report.source_errors += 1
        failures = self._write(lambda: self.store.record_error(source.name, problems[0]))
        delay = min(self.settings.max_backoff_s, source.poll_interval_s * 2 ** min(failures, 20))
        self._due[source.name] = self._clock() + delay
        for problem in problems:
            self._log(f"watch: {source.name}: {problem} (next try in {delay:.0f} s)")

    # -- feeds and pages ----------------------------------------------------------------
    def _poll_feed(self, source: SourceConfig, url: str) -> None:
        stored = self.store.validators(url)
        response = self.fetcher.get(
            url,
            etag=stored.etag,
            last_modified=stored.last_modified,
            total_timeout_s=source.total_timeout_s,
        )
        if response.not_modified:
            self.report.not_modified += 1
            return
        self.report.fetched += 1
        feed = parse_feed(response.text(), url=response.url)
        if feed.problem:
            raise _ItemFailed(feed.problem)
        pending: list[_Pending] = []
        handled: set[str] = set()
        complete = True
        for item in feed.items:
            keys = _item_keys(source, item)
            item_hash = _digest(item.title + "\x00" + item.text)  # not the URL: variants recur
            if handled.intersection(keys) or self._unchanged(keys, item_hash):
                continue
            handled.update(keys)
            self.report.new_items += 1
            try:
                article = self._article(source, item, feed_url=url)
            except FetchError as exc:
                self._item_error(source, item.url or item.guid or url, str(exc))
                if exc.transient:
                    complete = False  # keep the old validators so this item is retried
                    continue
                article = None
            except _ItemFailed as exc:
                self._item_error(source, item.url or item.guid or url, str(exc))
                article = None
            pending.append(_Pending(keys, item_hash, article))
            if len(pending) >= self.settings.batch_size:
                self._commit(source, pending)
                pending = []
        validators = Validators(response.etag, response.last_modified) if complete else None
        self._commit(source, pending, feed_url=url, validators=validators)

    def _poll_page(self, source: SourceConfig, url: str) -> None:
        stored = self.store.validators(url)
        response = self.fetcher.get(
            url,
            etag=stored.etag,
            last_modified=stored.last_modified,
            total_timeout_s=source.total_timeout_s,
        )
        if response.not_modified:
            self.report.not_modified += 1
            return
        self.report.fetched += 1
        page = extract_article(response.text(), url=response.url)
        if page is None:
            raise _ItemFailed("no article text found on the page")
        keys = (f"url:{canonical_url(url)}",)
        item_hash = _digest(page.title + "\x00" + page.text)
        pending = []
        if not self._unchanged(keys, item_hash):
            self.report.new_items += 1
            item = FeedItem(
                guid=None, url=url, title=page.title, text=page.text,
                published=page.published, author=page.author,
            )  # fmt: skip
            pending.append(_Pending(keys, item_hash, _raw_article(source, item, via=url)))
        validators = Validators(response.etag, response.last_modified)
        self._commit(source, pending, feed_url=url, validators=validators)

    def _unchanged(self, keys: tuple[str, ...], item_hash: str) -> bool:
        seen = self.store.seen(keys)
        return seen is not None and seen.item_hash == item_hash

    def _article(self, source: SourceConfig, item: FeedItem, *, feed_url: str) -> RawArticle | None:
        """The item as an article: its own text when whole, else its extracted page."""
        if len(item.text.split()) >= self.settings.min_feed_words or not item.url:
            return _raw_article(source, item, via=feed_url) if item.text.strip() else None
        response = self.fetcher.get(item.url, total_timeout_s=source.total_timeout_s)
        page = extract_article(response.text(), url=response.url)
        if page is None:
            if item.text.strip():
                return _raw_article(source, item, via=feed_url)  # the teaser beats nothing
            raise _ItemFailed("no article text in the feed item or on its page")
        merged = FeedItem(
            guid=item.guid,
            url=item.url,
            title=item.title or page.title,
            text=page.text,
            published=item.published or page.published,
            author=item.author or page.author,
        )
        return _raw_article(source, merged, via=feed_url)

    def _item_error(self, source: SourceConfig, where: str, reason: str) -> None:
        self.report.item_errors += 1
        self._log(f"watch: {source.name}: {where}: {reason}")

    # -- storing --------------------------------------------------------------------------
    def _commit(
        self,
        source: SourceConfig,
        pending: list[_Pending],
        *,
        feed_url: str | None = None,
        validators: Validators | None = None,
    ) -> None:
        """Store a batch, its seen rows and (last batch) the feed validators atomically."""
        if not pending and validators is None:
            return
        articles = [p.article for p in pending if p.article is not None]

        def write() -> None:
            with self.store.transaction():
                if articles:
                    ingest = self.pipeline.ingest(articles)
                    self.report.stored += ingest.ingested
                    self.report.updated += ingest.updated
                    for skipped in ingest.skipped:
                        self._item_error(source, skipped.origin, skipped.reason)
                for item in pending:
                    url = item.article.url if item.article else None
                    self.store.mark_seen(
                        item.keys,
                        source=source.name,
                        item_hash=item.item_hash,
                        article_id=self.store.article_at(canonical_url(url)) if url else None,
                    )
                if feed_url is not None and validators is not None:
                    self.store.save_validators(feed_url, source.name, validators)

        self._write(write)

    def _write(self, action: Callable[[], T]) -> T:
        """Run a store write; a full disk or read-only store becomes one clear StoreError."""
        with store_errors(self.store.path):
            return action()


def _item_keys(source: SourceConfig, item: FeedItem) -> tuple[str, ...]:
    keys = []
    if item.guid:
        keys.append(f"guid:{source.name}:{item.guid}")
    if item.url:
        keys.append(f"url:{canonical_url(item.url)}")
    return tuple(keys)


def _raw_article(source: SourceConfig, item: FeedItem, *, via: str) -> RawArticle:
    extra: dict[str, object] = {"via": via, "language": source.language}
    if item.author:
        extra["author"] = item.author
    return RawArticle(
        ext_id=item.guid,
        source=source.name,
        date=item.published,
        title=clean_title(item.title),
        text=clean_body(item.text),
        url=item.url,
        extra=extra,
        origin=f"{source.name}: {item.url or item.guid or via}",
    )


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", errors="replace"), digest_size=16).hexdigest()
