"""Build ``src/marsad/data/stem_df_ar.tsv.gz``: in how many news articles each stem occurs.

Related coverage (``marsad.search.related``) weighs a story's words by how rare they are in
news. A store of a few articles cannot tell (every word is in one or two of them), so that
count starts from this background table, learned once from SaudiNewsNet. Only July 2015
articles are counted: August is held out for independent evaluation. The table holds
counts of our own stems, no text; stems seen in fewer than ``--min-df`` articles are left
out (the reader treats them as unseen).

Usage::

    python scripts/build_stem_df.py --corpus ../shared/data/saudinewsnet/saudinewsnet.jsonl.gz
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import Counter
from pathlib import Path

from marsad.text import arabic

LAST_DAY = "2015-07-31"
OUT = Path(__file__).resolve().parents[1] / "src" / "marsad" / "data" / "stem_df_ar.tsv.gz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--min-df", type=int, default=3)
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args()
    df: Counter[str] = Counter()
    documents = 0
    with gzip.open(args.corpus, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if str(record.get("date", ""))[:10] > LAST_DAY or not record.get("text"):
                continue
            text = f"{record.get('title') or ''}\n{record['text']}"
            df.update(set(arabic.content_stems(arabic.tokenize(text))))
            documents += 1
    kept = sorted((stem, n) for stem, n in df.items() if n >= args.min_df)
    # mtime=0: the same corpus gives byte-identical output.
    with gzip.GzipFile(args.output, "wb", mtime=0) as raw:
        raw.write(f"# documents\t{documents}\n".encode())
        raw.write(f"# normalizer\t{arabic.NORMALIZER_VERSION}\n".encode())
        for stem, n in kept:
            raw.write(f"{stem}\t{n}\n".encode())
    print(f"{args.output}: {len(kept)} stems over {documents} articles")


if __name__ == "__main__":
    main()
