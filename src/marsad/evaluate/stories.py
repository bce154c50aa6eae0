"""``marsad eval stories``: story clustering quality against gold labels.

The gold file is JSONL (plain or gzipped), one article per line with ``story`` (a label, or
null for an unlabeled distractor). It runs through exactly the ingest pipeline, in date
order, into a temporary store; scores cover the labeled articles only. ``compare=True``
also runs the baselines on the same input and prints them side by side; their thresholds
are constants chosen on the July dev gold (see :mod:`marsad.evaluate.baselines`), so on any
other gold they are not tuned on the set they are scored on.
"""

from __future__ import annotations

import dataclasses
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from marsad.cluster.stories import (
    LEARNED_CONFIGURATIONS,
    ClusterSettings,
    learned_settings,
    shipped_join_model,
    shipped_merge_model,
)
from marsad.evaluate.baselines import (
    AGGLOMERATIVE_DISTANCE,
    AGGLOMERATIVE_SWEEP,
    SINGLE_PASS_SWEEP,
    SINGLE_PASS_THRESHOLD,
    SINGLE_PASS_WINDOW,
    agglomerative_baseline,
    agglomerative_clusterings,
    single_pass_baseline,
    single_pass_clusterings,
    sweep,
)
from marsad.evaluate.metrics import bcubed, pairwise
from marsad.ingest import read_path
from marsad.models import RawArticle
from marsad.pipeline import Pipeline, ProgressFn, Settings
from marsad.store import Store
from marsad.text.arabic import NORMALIZER_VERSION

# Row names of the named learned configurations in ``--compare`` tables (kept as the
# tables in evaluation/stories_val/README.md print them).
LEARNED_ROWS = {name: f"marsad-learned-{name}" for name in LEARNED_CONFIGURATIONS} | {
    "time-robust": "marsad-learned-no-time-gaps"
}


@dataclasses.dataclass(frozen=True)
class Prediction:
    """Input id -> predicted story key, and -> predicted thread key."""

    stories: dict[str, str]
    threads: dict[str, str]


def predict_stories(
    articles: list[RawArticle],
    *,
    settings: Settings | None = None,
    progress: ProgressFn | None = None,
) -> Prediction:
    """Run the pipeline over gold articles; returns the stories and threads it predicts.

    Extraction (entities, statements, numbers) does not influence stories, so it is
    switched off here to keep evaluation fast; every other stage runs as in ingest.
    """
    settings = dataclasses.replace(settings or Settings(), extract=False)
    with tempfile.TemporaryDirectory(prefix="marsad-eval-") as tmp:
        store = Store(Path(tmp) / "eval.db", normalizer_version=NORMALIZER_VERSION)
        try:
            Pipeline(store, settings).ingest(articles, progress=progress)
            return Prediction(
                stories={
                    ext_id: f"s{story}" for ext_id, story in store.story_assignments().items()
                },
                threads={
                    ext_id: f"t{thread}" for ext_id, thread in store.thread_assignments().items()
                },
            )
        finally:
            store.close()


def without_names(settings: Settings) -> Settings:
    """The same pipeline with the name/keyword feature switched off (weights renormalised)."""
    cluster = settings.cluster
    rest = cluster.body_weight + cluster.title_weight
    return dataclasses.replace(
        settings,
        cluster=dataclasses.replace(
            cluster,
            names_weight=0.0,
            body_weight=cluster.body_weight / rest,
            title_weight=cluster.title_weight / rest,
        ),
    )


