"""Draws name-variant candidates for aliases_val6 and applies the overlap exclusion.

Usage (from the repository root):
    python evaluation/aliases_val6/draw.py candidates [--out build/aval6/candidates.txt]
    python evaluation/aliases_val6/draw.py finalize

The steps are ``scripts/alias_set_draw.py``'s; this file names the set's days (the older
sets whose names it must not share are those before it in ``ALIAS_SETS`` there).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "scripts"))

from alias_set_draw import run  # noqa: E402

# The days neither the blind aliases_val5 (08-01..03) nor the brief's mined days (07-24..27) hold.
DAYS = ("2015-07-21", "2015-07-22", "2015-07-23", "2015-07-31")

if __name__ == "__main__":
    sys.exit(run(HERE, DAYS))
