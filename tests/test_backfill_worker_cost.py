"""The cheaper block task stores exactly what the costlier one did.

A block's scratch store no longer saves the writer state per batch
(``WriterState.saves`` off), keeps its journal in memory, does not sync and has no index
that nothing on the block's path reads (``Store.make_scratch``); a batch that rolls back
makes the block be written again the saving way. The block's lead analyses travel to the
summary tasks through the target (``Store.block_leads``) instead of being made again from
the stored bodies. These tests hold each of those to the output of the old way, in one
process without Dask (the Dask path: ``tests/test_backfill_blocks.py``).
"""

from __future__ import annotations

import gc
import itertools
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from marsad.backfill import blocks
from marsad.backfill.blocks import cut_blocks, write_block
from marsad.backfill.tasks import summarize_stories
from marsad.ingest.prepare import Prepared, prepare_article
from marsad.ingest.readers import read_path
from marsad.models import RawArticle
from marsad.refresh import outlet_baseline
from marsad.settings import Settings
from marsad.store import Store
from marsad.store.bulk import LEADS_TABLE, SCRATCH_UNREAD_INDEXES
from marsad.store.postgres import fts_tokens
from marsad.summarize import lead_analysis, leads_from_json, leads_to_json
from marsad.text.arabic import NORMALIZER_VERSION
from marsad.writer_state import CLUSTER_STATE, StateNotSaved

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "marsad" / "demo" / "corpus"
SEEDS = ROOT.parent / "shared" / "seeds"
SETTINGS = Settings(batch_size=8)  # several batches per block
NOW = datetime(2026, 1, 1)
CLOCK_COLUMNS = frozenset({"ingested_at", "extracted_at"})  # when, not what
TABLES = (
    "articles",
    "stories",
    "passages",
    "mentions",
    "statements",
    "numbers",
    "date_mentions",
    "extracted_articles",
    "entity_stats",
    "entity_stories",
    "entity_outlets",
)


def _articles() -> list[RawArticle]:
    sources = [DEMO, SEEDS] if SEEDS.is_dir() else [DEMO]
    records = itertools.chain.from_iterable(read_path(s) for s in sources)
    return sorted(
        (r for r in records if isinstance(r, RawArticle)),
        key=lambda a: (a.date or NOW, a.origin),
    )


def _old_scratch(store: Store) -> None:
    """The scratch store as it was: WAL, synced, every index (search and entity figures
    were already off)."""
    store.writes_search_and_entity_figures = False


def _appended(folder: Path, *, old: bool, monkeypatch: pytest.MonkeyPatch) -> Store:
    """The corpus in 3 blocks kept in ``folder`` and appended into ``folder/target.db``;
    ``old``: written the old way (state saved with each batch, the old scratch store, the
    warm-up articles' leads analysed)."""
    folder.mkdir()
    articles = _articles()
    with monkeypatch.context() as patched:
        if old:
            patched.setattr(Store, "make_scratch", _old_scratch)
            real = blocks._write_into

            def saving(*args: Any, **kwargs: Any) -> Any:
                return real(*args, **{**kwargs, "saves_state": True})

            patched.setattr(blocks, "_write_into", saving)
            analysing = blocks.prepare_batch

            def with_leads(*args: Any, **kwargs: Any) -> Any:  # warm-up leads analysed too
                return analysing(*args, **{**kwargs, "with_leads": True})

            patched.setattr(blocks, "prepare_batch", with_leads)
        tasks = cut_blocks(articles, total=len(articles), n_blocks=3, now=NOW)
        kept = [write_block(task, NOW, SETTINGS, keep_in=str(folder)) for task in tasks]
    store = Store(folder / "target.db", normalizer_version=NORMALIZER_VERSION)
    for block in kept:
        assert block.scratch is not None
        store.append_scratch(block.scratch)
    store.finish_blocks()
    return store


