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
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import pstats
import sys
import time
from datetime import datetime
from pathlib import Path

from marsad.ingest.prepare import prepare_batch
from marsad.ingest.readers import read_path
from marsad.models import RawArticle
from marsad.settings import Settings

# (label, function name as cProfile names it, module path fragment)
STEPS = (
    ("NER (tagger.entities)", "entities", "extract/"),
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


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus")
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--skip", type=int, default=0, help="records skipped first")
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
    started = time.process_time()
    prepare_batch(sample, now, settings, None)
    per_article = (time.process_time() - started) * 1000 / max(1, len(sample))
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
    print(f"prepare_cpu_ms_per_article={per_article:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
