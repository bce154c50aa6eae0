"""Kinds of the speaker errors with no right candidate (issue 19, session 27).

Reads the matched statements of the speaker-choice development sets as
``scripts/train_speaker_choice.py`` collects them (its ``build/speaker_choice_items.pkl``
cache) and, for every statement whose candidates (``speaker_candidates``) hold no candidate
naming the gold speaker, decides its kind from evidence the article gives, mechanically:

- ``span_past``: the rules' speaker holds every word of the gold name and more;
- ``span_short``: the gold name holds every word of the rules' speaker and more;
- ``earlier_speaker``: a statement before it is credited to the gold speaker (further back
  than the candidates look, or as a form the candidates fold away);
- ``tagged_before``: the tagger found the gold speaker before the statement, outside the
  candidates' window of sentences;
- ``tagged_after``: the tagger found it only inside or after the statement;
- ``backref_kept``: the annotated mention is a reference (الشركة، المبعوث الأممي) to an
  entity named earlier in other words and never tagged as it, and the rules kept the reference;
- ``backref_other``: the same, the rules having credited another phrase;
- ``untagged_phrase``: the gold speaker is written as itself, a name the tagger missed
  (جمعية الأورمان الخيرية) or a description no tagger marks (صاحب المحل), and the rules
  credited another phrase;
- ``unnamed``: a source without a name (مصدر، مصادر، مسؤول، شهود), the gold canonical not
  being a name;
- ``not_written``: the gold canonical is written nowhere in the article (an annotator's
  normalised or inferred form).

The candidates are session 26's (``wide=False``); each error also says whether session 27's
widened candidates hold the right speaker. It writes
``evaluation/speaker_errors/kinds_s27_nocand.tsv`` (set, article, gold start and end, the
rules' speaker offsets, kind, the day, right candidate once widened; no article text) unless
``--no-write``, and prints counts by kind for July and for the unseen days 2015-08-01..03,
with the speaker accuracy of each group and of each day.

    PYTHONPATH=src:scripts python scripts/speaker_nocand_kinds.py
"""

from __future__ import annotations

import argparse
import pickle
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from speaker_choice_model import speaker_candidates
from train_speaker_choice import CACHE, DAYS

from marsad.evaluate.quotes_eval import match_statements
from marsad.extract.aliases import same_entity, without_name_proclitic
from marsad.extract.quotes import speaker_canonical
from marsad.text.arabic import fold

OUTPUT = Path("evaluation/speaker_errors/kinds_s27_nocand.tsv")
UNSEEN_DAYS = ("2015-08-01", "2015-08-02", "2015-08-03")
# Heads of an unnamed source: the gold canonical is a description, not a name.
_UNNAMED_HEADS = frozenset(
    fold(w) for w in ("مصدر", "مصادر", "مسؤول", "مسؤولون", "شهود", "شاهد", "سكان", "مراقبون")
)
_TRIM = ' \t\n,.;:،؛-–—"«»“”()'


def _words(phrase: str) -> list[str]:
    return [fold(w).strip(_TRIM) for w in phrase.split() if fold(w).strip(_TRIM)]


def _written(text: str, phrase: str) -> int:
    """Offset of the phrase's folded form in the folded text (-1 where absent); folding keeps
    lengths, so the offset indexes the text."""
    words = _words(phrase)
    return fold(text).find(" ".join(words)) if words else -1


