"""pipeline.py stays the orchestrator only: the order of the stages, not their work."""

from __future__ import annotations

import ast
from pathlib import Path

from marsad.ingest.readers import read_path
from marsad.pipeline import Pipeline, Settings
from marsad.store import Store
from marsad.text.arabic import NORMALIZER_VERSION, tokenize

PIPELINE = Path(__file__).resolve().parents[1] / "src" / "marsad" / "pipeline.py"
DEMO = Path(__file__).resolve().parents[1] / "src" / "marsad" / "demo" / "corpus"
# What lives elsewhere: GC tuning and process pools (workers.py), SQL (store/), stateless
# preparation (ingest/prepare.py), summaries (refresh.py), settings (settings.py).
FORBIDDEN_IMPORTS = {"gc", "sqlite3", "multiprocessing", "hashlib", "bisect", "math"}
FORBIDDEN_CALLS = {
    "execute",  # SQL
    "rows",  # SQL through the store's escape hatch
    "ProcessPoolExecutor",  # worker scheduling
    "set_threshold",  # GC tuning
    "tokenize",  # preparation (reindex goes through index_terms)
    "strip_boilerplate",
    "canonical_url",
    "fingerprint",
    "summarize",
    "add_article",  # one write per batch: Store.write_batch only
    "create_story",
    "add_passage",
    "set_thread",
}


def _tree() -> ast.Module:
    return ast.parse(PIPELINE.read_text(encoding="utf-8"))


def test_pipeline_imports_no_machinery() -> None:
    imported = set()
    for node in ast.walk(_tree()):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & FORBIDDEN_IMPORTS


def test_pipeline_writes_through_one_store_call_per_batch() -> None:
    called = set()
    for node in ast.walk(_tree()):
        if isinstance(node, ast.Call):
            func = node.func
            called.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    assert not called & FORBIDDEN_CALLS
    assert "write_batch" in called


def test_reindex_rebuilds_the_index_ingest_built(tmp_path: Path) -> None:
    store = Store(tmp_path / "r.db", normalizer_version=NORMALIZER_VERSION)
    writer = Pipeline(store, Settings(workers=0, extract=False))
    writer.ingest(read_path(DEMO))
    titles = [row["title"] for row in store.rows("SELECT title FROM articles ORDER BY id")]
    queries = [f'"{tokenize(title)[-1].stem}"' for title in titles[:8]]
    queries += [f'"{tokenize(title)[0].text}"' for title in titles[:8]]
    before = [store.fts_query(q, limit=100) for q in queries]
    assert all(before)
    with store.transaction():
        writer.reindex()
    assert [store.fts_query(q, limit=100) for q in queries] == before
    store.close()
