"""Evaluation of number disagreements against hand-judged pairs.

The gold (``evaluation/disagreements_dev/``) holds only ids and labels:

* ``judged.jsonl``: one pair per line, ``story_key``, ``article_a``/``start_a``,
  ``article_b``/``start_b`` (corpus ids and offsets of the two numbers in the article
  bodies as the store keeps them), ``real`` (a true disagreement or not) and a ``note``;
* ``stories.jsonl`` (next to it): the members of every judged story, ``story_key`` and
  ``articles`` as ``[corpus id, corpus id of the original or null]`` (the store's copy
  links, so copies are merged as in the product).

Article bodies are rebuilt from the corpus as ingestion builds them (reader cleaning, then
boilerplate removal); :func:`marsad.compare.analyze.analyze_story` runs on each story and
its listed number disagreements are matched to the judged pairs by their two numbers.

* **precision**: judged pairs listed and real / judged pairs listed;
* **recall**: real pairs listed / real pairs;
* **disagreement_f1** (last line): their harmonic mean.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from marsad.compare.analyze import StoryArticle, analyze_story
from marsad.evaluate.jsonl import read_jsonl
from marsad.ingest.boilerplate import strip_boilerplate
from marsad.ingest.readers import article_from_fields
from marsad.models import Skipped

Number = tuple[str, int]  # (corpus id, offset of the number in the stored body)


@dataclass(frozen=True, slots=True)
class JudgedPair:
    """One hand-judged pair of numbers."""

    story_key: str
    a: Number
    b: Number
    real: bool
    note: str

    @property
    def key(self) -> frozenset[Number]:
        """The two numbers, unordered."""
        return frozenset((self.a, self.b))


@dataclass(frozen=True, slots=True)
class StoryMembers:
    """A judged story's articles: corpus id and the corpus id of its original (or None)."""

    story_key: str
    articles: tuple[tuple[str, str | None], ...]


@dataclass(frozen=True, slots=True)
class DisagreementScores:
    """Counts behind the reported figures."""

    judged: int
    real: int
    listed_judged: int  # judged pairs the system lists
    listed_real: int  # ... of which real
    listed_unjudged: int  # listed pairs of the judged stories nobody judged
    errors: tuple[str, ...]  # one line per listed false pair and missed real pair

    @property
    def precision(self) -> float:
        """Share of listed judged pairs that are real."""
        return self.listed_real / self.listed_judged if self.listed_judged else 0.0

    @property
    def recall(self) -> float:
        """Share of real pairs listed."""
        return self.listed_real / self.real if self.real else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def load_judged(path: Path) -> list[JudgedPair]:
    """Reads judged pairs (``story_key, article_a, start_a, article_b, start_b, real``)."""
    return [
        JudgedPair(
            story_key=str(row["story_key"]),
            a=(str(row["article_a"]), int(row["start_a"])),
            b=(str(row["article_b"]), int(row["start_b"])),
            real=bool(row["real"]),
            note=str(row.get("note", "")),
        )
        for row in read_jsonl(path)
    ]


def load_stories(path: Path) -> list[StoryMembers]:
    """Reads story members (``story_key, articles: [[id, original id or null], ...]``)."""
    return [
        StoryMembers(
            story_key=str(row["story_key"]),
            articles=tuple(
                (str(article), None if original is None else str(original))
                for article, original in row["articles"]
            ),
        )
        for row in read_jsonl(path)
    ]


@dataclass(frozen=True, slots=True)
class _Article:
    source: str
    published: datetime
    title: str
    body: str


def load_articles(corpus: Path, ids: set[str]) -> dict[str, _Article]:
    """The corpus articles named in ``ids``, their bodies cleaned as ingestion stores them."""
    found: dict[str, _Article] = {}
    for row in read_jsonl(corpus):
        if row.get("id") not in ids:
            continue
        raw = article_from_fields(row, origin=str(row["id"]))
        if isinstance(raw, Skipped):
            continue  # unusable record: ingestion skips it too
        body, _ = strip_boilerplate(raw.text, title=raw.title)
        if body.strip() and raw.date is not None:
            found[row["id"]] = _Article(raw.source, raw.date, raw.title, body)
    return found


def listed_pairs(members: StoryMembers, articles: dict[str, _Article]) -> list[frozenset[Number]]:
    """The number disagreements the product lists for one story, as pairs of numbers."""
    present = [(i, a, o) for i, (a, o) in enumerate(members.articles) if a in articles]
    number_of = {corpus_id: index for index, corpus_id, _ in present}
    story = [
        StoryArticle(
            index,
            articles[corpus_id].source,
            articles[corpus_id].published,
            articles[corpus_id].title,
            articles[corpus_id].body,
            number_of.get(original) if original is not None else None,
        )
        for index, corpus_id, original in present
    ]
    corpus_id_of = {index: corpus_id for index, corpus_id, _ in present}
    analysis = analyze_story(story)
    return [
        frozenset((corpus_id_of[r["article"]], int(r["start"])) for r in found["reports"])
        for found in analysis["disagreements"]["numbers"]
    ]


def score_disagreements(
    judged: list[JudgedPair], stories: list[StoryMembers], articles: dict[str, _Article]
) -> DisagreementScores:
    """Runs the product's analysis on every judged story and scores its listed pairs.

    Raises:
        ValueError: a judged pair names a story missing from ``stories``.
    """
    by_key = {s.story_key: s for s in stories}
    missing = {p.story_key for p in judged} - set(by_key)
    if missing:
        raise ValueError(f"judged stories without members: {sorted(missing)[:3]}")
    listed: set[frozenset[Number]] = set()
    for key in sorted({p.story_key for p in judged}):
        listed.update(listed_pairs(by_key[key], articles))
    judged_keys = {p.key for p in judged}
    errors = []
    for pair in judged:
        shown = pair.key in listed
        if shown != pair.real:
            kind = "listed, not real" if shown else "missed real"
            errors.append(f"{kind}: {pair.a[0]}@{pair.a[1]} {pair.b[0]}@{pair.b[1]} {pair.note}")
    return DisagreementScores(
        judged=len(judged),
        real=sum(p.real for p in judged),
        listed_judged=sum(p.key in listed for p in judged),
        listed_real=sum(p.key in listed and p.real for p in judged),
        listed_unjudged=len(listed - judged_keys),
        errors=tuple(errors),
    )


def evaluate_disagreements(judged_path: Path, corpus: Path, *, show_errors: bool = False) -> str:
    """The evaluation report; ``stories.jsonl`` is read from beside ``judged_path``."""
    judged = load_judged(judged_path)
    stories = load_stories(judged_path.parent / "stories.jsonl")
    wanted = {s.story_key for s in stories} & {p.story_key for p in judged}
    ids = {a for s in stories if s.story_key in wanted for a, _ in s.articles}
    scores = score_disagreements(judged, stories, load_articles(corpus, ids))
    lines = [
        f"judged pairs: {scores.judged} ({scores.real} real) in {len(wanted)} stories",
        f"listed judged pairs: {scores.listed_judged} ({scores.listed_real} real)",
        f"precision (listed & real / listed & judged): {scores.precision:.3f}",
        f"recall (real & listed / real): {scores.recall:.3f}",
        f"listed pairs not judged: {scores.listed_unjudged}",
    ]
    if show_errors:
        lines.extend(scores.errors)
    lines.append(f"disagreement_f1={scores.f1:.3f}")
    return "\n".join(lines)
