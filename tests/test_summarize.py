"""Tests of the story summarizer and its baselines on hand-written Arabic mini-articles.

Four outlets (one of which was copied by a fifth) report the same flood: they share a
rescue-count sentence in different wordings, two share a call-count sentence, and each has
one fact of its own.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.summarize import SourceDoc, Summary, headline, summarize, vectors
from marsad.summarize.baselines import lead_summary, lexrank_scores, lexrank_summary
from marsad.summarize.extractive import cut_at_word, prepare, select_mmr, sentence_scores
from marsad.summarize.pool import (
    LEAD_SENTENCES,
    MAX_ARTICLES,
    announces_text,
    is_byline,
    is_fragment,
    lead_analysis,
    starts_without_subject,
    strip_dateline,
)
from marsad.text.arabic import content_stems, tokenize

ALL_OUTLETS = ("almadina", "alriyadh", "alwatan", "okaz", "sabq")
T0 = datetime(2015, 11, 17, 8, 0)

SABQ = SourceDoc(
    key=11,
    source="sabq",
    when=T0 + timedelta(hours=1),
    title="سيول جدة: الدفاع المدني ينقذ 120 شخصا من المياه",
    text=(
        "جدة - واس - أعلن الدفاع المدني في محافظة جدة إنقاذ 120 شخصا من السيول التي "
        "اجتاحت أحياء المدينة صباح الأحد. وأوضح المتحدث الرسمي أن فرق الإنقاذ تعاملت مع "
        "أكثر من 300 بلاغ خلال ساعات قليلة. وقررت إدارة التعليم تعليق الدراسة في جميع "
        "مدارس المحافظة يوم الاثنين حفاظا على سلامة الطلاب."
    ),
)
OKAZ = SourceDoc(
    key=7,
    source="okaz",
    when=T0 + timedelta(hours=2),
    title="الأمطار تغرق أحياء جدة والدفاع المدني ينقذ العالقين",
    text=(
        "أعلن الدفاع المدني في جدة إنقاذ 120 شخصا من السيول التي اجتاحت أحياء المدينة "
        "يوم الأحد.\nوتوقعت الأرصاد الجوية استمرار هطول الأمطار الغزيرة على منطقة مكة "
        "المكرمة حتى نهاية الأسبوع الجاري.\nكتب: محمد العتيبي"
    ),
)
ALRIYADH = SourceDoc(
    key=23,
    source="alriyadh",
    when=T0 + timedelta(hours=3),
    title="جدة: إنقاذ 120 محتجزا ونقل 15 مصابا إلى المستشفيات",
    text=(
        "قال الدفاع المدني إنه أنقذ 120 شخصا في جدة من السيول التي اجتاحت أحياء المدينة. "
        "وأشار مدير المستشفى الجامعي إلى استقبال 15 مصابا بإصابات طفيفة غادر معظمهم بعد "
        "تلقي العلاج. وأوضح المتحدث الرسمي أن فرق الإنقاذ تعاملت مع أكثر من 300 بلاغ في "
        "ساعات قليلة."
    ),
)
ALWATAN = SourceDoc(
    key=5,
    source="alwatan",
    when=T0,
    title="إغلاق أنفاق رئيسية في جدة بعد امتلائها بمياه الأمطار",
    text=(
        "وأغلقت أمانة جدة عددا من الأنفاق الرئيسية بعد امتلاء بعضها بمياه الأمطار صباح "
        "الأحد. وأعلن الدفاع المدني إنقاذ 120 شخصا في جدة من السيول التي اجتاحت أحياء "
        "المدينة. تم."
    ),
    also_sources=("almadina",),
)
STORY = (SABQ, OKAZ, ALRIYADH, ALWATAN)
BY_KEY = {doc.key: doc for doc in STORY}
Method = Callable[..., Summary]


def stem_set(text: str) -> set[str]:
    return set(content_stems(tokenize(text)))


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


@pytest.fixture(scope="module")
def summary() -> Summary:
    return summarize(STORY)


def test_every_sentence_is_the_exact_span_of_its_article(summary: Summary) -> None:
    assert summary.sentences
    for sentence in summary.sentences:
        body = BY_KEY[sentence.article].text
        assert body[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()


def test_shared_fact_credits_every_outlet_carrying_it(summary: Summary) -> None:
    rescue = [s for s in summary.sentences if "120" in s.text]
    assert len(rescue) == 1
    assert rescue[0].sources == ALL_OUTLETS


def test_fact_of_two_outlets_credits_exactly_those(summary: Summary) -> None:
    calls = [s for s in summary.sentences if "300" in s.text]
    assert [s.sources for s in calls] == [("alriyadh", "sabq")]


def test_own_fact_credits_its_outlet_and_copies() -> None:
    result = summarize(STORY, max_sentences=8, max_chars=5000)
    tunnels = [s for s in result.sentences if "الأنفاق" in s.text]
    assert [s.sources for s in tunnels] == [("almadina", "alwatan")]
    forecast = [s for s in result.sentences if "الأرصاد" in s.text]
    assert [s.sources for s in forecast] == [("okaz",)]


def test_sources_are_sorted_and_unique(summary: Summary) -> None:
    for sentence in summary.sentences:
        assert list(sentence.sources) == sorted(set(sentence.sources))


def test_no_two_sentences_are_near_duplicates() -> None:
    result = summarize(STORY, max_sentences=10, max_chars=10_000)
    stems = [stem_set(s.text) for s in result.sentences]
    assert len(stems) >= 4
    for i in range(len(stems)):
        for j in range(i + 1, len(stems)):
            assert jaccard(stems[i], stems[j]) < 0.5, (
                result.sentences[i].text,
                result.sentences[j].text,
            )


def test_short_sentences_and_bylines_are_skipped() -> None:
    result = summarize(STORY, max_sentences=10, max_chars=10_000)
    texts = [s.text for s in result.sentences]
    assert all(len(t.split()) >= 6 for t in texts)
    assert not any(t.startswith("كتب") for t in texts)
    assert "تم." not in texts


def test_dateline_is_cut_from_lead_sentence() -> None:
    result = summarize(STORY, max_sentences=10, max_chars=10_000)
    sabq_lead = [s for s in result.sentences if s.article == SABQ.key and s.start < 40]
    assert sabq_lead == [] or sabq_lead[0].text.startswith("أعلن الدفاع المدني")
    assert not any("واس" in s.text for s in result.sentences)


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_max_sentences_is_respected(limit: int) -> None:
    assert len(summarize(STORY, max_sentences=limit).sentences) == limit


@pytest.mark.parametrize("budget", [100, 150, 250, 400])
def test_max_chars_is_respected(budget: int) -> None:
    result = summarize(STORY, max_sentences=10, max_chars=budget)
    assert len(" ".join(s.text for s in result.sentences)) <= budget


def test_budget_smaller_than_any_sentence_gives_no_sentences() -> None:
    assert summarize(STORY, max_chars=20).sentences == ()


def test_sentences_follow_article_date_then_position() -> None:
    result = summarize(STORY, max_sentences=10, max_chars=10_000)
    order = [(BY_KEY[s.article].when, s.start) for s in result.sentences]
    assert order == sorted(order)
    assert len({s.article for s in result.sentences}) >= 3


def test_headline_picks_a_title(summary: Summary) -> None:
    titles = {doc.title for doc in STORY}
    assert summary.headline in titles
    assert headline(STORY) == summary.headline
    # The rescue is what every outlet reports, so a rescue title is the central one.
    assert "120" in summary.headline or "ينقذ" in summary.headline


def test_headline_ignores_empty_titles() -> None:
    docs = [SourceDoc(d.key, d.source, d.when, "", d.text) for d in STORY]
    docs[2] = ALRIYADH
    assert headline(docs) == ALRIYADH.title


def test_headline_without_titles_is_the_cut_lead_of_the_central_doc() -> None:
    long_lead = "أعلن الدفاع المدني في جدة " + "إنقاذ عدد من المحتجزين في السيول " * 8 + "."
    docs = [SourceDoc(d.key, d.source, d.when, "", d.text) for d in STORY]
    docs.append(SourceDoc(99, "x", None, "", long_lead))
    result = headline(docs)
    assert 0 < len(result) <= 120
    leads = [d.text.removeprefix("جدة - واس - ") for d in docs]
    assert any(lead.startswith(result.removesuffix("…")) for lead in leads)


def test_cut_at_word_keeps_whole_words() -> None:
    text = "كلمة " * 40
    cut = cut_at_word(text, 120)
    assert len(cut) <= 120
    assert cut.endswith("…")
    assert all(word == "كلمة" for word in cut.removesuffix("…").split())
    assert cut_at_word("قصير جدا", 120) == "قصير جدا"


def test_empty_input_raises_clear_error() -> None:
    with pytest.raises(ValueError, match="no articles"):
        summarize([])
    with pytest.raises(ValueError, match="no articles"):
        headline([])


def test_non_positive_limits_raise() -> None:
    with pytest.raises(ValueError, match="positive"):
        summarize(STORY, max_sentences=0)


def test_result_does_not_depend_on_input_order(summary: Summary) -> None:
    docs = list(STORY)
    rng = random.Random(3)
    for _ in range(5):
        rng.shuffle(docs)
        assert summarize(docs) == summary


def test_story_without_usable_sentences_has_headline_only() -> None:
    docs = [
        SourceDoc(1, "a", None, "عنوان الخبر المهم اليوم", "قصير جدا."),
        SourceDoc(2, "b", None, "", ""),
    ]
    result = summarize(docs)
    assert result.headline == "عنوان الخبر المهم اليوم"
    assert result.sentences == ()


def _big_story(articles: int, sentences: int) -> list[SourceDoc]:
    rng = random.Random(7)
    # fmt: off
    words = [
        "الوزير", "المجلس", "الاقتصاد", "النفط", "الأسعار", "الحكومة", "المشروع", "الرياض",
        "التعليم", "الصحة", "المواطنين", "القرار", "الاجتماع", "الخطة", "الميزانية", "السوق",
        "الشركات", "الاستثمار", "المنطقة", "التنمية", "الطلاب", "الجامعة", "المستشفى", "الطرق",
    ]
    # fmt: on
    docs = []
    for key in range(articles):
        body = " ".join(
            " ".join(rng.choice(words) for _ in range(rng.randint(8, 25))) + "."
            for _ in range(sentences)
        )
        title = " ".join(rng.choice(words) for _ in range(6))
        docs.append(SourceDoc(key, f"outlet{key % 9}", T0 + timedelta(minutes=key), title, body))
    return docs


def test_huge_story_is_bounded() -> None:
    docs = _big_story(300, 20)
    # Work is bounded by construction (speed itself is measured by `marsad bench`).
    result = summarize(docs, max_sentences=5)
    assert 1 <= len(result.sentences) <= 5
    pool = prepare(docs)
    assert len({c.doc for c in pool.candidates}) == MAX_ARTICLES
    assert len(pool.candidates) <= MAX_ARTICLES * LEAD_SENTENCES
    assert max(c.position for c in pool.candidates) < LEAD_SENTENCES


# --- baselines -------------------------------------------------------------------------


@pytest.mark.parametrize("method", [lead_summary, lexrank_summary])
def test_baselines_return_exact_spans_within_limits(method: Method) -> None:
    for max_sentences, max_chars in [(5, 900), (2, 10_000), (10, 200)]:
        result = method(STORY, max_sentences=max_sentences, max_chars=max_chars)
        assert result.sentences
        assert len(result.sentences) <= max_sentences
        assert len(" ".join(s.text for s in result.sentences)) <= max_chars
        for sentence in result.sentences:
            assert BY_KEY[sentence.article].text[sentence.start : sentence.end] == sentence.text
        assert result.headline == summarize(STORY).headline


@pytest.mark.parametrize("method", [lead_summary, lexrank_summary])
def test_baselines_do_not_depend_on_input_order(method: Method) -> None:
    expected = method(STORY)
    assert method(list(reversed(STORY))) == expected


@pytest.mark.parametrize("method", [lead_summary, lexrank_summary])
def test_baselines_reject_empty_input_and_bad_limits(method: Method) -> None:
    with pytest.raises(ValueError, match="no articles"):
        method([])
    with pytest.raises(ValueError, match="positive"):
        method(STORY, max_chars=0)


def test_lead_summary_takes_the_earliest_article_in_order() -> None:
    result = lead_summary(STORY, max_sentences=5, max_chars=10_000)
    assert {s.article for s in result.sentences} == {ALWATAN.key}
    assert [s.start for s in result.sentences] == sorted(s.start for s in result.sentences)
    assert result.sentences[0].text.startswith("وأغلقت أمانة جدة")
    assert result.sentences[1].sources == ALL_OUTLETS


def test_lead_summary_without_dates_takes_the_most_central_article() -> None:
    undated = [SourceDoc(d.key, d.source, None, d.title, d.text, d.also_sources) for d in STORY]
    result = lead_summary(undated, max_sentences=5, max_chars=10_000)
    assert len({s.article for s in result.sentences}) == 1
    assert result.sentences[0].article != ALWATAN.key  # the short copy is not the most central


def test_lexrank_ranks_the_shared_fact_first() -> None:
    result = lexrank_summary(STORY, max_sentences=1)
    assert "120" in result.sentences[0].text
    assert result.sentences[0].sources == ALL_OUTLETS


def test_lexrank_scores_favour_the_hub_of_a_star_graph() -> None:
    cosine = np.eye(4)
    cosine[0, 1:] = cosine[1:, 0] = 0.5
    scores = lexrank_scores(cosine)
    assert scores.sum() == pytest.approx(1.0)
    assert scores[0] > scores[1] == pytest.approx(scores[2])


# --- vectors ---------------------------------------------------------------------------


def test_dense_and_sparse_term_matrices_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    bags = [list(lead_analysis(doc.text)[0].stems) for doc in STORY] + [["x", "x", "y"], []]

    def similarities() -> tuple[np.ndarray, np.ndarray]:
        counts = vectors.term_counts(bags)
        unit = vectors.tfidf(counts, vectors.smoothed_idf(counts))
        return vectors.gram(unit, unit), vectors.centroid_cosine(unit)

    dense_gram, dense_centrality = similarities()
    monkeypatch.setattr(vectors, "DENSE_GRAM_WORK", 0)
    assert not isinstance(vectors.term_counts(bags), np.ndarray)
    sparse_gram, sparse_centrality = similarities()
    np.testing.assert_allclose(dense_gram, sparse_gram, atol=1e-12)
    np.testing.assert_allclose(dense_centrality, sparse_centrality, atol=1e-12)
    assert dense_gram[-1, -1] == 0.0  # an empty bag is similar to nothing
    np.testing.assert_allclose(np.diag(dense_gram)[:-1], 1.0)


def test_summary_is_the_same_with_sparse_matrices(
    summary: Summary, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(vectors, "DENSE_GRAM_WORK", 0)
    assert summarize(STORY) == summary


# --- sentence filters ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("الرياض - واس - أعلن الوزير افتتاح المشروع.", "أعلن الوزير افتتاح المشروع."),
        ("جدة (واس) - أعلن الوزير افتتاح المشروع.", "أعلن الوزير افتتاح المشروع."),
        ("مكة المكرمة – أعلن الوزير افتتاح المشروع.", "أعلن الوزير افتتاح المشروع."),
        ("قال الوزير: إن المشروع جاهز.", "قال الوزير: إن المشروع جاهز."),
        ("أعلن الوزير افتتاح المشروع.", "أعلن الوزير افتتاح المشروع."),
    ],
)
def test_dateline_prefix_is_stripped(text: str, expected: str) -> None:
    start = strip_dateline(text, 0, len(text))
    assert text[start:] == expected


@pytest.mark.parametrize(
    ("sentence", "dangling"),
    [
        ("وأضاف أن المشروع سيكتمل العام المقبل.", True),
        ("وقالت إن الحادث وقع صباح اليوم.", True),
        ("وقال في بيان إن الحادث وقع صباح اليوم.", True),
        ("وأوضح: المشروع سيكتمل العام المقبل.", True),
        ("وأضاف الوزير أن المشروع سيكتمل العام المقبل.", False),
        ("وافتتح الوزير المشروع صباح اليوم.", False),
    ],
)
def test_sentences_without_their_speaker_are_detected(sentence: str, dangling: bool) -> None:
    assert starts_without_subject(sentence, tokenize(sentence)) is dangling


def test_filters_for_fragments_bylines_and_preambles() -> None:
    assert is_fragment("الاحتمال الأكبر هو أن يكون الأمر هجوما انتحاريا».")
    assert is_fragment('وقال "إن الوضع تحت السيطرة.')
    assert not is_fragment("وقال «إن الوضع تحت السيطرة» في بيان.")
    assert is_byline("كتب: محمد العتيبي", 3)
    assert not is_byline("كتبت الصحيفة عن المشروع الجديد في المدينة وأثره على السكان والاقتصاد", 12)
    preamble = "صدر عن الديوان الملكي البيان التالي فيما يلي نصه:"
    assert announces_text(preamble, tokenize(preamble))
    plain = "صدر أمر ملكي بتعيين الوزير الجديد."
    assert not announces_text(plain, tokenize(plain))


def test_lead_analysis_marks_unusable_sentences() -> None:
    body = (
        "جدة - واس - أعلن الدفاع المدني في جدة إنقاذ 120 شخصا من السيول التي اجتاحت أحياء "
        "المدينة.\nالأمير محمد بن سلمان خلال الاجتماع.\nكتب: محمد العتيبي\n"
        "وأضاف أن فرق الإنقاذ تعاملت مع أكثر من 300 بلاغ خلال ساعات قليلة.\n"
        "سمات جدة سيول الدفاع المدني أمطار إنقاذ"
    )
    lead = lead_analysis(body)
    assert [body[s.start : s.end][:4] for s in lead] == ["أعلن", "الأم", "كتب:", "وأضا", "سمات"]
    assert [s.eligible for s in lead] == [True, False, False, True, True]
    assert [s.dangling for s in lead] == [False, False, False, True, False]
    assert [s.unterminated for s in lead] == [False, False, True, False, True]
    assert "#120" in lead[0].stems  # numbers pin facts down


# --- alignment and selection -----------------------------------------------------------


def test_compound_sentence_credits_the_outlet_that_wrote_its_main_clause() -> None:
    compound = SourceDoc(
        1,
        "aawsat",
        T0,
        "",
        "أعلن رئيس الوزراء التركي أحمد داود أوغلو أن الشرطة التركية حددت هوية مشتبه به مرتبط "
        "بالهجوم الانتحاري على مدينة سروج الحدودية، في الوقت الذي وعدت فيه الحكومة التركية "
        "بتعزيز الإجراءات الأمنية على الحدود.",
    )
    clause = SourceDoc(
        2,
        "alyaum",
        T0,
        "",
        "وأعلن رئيس الوزراء التركي أحمد داود أوغلو أن الشرطة التركية حددت هوية مشتبه به "
        "مرتبط بالهجوم الانتحاري على مدينة سروج.",
    )
    other = SourceDoc(
        3,
        "okaz",
        T0,
        "",
        "أعلنت وزارة الصحة التركية نقل الجرحى إلى مستشفيات مدينة أورفة القريبة من الحدود "
        "السورية لتلقي العلاج اللازم.",
    )
    pool = prepare([compound, clause, other])
    long_index = next(i for i, c in enumerate(pool.candidates) if pool.docs[c.doc].key == 1)
    assert pool.outlets_of(long_index) == ("aawsat", "alyaum")


def test_weak_filler_is_not_added_to_fill_the_budget() -> None:
    pool = prepare(STORY)
    eligible = [i for i, c in enumerate(pool.candidates) if c.eligible]
    distinct = [i for i in eligible if pool.support()[i] == 1]  # one-outlet facts
    scores = np.zeros(len(pool.candidates))
    scores[distinct[0]] = 1.0
    scores[distinct[1]] = 0.3
    scores[distinct[2]] = 0.2  # below a quarter of the best: filler
    assert select_mmr(pool, scores, 10, 10_000) == [distinct[0], distinct[1]]


def test_sentence_adding_nothing_new_is_skipped() -> None:
    pool = prepare(STORY)
    chosen = select_mmr(pool, sentence_scores(pool), 10, 10_000)
    texts = [pool.text_of(i) for i in chosen]
    # Every rescue sentence says the same; only one of them may be chosen.
    assert sum("120" in text for text in texts) == 1
    assert sum("300" in text for text in texts) == 1


@settings(max_examples=40, deadline=None)
@given(
    picks=st.lists(
        st.tuples(st.integers(0, 3), st.sampled_from(ALL_OUTLETS), st.booleans()),
        min_size=1,
        max_size=6,
    ),
    max_sentences=st.integers(1, 6),
    max_chars=st.integers(1, 1200),
)
def test_invariants_hold_for_any_mix_of_articles(
    picks: list[tuple[int, str, bool]], max_sentences: int, max_chars: int
) -> None:
    docs = [
        SourceDoc(
            k, outlet, STORY[base].when, STORY[base].title if titled else "", STORY[base].text
        )
        for k, (base, outlet, titled) in enumerate(picks)
    ]
    result = summarize(docs, max_sentences=max_sentences, max_chars=max_chars)
    by_key = {d.key: d for d in docs}
    assert len(result.sentences) <= max_sentences
    assert len(" ".join(s.text for s in result.sentences)) <= max_chars
    for sentence in result.sentences:
        assert by_key[sentence.article].text[sentence.start : sentence.end] == sentence.text
        assert by_key[sentence.article].source in sentence.sources
        assert list(sentence.sources) == sorted(set(sentence.sources))
        assert set(sentence.sources) <= {d.source for d in docs}
    assert summarize(docs[::-1], max_sentences=max_sentences, max_chars=max_chars) == result
    assert result.headline in {d.title for d in docs} or not any(d.title for d in docs)
