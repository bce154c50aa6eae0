"""SQLite and PostgreSQL stores hold and answer the same: ingest, search, copy-store, writers.

These tests need the throwaway PostgreSQL server (pg_support); without Debian's PostgreSQL
binaries they fail and say how to install them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

import pytest

from conftest import SEEDS
from marsad.cli.main import main
from marsad.errors import StoreError
from marsad.ingest import read_path
from marsad.pipeline import Pipeline
from marsad.search.fts import build_query
from marsad.store import DATABASE_ERRORS, Store, open_store, store_exists
from marsad.store.backup import backup_store, restore_store
from marsad.store.copy import copy_store
from marsad.store.postgres import fts5_to_tsquery, fts_row, fts_tokens, translate
from pg_support import PostgresServer

DEMO = Path(__file__).resolve().parents[1] / "src" / "marsad" / "demo" / "corpus"


def _ingest(location: str, *paths: Path) -> Store:
    store = open_store(location)
    pipeline = Pipeline(store)
    for path in paths:
        pipeline.ingest(read_path(path))
    return store


def _assignments(store: Store) -> dict[str, tuple[int, int]]:
    """Input file (and line) -> (story, thread) of every article in a story."""
    rows = store.db.execute(
        "SELECT a.origin, a.id, s.id, coalesce(s.thread_id, s.id) FROM articles a"
        " JOIN stories s ON s.id = a.story_id"
    )
    return {
        f"{origin}#{article}": (int(story), int(thread)) for origin, article, story, thread in rows
    }


def _content(store: Store) -> dict[str, Any]:
    """Everything a reader sees of stories, threads and articles, by id."""
    return {
        "articles": store.rows(
            "SELECT id, ext_id, source, published, title, body, url, story_id, duplicate_of,"
            " superseded_by, agency, time_kind FROM articles ORDER BY id"
        ),
        "stories": store.rows(
            "SELECT id, title, first_seen, last_seen, n_articles, sources, summary, thread_id,"
            " breaking, burst, n_passages, analysis FROM stories ORDER BY id"
        ),
        "statements": store.rows(
            "SELECT article_id, speaker_key, start, end FROM statements ORDER BY id"
        ),
        "entities": store.rows("SELECT * FROM entity_stats ORDER BY key"),
        "meta": store.rows("SELECT key, value FROM meta ORDER BY key"),
    }


# -- the same input gives the same stores ----------------------------------------------------
@pytest.fixture(scope="module")
def demo_stores(
    tmp_path_factory: pytest.TempPathFactory, postgres_server: PostgresServer
) -> tuple[Store, Store]:
    """The demo corpus (and the seed articles when ../shared is there) in both backends."""
    paths = [DEMO, *([SEEDS] if SEEDS.is_dir() else [])]
    lite = _ingest(str(tmp_path_factory.mktemp("backends") / "demo.db"), *paths)
    pg = _ingest(postgres_server.new_database(), *paths)
    return lite, pg


def test_sqlite_and_postgres_give_identical_stories_and_threads(
    demo_stores: tuple[Store, Store],
) -> None:
    lite, pg = demo_stores
    assigned = _assignments(lite)
    assert len({story for story, _ in assigned.values()}) >= 9, "the demo has nine stories"
    assert _assignments(pg) == assigned
    assert _content(pg) == _content(lite)


@pytest.mark.parametrize(
    "query", ["الرياض", "وزير الخارجية", "القمح", "الحبوب في قزوين", "أستانا", "عبد الله"]
)
def test_search_ranks_alike_on_both(demo_stores: tuple[Store, Store], query: str) -> None:
    lite, pg = demo_stores
    expression, _ = build_query(query)
    on_sqlite = lite.fts_query(expression, limit=50)
    on_postgres = pg.fts_query(expression, limit=50)
    assert [i for i, _ in on_postgres] == [i for i, _ in on_sqlite]
    assert [round(r, 6) for _, r in on_postgres] == [round(r, 6) for _, r in on_sqlite]
    page = pg.fts_filtered(expression, limit=3, offset=1)
    expected = lite.fts_filtered(expression, limit=3, offset=1)
    assert page[0] == expected[0]
    assert [(r.article_id, r.story_id, r.duplicate_of, round(r.rank, 6)) for r in page[1]] == [
        (r.article_id, r.story_id, r.duplicate_of, round(r.rank, 6)) for r in expected[1]
    ]


@pytest.mark.parametrize(
    "expression",
    [
        'words:"مخزون" OR words:"الحبوب"',
        'words:"ممر شحن"',  # a phrase
        'stems:"حبوب" NOT words:"قزوين"',
        '(words:"القمح" OR stems:"قمح") AND words:"الخبز"',
        '"الحبوب"',  # either column
    ],
)
def test_fts5_expressions_match_the_same_articles(
    demo_stores: tuple[Store, Store], expression: str
) -> None:
    lite, pg = demo_stores
    assert [i for i, _ in pg.fts_query(expression, limit=100)] == [
        i for i, _ in lite.fts_query(expression, limit=100)
    ]


DOCUMENT_COUNT_EXPRESSIONS = [
    'stems:"حبوب"',  # one word in one column: counted on the postings on PostgreSQL
    'words:"مخزون"',
    '"حبوب"',  # either column
    'stems:"كلمةغائبة"',  # in no article
    'words:"ممر شحن"',  # a phrase: through the GIN index
    'stems:"حبوب" NOT words:"قزوين"',
]


def test_document_counts_agree_on_both(demo_stores: tuple[Store, Store]) -> None:
    lite, pg = demo_stores
    expected = lite.count_fts_matches_each(DOCUMENT_COUNT_EXPRESSIONS)
    assert expected[0] > 0 and expected[1] > 0 and expected[3] == 0
    assert pg.count_fts_matches_each(DOCUMENT_COUNT_EXPRESSIONS) == expected
    # The one-at-a-time form answers the same, and matches what a search finds.
    assert [pg.count_fts_matches(e) for e in DOCUMENT_COUNT_EXPRESSIONS] == expected
    assert expected[0] == len(lite.fts_query(DOCUMENT_COUNT_EXPRESSIONS[0], limit=10_000))


def test_indexes_cover_what_search_reads(demo_stores: tuple[Store, Store]) -> None:
    """bm25 and document counts read a term's postings from its key alone, and a search
    reads its matches' filters from one index (index-only scans on PostgreSQL)."""
    _lite, pg = demo_stores
    for store in demo_stores:
        applied = {r["name"] for r in store.rows("SELECT name FROM _migrations")}
        assert {"0016_fts_postings_covering", "0018_search_filter_index"} <= applied
    definitions = {
        r["name"]: r["d"].split(" USING ")[1]
        for r in pg.rows(
            "SELECT CAST(indexrelid AS regclass) AS name, pg_get_indexdef(indexrelid) AS d"
            " FROM pg_index WHERE indrelid IN"
            " (CAST('fts_postings' AS regclass), CAST('articles' AS regclass))"
        )
    }
    assert definitions["fts_postings_pkey"] == (
        "btree (term, rowid) INCLUDE (in_words, in_stems, tokens)"
    )
    assert definitions["articles_search_filter"] == (
        "btree (id) INCLUDE (superseded_by, story_id, duplicate_of, published, source)"
    )


