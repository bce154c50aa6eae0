"""Tests for incremental story clustering on synthetic Arabic mini-stories."""

from __future__ import annotations

import heapq
import itertools
import json
import operator
import random
from datetime import datetime, timedelta
from typing import Any

import pytest

from marsad.cluster.stories import (
    FEATURES,
    ClusterDoc,
    ClusterSettings,
    JoinModel,
    StoryClusterer,
    _Centroid,
    _number_agreement,
    _place_conflict,
    _places,
    _top,
    cluster_all,
    make_cluster_doc,
    shipped_join_model,
)
from marsad.text.arabic import content_stems, tokenize

T0 = datetime(2015, 7, 21, 6, 0)

# (label, hours after T0, source, title, body). Labels name the gold story.
ARTICLES = [
    (
        "oil",
        0,
        "aleqtisadiya",
        "ارتفاع أسعار النفط مع تراجع المخزونات الأمريكية",
        "ارتفعت أسعار النفط الخام في تعاملات اليوم بعد أن أظهرت بيانات رسمية تراجع المخزونات "
        "الأمريكية للأسبوع الثالث على التوالي. وصعد خام برنت بنسبة اثنين في المئة ليصل إلى ستين "
        "دولارا للبرميل، فيما ارتفع الخام الأمريكي إلى خمسة وخمسين دولارا.",
    ),
    (
        "weather",
        1,
        "alriyadh",
        "الأرصاد تتوقع أمطارا رعدية على المرتفعات الجنوبية",
        "توقعت الهيئة العامة للأرصاد وحماية البيئة هطول أمطار رعدية متوسطة إلى غزيرة على مرتفعات "
        "منطقتي عسير والباحة خلال الأيام الثلاثة المقبلة، مع رياح نشطة مثيرة للأتربة على أجزاء من "
        "المنطقة الشرقية. ودعت الهيئة المواطنين إلى الابتعاد عن مجاري السيول.",
    ),
    (
        "jeddah_fire",
        2,
        "sabq",
        "الدفاع المدني يخمد حريقا في مصنع للبلاستيك بجدة",
        "تمكنت فرق الدفاع المدني في محافظة جدة صباح اليوم من إخماد حريق اندلع في مصنع للبلاستيك "
        "بالمنطقة الصناعية جنوب المدينة، وأسفر الحادث عن إصابة ثلاثة عمال بحالات اختناق نقلوا إلى "
        "مستشفى الملك فهد. وقال المتحدث الرسمي للدفاع المدني بمنطقة مكة المكرمة العقيد سعيد "
        "السرحاني إن البلاغ ورد عند الساعة السادسة صباحا، وإن الفرق باشرت الحريق فور وصولها وسيطرت "
        "عليه خلال ساعتين. وأضاف أن التحقيقات جارية لمعرفة أسباب الحريق.",
    ),
    (
        "jazan_fire",
        3,
        "alwatan",
        "حريق في مستشفى جازان العام وإخلاء المرضى",
        "اندلع حريق اليوم في الطابق الثاني من مستشفى جازان العام، ما استدعى إخلاء أكثر من خمسين "
        "مريضا إلى مستشفيات قريبة. وقال المتحدث باسم الدفاع المدني بمنطقة جازان المقدم يحيى "
        "القحطاني إن الحريق نتج عن تماس كهربائي في غرفة التكييف، مؤكدا عدم تسجيل أي إصابات بين "
        "المرضى أو العاملين. وأشار إلى أن الفرق أخمدت الحريق خلال أربعين دقيقة.",
    ),
    (
        "jeddah_fire",
        4,
        "okaz",
        "إصابة 3 عمال في حريق مصنع بلاستيك جنوب جدة",
        "أصيب ثلاثة عمال باختناق جراء حريق شب فجر اليوم في مصنع لإنتاج البلاستيك في المنطقة "
        "الصناعية بجدة. وأوضح العقيد سعيد السرحاني المتحدث باسم الدفاع المدني في منطقة مكة المكرمة "
        "أن فرق الإطفاء سيطرت على النيران بعد ساعتين من العمل المتواصل، مشيرا إلى أن المصابين نقلوا "
        "إلى مستشفى الملك فهد بجدة وحالتهم مستقرة. ولم تعرف بعد أسباب اندلاع الحريق.",
    ),
    (
        "education",
        5,
        "almadina",
        "وزارة التعليم تعلن موعد بداية العام الدراسي",
        "أعلنت وزارة التعليم أن العام الدراسي الجديد سيبدأ في الثالث والعشرين من أغسطس المقبل "
        "لجميع المراحل، داعية أولياء الأمور إلى الاستعداد المبكر. وأوضح المتحدث باسم الوزارة أن "
        "الكتب المدرسية وصلت إلى جميع إدارات التعليم في المناطق.",
    ),
    (
        "jazan_fire",
        6,
        "okaz",
        "إخلاء 50 مريضا إثر حريق بمستشفى جازان",
        "أخلت فرق الدفاع المدني خمسين مريضا من مستشفى جازان العام بعد اندلاع حريق بسبب تماس "
        "كهربائي في غرفة التكييف بالطابق الثاني. وأكد المقدم يحيى القحطاني المتحدث الرسمي للدفاع "
        "المدني في جازان أن الحريق أخمد في أقل من ساعة دون إصابات، وأن المرضى نقلوا إلى مستشفيات "
        "مجاورة مؤقتا.",
    ),
    (
        "derby",
        12,
        "arriyadiyah",
        "الهلال يتغلب على النصر بهدفين نظيفين",
        "حقق فريق الهلال فوزا مستحقا على منافسه النصر بهدفين دون مقابل في المباراة التي جمعتهما "
        "مساء أمس على استاد الملك فهد الدولي بالرياض ضمن الجولة الخامسة من دوري المحترفين. وسجل "
        "هدفي الهلال المهاجم ناصر الشمراني في الدقيقتين العشرين والسبعين. وبهذا الفوز رفع الهلال "
        "رصيده إلى ثلاث عشرة نقطة في صدارة الترتيب.",
    ),
    (
        "aden",
        14,
        "aawsat",
        "التحالف يعلن استعادة مطار عدن",
        "أعلن التحالف العربي بقيادة المملكة استعادة السيطرة الكاملة على مطار عدن الدولي بعد معارك "
        "عنيفة مع ميليشيات الحوثي، مؤكدا أن الطائرات المحملة بالمساعدات الإنسانية بدأت الهبوط في "
        "المطار. وقال المتحدث باسم التحالف إن القوات تواصل تقدمها نحو مناطق أخرى في المدينة.",
    ),
    (
        "derby",
        16,
        "sabq",
        "الشمراني يقود الهلال لهزيمة النصر",
        "قاد المهاجم ناصر الشمراني فريقه الهلال إلى الفوز على النصر بهدفين نظيفين في ديربي العاصمة "
        "الذي أقيم على استاد الملك فهد الدولي. وسجل الشمراني الهدف الأول في الدقيقة العشرين قبل أن "
        "يضيف الثاني في الدقيقة السبعين، ليعتلي الهلال صدارة دوري المحترفين برصيد ثلاث عشرة نقطة.",
    ),
    (
        "jeddah_fire",
        26,
        "alwatan",
        "التحقيق في أسباب حريق مصنع البلاستيك بجدة",
        "بدأت الجهات المختصة في جدة التحقيق في أسباب الحريق الذي اندلع أمس في مصنع للبلاستيك "
        "بالمنطقة الصناعية، وأدى إلى إصابة ثلاثة عمال. وذكر الدفاع المدني أن المصنع كان يفتقر إلى "
        "بعض اشتراطات السلامة، وأن فرق الإطفاء احتاجت ساعتين للسيطرة على النيران في مصنع البلاستيك.",
    ),
]


