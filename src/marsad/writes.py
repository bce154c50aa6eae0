"""What one ingest batch writes: typed values the pipeline decides and the store persists.

The pipeline decides every article of a batch (dedup, story, thread, roundup passages)
against the store as of the batch's start plus the batch's own earlier articles, then hands
the store these values in one call. Article ids are allocated by the writer inside the write
lock, so decisions can refer to articles of the same batch before any row exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the store reads these by attribute: no import of the stages at run time
    from marsad.cluster.roundups import OpenedStory, PlacedPassage
    from marsad.extract.article import EntityMention
    from marsad.extract.numbers import NumberMention
    from marsad.extract.quotes import Statement
    from marsad.text.dates import DateMention


@dataclass(frozen=True, slots=True)
class SpeakerStatement:
    """A statement with its resolved speaker's canonical name and merge key."""

    statement: Statement
    canonical: str
    key: str


@dataclass(frozen=True, slots=True)
class EntityCount:
    """One distinct entity of an article: merge key, canonical name, label, mentions."""

    key: str
    name: str
    label: str
    mentions: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleWrite:
    """Everything one new article adds to the store, decided before anything is written."""

    id: int  # allocated by the writer inside the write lock
    ext_id: str | None
    source: str
    published: datetime
    title: str
    body: str
    boilerplate: tuple[str, ...]
    url: str | None
    extra: dict[str, Any]
    origin: str
    identity: str
    content_hash: str
    signature: bytes | None
    duplicate_of: int | None
    story_id: int | None
    words: str
    stems: str
    canonical_url: str | None
    agency: str | None
    time_kind: str
    opens_thread: int | None = None  # the article opens its story, in this thread
    passage_stories: tuple[OpenedStory, ...] = ()  # stories its roundup passages opened
    passages: tuple[PlacedPassage, ...] = ()  # its passages that report other stories
    entities: tuple[EntityMention, ...] = ()
    statements: tuple[SpeakerStatement, ...] = ()
    numbers: tuple[NumberMention, ...] = ()
    dates: tuple[DateMention, ...] = ()  # resolved date expressions of its body
    # Whether extraction ran on it (a copy is not extracted: it says what its original says).
    extracted: bool = False
    entity_counts: tuple[EntityCount, ...] = ()
    supersedes: int | None = None  # the older version of the same URL it replaces


class RecordWriteError(Exception):
    """Writing the article at ``index`` of a batch failed (the batch is rolled back)."""

    def __init__(self, index: int, cause: Exception) -> None:
        super().__init__(index, cause)
        self.index = index
        self.cause = cause
