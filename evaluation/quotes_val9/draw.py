"""Draws the articles of quotes_val9 (run before annotation; kept for the record).

Usage: PYTHONPATH=src python evaluation/quotes_val9/draw.py [SHARED_DIR] [--write]
The steps are ``scripts/quote_set_draw.py``'s. Prints one id per line with its day and outlet;
``--write`` also writes ``articles.tsv`` (id, origin, SHA-1 of the text as ingested). No article
text is written anywhere.

Days: 2015-08-01..03, the only corpus days on or before 2015-08-03 that no development quote
set (``quotes_dev``, ``quotes_dev2``, ``quotes_dev7``, ``speakers_train``) draws from; they are
also the days of ``quotes_val``, ``quotes_val5``, ``quotes_val6`` and ``quotes_val8``, whose
articles are left out.
Pool rule of ``quotes_val6/draw.py`` (500-1,200 characters after ``clean_body``, one of the
reporting cues), without any article listed in another ``evaluation/*/articles.tsv``, sharing a
title with one of them, or repeating most of the words of one of them (the same story relayed
by a second outlet: at least half of its word trigrams are in a listed article of these days,
``quotes_val8``'s included).
The same number is drawn from each day, within a day one article per outlet before a second one.
The brief asks for articles that hold at least one attributed statement: a drawn article the
annotator found to hold none is listed in ``NO_STATEMENT`` and the next one of its day's order
takes its place.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "scripts"))

from quote_set_draw import run  # noqa: E402

SEED = 20150809
# drawn, read in full by the annotator, and found to hold no attributed statement
NO_STATEMENT: frozenset[str] = frozenset({"snn-afb5dd169e328a7a"})  # 2015-08-01, alyaum: a poem

if __name__ == "__main__":
    raise SystemExit(run(sys.argv, HERE, SEED, NO_STATEMENT))
