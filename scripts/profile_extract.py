"""Milliseconds per article of each extractor, and a dump of what extraction found.

Usage::

    python scripts/profile_extract.py CORPUS.jsonl[.gz] [--limit 2000] [--dump OUT.jsonl]
        [--cprofile N]

Runs ``prepare_article`` (the pure stages but extraction) on every record, then
``extract`` with a CPU-time timer (``time.process_time``, steadier than wall time on a shared machine) around each of its parts: NER (``Tagger.entities``),
statements, numbers and dates; "names" is the rest of ``extract`` (alias resolution,
proclitics, merge keys). The first 50 records only warm the models up and are not
counted. ``--dump`` writes each article's full ``Extraction`` as one JSON line, so two
versions of the code can be compared exactly (``scripts/compare_extractions.py``).
``--cprofile N`` prints the N costliest functions (by own time) of a second pass.
Articles are tagged for names ``--batch`` at a time, as ``prepare_batch`` tags a batch
(``--one-by-one``: each alone, as before).
``--rounds N`` times the measured pass N times and prints each part's smallest time (the
least disturbed by other work on a shared machine).
The last line is the extraction milliseconds per article.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import itertools
import json
import math
import pstats
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from marsad.extract import article as extract_article
from marsad.extract.ner import Tagger
from marsad.ingest.prepare import Prepared, prepare_article
from marsad.ingest.readers import read_path
from marsad.models import RawArticle
from marsad.settings import Settings

WARM_UP = 50
PARTS = ("ner", "statements", "numbers", "dates")


def _timed(name: str, function: Callable[..., Any], spent: dict[str, float]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] += time.process_time() - started

    return wrapper


def _plain(value: Any) -> Any:
    """JSON-ready form of an extraction; floats as repr so NaN and rounding compare exactly."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, float):
        return "nan" if math.isnan(value) else repr(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus")
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--dump", help="write each article's extraction as a JSON line here")
    parser.add_argument("--cprofile", type=int, default=0, help="print the N costliest functions")
    parser.add_argument(
        "--batch", type=int, default=500, help="articles per prepare batch (tagged together)"
    )
    parser.add_argument(
        "--one-by-one", action="store_true", help="tag each article alone (before batching)"
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="timed passes; each part's smallest is printed"
    )
    args = parser.parse_args(argv)
    path = Path(args.corpus)
    if not path.exists():
        print(f"no corpus at {path}", file=sys.stderr)
        return 2
    settings = Settings()
    now = datetime(2015, 8, 1)
    records = (r for r in read_path(path) if isinstance(r, RawArticle))
    raws = list(itertools.islice(records, args.limit))
    started = time.process_time()
    prepared = [p for p in (prepare_article(raw, now, settings) for raw in raws)]
    prepare_ms = (time.process_time() - started) * 1000 / max(1, len(raws))
    items = [p for p in prepared if isinstance(p, Prepared)]

    spent = dict.fromkeys(PARTS, 0.0)
    extract_article.extract_statements = _timed(  # type: ignore[attr-defined]
        "statements", extract_article.extract_statements, spent
    )
    extract_article.extract_numbers = _timed(  # type: ignore[attr-defined]
        "numbers", extract_article.extract_numbers, spent
    )
    extract_article.find_dates = _timed(  # type: ignore[attr-defined]
        "dates", extract_article.find_dates, spent
    )
    Tagger.entities = _timed("ner", Tagger.entities, spent)  # type: ignore[method-assign]

    def run(batch: list[Prepared]) -> list[extract_article.Extraction]:
        if args.one_by_one:
            return [
                extract_article.extract(p.body, p.body_tokens, published=p.published.date())
                for p in batch
            ]
        found: list[extract_article.Extraction] = []
        # As prepare_batch does: each batch's bodies tagged together, then the rest.
        for first in range(0, len(batch), args.batch):
            part = batch[first : first + args.batch]
            started = time.process_time()
            entities = extract_article.tag_entities(
                [p.body for p in part], [p.body_tokens or [] for p in part]
            )
            spent["ner"] += time.process_time() - started
            found += [
                extract_article.extract(
                    p.body, p.body_tokens, published=p.published.date(), entities=tagged
                )
                for p, tagged in zip(part, entities, strict=True)
            ]
        return found

    run(items[:WARM_UP])
    measured = items[WARM_UP:]
    least: dict[str, float] = {}
    for _ in range(max(1, args.rounds)):
        spent.update(dict.fromkeys(PARTS, 0.0))
        started = time.process_time()
        found = run(measured)
        total = time.process_time() - started
        this_round = {**spent, "names+rest": total - sum(spent.values()), "total": total}
        least = {k: min(v, least.get(k, v)) for k, v in this_round.items()}
    count = max(1, len(measured))
    print(f"{len(raws)} records, {len(items)} prepared, {len(measured)} measured")
    print(f"prepare_article (no extraction) {prepare_ms:7.2f} ms/article (includes warm-up)")
    for part in [*PARTS, "names+rest"]:
        print(f"  {part:<12} {least[part] * 1000 / count:7.2f} ms/article")
    total = least["total"]
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as out:
            for item, extraction in zip(items, run(items[:WARM_UP]) + found, strict=True):
                row = {"origin": item.raw.origin, **_plain(extraction)}
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    if args.cprofile:
        profiler = cProfile.Profile()
        profiler.enable()
        run(measured)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.cprofile)
    print(f"extract_ms_per_article={total * 1000 / count:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
