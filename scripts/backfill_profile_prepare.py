"""Where does a worker's prepare time go? (the pure stages of ``marsad backfill``)

Usage::

    python scripts/backfill_profile_prepare.py CORPUS.jsonl[.gz] [--limit 1000] [--skip 0]

Runs ``prepare_batch`` (with extraction) on ``limit`` records of CORPUS in this process,
after a warm-up batch that loads the models: once plainly, for the CPU milliseconds per
article, then under cProfile, whose cumulative time per step (NER, statements, numbers,
dates, boilerplate, tokens, MinHash, cluster features, roundups, lead sentences) is
printed as a share of the profiled total and scaled to the plain run's milliseconds
(cProfile slows Python calls more than the ONNX model, so shares are approximate). The
last line is the plain CPU milliseconds per article.

``--dump OUT.jsonl`` writes what the plain run prepared, one JSON line per record (every
field but the timings), so that two versions of the code can be compared exactly
(``scripts/compare_extractions.py``); ``--top N`` also prints the N costliest functions.
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
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np

from marsad.ingest.prepare import RECENT_EXTRACTIONS, prepare_batch
from marsad.ingest.readers import read_path
from marsad.models import RawArticle, Skipped
from marsad.settings import Settings

# (label, function name as cProfile names it, module path fragment)
STEPS = (
    ("NER (tag_entities: a chunk's bodies together)", "tag_entities", "extract/article"),
    ("  of which the ONNX model run", "run", "onnxruntime"),
    ("  of which word features (_word_rows)", "_word_rows", "extract/ner"),
    ("  of which Viterbi decoding", "viterbi", "extract/ner"),
    ("entity names (aliases, keys)", "resolve", "extract/"),
    ("statements (quotes)", "extract_statements", "extract/"),
    ("numbers", "extract_numbers", "extract/"),
    ("dates", "find_dates", "text/dates"),
    ("boilerplate", "strip_boilerplate", "ingest/"),
    ("tokens (arabic.tokenize)", "tokenize", "text/arabic"),
    ("index terms", "index_terms", "ingest/prepare"),
    ("MinHash fingerprint", "fingerprint", "dedup/"),
    ("cluster features", "make_cluster_doc", "cluster/stories"),
    ("roundup passages", "roundup_passages", "ingest/prepare"),
    ("wire agency", "detect_agency", "extract/"),
    ("lead sentences", "lead_analysis", "summarize/"),
    ("all extraction (extract)", "extract", "extract/article"),
    ("all but extraction (prepare_article)", "prepare_article", "ingest/prepare"),
)


def _plain(value: Any) -> Any:
    """JSON-ready form of a prepared record; floats as repr so rounding compares exactly."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, np.ndarray):
        return [_plain(item) for item in value.tolist()]
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, float):
        return "nan" if math.isnan(value) else repr(value)
    if isinstance(value, date):  # datetimes too
        return value.isoformat()
    return value


def _dump(path: Path, prepared: list[Any]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for item in prepared:
            row: dict[str, Any]
            if isinstance(item, Skipped):
                row = {"origin": item.origin, "skipped": item.reason}
            else:
                fields = _plain(dataclasses.replace(item, seconds={}))
                row = {"origin": item.raw.origin, **fields, "raw": None}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus")
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--skip", type=int, default=0, help="records skipped first")
    parser.add_argument("--top", type=int, default=0, help="also print the N costliest functions")
    parser.add_argument("--dump", help="write what the plain run prepared here (JSON lines)")
    parser.add_argument("--plain", action="store_true", help="the plain run only (no cProfile)")
    args = parser.parse_args(argv)
    path = Path(args.corpus)
    if not path.exists():
        print(f"no corpus at {path}", file=sys.stderr)
        return 2
    settings = Settings()
    now = datetime.now().replace(microsecond=0)
    records = (r for r in read_path(path) if isinstance(r, RawArticle))
    articles = list(itertools.islice(records, args.skip, args.skip + args.limit + 50))
    warm, sample = articles[:50], articles[50:]
    prepare_batch(warm, now, settings, None)  # models and tables loaded once, not measured
    RECENT_EXTRACTIONS.clear()  # each run extracts its records afresh (a repeat: not twice)
    started = time.process_time()
    prepared = prepare_batch(sample, now, settings, None)
    per_article = (time.process_time() - started) * 1000 / max(1, len(sample))
    if args.dump:
        _dump(Path(args.dump), prepared)
    del prepared
    if args.plain:
        print(f"{len(sample)} articles; plain run {per_article:.2f} CPU ms/article")
        print(f"prepare_cpu_ms_per_article={per_article:.2f}")
        return 0
    RECENT_EXTRACTIONS.clear()
    profiler = cProfile.Profile()
    profiler.enable()
    prepare_batch(sample, now, settings, None)
    profiler.disable()
    stats = pstats.Stats(profiler)
    table = stats.stats  # type: ignore[attr-defined]
    total = sum(tt for (_, _, tt, _, _) in table.values())
    print(f"{len(sample)} articles; plain run {per_article:.2f} CPU ms/article")
    print(f"{'step':<40} {'share':>7} {'ms/article':>11}  (cumulative, scaled)")
    for label, name, where in STEPS:
        cumulative = sum(
            ct
            for (filename, _, function), (_, _, _, ct, _) in table.items()
            if function == name and where in filename
        )
        share = cumulative / total if total else 0.0
        print(f"{label:<40} {share:7.1%} {share * per_article:11.2f}")
    if args.top:
        print("costliest functions by own time (scaled ms/article; cumulative in brackets):")
        costliest = sorted(table.items(), key=lambda item: -item[1][2])[: args.top]
        for (filename, line, function), (_, calls, own, cumulative, _) in costliest:
            where = "/".join(Path(filename).parts[-2:])
            scale = per_article / total if total else 0.0
            print(
                f"  {own * scale:6.2f} ({cumulative * scale:6.2f})  {calls:>9} calls"
                f"  {function} {where}:{line}"
            )
    print(f"prepare_cpu_ms_per_article={per_article:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
