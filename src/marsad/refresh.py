"""The refresher: build story analyses and keep them in the store (a writer's job).

Readers never store an analysis (they build a missing one in memory for one response).
Analyses are kept here: by the server's background worker (:mod:`marsad.api.writer`),
and by ``marsad refresh`` for a whole store, e.g. after ``marsad ingest`` or a change of
the comparison rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from marsad import views
from marsad.store.errors import store_errors
from marsad.store.sqlite import Store


def analysis_outdated(store: Store, story_id: int) -> bool:
    """Whether a story with articles has no analysis kept, one built by older rules, or
    one built before its latest articles."""
    from marsad.compare.analyze import ANALYSIS_VERSION

    members = store.story_articles(story_id)
    if not members:
        return False
    kept = store.story_analysis(story_id)
    return (
        kept is None
        or kept.get("version") != ANALYSIS_VERSION
        or kept.get("basis") != views.analysis_basis(members)
    )


def refresh_story_analysis(store: Store, story_id: int) -> bool:
    """Build a story's analysis from the store as it is now and keep it.

    It is kept only if the story did not change while it was built (a newer article
    makes the next refresh build it again). Replacing a kept analysis of the current rules
    changes the story's pages (they showed it, marked stale), so their revision moves;
    a first one, or one replacing older rules', does not: readers already showed one built
    the same way in memory. Returns whether it was kept.

    Raises:
        StoreError: The store cannot be written.
    """
    from marsad.compare.analyze import ANALYSIS_VERSION

    story = store.story(story_id)
    members = store.story_articles(story_id)
    if story is None or not members:
        return False
    kept = store.story_analysis(story_id)
    shown_kept = kept is not None and kept.get("version") == ANALYSIS_VERSION
    analysis = views.build_analysis(store, story, members)
    with store_errors(store.path), store.transaction():
        return store.set_analysis(
            story_id, analysis, revision=story.revision, changes_page=shown_kept
        )


def refresh_analyses(
    store: Store,
    story_ids: Iterable[int] | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Keep a current analysis for every story (or these) whose analysis is outdated;
    returns how many were rebuilt."""
    wanted = list(story_ids) if story_ids is not None else store.story_ids_with_articles()
    outdated = [i for i in wanted if analysis_outdated(store, i)]
    rebuilt = 0
    for done, story_id in enumerate(outdated, start=1):
        rebuilt += refresh_story_analysis(store, story_id)
        if progress is not None:
            progress(done, len(outdated))
    return rebuilt
