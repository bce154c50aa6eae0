"""``marsad eval stories``: several golds, fixed (dev-tuned) baseline constants, single-pass."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.story_fixtures import BRIDGE_FIRST, BRIDGE_LATER

from marsad.cli.main import main
from marsad.evaluate import baselines
from marsad.evaluate.baselines import (
    AGGLOMERATIVE_DISTANCE,
    AGGLOMERATIVE_SWEEP,
    SINGLE_PASS_SWEEP,
    SINGLE_PASS_THRESHOLD,
    single_pass_baseline,
)
from marsad.evaluate.stories import LEARNED_ROWS, evaluate_stories, load_gold
from marsad.models import RawArticle

# Invented articles: a warehouse fire in Jeddah and a football match in Riyadh, each
# told by three outlets in nearly the same words, plus an unrelated distractor.
FIRE = (
    "اندلع حريق ضخم في مستودع للمواد الغذائية بحي الصناعية في جدة فجر اليوم، وتمكنت فرق"
    " الدفاع المدني من إخماد النيران بعد ساعات دون تسجيل إصابات، وفتحت تحقيقا في أسبابه."
)
FIRE_TITLE = "حريق ضخم يلتهم مستودعا للمواد الغذائية في جدة"
MATCH = (
    "فاز فريق الهلال على النصر بثلاثة أهداف مقابل هدف في مباراة الديربي على ملعب الملك فهد"
    " الدولي بالرياض، وسجل المهاجم هدفين في الشوط الثاني أمام جماهير غفيرة."
)
MATCH_TITLE = "الهلال يهزم النصر بثلاثية في ديربي الرياض"
OTHER = (
    "أعلنت وزارة التعليم مواعيد بدء العام الدراسي الجديد للطلاب والطالبات في جميع المناطق،"
    " ودعت أولياء الأمور إلى متابعة التقويم الدراسي المعتمد على موقعها الإلكتروني."
)
OTHER_TITLE = "التعليم تعلن مواعيد العام الدراسي الجديد"


def _records(day: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for n, source in enumerate(("okaz", "alriyadh", "sabq")):
        rows.append(
            {
                "id": f"{day}-fire-{n}",
                "source": source,
                "date": f"{day} 0{n + 1}:00:00",
                "title": FIRE_TITLE,
                "text": FIRE + (" وأوضح المتحدث الرسمي أن الأضرار مادية." if n else ""),
                "url": f"https://{source}.example/{day}/fire",
                "story": "jeddah-warehouse-fire",
            }
        )
        rows.append(
            {
                "id": f"{day}-match-{n}",
                "source": source,
                "date": f"{day} 1{n + 1}:00:00",
                "title": MATCH_TITLE,
                "text": MATCH + (" وبهذا الفوز تصدر الهلال الترتيب." if n else ""),
                "url": f"https://{source}.example/{day}/match",
                "story": "hilal-nassr-derby",
            }
        )
    rows.append(
        {
            "id": f"{day}-other",
            "source": "okaz",
            "date": f"{day} 20:00:00",
            "title": OTHER_TITLE,
            "text": OTHER,
            "url": f"https://okaz.example/{day}/school",
            "story": None,
        }
    )
    return rows


def _write(path: Path, rows: Sequence[dict[str, Any]]) -> Path:
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(data))
    else:
        path.write_bytes(data)
    return path


def _article(ext_id: str, title: str, text: str, when: datetime) -> RawArticle:
    return RawArticle(ext_id=ext_id, source="okaz", date=when, title=title, text=text)


def test_single_pass_keeps_topics_apart_and_copies_together() -> None:
    day = datetime(2015, 7, 21, 8)
    articles = [
        _article("f1", FIRE_TITLE, FIRE, day),
        _article("m1", MATCH_TITLE, MATCH, day + timedelta(hours=1)),
        _article("f2", FIRE_TITLE, FIRE + " وأوضح المتحدث أن الأضرار مادية.", day + timedelta(2)),
        _article("m2", MATCH_TITLE, MATCH + " وتصدر الهلال الترتيب.", day + timedelta(hours=3)),
        _article("o1", OTHER_TITLE, OTHER, day + timedelta(hours=4)),
    ]
    pred = single_pass_baseline(articles)
    assert pred["f1"] == pred["f2"]
    assert pred["m1"] == pred["m2"]
    assert pred["f1"] != pred["m1"]
    assert pred["o1"] not in {pred["f1"], pred["m1"]}


def test_single_pass_window_closes_old_clusters() -> None:
    day = datetime(2015, 7, 21, 8)
    articles = [
        _article("m1", MATCH_TITLE, MATCH, day),
        _article("f1", FIRE_TITLE, FIRE, day),
        _article("f2", FIRE_TITLE, FIRE, day + timedelta(days=10)),
    ]
    assert single_pass_baseline(articles)["f1"] != single_pass_baseline(articles)["f2"]
    unlimited = single_pass_baseline(articles, window=None)
    assert unlimited["f1"] == unlimited["f2"]
    # Identical texts have cosine 1, so even the strictest threshold joins them.
    assert single_pass_baseline(articles, threshold=0.99, window=None)["f2"] == unlimited["f1"]


def test_baselines_use_dev_constants_unless_a_sweep_is_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gold = _write(tmp_path / "stories_val.jsonl", _records("2015-07-21") + _records("2015-07-22"))
    seen: dict[str, list[tuple[float, ...]]] = {"agglomerative": [], "single": []}
    agglo, single = baselines.agglomerative_clusterings, baselines.single_pass_clusterings

    def spy_agglo(articles: Sequence[RawArticle], distances: Sequence[float]) -> Any:
        seen["agglomerative"].append(tuple(distances))
        return agglo(articles, distances)

    def spy_single(articles: Sequence[RawArticle], thresholds: Sequence[float], **kw: Any) -> Any:
        seen["single"].append(tuple(thresholds))
        return single(articles, thresholds, **kw)

    monkeypatch.setattr(baselines, "agglomerative_clusterings", spy_agglo)
    monkeypatch.setattr(baselines, "single_pass_clusterings", spy_single)
    monkeypatch.setattr("marsad.evaluate.stories.agglomerative_clusterings", spy_agglo)
    monkeypatch.setattr("marsad.evaluate.stories.single_pass_clusterings", spy_single)

    out = evaluate_stories(gold, compare=True)
    assert seen == {
        "agglomerative": [(AGGLOMERATIVE_DISTANCE,)],
        "single": [(SINGLE_PASS_THRESHOLD,)],
    }
    assert f"tfidf-agglomerative(distance {AGGLOMERATIVE_DISTANCE:g}, dev-tuned)" in out
    assert f"single-pass-centroid(cos>={SINGLE_PASS_THRESHOLD:g}, 3d, dev-tuned)" in out
    assert "TUNED ON THIS GOLD" not in out
    assert "validation gold (held out: never tuned on)" in out
    assert any(line.startswith("marsad-learned-no-time-gaps ") for line in out.splitlines())
    # The single-pass row scores exactly the fixed-threshold clustering: two clean stories.
    row = next(line for line in out.splitlines() if line.startswith("single-pass-centroid"))
    assert "1.000/1.000/1.000" in row

    seen["agglomerative"].clear()
    seen["single"].clear()
    out = evaluate_stories(gold, compare=True, tune_sweep=True)
    assert (tuple(AGGLOMERATIVE_SWEEP)) in seen["agglomerative"]
    assert (tuple(SINGLE_PASS_SWEEP)) in seen["single"]
    assert "sweep TUNED ON THIS GOLD" in out
    assert out.splitlines()[-1].startswith("bcubed_f1=")


def test_several_golds_print_one_block_each_and_end_with_the_last_score(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dev = _write(tmp_path / "stories_dev.jsonl", _records("2015-07-21") + _records("2015-07-23"))
    # The second gold: one story split in two by its labels, so its score differs from dev's.
    rows = _records("2015-08-01")
    for row in rows:
        if row["id"].endswith("match-2"):
            row["story"] = "another-story"
    val = _write(tmp_path / "stories_val.jsonl.gz", rows)

    assert main(["eval", "stories", str(val), "--compare"]) == 0
    alone = capsys.readouterr().out.strip().splitlines()
    assert main(["eval", "stories", str(dev), str(val), "--compare"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()

    assert [line for line in lines if line.startswith("gold file:")] == [
        f"gold file: {dev}",
        f"gold file: {val}",
    ]
    assert sum(line.startswith("system ") for line in lines) == 2
    assert sum(line.startswith("single-pass-centroid(") for line in lines) == 2
    days = [line for line in lines if line.startswith("labeled days:")]
    assert days[0].startswith("labeled days: 2015-07-21..2015-07-23; dev gold")
    assert days[1].startswith("labeled days: 2015-08-01..2015-08-01; validation gold")
    assert sum(line.startswith("bcubed_f1=") for line in lines) == 2
    assert re.fullmatch(r"bcubed_f1=\d\.\d{3}", lines[-1])
    # The last line is the last gold's headline, as when it is scored alone.
    assert lines[-1] == alone[-1]
    first = next(line for line in lines if line.startswith("bcubed_f1="))
    assert first == "bcubed_f1=1.000" != lines[-1]
    # A single gold keeps the one-block format: no blank line, one table.
    assert "" not in alone
    assert sum(line.startswith("system ") for line in alone) == 1


def test_load_gold_keeps_null_stories_unlabeled(tmp_path: Path) -> None:
    articles, gold = load_gold(_write(tmp_path / "g.jsonl", _records("2015-07-21")))
    assert len(articles) == 7
    assert len(gold) == 6
    assert "2015-07-21-other" not in gold


def _bridge_gold(path: Path) -> Path:
    """One event (a footbridge collapse) told twice in other words, hours apart, and the
    unrelated school notice: only a join can put the two reports together."""
    rows = [
        {
            "id": f"bridge-{n}",
            "source": source,
            "date": f"2015-08-02 0{8 + n}:00:00",
            "title": title,
            "text": text,
            "url": f"https://{source}.example/bridge",
            "story": "dammam-footbridge-collapse",
        }
        for n, (source, (title, text)) in enumerate(
            (("okaz", BRIDGE_FIRST), ("alyaum", BRIDGE_LATER))
        )
    ]
    rows.append(
        {
            "id": "school",
            "source": "sabq",
            "date": "2015-08-02 12:00:00",
            "title": OTHER_TITLE,
            "text": OTHER,
            "url": "https://sabq.example/school",
            "story": "school-year-dates",
        }
    )
    return _write(path, rows)


def test_eval_stories_scores_the_configuration_of_a_settings_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = _bridge_gold(tmp_path / "bridge.jsonl")
    strict = tmp_path / "strict.toml"
    strict.write_text("[cluster]\njoin_threshold = 0.99\n", encoding="utf-8")

    assert main(["eval", "stories", str(gold)]) == 0
    default = capsys.readouterr().out.strip().splitlines()
    assert main(["--config", str(strict), "eval", "stories", str(gold)]) == 0
    configured = capsys.readouterr().out.strip().splitlines()

    assert "settings: the defaults" in default
    assert f"settings: {strict}" in configured
    # The defaults join the two reports; at 0.99 nothing joins, so the story is split.
    assert default[-1] == "bcubed_f1=1.000"
    assert configured[-1] != default[-1]
    assert "bcubed precision=1.000 recall=0.667" in configured  # (1/2 + 1/2 + 1) / 3


def test_compare_keeps_a_row_for_each_shipped_configuration_but_the_one_scored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = _bridge_gold(tmp_path / "bridge.jsonl")
    robust = tmp_path / "robust.toml"
    robust.write_text(
        '[cluster]\njoin_model = "time-robust"\nmerge_model = "time-robust"\n'
        "half_life_days = inf\n",
        encoding="utf-8",
    )
    assert main(["--config", str(robust), "eval", "stories", str(gold), "--compare"]) == 0
    rows = {line.split()[0] for line in capsys.readouterr().out.splitlines() if line}
    assert "marsad-learned-no-time-gaps" not in rows  # it is the ``marsad`` row now
    for name in ("hand-join(no", "learned-join+merge", "learned-join", "without-merge"):
        assert f"marsad-{name}" in rows
    for name in LEARNED_ROWS.values():
        assert name in rows or name == "marsad-learned-no-time-gaps"