def build_docs() -> list[ClusterDoc]:
    return [
        make_cluster_doc(key, T0 + timedelta(hours=hours), source, title, body)
        for key, (_, hours, source, title, body) in enumerate(ARTICLES)
    ]


@pytest.fixture(scope="module")
def docs() -> list[ClusterDoc]:
    return build_docs()


def test_paraphrases_join_and_same_kind_events_stay_apart(docs: list[ClusterDoc]) -> None:
    stories = cluster_all(docs)
    by_label: dict[str, set[int]] = {}
    for key, (label, *_rest) in enumerate(ARTICLES):
        by_label.setdefault(label, set()).add(stories[key])
    # Every gold story maps to exactly one predicted story, and no two share one.
    assert all(len(ids) == 1 for ids in by_label.values()), by_label
    assert len({next(iter(ids)) for ids in by_label.values()}) == len(by_label)


def test_assignment_flags_and_ids(docs: list[ClusterDoc]) -> None:
    clusterer = StoryClusterer(next_story_id=100)
    first = clusterer.assign(docs[0])
    assert first.is_new and first.story == 100
    second = clusterer.assign(docs[1])
    assert second.is_new and second.story == 101
    clusterer.assign(docs[2])
    clusterer.assign(docs[3])
    joined = clusterer.assign(docs[4])  # second report of the Jeddah fire
    assert not joined.is_new
    assert joined.story == 102
    assert joined.score >= ClusterSettings().join_threshold


