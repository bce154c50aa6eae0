"""The Store class: every concern of the store (one mixin each) over one connection.

The concerns (see :mod:`marsad.store` for the API of each): articles and search
(articles.py), stories and threads (stories.py, redirects.py), entities and statements
(entities.py), summaries and analyses (analyses.py), the writers' clustering state
(state.py), the watcher's sources (sources.py), the read side's queries
(read_queries.py) and the name variants mined from the store's articles (aliases.py), each a mixin over :class:`~marsad.store.core.StoreCore` (connection,
transactions, migrations, meta).
"""

from __future__ import annotations

from collections.abc import Sequence

from marsad.errors import StoreError
from marsad.store.aliases import MinedAliases
from marsad.store.analyses import StoryAnalyses
from marsad.store.articles import ArticlesAndSearch
from marsad.store.bulk import BulkBlocks
from marsad.store.core import StoreCore
from marsad.store.entities import EntitiesAndStatements
from marsad.store.extractions import StoredExtractions
from marsad.store.parallel import ParallelBlocks
from marsad.store.read_queries import ReadQueries
from marsad.store.redirects import StoryRedirects
from marsad.store.sources import WatchSources
from marsad.store.state import WriterState
from marsad.store.stories import StoriesAndThreads
from marsad.writes import ArticleWrite, RecordWriteError


class Store(
    ParallelBlocks,  # over BulkBlocks and StoryRedirects
    BulkBlocks,  # over the two below
    WatchSources,  # builds on ArticlesAndSearch
    ArticlesAndSearch,
    StoriesAndThreads,
    EntitiesAndStatements,
    StoryAnalyses,
    WriterState,
    MinedAliases,
    StoreCore,
    ReadQueries,
    StoryRedirects,
    StoredExtractions,
):
    """A Marsad store: every concern's methods over one connection (see :class:`StoreCore`).

    Open one with :func:`marsad.store.open_store`. Its own method is the one write per batch
    of the orchestrator (issue 21), which spans every concern.
    """

    def write_batch(self, articles: Sequence[ArticleWrite]) -> None:
        """Persist one batch's decided articles, in order (caller's transaction).

        Raises:
            RecordWriteError: naming the index of the article that could not be written.
        """
        for index, article in enumerate(articles):
            try:
                self._write_article(article)
            except Exception as exc:
                raise RecordWriteError(index, exc) from exc

    def _write_article(self, a: ArticleWrite) -> None:
        for opened in a.passage_stories:
            self.create_story(opened.story)
            self.set_thread(opened.story, opened.thread)
        if a.story_id is not None and a.opens_thread is not None:
            self.create_story(a.story_id)
        stored_id = self.add_article(
            ext_id=a.ext_id,
            source=a.source,
            published=a.published,
            title=a.title,
            body=a.body,
            boilerplate=a.boilerplate,
            url=a.url,
            extra=a.extra,
            origin=a.origin,
            identity=a.identity,
            content_hash=a.content_hash,
            signature=a.signature,
            duplicate_of=a.duplicate_of,
            story_id=a.story_id,
            words=a.words,
            stems=a.stems,
            canonical_url=a.canonical_url,
            agency=a.agency,
            time_kind=a.time_kind,
            article_id=a.id,
        )
        if stored_id != a.id:  # decisions of this batch refer to the allocated id
            raise StoreError(f"article stored as id {stored_id}, allocated {a.id}")
        if a.entities:
            self.add_extraction(
                a.id,
                mentions=[
                    (m.label, m.text, m.start, m.end, m.canonical, m.key) for m in a.entities
                ],
                statements=(),
                numbers=(),
            )
        if a.extracted:  # store/extractions.py: every field the comparison reads
            self.add_extracted(a.id, statements=a.statements, numbers=a.numbers, dates=a.dates)
        if a.entity_counts and self.writes_search_and_entity_figures:
            self.count_entities(
                a.story_id,
                a.source,
                [(c.key, c.name, c.label, c.mentions) for c in a.entity_counts],
            )
        if a.story_id is not None and a.opens_thread is not None:
            self.set_thread(a.story_id, a.opens_thread)
        for placed in a.passages:
            self.add_passage(
                a.id,
                placed.story,
                placed.passage,
                placed.score,
                source=a.source,
                published=a.published,
            )
        if a.supersedes is not None:
            self.supersede(a.supersedes, a.id)
            self.recount_entities(self.entity_keys(a.supersedes) | self.entity_keys(a.id))
        elif a.story_id is not None:
            self.touch_story(a.story_id, a.source, a.published)
