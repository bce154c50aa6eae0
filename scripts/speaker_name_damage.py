"""Counts speaker canonicals that cut a tagged name, on unlabelled July text.

The pool: SaudiNewsNet articles of 2015-07-21..25 (``build/snn_july.jsonl.gz``) in no
``evaluation/*/articles.tsv`` (only the id column is read) and not kept apart, shuffled with a
fixed seed. Each article is tagged once (entities cached in ``build/``), its statements come
from the extract stage's rules and speaker check, and every fresh speaker whose phrase holds a
tagged PERS/ORG name is listed with its canonical form. A canonical is *damaged* when it drops
a word of that name (leading titles and a glued preposition aside); the kind is read from the
first dropped word.

    PYTHONPATH=src python scripts/speaker_name_damage.py --limit 2500 --dump build/pool_after.tsv

``--dump`` writes every (article, span, phrase, canonical) row, so two runs can be compared.
"""

from __future__ import annotations

import argparse
import gzip
import json
import pickle
import random
from collections import Counter
from pathlib import Path

from marsad.extract.aliases import is_role_word, is_title_word
from marsad.extract.ner import load_tagger
from marsad.extract.quotes import extract_statements, speaker_canonical
from marsad.extract.speaker_entities import snap_speakers
from marsad.text.arabic import STOPWORDS, fold, strip_article_clitics, word_sections

POOL_DAYS = ("2015-07-21", "2015-07-22", "2015-07-23", "2015-07-24", "2015-07-25")
SEED = 23
CONNECTORS = frozenset(fold(w) for w in word_sections("speaker_words_ar.txt")["name_connectors"])
# particles of European names (van, de, le, du, von): they continue a name, as بن does
FOREIGN_PARTICLES = frozenset(fold(w) for w in ("فان", "دي", "لو", "دو", "فون", "دا", "لا"))
_PUNCT = " \t\n,.;:!?\"'«»“”„()-–—،؛؟…"


