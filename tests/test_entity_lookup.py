"""Entity lookup on a store of two SaudiNewsNet days (2015-07-22 and 2015-07-23).

Only the articles of those days that mention the people and places asked about are ingested
(a few hundred), so the store is real news text while the test stays quick.
"""

from __future__ import annotations

import gzip
import json

import pytest

from conftest import SHARED, needs_shared
from marsad.cli.main import main
from marsad.extract.aliases import name_key
from marsad.extract.article import without_proclitic

SNN = SHARED / "data" / "saudinewsnet"
DAYS = ("2015-07-22", "2015-07-23")
# Words whose articles make up the store: the people looked up, their look-alikes, and
# prefixed spellings that must join their entity.
WORDS = ("العبادي", "العبيدي", "المالكي", "علاوي", "بجدة", "لليمن")

needs_snn = pytest.mark.skipif(
    not (SNN / "saudinewsnet.jsonl.gz").exists(),
    reason="needs ../shared/data/saudinewsnet (SaudiNewsNet) for a store of real days",
)


@pytest.fixture(scope="module")
def two_days(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("snn")
    kept_apart = set((SNN / "kept_apart_ids.txt").read_text().split())
    lines = []
    with gzip.open(SNN / "saudinewsnet.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            text = doc.get("text") or ""
            if (
                doc["date"][:10] in DAYS
                and doc["id"] not in kept_apart
                and any(word in text for word in WORDS)
            ):
                lines.append(line)
    corpus = folder / "two_days.jsonl"
    corpus.write_text("".join(lines), encoding="utf-8")
    db = str(folder / "two_days.db")
    assert main(["--db", db, "ingest", str(corpus)]) == 0
    return db


def lookup(db: str, query: str, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    capsys.readouterr()
    assert main(["--db", db, "entity", query, "--json"]) == 0
    view: dict[str, object] = json.loads(capsys.readouterr().out)
    return view


def test_without_proclitic_keeps_names_that_start_with_the_letter() -> None:
    assert without_proclitic("بالسعودية") == "السعودية"
    assert without_proclitic("للعراق") == "العراق"
    assert without_proclitic("بجدة") == "جدة"
    assert without_proclitic("وإياد علاوي") == "إياد علاوي"
    for name in ("وليد", "بدر", "فيصل", "كمال"):
        assert without_proclitic(name) == name


@needs_shared
@needs_snn
def test_surname_finds_the_most_reported_person(
    two_days: str, capsys: pytest.CaptureFixture[str]
) -> None:
    abadi = lookup(two_days, "العبادي", capsys)
    assert abadi["name"] == "حيدر العبادي", abadi["name"]
    assert abadi["label"] == "PERS"
    maliki = lookup(two_days, "المالكي", capsys)
    assert maliki["name"] == "نوري المالكي", maliki["name"]
    # The weaker look-alikes are alternatives, never the answer.
    assert all(alt["name"] != "حيدر العبادي" for alt in abadi["alternatives"])  # type: ignore[attr-defined]


@needs_shared
@needs_snn
def test_prefixed_forms_join_their_entity(
    two_days: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from marsad.store import Store

    store = Store(two_days, normalizer_version="x")
    names = {row["name"] for row in store.rows("SELECT name FROM entity_stats")}
    store.close()
    assert {"جدة", "اليمن"} <= names
    assert not {"بجدة", "لليمن", "وإياد علاوي", "وحيدر العبادي"} & names
    jeddah = lookup(two_days, "بجدة", capsys)
    assert jeddah["name"] == "جدة"
    assert "بجدة" in jeddah["variants"]  # type: ignore[operator]


@needs_shared
@needs_snn
def test_top_entity_is_no_formula_or_currency(
    two_days: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from marsad.store import Store

    store = Store(two_days, normalizer_version="x")
    top = store.rows("SELECT name FROM entity_stats ORDER BY articles DESC, mentions DESC LIMIT 5")
    store.close()
    assert not {"الله", "دولار", "الدولار"} & {row["name"] for row in top}


@needs_shared
@needs_snn
def test_alternatives_in_api_and_web(two_days: str) -> None:
    from urllib.parse import quote

    from fastapi.testclient import TestClient

    from marsad.api import create_app

    with TestClient(create_app(two_days), base_url="http://localhost") as client:
        api = client.get("/api/v1/entities/" + quote("المالكي")).json()
        page = client.get("/entity/" + quote("المالكي")).text
    assert api["name"] == "نوري المالكي"
    assert api["alternatives"], "other people named المالكي are listed"
    assert "هل تقصد" in page
    for alternative in api["alternatives"]:
        assert alternative["name"] in page


@needs_shared
@needs_snn
def test_titles_and_acronyms_find_their_entity(
    two_days: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # A title standing for one person names him; an acronym's full name names the acronym.
    king = lookup(two_days, "خادم الحرمين الشريفين", capsys)
    assert str(king["name"]).startswith("سلمان بن عبد"), king["name"]
    assert king["label"] == "PERS"
    crown_prince = lookup(two_days, "ولي العهد", capsys)
    assert name_key(str(crown_prince["name"])) == name_key("محمد بن نايف"), crown_prince["name"]
    deputy = lookup(two_days, "ولي ولي العهد", capsys)
    assert name_key(str(deputy["name"])) == name_key("محمد بن سلمان"), deputy["name"]
    isis = lookup(two_days, "تنظيم الدولة", capsys)
    assert isis["name"] == "داعش" and isis["label"] == "ORG"
    # Two princes sharing a grandfather are two entities, not one.
    from marsad.store import Store

    store = Store(two_days, normalizer_version="x")
    keys = {
        row["key"]
        for row in store.rows(
            "SELECT key FROM entity_stats WHERE name IN (?, ?)",
            ("محمد بن نايف بن عبدالعزيز", "محمد بن سلمان بن عبدالعزيز"),
        )
    }
    store.close()
    assert len(keys) != 1
