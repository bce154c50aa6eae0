"""Tests for attributed-statement extraction (marsad.extract.quotes) and its evaluation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marsad.evaluate.quotes_eval import evaluate_quotes
from marsad.extract.aliases import canonical_name, same_entity
from marsad.extract.quotes import extract_statements
from marsad.text.arabic import display

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not available")


def _seed(name: str) -> str:
    return display((SEEDS / name).read_bytes().decode("utf-8"))


def test_reported_statement_with_speaker_and_offsets() -> None:
    text = "وقال وزير الخارجية سامي يوسف إن المحادثات ستستأنف الأسبوع المقبل."
    (statement,) = extract_statements(text)
    assert text[statement.start : statement.end] == "المحادثات ستستأنف الأسبوع المقبل"
    assert text[statement.speaker_start : statement.speaker_end] == "وزير الخارجية سامي يوسف"
    assert canonical_name(statement.speaker) == "سامي يوسف"
    assert statement.cue == "وقال"
    assert not statement.direct


def test_direct_quote_spans_sentences_until_closing_mark() -> None:
    text = "وقال المتحدث باسم الشركة: «الأرباح ارتفعت هذا العام. ونتوقع المزيد في العام المقبل»."
    (statement,) = extract_statements(text)
    assert statement.direct
    assert text[statement.start : statement.end].startswith("الأرباح ارتفعت")
    assert text[statement.start : statement.end].endswith("في العام المقبل")


def test_continuation_cue_and_participle_keep_last_speaker() -> None:
    text = (
        "وأكد مدير الشرطة خالد العتيبي أن التحقيقات مستمرة. "
        "وأضاف أن المتهمين اعترفوا، مشيرا إلى أن القضية أحيلت إلى النيابة."
    )
    statements = extract_statements(text)
    assert len(statements) == 3
    assert {canonical_name(s.speaker_resolved) for s in statements} == {"خالد العتيبي"}
    assert text[statements[2].start : statements[2].end] == "القضية أحيلت إلى النيابة"


def test_relayed_statement_has_source() -> None:
    text = "ونقلت وكالة الأنباء عن الوزير سالم الكعبي قوله إن الاتفاق وقع أمس."
    (statement,) = extract_statements(text)
    assert canonical_name(statement.speaker) == "سالم الكعبي"
    assert statement.source == "وكالة الأنباء"


def test_attribution_by_preposition() -> None:
    text = "وبحسب وزارة الصحة، ارتفع عدد الإصابات إلى مئة حالة."
    (statement,) = extract_statements(text)
    assert statement.speaker == "وزارة الصحة"
    assert text[statement.start : statement.end] == "ارتفع عدد الإصابات إلى مئة حالة"


def test_no_statement_without_cue() -> None:
    assert extract_statements("ارتفعت أسعار النفط أمس بعد أن قررت الدول المنتجة خفض الإنتاج.") == []
    assert extract_statements("") == []


@needs_seeds
@pytest.mark.parametrize(
    ("seed", "speaker"),
    [
        ("004_4700816c739ffbec.txt", "سيرغي لافروف"),
        ("001_07113fe9eb90c3c4.txt", "ماريا زاخاروفا"),
        ("000_26414f55126826cc.txt", "إيجور كوناشنكوف"),
        ("003_8515ba7d24bc95f9.txt", "إيغر كوناشينكوف"),
    ],
)
def test_seed_speakers_found(seed: str, speaker: str) -> None:
    text = _seed(seed)
    statements = extract_statements(text)
    theirs = [s for s in statements if same_entity(canonical_name(s.speaker_resolved), speaker)]
    assert theirs, f"no statement by {speaker}"
    for statement in statements:
        assert (
            text[statement.start : statement.end].strip() == text[statement.start : statement.end]
        )
        assert statement.sentence_start <= statement.start < statement.end <= statement.sentence_end


@needs_seeds
def test_seed_konashenkov_spellings_are_one_speaker() -> None:
    speakers = [
        canonical_name(s.speaker_resolved)
        for name in ("000_26414f55126826cc.txt", "003_8515ba7d24bc95f9.txt")
        for s in extract_statements(_seed(name))
        if "كوناش" in s.speaker_resolved
    ]
    assert len(set(speakers)) == 2  # two spellings as written ...
    assert same_entity(speakers[0], speakers[-1])  # ... one person


def test_evaluate_quotes_counts(tmp_path: Path) -> None:
    text = "وقال الوزير أحمد سالم إن الطريق سيفتتح غدا. وارتفعت الأسعار."
    start = text.index("الطريق")
    articles = tmp_path / "articles.jsonl"
    articles.write_text(json.dumps({"id": "a1", "text": text}, ensure_ascii=False) + "\n", "utf-8")
    gold = tmp_path / "gold.jsonl"
    rows = [
        {
            "article_id": "a1",
            "speaker": "الوزير أحمد سالم",
            "speaker_canonical": "أحمد سالم",
            "start": start,
            "end": start + len("الطريق سيفتتح غدا"),
            "direct": False,
        },
        {
            "article_id": "a1",
            "speaker": "x",
            "speaker_canonical": "x",
            "start": text.index("وارتفعت"),
            "end": len(text) - 1,
            "direct": False,
        },
    ]
    gold.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    report = evaluate_quotes(gold, articles)
    assert "precision=1.000 recall=0.500" in report
    assert "speaker_accuracy=1.000" in report
    assert report.splitlines()[-1] == "quote_f1=0.667"


def test_a_surname_speaker_takes_the_articles_full_name() -> None:
    from marsad.extract.article import extract

    text = (
        "التقى وزير الخارجية الروسي سيرغي لافروف نظيره الأردني أيمن الصفدي في موسكو اليوم. "
        "وقال لافروف إن المحادثات تناولت الوضع في جنوب سوريا. "
        "وأكد الصفدي أن بلاده تدعم الحل السياسي."
    )
    speakers = {canonical_name(s.speaker_resolved) for s in extract(text).statements}
    assert "سيرغي لافروف" in speakers, speakers
    assert "لافروف" not in speakers