def variants(settings: Settings) -> list[tuple[str, Settings]]:
    """The other configurations ``--compare`` scores beside ``settings``, with row names:
    without the name features, without the merge (when ``settings`` merge), and every
    shipped configuration of the join and merge that ``settings`` is not: the hand-weighted
    join, the two learned stages (join, then merge), the learned join alone, and each named
    learned configuration (:data:`LEARNED_CONFIGURATIONS`, e.g. without time gaps)."""
    cluster = settings.cluster
    rows = [("marsad-without-names", without_names(settings))]
    if cluster.merge_model is not None:
        off = dataclasses.replace(cluster, merge_model=None, merge_threshold=None)
        rows.append(("marsad-without-merge", dataclasses.replace(settings, cluster=off)))
    decay = ClusterSettings().half_life_days
    shipped = [
        (
            "marsad-hand-join(no merge)",
            dataclasses.replace(cluster, join_model=None, merge_model=None, half_life_days=decay),
        ),
        (
            "marsad-learned-join+merge",
            dataclasses.replace(
                cluster,
                join_model=shipped_join_model(),
                merge_model=shipped_merge_model(),
                half_life_days=decay,
            ),
        ),
        (
            "marsad-learned-join",
            dataclasses.replace(
                cluster, join_model=shipped_join_model(), merge_model=None, half_life_days=decay
            ),
        ),
    ]
    for name, row in LEARNED_ROWS.items():
        shipped.append((row, _with_models(cluster, learned_settings(name))))
    rows += [
        (row, dataclasses.replace(settings, cluster=other))
        for row, other in shipped
        if other != cluster
    ]
    return rows


def _with_models(cluster: ClusterSettings, models: ClusterSettings) -> ClusterSettings:
    """``cluster`` with the learned models and the decay they were trained with."""
    return dataclasses.replace(
        cluster,
        join_model=models.join_model,
        merge_model=models.merge_model,
        half_life_days=models.half_life_days,
        topic_classes=models.topic_classes,
    )


def load_gold(path: Path) -> tuple[list[RawArticle], dict[str, str]]:
    """Articles of a gold file and the labels of the labeled ones."""
    articles = [r for r in read_path(path) if isinstance(r, RawArticle)]
    gold = {
        a.ext_id: str(a.extra["story"])
        for a in articles
        if a.ext_id is not None and a.extra.get("story") not in (None, "")
    }
    return articles, gold


def _scores(pred: Mapping[str, str], gold: Mapping[str, str]) -> dict[str, float]:
    full = {item: pred.get(item, f"missing:{item}") for item in gold}
    b_p, b_r, b_f = bcubed(full, gold)
    p_p, p_r, p_f = pairwise(full, gold)
    return {"b_p": b_p, "b_r": b_r, "b_f": b_f, "p_p": p_p, "p_r": p_r, "p_f": p_f}


def gold_role(path: Path) -> str:
    """What a gold file is for, from its name: ``dev`` golds were tuned on, ``val`` never."""
    name = path.name.lower()
    if "dev" in name:
        return "dev gold (tuning set: Marsad and the baseline constants were tuned on it)"
    if "val" in name:
        return "validation gold (held out: never tuned on)"
    return ""


def labeled_days(articles: list[RawArticle], gold: Mapping[str, str]) -> str:
    """``FIRST..LAST`` day of the labeled articles (``undated`` when none has a date)."""
    days = sorted(
        a.date.date().isoformat() for a in articles if a.ext_id in gold and a.date is not None
    )
    return f"{days[0]}..{days[-1]}" if days else "undated"


def _f1(pred: Mapping[str, str], gold: Mapping[str, str]) -> float:
    return bcubed(pred, gold)[2]


def _sweep_lines(articles: list[RawArticle], gold: Mapping[str, str]) -> list[str]:
    """Each baseline's threshold sweep on this gold, labeled as tuned on it."""
    lines = ["sweep TUNED ON THIS GOLD (optimistic; the table uses the dev-tuned constants):"]
    for name, clusterings in (
        ("tfidf-agglomerative distance", agglomerative_clusterings(articles, AGGLOMERATIVE_SWEEP)),
        ("single-pass-centroid cosine", single_pass_clusterings(articles, SINGLE_PASS_SWEEP)),
    ):
        values = sweep(clusterings, gold, _f1)
        best = max(values, key=lambda tv: tv[1])
        cells = ", ".join(f"{t:g} {v:.3f}" for t, v in values)
        lines.append(f"  {name} -> bcubed F1: {cells}; best {best[0]:g} ({best[1]:.3f})")
    return lines


