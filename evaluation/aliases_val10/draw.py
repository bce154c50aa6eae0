"""Draws name-variant candidates for aliases_val10 and applies the overlap exclusion.

Usage (from the repository root):
    python evaluation/aliases_val10/draw.py candidates [--out build/aval10/candidates.txt]
    python evaluation/aliases_val10/draw.py finalize

The steps are ``scripts/alias_set_draw.py``'s; this file names the set's days (the older
sets whose names it must not share are those before it in ``ALIAS_SETS`` there).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "scripts"))

from alias_set_draw import run  # noqa: E402

# The validation days: never used to mine the shipped alias list (July days) nor by a development
# set. aliases_val5, aliases_val7, aliases_val8 and aliases_val9 hold them too, so their names are
# in the exclusion (older sets).
DAYS = ("2015-08-01", "2015-08-02", "2015-08-03")

if __name__ == "__main__":
    sys.exit(run(HERE, DAYS))
