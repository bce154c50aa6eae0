"""Draws name-variant candidates for aliases_val5 and applies the overlap exclusion.

Usage (from the repository root):
    python evaluation/aliases_val5/draw.py candidates [--out build/aval5/candidates.txt]
    python evaluation/aliases_val5/draw.py finalize

The steps are ``scripts/alias_set_draw.py``'s; this file names the set's days (the older
sets whose names it must not share are those before it in ``ALIAS_SETS`` there).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "scripts"))

from alias_set_draw import run  # noqa: E402

DAYS = ("2015-08-01", "2015-08-02", "2015-08-03")

if __name__ == "__main__":
    sys.exit(run(HERE, DAYS))
