"""The version a story page is cached under, on both backends: kept between commits,
moved by any commit that changes the story or its related days."""

from __future__ import annotations

import time
from datetime import datetime

from conftest import FIRE, VISIT
from marsad.models import RawArticle
from marsad.pipeline import Pipeline
from marsad.service import ReadService
from marsad.store import Store, open_store


def raw(n: int, source: str, text: str, title: str, day: str) -> RawArticle:
    return RawArticle(
        ext_id=f"v{n}",
        source=source,
        date=datetime.fromisoformat(f"{day}T10:00:00"),
        title=title,
        text=text,
        origin=f"test:{n}",
    )


def announced(service: ReadService, writer: Store, store_url: str) -> None:
    """Wait until the server side has heard of the writer's last commit. On PostgreSQL the
    change counter is announced after each commit (``ChangeListener``), a moment later;
    SQLite's readers ask the file itself."""
    if not store_url.startswith("postgresql"):
        return
    deadline = time.monotonic() + 10
    while service.store_version() != writer.data_version():
        assert time.monotonic() < deadline, "the commit was never announced"
        time.sleep(0.01)


def test_story_version_is_kept_between_commits_and_moves_with_them(store_url: str) -> None:
    writer = open_store(store_url)
    pipeline = Pipeline(writer)
    pipeline.ingest([raw(1, "wire-a", FIRE, "حريق مصنع أثاث في بريدة", "2026-04-01")])
    story = writer.story_ids_with_articles()[0]
    service = ReadService(store_url)
    try:
        first = service.story_version(story)
        assert first[1] == 1, "one article in the story's days"
        assert service.story_version(story) == first

        # Another connection commits a change to the story: its revision moves.
        with writer.transaction():
            writer.set_summary(story, "عنوان آخر", {"headline": "عنوان آخر", "sentences": []})
        announced(service, writer, store_url)
        renamed = service.story_version(story)
        assert renamed[0] != first[0] and renamed[1] == first[1]

        # An article of another story six days on is related coverage: the count moves.
        pipeline.ingest([raw(2, "wire-v", VISIT, "أمير القصيم يتفقد المصنع", "2026-04-07")])
        assert len(writer.story_ids_with_articles()) == 2
        announced(service, writer, store_url)
        assert service.story_version(story) == (renamed[0], 2)

        # A commit that touches only the other story leaves this one's version as it was.
        other = next(s for s in writer.story_ids_with_articles() if s != story)
        with writer.transaction():
            writer.set_summary(other, "زيارة", {"headline": "زيارة", "sentences": []})
        announced(service, writer, store_url)
        assert service.story_version(story) == (renamed[0], 2)
    finally:
        service.close()
        writer.close()
