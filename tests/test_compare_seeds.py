"""Story comparison over the five real seed articles (../shared/seeds) taken as one story."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from marsad.compare.analyze import StoryArticle, analyze_story
from marsad.ingest.boilerplate import strip_boilerplate
from marsad.ingest.readers import read_path
from marsad.models import RawArticle

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
pytestmark = [
    pytest.mark.shared,
    pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed articles absent: {SEEDS}"),
]


@cache
def _story() -> tuple[tuple[StoryArticle, ...], str]:
    articles: list[StoryArticle] = []
    for record in read_path(SEEDS):
        if isinstance(record, RawArticle):
            assert record.date is not None  # from sources.csv
            body, _ = strip_boilerplate(record.text, title=record.title)
            articles.append(
                StoryArticle(
                    id=len(articles) + 1,
                    source=record.source,
                    published=record.date,
                    title=record.title,
                    body=body,
                    duplicate_of=None,
                )
            )
    result = analyze_story(articles, all_outlets=["aawsat", "alwaght", "sana"])
    return tuple(articles), json.dumps(result, ensure_ascii=False)


def _result() -> dict[str, Any]:
    result: dict[str, Any] = json.loads(_story()[1])
    return result


def _body(article: int) -> str:
    return _story()[0][article - 1].body


def test_timeline_resolves_geneva_and_astana() -> None:
    timeline = _result()["timeline"]
    assert [e["start"] for e in timeline] == sorted(e["start"] for e in timeline)
    geneva = [e for e in timeline if "جنيف" in e["text"] and e["date"] == "2017-11-28"]
    assert len(geneva) == 1 and geneva[0]["outlet"] == "almasryalyoum"
    assert geneva[0]["expression"] == "28 نوفمبر المقبل"
    astana = [e for e in timeline if "أستانا" in e["text"] and e["precision"] == "days"]
    assert [(e["start"], e["end"]) for e in astana] == [("2017-10-30", "2017-10-31")]
    assert astana[0]["outlet"] == "levant-daily-b"
    for entry in timeline:
        for report in entry["reports"]:
            body = _body(report["article"])
            assert body[report["start"] : report["end"]] == report["expression"]
            assert body[report["sentence_start"] : report["sentence_end"]] == report["text"]


def test_putin_and_the_defence_ministry_disagree_on_the_share_of_territory() -> None:
    numbers = _result()["disagreements"]["numbers"]
    pairs = [sorted(r["value"] for r in d["reports"]) for d in numbers]
    assert [90.0, 92.0] in pairs
    (found,) = [d for d in numbers if sorted(r["value"] for r in d["reports"]) == [90.0, 92.0]]
    assert found["percent"] and found["compatible"]
    assert {r["outlet"] for r in found["reports"]} == {"almasryalyoum"}
    speakers = " ".join(r["speaker"] for r in found["reports"])
    assert "بوتين" in speakers and "وزارة الدفاع" in speakers
    assert len(numbers) <= 3  # precise: no dates, ranges or different counts listed


def test_framing_shows_different_words_for_the_syrian_army() -> None:
    (army,) = [g for g in _result()["framing"] if g["group"] == "syrian_army"]
    assert army["contested"]
    terms = {o["outlet"]: {t["term"]: t for t in o["terms"]} for o in army["outlets"]}
    allied = terms["alwaght"]["الجيش السوري وحلفاؤه"]
    assert allied["stance"] == "sympathetic"
    assert "حلفاؤه" in _body(allied["article"])[allied["start"] : allied["end"]]
    regime = terms["aawsat"]["قوات النظام السوري"]
    assert regime["stance"] == "pejorative"
    assert "قوات النظام السوري" not in terms["alwaght"]
    assert "الجيش السوري وحلفاؤه" not in terms["aawsat"]


def test_coverage_claims_and_quotes() -> None:
    result = _result()
    coverage = result["coverage"]
    assert coverage["first"] == ["alwaght"]  # March 2017, the earliest seed
    assert coverage["missing"] == ["sana"]
    claims = {c["outlet"]: c for c in result["claims"]}
    assert set(claims) == {"egypt-daily-a", "almasryalyoum", "alwaght", "aawsat", "levant-daily-b"}
    for outlet in claims.values():
        assert 1 <= len(outlet["unique_claims"]) <= 5
        for claim in outlet["unique_claims"]:
            assert _body(claim["article"])[claim["start"] : claim["end"]] == claim["text"]
    quoted = {q["speaker"] for q in claims["almasryalyoum"]["quotes"]}
    assert any("بوتين" in s for s in quoted) and any("زاخاروفا" in s for s in quoted)
    # إيجور كوناشنكوف (000) and إيغر كوناشينكوف (003) are one speaker across outlets.
    konashenkov = {
        q["speaker"] for c in claims.values() for q in c["quotes"] if "كونا" in q["speaker"]
    }
    assert len(konashenkov) == 1