def test_state_round_trip_continues_identically(docs: list[ClusterDoc]) -> None:
    uninterrupted = StoryClusterer()
    expected = [uninterrupted.assign(doc) for doc in docs]
    for cut in (3, 7):
        first = StoryClusterer()
        got = [first.assign(doc) for doc in docs[:cut]]
        state = json.loads(json.dumps(first.export_state(), ensure_ascii=False))
        resumed = StoryClusterer.from_state(state, ClusterSettings())
        got += [resumed.assign(doc) for doc in docs[cut:]]
        assert got == expected
        assert _without_clocks(resumed.export_state()) == _without_clocks(
            uninterrupted.export_state()
        )


def _without_clocks(state: dict[str, Any]) -> dict[str, Any]:
    """A state less its writers' clocks, which carry the wall time of their last batch."""
    return {key: value for key, value in state.items() if key != "clocks"}


def test_old_stories_expire_and_are_not_joined(docs: list[ClusterDoc]) -> None:
    settings = ClusterSettings(window_days=2.0)
    clusterer = StoryClusterer(settings)
    original = clusterer.assign(docs[2])
    late = docs[4]
    late_copy = ClusterDoc(
        key=99,
        when=late.when + timedelta(days=10),
        source=late.source,
        title_stems=late.title_stems,
        stems=late.stems,
        names=late.names,
    )
    assert clusterer.active_stories == 1
    result = clusterer.assign(late_copy)
    assert result.is_new and result.story != original.story
    assert clusterer.active_stories == 1  # the old story was forgotten


def test_time_decay_lowers_score(docs: list[ClusterDoc]) -> None:
    def score_after(delay: timedelta) -> float:
        clusterer = StoryClusterer(ClusterSettings(window_days=30.0))
        clusterer.assign(docs[2])
        later = docs[4]
        when = docs[2].when + delay
        moved = ClusterDoc(
            later.key, when, later.source, later.title_stems, later.stems, later.names
        )
        return clusterer.assign(moved).score

    assert score_after(timedelta(days=6)) < score_after(timedelta(hours=1))


def test_cluster_doc_features() -> None:
    doc = make_cluster_doc(1, T0, "okaz", ARTICLES[4][3], ARTICLES[4][4])
    assert doc.title_stems and doc.stems
    assert any(name.startswith("3 ") for name in doc.names)  # "3 عمال" number key
    assert any(" " in name for name in doc.names)
    tokens_doc = make_cluster_doc(1, T0, "okaz", "", "", title_tokens=[], body_tokens=[])
    assert tokens_doc.stems == () and tokens_doc.names == ()


def test_add_to_story_and_state_version(docs: list[ClusterDoc]) -> None:
    clusterer = StoryClusterer(ClusterSettings(window_days=1.0))
    story = clusterer.assign(docs[2]).story
    assert clusterer.add_to_story(story, docs[4])
    late = ClusterDoc(99, docs[4].when + timedelta(days=5), "x", (), docs[0].stems, ())
    assert not clusterer.add_to_story(story, late)  # expired by then
    state = clusterer.export_state()
    state["version"] = -1
    with pytest.raises(ValueError, match="version"):
        StoryClusterer.from_state(state)


def test_extra_names_are_added() -> None:
    doc = make_cluster_doc(1, T0, "okaz", "عنوان", "نص الخبر", extra_names=["per:كارتر", ""])
    assert "per:كارتر" in doc.names
    assert "" not in doc.names
    assert StoryClusterer().assign(doc).is_new


def test_active_stories_are_capped_without_dates(docs: list[ClusterDoc]) -> None:
    clusterer = StoryClusterer(ClusterSettings(max_active_stories=3))
    undated = [ClusterDoc(d.key, T0, d.source, d.title_stems, d.stems, d.names) for d in docs]
    for doc in undated:
        clusterer.assign(doc)
    assert clusterer.active_stories == 3


def test_peek_leaves_state_alone(docs: list[ClusterDoc]) -> None:
    clusterer = StoryClusterer()
    first = clusterer.assign(docs[2])
    before = _without_clocks(clusterer.export_state())
    peeked = clusterer.peek(docs[4])  # second report of the same fire
    assert peeked.story == first.story and peeked.score >= ClusterSettings().join_threshold
    assert not peeked.is_new and peeked.profile
    assert _without_clocks(clusterer.export_state()) == before
    assert clusterer.peek(docs[0]).is_new  # oil prices: no such story
    assert clusterer.peek(docs[4]) == clusterer.assign(docs[4])  # what assign then does


