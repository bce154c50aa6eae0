"""Where the events of a roundup go: one decision per passage, nothing written.

A roundup (a digest of several events) is clustered passage by passage: the lead passage
(with the title) decides the article's own story; every other passage joins or opens the
story it reports and is linked there as "also reported in". Clustering the whole article
instead would blend several events into one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from marsad.cluster.passages import Passage
from marsad.cluster.stories import Assignment, ClusterDoc, StoryClusterer
from marsad.cluster.threads import ThreadLinker

MIN_PASSAGE_STORY_CHARS = 300  # a shorter unmatched passage is too thin to open a story


@dataclass(frozen=True, slots=True)
class PlacedPassage:
    """A roundup passage and the story it reports, with the join score (or cosine)."""

    passage: Passage
    story: int
    score: float


@dataclass(frozen=True, slots=True)
class OpenedStory:
    """A story a passage opened, and the thread it was linked into."""

    story: int
    thread: int


@dataclass(frozen=True, slots=True)
class RoundupPlacement:
    """The lead passage's assignment (the article's story), its other passages' stories,
    and the stories those passages opened (in the order they were opened)."""

    lead: Assignment
    placed: tuple[PlacedPassage, ...]
    opened: tuple[OpenedStory, ...]


def place_roundup(
    parts: Sequence[tuple[Passage, ClusterDoc]],
    published: datetime,
    clusterer: StoryClusterer,
    threads: ThreadLinker,
) -> RoundupPlacement:
    """Cluster a roundup passage by passage (``parts``: lead passage first).

    Updates the in-memory ``clusterer`` and ``threads`` as assigning any article does.
    A passage that matches no active story may report an event whose story has closed
    (a roundup's paragraph on day six of an operation): it is linked to that story when
    their opening reports are alike (:meth:`ThreadLinker.follow_up`), rather than opening
    a story of one paragraph.
    """
    lead = clusterer.assign(parts[0][1])
    placed: list[PlacedPassage] = []
    opened: list[OpenedStory] = []
    for passage, doc in parts[1:]:
        if passage.end - passage.start < MIN_PASSAGE_STORY_CHARS:
            continue  # too thin to stand for an event of its own
        # Never its own article's story.
        assignment = clusterer.assign_unless(
            doc, partial(threads.follow_up, when=published, exclude=[lead.story])
        )
        if not isinstance(assignment, Assignment):  # (closed story, cosine)
            story, cosine = assignment
            placed.append(PlacedPassage(passage, story, cosine))
            continue
        if assignment.story == lead.story:
            continue
        if assignment.is_new:
            thread = threads.link(assignment.story, published, doc.names, assignment.profile)
            opened.append(OpenedStory(assignment.story, thread))
        placed.append(PlacedPassage(passage, assignment.story, assignment.score))
    return RoundupPlacement(lead, tuple(placed), tuple(opened))
