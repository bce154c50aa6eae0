"""Summary evaluation: reference file checks, the report on a tiny corpus, the real dev set."""

from __future__ import annotations

import csv
import gzip
import json
import re
from pathlib import Path

import pytest

from marsad.evaluate.summaries_eval import (
    article_key,
    evaluate_summaries,
    load_references,
    source_docs,
)
from marsad.text.arabic import arabic_ratio

REPO = Path(__file__).resolve().parents[1]
REFS = REPO / "evaluation" / "summaries_dev" / "refs.jsonl"
LABELS = REPO / "evaluation" / "stories_dev" / "labels.csv"
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "data" / "saudinewsnet" / "saudinewsnet.jsonl.gz"

# Our own made-up articles (no corpus text): one story, three outlets, one wire copy.
FIRE = (
    "سيطرت فرق الدفاع المدني في جدة على حريق كبير شب في مستودع للأخشاب بحي الصناعية مساء أمس. "
    "وأوضح المتحدث الرسمي أن ثماني فرق إطفاء شاركت في إخماد الحريق دون تسجيل أي إصابات. "
    "وبدأت الجهات المختصة التحقيق لمعرفة أسباب الحريق وحصر الخسائر المادية في الموقع."
)
FIRE_OTHER = (
    "أخمدت ثماني فرق إطفاء حريقا اندلع في مستودع أخشاب بالمنطقة الصناعية في جدة الليلة الماضية. "
    "وقال شهود إن سحب الدخان الكثيف غطت سماء الحي لساعات قبل السيطرة على النيران بالكامل. "
    "ولم تسجل أي إصابات بشرية بحسب الدفاع المدني الذي باشر التحقيق في أسباب الحادث."
)
ARTICLES = [
    {
        "id": "snn-0000000000000001",
        "source": "okaz",
        "date": "2015-07-22 10:00:00",
        "title": "حريق مستودع أخشاب في جدة",
        "text": FIRE,
    },
    {
        "id": "snn-0000000000000002",
        "source": "sabq",
        "date": "2015-07-22 11:00:00",
        "title": "حريق مستودع أخشاب في جدة",
        "text": FIRE,
    },
    {
        "id": "snn-0000000000000003",
        "source": "alriyadh",
        "date": "2015-07-22 12:00:00",
        "title": "ثماني فرق تخمد حريق مستودع بجدة",
        "text": FIRE_OTHER,
    },
]
REFERENCE = {
    "story": "jeddah-timber-fire",
    "summary": "أخمدت ثماني فرق إطفاء حريقا في مستودع أخشاب بالمنطقة الصناعية في جدة. "
    "ولم تقع إصابات، وبدأ التحقيق في أسباب الحريق.",
    "articles": [a["id"] for a in ARTICLES],
}


def write_fixture(tmp_path: Path) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus.jsonl.gz"
    with gzip.open(corpus, "wt", encoding="utf-8") as handle:
        for article in ARTICLES:
            handle.write(json.dumps(article, ensure_ascii=False) + "\n")
    refs = tmp_path / "refs.jsonl"
    refs.write_text(json.dumps(REFERENCE, ensure_ascii=False) + "\n", encoding="utf-8")
    return refs, corpus


def test_report_has_story_rows_system_means_and_rouge2_last(tmp_path: Path) -> None:
    refs, corpus = write_fixture(tmp_path)
    report = evaluate_summaries(refs, corpus=corpus)
    lines = report.splitlines()
    assert re.fullmatch(r"rouge2=[01]\.\d{3}", lines[-1])
    assert any(line.startswith("jeddah-timber-fire") for line in lines)
    for system in ("marsad", "lead", "lexrank"):
        assert any(
            re.match(rf"{system}\s+[01]\.\d{{3}}\s+[01]\.\d{{3}}\s+[01]\.\d{{3}}$", line)
            for line in lines
        ), system
    assert float(lines[-1].split("=")[1]) > 0.0


def test_wire_copies_fold_into_their_original_with_credit() -> None:
    docs = source_docs(ARTICLES)
    assert len(docs) == 2
    original = next(d for d in docs if d.key == article_key("snn-0000000000000001"))
    assert original.also_sources == ("sabq",)


def test_missing_article_is_reported(tmp_path: Path) -> None:
    refs, corpus = write_fixture(tmp_path)
    bad = dict(REFERENCE, articles=[*REFERENCE["articles"], "snn-00000000000000ff"])
    refs.write_text(json.dumps(bad, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="snn-00000000000000ff"):
        evaluate_summaries(refs, corpus=corpus)


def test_malformed_reference_line_names_the_line(tmp_path: Path) -> None:
    refs = tmp_path / "refs.jsonl"
    refs.write_text('{"story": "x"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"refs.jsonl:1"):
        load_references(refs)


def test_dev_references_are_complete_arabic_and_sized() -> None:
    with LABELS.open(encoding="utf-8", newline="") as handle:
        members: dict[str, set[str]] = {}
        for row in csv.DictReader(handle):
            members.setdefault(row["story"], set()).add(row["id"])
    references = load_references(REFS)
    assert len(references) >= 10
    assert len({r.story for r in references}) == len(references)
    for reference in references:
        # Every member article of the gold story was read and listed.
        assert set(reference.articles) == members[reference.story], reference.story
        assert 55 <= len(reference.summary.split()) <= 130, reference.story
        assert arabic_ratio(reference.summary) > 0.9, reference.story


@pytest.mark.skipif(not CORPUS.exists(), reason=f"SaudiNewsNet corpus not found at {CORPUS}")
def test_marsad_beats_both_baselines_on_the_dev_references() -> None:
    report = evaluate_summaries(REFS, corpus=CORPUS)
    assert "marsad beats both baselines on ROUGE-1, ROUGE-2, ROUGE-L" in report
    assert float(report.splitlines()[-1].split("=")[1]) > 0.3
