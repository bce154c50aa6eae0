"""Tokens per second of NER model directories on the same texts, back to back.

Usage::

    python scripts/bench_ner_models.py CORPUS.jsonl[.gz] MODEL_DIR... [--limit 2000]
        [--skip 0] [--rounds 2]

Tags the bodies of ``limit`` records (after ``skip``) with each model directory in turn,
64 texts per call as ``prepare_batch`` does (``marsad.extract.article.tag_entities``),
``rounds`` times in alternation (A B A B), each pass from an empty word cache ("first
pass") and then again with it filled ("second pass"). Counts the tokens the tagger reads
(words and punctuation, ``marsad.extract.ner.word_spans``) and CPU time of this process
(``time.process_time``). Prints the best pass of each directory, its entities and how many
texts' entities differ from the first directory's. The last line is the tokens per second
of the last directory's best first pass.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from pathlib import Path

from marsad.extract.article import tag_entities
from marsad.extract.ner import Entity, Tagger, word_spans
from marsad.ingest.readers import read_path
from marsad.models import RawArticle


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus")
    parser.add_argument("models", nargs="+")
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--skip", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    records = (r for r in read_path(Path(args.corpus)) if isinstance(r, RawArticle))
    texts = [r.text for r in itertools.islice(records, args.skip, args.skip + args.limit)]
    tokens = sum(len(word_spans(text)) for text in texts)
    taggers = [Tagger(Path(model)) for model in args.models]
    best: list[tuple[float, float]] = [(float("inf"), float("inf"))] * len(taggers)
    found: list[list[list[Entity]]] = [[] for _ in taggers]
    loads = [os.getloadavg()[0]]
    for _ in range(args.rounds):
        for number, tagger in enumerate(taggers):
            tagger._clear_cache()
            passes = []
            for _pass in range(2):
                started = time.process_time()
                found[number] = tag_entities(texts, tagger=tagger)
                passes.append(time.process_time() - started)
            first, second = best[number]
            best[number] = (min(first, passes[0]), min(second, passes[1]))
            loads.append(os.getloadavg()[0])
    print(f"{len(texts)} texts, {tokens} tokens; load average {min(loads):.1f}-{max(loads):.1f}")
    for number, model in enumerate(args.models):
        first, second = best[number]
        differ = sum(a != b for a, b in zip(found[0], found[number], strict=True))
        print(
            f"{model}: first pass {first:.2f} s, {tokens / first:,.0f} tokens/s; second pass"
            f" {second:.2f} s, {tokens / second:,.0f} tokens/s; {sum(map(len, found[number]))}"
            f" entities, {differ} texts differ from {args.models[0]}"
        )
    print(f"tokens_per_s={tokens / best[-1][0]:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
