"""Learn which words are too common to be spread as names (``ner_common_words.txt.gz``).

``marsad.extract.ner.spread_document_entities`` marks the untagged repeats of a name found
once in an article. A one-word "name" that is mostly a common word (the folded «علي» is also
the preposition «على»; «الثاني» ends «عبدالله الثاني»; «العهد» ends «ولي العهد») must not be
spread. This script tags unlabeled SaudiNewsNet text with the shipped model (sentence by
sentence, no spreading) and writes the clitic-stripped words seen at least ``MIN_COUNT``
times that the model tags as a one-word entity in under ``MAX_NAME_SHARE`` of them.

Only text up to 2015-07-31 is read (``build/snn_july.jsonl.gz`` written by
``scripts/build_july_corpus.py``: no kept-apart ids, no August day). The output holds
single words only, never corpus text.

Usage::

    python scripts/train_ner_common_words.py build/snn_july.jsonl.gz \
        src/marsad/models/ner_common_words.txt.gz
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import Counter
from pathlib import Path

from marsad.extract import ner

MIN_COUNT = 100  # rarer words are more likely names: spreading them is what helps
MAX_NAME_SHARE = 0.05  # tagged alone as an entity in under 5% of occurrences: a common word
UNTIL = "2015-08-01"  # text from this day on is kept apart or used by story validation
ARTICLES_PER_CALL = 32


def count_words(news: Path) -> tuple[Counter[str], Counter[str]]:
    """Occurrences of each clitic-stripped word, and how many of them the model tags as a
    one-word entity."""
    tagger = ner.load_tagger()
    seen: Counter[str] = Counter()
    alone: Counter[str] = Counter()
    texts: list[str] = []

    def tag_batch() -> None:
        words: list[str] = []
        starts: list[int] = []
        for text in texts:
            spans = ner.word_spans(text)
            starts += [len(words) + first for first in ner._sentence_starts(text, spans)]
            words += [text[start:end] for start, end in spans]
        texts.clear()
        if not words:
            return
        tags, stripped = tagger._tag_flat(words, starts)
        seen.update(stripped)
        for start, end, _ in ner.bio_spans([ner.TAGS[tag] for tag in tags.tolist()]):
            if end == start + 1:
                alone[stripped[start]] += 1

    with gzip.open(news, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if record["date"] >= UNTIL:
                raise ValueError(f"{news} holds text dated {record['date']}: not allowed here")
            texts.append(record["text"])
            if len(texts) == ARTICLES_PER_CALL:
                tag_batch()
    tag_batch()
    return seen, alone


def common_words(seen: Counter[str], alone: Counter[str]) -> list[str]:
    """Frequent words rarely tagged alone, sorted."""
    return sorted(
        word
        for word, count in seen.items()
        if count >= MIN_COUNT and len(word) > 1 and alone[word] < MAX_NAME_SHARE * count
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("news", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    words = common_words(*count_words(args.news))
    with gzip.open(args.out, "wt", encoding="utf-8") as sink:
        sink.write("".join(f"{word}\n" for word in words))
    print(f"{len(words)} common words -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