def evaluation_ids() -> set[str]:
    """Ids of every annotated article (first column only), and of kept-apart articles."""
    ids: set[str] = set()
    for path in Path("evaluation").glob("*/articles.tsv"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                ids.add(line.split("\t", 1)[0].removesuffix(".txt"))
    kept = Path("../shared/data/saudinewsnet/kept_apart_ids.txt")
    if kept.exists():
        ids |= {line.strip() for line in kept.read_text(encoding="utf-8").splitlines()}
    return ids


def pool(limit: int) -> list[dict[str, str]]:
    excluded = evaluation_ids()
    rows = []
    with gzip.open("build/snn_july.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            day = row["date"][:10]
            if day in POOL_DAYS and row["id"] not in excluded:
                rows.append(row)
    rows.sort(key=lambda r: r["id"])
    random.Random(SEED).shuffle(rows)
    return rows[:limit]


def tagged(rows: list[dict[str, str]]) -> list[list[tuple[str, str, int, int]]]:
    cache = Path(f"build/pool_entities_{len(rows)}.pkl")
    if cache.exists():
        cached: list[list[tuple[str, str, int, int]]] = pickle.loads(cache.read_bytes())
        return cached
    tagger = load_tagger()
    found = [[(e.text, e.label, e.start, e.end) for e in tagger.entities(r["text"])] for r in rows]
    cache.write_bytes(pickle.dumps(found))
    return found


class Span:
    def __init__(self, text: str, label: str, start: int, end: int) -> None:
        self.text, self.label, self.start, self.end = text, label, start, end


def normal(word: str) -> str:
    """A word folded, without punctuation and a preposition or conjunction on its article."""
    return strip_article_clitics(word.strip(_PUNCT))


def name_words(entity_text: str) -> list[str]:
    """The tagged name's words, normalised, without leading titles."""
    words = [normal(w) for w in entity_text.replace("-", " ").split()]
    words = [w for w in words if w]
    while words and is_title_word(words[0]):
        words = words[1:]
    return words


def kept_word(word: str, kept: set[str], first: bool) -> bool:
    """Whether the canonical keeps a name word (the first one may carry و، ب or ل)."""
    return word in kept or (first and word[:1] in "وبل" and word[1:] in kept)


def kind_of(dropped: str, previous: str) -> str:
    if previous in CONNECTORS | FOREIGN_PARTICLES or dropped in CONNECTORS | FOREIGN_PARTICLES:
        return "after or at a connector (بن، آل، فان، لو)"
    if dropped in STOPWORDS:
        return "stopword in the tagged span"
    if is_title_word(dropped):
        return "title-looking word (السيد، الأمين)"
    if dropped.startswith(("بال", "لل", "ب", "ل")):
        return "preposition-looking word (بالاغو، للبترول)"
    return "other word"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=2500)
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--show", type=int, default=40)
    args = parser.parse_args()
    rows = pool(args.limit)
    entities = tagged(rows)
    kinds: Counter[str] = Counter()
    seen: set[tuple[str, str]] = set()
    examples: list[str] = []
    dump: list[str] = []
    checked = 0
    seen_resolved: set[tuple[str, str]] = set()
    for row, found in zip(rows, entities, strict=True):
        text = row["text"]
        spans = [Span(*e) for e in found]
        names = [s for s in spans if s.label in ("PERS", "ORG")]
        for st in snap_speakers(text, extract_statements(text), spans):
            canonical = speaker_canonical(st.speaker_resolved)
            dump.append(f"{row['id']}\t{st.speaker_start}\t{st.speaker_resolved}\t{canonical}")
            if fold(st.speaker) == fold(st.speaker_resolved):
                inside = [
                    n for n in names if st.speaker_start <= n.start and n.end <= st.speaker_end
                ]
            else:  # a reference resolved to an earlier mention: the names written in it
                if (row["id"], st.speaker_resolved) in seen_resolved:
                    continue
                seen_resolved.add((row["id"], st.speaker_resolved))
                padded = f" {st.speaker_resolved} "
                inside = [n for n in names if f" {n.text} " in padded]
            if not inside:
                continue
            checked += 1
            kept = {normal(w) for w in canonical.replace("-", " ").split()}
            phrase = {normal(w) for w in st.speaker_resolved.replace("-", " ").split()}
            if kept - phrase:
                continue  # an alias table's canonical (الفاو -> منظمة الأغذية والزراعة)
            for entity in inside:
                words = name_words(entity.text)
                dropped = [i for i, w in enumerate(words) if not kept_word(w, kept, i == 0)]
                if not dropped or len(words) < 2:
                    continue
                key = (st.speaker_resolved, canonical)
                kind = kind_of(words[dropped[0]], words[dropped[0] - 1] if dropped[0] else "")
                kinds[kind] += 1
                if key not in seen:
                    seen.add(key)
                    examples.append(
                        f"{kind}\t{entity.label}\t{entity.text}\t{st.speaker_resolved}\t{canonical}"
                    )
                break
            last = [fold(w.strip(_PUNCT)) for w in canonical.split()]
            if (
                len(last) > 1
                and is_role_word(last[-1])
                and not last[-1].startswith("ال")  # ولي؛ الحاج، الملا close names as family names
                and last[-2] not in CONNECTORS
                and any(n.label == "PERS" for n in inside)
            ):
                kinds["canonical ends in a role word (ولي)"] += 1
                examples.append(f"ends in role\t\t\t{st.speaker_resolved}\t{canonical}")
    print(f"articles={len(rows)} fresh speakers holding a tagged PERS/ORG name={checked}")
    for kind, count in kinds.most_common():
        print(f"{count}\t{kind}")
    for line in examples[: args.show]:
        print(line)
    if args.dump:
        args.dump.write_text("\n".join(dump) + "\n", encoding="utf-8")
    print(f"damaged={sum(v for k, v in kinds.items() if 'ends in' not in k)}")


if __name__ == "__main__":
    main()
