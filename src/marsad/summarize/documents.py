"""Stored articles of a story as the summarizer's documents (one per duplicate group)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

from marsad.summarize.extractive import SourceDoc
from marsad.summarize.pool import LeadSentence


class StoredMember(Protocol):
    """What a story member needs to be summarized (a stored article has it all)."""

    @property
    def id(self) -> int: ...
    @property
    def source(self) -> str: ...
    @property
    def published(self) -> datetime: ...
    @property
    def title(self) -> str: ...
    @property
    def body(self) -> str: ...
    @property
    def duplicate_of(self) -> int | None: ...


def source_docs(
    members: Sequence[StoredMember], leads: Mapping[int, tuple[LeadSentence, ...]] | None = None
) -> list[SourceDoc]:
    """Representatives of a story's duplicate groups, each crediting its copies' outlets
    (with its lead sentences when ``leads`` holds them, as ingest analysed them)."""
    copies: dict[int, set[str]] = defaultdict(set)
    ids = {a.id for a in members}
    for article in members:
        if article.duplicate_of is not None and article.duplicate_of in ids:
            copies[article.duplicate_of].add(article.source)
    # A copy whose original lives in another story (or was superseded) speaks for itself.
    return [
        SourceDoc(
            key=a.id,
            source=a.source,
            when=a.published,
            title=a.title,
            text=a.body,
            also_sources=tuple(sorted(copies.get(a.id, set()) - {a.source})),
            lead=leads.get(a.id) if leads else None,
        )
        for a in members
        if a.duplicate_of not in ids
    ]