def test_search_totals_follow_every_index_write(demo_stores: tuple[Store, Store]) -> None:
    """bm25's article and token totals are kept by index writes on PostgreSQL, not summed
    per search: after ingest and after a rebuild they equal the full-text table's."""
    lite, pg = demo_stores

    def totals() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        kept = pg.rows("SELECT n_rows, n_tokens FROM fts_totals")
        summed = pg.rows(
            "SELECT count(*) AS n_rows, coalesce(sum(tokens), 0) AS n_tokens FROM articles_fts"
        )
        return kept, summed

    kept, summed = totals()
    assert kept == summed and summed[0]["n_rows"] == pg.count("articles") > 0
    expression, _ = build_query("الرياض")

    def ranked(store: Store) -> list[tuple[int, float]]:
        return [(i, round(r, 6)) for i, r in store.fts_query(expression, limit=50)]

    before = ranked(pg)
    Pipeline(pg).reindex()
    assert totals() == (kept, summed)
    assert ranked(pg) == before == ranked(lite)


def test_a_bad_expression_is_a_store_error_on_both(demo_stores: tuple[Store, Store]) -> None:
    for store in demo_stores:
        with pytest.raises(StoreError, match="not understood"):
            store.fts_query('words:"x" AND (', limit=5)


# -- copy-store ------------------------------------------------------------------------------
def test_copy_store_round_trip_keeps_stories_threads_and_articles(
    demo_stores: tuple[Store, Store], tmp_path: Path, postgres_server: PostgresServer
) -> None:
    lite, _ = demo_stores
    middle, back = postgres_server.new_database(), str(tmp_path / "back.db")
    assert main(["copy-store", lite.path, middle]) == 0
    assert main(["copy-store", middle, back]) == 0
    original = _content(lite)
    for location in (middle, back):
        copy = open_store(location)
        assert _content(copy) == original
        assert _assignments(copy) == _assignments(lite)
        expression, _ = build_query("القمح")
        assert [i for i, _ in copy.fts_query(expression, limit=20)] == [
            i for i, _ in lite.fts_query(expression, limit=20)
        ], "the index is rebuilt on the target"
        copy.close()
    # New articles after a copy get new ids (PostgreSQL's sequences moved past the copy).
    target = open_store(middle)
    with target.transaction():
        added = target.add_article(
            ext_id="after-copy", source="x", published=datetime(2026, 3, 9), title="t",
            body="b", boilerplate=[], url=None, extra={}, origin="o", identity="after-copy",
            content_hash="h", signature=None, duplicate_of=None, story_id=None,
            words="b", stems="b",
        )  # fmt: skip
    assert added == target.max_article_id() > max(r["id"] for r in original["articles"])
    target.close()


