"""The read side only reads: read-only stores, analyses built in memory, kept by the refresher."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from marsad.cli.main import main
from marsad.errors import StoreError
from marsad.models import RawArticle
from marsad.pipeline import Pipeline, Settings
from marsad.refresh import analysis_outdated, refresh_analyses
from marsad.service import open_reader
from marsad.store import Store
from marsad.text.arabic import NORMALIZER_VERSION
from marsad.views import story_view

T0 = datetime(2026, 4, 1, 9, 0)
FIRE = (
    "اندلع حريق ضخم في مصنع للأثاث بالمدينة الصناعية في بريدة، وأخمدت فرق الدفاع المدني"
    " النيران بعد سبع ساعات من العمل المتواصل دون تسجيل إصابات بين العمال."
)


def _ingested(path: Path, *extra: RawArticle) -> int:
    store = Store(path, normalizer_version=NORMALIZER_VERSION)
    raws = [
        RawArticle(ext_id="1", source="sabq", date=T0, title="حريق مصنع بريدة", text=FIRE),
        RawArticle(ext_id="2", source="okaz", date=T0 + timedelta(hours=1), title="حريق مصنع في بريدة", text=FIRE + " ولا إصابات."),
        *extra,
    ]  # fmt: skip
    Pipeline(store, Settings(extract=False)).ingest(raws)
    story_id = store.story_of(1)
    assert story_id is not None and story_id == store.story_of(2)
    store.close()
    return story_id


def test_a_reader_builds_a_missing_analysis_without_keeping_it(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    story_id = _ingested(db)
    reader = open_reader(db)
    view = story_view(reader, story_id)
    assert view is not None and view["analysis"]["basis"][0] == 2
    assert reader.story_analysis(story_id) is None, "a reader never stores an analysis"
    asked: list[int] = []
    again = story_view(reader, story_id, refresh_analysis=asked.append)
    assert again is not None and again["analysis"]["basis"][0] == 2
    assert asked == [story_id], "the server's refresher is asked to keep one"
    reader.close()


def test_a_read_only_store_refuses_writes(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    _ingested(db)
    reader = open_reader(db)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        reader.set_meta("x", "y")
    reader.close()
    with pytest.raises(StoreError, match="no such store"):
        open_reader(tmp_path / "missing.db")


def test_a_reader_refuses_an_index_built_by_other_arabic_rules(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    _ingested(db)
    old = Store(db, normalizer_version=NORMALIZER_VERSION)
    old.set_meta("normalizer_version", "older-rules")
    old.close()
    with pytest.raises(StoreError, match=r"marsad --db .* refresh"):
        open_reader(db)


def test_refresh_keeps_outdated_analyses_and_readers_then_use_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "r.db"
    story_id = _ingested(db)
    assert main(["--db", str(db), "refresh"]) == 0
    assert capsys.readouterr().out.strip() == "refreshed 1 story analyses"
    reader = open_reader(db)
    kept = reader.story_analysis(story_id)
    assert kept is not None and kept["basis"][0] == 2
    view = story_view(reader, story_id)
    assert view is not None and view["analysis"] == kept, "the kept analysis is read as is"
    reader.close()

    # A third article makes it outdated; a refresh keeps it current again, once.
    store = Store(db, normalizer_version=NORMALIZER_VERSION)
    third = RawArticle(ext_id="3", source="alriyadh", date=T0 + timedelta(hours=2), title="حريق بريدة", text=FIRE + " وفتحت الجهات المختصة تحقيقاً.")  # fmt: skip
    Pipeline(store, Settings(extract=False)).ingest([third])
    assert store.story_of(3) == story_id
    assert analysis_outdated(store, story_id)
    assert refresh_analyses(store) == 1
    assert not analysis_outdated(store, story_id)
    assert refresh_analyses(store) == 0
    store.close()