def test_distant_periods_cluster_alike_in_any_order(docs: list[ClusterDoc]) -> None:
    """Time-local IDF: the same articles 30 days later (another writer's period) neither
    join the first period's stories nor change a decision or a score there, whether one
    writer runs them after or before, or two writers run them at once (exchanging deltas
    after every article, as writers sharing a store do)."""
    later = [
        ClusterDoc(
            doc.key + 1000,
            doc.when + timedelta(days=30),
            doc.source,
            doc.title_stems,
            doc.stems,
            doc.names,
        )
        for doc in docs
    ]
    Outcome = dict[int, tuple[int, float]]

    def assign(clusterer: StoryClusterer, doc: ClusterDoc, got: Outcome) -> None:
        assignment = clusterer.assign(doc)
        got[doc.key] = (assignment.story, round(assignment.score, 9))

    def sequential(order: list[ClusterDoc]) -> Outcome:
        clusterer, got = StoryClusterer(), {}
        for doc in order:
            assign(clusterer, doc, got)
        return got

    def together() -> Outcome:
        first, second, got = StoryClusterer(), StoryClusterer(), {}
        first.set_writer("first")
        second.set_writer("second")
        for early, late in zip(docs, later, strict=True):
            for writer, other, doc in ((first, second, early), (second, first, late)):
                assign(writer, doc, got)
                other.apply_changes(json.loads(json.dumps(writer.take_changes())))
        return got

    def shape(got: Outcome, keys: list[int]) -> tuple[list[int], list[float]]:
        """Each article's story as the rank of its first article, and the scores."""
        firsts: dict[int, int] = {}
        return [firsts.setdefault(got[k][0], len(firsts)) for k in keys], [got[k][1] for k in keys]

    early_keys, late_keys = [doc.key for doc in docs], [doc.key for doc in later]
    alone = shape(sequential(docs), early_keys)
    for got in (sequential(docs + later), sequential(later + docs), together()):
        assert shape(got, early_keys) == alone
        assert shape(got, late_keys) == alone  # the same texts, a month on: the same stories
        assert {got[k][0] for k in early_keys}.isdisjoint({got[k][0] for k in late_keys})


def test_numbers_agree_or_conflict_by_noun() -> None:
    story = {"27 قتل": 0.5, "3 جرح": 0.2, "مطار عدن": 0.3}
    assert _number_agreement({"27 قتل": 1.0}, story) == (1.0, 0.0)
    assert _number_agreement({"30 قتل": 1.0, "3 جرح": 1.0}, story) == (1.0, 1.0)
    assert _number_agreement({"مطار عدن": 1.0}, story) == (0.0, 0.0)


def test_a_join_model_decides_and_the_hook_sees_every_candidate(docs: list[ClusterDoc]) -> None:
    def model(bias: float) -> JoinModel:
        n = len(FEATURES)
        return JoinModel((0.0,) * n, bias, (0.0,) * n, (1.0,) * n, threshold=0.5)

    # model_min_docs=0: the model decides from the first article (no warm-up).
    never = StoryClusterer(ClusterSettings(join_model=model(-10.0), model_min_docs=0))
    assert len({never.assign(doc).story for doc in docs}) == len(docs)
    always = StoryClusterer(ClusterSettings(join_model=model(10.0), model_min_docs=0))
    seen: list[tuple[int, tuple[float, ...]]] = []
    always.on_features = lambda story, features: seen.append((story, features))
    stories = [always.assign(doc) for doc in docs]
    assert seen and all(len(features) == len(FEATURES) for _, features in seen)
    # Every article with a candidate joins one: far fewer stories than hand-weighted.
    assert sum(a.is_new for a in stories) < sum(
        a.is_new for a in map(StoryClusterer(ClusterSettings(join_model=None)).assign, docs)
    )


def test_the_hand_rule_decides_until_the_idf_statistics_are_warm(docs: list[ClusterDoc]) -> None:
    def never() -> JoinModel:
        n = len(FEATURES)
        return JoinModel((0.0,) * n, -10.0, (0.0,) * n, (1.0,) * n, threshold=0.5)

    hand = [a.story for a in map(StoryClusterer(ClusterSettings()).assign, docs)]
    young = StoryClusterer(ClusterSettings(join_model=never(), model_min_docs=len(docs) + 1))
    assert [young.assign(doc).story for doc in docs] == hand
    assert len(set(hand)) < len(docs)  # the hand rule joins some: the check can fail
    warm = StoryClusterer(ClusterSettings(join_model=never(), model_min_docs=2))
    stories = [warm.assign(doc).story for doc in docs]
    assert len(set(stories)) > len(set(hand))  # once warm, the model (joining none) decides


