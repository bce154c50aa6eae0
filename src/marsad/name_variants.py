"""Name variants a store mines from its own articles, and their use at run time (issue 19).

The shipped ``aliases_ar.tsv`` holds hand-written lines and lines mined offline from
SaudiNewsNet July 2015 (``make mine-aliases``). A title names its holder near its own days
only, and an acronym or short name the user's outlets use may never occur in July 2015:
so each store runs the same miners (:func:`marsad.extract.aliases.mine_aliases`) over its
newest articles and keeps the lines in its table ``mined_aliases``
(:mod:`marsad.store.aliases`). Every process that opens a store for its pipeline or its
readers loads them (:func:`load_store_aliases`), so entity grouping, ``marsad entity`` and
``same_entity`` see the shipped list plus the store's lines; the hand-written section
still wins over both, and the store's lines win over the shipped mined ones.

What the miners count beyond the articles they read (how often a written word opens with a
glued proclitic, ``surface_counts_ar.tsv.gz``) comes from the shipped July counts; every
other count (phrases, names, offices) is the store's own, over the articles mined.

Mining reads the newest :data:`MINING_DAYS` days of articles (at most
:data:`MINING_MAX_ARTICLES`): recency decides a title's holder, and the cost stays bounded.
It runs after an ingest, a watch batch or a backfill when the articles stored since the
last mining are at least as many as that mining read (and at least
:data:`MINING_MIN_NEW`), so over a growing store each article is mined about once on
average (:func:`mine_when_due`), or on demand with ``marsad aliases mine``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from marsad.extract.aliases import hand_written_aliases_only, mine_aliases, use_store_aliases
from marsad.profiles import profiles
from marsad.store import Store

MINING_DAYS = 14  # days of articles back from the newest one: twice the recency half-life
MINING_MAX_ARTICLES = 20_000  # newest articles mined at most (about 75 s at 3.7 ms each)
MINING_MIN_NEW = 200  # fewer new articles than this never start a mining by themselves


@dataclass(frozen=True, slots=True)
class MiningReport:
    """What one mining read and wrote."""

    articles: int
    lines: int
    added: int  # lines the previous mining did not have
    dropped: int  # lines of the previous mining gone now
    seconds: float

    def line(self) -> str:
        """One line for a human."""
        return (
            f"mined {self.lines} name-variant lines from {self.articles} articles "
            f"({self.added} new, {self.dropped} dropped) in {self.seconds:.1f} s"
        )


@lru_cache(maxsize=256)
def outlet_country(slug: str) -> str:
    """The Arabic name of an outlet's country (السعودية), "" when the profiles lack it: a bare
    office in its articles (وزير الثقافة والإعلام) is that country's."""
    book = profiles()
    profile = book.get(slug)
    return book.country_name(profile.country) if profile else ""


def mine_texts(
    texts: Sequence[str], outlets: Sequence[str], dates: Sequence[str]
) -> list[tuple[str, str]]:
    """``(variant, canonical)`` pairs the miners find in ``texts`` (title, newline, body), one
    outlet slug and ``YYYY-MM-DD`` date each; the hand-written aliases only are read while
    mining, so the same articles always give the same pairs."""
    with hand_written_aliases_only():
        return mine_aliases(
            texts,
            outlets=outlets,
            dates=[date[:10] for date in dates],
            countries=[outlet_country(slug) for slug in outlets],
        )


def load_store_aliases(store: Store) -> int:
    """Make this process resolve names through the store's mined lines too; their count."""
    pairs = store.mined_aliases() if store.has_table("mined_aliases") else []
    use_store_aliases(pairs)
    return len(pairs)


def mine_store(store: Store) -> MiningReport:
    """Mine the store's newest articles, replace its mined lines, and use them here."""
    started = time.perf_counter()
    latest = store.latest_published()
    texts = (
        store.mining_texts(
            (latest - timedelta(days=MINING_DAYS)).date().isoformat(), MINING_MAX_ARTICLES
        )
        if latest is not None
        else []
    )
    pairs = mine_texts(
        [f"{t.title}\n{t.body}" for t in texts],
        [t.source for t in texts],
        [t.published for t in texts],
    )
    with store.transaction():
        before = set(store.mined_aliases())
        store.replace_mined_aliases(pairs, through=store.max_article_id(), articles=len(texts))
        after = store.mined_aliases()
    use_store_aliases(after)
    return MiningReport(
        articles=len(texts),
        lines=len(after),
        added=len(set(after) - before),
        dropped=len(before - set(after)),
        seconds=time.perf_counter() - started,
    )


def mining_due(store: Store) -> bool:
    """Whether enough articles arrived since the last mining to mine again: at least as many
    as it read (so each article costs about one mining's share), and :data:`MINING_MIN_NEW`."""
    through, articles = store.alias_mining_mark()
    new = store.articles_since(through)
    return new >= max(MINING_MIN_NEW, min(articles, MINING_MAX_ARTICLES))


def mine_when_due(store: Store, enabled: bool = True) -> MiningReport | None:
    """:func:`mine_store` when :func:`mining_due` (and ``enabled``); None otherwise."""
    if not enabled or not mining_due(store):
        return None
    return mine_store(store)
