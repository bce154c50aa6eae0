"""Story comparison on small hand-written texts: log-odds, coverage, framing, claims,
disagreements and the whole analysis."""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta

import numpy as np
import pytest

from marsad.compare.analyze import StoryArticle, analyze_story
from marsad.compare.coverage import Report, story_coverage
from marsad.compare.framing import find_terms, parse_lexicon
from marsad.compare.logodds import distinctive_terms, log_odds_z

T0 = datetime(2017, 11, 15, 8, 0)


def _article(
    id: int, source: str, body: str, hours: float = 0, duplicate_of: int | None = None
) -> StoryArticle:
    return StoryArticle(
        id=id,
        source=source,
        published=T0 + timedelta(hours=hours),
        title="",
        body=body,
        duplicate_of=duplicate_of,
    )


# --- log-odds ------------------------------------------------------------------------------


def test_log_odds_matches_the_formula_by_hand() -> None:
    groups = {"a": ["x"] * 8 + ["y"] * 2, "b": ["x"] * 2 + ["y"] * 8}
    names, vocabulary, z = log_odds_z(groups)
    assert names == ["a", "b"] and vocabulary == ["x", "y"]
    # Pooled prior: alpha_x = alpha_y = 10, alpha0 = 20; n_a = n_b = 10.
    own = math.log((8 + 10) / (10 + 20 - 8 - 10))
    other = math.log((2 + 10) / (10 + 20 - 2 - 10))
    expected = (own - other) / math.sqrt(1 / (8 + 10) + 1 / (2 + 10))
    assert z[0, 0] == pytest.approx(expected)
    assert z[0, 0] > 0 > z[0, 1]
    np.testing.assert_allclose(z[0], -z[1])  # two groups: one's gain is the other's loss


def test_distinctive_terms_sign_and_order_on_a_toy_corpus() -> None:
    groups = {
        "hawks": ["حرب"] * 30 + ["عدو"] * 15 + ["مدينه"] * 20 + ["سلام"] * 1,
        "doves": ["سلام"] * 30 + ["حوار"] * 15 + ["مدينه"] * 20 + ["حرب"] * 1,
        "neutral": ["مدينه"] * 20 + ["حرب"] * 3 + ["سلام"] * 3,
    }
    found = distinctive_terms(groups, None, 10)
    assert [t for t, _ in found["hawks"]] == ["حرب", "عدو"]  # more frequent, higher z
    assert [t for t, _ in found["doves"]] == ["سلام", "حوار"]
    assert found["hawks"][0][1] > found["hawks"][1][1] >= 1.96
    assert "مدينه" in [t for t, _ in found["neutral"]]  # it is mostly that group's word
    assert distinctive_terms(groups, None, 1)["hawks"] == found["hawks"][:1]


def test_distinctive_terms_with_an_explicit_prior_and_degenerate_input() -> None:
    groups = {"a": ["x"] * 20 + ["y"] * 20, "b": ["y"] * 40}
    weak_prior = {"x": 10, "y": 10, "z": 50}
    assert [t for t, _ in distinctive_terms(groups, weak_prior, 5)["a"]] == ["x"]
    strong_prior = {"x": 100, "y": 100, "z": 500}  # shrinks 40 tokens to insignificance
    assert distinctive_terms(groups, strong_prior, 5) == {"a": [], "b": []}
    assert distinctive_terms({"only": ["x", "y"]}, None, 5) == {"only": []}
    assert distinctive_terms({}, None, 5) == {}


# --- coverage ------------------------------------------------------------------------------


def test_coverage_first_report_copies_and_missing() -> None:
    reports = [
        Report(article=1, outlet="sana", published=T0 + timedelta(hours=2), duplicate_of=None),
        Report(article=2, outlet="aawsat", published=T0, duplicate_of=None),
        Report(article=3, outlet="alwatan", published=T0 + timedelta(hours=3), duplicate_of=1),
        Report(article=4, outlet="alwatan", published=T0 + timedelta(hours=5), duplicate_of=None),
        Report(article=5, outlet="sana", published=T0 + timedelta(hours=6), duplicate_of=1),
    ]
    coverage = story_coverage(reports, ["sana", "aawsat", "alwatan", "bbc", "rt"])
    assert coverage.first == ("aawsat",)
    assert [o.outlet for o in coverage.outlets] == ["aawsat", "sana", "alwatan"]
    by_outlet = {o.outlet: o for o in coverage.outlets}
    assert by_outlet["aawsat"].is_first and not by_outlet["sana"].is_first
    assert by_outlet["alwatan"].articles == 2 and by_outlet["alwatan"].copies == 1
    assert by_outlet["alwatan"].copied_from == (("sana", 1),)
    assert by_outlet["sana"].copied_from == ()  # republishing itself copies nobody
    assert by_outlet["sana"].first_report == T0 + timedelta(hours=2)
    assert coverage.missing == ("bbc", "rt")


