"""The learned story-merge decision (stage 2): when two stories that grew side by side are
merged, what it never merges, what it tells the training hook, and the redirect it leaves."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from tests.story_fixtures import SUNDAY, market_session

from marsad.cluster.stories import (
    MERGE_FEATURES,
    ClusterSettings,
    MergeModel,
    StoryClusterer,
    make_cluster_doc,
)
from marsad.models import RawArticle
from marsad.pipeline import Pipeline, Settings
from marsad.store import Store
from marsad.text.arabic import NORMALIZER_VERSION

# Two angles of one invented bombing (the scene, the claim), each told twice: a strict join
# keeps the angles apart, so the event grows as two stories side by side.
SCENE = (
    "انفجار يهز مسجدا في أبها أثناء صلاة الظهر",
    "هز انفجار قوي مسجدا تابعا لقوات الطوارئ في مدينة أبها أثناء صلاة الظهر، وسارعت فرق "
    "الهلال الأحمر والدفاع المدني إلى موقع الانفجار ونقلت المصابين إلى مستشفى عسير المركزي، "
    "وطوقت قوات الأمن المسجد والطرق المؤدية إليه.",
)
SCENE_2 = (
    "انفجار داخل مسجد في أبها وقت صلاة الظهر",
    "وقع انفجار قوي داخل مسجد تابع لقوات الطوارئ في مدينة أبها وقت صلاة الظهر، ونقلت فرق "
    "الهلال الأحمر المصابين إلى مستشفى عسير المركزي، فيما طوقت قوات الأمن المسجد.",
)
CLAIM = (
    "تنظيم داعش يتبنى تفجير مسجد قوات الطوارئ في أبها",
    "أعلن تنظيم داعش في بيان نشره على الإنترنت مسؤوليته عن تفجير مسجد قوات الطوارئ في "
    "مدينة أبها، وقال إن انتحاريا نفذ الهجوم بحزام ناسف أثناء صلاة الظهر.",
)
CLAIM_2 = (
    "داعش يعلن مسؤوليته عن تفجير مسجد الطوارئ بأبها",
    "تبنى تنظيم داعش في بيان تفجير مسجد قوات الطوارئ في مدينة أبها، مؤكدا أن انتحاريا "
    "فجر حزامه الناسف في المصلين أثناء صلاة الظهر.",
)
BOMBING = (SCENE, CLAIM, SCENE_2, CLAIM_2)


def _model(*, bias: float = 0.0, hand_weight: float = 0.0) -> MergeModel:
    """A merge model that looks only at the hand-weighted similarity (standardized around
    0.2 with scale 0.05), or only at its bias."""
    weights = [0.0] * len(MERGE_FEATURES)
    weights[MERGE_FEATURES.index("hand_score")] = hand_weight
    means = [0.0] * len(MERGE_FEATURES)
    means[MERGE_FEATURES.index("hand_score")] = 0.2
    scales = [1.0] * len(MERGE_FEATURES)
    scales[MERGE_FEATURES.index("hand_score")] = 0.05
    return MergeModel(tuple(weights), bias, tuple(means), tuple(scales), 0.5)


def _strict(model: MergeModel | None) -> ClusterSettings:
    return ClusterSettings(join_threshold=0.45, merge_model=model)


def _bombing(settings: ClusterSettings) -> tuple[StoryClusterer, list[int]]:
    clusterer = StoryClusterer(settings)
    stories = []
    for key, (title, body) in enumerate(BOMBING):
        doc = make_cluster_doc(key, SUNDAY + timedelta(hours=key), f"outlet{key}", title, body)
        stories.append(clusterer.assign(doc).story)
    return clusterer, stories


def test_a_model_that_sees_one_event_merges_the_side_by_side_stories() -> None:
    clusterer, stories = _bombing(_strict(_model(hand_weight=1.0)))
    [merge] = clusterer.take_merges()
    assert (merge.into, merge.merged) == (stories[0], stories[1])
    assert merge.score >= 0.5  # the model's probability, not the raw similarity
    assert stories[2] == stories[3] == stories[0]
    assert clusterer.active_stories == 1


def test_a_model_that_sees_two_events_keeps_them_apart() -> None:
    clusterer, stories = _bombing(_strict(_model(bias=-60.0)))
    assert clusterer.take_merges() == []
    assert stories[0] == stories[2] != stories[1] == stories[3]
    assert clusterer.active_stories == 2


def test_the_training_hook_sees_pair_features_without_merging() -> None:
    clusterer = StoryClusterer(_strict(None))
    seen: list[tuple[int, int, tuple[float, ...]]] = []
    clusterer.on_merge_features = lambda a, b, f: seen.append((a, b, f))
    stories = []
    for key, (title, body) in enumerate(BOMBING):
        doc = make_cluster_doc(key, SUNDAY + timedelta(hours=key), f"outlet{key}", title, body)
        stories.append(clusterer.assign(doc).story)
    assert clusterer.take_merges() == []  # recording alone merges nothing
    assert seen
    first, second, features = seen[-1]
    assert {first, second} == {stories[0], stories[1]}
    assert len(features) == len(MERGE_FEATURES)
    named = dict(zip(MERGE_FEATURES, features, strict=True))
    assert 0.0 < named["body"] <= 1.0 + 1e-9
    assert named["span_gap"] == 0.0  # the two stories' spans overlap
    assert named["log_small"] <= named["log_large"]


def test_even_a_model_that_merges_everything_keeps_market_sessions_apart() -> None:
    clusterer = StoryClusterer(ClusterSettings(merge_model=_model(bias=60.0)))
    stories = []
    for key, (when, source, title, body) in enumerate(
        market_session(day, outlet) for day in range(3) for outlet in range(2)
    ):
        stories.append(clusterer.assign(make_cluster_doc(key, when, source, title, body)).story)
        clusterer.take_merges()
    assert stories[0] == stories[1]  # one session, two outlets
    assert len({stories[0], stories[2], stories[4]}) == 3  # three sessions, three stories


def test_a_merged_story_id_redirects_in_the_store(tmp_path: Path) -> None:
    articles = [
        RawArticle(
            ext_id=f"a{key}",
            source=f"outlet{key}",
            date=SUNDAY + timedelta(hours=key),
            title=title,
            text=body,
        )
        for key, (title, body) in enumerate(BOMBING)
    ]
    settings = Settings(extract=False, cluster=_strict(_model(hand_weight=1.0)))
    store = Store(tmp_path / "m.db", normalizer_version=NORMALIZER_VERSION)
    try:
        Pipeline(store, settings).ingest(articles)
        stories = store.story_assignments()
        assert len(set(stories.values())) == 1  # all four in one story
        kept = next(iter(stories.values()))
        redirected = store.rows("SELECT story_id, into_id FROM story_redirects")
        assert len(redirected) == 1
        assert redirected[0]["into_id"] == kept
        assert store.story_redirect(int(redirected[0]["story_id"])) == kept
        assert store.story(int(redirected[0]["story_id"])) is None
    finally:
        store.close()


def test_the_shipped_merge_model_matches_the_features() -> None:
    from marsad.cluster.stories import shipped_merge_model

    try:
        model = shipped_merge_model()
    except FileNotFoundError:
        pytest.skip("no shipped merge model (make train-stories writes it)")
    assert len(model.weights) == len(MERGE_FEATURES)
    assert 0.0 < model.threshold < 1.0
