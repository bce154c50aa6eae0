"""Story analyses from stored extraction against analyses that extract from the text again.

Usage: python scripts/check_stored_extraction.py STORE [--stories N] [--seed S]

For a sample of stories with at least two articles, builds each analysis twice from the
same store: as the read side does now (numbers, statements and dates that ingest stored,
speakers resolved over the whole article) and as it did before (``extracted=None``: the
comparison runs the number, statement and date extractors on the bodies again). Prints per
section how many stories differ, then what kind of difference the statements make: the
same statements at the same offsets whose speaker differs (the stored ones carry the
article's speaker resolution), or anything else. The last line is the share of stories
whose analyses are identical.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from dataclasses import replace
from typing import Any

from marsad.compare.analyze import StoryArticle, analyze_story
from marsad.compare.facts import extract_from_text
from marsad.store import open_store
from marsad.views import outlets_active_around, story_articles

SECTIONS = ("coverage", "framing", "distinctive_terms", "timeline")
NAMES = (
    *SECTIONS,
    "claims.unique_claims",
    "claims.quotes",
    "disagreements.numbers",
    "disagreements.statements",
)


def _sections(analysis: dict[str, Any]) -> dict[str, Any]:
    found = {name: analysis[name] for name in SECTIONS}
    found["claims.unique_claims"] = [c["unique_claims"] for c in analysis["claims"]]
    found["claims.quotes"] = [c["quotes"] for c in analysis["claims"]]
    found["disagreements.numbers"] = analysis["disagreements"]["numbers"]
    found["disagreements.statements"] = analysis["disagreements"]["statements"]
    return found


def _statement_kinds(articles: list[StoryArticle], counts: Counter[str]) -> None:
    """Compare stored statements with re-extracted ones, per original text."""
    for article in articles:
        if article.extracted is None or article.duplicate_of is not None:
            continue
        again = extract_from_text(article.body, article.published.date()).statements
        stored = article.extracted.statements
        if stored == again:
            counts["texts: statements identical"] += 1
            continue
        same_spans = [(s.start, s.end, s.speaker) for s in stored] == [
            (s.start, s.end, s.speaker) for s in again
        ]
        if same_spans and [replace(s, speaker_resolved="") for s in stored] == [
            replace(s, speaker_resolved="") for s in again
        ]:
            counts["texts: only the resolved speaker differs"] += 1
        else:
            counts["texts: statements differ otherwise"] += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("store")
    parser.add_argument("--stories", type=int, default=200, help="sample size (default 200)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    store = open_store(args.store, read_only=True)
    ids = [i for i in store.story_ids_with_articles() if len(store.story_articles(i)) >= 2]
    random.Random(args.seed).shuffle(ids)
    sample = sorted(ids[: args.stories])
    differ: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    identical = unextracted = 0
    for story_id in sample:
        members = store.story_articles(story_id)
        outlets = outlets_active_around(store, members)
        stored = story_articles(store, story_id, members)
        member_ids = {a.id for a in members}
        texts = [
            a.id for a in members if a.duplicate_of is None or a.duplicate_of not in member_ids
        ]
        unextracted += len(store.unextracted_articles(texts))
        before = analyze_story([replace(a, extracted=None) for a in stored], all_outlets=outlets)
        after = analyze_story(stored, all_outlets=outlets)
        _statement_kinds(stored, kinds)
        changed = [
            name for name, value in _sections(after).items() if value != _sections(before)[name]
        ]
        differ.update(changed)
        identical += not changed
    print(f"stories compared: {len(sample)} (of {len(ids)} with 2+ articles)")
    for name in NAMES:
        print(f"  {name}: {differ[name]} stories differ")
    for kind, count in sorted(kinds.items()):
        print(f"  {kind}: {count}")
    print(f"  texts with no stored extraction (copies of another story's article): {unextracted}")
    print(f"identical analyses: {identical}/{len(sample)} = {identical / max(1, len(sample)):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