def test_coverage_ties_make_several_outlets_first() -> None:
    reports = [
        Report(article=1, outlet="a", published=T0, duplicate_of=None),
        Report(article=2, outlet="b", published=T0, duplicate_of=None),
    ]
    assert story_coverage(reports).first == ("a", "b")


# --- framing -------------------------------------------------------------------------------


def _terms(text: str) -> list[tuple[str, str, str]]:
    return [(h.term.group, h.term.term, text[h.start : h.end]) for h in find_terms(text)]


def test_framing_matches_folded_words_with_proclitics() -> None:
    assert _terms("كما تمکن الجیش السوری و حلفاؤه من القضاء") == [
        ("syrian_army", "الجيش السوري وحلفاؤه", "الجیش السوری و حلفاؤه")
    ]
    assert _terms("الدعم لقوات النظام السوري خلال تقدمها") == [
        ("syrian_army", "قوات النظام السوري", "لقوات النظام السوري")
    ]  # the longest term wins over النظام السوري
    assert _terms("وقال إن النظام السورى يرفض") == [
        ("syrian_government", "النظام السوري", "النظام السورى")
    ]
    assert _terms("التابع للجيش السوري الحر") == [
        ("armed_opposition", "الجيش السوري الحر", "للجيش السوري الحر")
    ]


def test_framing_needs_the_article_and_respects_context_words() -> None:
    assert _terms("رغم معارضة تركيا") == []  # opposition by Turkey, not the opposition
    assert [t for _, t, _ in _terms("وقال مصدر في المعارضة")] == ["المعارضة"]
    assert _terms("احتدم القتال في دمشق وريفها") == []  # the city
    assert [t for _, t, _ in _terms("حول رد فعل دمشق على العملية")] == ["دمشق"]
    assert [t for _, t, _ in _terms("ضد الاحتلال التركي")] == ["الاحتلال التركي"]
    assert [g for g, _, _ in _terms("قوات الاحتلال الأمريكي")] == ["us_led_coalition"]


def test_lexicon_is_validated() -> None:
    with pytest.raises(ValueError, match="stance"):
        parse_lexicon(
            {
                "groups": [
                    {
                        "id": "g",
                        "label": "G",
                        "label_ar": "غ",
                        "terms": [{"term": "س", "stance": "angry"}],
                    }
                ]
            }
        )
    with pytest.raises(ValueError, match="also listed"):
        parse_lexicon(
            {
                "groups": [
                    {
                        "id": "g",
                        "label": "G",
                        "label_ar": "غ",
                        "terms": [
                            {"term": "الجيش", "stance": "neutral"},
                            {"term": "الجيش", "stance": "official"},
                        ],
                    }
                ]
            }
        )


# --- whole analysis ------------------------------------------------------------------------

BOMBING_A = (
    "قتل 40 شخصا في انفجار سيارة مفخخة استهدف سوقا شعبيا في بغداد صباح اليوم. "
    "وأعلنت الشرطة العراقية أن الانفجار وقع قرب مسجد في حي الكرادة وسط العاصمة. "
    "وقال شهود عيان إن سيارات الإسعاف نقلت الجرحى إلى مستشفى ابن النفيس القريب من الموقع."
)
BOMBING_B = (
    "قتل 45 شخصا في انفجار سيارة مفخخة استهدفت سوقا شعبيا في بغداد اليوم. "
    "وأعلنت الشرطة العراقية أن الانفجار وقع قرب مسجد في حي الكرادة وسط العاصمة. "
    "وحمل رئيس الوزراء تنظيم داعش الإرهابي مسؤولية الهجوم وتعهد بملاحقة منفذيه."
)
RANGE = "وأضاف أن عدد المستسلمين من المسلحين يتراوح بين 300 و400 عنصر في مدينة الرقة."


