from __future__ import annotations

from datetime import datetime

import pytest

from marsad.errors import MigrationError
from marsad.store import Store
from marsad.store.migrations import MIGRATIONS
from pg_support import PostgresServer


def _add(store: Store, identity: str, **overrides: object) -> int:
    fields: dict[str, object] = {
        "ext_id": "a1",
        "source": "outlet-a",
        "published": datetime(2026, 3, 4, 9, 30),
        "title": "عنوان",
        "body": "نص الخبر",
        "boilerplate": [],
        "url": None,
        "extra": {"k": "v"},
        "origin": "x.txt",
        "identity": identity,
        "content_hash": "h",
        "signature": b"\x00" * 8,
        "duplicate_of": None,
        "story_id": None,
        "words": "عنوان نص خبر",
        "stems": "عنو نص خبر",
    }
    fields.update(overrides)
    return store.add_article(**fields)  # type: ignore[arg-type]


def test_migrations_apply_once_and_are_recorded(store_url: str, backend: str) -> None:
    store = Store(store_url, normalizer_version="1")
    assert store.schema_version == len(MIGRATIONS)
    store.close()
    again = Store(store_url, normalizer_version="1")
    assert again.schema_version == len(MIGRATIONS)
    if backend == "sqlite":
        mode = again.db.execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"


def test_migrations_run_on_an_empty_postgres_database(postgres_server: PostgresServer) -> None:
    url = postgres_server.empty_database()
    store = Store(url, normalizer_version="1")
    names = [r[0] for r in store.db.execute("SELECT name FROM _migrations ORDER BY name")]
    assert names == sorted(name for name, _ in MIGRATIONS)


def test_store_refuses_a_store_from_a_newer_version(store_url: str) -> None:
    store = Store(store_url, normalizer_version="1")
    with store.transaction():
        store.db.execute("INSERT INTO _migrations VALUES ('9999_future', 'x')")
    store.close()
    with pytest.raises(MigrationError, match="newer Marsad"):
        Store(store_url, normalizer_version="1")


def test_article_round_trip_keeps_display_text_and_extra(store_url: str) -> None:
    store = Store(store_url, normalizer_version="1")
    with store.transaction():
        article_id = _add(store, "id-1")
    article = store.article(article_id)
    assert article is not None
    assert article.body == "نص الخبر"
    assert article.extra == {"k": "v"}
    assert store.has_identity("id-1")
    assert not store.has_identity("id-2")


def test_failed_transaction_writes_nothing(store_url: str) -> None:
    store = Store(store_url, normalizer_version="1")
    with pytest.raises(RuntimeError), store.transaction():
        _add(store, "id-1")
        raise RuntimeError("killed mid-batch")
    assert store.count("articles") == 0
    assert store.fts_query('"خبر"', limit=5) == []


def test_normalizer_change_is_detected_and_rebuild_clears_it(store_url: str) -> None:
    store = Store(store_url, normalizer_version="1")
    assert store.reindex_needed  # a fresh store has no index version yet
    with store.transaction():
        article_id = _add(store, "id-1")
    store.rebuild_fts([(article_id, "جديد", "جديد")])
    store.close()
    same = Store(store_url, normalizer_version="1")
    assert not same.reindex_needed
    assert [a for a, _ in same.fts_query('"جديد"', limit=5)] == [article_id]
    same.close()
    assert Store(store_url, normalizer_version="2").reindex_needed


def test_story_counters_track_span_and_outlets(store_url: str) -> None:
    store = Store(store_url, normalizer_version="1")
    with store.transaction():
        store.create_story(7)
        store.touch_story(7, "b", datetime(2026, 3, 5))
        store.touch_story(7, "a", datetime(2026, 3, 4))
    story = store.story(7)
    assert story is not None
    assert story.n_articles == 2
    assert story.sources == ["a", "b"]
    assert story.first_seen == datetime(2026, 3, 4)
    assert story.last_seen == datetime(2026, 3, 5)
    assert store.dirty_stories() == [7]


def test_sqlite_store_opens_with_its_pragmas(tmp_path) -> None:
    store = Store(tmp_path / "s.db", normalizer_version="1")
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] > 0


def test_every_public_store_method_says_what_it_does_and_is_listed_by_concern() -> None:
    import inspect

    import marsad.store
    from marsad.store.read_queries import ReadQueries

    listing = marsad.store.__doc__ or ""
    undocumented, unlisted = [], []
    for name in dir(Store):
        if name.startswith("_"):
            continue
        owner = next(c for c in Store.__mro__ if name in vars(c))
        attribute = vars(owner)[name]
        function = attribute.fget if isinstance(attribute, property) else attribute
        if not callable(function) and not isinstance(attribute, property):
            continue  # a class attribute (annotation default), not API
        if not (inspect.getdoc(function) or "").strip():
            undocumented.append(name)
        # The read side's queries are summarized as a group; every other method is named.
        if owner is not ReadQueries and f"``{name}``" not in listing:
            unlisted.append(name)
    assert undocumented == []
    assert unlisted == []