def kind_of(article: dict[str, Any], statement: Any, gold: Any, index: int) -> str:
    text = article["text"]
    rules = speaker_canonical(statement.speaker_resolved)
    gold_words, rules_words = set(_words(gold.speaker_canonical)), set(_words(rules))
    if gold_words and gold_words < rules_words:
        return "span_past"
    if rules_words and rules_words < gold_words:
        return "span_short"
    for earlier in article["statements"][:index]:
        if same_entity(speaker_canonical(earlier.speaker_resolved), gold.speaker_canonical):
            return "earlier_speaker"
    tagged = [
        e
        for e in article["entities"]
        if e.label in ("PERS", "ORG")
        and same_entity(
            speaker_canonical(without_name_proclitic(e.text).strip(_TRIM)), gold.speaker_canonical
        )
    ]
    if any(e.start < statement.start for e in tagged):
        return "tagged_before"
    if tagged:
        return "tagged_after"
    first = _words(gold.speaker_canonical)[:1]
    if first and first[0] in _UNNAMED_HEADS:
        return "unnamed"
    if _written(text, gold.speaker_canonical) < 0 and _written(text, gold.speaker) < 0:
        return "not_written"
    written = speaker_canonical(gold.speaker) or gold.speaker
    if not same_entity(written, gold.speaker_canonical):
        # the annotated mention is a reference (الشركة، المبعوث الأممي، العالمتان) to an
        # entity named earlier in other words, never tagged as the speaker
        return "backref_kept" if same_entity(written, rules) else "backref_other"
    # a name the tagger missed (جمعية الأورمان الخيرية) or a description no tagger marks
    # (صاحب المحل، وسائل الإعلام التركية), written as itself, the rules crediting another phrase
    return "untagged_phrase"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--show", action="store_true", help="print each error's speakers")
    args = parser.parse_args()
    articles = pickle.loads(CACHE.read_bytes())
    days = dict(
        line.split("\t")
        for line in DAYS.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )
    rows = []
    matched: Counter[str] = Counter()
    right: Counter[str] = Counter()
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    by_day: dict[str, Counter[str]] = defaultdict(Counter)
    recovered: dict[str, Counter[str]] = defaultdict(Counter)  # right candidate once widened
    for article in articles:
        day = days.get(article["id"], "seed")
        group = "unseen" if day in UNSEEN_DAYS else "july"
        statements = article["statements"]
        candidates = speaker_candidates(
            article["text"], statements, article["entities"], wide=False
        )
        widened = speaker_candidates(article["text"], statements, article["entities"])
        position = {id(s): i for i, s in enumerate(statements)}
        for predicted, gold in match_statements(statements, article["gold"]):
            index = position[id(predicted)]
            options = candidates[index]
            matched[group] += 1
            by_day[day]["matched"] += 1
            rules_right = same_entity(options[0].canonical, gold.speaker_canonical)
            right[group] += rules_right
            by_day[day]["right"] += rules_right
            if rules_right:
                continue
            if any(same_entity(c.canonical, gold.speaker_canonical) for c in options):
                kinds[group]["has_candidate"] += 1
                by_day[day]["has_candidate"] += 1
                continue
            kind = kind_of(article, predicted, gold, index)
            kinds[group][kind] += 1
            found_wide = any(
                same_entity(c.canonical, gold.speaker_canonical) for c in widened[index]
            )
            recovered[group][kind] += found_wide
            by_day[day]["no_candidate"] += 1
            rows.append(
                (
                    article["set"],
                    article["id"],
                    str(gold.start),
                    str(gold.end),
                    f"{predicted.speaker_start}-{predicted.speaker_end}",
                    kind,
                    day,
                    "yes" if found_wide else "no",
                )
            )
            if args.show:
                print(
                    f"{article['set']}\t{article['id']}\t{gold.start}\t{kind}\t"
                    f"gold={gold.speaker} | {gold.speaker_canonical}\trules={options[0].canonical}"
                )
    every = sorted({k for group in kinds.values() for k in group})
    print(
        "kind, errors per group (per 1000 matched), and how many have a right candidate once widened"
    )
    print(f"{'kind':16s} {'july':>20s} {'unseen 08-01..03':>22s}")
    for group in ("july", "unseen"):
        print(
            f"  {group}: matched {matched[group]}, rules right {right[group]} "
            f"({right[group] / matched[group]:.3f})"
        )
    for kind in every:
        cells = []
        for group in ("july", "unseen"):
            count = kinds[group][kind]
            cells.append(
                f"{count:4d} ({1000 * count / matched[group]:5.1f}) widened {recovered[group][kind]:3d}"
            )
        print(f"{kind:16s} {cells[0]:>24s} {cells[1]:>24s}")
    total = sum(kinds["july"].values()) + sum(kinds["unseen"].values())
    print(f"errors {total}, no right candidate {len(rows)}")
    print("per day: matched, rules' accuracy, errors with / without a right candidate per 1000")
    for day in sorted(by_day):
        counts = by_day[day]
        print(
            f"  {day:10s} {counts['matched']:4d}  {counts['right'] / counts['matched']:.3f}  "
            f"{1000 * counts['has_candidate'] / counts['matched']:6.1f}  "
            f"{1000 * counts['no_candidate'] / counts['matched']:6.1f}"
        )
    if not args.no_write:
        header = (
            "# set\tarticle\tgold_start\tgold_end\trules_speaker_span\tkind\tday\t"
            "right_candidate_once_widened"
        )
        OUTPUT.write_text(
            "\n".join([header] + ["\t".join(r) for r in rows]) + "\n", encoding="utf-8"
        )
        print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
