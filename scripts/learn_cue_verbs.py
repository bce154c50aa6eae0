"""Learns reporting-cue verbs from unlabelled text: verbs that open a clause and are followed,
after a subject (a first word that is no particle), by a content clause (أن/إن/بأن/أنه ...), a colon or a quotation, about as
often as the listed cue verbs are.

For every clause-opening word (sentence start, after a comma, or carrying و/ف) it counts how
often a complement follows within ``--window`` words with at least one word (the subject) in
between and no listed cue before it. A word becomes a candidate when

- it and its feminine (+ت) occur at least ``--min-count`` times together, the feminine at
  least once (a past verb agrees with its subject; حقيقة or عليها has no such form),
- its rate is at least the ``--quantile`` of the listed cue verbs' rates (those counted as often),
- it or its feminine falls, with و, in one of the corpus syntactic classes of the listed cue
  verbs (a past verb: the class test of quotes.py's clause-subject rule),
- the commonest word after it opens under ``--max-subject-share`` of its complements (a
  fixed phrase such as جدير بالذكر أن has one word there; a cue verb has varied subjects),
- and no cue section lists it yet.

    PYTHONPATH=src python scripts/learn_cue_verbs.py build/july5k.jsonl.gz

Prints the listed verbs' rates, the threshold and the candidates (counts only; no text).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from marsad.extract.quotes import _cue_verb_classes, _verb_class
from marsad.text.arabic import STOPWORDS, fold, word_sections

_SENTENCE_SPLIT_RE = re.compile(r"[.!?؟\n]+")
_TOKEN_RE = re.compile(r"[^\s,،;:.\"«»“”()!?]+|[,:«»“”\"]")
_CLOSERS = {"«": "»", "“": "”", '"': '"'}
MAX_QUOTED_NAME_WORDS = 4  # a shorter quotation is a name («عكاظ»), as in quotes.py
_COMPLEMENTS = frozenset(
    fold(w)
    for w in ("أن", "إن", "بأن", "أنه", "أنها", "بأنه", "بأنها", "أنهم", "بأنهم", "إنه", "إنها")
) | frozenset((":", "«", "“", '"'))
_OPENERS = frozenset((",",))


def count(
    path: Path, window: int, listed: frozenset[str]
) -> tuple[Counter[str], Counter[str], dict[str, Counter[str]]]:
    """Occurrences of clause-opening words, those followed by a complement, and the first
    word after them in those (the subject's first word)."""
    seen: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    subjects: dict[str, Counter[str]] = defaultdict(Counter)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            text = fold(json.loads(line)["text"]).replace("،", ",")
            for sentence in _SENTENCE_SPLIT_RE.split(text):
                tokens = _TOKEN_RE.findall(sentence)
                for index, token in enumerate(tokens):
                    if token in _COMPLEMENTS or token in _OPENERS or token in "»”":
                        continue
                    clause_start = index == 0 or tokens[index - 1] in _OPENERS
                    conj = token[0] in "وف" and len(token) > 3
                    if not (clause_start or conj):
                        continue
                    word = token[1:] if conj else token
                    seen[word] += 1
                    ahead = index
                    while ahead + 1 < min(len(tokens), index + 1 + window):
                        ahead += 1
                        following = tokens[ahead]
                        closer = _CLOSERS.get(following)
                        if (
                            closer is not None
                            and closer in tokens[ahead + 1 : ahead + 2 + MAX_QUOTED_NAME_WORDS]
                        ):
                            # علمت «عكاظ» أن: a quoted name is part of the subject
                            ahead = tokens.index(closer, ahead + 1)
                            continue
                        if following in _COMPLEMENTS:
                            # a subject in between: its first word no particle (له، إلى)
                            if ahead > index + 1 and tokens[index + 1] not in STOPWORDS:
                                hits[word] += 1
                                subject = tokens[index + 1]
                                if subject in _CLOSERS:
                                    subject = tokens[index + 2]  # the quoted name («عكاظ»)
                                subjects[word][subject] += 1
                            break
                        bare = following[1:] if following[0] in "وف" else following
                        if following in listed or bare in listed:
                            break  # a listed cue later in the clause owns the complement
    return seen, hits, subjects


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--window", type=int, default=12)
    parser.add_argument("--min-count", type=int, default=20)
    parser.add_argument("--quantile", type=float, default=0.25)
    parser.add_argument("--max-subject-share", type=float, default=0.5)
    parser.add_argument("--show", nargs="*", default=[], help="words to print the counts of")
    args = parser.parse_args()

    sections = {k: [fold(e) for e in v] for k, v in word_sections("cue_verbs_ar.txt").items()}
    cue_verbs = [v for v in sections["verbs"] if not v.startswith("ي")]  # past tense
    listed = frozenset(
        f for entries in sections.values() for v in entries for f in (v, v + "ت", v[:-1] + "ت")
    )
    seen, hits, subjects = count(args.corpus, args.window, listed)

    def combined(word: str) -> tuple[int, int]:
        return seen[word] + seen[word + "ت"], hits[word] + hits[word + "ت"]

    def top_subject_share(word: str) -> float:
        """The share of the commonest first word after it: near 1 for a fixed phrase
        (جدير بالذكر أن، سبق له أن), low for a verb with varied subjects."""
        first = subjects[word] + subjects[word + "ت"]
        total = sum(first.values())
        return max(first.values()) / total if total else 1.0

    rates = []
    for verb in cue_verbs:
        n, k = combined(verb)
        if n >= args.min_count:
            rates.append(k / n)
        print(f"listed\t{verb}\t{n}\t{k}\t{k / n if n else 0:.3f}\t{top_subject_share(verb):.2f}")
    rates.sort()
    threshold = rates[int(args.quantile * (len(rates) - 1))]
    print(f"threshold\t{threshold:.3f}\t(quantile {args.quantile} of {len(rates)} listed verbs)")
    classes = _cue_verb_classes()
    for word in sorted(seen, key=lambda w: -combined(w)[1]):
        if word.endswith("ت") and word[:-1] in seen:
            continue  # counted with its masculine
        n, k = combined(word)
        if n < args.min_count or k / n < threshold or word in STOPWORDS:
            continue
        if word in listed or word + "ت" in listed:  # لف: the masculine of a listed لفت
            continue
        if word.startswith(("ي", "ت", "ال")) or not classes & {
            _verb_class("و" + word),
            _verb_class("و" + word + "ت"),  # وعلمت: a verb, though وعلم is mostly a noun
        }:
            continue
        if not seen[word + "ت"]:
            continue  # no feminine (+ت) form opens a clause: no past verb (حقيقة، عليها)
        share = top_subject_share(word)
        kind = "candidate" if share < args.max_subject_share else "fixed_phrase"
        print(f"{kind}\t{word}\t{n}\t{k}\t{k / n:.3f}\t{share:.2f}")
    for word in args.show:
        word = fold(word)
        n, k = combined(word)
        print(f"show\t{word}\t{n}\t{k}\t{k / n if n else 0:.3f}\t{top_subject_share(word):.2f}")


if __name__ == "__main__":
    main()
