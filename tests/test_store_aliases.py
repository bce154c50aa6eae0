"""Name variants a store mines from its own articles (issue 19): the table, its trigger,
its use by entity lookup and ``same_entity``, and ``marsad eval aliases --articles``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marsad import name_variants
from marsad.cli.main import main
from marsad.evaluate.aliases_eval import evaluate_aliases
from marsad.extract.aliases import canonical_name, same_entity, store_aliases, use_store_aliases
from marsad.store import open_store

HOLDER = "سيدي محمد ولد بوبكر"
TITLE = "وزير الخارجية الموريتاني"
# Six short reports of three outlets naming the office and its holder side by side, as the
# title miner needs (uses per article and outlet, both orders).
REPORTS = [
    ("okaz", f"استقبل {TITLE} {HOLDER} اليوم سفير المملكة وبحث معه العلاقات الثنائية."),
    ("alriyadh", f"أكد {TITLE} {HOLDER} أن بلاده تدعم الجهود العربية المشتركة."),
    ("alyaum", f"وصل {TITLE} {HOLDER} إلى جدة في زيارة رسمية تستغرق يومين."),
    ("okaz", f"قال {HOLDER} {TITLE} إن المحادثات مع الجانب السعودي كانت مثمرة."),
    ("alriyadh", f"شارك {TITLE} {HOLDER} في الاجتماع الوزاري العربي في القاهرة."),
    ("alyaum", f"أعلن {TITLE} {HOLDER} عن مبادرة جديدة للتعاون الاقتصادي مع دول الخليج."),
]


def write_reports(folder: Path) -> Path:
    path = folder / "reports.jsonl"
    lines = [
        json.dumps(
            {
                "id": f"r{number}",
                "source": outlet,
                "date": f"2026-03-0{1 + number % 3}T10:00:00",
                "title": f"خبر {number}",
                "text": text,
            },
            ensure_ascii=False,
        )
        for number, (outlet, text) in enumerate(REPORTS)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_shipped_list_alone_does_not_know_the_holder() -> None:
    assert not same_entity(TITLE, HOLDER)
    assert canonical_name(TITLE) == TITLE


def test_a_store_mines_its_title_and_entity_lookup_finds_the_holder(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = write_reports(tmp_path)
    assert main(["--db", store_url, "ingest", str(corpus)]) == 0
    assert "mined" not in capsys.readouterr().out  # six articles: too few to mine by itself
    assert main(["--db", store_url, "aliases", "mine"]) == 0
    assert "from 6 articles" in capsys.readouterr().out
    use_store_aliases(())  # what a fresh process knows: only what the store holds
    assert main(["--db", store_url, "aliases", "list"]) == 0
    assert f"{TITLE}\t{HOLDER}" in capsys.readouterr().out.splitlines()
    assert main(["--db", store_url, "entity", TITLE, "--json"]) == 0
    view = json.loads(capsys.readouterr().out)
    assert view["name"] == HOLDER
    assert same_entity(TITLE, HOLDER)  # opening the store loaded its lines


def test_the_table_survives_reopening_and_mining_twice_gives_the_same_lines(
    store_url: str, tmp_path: Path
) -> None:
    assert main(["--db", store_url, "ingest", str(write_reports(tmp_path))]) == 0
    store = open_store(store_url)
    first = name_variants.mine_store(store)
    lines = store.mined_aliases()
    store.close()
    assert (TITLE, HOLDER) in lines and first.lines == len(lines)
    store = open_store(store_url)
    assert store.mined_aliases() == lines
    again = name_variants.mine_store(store)
    assert store.mined_aliases() == lines
    assert (again.added, again.dropped) == (0, 0)
    assert store.alias_mining_mark() == (store.max_article_id(), len(REPORTS))
    store.close()


def test_ingest_mines_when_enough_new_articles_arrived(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(name_variants, "MINING_MIN_NEW", 4)
    reports = write_reports(tmp_path)
    # off by default: an ingest mines nothing unless the settings ask for it
    assert main(["--db", str(tmp_path / "plain.db"), "ingest", str(reports)]) == 0
    assert "name-variant lines" not in capsys.readouterr().out
    config = tmp_path / "marsad.toml"
    config.write_text("alias_mining = true\n", encoding="utf-8")
    db = str(tmp_path / "auto.db")
    assert main(["--config", str(config), "--db", db, "ingest", str(reports)]) == 0
    assert "mined 1 name-variant lines from 6 articles" in capsys.readouterr().out
    store = open_store(db)
    assert store.mined_aliases() == [(TITLE, HOLDER)]
    # no new article since: not due; and a settings file can turn mining off
    assert not name_variants.mining_due(store)
    assert name_variants.mine_when_due(store, enabled=False) is None
    store.close()


def test_an_empty_store_is_never_due(tmp_path: Path) -> None:
    store = open_store(tmp_path / "empty.db")
    assert store.alias_mining_mark() == (0, 0)
    assert not name_variants.mining_due(store)
    store.close()


def test_the_hand_written_section_wins_over_the_store() -> None:
    # داعش -> تنظيم الدولة الإسلامية is hand-written; a store line saying otherwise loses.
    assert same_entity("داعش", "تنظيم الدولة الإسلامية")
    use_store_aliases([("داعش", "جبهة النصرة")])
    assert same_entity("داعش", "تنظيم الدولة الإسلامية")
    assert not same_entity("داعش", "جبهة النصرة")
    assert store_aliases() == (("داعش", "جبهة النصرة"),)


def test_a_store_line_wins_over_a_shipped_mined_holder() -> None:
    # the shipped July lines give الرئيس التركي its holder then; a store's newer days decide
    assert same_entity("الرئيس التركي", "رجب طيب إردوغان")
    use_store_aliases([("الرئيس التركي", "أحمد داود أوغلو")])
    assert same_entity("الرئيس التركي", "أحمد داود أوغلو")
    assert not same_entity("الرئيس التركي", "رجب طيب إردوغان")


def test_a_store_line_gives_a_title_its_holder_and_keeps_look_alikes_apart() -> None:
    use_store_aliases([(TITLE, HOLDER)])
    assert same_entity(TITLE, HOLDER)
    assert not same_entity("وزير الخارجية المغربي", HOLDER)  # another country's office
    assert not same_entity("وزير الداخلية الموريتاني", HOLDER)  # another office
    use_store_aliases(())
    assert not same_entity(TITLE, HOLDER)


def test_eval_aliases_with_articles_mines_them_as_a_store_would(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps({"variants": [TITLE, HOLDER]}, ensure_ascii=False)
        + "\n"
        + json.dumps({"a": "وزير الخارجية المغربي", "b": HOLDER, "same": False}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    assert evaluate_aliases(gold).endswith("alias_f1=0.000")
    scored = evaluate_aliases(gold, articles=[write_reports(tmp_path)])
    assert "mined 1 name-variant lines from 6 articles" in scored
    assert scored.endswith("alias_f1=1.000")
    assert store_aliases() == ()  # the temporary store's lines are not left behind
