"""Tests of boilerplate removal."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.ingest import BoilerplateLearner, is_prompt, line_key, read_path, strip_boilerplate
from marsad.models import RawArticle

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed articles absent: {SEEDS}")

# Paragraphs written for these tests.
P1 = "قالت وزارة الصحة اليوم إن عدد الإصابات الجديدة تراجع للأسبوع الثالث على التوالي في العاصمة."
P2 = "وأضاف المتحدث باسم الوزارة أن حملة التطعيم ستتوسع لتشمل المحافظات الجنوبية الشهر المقبل."
P3 = "وكانت الحكومة قد أعلنت في وقت سابق عن خطة لإعادة فتح المدارس بشكل تدريجي مع بداية العام."
HEADLINE = "تراجع الإصابات الجديدة في العاصمة للأسبوع الثالث"


def _seed(name: str) -> RawArticle:
    (article,) = [a for a in read_path(SEEDS / name) if isinstance(a, RawArticle)]
    return article


@pytest.mark.shared
@needs_seeds
def test_seed_003_tail_removed_body_intact() -> None:
    article = _seed("003_8515ba7d24bc95f9.txt")
    lines = article.text.split("\n")
    body, tail = lines[:-4], lines[-4:]
    assert all(len(line.split()) > 40 for line in body)  # the real paragraphs
    cleaned, removed = strip_boilerplate(article.text, title=article.title)
    assert cleaned == "\n".join(body)
    assert removed == tail
    assert removed[0] == removed[1]  # the headline scraped twice: both copies go


@pytest.mark.shared
@needs_seeds
@pytest.mark.parametrize(
    "name",
    [
        "000_26414f55126826cc.txt",
        "001_07113fe9eb90c3c4.txt",
        "002_6d155ba7f0a6c5f2.txt",
        "004_4700816c739ffbec.txt",
    ],
)
def test_other_seeds_lose_nothing(name: str) -> None:
    article = _seed(name)
    cleaned, removed = strip_boilerplate(article.text, title=article.title)
    assert removed == []
    assert cleaned == article.text


def test_title_and_repeats_at_tail_removed() -> None:
    text = "\n".join([P1, P2, P3, "", HEADLINE, "جميع الحقوق محفوظة © 2017", HEADLINE])
    cleaned, removed = strip_boilerplate(text, title=HEADLINE)
    assert cleaned == "\n".join([P1, P2, P3])
    assert removed == [HEADLINE, "جميع الحقوق محفوظة © 2017", HEADLINE]


def test_headline_copies_at_tail_removed_but_not_in_body() -> None:
    text = "\n".join([HEADLINE, P1, HEADLINE + ".", P2, "", HEADLINE])
    cleaned, removed = strip_boilerplate(text)  # no title: the first line is the headline
    assert cleaned == "\n".join([HEADLINE, P1, HEADLINE + ".", P2])
    assert removed == [HEADLINE]


def test_repeated_paragraph_and_doubled_line_removed_refrain_kept() -> None:
    refrain = "يا ليل طال السهر"
    doubled = "وزير الخارجية يصل إلى الرياض"
    text = "\n".join([P1, refrain, P2, doubled, doubled, refrain, P1, P3])
    cleaned, removed = strip_boilerplate(text)
    assert cleaned == "\n".join([P1, refrain, P2, doubled, refrain, P3])
    assert removed == [doubled, P1]


def test_prompts_inside_body_removed_only_when_short() -> None:
    long_mention = P1 + " وتابعونا على الموقع كان شعار الحملة التي أطلقتها الوزارة " + P2
    text = "\n".join([P1, "اقرأ أيضاً: خبر آخر عن الطقس", long_mention, "شارك", P3])
    cleaned, removed = strip_boilerplate(text)
    assert removed == ["اقرأ أيضاً: خبر آخر عن الطقس", "شارك"]
    assert long_mention in cleaned


def test_short_repeated_body_line_and_one_line_article_kept() -> None:
    text = "\n".join(["الرياض", P1, "الرياض", P2])
    assert strip_boilerplate(text) == (text, [])
    assert strip_boilerplate(HEADLINE, title=HEADLINE) == (HEADLINE, [])


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("لم تشترك بعد", True),
        ("إقرأ ايضا", True),
        ("Follow us on Twitter", True),
        ("All rights reserved.", True),
        ("طباعة", True),
        ("ارتفاع أسعار الطباعة في مصر", False),
        (P1, False),
        ("", False),
    ],
)
def test_is_prompt(line: str, expected: bool) -> None:
    assert is_prompt(line) is expected


def test_line_key_ignores_punctuation_and_spacing() -> None:
    assert line_key("  «داعش» ،  في  سوريا. ") == line_key("داعش في سوريا")
    assert line_key("— ***") == ""


def test_learner_learns_per_source_footer() -> None:
    learner = BoilerplateLearner(min_docs=3)
    footer = "للتواصل مع قسم التحرير راسلونا عبر البريد"
    for paragraph in (P1, P2, P3):
        learner.observe("outlet-a", f"{paragraph}\n{footer}")
    learner.observe("outlet-b", f"{P1}\n{footer}")
    assert learner.is_boilerplate("outlet-a", line_key(footer))
    assert not learner.is_boilerplate("outlet-a", line_key(P1))
    assert not learner.is_boilerplate("outlet-b", line_key(footer))
    cleaned, removed = learner.strip(f"{P2}\n{footer}\n{P3}", source="outlet-a")
    assert (cleaned, removed) == (f"{P2}\n{P3}", [footer])
    assert learner.strip(f"{P2}\n{footer}", source="outlet-b") == (f"{P2}\n{footer}", [])


def test_learner_counts_a_line_once_per_document_and_stays_bounded() -> None:
    learner = BoilerplateLearner(min_docs=2, max_entries=100)
    learner.observe("s", "سطر مكرر\nسطر مكرر\nسطر مكرر")
    assert not learner.is_boilerplate("s", line_key("سطر مكرر"))
    for n in range(1_000):
        learner.observe("s", f"سطر مكرر\nسطر فريد رقم {n}")
    assert learner.is_boilerplate("s", line_key("سطر مكرر"))
    assert len(learner._counts["s"]) <= 100


def test_learner_rejects_min_docs_below_two() -> None:
    with pytest.raises(ValueError, match="min_docs"):
        BoilerplateLearner(min_docs=1)
