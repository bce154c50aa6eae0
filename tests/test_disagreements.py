"""Number disagreements: what is one fact reported differently and what is not (rounding, clock
times, ordinals, lists, filled-in templates, market moments), and the judged-pairs evaluation."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from marsad.compare.analyze import StoryArticle, analyze_story
from marsad.compare.disagreements import garbled, rounding_unit, same_when_cut, same_when_rounded
from marsad.evaluate.disagreements_eval import evaluate_disagreements
from marsad.extract.numbers import extract_numbers

DAY = datetime(2015, 7, 21, 10, 0)
CONTEXT = "وقالت الأمم المتحدة في تقرير عن الأوضاع الإنسانية في محافظة عدن اليمنية"


def _numbers(a: str, b: str, *, b_day: datetime = DAY) -> list[list[float]]:
    articles = [
        StoryArticle(1, "alpha", DAY, "t", a, None),
        StoryArticle(2, "beta", b_day, "t", b, None),
    ]
    result: dict[str, Any] = analyze_story(articles)
    return [sorted(r["value"] for r in d["reports"]) for d in result["disagreements"]["numbers"]]


def test_different_counts_of_one_event_are_listed() -> None:
    found = _numbers(
        f"{CONTEXT} إن القصف أسفر عن مقتل 57 مدنيا في الأحياء السكنية.",
        f"{CONTEXT} إن القصف أسفر عن مقتل 43 مدنيا في الأحياء السكنية.",
    )
    assert [43.0, 57.0] in found


def test_values_that_agree_once_rounded_are_not_listed() -> None:
    found = _numbers(
        f"{CONTEXT} إن تكلفة الإغاثة بلغت 1.31 مليار دولار هذا العام.",
        f"{CONTEXT} إن تكلفة الإغاثة بلغت 1.3 مليار دولار هذا العام.",
    )
    assert found == []


def test_figures_of_days_apart_are_an_update_not_a_disagreement() -> None:
    found = _numbers(
        f"{CONTEXT} إن القصف أسفر عن مقتل 57 مدنيا في الأحياء السكنية.",
        f"{CONTEXT} إن القصف أسفر عن مقتل 43 مدنيا في الأحياء السكنية.",
        b_day=datetime(2015, 7, 25, 10, 0),
    )
    assert found == []


def test_clock_times_and_ordinals_are_not_counts() -> None:
    found = _numbers(
        f"{CONTEXT} إن الحظر يبدأ من الساعة 7 مساء ويتوج الفريق باللقب الـ12 في تاريخه.",
        f"{CONTEXT} إن الحظر يبدأ من الساعة 9 مساء ويتوج الفريق باللقب الـ11 في تاريخه.",
    )
    assert found == []


def test_rounding_unit_reads_the_written_precision() -> None:
    billions, exact, percent = extract_numbers("بلغت 1.3 مليار دولار و3,324,641 ريال و12.5% منها")
    assert abs(rounding_unit(billions) - 1e8) < 1
    assert rounding_unit(exact) == 1.0
    assert abs(rounding_unit(percent) - 0.1) < 1e-9
    ninety, ninety_two = extract_numbers("سيطر على 90% ثم 92% من الأراضي")
    assert not same_when_rounded(ninety, ninety_two)  # the seeds' disagreement stays


# --- one fact, not two filled-in copies of one template ----------------------------------


def _pairs(
    a: str, b: str, *, b_day: datetime = DAY, same_outlet: bool = False
) -> list[list[float]]:
    articles = [
        StoryArticle(1, "alpha", DAY, "t", a, None),
        StoryArticle(2, "alpha" if same_outlet else "beta", b_day, "t", b, None),
    ]
    result: dict[str, Any] = analyze_story(articles)
    return [sorted(r["value"] for r in d["reports"]) for d in result["disagreements"]["numbers"]]


RESULTS = (
    "وأوضحت الشركة في إعلان لها على موقع تداول أنها حققت صافي ربح خلال الربع الثاني "
    "بلغ {profit} مليون ريال بارتفاع نسبته {change}% عن الربع المماثل من العام السابق."
)


def test_template_sentences_whose_other_figures_all_differ_are_two_facts() -> None:
    other_company = _pairs(
        RESULTS.format(profit=339, change=61.4), RESULTS.format(profit=199, change=12.5)
    )
    assert other_company == []  # another company's quarter, not a disagreement
    same_change = _pairs(
        RESULTS.format(profit=339, change=61.4), RESULTS.format(profit=319, change=61.4)
    )
    assert [319e6, 339e6] in same_change  # one statement, two profits: listed


BRENT = "{verb} سعر مزيج برنت في العقود الآجلة تسليم سبتمبر {cents} سنتا إلى {price} دولار للبرميل."


def test_a_rise_and_a_fall_are_two_moves() -> None:
    assert (
        _pairs(
            BRENT.format(verb="وارتفع", cents=13, price=53.51),
            BRENT.format(verb="وانخفض", cents=25, price=53.06),
        )
        == []
    )
    assert [13.0, 25.0] in _pairs(
        BRENT.format(verb="وارتفع", cents=13, price=53.51),
        BRENT.format(verb="وارتفع", cents=25, price=53.51),
    )


def test_market_figures_of_reports_hours_apart_are_two_moments() -> None:
    later = datetime(2015, 7, 22, 1, 0)  # 15 hours after DAY
    close = datetime(2015, 7, 21, 16, 0)
    a = BRENT.format(verb="وارتفع", cents=13, price=53.51)
    b = BRENT.format(verb="وارتفع", cents=25, price=53.51)
    assert _pairs(a, b, b_day=later) == []
    assert [13.0, 25.0] in _pairs(a, b, b_day=close)


def test_market_figures_at_different_clock_times_are_two_moments() -> None:
    a = (
        BRENT.format(verb="وارتفع", cents=13, price=53.51)[:-1]
        + " بحلول الساعة 0647 بتوقيت جرينتش."
    )
    b = (
        BRENT.format(verb="وارتفع", cents=25, price=53.51)[:-1]
        + " بحلول الساعة 1350 بتوقيت جرينتش."
    )
    same = (
        BRENT.format(verb="وارتفع", cents=25, price=53.51)[:-1]
        + " بحلول الساعة 0647 بتوقيت جرينتش."
    )
    assert _pairs(a, b) == []
    assert [13.0, 25.0] in _pairs(a, same)


METAL = "ومن بين المعادن النفيسة الأخرى صعد {metal} في السوق الفورية 0.6 بالمئة إلى {price} دولار للأوقية."


def test_gold_and_palladium_prices_are_not_one_quantity() -> None:
    assert (
        _pairs(
            METAL.format(metal="البلاديوم", price=634.6),
            METAL.format(metal="البلاتين", price=969.2),
        )
        == []
    )
    assert [634.6, 654.6] in _pairs(
        METAL.format(metal="البلاديوم", price=634.6), METAL.format(metal="البلاديوم", price=654.6)
    )


AID = (
    "وصلت أمس الدفعة {batch} من المعونة الطبية إلى مدينة سيئون على متن {trucks} قاطرات "
    "قادمة من المملكة عبر منفذ الوديعة البري مقدمة من مركز الملك سلمان للإغاثة."
)


def test_batches_with_different_ordinals_are_different_items() -> None:
    assert (
        _pairs(AID.format(batch="الثانية", trucks="خمس"), AID.format(batch="الثالثة", trucks=3))
        == []
    )
    assert [3.0, 5.0] in _pairs(
        AID.format(batch="الثانية", trucks="خمس"), AID.format(batch="الثانية", trucks=3)
    )


def test_digits_in_another_order_are_one_figure_mangled() -> None:
    stock = "وقالت إدارة معلومات الطاقة إن مخزونات البنزين انخفضت بمقدار {x} مليون برميل مقارنة مع توقعات المحللين."
    assert [1.7e6, 7.1e6] in _pairs(stock.format(x=7.1), stock.format(x=1.7))  # ratio 4.2 > 3
    assert _pairs(stock.format(x=7.1), stock.format(x=1.2)) == []  # ratio 5.9: two measures
    seventy_one, seventeen, sixteen = extract_numbers("7.1 مليون و1.7 مليون و1.6 مليون")
    assert garbled(seventy_one, seventeen)
    assert not garbled(seventy_one, sixteen)


def test_a_figure_cut_to_fewer_digits_is_the_same_figure() -> None:
    cost = "وبلغت قيمة المشروع الأول لسفلتة مخططات المنح في المناطق الجبلية {x} مليون ريال ومدته ثلاث سنوات."
    assert _pairs(cost.format(x="84.540"), cost.format(x="84")) == []
    assert [84e6, 86e6] in _pairs(cost.format(x="86"), cost.format(x="84"))
    cut, full, above = extract_numbers("84 مليون و84.540 مليون و85.2 مليون")
    assert same_when_cut(cut, full)
    assert not same_when_cut(cut, above)


def test_one_sentence_of_one_article_compares_only_the_same_noun_phrase() -> None:
    text = (
        "وقال ضابط في الشرطة إن «أربعة أشخاص قتلوا»، بينما قال عامل إسعاف إن «ثمانية أشخاص أصيبوا»."
    )
    assert _pairs(text, "نص آخر عن الحادث.") == []  # killed and wounded: two measures


def test_two_sentences_of_one_article_are_not_compared() -> None:
    prizes = (
        "وأعلن أمير المنطقة الفائز بجائزة شاعر عكاظ وسيحصل على جائزة نقدية قيمتها 300 ألف ريال. "
        "فيما أعلن سموه الفائز بجائزة شاعر شباب عكاظ وسيحصل على جائزة نقدية قيمتها 100 ألف ريال."
    )
    assert _pairs(prizes, "نص آخر عن سوق عكاظ.") == []


def test_flight_numbers_and_numbers_before_a_comma_count_nothing() -> None:
    flight = "أعلن مطار الملك خالد الدولي عودة رحلة الخطوط الكورية رقم ({n}) المتجهة إلى سيئول بعد إقلاعها بسبب خلل فني."
    assert _pairs(flight.format(n=962), flight.format(n=963)) == []
    votes = "وتضم الجمعية العمومية للفيفا 209 اتحادات: آسيا (46)، الكونكاكاف (35)، أوقيانيا ({n})، وأميركا الجنوبية."
    assert _pairs(votes.format(n=11), votes.format(n=10)) == []


def test_a_distinctive_figure_the_other_text_gives_is_no_disagreement() -> None:
    a = f"{CONTEXT} إن صافي الأرباح بلغ 6.17 مليار ريال خلال الربع الثاني من العام."
    b = f"{CONTEXT} إن إجمالي الأرباح بلغ 4.95 مليار ريال خلال الربع الثاني من العام، بعد 6.17 مليار خلال الفترة."
    c = f"{CONTEXT} إن إجمالي الأرباح بلغ 4.95 مليار ريال خلال الربع الثاني من العام."
    assert _pairs(a, b) == []  # b gives 6.17 too: its 4.95 is another figure
    assert [4.95e9, 6.17e9] in _pairs(a, c)


def test_reports_sharing_only_common_words_are_two_events() -> None:
    bisha = (
        "لقي أربعة أشخاص مصرعهم وأصيب ثلاثة آخرون بإصابات بليغة إثر حادث تصادم على طريق بيشة، "
        "فيما نقل المواطنون في خيبر الجنوب المصابين على أحواض المركبات."
    )
    elsewhere = "لقي شخص مصرعه فيما أصيب تسعة آخرون بإصابات بينها حرجة في حادث تصادم قرب الحوميات."
    same_crash = (
        "لقي أربعة أشخاص مصرعهم وأصيب تسعة آخرون بإصابات بليغة في حادث تصادم على طريق بيشة، "
        "ونقل المواطنون في خيبر الجنوب المصابين على أحواض المركبات."
    )
    assert _pairs(bisha, elsewhere) == []  # the shared words are the common ones
    assert [3.0, 9.0] in _pairs(bisha, same_crash)


def test_twelve_after_the_article_is_not_ten() -> None:
    opec = (
        "ويمثل إنتاج الدول {n} الأعضاء في أوبك في يوليو أعلى مستوياته منذ بدء تسجيل بيانات المسح."
    )
    assert _pairs(opec.format(n="الاثنتي عشرة"), opec.format(n="12")) == []


def test_eval_scores_listed_pairs_against_judged_ones(tmp_path: Path) -> None:
    first = f"{CONTEXT} إن القصف أسفر عن مقتل 57 مدنيا في الأحياء السكنية."
    second = f"{CONTEXT} إن القصف أسفر عن مقتل 43 مدنيا في الأحياء السكنية."
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "\n".join(
            json.dumps(
                {"id": i, "source": s, "date": "2015-07-21 10:00:00", "title": "t", "text": t}
            )
            for i, s, t in (("x1", "alpha", first), ("x2", "beta", second))
        ),
        encoding="utf-8",
    )
    (tmp_path / "stories.jsonl").write_text(
        json.dumps({"story_key": "s", "articles": [["x1", None], ["x2", None]]}), encoding="utf-8"
    )
    start_a, start_b = first.index("57"), second.index("43")
    judged = tmp_path / "judged.jsonl"
    judged.write_text(
        "\n".join(
            json.dumps(row)
            for row in (
                {
                    "story_key": "s",
                    "article_a": "x1",
                    "start_a": start_a,
                    "article_b": "x2",
                    "start_b": start_b,
                    "real": True,
                    "note": "listed and real",
                },
                {
                    "story_key": "s",
                    "article_a": "x1",
                    "start_a": 0,
                    "article_b": "x2",
                    "start_b": 0,
                    "real": True,
                    "note": "real, not listed",
                },
            )
        ),
        encoding="utf-8",
    )
    report = evaluate_disagreements(judged, corpus).splitlines()
    assert "precision (listed & real / listed & judged): 1.000" in report
    assert "recall (real & listed / real): 0.500" in report
    assert report[-1] == "disagreement_f1=0.667"
