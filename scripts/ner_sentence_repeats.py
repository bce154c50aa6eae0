"""How often does a worker's NER see a sentence it has tagged before?

Usage::

    python scripts/ner_sentence_repeats.py CORPUS.jsonl[.gz] [--limit 5000] [--streams 1]

Prepares the first ``limit`` records as ingest does (boilerplate removed, tokens), cuts
each body into the tagger's sentence windows (``ner.word_spans``, ``ner._sentence_starts``)
and counts, in file order, the windows (and their tokens) whose word tuple already occurred
earlier in the same stream; ``--streams N`` cuts the records into N consecutive streams
(a worker's blocks) counted apart. Also counts bodies equal to an earlier body of the stream.
Prints counts only, never text.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections import OrderedDict
from datetime import datetime
from pathlib import Path

from marsad.extract.ner import _sentence_starts, word_spans
from marsad.ingest.prepare import Prepared, prepare_article
from marsad.ingest.readers import read_path
from marsad.models import RawArticle
from marsad.settings import Settings


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus")
    parser.add_argument("--limit", type=int, default=5000)
    parser.add_argument("--streams", type=int, default=1)
    parser.add_argument("--remember", type=int, default=0, help="windows remembered (LRU); 0: all")
    args = parser.parse_args(argv)
    settings = Settings()
    now = datetime(2015, 8, 1)
    bodies: list[tuple[str, list[tuple[int, int]]]] = []
    for raw in itertools.islice(read_path(Path(args.corpus)), args.limit):
        if not isinstance(raw, RawArticle):
            continue
        item = prepare_article(raw, now, settings)
        if isinstance(item, Prepared):
            bodies.append((item.body, word_spans(item.body, item.body_tokens)))
    per_stream = -(-len(bodies) // args.streams)
    windows = repeated = tokens = repeated_tokens = same_bodies = 0
    for first in range(0, len(bodies), per_stream):
        seen: OrderedDict[tuple[str, ...], None] = OrderedDict()
        seen_bodies: set[str] = set()
        for body, spans in bodies[first : first + per_stream]:
            if body in seen_bodies:
                same_bodies += 1
            seen_bodies.add(body)
            words = [body[start:end] for start, end in spans]
            starts = _sentence_starts(body, spans)
            for begin, end in zip(starts, [*starts[1:], len(words)], strict=True):
                window = tuple(words[begin:end])
                windows += 1
                tokens += len(window)
                if window in seen:
                    repeated += 1
                    repeated_tokens += len(window)
                    seen.move_to_end(window)
                else:
                    seen[window] = None
                    if args.remember and len(seen) > args.remember:
                        seen.popitem(last=False)
    print(f"{len(bodies)} bodies in {args.streams} stream(s); {same_bodies} equal an earlier body")
    print(f"windows {windows}, seen before {repeated} ({100 * repeated / max(1, windows):.1f}%)")
    print(
        f"tokens {tokens}, in windows seen before {repeated_tokens}"
        f" ({100 * repeated_tokens / max(1, tokens):.1f}%)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