def test_analyze_story_end_to_end_on_small_texts() -> None:
    articles = [
        _article(1, "alsumaria", BOMBING_A),
        _article(2, "aawsat", BOMBING_B, hours=1),
        _article(3, "alhayat", BOMBING_B, hours=2, duplicate_of=2),
        _article(4, "aawsat", RANGE, hours=3),
    ]
    result = analyze_story(articles, all_outlets=["alsumaria", "aawsat", "alhayat", "bbc"])
    json.dumps(result, ensure_ascii=False)  # JSON-serialisable as it is
    coverage = {o["outlet"]: o for o in result["coverage"]["outlets"]}
    assert result["coverage"]["first"] == ["alsumaria"]
    assert result["coverage"]["missing"] == ["bbc"]
    assert coverage["alhayat"]["copied_from"] == [{"outlet": "aawsat", "copies": 1}]

    (numbers,) = result["disagreements"]["numbers"]  # 40 vs 45; the range is not one
    values = sorted((r["outlet"], r["value"]) for r in numbers["reports"])
    assert values == [("aawsat", 45.0), ("alsumaria", 40.0)]
    assert numbers["compatible"] is False
    for report in numbers["reports"]:
        body = BOMBING_A if report["outlet"] == "alsumaria" else BOMBING_B
        assert body[report["start"] : report["end"]] == str(int(report["value"]))
        assert body[report["sentence_start"] : report["sentence_end"]] == report["sentence"]

    claims = {c["outlet"]: c["unique_claims"] for c in result["claims"]}
    assert [c["text"][:20] for c in claims["alsumaria"]] == [
        "وقال شهود عيان إن سي"
    ]  # the only sentence aawsat (or its copy in alhayat) does not carry
    assert all("الكرادة" not in c["text"] for c in claims["aawsat"])
    assert claims["alhayat"] == []  # a copy claims nothing of its own

    (isis,) = [g for g in result["framing"] if g["group"] == "isis"]
    assert {o["outlet"] for o in isis["outlets"]} == {"aawsat", "alhayat"}

    timeline = result["timeline"]
    assert timeline[0]["date"] == "2017-11-15"
    assert set(timeline[0]["outlets"]) == {"alsumaria", "aawsat", "alhayat"}  # merged


def test_same_speaker_disagreeing_with_himself_and_within_one_article() -> None:
    putin = (
        "أعلن الرئيس الروسي فلاديمير بوتين، خلال اجتماع مع قادة الجيش، أن قواته حررت أكثر من "
        "90% من الأراضي السورية، بينما قالت وزارة الدفاع الروسية إن نحو 92% من الأراضي "
        "السورية باتت تحت سيطرة الحكومة."
    )
    said = "وقال وزير الخارجية الروسي سيرغي لافروف إن روسيا ستسحب قواتها من سوريا قبل نهاية العام الحالي."
    unsaid = "وقال وزير الخارجية الروسي سيرغي لافروف إن روسيا لن تسحب قواتها من سوريا قبل نهاية العام الحالي."
    result = analyze_story(
        [_article(1, "a", putin + " " + said), _article(2, "b", unsaid, hours=1)]
    )
    (numbers,) = result["disagreements"]["numbers"]
    assert [r["value"] for r in numbers["reports"]] == [90.0, 92.0]
    assert [r["bound"] for r in numbers["reports"]] == ["at_least", "about"]
    assert numbers["compatible"] is True  # "more than 90" and "about 92" can both hold
    (contradiction,) = result["disagreements"]["statements"]
    assert "لافروف" in contradiction["speaker"]
    assert {r["outlet"] for r in contradiction["reports"]} == {"a", "b"}


def test_single_outlet_story_has_no_unique_claims_or_distinctive_terms() -> None:
    result = analyze_story([_article(1, "a", BOMBING_A), _article(2, "a", BOMBING_B, hours=1)])
    assert result["claims"][0]["unique_claims"] == []
    assert result["distinctive_terms"] == [{"outlet": "a", "terms": []}]
    assert result["disagreements"]["numbers"] == []  # one outlet's updates, not a dispute


def test_empty_story() -> None:
    result = analyze_story([], all_outlets=["a"])
    coverage = result["coverage"]
    assert {k: coverage[k] for k in ("outlets", "first", "missing")} == {
        "outlets": [],
        "first": [],
        "missing": ["a"],
    }
    assert coverage["agencies"] == [] and coverage["first_time"] is None
    assert result["timeline"] == [] and result["claims"] == []


def test_forty_article_story_is_analysed_whole() -> None:
    sentences = [BOMBING_A, BOMBING_B, RANGE]
    articles = [
        _article(i, f"outlet{i % 7}", (sentences[i % 3] + " ") * (1 + i % 4), hours=i)
        for i in range(1, 41)
    ]
    result = analyze_story(articles)
    assert len(result["coverage"]["outlets"]) == 7