def test_copy_store_refuses_a_store_that_is_not_empty(
    demo_stores: tuple[Store, Store], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lite, pg = demo_stores
    assert main(["copy-store", lite.path, pg.path]) == 1
    assert "not empty" in capsys.readouterr().err
    with pytest.raises(StoreError, match="not empty"):
        copy_store(lite, pg)


# -- the CLI on a PostgreSQL URL ---------------------------------------------------------------
def test_cli_reads_a_postgres_store_like_a_file(
    demo_stores: tuple[Store, Store],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A story view builds its analysis in memory and stamps it with the clock: the two runs
    # may straddle a second (they did under load), so both read one fixed clock.
    import marsad.views as views

    class FixedClock(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> FixedClock:
            return cls(2026, 1, 1, tzinfo=tz)

    monkeypatch.setattr(views, "datetime", FixedClock)
    answers = []
    for store in demo_stores:
        capsys.readouterr()
        assert main(["--db", store.path, "stories", "--json"]) == 0
        assert main(["--db", store.path, "story", "1", "--json"]) == 0
        assert main(["--db", store.path, "search", "القمح", "--json"]) == 0
        answers.append(capsys.readouterr().out)
    assert '"built_at": "2026-01-01T00:00:00+00:00"' in answers[0]  # the fixed clock stamped it
    assert answers[0] == answers[1]
    assert json.loads(answers[0].split("\n}\n")[0] + "\n}") is not None


def test_refresh_takes_a_postgres_url(
    demo_stores: tuple[Store, Store], capsys: pytest.CaptureFixture[str]
) -> None:
    _lite, pg = demo_stores
    assert main(["--db", pg.path, "refresh"]) == 0
    assert "story analyses" in capsys.readouterr().out


# -- rules of the store on both backends -------------------------------------------------------
def test_read_only_refuses_writes(store_url: str) -> None:
    open_store(store_url).close()
    reader = open_store(store_url, read_only=True)
    with pytest.raises(DATABASE_ERRORS), reader.transaction():
        reader.create_story(1)
    assert reader.count("stories") == 0
    reader.close()


def test_data_version_moves_when_another_connection_commits(store_url: str) -> None:
    writer, reader = open_store(store_url), open_store(store_url)
    before = reader.data_version()
    with writer.transaction():
        writer.create_story(5)
    assert reader.data_version() != before


def test_a_taken_story_id_is_a_store_error_and_the_batch_rolls_back(store_url: str) -> None:
    store = open_store(store_url)
    with store.transaction():
        store.create_story(3)
    with pytest.raises(StoreError, match="already in use"), store.transaction():
        store.create_story(4)
        store.create_story(3)
    assert [s for (s,) in store.db.execute("SELECT id FROM stories ORDER BY id")] == [3]


def test_a_failed_inner_block_is_undone_alone(store_url: str) -> None:
    store = open_store(store_url)
    with store.transaction():
        store.create_story(1)
        with pytest.raises(RuntimeError), store.transaction():
            store.create_story(2)
            raise RuntimeError("inner")
        store.create_story(3)
    assert [s for (s,) in store.db.execute("SELECT id FROM stories ORDER BY id")] == [1, 3]


WRITER = """
import sys
from marsad.store import open_store
store = open_store(sys.argv[1])
for _ in range(int(sys.argv[2])):
    with store.transaction():
        # Read the next id and take it in one transaction: writers must take turns.
        store.create_story(store.max_story_id() + 1)
"""


def test_writer_processes_take_turns(store_url: str, tmp_path: Path) -> None:
    open_store(store_url).close()
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {"PYTHONPATH": src, "PATH": "/usr/bin:/bin"}
    writers = [
        subprocess.Popen(
            [sys.executable, str(script), store_url, "40"],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err[-2000:]
    store = open_store(store_url)
    assert store.count("stories") == 160 == store.max_story_id()


def test_backup_of_a_postgres_store_points_to_pg_dump(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="pg_dump"):
        backup_store("postgresql://u@h/db", tmp_path / "out.db")
    with pytest.raises(StoreError, match="pg_dump"):
        restore_store(tmp_path / "in.db", "postgresql://u@h/db")


def test_store_locations() -> None:
    assert store_exists("postgresql://u@h/db")
    assert store_exists(":memory:")
    assert not store_exists("sqlite:///no/such/file.db")
    memory = open_store("sqlite:///:memory:")
    assert memory.count("articles") == 0
    with pytest.raises(StoreError, match="sqlite:///"):
        open_store("sqlite://relative.db")


# -- the PostgreSQL spelling of the portable subset ------------------------------------------
def test_statements_are_rewritten_for_postgres() -> None:
    ignore = translate("INSERT OR IGNORE INTO t VALUES (?, ?)")
    assert ignore.sql == "INSERT INTO t VALUES (%s, %s) ON CONFLICT DO NOTHING"
    listed = translate("SELECT 1 FROM s WHERE id IN (SELECT value FROM json_each(?)) AND x = ?")
    assert listed.sql == "SELECT 1 FROM s WHERE id = ANY(%s) AND x = %s"
    assert listed.bind(["[1, 2]", True]) == [[1, 2], 1]
    ended = translate("SELECT CASE WHEN a THEN 1 ELSE 0 END, start, end, p.end FROM p")
    assert ended.sql == 'SELECT CASE WHEN a THEN 1 ELSE 0 END, start, "end", p.end FROM p'
    assert "'%%Y'" in translate("SELECT strftime('%Y', ?)").sql
    search = translate("SELECT bm25(articles_fts) FROM articles_fts f WHERE articles_fts MATCH ?")
    assert "f.doc @@" in search.sql and search.plan == ((0, "tsquery"), (0, "tsquery"))


def test_fts5_expressions_become_tsqueries_over_the_same_tokens() -> None:
    assert fts5_to_tsquery('words:"على" OR stems:"عل"') == "('على':A | 'عل':B)"
    assert fts5_to_tsquery('words:"عبد ربه" NOT x*') == "(('عبد':A <-> 'ربه':A) & !'x':*)"
    assert fts_tokens("Abc, د-ه") == ["abc", "د", "ه"]
    row = fts_row("a b a", "a")
    assert (row.tsvector, row.tokens) == ("'a':1A,3A,4B 'b':2A", 4)
    assert sorted(row.postings) == [("a", 2, 1), ("b", 1, 0)]


def test_sqlite_store_still_opens_by_plain_path(
    new_store_url: Callable[[str], str], backend: str
) -> None:
    store = open_store(new_store_url("plain"))
    assert store.is_postgres == (backend == "postgresql")
    assert store.schema_version > 0


def _tiny_store(location: str) -> Store:
    store = open_store(location)
    texts = [
        "نصرالله قال الله الله اكبر نصرالله",  # matches only through the joined form
        "نصر من الله وفتح قريب",  # both words
        "الله الله الله",  # neither
        "خطاب نصرالله",
    ]
    with store.transaction():
        for n, text in enumerate(texts):
            store.add_article(
                ext_id=f"t{n}", source="s", published=datetime(2026, 1, 1 + n), title="",
                body=text, boilerplate=[], url=None, extra={}, origin="o", identity=f"t{n}",
                content_hash=f"h{n}", signature=None, duplicate_of=None, story_id=None,
                words=text, stems=text,
            )  # fmt: skip
    return store


def test_words_of_a_failed_branch_do_not_score(
    tmp_path: Path, postgres_server: PostgresServer
) -> None:
    lite = _tiny_store(str(tmp_path / "tiny.db"))
    pg = _tiny_store(postgres_server.new_database())
    expression = (
        '(words:"نصر" AND words:"الله") OR words:"نصرالله" OR stems:"الله" NOT words:"قريب"'
    )
    for query in (expression, '(words:"نصر" AND words:"الله") OR words:"نصرالله"'):
        expected = lite.fts_query(query, limit=10)
        assert len(expected) >= 2
        got = pg.fts_query(query, limit=10)
        assert [i for i, _ in got] == [i for i, _ in expected]
        assert [round(r, 9) for _, r in got] == [round(r, 9) for _, r in expected]


def test_missing_postgres_binaries_fail_with_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    import pg_support

    monkeypatch.setattr(pg_support, "find_binary", lambda name: None)
    with pytest.raises(pytest.fail.Exception, match="make postgres"):
        pg_support.PostgresServer()


WEB_PAGES = ["/", "/story/1", "/threads", "/outlets", "/entities", "/outlet/levant-wire",
             "/entity/أستانا", "/search?q=استانا", "/article/1", "/api/v1/top"]  # fmt: skip


def test_web_pages_read_the_same_from_both_backends(demo_stores: tuple[Store, Store]) -> None:
    pytest.importorskip("fastapi", reason="the web UI needs fastapi (pip install -e .)")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's note about httpx's successor
        from fastapi.testclient import TestClient

    from marsad.api import create_app

    pages = []
    for store in demo_stores:
        with TestClient(create_app(store.path), base_url="http://localhost") as client:
            answers = [client.get(page) for page in WEB_PAGES]
        assert [a.status_code for a in answers] == [200] * len(WEB_PAGES)
        pages.append([a.text for a in answers])
    assert pages[0] == pages[1]