def _tables(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    for table in TABLES:
        columns = [
            str(row[1])
            for row in store.db.execute(f"PRAGMA table_info({table})")
            if row[1] not in CLOCK_COLUMNS
        ]
        names = ", ".join(f'"{c}"' for c in columns)
        out[table] = [tuple(r) for r in store.db.execute(f"SELECT {names} FROM {table}")]
    out["search"] = store.fts_query("words:الرياض OR stems:سيول OR words:أستانا", limit=50)
    return out


def _summaries(store: Store) -> list[Any]:
    dirty = store.dirty_stories()
    refreshed, _ = summarize_stories(store.path, dirty, outlet_baseline(store), SETTINGS)
    return refreshed


def test_the_cheaper_scratch_store_appends_the_same_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = _appended(tmp_path / "new", old=False, monkeypatch=monkeypatch)
    old = _appended(tmp_path / "old", old=True, monkeypatch=monkeypatch)
    got, expected = _tables(new), _tables(old)
    assert len(expected["articles"]) > 40 and expected["mentions"] and expected["search"]
    for table, rows in expected.items():
        assert got[table] == rows, table


def test_the_scratch_store_saves_no_state_and_keeps_no_unread_index(tmp_path: Path) -> None:
    articles = _articles()[:40]
    task = next(cut_blocks(articles, total=len(articles), n_blocks=1, now=NOW))
    written = write_block(task, NOW, SETTINGS, keep_in=str(tmp_path))
    assert written.scratch is not None and written.state is not None  # exported from memory
    scratch = Store(written.scratch, normalizer_version=NORMALIZER_VERSION)
    indexes = {str(r[0]) for r in scratch.db.execute("SELECT name FROM sqlite_master")}
    assert not indexes & set(SCRATCH_UNREAD_INDEXES)
    assert "articles_canonical_url" in indexes  # read by the write: kept
    assert scratch.rows("SELECT count(*) AS n FROM state_deltas")[0]["n"] == 0
    assert scratch.get_state(CLUSTER_STATE) is None
    assert scratch.count("articles") == 40


def test_a_batch_rolled_back_writes_the_block_again_saving_the_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record that cannot be stored rolls its batch back; the state of the last commit
    was not saved, so the block is written again the way the streaming writer writes it,
    and the rows are those of the old way with the same failure."""
    articles = _articles()[:60]
    failing = articles[30].origin
    real_add = Store.add_article

    def refuse_one(self: Store, **fields: Any) -> int:
        if fields["origin"] == failing:
            raise ValueError("cannot store this one")
        return int(real_add(self, **fields))

    tries: list[bool] = []
    real_write = blocks._write_into

    def counted(*args: Any, **kwargs: Any) -> Any:
        tries.append(kwargs["saves_state"])
        return real_write(*args, **kwargs)

    monkeypatch.setattr(Store, "add_article", refuse_one)
    monkeypatch.setattr(blocks, "_write_into", counted)
    task = next(cut_blocks(articles, total=len(articles), n_blocks=1, now=NOW))
    written = write_block(task, NOW, SETTINGS, keep_in=str(tmp_path / "new"))
    assert tries == [False, True]  # the fast try gave up, the saving one wrote
    assert written.report.n_skipped == 1 and written.report.ingested > 40
    assert len(list((tmp_path / "new").glob("*.db"))) == 1  # the given-up file is gone
    tries.clear()
    monkeypatch.setattr(
        blocks, "_write_into", lambda *a, **k: real_write(*a, **{**k, "saves_state": True})
    )
    old = write_block(task, NOW, SETTINGS, keep_in=str(tmp_path / "old"))
    assert written.scratch is not None and old.scratch is not None
    new_store = Store(written.scratch, normalizer_version=NORMALIZER_VERSION)
    old_store = Store(old.scratch, normalizer_version=NORMALIZER_VERSION)
    assert _tables(new_store)["articles"] == _tables(old_store)["articles"]
    assert new_store.story_assignments() == old_store.story_assignments()
    assert (written.report.ingested, written.report.n_skipped) == (
        old.report.ingested,
        old.report.n_skipped,
    )


def test_a_writer_that_does_not_save_refuses_to_reload_after_a_rollback(
    tmp_path: Path,
) -> None:
    from marsad.pipeline import Pipeline

    store = Store(tmp_path / "s.db", normalizer_version=NORMALIZER_VERSION)
    pipeline = Pipeline(store, SETTINGS)
    pipeline.state.saves = False
    pipeline.state.catch_up(store)  # unchanged: nothing to do
    pipeline.state.invalidate()  # what a rolled-back batch does
    with pytest.raises(StateNotSaved):
        pipeline.state.catch_up(store)


def test_summaries_from_the_kept_leads_equal_summaries_from_the_bodies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _appended(tmp_path / "blocks", old=False, monkeypatch=monkeypatch)
    dirty = store.dirty_stories()
    kept = store.block_leads(dirty)
    assert len(kept) >= store.count("articles") - 1  # every own article's, by target id
    with_leads = _summaries(store)
    store.drop_block_leads()
    assert not store.has_table(LEADS_TABLE) and store.block_leads(dirty) == {}
    from marsad.workers import _WORKER_STORES

    _WORKER_STORES.clear()  # the task's cached connection saw the table
    recomputed = _summaries(store)
    assert len(with_leads) == len(dirty) > 10
    assert with_leads == recomputed


def test_lead_analyses_round_trip_through_json() -> None:
    analysed = 0
    for raw in _articles():
        prepared = prepare_article(raw, NOW, Settings(extract=False))
        if not isinstance(prepared, Prepared):
            continue
        lead = prepared.lead
        assert leads_from_json(leads_to_json(lead)) == lead
        assert lead == lead_analysis(prepared.body)  # what the summaries would make
        analysed += 1
    assert analysed > 40


def _tokens_one_char_at_a_time(text: str) -> list[str]:
    """The search tokenizer as it was written before (the reference)."""
    from marsad.store.postgres import _is_token_char

    found: list[str] = []
    current: list[str] = []
    for char in text:
        if _is_token_char(char):
            current.append(char)
        elif current:
            found.append("".join(current).lower())
            current = []
    if current:
        found.append("".join(current).lower())
    return found


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "الرياض - واس: قال الوزير «إن» 120 شخصاً،\tو\nABC-def's x_y",
        "a\x1cb\x1fc\u2028d\u3000e\x85f\u00a0g",
        "((word)) 3.5% «اقتباس» e\u0301 \ue000private",
    ],
)
def test_search_tokens_split_on_whitespace_first_are_the_same(text: str) -> None:
    assert fts_tokens(text) == _tokens_one_char_at_a_time(text)


def test_search_tokens_of_real_articles_are_the_same() -> None:
    checked = 0
    for raw in _articles()[:30]:
        for text in (raw.title, raw.text):
            assert fts_tokens(text) == _tokens_one_char_at_a_time(text)
            checked += 1
    assert checked == 60


def test_auto_blocks_are_two_per_worker_thread_within_the_warm_up_and_two_months() -> None:
    from marsad.backfill.plan import MAX_BLOCK_DAYS, MIN_BLOCK_DAYS, auto_block_days

    assert auto_block_days(3650, 32) == pytest.approx(3650 / 64)  # ten years, 32 threads
    assert auto_block_days(3650, 8) == MAX_BLOCK_DAYS  # would be 228 days
    assert auto_block_days(11, 2) == MIN_BLOCK_DAYS  # the July pool: never under the warm-up
    assert auto_block_days(3650, 128) == pytest.approx(3650 / 256)


def test_blocks_of_days_count_the_days_the_articles_span() -> None:
    from datetime import timedelta

    from marsad.backfill.plan import ShardIndex, blocks_of_days

    start = datetime(2015, 7, 21)
    keys = [(start + timedelta(hours=6 * i), f"x:{i}", i) for i in range(41)]  # 10 days
    indexes = [ShardIndex(keys[:20]), ShardIndex(keys[20:])]
    assert blocks_of_days(indexes, 3) == 4
    assert blocks_of_days(indexes, 10) == 1
    assert blocks_of_days(indexes, 2.5) == 4
    assert blocks_of_days([ShardIndex([])], 3) == 1
    with pytest.raises(ValueError):
        blocks_of_days(indexes, 0)


def test_the_cli_takes_blocks_auto_a_count_or_days() -> None:
    from marsad.backfill.plan import AUTO_BLOCKS
    from marsad.cli.main import build_parser

    parser = build_parser()
    base = ["backfill", "in.jsonl", "--local-workers", "2"]
    assert parser.parse_args([*base, "--blocks"]).blocks == AUTO_BLOCKS
    assert parser.parse_args([*base, "--blocks", "auto"]).blocks == AUTO_BLOCKS
    assert parser.parse_args([*base, "--blocks", "4"]).blocks == 4
    assert parser.parse_args(base).blocks == 0  # the exact ordered write stays the default
    assert parser.parse_args([*base, "--block-days", "30"]).block_days == 30.0


def _fts_row_reference(words: str, stems: str) -> tuple[str, int, tuple[tuple[str, int, int], ...]]:
    """The search row as it was built before (one token, one f-string at a time)."""
    from marsad.store.postgres import MAX_TSVECTOR_POSITION, _lexeme

    positions: dict[str, list[str]] = {}
    counts: dict[str, list[int]] = {}
    count = 0
    for text, weight, column in ((words, "A", 0), (stems, "B", 1)):
        for token in _tokens_one_char_at_a_time(text):
            count += 1
            positions.setdefault(token, []).append(f"{min(count, MAX_TSVECTOR_POSITION)}{weight}")
            counts.setdefault(token, [0, 0])[column] += 1
    return (
        " ".join(f"{_lexeme(t)}:{','.join(p)}" for t, p in positions.items()),
        count,
        tuple((t, c[0], c[1]) for t, c in counts.items()),
    )


def test_search_rows_of_real_articles_are_the_same_as_before() -> None:
    from marsad.store.postgres import fts_row

    built = 0
    for raw in _articles():
        prepared = prepare_article(raw, NOW, Settings(extract=False))
        if not isinstance(prepared, Prepared):
            continue
        row = fts_row(prepared.words, prepared.stems)
        assert (row.tsvector, row.tokens, row.postings) == _fts_row_reference(
            prepared.words, prepared.stems
        )
        built += 1
    assert built > 40
    # Past PostgreSQL's position cap (16,383), and text with punctuation and quotes.
    long_words = " ".join(f"w{i % 700}" for i in range(17_000))
    odd = "a.b, c's «d» e\\f 3.5% ΟΔΟΣ ΚΑΙ"
    for words, stems in ((long_words, "s t s"), (odd, odd), ("", ""), ("x", long_words)):
        row = fts_row(words, stems)
        assert (row.tsvector, row.tokens, row.postings) == _fts_row_reference(words, stems)


def test_a_block_clusters_and_writes_with_the_collector_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A block makes no reference cycles, so collections during it only walk the clustering
    # state again: the collector is off while it writes, and back as it was after.
    seen: list[bool] = []
    real = blocks._write_batches

    def watched(*args: Any, **kwargs: Any) -> None:
        seen.append(gc.isenabled())
        real(*args, **kwargs)

    monkeypatch.setattr(blocks, "_write_batches", watched)
    assert gc.isenabled()
    articles = _articles()[:20]
    task = next(cut_blocks(articles, total=len(articles), n_blocks=1, now=NOW))
    write_block(task, NOW, SETTINGS, keep_in=str(tmp_path))
    assert seen and not any(seen)
    assert gc.isenabled()


def test_warm_up_articles_are_prepared_without_a_lead_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A warm-up article is clustered, never summarized, in the block that warms up on it.
    seen: list[tuple[bool, list[Any]]] = []
    real = blocks.prepare_batch

    def watched(batch: list[RawArticle], *args: Any, **kwargs: Any) -> list[Any]:
        prepared = real(batch, *args, **kwargs)
        seen.append((kwargs.get("with_leads", True), prepared))
        return prepared

    monkeypatch.setattr(blocks, "prepare_batch", watched)
    articles = _articles()
    tasks = list(cut_blocks(articles, total=len(articles), n_blocks=3, now=NOW))
    assert tasks[-1].warm_up and tasks[-1].own
    write_block(tasks[-1], NOW, SETTINGS, keep_in=str(tmp_path))
    warm = [item for leads, items in seen if not leads for item in items]
    own = [item for leads, items in seen if leads for item in items]
    assert len(warm) == len(tasks[-1].warm_up) and len(own) == len(tasks[-1].own)
    assert all(isinstance(item, Prepared) and item.lead is None for item in warm)
    assert all(isinstance(item, Prepared) and item.lead for item in own)
    raw = tasks[-1].warm_up[0]
    plain, quiet = prepare_article(raw, NOW, SETTINGS), warm[0]
    assert isinstance(plain, Prepared) and isinstance(quiet, Prepared) and plain.lead
    assert quiet.identity == plain.identity and quiet.cluster_doc == plain.cluster_doc


def test_letters_and_digits_between_whitespace_need_no_other_split() -> None:
    """fts_tokens splits text at whitespace alone when, lower-cased, it is letters and
    digits between whitespace: no other character lower-cases to those only, and every
    letter or digit is a token character."""
    import sys
    import unicodedata

    def token_char(char: str) -> bool:
        category = unicodedata.category(char)
        return category[0] not in "ZPSC" or category == "Co"

    wrong = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if ((char := chr(code)).isalnum() and not token_char(char))
        or (
            not token_char(char)
            and not char.isspace()
            and all(c.isalnum() or c.isspace() for c in char.lower())
        )
    ]
    assert wrong == []
    assert fts_tokens("Abc\tد\nه\r x\\y _z ْع") == ["abc", "د", "ه", "x", "y", "z", "ْع"]
    assert not any(set(t) & set("\\\t\n\r") for t in fts_tokens("a\\\\b\t\tc\n\rd\\"))


def test_the_stores_name_mining_counts_as_serial_time() -> None:
    """The driver mines the store's name variants after the last write, while no worker
    helps: the bench's serial share must include it (issue 22 names the serial part)."""
    from marsad.backfill.run import BackfillReport

    report = BackfillReport()
    report.wall_s.update(plan=1.0, read=2.0, stream=10.0, summarize=7.0)
    report.write_s, report.finish_s = 3.0, 0.5
    without_mining = report.serial_s
    report.mining_s = 5.0
    assert report.serial_s == without_mining + 5.0 == 11.5
