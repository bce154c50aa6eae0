"""A block's scratch store skips the search rows and entity figures; the target is unchanged.

``write_block`` turns off ``Store.writes_search_and_entity_figures`` in its scratch store:
the driver writes the search rows from the block's kept search terms and recounts the
entity figures from the mentions (``append_scratch``, ``finish_blocks``). These tests hold
that the worker writes less and the appended store is what it was when the scratch store
wrote both. In one process, without Dask (the Dask path: ``tests/test_backfill_blocks.py``).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from marsad.backfill import blocks
from marsad.backfill.blocks import cut_blocks, write_block
from marsad.ingest.readers import read_path
from marsad.models import RawArticle
from marsad.refresh import keyed_statements
from marsad.settings import Settings
from marsad.store import Store
from marsad.text.arabic import NORMALIZER_VERSION

DEMO = Path(__file__).resolve().parents[1] / "src" / "marsad" / "demo" / "corpus"
SETTINGS = Settings(batch_size=8)
NOW = datetime(2026, 1, 1)


class _ScratchWritingAll(Store):
    """A store that ignores being told to skip the search rows and entity figures (the
    scratch store as it was before)."""

    @property  # type: ignore[override]
    def writes_search_and_entity_figures(self) -> bool:
        return True

    @writes_search_and_entity_figures.setter
    def writes_search_and_entity_figures(self, _value: bool) -> None:
        pass


def _append_blocks(folder: Path, target: Path) -> tuple[Store, list[Store]]:
    """The demo corpus in 3 blocks, each kept in ``folder``, appended into ``target``;
    the target and the scratch stores, open."""
    folder.mkdir()
    articles = sorted(
        (r for r in read_path(DEMO) if isinstance(r, RawArticle)),
        key=lambda a: (a.date or NOW, a.origin),
    )
    tasks = cut_blocks(articles, total=len(articles), n_blocks=3, now=NOW)
    kept = [write_block(task, NOW, SETTINGS, keep_in=str(folder)) for task in tasks]
    store = Store(target, normalizer_version=NORMALIZER_VERSION)
    for block in kept:
        assert block.scratch is not None
        store.append_scratch(block.scratch)
    store.finish_blocks()
    scratch = [Store(str(b.scratch), normalizer_version=NORMALIZER_VERSION) for b in kept]
    return store, scratch


def _rows(store: Store, table: str) -> int:
    return int(store.rows(f"SELECT count(*) AS n FROM {table}")[0]["n"])


def _derived(store: Store) -> dict[str, object]:
    return {
        "entities": store.rows(
            "SELECT key, name, label, mentions, articles, stories, outlets FROM entity_stats"
            " ORDER BY key"
        ),
        "entity_stories": store.rows("SELECT key, story_id FROM entity_stories ORDER BY 1, 2"),
        "entity_outlets": store.rows("SELECT key, source FROM entity_outlets ORDER BY 1, 2"),
        "search": [
            (hit, round(score, 9))
            for hit, score in store.fts_query(
                "words:الرياض OR stems:سيول OR words:أستانا", limit=50
            )
        ],
        "articles": store.rows(
            "SELECT id, ext_id, story_id, duplicate_of FROM articles ORDER BY id"
        ),
        "mentions": store.rows(
            "SELECT article_id, label, start, end, key FROM mentions ORDER BY id"
        ),
    }


def test_scratch_store_skips_search_and_entity_figures_and_the_target_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, scratch = _append_blocks(tmp_path / "now", tmp_path / "now.db")
    with monkeypatch.context() as patched:
        patched.setattr(blocks, "Store", _ScratchWritingAll)
        before, old_scratch = _append_blocks(tmp_path / "before", tmp_path / "before.db")
    got, expected = _derived(store), _derived(before)
    assert expected["search"] and expected["entities"]
    assert got == expected
    for kept in scratch:
        assert kept.count("articles") > 0
        assert _rows(kept, "articles_fts") == 0
        assert _rows(kept, "entity_stats") == 0
        assert _rows(kept, "block_search") > 0
    assert sum(_rows(s, "entity_stats") for s in old_scratch) > 0
    assert sum(_rows(s, "articles_fts") for s in old_scratch) > 0


def test_keyed_statements_give_each_speaker_its_canonical_name_and_key() -> None:
    from marsad.extract.aliases import name_key
    from marsad.extract.article import extract
    from marsad.extract.quotes import speaker_canonical

    text = (
        "قال وزير الخارجية السعودي عادل الجبير إن المملكة ستواصل دعم اليمن. "
        "وأضاف الجبير أن الحل السياسي هو الطريق الوحيد. "
        "وقال المتحدث باسم الشرطة إن التحقيقات مستمرة."
    )
    statements = extract(text).statements
    assert len(statements) >= 2
    for _ in range(2):  # the second time from the cache
        keyed = keyed_statements(statements)
        assert [(k.canonical, k.key) for k in keyed] == [
            (speaker_canonical(s.speaker_resolved), name_key(s.speaker_resolved))
            for s in statements
        ]
