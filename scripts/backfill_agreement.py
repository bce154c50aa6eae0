"""Do ``marsad backfill`` and ``marsad ingest`` of one input agree on stories?

Usage::

    python scripts/backfill_agreement.py STREAM.db BACKFILL.db [GOLD.jsonl[.gz]]

Prints B-cubed and pairwise P/R/F1 of the backfill's grouping scored against the streaming
ingest's (the reference) and, with a
gold file (``marsad eval stories`` format), each store's B-cubed F1 on the labeled articles
(the same scoring as ``marsad eval stories``). The last line is the agreement B-cubed F1.
"""

from __future__ import annotations

import sys
from pathlib import Path

from marsad.evaluate.metrics import bcubed, pairwise
from marsad.evaluate.stories import load_gold
from marsad.store import Store
from marsad.text.arabic import NORMALIZER_VERSION


def stories_of(path: str) -> dict[str, str]:
    """Input id -> story label of every stored article in a story."""
    store = Store(path, normalizer_version=NORMALIZER_VERSION)
    try:
        return {ext_id: f"s{story}" for ext_id, story in store.story_assignments().items()}
    finally:
        store.close()


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    stream = stories_of(argv[0])
    filled = stories_of(argv[1])
    print(f"articles in a story: streaming {len(stream)}, backfill {len(filled)}")
    if not stream:
        # Stories are matched by input id: .txt inputs (the demo folder) have none.
        print(
            "no stored article has an input id; give JSONL or CSV input with ids", file=sys.stderr
        )
        return 1
    b_p, b_r, b_f = bcubed(filled, stream)
    p_p, p_r, p_f = pairwise(filled, stream)
    print(f"pairwise (backfill vs streaming) P {p_p:.4f} R {p_r:.4f} F1 {p_f:.4f}")
    if len(argv) == 3:
        _, gold = load_gold(Path(argv[2]))
        for name, pred in (("streaming", stream), ("backfill", filled)):
            full = {item: pred.get(item, f"missing:{item}") for item in gold}
            g_p, g_r, g_f = bcubed(full, gold)
            print(f"gold {name}: bcubed P {g_p:.4f} R {g_r:.4f} F1 {g_f:.4f} ({len(gold)} labeled)")
    print(f"B-cubed (backfill vs streaming) P {b_p:.4f} R {b_r:.4f} bcubed_f1={b_f:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
