"""Arabic publication dates as feeds and pages print them."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from marsad.evaluate.dates_eval import evaluate_dates, load_articles, load_gold, score_dates
from marsad.text.dates import parse_date

NOW = datetime(2024, 5, 16, 12, 0)  # a Thursday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Levantine months, Arabic-Indic digits, weekday, 12-hour clock
        ("الثلاثاء ١٤ آذار ٢٠٢٣ - ١٠:٣٠ مساءً", datetime(2023, 3, 14, 22, 30)),
        ("12 تشرين الثاني 2020", datetime(2020, 11, 12)),
        ("12 تشرين ثاني 2020 12:05 ص", datetime(2020, 11, 12, 0, 5)),
        ("1 كانون الثاني 2021", datetime(2021, 1, 1)),
        ("٣١ كانون الأول ٢٠٢٢", datetime(2022, 12, 31)),
        ("5 أيلول 2019", datetime(2019, 9, 5)),
        ("5 ايلول 2019", datetime(2019, 9, 5)),  # hamza dropped, as often typed
        # Egyptian/Gulf months, spelling variants, doubled month names
        ("14 مارس 2023", datetime(2023, 3, 14)),
        ("نشر في: 14 آذار/مارس 2023، 10:30 ص", datetime(2023, 3, 14, 10, 30)),
        ("2 إبريل 2023", datetime(2023, 4, 2)),
        ("2 ابريل 2023", datetime(2023, 4, 2)),
        ("20 يونيه 2022", datetime(2022, 6, 20)),
        ("أغسطس 7، 2021", datetime(2021, 8, 7)),
        # Maghrebi months
        ("3 جانفي 2024 على الساعة 08:15", datetime(2024, 1, 3, 8, 15)),
        ("14 فيفري 2022", datetime(2022, 2, 14)),
        ("1 غشت 2021", datetime(2021, 8, 1)),
        ("9 جويلية 2020", datetime(2020, 7, 9)),
        # numeric, ISO, RFC 822, explicit offsets
        ("2023/03/14", datetime(2023, 3, 14)),
        ("٢٠٢٣-٠٣-١٤", datetime(2023, 3, 14)),
        ("14-03-2023 09:00 GMT+3", datetime(2023, 3, 14, 6, 0)),
        ("Tue, 14 Mar 2023 10:30:00 +0300", datetime(2023, 3, 14, 7, 30)),
        ("2023-03-14T10:30:00Z", datetime(2023, 3, 14, 10, 30)),
        # relative
        ("منذ 3 ساعات", datetime(2024, 5, 16, 9, 0)),
        ("منذ ساعتين", datetime(2024, 5, 16, 10, 0)),
        ("قبل ٥ دقائق", datetime(2024, 5, 16, 11, 55)),
        ("منذ يومين", datetime(2024, 5, 14, 12, 0)),
        ("منذ أسبوع", datetime(2024, 5, 9, 12, 0)),
        ("أمس 22:10", datetime(2024, 5, 15, 22, 10)),
        ("اليوم 08:00", datetime(2024, 5, 16, 8, 0)),
        ("الإثنين 10:30", datetime(2024, 5, 13, 10, 30)),
    ],
)
def test_parses(text: str, expected: datetime) -> None:
    assert parse_date(text, now=NOW) == expected


@pytest.mark.parametrize(
    "text",
    ["", "   ", "لا تاريخ هنا", "31 شباط 2023", "14 مارس 3023", "2023", "الخميس", "14 رمضان 1444"],
)
def test_rejects(text: str) -> None:
    assert parse_date(text, now=NOW) is None


def test_invalid_clock_keeps_the_date() -> None:
    assert parse_date("14 مارس 2023 25:99", now=NOW) == datetime(2023, 3, 14)


# --- marsad eval dates ----------------------------------------------------------------------


def _write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def test_date_eval_scores_recall_precision_and_resolution(tmp_path: Path) -> None:
    text = "وقال الوزير أمس إن الاجتماع يعقد الأحد المقبل. وفي اليوم الأول من"
    corpus = _write_jsonl(
        tmp_path / "corpus.jsonl", [{"id": "a1", "date": "2015-07-22 10:00:00", "text": text}]
    )
    yesterday, sunday = text.index("أمس"), text.index("الأحد المقبل")
    gold = _write_jsonl(
        tmp_path / "gold.jsonl",
        [
            {
                "article_id": "a1",
                "start": yesterday,
                "end": yesterday + 3,
                "text": "أمس",
                "first": "2015-07-21",
                "last": "2015-07-21",
            },
            # deliberately wrong label: found but misresolved
            {
                "article_id": "a1",
                "start": sunday,
                "end": sunday + 12,
                "text": "الأحد المقبل",
                "first": "2015-07-19",
                "last": "2015-07-19",
            },
        ],
    )
    report = evaluate_dates(gold, corpus, show_errors=True)
    lines = report.splitlines()
    assert lines[-1] == "date_accuracy=0.500"
    assert "recall=1.000 (2/2)  precision=1.000 (2/2)" in report
    assert any(line.startswith("misresolved") and "الأحد المقبل" in line for line in lines)


def test_date_eval_rejects_offsets_that_do_not_match_the_corpus(tmp_path: Path) -> None:
    corpus = _write_jsonl(tmp_path / "c.jsonl", [{"id": "a", "date": "2015-07-22", "text": "أمس"}])
    gold = _write_jsonl(
        tmp_path / "g.jsonl",
        [
            {
                "article_id": "a",
                "start": 0,
                "end": 2,
                "text": "أمس",
                "first": "2015-07-21",
                "last": "2015-07-21",
            }
        ],
    )
    with pytest.raises(ValueError, match="offsets"):
        score_dates(load_gold(gold), load_articles(corpus, {"a"}))


SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SNN = SHARED / "data" / "saudinewsnet" / "saudinewsnet.jsonl.gz"
DEV_GOLD = Path(__file__).resolve().parents[1] / "evaluation" / "dates_dev" / "mentions.jsonl"


@pytest.mark.shared
@pytest.mark.skipif(not SNN.exists(), reason="needs ../shared/data/saudinewsnet (SaudiNewsNet)")
def test_dev_gold_joins_the_corpus_and_scores_well() -> None:
    gold = load_gold(DEV_GOLD)
    assert len(gold) >= 120 and all(g.first <= g.last for g in gold)
    scores = score_dates(gold, load_articles(SNN, {g.article_id for g in gold}))
    assert scores.date_accuracy >= 0.9 and scores.precision >= 0.9


# Invented sentences with each kind of date expression, those the pre-check guards included.
DATE_SENTENCES = [
    "وصل الوفد في الخامس عشر من الشهر الجاري، وغادر منذ يومين.",
    "أعلنت الشركة نتائجها في نهاية عام 2014 وفي مطلع العام المقبل.",
    "قال إن الاجتماع سيعقد يوم الأحد المقبل أو في الأسبوع القادم، قبل 3 أيام من الموعد.",
    "صدر القرار في 12 رمضان 1436هـ الموافق 29-6-2015م بعد شهر رمضان.",
    "لا تاريخ هنا إطلاقا، بل كلام عام عن سنة حسنة وشهر كريم.",
    "",
]


def test_date_pattern_pre_check_skips_only_scans_that_cannot_match(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from marsad.text import dates
    from marsad.text.arabic import fold_mapped

    published = datetime(2015, 7, 26).date()
    with_check = [dates.find_dates(text, published) for text in DATE_SENTENCES]
    assert sum(map(len, with_check)) >= 8
    needed = dates._needed_runs()
    assert needed
    for text in DATE_SENTENCES:  # every match of a guarded pattern holds its whole words
        folded = fold_mapped(text)[0]
        for pattern, required in needed.items():
            for match in pattern.finditer(folded):
                runs = set(dates._WORD_RUN.findall(match.group(0)))
                glued = pattern is dates._lexicon().day_month and bool(
                    dates._month_after_digit_re().search(match.group(0))
                )
                assert glued or all(not runs.isdisjoint(words) for words in required), match
    monkeypatch.setattr(dates, "_needed_runs", dict)  # no pre-check: every pattern scans
    assert [dates.find_dates(text, published) for text in DATE_SENTENCES] == with_check
