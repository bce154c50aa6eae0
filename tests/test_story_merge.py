"""Story merges (clusterer decision, store redirect, CLI/API/web) and the guard that keeps
recurring and template news of different instances apart."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from tests.story_fixtures import SUNDAY, market_session

from marsad.cli.main import main
from marsad.cluster.stories import (
    ClusterSettings,
    StoryClusterer,
    event_days,
    make_cluster_doc,
)
from marsad.errors import StoreError
from marsad.ingest import read_path
from marsad.pipeline import Pipeline
from marsad.store import Store
from marsad.store.redirects import create_story_redirects
from marsad.text.arabic import NORMALIZER_VERSION

DEMO = Path(__file__).resolve().parents[1] / "src" / "marsad" / "demo" / "corpus"

# --------------------------------------------------------------------------- clusterer

BOMBING_SCENE = (
    "انفجار يهز مسجدا في أبها أثناء صلاة الظهر",
    "هز انفجار قوي مسجدا تابعا لقوات الطوارئ في مدينة أبها أثناء صلاة الظهر، وسارعت فرق "
    "الهلال الأحمر والدفاع المدني إلى موقع الانفجار ونقلت المصابين إلى مستشفى عسير المركزي، "
    "وطوقت قوات الأمن المسجد والطرق المؤدية إليه.",
)
BOMBING_SCENE_2 = (
    "انفجار داخل مسجد في أبها وقت صلاة الظهر",
    "وقع انفجار قوي داخل مسجد تابع لقوات الطوارئ في مدينة أبها وقت صلاة الظهر، ونقلت فرق "
    "الهلال الأحمر المصابين إلى مستشفى عسير المركزي، فيما طوقت قوات الأمن المسجد.",
)
BOMBING_CLAIM = (
    "تنظيم داعش يتبنى تفجير مسجد قوات الطوارئ في أبها",
    "أعلن تنظيم داعش في بيان نشره على الإنترنت مسؤوليته عن تفجير مسجد قوات الطوارئ في "
    "مدينة أبها، وقال إن انتحاريا نفذ الهجوم بحزام ناسف أثناء صلاة الظهر.",
)
BOMBING_CLAIM_2 = (
    "داعش يعلن مسؤوليته عن تفجير مسجد الطوارئ بأبها",
    "تبنى تنظيم داعش في بيان تفجير مسجد قوات الطوارئ في مدينة أبها، مؤكدا أن انتحاريا "
    "فجر حزامه الناسف في المصلين أثناء صلاة الظهر.",
)


def _docs(*parts: tuple[int, tuple[str, str]]) -> list:
    return [
        make_cluster_doc(key, SUNDAY + timedelta(hours=key), f"outlet{key}", title, body)
        for key, (title, body) in parts
    ]


def _side_by_side(settings: ClusterSettings) -> tuple[StoryClusterer, list[int]]:
    """Two angles of one bombing, each reported twice: a strict join keeps them apart."""
    clusterer = StoryClusterer(settings)
    docs = _docs((0, BOMBING_SCENE), (1, BOMBING_CLAIM), (2, BOMBING_SCENE_2), (3, BOMBING_CLAIM_2))
    return clusterer, [clusterer.assign(doc).story for doc in docs]


STRICT = ClusterSettings(join_threshold=0.45)


def test_stories_grown_side_by_side_stay_apart_without_merge() -> None:
    _clusterer, stories = _side_by_side(STRICT)
    assert stories[0] == stories[2]
    assert stories[1] == stories[3]
    assert stories[0] != stories[1]


def test_stories_grown_side_by_side_merge_into_the_older() -> None:
    clusterer, stories = _side_by_side(ClusterSettings(join_threshold=0.45, merge_threshold=0.25))
    assert stories == [stories[0], stories[1], stories[0], stories[0]]
    [merge] = clusterer.take_merges()
    assert (merge.into, merge.merged) == (stories[0], stories[1])
    assert merge.score >= 0.25
    assert clusterer.take_merges() == []  # taken once
    assert clusterer.active_stories == 1


def test_merge_travels_to_another_writer_in_the_changes() -> None:
    first, _ = _side_by_side(STRICT)
    second = StoryClusterer.from_state(first.export_state(), STRICT)
    merging = StoryClusterer.from_state(
        first.export_state(), ClusterSettings(join_threshold=0.45, merge_threshold=0.25)
    )
    merging.take_changes()
    doc = _docs((4, BOMBING_CLAIM))[0]
    home = merging.assign(doc).story  # the claim story, now the larger, keeps its id
    changes = merging.take_changes()
    assert home == 2
    assert changes["merged"] == [1]
    assert second.active_stories == 2
    second.apply_changes(changes)
    assert second.active_stories == 1


def _cluster_markets(settings: ClusterSettings) -> list[int]:
    clusterer = StoryClusterer(settings)
    stories = []
    for key, (when, source, title, body) in enumerate(
        market_session(day, outlet) for day in range(3) for outlet in range(2)
    ):
        stories.append(clusterer.assign(make_cluster_doc(key, when, source, title, body)).story)
        clusterer.take_merges()
    return stories


def test_event_days_are_the_named_weekdays_and_dates() -> None:
    when = SUNDAY + timedelta(days=1)
    _, _, title, body = market_session(1, 0)
    monday = event_days(f"{title}\n{body}", when)
    assert len(monday) == 1
    assert event_days("أغلق السوق أمس على ارتفاع", when) == ()  # a bare "yesterday": no
    assert event_days("المباراة المقررة في 2 أغسطس", when) == (monday[0] - 1,)


def test_market_sessions_of_different_days_never_join() -> None:
    # The default guard; merges allowed at any similarity cannot join them either.
    guarded = _cluster_markets(ClusterSettings(merge_threshold=0.0))
    assert guarded[0] == guarded[1]  # one session, two outlets
    assert guarded[2] == guarded[3]
    assert guarded[4] == guarded[5]
    assert len({guarded[0], guarded[2], guarded[4]}) == 3


def test_market_sessions_join_across_days_without_the_guard() -> None:
    # The guard is what keeps them apart: the same template joins when it is off.
    unguarded = _cluster_markets(ClusterSettings(instance_factor=1.0))
    assert len(set(unguarded)) < 3


def _call(caller_country: str, hour: int) -> tuple[str, str]:
    return (
        f"خادم الحرمين الشريفين يتلقى اتصالا هاتفيا من رئيس {caller_country}",
        f"تلقى خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود اتصالا هاتفيا اليوم من "
        f"رئيس {caller_country}، جرى خلاله استعراض العلاقات الثنائية بين المملكة و{caller_country} "
        "وسبل تعزيزها في مختلف المجالات، إضافة إلى بحث مستجدات الأحداث الإقليمية والدولية.",
    )


def test_template_calls_between_different_pairs_never_join() -> None:
    settings = ClusterSettings(merge_threshold=0.0)  # the default guard, any merge allowed
    clusterer = StoryClusterer(settings)
    docs = _docs((0, _call("فرنسا", 0)), (1, _call("فرنسا", 1)), (2, _call("باكستان", 2)))
    stories = [clusterer.assign(doc).story for doc in docs]
    assert stories[0] == stories[1]
    assert stories[2] != stories[0]
    unguarded = StoryClusterer(ClusterSettings(instance_factor=1.0))
    assert len({unguarded.assign(doc).story for doc in docs}) == 1


# --------------------------------------------------------------------------- store


@pytest.fixture(scope="module")
def merged_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, int, int]:
    """The demo corpus stored, with its second-largest story merged into its largest."""
    path = tmp_path_factory.mktemp("merge") / "demo.db"
    store = Store(path, normalizer_version=NORMALIZER_VERSION)
    Pipeline(store).ingest(read_path(DEMO))
    rows = store.rows("SELECT id, n_articles FROM stories ORDER BY n_articles DESC, id")
    into, merged = int(rows[0]["id"]), int(rows[1]["id"])
    total = int(rows[0]["n_articles"]) + int(rows[1]["n_articles"])
    with store.transaction():
        store.merge_stories(into, merged)
    store.close()
    return path, into, merged, total


def test_merge_moves_articles_and_leaves_a_redirect(merged_db: tuple[Path, int, int, int]) -> None:
    path, into, merged, total = merged_db
    store = Store(path, normalizer_version=NORMALIZER_VERSION)
    try:
        assert store.story(merged) is None
        kept = store.story(into)
        assert kept is not None
        assert kept.n_articles == total == len(store.story_articles(into))
        assert store.story_articles(merged) == []
        assert store.story_redirect(merged) == into
        assert store.story_redirect(into) is None
        counted = store.rows(
            "SELECT count(*) AS n FROM entity_stories WHERE story_id = ?", (merged,)
        )
        assert counted[0]["n"] == 0
    finally:
        store.close()


def test_redirect_chains_are_flattened_and_bad_merges_refused(tmp_path: Path) -> None:
    store = Store(tmp_path / "m.db", normalizer_version=NORMALIZER_VERSION)
    try:
        with store.transaction():
            for story_id in (1, 2, 3):
                store.create_story(story_id)
            store.merge_stories(1, 2)
            store.merge_stories(3, 1)
        assert store.story_redirect(2) == 3
        assert store.story_redirect(1) == 3
        rows = store.rows("SELECT into_id FROM story_redirects WHERE story_id = 2")
        assert rows == [{"into_id": 3}]  # one hop, not two
        with pytest.raises(StoreError), store.transaction():
            store.merge_stories(3, 2)  # 2 is gone
        with pytest.raises(StoreError), store.transaction():
            store.merge_stories(3, 3)
    finally:
        store.close()


def test_redirect_migration_is_plain_sql() -> None:
    db = sqlite3.connect(":memory:")
    statements: list[str] = []
    db.set_trace_callback(statements.append)
    create_story_redirects(db)
    assert statements
    for statement in statements:
        assert statement.startswith(("CREATE TABLE story_redirects", "CREATE INDEX"))
        for sqlite_only in ("WITHOUT ROWID", "AUTOINCREMENT", "IF NOT EXISTS", "STRICT"):
            assert sqlite_only not in statement


def test_cli_story_of_a_merged_id_shows_the_new_story(
    merged_db: tuple[Path, int, int, int], capsys: pytest.CaptureFixture[str]
) -> None:
    path, into, merged, _ = merged_db
    assert main(["--db", str(path), "story", str(merged)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"story #{merged} was merged into story #{into}"
    assert f"#{into}" in out.splitlines()[1]


def test_api_and_web_redirect_a_merged_id(merged_db: tuple[Path, int, int, int]) -> None:
    pytest.importorskip("fastapi", reason="the API needs fastapi (pip install -e .)")
    from fastapi.testclient import TestClient

    from marsad.api import create_app

    path, into, merged, _ = merged_db
    with TestClient(create_app(path), base_url="http://localhost") as client:
        api = client.get(f"/api/v1/stories/{merged}", follow_redirects=False)
        assert api.status_code == 308
        assert api.headers["location"].endswith(f"/api/v1/stories/{into}")
        followed = client.get(f"/api/v1/stories/{merged}")
        assert followed.json()["id"] == into
        web = client.get(f"/story/{merged}", follow_redirects=False)
        assert web.status_code == 301
        assert web.headers["location"].endswith(f"/story/{into}")
        assert client.get(f"/story/{into}").status_code == 200
