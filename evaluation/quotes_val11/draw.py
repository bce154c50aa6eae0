"""Draws the articles of quotes_val11 (run before annotation; kept for the record).

Usage: PYTHONPATH=src python evaluation/quotes_val11/draw.py [SHARED_DIR] [--write]
The days, pool and order are ``scripts/quote_set_draw.py``'s (2015-08-01..03; the articles of
``quotes_val``, ``quotes_val5``, ``quotes_val6``, ``quotes_val8``, ``quotes_val9`` and
``quotes_val10`` and their near-copies left out); this file names the set's seed and the drawn
articles its annotator found to hold no attributed statement.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "scripts"))

from quote_set_draw import run  # noqa: E402

SEED = 20150811
# drawn, read in full by the annotator, and found to hold no attributed statement
NO_STATEMENT: frozenset[str] = frozenset(
    {
        "snn-50582f5f52171816",  # 2015-08-01, alyaum: a scout camp's flags, no reporting cue at all
        # 2015-08-01, alweeam: a death notice whose only cues are أكد ثقته (a stance, like أكد
        # حرصه) and تمنى رؤيته (a wish without a clause)
        "snn-97ab572696c7b367",
        # 2015-08-02, aljazirah: a club's training report, no reporting cue (قال only inside
        # الانتقالات)
        "snn-e4e3c17e6a4fec15",
        # 2015-08-03, aljazirah: an elegy signed by its poet (his own text, nobody reported)
        "snn-8f6e30be58d5fdd2",
        # 2015-08-03, aljazirah: a match report (أضاف only as "added a goal")
        "snn-67b0b216b17d2d07",
        # 2015-08-03, 3alyoum: a police report of a death (only إخطارا ... يفيد بمصرع, a
        # notification like quotes_val9's بلاغًا يفيد بوقوع حادث)
        "snn-85c36ef7646eb2e2",
    }
)

if __name__ == "__main__":
    raise SystemExit(run(sys.argv, HERE, SEED, NO_STATEMENT))
