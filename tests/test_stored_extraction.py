"""Extraction runs once, at ingest; comparison and views read what the store kept.

Also: migration 0015 on a store written before it (both backends), and the refresher
extracting, once, the articles such a store holds.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

import marsad.store.core as store_core
from marsad.compare import facts
from marsad.extract import article as extract_article
from marsad.extract.article import extract
from marsad.models import RawArticle
from marsad.pipeline import Pipeline, Settings
from marsad.refresh import extract_missing, refresh_analyses
from marsad.store import Store
from marsad.store.migrations import MIGRATIONS
from marsad.text.arabic import NORMALIZER_VERSION
from marsad.views import comparison_view, stored_extracted
from pg_support import PostgresServer

T0 = datetime(2015, 7, 20, 10, 0)  # a Monday
CONTEXT = "وقالت الأمم المتحدة في تقرير عن الأوضاع الإنسانية في محافظة عدن اليمنية"
ALPHA = (
    f"{CONTEXT} إن القصف أسفر عن مقتل 57 مدنيا في الأحياء السكنية يوم السبت الماضي."
    " وأضاف المتحدث باسم المنظمة ينس لاركيه أن فرق الإغاثة وصلت إلى المدينة."
)
BETA = (
    f"{CONTEXT} إن القصف أسفر عن مقتل 43 مدنيا في الأحياء السكنية يوم السبت الماضي."
    " وطالبت منظمات حقوقية بفتح تحقيق مستقل في الغارات التي استهدفت الأسواق الشعبية."
)
NEW_MIGRATION = "0015_extraction_details"
# A statement row as migration 0005 (+ 0011) stored it: no speaker or sentence offsets.
UN = "الأمم المتحدة"
OLD_STATEMENT_ROW = (UN, UN, UN, "k", "وقالت", 70, 120, False, None, "", "", False)


def _raws() -> list[RawArticle]:
    return [
        RawArticle(ext_id="a", source="alpha", date=T0, title="مقتل مدنيين في عدن", text=ALPHA),
        RawArticle(
            ext_id="b",
            source="beta",
            date=T0 + timedelta(hours=2),
            title="قصف على عدن",
            text=BETA,
        ),
    ]


def _no_extraction_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every extractor the comparison could call fail the test."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the comparison extracted instead of reading the store")

    for name in ("extract_numbers", "extract_statements", "find_dates"):
        monkeypatch.setattr(facts, name, refuse)
    facts.extract_from_text.cache_clear()


def test_comparison_reads_the_stored_extraction(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(store_url, normalizer_version=NORMALIZER_VERSION)
    Pipeline(store, Settings()).ingest(_raws())
    _no_extraction_here(monkeypatch)
    view = comparison_view(store)
    assert view is not None
    analysis = view["analysis"]
    values = [
        sorted(r["value"] for r in d["reports"]) for d in analysis["disagreements"]["numbers"]
    ]
    assert [43.0, 57.0] in values
    quoted = {q["speaker"] for c in analysis["claims"] for q in c["quotes"]}
    assert quoted, "stored statements reach the claims section"
    assert analysis["timeline"], "stored dates reach the timeline"
    store.close()


def test_stored_extraction_is_what_ingest_extracted(store_url: str) -> None:
    store = Store(store_url, normalizer_version=NORMALIZER_VERSION)
    Pipeline(store, Settings()).ingest(_raws())
    (first,) = store.articles([1])
    stored = stored_extracted(store, [1, 2])
    assert set(stored) == {1, 2}
    expected = extract(first.body, published=first.published.date())
    assert stored[1].numbers == expected.numbers
    assert stored[1].statements == expected.statements
    assert stored[1].dates == expected.dates
    assert expected.numbers and expected.statements and expected.dates
    store.close()


def _old_store_url(backend: str, request: pytest.FixtureRequest, tmp_path: Any) -> str:
    if backend == "sqlite":
        return str(tmp_path / "old.db")
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.empty_database()  # migrated here, up to the old schema


def test_an_old_store_migrates_and_the_refresher_extracts_once(
    backend: str, request: pytest.FixtureRequest, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _old_store_url(backend, request, tmp_path)
    with monkeypatch.context() as before:  # the store as Marsad wrote it before 0015
        before.setattr(store_core, "MIGRATIONS", [m for m in MIGRATIONS if m[0] != NEW_MIGRATION])
        old = Store(url, normalizer_version=NORMALIZER_VERSION)
        Pipeline(old, Settings(extract=False)).ingest(_raws()[:1])
        with old.transaction():  # a statement row of the old shape, as 0005 stored it
            old.add_extraction(
                1,
                mentions=[],
                statements=[OLD_STATEMENT_ROW],
                numbers=[],
            )
        assert not old.has_table("extracted_articles")
        old.close()

    store = Store(url, normalizer_version=NORMALIZER_VERSION)
    assert store.schema_version == len(MIGRATIONS)
    assert store.stored_extractions([1]) == {}, "an old row lacks fields: not read"
    assert store.unextracted_articles([1]) == [1]

    assert refresh_analyses(store) == 1
    stored = stored_extracted(store, [1])[1]
    (article,) = store.articles([1])
    expected = extract(article.body, published=article.published.date())
    assert stored.statements == expected.statements and stored.numbers == expected.numbers
    rows = store.db.execute("SELECT count(*) FROM statements WHERE article_id = 1").fetchone()
    assert rows[0] == len(expected.statements), "the old rows were replaced, not added to"

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("extracted twice")

    monkeypatch.setattr(extract_article, "extract", refuse)
    assert extract_missing(store, store.articles([1])) == 0
    store.close()


def test_what_lies_in_another_storys_passage_is_left_out() -> None:
    from marsad.compare.facts import Extracted
    from marsad.views import extracted_outside

    found = extract(ALPHA + " " + BETA, published=T0.date())
    cut = len(ALPHA) + 1  # BETA is a passage of another story
    kept = extracted_outside(
        Extracted(found.numbers, found.statements, found.dates), [(cut, len(ALPHA) + 1 + len(BETA))]
    )
    assert [n.value for n in kept.numbers] == [57.0]
    assert kept.statements and all(s.end <= cut for s in kept.statements)
    assert len(kept.statements) < len(found.statements)
    assert len(kept.dates) == 1 and len(found.dates) == 2
