"""``marsad eval search``: recall@20 and MRR of search on queries written in variant spellings.

The gold file is JSONL, one query per line: ``query``, ``day`` (YYYY-MM-DD), ``part``
(``dev`` or ``val``), ``kind`` (which variant it tests) and ``relevant`` (SaudiNewsNet ids of
the articles of that day that it must find). The pool is every SaudiNewsNet article
published on a day some query names, less the kept-apart ids; it runs through the ingest
pipeline (dedup, stories; extraction off, as in ``marsad eval stories``) into a temporary
store. Each query is searched with a date filter on its day; a relevant article counts as
found when it is one of the first 20 hits or a wire copy collapsed under one of them.
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from marsad.errors import StoreError
from marsad.ingest import read_path
from marsad.models import RawArticle
from marsad.pipeline import Pipeline, ProgressFn, Settings
from marsad.search.fts import SearchFilters, search
from marsad.store import Store
from marsad.text.arabic import NORMALIZER_VERSION

CUTOFF = 20  # hits judged, as on the first result page
FIRST_HELD_OUT_DAY = "2015-08-04"  # SaudiNewsNet from here on is kept apart from all tuning


@dataclasses.dataclass(frozen=True)
class GoldQuery:
    """One judged query."""

    query: str
    day: str
    part: str
    kind: str
    relevant: frozenset[str]


def load_gold(path: Path) -> list[GoldQuery]:
    """Queries of a gold file; refuses a day from ``FIRST_HELD_OUT_DAY`` on."""
    queries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        day = str(row["day"])
        if day >= FIRST_HELD_OUT_DAY:
            raise ValueError(
                f"{path}:{number}: day {day} is kept apart (from {FIRST_HELD_OUT_DAY})"
            )
        queries.append(
            GoldQuery(
                query=str(row["query"]),
                day=day,
                part=str(row.get("part", "dev")),
                kind=str(row.get("kind", "")),
                relevant=frozenset(str(i) for i in row["relevant"]),
            )
        )
    return queries


def pool_articles(corpus: Path, days: set[str], kept_apart: set[str]) -> list[RawArticle]:
    """Corpus articles published on ``days``, kept-apart ids left out, in date order."""
    pool = [
        record
        for record in read_path(corpus)
        if isinstance(record, RawArticle)
        and record.date is not None
        and record.date.date().isoformat() in days
        and record.ext_id not in kept_apart
    ]
    return sorted(pool, key=lambda a: (a.date or datetime.min, a.ext_id or ""))


def found_ids(store: Store, query: GoldQuery, ext_ids: dict[int, str]) -> list[list[str]]:
    """The first ``CUTOFF`` hits of a query on its day, each as its ids (copies included)."""
    day = date.fromisoformat(query.day)
    hits = search(store, query.query, limit=CUTOFF, filters=SearchFilters(since=day, until=day))
    return [
        [ext_ids.get(h.article_id, ""), *(ext_ids.get(c, "") for c, _src in h.copies)] for h in hits
    ]


def score(ranked: Sequence[Sequence[str]], relevant: frozenset[str]) -> tuple[float, float]:
    """(recall@CUTOFF, reciprocal rank of the first hit holding a relevant article)."""
    found = {i for ids in ranked[:CUTOFF] for i in ids} & relevant
    first = next((n for n, ids in enumerate(ranked, 1) if relevant & set(ids)), None)
    return len(found) / len(relevant), (1.0 / first if first else 0.0)


def evaluate_search(
    gold_path: Path,
    *,
    corpus: Path,
    kept_apart: Path | None = None,
    show_misses: bool = False,
    progress: ProgressFn | None = None,
    pool_store: str | None = None,
) -> str:
    """Build the pool, run every query and report recall@20 and MRR per part and kind.

    ``pool_store``: an empty store (path or URL) to build the pool in, to score search on
    that backend; default a temporary SQLite file.
    """
    queries = load_gold(gold_path)
    excluded = set(kept_apart.read_text().split()) if kept_apart and kept_apart.exists() else set()
    articles = pool_articles(corpus, {q.day for q in queries}, excluded)
    settings = Settings(extract=False)
    per_query: list[tuple[GoldQuery, float, float]] = []
    lines = []
    with tempfile.TemporaryDirectory(prefix="marsad-eval-") as tmp:
        store = Store(pool_store or Path(tmp) / "eval.db", normalizer_version=NORMALIZER_VERSION)
        if store.count("articles"):
            store.close()
            raise StoreError(f"{store.location}: the pool store must be empty")
        try:
            Pipeline(store, settings).ingest(articles, progress=progress)
            ext_ids = store.ext_ids()
            for query in queries:
                ranked = found_ids(store, query, ext_ids)
                recall, reciprocal = score(ranked, query.relevant)
                per_query.append((query, recall, reciprocal))
                if show_misses and recall < 1.0:
                    missed = sorted(query.relevant - {i for ids in ranked for i in ids})
                    lines.append(f"  miss {query.part} {query.kind} «{query.query}»: {missed}")
        finally:
            store.close()
    days = sorted({q.day for q in queries})
    lines.insert(
        0,
        f"pool: {len(articles)} SaudiNewsNet articles of {', '.join(days)}"
        f" ({len(excluded)} kept-apart ids excluded); {len(queries)} queries",
    )
    lines.append(f"{'part':<6}{'kind':<10}{'queries':>8}{'recall@20':>11}{'MRR':>8}")
    by_part: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_kind: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for query, recall, reciprocal in per_query:
        by_part[query.part].append((recall, reciprocal))
        by_kind[(query.part, query.kind)].append((recall, reciprocal))
    for (part, kind), values in sorted(by_kind.items()):
        lines.append(_row(part, kind, values))
    for part, values in sorted(by_part.items()):
        lines.append(_row(part, "all", values))
        # Transliterations are expanded from a word list; the other kinds change with rules.
        by_rule = [(r, m) for q, r, m in per_query if q.part == part and q.kind != "translit"]
        if by_rule and len(by_rule) < len(values):
            lines.append(_row(part, "no-trans", by_rule))
    headline = "val" if "val" in by_part else sorted(by_part)[0]
    recall = sum(r for r, _ in by_part[headline]) / len(by_part[headline])
    lines.append(f"headline: the {headline} part (validation when the gold has one)")
    lines.append(f"search_recall_at_20={recall:.3f}")
    return "\n".join(lines)


def _row(part: str, kind: str, values: list[tuple[float, float]]) -> str:
    recall = sum(r for r, _ in values) / len(values)
    mrr = sum(m for _, m in values) / len(values)
    return f"{part:<6}{kind:<10}{len(values):>8}{recall:>11.3f}{mrr:>8.3f}"