def _title_places(title: str) -> dict[str, set[int]]:
    return _places(content_stems(tokenize(title)))


def test_titles_naming_different_places_of_one_level_conflict() -> None:
    jeddah = _title_places("الدفاع المدني يخمد حريقا في مستودع بجدة")
    kharj = _title_places("الدفاع المدني يخمد حريقا في مستودع بالخرج")
    saudi = _title_places("السعودية تدين الهجوم")
    assert jeddah and kharj and saudi
    assert _place_conflict(jeddah, kharj) == 1.0
    assert _place_conflict(jeddah, _title_places("حريق جدة: التحقيق يبدأ")) == 0.0
    # A country and a city are not of one level: Jeddah is in Saudi Arabia.
    assert _place_conflict(jeddah, saudi) == 0.0 and _place_conflict(saudi, jeddah) == 0.0
    # Spelling variants are one place; a word that is also a place name is left out.
    assert (
        _place_conflict(_title_places("زيارة إلى أستانا"), _title_places("محادثات أستانة")) == 0.0
    )
    assert not _title_places("بالصور: افتتاح المعرض")


def test_conflict_features_see_what_one_side_names_and_the_other_never_does() -> None:
    def doc(key: int, title: str, body: str) -> ClusterDoc:
        return make_cluster_doc(key, T0 + timedelta(hours=key), "sabq", title, body)

    body = "اندلع حريق في مستودع للأخشاب في {} وتمكنت فرق الدفاع المدني من السيطرة عليه دون إصابات."
    clusterer = StoryClusterer(ClusterSettings(join_model=None))
    seen: list[tuple[float, ...]] = []
    clusterer.on_features = lambda _story, features: seen.append(features)
    clusterer.assign(doc(0, "حريق مستودع في جدة", body.format("جدة")))
    clusterer.assign(doc(1, "حريق مستودع في جدة", body.format("جدة")))
    same = seen[-1]
    clusterer.assign(doc(2, "حريق مستودع في الخرج", body.format("الخرج")))
    other = seen[-1]
    named = {name: FEATURES.index(name) for name in FEATURES}
    for feature in ("title_novel", "lead_novel", "story_missing", "place_conflict"):
        assert other[named[feature]] > same[named[feature]], feature
    assert same[named["place_conflict"]] == 0.0 and other[named["place_conflict"]] == 1.0


def test_the_shipped_join_model_matches_the_features() -> None:
    model = shipped_join_model()
    assert len(model.weights) == len(FEATURES) and 0.0 < model.threshold < 1.0
    assert ClusterSettings().join_model is None  # not the default until it wins on validation


def test_centroid_cosine_equals_the_sum_over_every_query_term() -> None:
    # cosine() multiplies only the terms both sides hold; in the query's order that is the
    # sum over all query terms (the others add +0.0) to the last bit.

    rng = random.Random(7)
    vocabulary = [f"t{i}" for i in range(60)]
    for _ in range(500):
        sums = {t: round(rng.random() * 3, 6) for t in rng.sample(vocabulary, rng.randint(0, 40))}
        centroid = _Centroid(sums, norm=rng.random() + 0.1)
        query = {t: rng.random() * 9 for t in rng.sample(vocabulary, rng.randint(0, 35))}
        every_term = sum(
            map(operator.mul, query.values(), map(sums.get, query, itertools.repeat(0.0)))
        )
        assert centroid.cosine(query).hex() == (every_term / centroid.norm).hex()


def test_top_terms_are_heapq_nlargest_ties_included() -> None:

    weights = {"a": 0.5, "b": 0.9, "c": 0.5, "d": 0.1, "e": 0.9, "f": 0.5}
    for count in range(8):
        expected = heapq.nlargest(count, weights, key=weights.__getitem__)
        assert _top(weights, count) == expected
    assert _top(weights, 3) == ["b", "e", "a"]


def test_forget_changes_starts_tracking_afresh(docs: list[ClusterDoc]) -> None:
    clusterer = StoryClusterer()
    for doc in docs[:3]:
        clusterer.assign(doc)
    clusterer.forget_changes()
    nothing = clusterer.take_changes()
    assert nothing["stories"] == [] and nothing["days"] == {}
    clusterer.assign(docs[3])
    assert clusterer.take_changes()["stories"]  # tracked again after forgetting
