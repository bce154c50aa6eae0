"""The topical word-class features of the learned join and merge (``topic_classes``): the
same subject told in other words scores higher than another subject, the bags survive a
saved state and merges, and a model that weighs them refuses to run without them."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from marsad.cluster.stories import (
    FEATURES,
    MERGE_FEATURES,
    ClusterDoc,
    ClusterSettings,
    JoinModel,
    MergeModel,
    StoryClusterer,
    make_cluster_doc,
)
from marsad.text.word_classes import shipped_word_clusters, topical_classes_of_stems

T0 = datetime(2015, 7, 20, 8, 0)

# Invented: one bombing told twice in different words, and a festival in the same town.
BOMBING = (
    "انفجار في سوروج يقتل ثلاثين شخصا",
    "قتل ثلاثون شخصا في انفجار استهدف تجمعا للشباب في بلدة سوروج التركية قرب الحدود السورية.",
)
BOMBING_REWORDED = (
    "هجوم انتحاري يودي بحياة العشرات جنوب تركيا",
    "أودى هجوم انتحاري بحياة عشرات الأشخاص في مدينة سروج جنوب تركيا قرب الحدود مع سوريا.",
)
FESTIVAL = (
    "افتتاح مهرجان للفنون الشعبية في سوروج",
    "افتتح في بلدة سوروج التركية مهرجان للفنون الشعبية والموسيقى بمشاركة فرق من عدة مدن، "
    "ويستمر المهرجان أسبوعا تعرض خلاله الأزياء والأغاني التراثية.",
)

needs_table = pytest.mark.skipif(
    not shipped_word_clusters(), reason="no shipped cluster table (make train-ner writes it)"
)


def _doc(key: int, text: tuple[str, str]) -> ClusterDoc:
    return make_cluster_doc(key, T0 + timedelta(hours=key), f"outlet{key}", *text)


def _features(
    settings: ClusterSettings, first: tuple[str, str], second: tuple[str, str]
) -> dict[str, float]:
    clusterer = StoryClusterer(settings)
    seen: list[tuple[float, ...]] = []
    clusterer.on_features = lambda _story, features: seen.append(features)
    clusterer.assign(_doc(0, first))
    clusterer.assign(_doc(1, second))
    assert seen  # the second article was scored against the first's story
    return dict(zip(FEATURES, seen[-1], strict=True))


@needs_table
def test_stems_spread_over_their_forms_classes_and_hamza_seats_are_read() -> None:
    for classes in (256, 1024):
        table = topical_classes_of_stems(classes)
        assert len(table) > 20_000
        for shares in list(table.values())[:500]:
            assert 1 <= len(shares) <= 4
            assert sum(share for _, share in shares) == pytest.approx(1.0)
    # The table spells رئيس as رييس (folded before ar-2); stems today fold the seat to ء.
    assert "رءيس" in topical_classes_of_stems(256)
    with pytest.raises(ValueError, match="256"):
        topical_classes_of_stems(64)


@needs_table
def test_the_same_subject_in_other_words_shares_topics_another_subject_does_not() -> None:
    on = ClusterSettings(topic_classes=256)
    reworded = _features(on, BOMBING, BOMBING_REWORDED)
    other = _features(on, BOMBING, FESTIVAL)
    for name in ("topic_lead", "topic_body"):
        assert reworded[name] > other[name] + 0.2, name
        assert reworded[name] <= 1.0 + 1e-9
    # Word overlap barely sees the rewording: the topical view is what adds.
    assert reworded["topic_body"] > 3 * reworded["body"]
    off = _features(ClusterSettings(), BOMBING, BOMBING_REWORDED)
    assert off["topic_lead"] == off["topic_body"] == 0.0
    assert {k: v for k, v in off.items() if not k.startswith("topic_")} == {
        k: v for k, v in reworded.items() if not k.startswith("topic_")
    }


@needs_table
def test_topic_bags_survive_a_saved_state() -> None:
    settings = ClusterSettings(topic_classes=1024)
    clusterer = StoryClusterer(settings)
    clusterer.assign(_doc(0, BOMBING))
    state = clusterer.export_state()
    assert all(row["topics"][0] and row["topics"][1] for row in state["stories"])
    resumed = StoryClusterer.from_state(state, settings)
    seen: list[tuple[float, ...]] = []
    for one in (clusterer, resumed):
        one.on_features = lambda _story, features: seen.append(features)
        one.assign(_doc(1, BOMBING_REWORDED))
    assert seen[0] == pytest.approx(seen[1])
    assert seen[0][FEATURES.index("topic_body")] > 0.0


@needs_table
def test_merge_candidates_carry_topic_cosines() -> None:
    # A strict join keeps the two tellings apart; the merge hook sees the pair.
    clusterer = StoryClusterer(ClusterSettings(join_threshold=0.9, topic_classes=256))
    seen: list[tuple[float, ...]] = []
    clusterer.on_merge_features = lambda _a, _b, features: seen.append(features)
    for key, text in enumerate((BOMBING, BOMBING_REWORDED, BOMBING, BOMBING_REWORDED)):
        clusterer.assign(_doc(key, text))
    assert seen
    named = dict(zip(MERGE_FEATURES, seen[-1], strict=True))
    assert named["topic_body"] > named["body"] and 0.0 < named["topic_lead"] <= 1.0 + 1e-9


def test_a_model_weighing_topics_needs_them_on() -> None:
    def weighing(names: tuple[str, ...]) -> tuple[float, ...]:
        return tuple(1.0 if name == "topic_body" else 0.0 for name in names)

    n, m = len(FEATURES), len(MERGE_FEATURES)
    join = JoinModel(weighing(FEATURES), 0.0, (0.0,) * n, (1.0,) * n, 0.5)
    merge = MergeModel(weighing(MERGE_FEATURES), 0.0, (0.0,) * m, (1.0,) * m, 0.5)
    with pytest.raises(ValueError, match="topic_body"):
        StoryClusterer(ClusterSettings(join_model=join))
    with pytest.raises(ValueError, match="topic_body"):
        StoryClusterer(ClusterSettings(merge_model=merge))
    # A model trained without them (weight 0) runs as before.
    blind = JoinModel((0.0,) * n, 0.0, (0.0,) * n, (1.0,) * n, 0.5)
    assert StoryClusterer(ClusterSettings(join_model=blind)).active_stories == 0


def test_training_leaves_out_a_feature_that_never_varies() -> None:
    # Without --topics the topical features are always 0: their scale would round to 0 and
    # every probability would divide by it.
    import importlib
    import sys
    from pathlib import Path

    import numpy as np

    scripts = str(Path(__file__).resolve().parents[1] / "scripts")
    sys.path.insert(0, scripts)
    try:
        training = importlib.import_module("train_story_join")
    finally:
        sys.path.remove(scripts)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 3))
    x[:, 1] = 0.0
    y = (x[:, 0] > 0).astype(int)
    weights, _bias, means, scales = training.fit_logistic(x, y)
    assert weights[1] == 0.0 and means[1] == 0.0 and scales[1] == 1.0
    assert weights[0] > 1.0 and all(scale > 0 for scale in scales)


def test_the_topics_configuration_switches_its_classes_on() -> None:
    from marsad.cluster.stories import learned_settings
    from marsad.settings import settings_from

    learned = learned_settings("decayed-no-gaps-topics")
    assert learned.topic_classes == 1024
    assert learned.join_model is not None and learned.merge_model is not None
    lead = FEATURES.index("topic_lead")
    assert learned.join_model.weights[lead] > 0  # trained with it: it raises the join's odds
    assert learned.join_model.weights[FEATURES.index("topic_body")] == 0.0  # left out
    # A settings file naming it gets its classes (the clusterer would refuse it without).
    chosen = settings_from({"cluster": {"join_model": "decayed-no-gaps-topics"}}).cluster
    assert chosen.topic_classes == 1024
    assert StoryClusterer(chosen).active_stories == 0
    assert settings_from({"cluster": {"join_model": "decayed-no-gaps"}}).cluster.topic_classes == 0


@needs_table
def test_body_bags_are_kept_only_where_a_model_can_weigh_them() -> None:
    from marsad.cluster.stories import learned_settings

    shipped = StoryClusterer(learned_settings("decayed-no-gaps-topics"))  # leaves topic_body out
    recording = StoryClusterer(ClusterSettings(topic_classes=1024))  # no model: training
    for clusterer in (shipped, recording):
        clusterer.assign(_doc(0, BOMBING))
    (kept,) = shipped.export_state()["stories"]
    (both,) = recording.export_state()["stories"]
    assert kept["topics"][0] and not kept["topics"][1]
    assert both["topics"][0] and both["topics"][1]
