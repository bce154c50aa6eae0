"""Preparing batches in a worker process gives exactly what preparing them inline gives."""

from __future__ import annotations

import pickle
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

import marsad.refresh
import marsad.workers
from marsad import pipeline
from marsad.ingest.readers import read_path
from marsad.models import RawArticle
from marsad.pipeline import Pipeline, Prepared, Settings, prepare_article, prepare_batch
from marsad.store import Store
from marsad.summarize import lead_analysis
from marsad.text.arabic import NORMALIZER_VERSION

DEMO = Path(__file__).resolve().parents[1] / "src" / "marsad" / "demo" / "corpus"
NOW = datetime(2026, 11, 1)


def ingest(path: Path | str, workers: int) -> Store:
    store = Store(path, normalizer_version=NORMALIZER_VERSION)
    # Small batches so the demo's 46 articles make enough batches for the worker.
    report = Pipeline(store, Settings(batch_size=5, workers=workers)).ingest(read_path(DEMO))
    assert report.ingested == 46 and not report.skipped
    return store


def snapshot(store: Store) -> dict[str, list[dict[str, Any]]]:
    return {
        "articles": store.rows(
            "SELECT ext_id, source, story_id, duplicate_of, title, body FROM articles ORDER BY id"
        ),
        "stories": store.rows(
            "SELECT id, title, n_articles, n_passages, sources, summary, thread_id FROM stories"
            " ORDER BY id"
        ),
        "mentions": store.rows(
            "SELECT article_id, label, start, end, key FROM mentions ORDER BY id"
        ),
        "statements": store.rows(
            "SELECT article_id, speaker, start, end FROM statements ORDER BY id"
        ),
        "numbers": store.rows("SELECT article_id, value, start, end FROM numbers ORDER BY id"),
        "passages": store.rows("SELECT article_id, story_id, start, end FROM passages ORDER BY id"),
    }


def test_worker_and_inline_ingest_store_the_same(
    new_store_url: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    inline = snapshot(ingest(new_store_url("inline"), workers=0))
    # The worker also summarizes every other story once there are this many to do.
    monkeypatch.setattr(marsad.workers, "PARALLEL_MIN_SUMMARIES", 2)
    calls: list[int] = []
    original = marsad.refresh.refresh_story

    def counted(*args: Any) -> Any:
        calls.append(args[1])
        return original(*args)

    monkeypatch.setattr(pipeline, "refresh_story", counted)
    parallel = snapshot(ingest(new_store_url("parallel"), workers=1))
    assert inline["mentions"], "the demo has entities"
    stories = [s for s in inline["stories"] if s["summary"]]
    # This process summarized only half: the worker did the rest.
    assert 0 < len(calls) <= (len(stories) + 1) // 2 + 1
    assert inline == parallel


def test_a_worker_ships_no_tokens_and_a_late_extraction_tokenizes_again(tmp_path: Path) -> None:
    raw = RawArticle(
        ext_id="p1",
        source="wire",
        date=NOW,
        title="وزير الخارجية يزور عمان",
        text="وصل وزير الخارجية سامح شكري اليوم إلى عمان في زيارة تستغرق يومين. وقال شكري إن"
        " المحادثات مع الملك عبد الله الثاني مهمة.",
    )
    inline = prepare_article(raw, NOW, Settings())
    (shipped,) = prepare_batch([raw], NOW, Settings(extract=False))
    assert isinstance(inline, Prepared) and isinstance(shipped, Prepared)
    assert inline.body_tokens and shipped.body_tokens is None and shipped.title_tokens is None
    copy = pickle.loads(pickle.dumps(shipped))
    assert copy.cluster_doc == inline.cluster_doc and copy.lead == inline.lead
    assert copy.stems == inline.stems and copy.passages == inline.passages
    # Stored by a pipeline that extracts, the token-less item is extracted here instead.
    store = Store(tmp_path / "late.db", normalizer_version=NORMALIZER_VERSION)
    late = Pipeline(store, Settings(workers=0))
    late._store_batch([copy.raw], [copy], pipeline.IngestReport())
    assert store.rows("SELECT text FROM mentions"), "entities extracted from the body"
    store.close()


def test_the_worker_skips_extraction_for_stored_records(
    new_store_url: Callable[[str], str],
) -> None:
    url = new_store_url("s")
    store = ingest(url, workers=0)
    batch = [r for r in read_path(DEMO) if isinstance(r, RawArticle)][:3]
    again = marsad.workers.prepare_in_worker(batch, NOW, Settings(), url)
    fresh = prepare_batch(batch, NOW, Settings())
    assert all(isinstance(i, Prepared) and i.found is None for i in again)
    assert all(isinstance(i, Prepared) and i.found is not None for i in fresh)
    store.close()


def test_entity_figures_kept_at_ingest_equal_a_full_recount(
    new_store_url: Callable[[str], str],
) -> None:
    store = ingest(new_store_url("e"), workers=0)
    kept = store.rows("SELECT * FROM entity_stats ORDER BY key")
    assert len(kept) > 10
    with store.transaction():
        store.recount_entities(row["key"] for row in kept)
    recounted = store.rows("SELECT * FROM entity_stats ORDER BY key")
    # Names may differ (first seen vs. largest spelling); every figure must agree.
    figures = ("key", "label", "mentions", "articles", "stories", "outlets")
    assert [{k: r[k] for k in figures} for r in kept] == [
        {k: r[k] for k in figures} for r in recounted
    ]
    store.close()


def test_a_script_without_main_guard_still_ingests(tmp_path: Path) -> None:
    # A spawned worker re-imports such a script and fails; the batches go on inline.
    script = tmp_path / "bulk.py"
    script.write_text(
        "from marsad.ingest.readers import read_path\n"
        "from marsad.pipeline import Pipeline, Settings\n"
        "from marsad.store import Store\n"
        "from marsad.text.arabic import NORMALIZER_VERSION\n"
        f"store = Store({str(tmp_path / 'g.db')!r}, normalizer_version=NORMALIZER_VERSION)\n"
        "report = Pipeline(store, Settings(batch_size=5, workers=1)).ingest("
        f"read_path({str(DEMO)!r}))\n"
        "print('ingested', report.ingested)\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "ingested 46" in done.stdout
    assert "preparing the remaining batches inline" in done.stderr


def test_lead_sentences_travel_with_the_stored_articles(tmp_path: Path) -> None:
    store = Store(tmp_path / "l.db", normalizer_version=NORMALIZER_VERSION)
    writer = Pipeline(store, Settings(workers=0))
    writer.ingest(read_path(DEMO))
    assert len(writer.leads) == store.count("articles")
    for article_id, lead in writer.leads.items():
        stored = store.article(article_id)
        assert stored is not None and lead == lead_analysis(stored.body)
    store.close()