def evaluate_stories(
    path: Path,
    *,
    settings: Settings | None = None,
    settings_file: str | None = None,
    compare: bool = False,
    tune_sweep: bool = False,
    progress: ProgressFn | None = None,
) -> str:
    """Score the pipeline's stories against a gold file; the last line is ``bcubed_f1=...``.

    ``settings`` is the configuration scored (the ``marsad`` row); ``settings_file``, the
    file it came from, is named in the output. ``compare`` adds a table of Marsad, the
    other shipped configurations and the baselines (each with its seconds); the baselines
    use their constants chosen on the July dev gold, never a value tuned on ``path``.
    ``tune_sweep`` adds each baseline's threshold sweep on ``path`` itself.
    """
    settings = settings or Settings()
    articles, gold = load_gold(path)
    started = time.perf_counter()
    prediction = predict_stories(articles, settings=settings, progress=progress)
    seconds = time.perf_counter() - started
    predicted = prediction.stories
    marsad = _scores(predicted, gold)
    # A gold story is one event; a thread links the stories of one evolving event over days.
    # Threads should recover gold stories split across days without merging different ones.
    threads = _scores(prediction.threads, gold)
    role = gold_role(path)
    lines = [
        f"gold file: {path}",
        f"labeled days: {labeled_days(articles, gold)}" + (f"; {role}" if role else ""),
        f"articles: {len(articles)} ({len(gold)} labeled in {len(set(gold.values()))} stories);"
        f" predicted {len({predicted.get(i, i) for i in gold})} stories over the labeled articles",
        f"settings: {settings_file or _unnamed(settings)}",
    ]
    if compare:
        rows = [("marsad", marsad, seconds)]
        for name, variant in variants(settings):
            started = time.perf_counter()
            scores = _scores(predict_stories(articles, settings=variant).stories, gold)
            rows.append((name, scores, time.perf_counter() - started))
        started = time.perf_counter()
        agglo = agglomerative_baseline(articles)
        rows.append(
            (
                f"tfidf-agglomerative(distance {AGGLOMERATIVE_DISTANCE:g}, dev-tuned)",
                _scores(agglo, gold),
                time.perf_counter() - started,
            )
        )
        started = time.perf_counter()
        single = single_pass_baseline(articles)
        days = SINGLE_PASS_WINDOW.days
        rows.append(
            (
                f"single-pass-centroid(cos>={SINGLE_PASS_THRESHOLD:g}, {days}d, dev-tuned)",
                _scores(single, gold),
                time.perf_counter() - started,
            )
        )
        width = max(42, *(len(name) for name, _, _ in rows))
        lines.append(
            f"{'system':<{width}} {'bcubed P/R/F1':>20} {'pairwise P/R/F1':>20} {'seconds':>8}"
        )
        for name, s, secs in rows:
            lines.append(
                f"{name:<{width}} {s['b_p']:.3f}/{s['b_r']:.3f}/{s['b_f']:.3f}"
                f"  {s['p_p']:.3f}/{s['p_r']:.3f}/{s['p_f']:.3f}  {secs:8.1f}"
            )
    if tune_sweep:
        lines += _sweep_lines(articles, gold)
    lines += [
        f"seconds: {seconds:.1f}",
        f"threads: {len({prediction.threads.get(i, i) for i in gold})} over the labeled articles;"
        f" bcubed precision={threads['b_p']:.3f} recall={threads['b_r']:.3f}"
        f" f1={threads['b_f']:.3f}",
        f"pairwise precision={marsad['p_p']:.3f} recall={marsad['p_r']:.3f} f1={marsad['p_f']:.3f}",
        f"bcubed precision={marsad['b_p']:.3f} recall={marsad['b_r']:.3f}",
        f"bcubed_f1={marsad['b_f']:.3f}",
    ]
    return "\n".join(lines)


def _unnamed(settings: Settings) -> str:
    return "the defaults" if settings == Settings() else "given by the caller (not the defaults)"


def evaluate_story_golds(
    paths: Sequence[Path],
    *,
    settings: Settings | None = None,
    settings_file: str | None = None,
    compare: bool = False,
    tune_sweep: bool = False,
    progress: ProgressFn | None = None,
) -> str:
    """:func:`evaluate_stories` for each gold in turn, blocks separated by a blank line.

    Every block ends with its own ``bcubed_f1=...`` line, so the last line of the whole
    output is the headline score of the LAST gold.
    """
    return "\n\n".join(
        evaluate_stories(
            path,
            settings=settings,
            settings_file=settings_file,
            compare=compare,
            tune_sweep=tune_sweep,
            progress=progress,
        )
        for path in paths
    )
