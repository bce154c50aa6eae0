"""Wire attribution (extract.wires), agency-aware coverage, and outlet profiles."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from conftest import SEEDS, SHARED, needs_shared
from marsad.cli.main import render_coverage
from marsad.compare.analyze import StoryArticle, analyze_story
from marsad.compare.coverage import Report, story_coverage
from marsad.evaluate.wires_eval import evaluate_wires, score_part
from marsad.extract.wires import agencies, detect_agency
from marsad.models import RawArticle
from marsad.pipeline import Pipeline, Settings, time_kind_of
from marsad.profiles import OutletProfile, blindspot_line, merge_profiles, profiles
from marsad.report.html import render_report
from marsad.store import Store
from marsad.text.arabic import NORMALIZER_VERSION

T0 = datetime(2015, 7, 22, 9, 0)
SNN = SHARED / "data" / "saudinewsnet" / "saudinewsnet.jsonl.gz"
GOLD = Path(__file__).resolve().parents[1] / "evaluation" / "wires"

# Byline, dateline and signature forms as SaudiNewsNet outlets and agencies print them.
CREDITED = [
    ("جدة - واس\nالتقى صاحب السمو الملكي ولي ولي العهد", "was"),
    ("واس- جدة:\xa0التقى صاحب السمو الملكي ولي ولي العهد", "was"),
    (" \xa0 Next Previous عين اليوم – واس\nأدى خادم الحرمين الشريفين صلاة الميت", "was"),
    ("Next Previous تبوك -واس حظي مهرجان الورد والفاكهة بإقبال", "was"),
    ("أ ف ب- بروكسل: بعد ليلة مفاوضات مضنية أعلن مصدر أوروبي", "afp"),
    ("رويترز –لويزيانا: قالت الشرطة الأمريكية إن مسلحا فتح النار", "reuters"),
    ("عمان (رويترز) - قال مسؤولون إن الحدود أغلقت أمس", "reuters"),
    ("د ب أ- الرياض: قال لاعب فريق النصر إن الفريق قادر", "dpa"),
    ("دمشق - سانا\nأعلنت وزارة الخارجية السورية", "sana"),
    ("الدوحة - قنا: استقبل أمير دولة قطر اليوم", "qna"),
    ("أبوظبي - وام: أعلنت القيادة العامة للقوات المسلحة", "wam"),
    ("الكويت - كونا: أكد وزير الخارجية الكويتي", "kuna"),
    ("أنقرة - الأناضول\nقال رئيس الوزراء التركي", "anadolu"),
    ("الرياضي ـ وكالات\nنجح آرسنال في إحراز اللقب", "agencies"),
    ("سبق- وكالات: تشهد العاصمة السويدية يوما خاليا من السيارات", "agencies"),
    ("Next Previous عكاظ اليوم ( الوكالات العالمية رويترز )\n- ", "reuters"),
    ("مزارعون يقودون حراثاتهم نحو ليون. وتراجعت أسعار الألبان واللحوم . «رويترز» ", "reuters"),
    ("عامل داخل مصنع رينو في ليون. وتعتزم الشركة طرح نموذج جديد. “الفرنسية”", "afp"),
    ("وتنظران لجنازة الشاب في جنين.\n\n(رويترز) ", "reuters"),
    ("ويبقى السؤال عن كلفة الحرب.\n\n* بالاتفاق مع «بلومبيرغ»", "bloomberg"),
]
NOT_CREDITED = [
    "قال أحد الشهود لوكالة «رويترز»: شاهدت سيارات تحترق قرب الحدود",
    'أبلغ مسؤول كبير شبكة فوكس. وبحسب "رويترز"، فقد ذكر رئيس البنك أن الفائدة سترتفع',
    "أكد مصدر أمني جزائري رفيع لوكالة «سبوتنيك»، أمس أن مجموعة إرهابية اغتالت ثلاثة",
    "أعلنت وكالة أنباء الصين الجديدة أن بنك التنمية بدأ عملياته أمس في شانغهاي",
    "بنا الجسر في عام واحد، ونعمل معا من أجل المدينة",
    "في تصريح أوردته وكالة الأنباء السورية سانا تدين سوريا بأشد العبارات",
]


@pytest.mark.parametrize(("body", "agency"), CREDITED)
def test_detect_agency_reads_bylines_datelines_and_signatures(body: str, agency: str) -> None:
    assert detect_agency("", body) == agency


@pytest.mark.parametrize("body", NOT_CREDITED)
def test_detect_agency_ignores_agencies_cited_in_the_text(body: str) -> None:
    assert detect_agency("", body + " وأضاف المصدر أن التحقيق مستمر.") is None


def test_a_title_ending_in_a_quoted_word_credits_no_agency() -> None:
    # «معا» is also a word; a closing quote before it does not open a signature.
    assert detect_agency("خريطة طريق لمواجهة الأكراد و«داعش» معًا", "نص الخبر.") is None
    assert detect_agency('افتتاح مطار صلالة بمحافظة "ظفار" العمانية', "نص الخبر.") is None


def test_every_agency_in_the_data_has_names_and_a_form() -> None:
    listed = agencies()
    assert {"was", "afp", "reuters", "dpa", "anadolu", "sana", "qna", "wam", "kuna"} <= set(listed)
    assert all(a.name_ar and a.name_en for a in listed.values())
    assert listed["was"].outlet == "was" and listed["agencies"].generic


@needs_shared
def test_the_seeds_credit_no_agency() -> None:
    # The seeds open with their own text (002 with «الوقت ـ», the outlet itself) and cite
    # SANA inside the text (000): none is an agency copy.
    texts = sorted(SEEDS.glob("0*.txt"))
    assert len(texts) == 5
    found = {p.name[:3]: detect_agency("", p.read_text(encoding="utf-8")) for p in texts}
    assert found == dict.fromkeys(found, None)
    assert "سانا" in (SEEDS / texts[0].name).read_text(encoding="utf-8")


# -- coverage -------------------------------------------------------------------------------

SPA_OUTLETS = [
    "aleqtisadiya", "alriyadh", "okaz", "almadina", "alyaum", "alwatan",
    "aljazirah", "sabq", "3alyoum", "alweeam", "aawsat", "arreyadi",
]  # fmt: skip
SPA_TEXT = "جدة - واس\nاستقبل صاحب السمو الملكي ولي العهد في جدة اليوم رئيس جمهورية الشيشان."


def _spa_story() -> list[StoryArticle]:
    # Twelve outlets carry one SPA text; dedup made the first crawled (aleqtisadiya) the
    # original of the other eleven.
    return [
        StoryArticle(
            i + 1,
            outlet,
            T0 + timedelta(minutes=10 * i),
            "ولي العهد يستقبل رئيس الشيشان",
            SPA_TEXT,
            None if i == 0 else 1,
            detect_agency("", SPA_TEXT),
            "crawled",
        )
        for i, outlet in enumerate(SPA_OUTLETS)
    ]


def test_a_story_of_agency_copies_credits_the_agency_not_the_first_crawled_outlet() -> None:
    result = analyze_story(_spa_story(), all_outlets=[*SPA_OUTLETS, "was", "arriyadiyah"])
    coverage = result["coverage"]
    rows = {o["outlet"]: o for o in coverage["outlets"]}
    assert all(row["copied_from"] == [] and row["copies"] == 0 for row in rows.values())
    assert all(row["wire_copies"][0]["agency"] == "was" for row in rows.values())
    (spa,) = coverage["agencies"]
    assert spa["agency"] == "was" and spa["articles"] == 12 and len(spa["outlets"]) == 12
    # The agency covered the story: its own outlet is not listed as missing.
    assert coverage["missing"] == ["arriyadiyah"]
    assert coverage["first_time_kind"] == "crawled"
    lines = "\n".join(render_coverage(coverage))
    assert "نقلاً" not in lines and "copied from" not in lines
    assert "وكالة الأنباء السعودية (واس)" in lines and "الاقتصادية" in lines


def test_an_outlets_repost_of_its_own_article_is_not_a_copy() -> None:
    reports = [
        Report(article=1, outlet="sabq", published=T0, duplicate_of=None),
        Report(article=2, outlet="sabq", published=T0 + timedelta(hours=2), duplicate_of=1),
        Report(article=3, outlet="okaz", published=T0 + timedelta(hours=3), duplicate_of=1),
    ]
    rows = {o.outlet: o for o in story_coverage(reports).outlets}
    assert rows["sabq"].reposts == 1 and rows["sabq"].copies == 0
    assert rows["sabq"].copied_from == ()
    assert rows["okaz"].copies == 1 and rows["okaz"].copied_from == (("sabq", 1),)


def test_a_copy_without_byline_is_credited_to_its_originals_agency() -> None:
    reports = [
        Report(article=1, outlet="sabq", published=T0, duplicate_of=None, agency="reuters"),
        Report(article=2, outlet="okaz", published=T0 + timedelta(hours=1), duplicate_of=1),
    ]
    coverage = story_coverage(reports)
    rows = {o.outlet: o for o in coverage.outlets}
    assert rows["okaz"].wire_copies == (("reuters", 1),) and rows["okaz"].copies == 0
    assert coverage.agencies[0].outlets == ("sabq", "okaz")


def test_the_agencys_own_outlet_carrying_its_text_copies_nobody() -> None:
    book = profiles().outlets
    reports = [
        Report(article=1, outlet="sabq", published=T0, duplicate_of=None, agency="was"),
        Report(article=2, outlet="was", published=T0 + timedelta(hours=1), duplicate_of=1, agency="was"),
    ]  # fmt: skip
    rows = {o.outlet: o for o in story_coverage(reports, profiles=book).outlets}
    assert rows["was"].copies == 0 and rows["was"].wire_copies == () and rows["was"].reposts == 0
    assert rows["sabq"].wire_copies == (("was", 1),)


def test_first_report_says_whether_its_time_is_a_publication_or_crawl_time() -> None:
    reports = [
        Report(article=1, outlet="a", published=T0, duplicate_of=None, time_kind="published"),
        Report(article=2, outlet="b", published=T0 + timedelta(hours=1), duplicate_of=None, time_kind="crawled"),
    ]  # fmt: skip
    coverage = story_coverage(reports)
    assert coverage.first_time_kind == "published"
    assert [o.first_report_kind for o in coverage.outlets] == ["published", "crawled"]
    assert (
        time_kind_of(RawArticle(ext_id=None, source="a", date=None, title="", text="x"))
        == "crawled"
    )
    dated = RawArticle(ext_id=None, source="a", date=T0, title="", text="x")
    assert time_kind_of(dated) == "published"
    assert time_kind_of(dated, crawl_dates=True) == "crawled"


def test_coverage_by_country_and_camp_and_the_blindspot_line() -> None:
    book = {
        "sa1": OutletProfile(slug="sa1", name="س١", country="SA", camp="saudi"),
        "ae1": OutletProfile(slug="ae1", name="إ١", country="AE", camp="saudi"),
        "qa1": OutletProfile(slug="qa1", name="ق١", country="QA"),
        "ir1": OutletProfile(slug="ir1", name="ي١", country="IR", camp="iran"),
    }
    reports = [
        Report(article=1, outlet="sa1", published=T0, duplicate_of=None),
        Report(article=2, outlet="ae1", published=T0, duplicate_of=None),
    ]
    coverage = story_coverage(reports, list(book), profiles=book)
    assert dict(coverage.by_country) == {"SA": 1, "AE": 1}
    assert coverage.by_camp == (("saudi", 2),)
    assert coverage.missing_countries == ("IR", "QA")
    line = blindspot_line(["SA", "AE"], ["QA", "IR"])
    assert line == "غطّتها منافذ سعودية وإماراتية، ولم تغطّها منافذ قطرية أو إيرانية"
    assert blindspot_line(["SA"], []) is None


def test_blindspot_on_the_seed_outlets() -> None:
    # aawsat (Saudi) alone against the seeds' Egyptian and Iranian outlets.
    result = analyze_story(
        [StoryArticle(1, "aawsat", T0, "", "نص الخبر.", None)],
        all_outlets=["aawsat", "almasryalyoum", "alwaght", "egypt-daily-a", "levant-daily-b"],
    )
    assert result["coverage"]["blindspot"] == "غطّتها منافذ سعودية، ولم تغطّها منافذ مصرية أو إيرانية"


# -- profiles -------------------------------------------------------------------------------


def test_profiles_cover_every_saudinewsnet_and_seed_outlet() -> None:
    slugs = {
        "aawsat", "aleqtisadiya", "alriyadh", "aljazirah", "alyaum", "okaz", "alwatan",
        "almadina", "alweeam", "3alyoum", "sabq", "was", "arreyadi", "arriyadiyah",
        "egypt-daily-a", "almasryalyoum", "alwaght", "levant-daily-b",
    }  # fmt: skip
    book = profiles()
    assert slugs <= set(book.outlets)
    assert all(book.name(s) != s for s in slugs)
    assert book.get("alwaght").country == "IR"  # type: ignore[union-attr]
    assert book.name("not-profiled") == "not-profiled"


def test_a_user_file_overrides_single_keys_and_adds_outlets() -> None:
    bundled = {
        "outlet": {"sabq": {"name": "سبق", "country": "SA"}},
        "country": {"SA": {"name": "السعودية"}},
    }
    user = {"outlet": {"sabq": {"owner": "مالك"}, "new": {"name": "جديد", "country": "QA"}}}
    book = merge_profiles(bundled, user)
    assert book.get("sabq") == OutletProfile(slug="sabq", name="سبق", country="SA", owner="مالك")
    assert book.name("new") == "جديد"
    with pytest.raises(Exception, match="unknown key"):
        merge_profiles(bundled, {"outlet": {"sabq": {"nmae": "x"}}})


def test_user_file_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "outlets.toml"
    path.write_text('[outlet.sabq]\nname = "صحيفة سبق"\n', encoding="utf-8")
    monkeypatch.setenv("MARSAD_OUTLETS", str(path))
    profiles.cache_clear()
    try:
        assert profiles().name("sabq") == "صحيفة سبق"
        assert profiles().get("sabq").country == "SA"  # type: ignore[union-attr]
    finally:
        monkeypatch.delenv("MARSAD_OUTLETS")
        profiles.cache_clear()


def test_report_shows_profile_names_instead_of_slugs() -> None:
    result = analyze_story(_spa_story(), all_outlets=[*SPA_OUTLETS, "was", "arriyadiyah"])
    view = {
        "id": 1, "title": "ولي العهد يستقبل رئيس الشيشان", "sources": SPA_OUTLETS,
        "first_seen": T0.isoformat(), "last_seen": T0.isoformat(), "n_articles": 12,
        "summary": {"headline": "ولي العهد", "sentences": []}, "articles": [], "analysis": result,
    }  # fmt: skip
    page = render_report([view], title="t")
    assert "عين اليوم" in page and "الرياضية" in page  # 3alyoum covered, arriyadiyah missing
    assert ">3alyoum<" not in page and ">arriyadiyah<" not in page
    assert "وكالات غطّتها" in page


# -- store and pipeline ---------------------------------------------------------------------


def test_ingest_stores_the_agency_and_time_kind(tmp_path: Path) -> None:
    store = Store(tmp_path / "m.db", normalizer_version=NORMALIZER_VERSION)
    raws = [
        RawArticle(ext_id="1", source="sabq", date=T0, title="ولي العهد يستقبل", text="واس- جدة: " + SPA_TEXT),
        RawArticle(ext_id="2", source="okaz", date=None, title="حريق في بريدة", text="اندلع حريق في مصنع ببريدة وأخمدته فرق الدفاع المدني."),
    ]  # fmt: skip
    Pipeline(store, Settings(extract=False)).ingest(raws)
    rows = store.rows("SELECT source, agency, time_kind FROM articles ORDER BY source")
    assert rows == [
        {"source": "okaz", "agency": None, "time_kind": "crawled"},
        {"source": "sabq", "agency": "was", "time_kind": "published"},
    ]
    stored = {a.source: a for a in store.articles([1, 2])}
    assert stored["sabq"].agency == "was" and stored["sabq"].time_kind == "published"
    assert stored["okaz"].agency is None and stored["okaz"].time_kind == "crawled"
    store.close()


# -- evaluation -----------------------------------------------------------------------------


def test_score_part_counts_wrong_agencies_as_both_errors() -> None:
    texts = {
        "a": {"title": "", "text": "جدة - واس\nنص"},
        "b": {"title": "", "text": "نص بلا وكالة"},
        "c": {"title": "", "text": "رويترز - عمان: نص"},
    }
    labels = {"a": ("sabq", "was"), "b": ("okaz", "reuters"), "c": ("sabq", "afp")}
    score = score_part("t", labels, texts)
    assert (score.tp, score.fp, score.fn) == (1, 1, 2)
    assert score.precision == 0.5 and score.recall == pytest.approx(1 / 3)


@pytest.mark.skipif(not SNN.is_file(), reason=f"SaudiNewsNet absent: {SNN}")
def test_eval_wires_on_the_gold_prints_the_score_last() -> None:
    out = evaluate_wires(GOLD, SNN)
    last = out.splitlines()[-1]
    assert last.startswith("wires_f1=") and "(val:" in last
    assert float(last.split("=")[1].split()[0]) >= 0.9  # pinned floor of the validation F1
    assert json.dumps(out, ensure_ascii=False)


def _brief(story_id: int, outlet: str, when: datetime) -> dict[str, object]:
    return {
        "id": story_id, "title": f"قصة {story_id}", "sources": [outlet],
        "first_seen": when.isoformat(), "last_seen": when.isoformat(), "n_articles": 1,
        "summary": {"headline": f"قصة {story_id}", "sentences": []},
        "articles": [{"id": story_id, "source": outlet, "published": when.isoformat(), "title": "t", "copies": []}],
    }  # fmt: skip


def test_report_lists_as_missing_only_outlets_read_around_the_story() -> None:
    # The seeds' outlets are months apart: none missed another's story; a day apart, they did.
    october = datetime(2017, 10, 14)
    views = [
        _brief(1, "egypt-daily-a", october),
        _brief(2, "alwaght", datetime(2017, 3, 1)),
        _brief(3, "aawsat", october + timedelta(days=1)),
    ]
    page = render_report(views, title="t")
    first = page.split('id="story-2"')[0].split('id="story-1"')[1]
    missing = first.split("لم تغطّها")[1]
    assert "الشرق الأوسط" in missing and "الوقت" not in missing


def test_story_analysis_counts_as_missing_only_outlets_active_around_it(tmp_path: Path) -> None:
    from marsad.views import story_view

    store = Store(tmp_path / "m.db", normalizer_version=NORMALIZER_VERSION)
    text = "اندلع حريق ضخم في مصنع للأثاث بالمدينة الصناعية في بريدة وأخمدته فرق الدفاع المدني بعد ساعات."
    raws = [
        RawArticle(ext_id="1", source="sabq", date=T0, title="حريق مصنع بريدة", text=text),
        RawArticle(ext_id="2", source="okaz", date=T0 + timedelta(hours=1), title="حريق مصنع بريدة", text=text + " ولا إصابات."),
        RawArticle(ext_id="3", source="alriyadh", date=T0 + timedelta(days=1), title="افتتاح معرض الكتاب", text="افتتح أمير المنطقة معرض الكتاب الدولي بمشاركة مئات دور النشر من الدول العربية."),
        RawArticle(ext_id="4", source="alwaght", date=T0 + timedelta(days=200), title="تقدم الجيش قرب تدمر", text="يستمر الجيش تقدمه في الريف الشرقي لمدينة حمص قرب مدينة تدمر الأثرية."),
    ]  # fmt: skip
    Pipeline(store, Settings(extract=False)).ingest(raws)
    story_id = store.story_of(1)
    assert story_id is not None and story_id == store.story_of(2)
    view = story_view(store, story_id)
    assert view is not None and view["analysis"] is not None
    assert view["analysis"]["coverage"]["missing"] == ["alriyadh"]
    assert view["outlet_profiles"]["alriyadh"]["name"] == "الرياض"
    store.close()


def test_a_byline_kept_by_a_later_copy_credits_the_whole_text() -> None:
    # The first crawled copy lost the «جدة - واس» byline; a later copy of it kept it.
    reports = [
        Report(article=1, outlet="aleqtisadiya", published=T0, duplicate_of=None),
        Report(article=2, outlet="okaz", published=T0 + timedelta(hours=1), duplicate_of=1),
        Report(article=3, outlet="sabq", published=T0 + timedelta(hours=2), duplicate_of=1, agency="was"),
    ]  # fmt: skip
    coverage = story_coverage(reports)
    assert all(o.copies == 0 and o.wire_copies == (("was", 1),) for o in coverage.outlets)
    assert coverage.agencies[0].articles == 3
