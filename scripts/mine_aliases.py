"""Mines name aliases from SaudiNewsNet days and prints them as ``variant<TAB>canonical`` lines.

Usage: python scripts/mine_aliases.py 2015-07-21 2015-07-22 ... [--snn PATH] [--write]

With ``--write`` the lines replace the ``[mined]`` section of ``src/marsad/data/aliases_ar.tsv``
under a header that records the days and this command (``make mine-aliases``). Mining reads
the hand-written aliases only, never the mined section it replaces, so the same days give the
same lines. Days from 2015-08-04 on and kept-apart ids are refused; leave out the days of any
evaluation set still blind.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from snn_days import records_of_days

from marsad.name_variants import mine_texts

ALIAS_FILE = Path(__file__).resolve().parents[1] / "src" / "marsad" / "data" / "aliases_ar.tsv"
MINED_HEADER = "[mined]"
# What the mined lines are, kept above them in the alias file.
MINED_NOTE = """\
# by marsad.extract.aliases.mine_aliases: acronym in brackets beside its expansion (shared by three
# uses, or read from an institution noun before the bracket when two uses agree or a rare acronym's
# uses do not disagree); a title phrase before or after a person's name (الرئيس الأمريكي باراك
# أوباما; الأمير X، أمير منطقة ...), phrases of one office pooled (الرئيس الفرنسي = رئيس الجمهورية
# الفرنسية), uses counted per article and outlet and weighted by recency, former and late holders
# and a deputy's principal left out, thresholds in marsad.extract.aliases.TITLE_THRESHOLDS;
# «X المعروف بـ Y» appositions; honorific + given name before a full name; a full name in brackets
# after another name of the same body (three uses). A title names its holder near these days only.
# Mining reads only the hand-written sections above, so re-running gives these lines again.
# Regenerate with the command below rather than edit by hand."""


def replace_mined_section(alias_text: str, header: str, lines: list[str]) -> str:
    """The alias file with everything from its ``[mined]`` line on replaced by ``header`` and
    ``lines``; the hand-written part above it is kept as it is."""
    kept, found, _ = alias_text.partition(MINED_HEADER + "\n")
    if not found:
        raise ValueError(f"{ALIAS_FILE} has no {MINED_HEADER} line")
    return kept + MINED_HEADER + "\n" + header + "\n" + "".join(f"{line}\n" for line in lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("days", nargs="+")
    parser.add_argument("--snn", type=Path, default=Path("../shared/data/saudinewsnet"))
    parser.add_argument("--write", action="store_true", help="replace the file's mined section")
    args = parser.parse_args()
    try:
        records = list(records_of_days(args.snn, args.days))
    except ValueError as exc:
        parser.error(str(exc))
    texts = [f"{doc['title'] or ''}\n{doc['text'] or ''}" for doc in records]
    # the product's path (a store mines its own articles the same way)
    mined = mine_texts(texts, [doc["source"] for doc in records], [doc["date"] for doc in records])
    lines = [f"{variant}\t{canonical}" for variant, canonical in mined]
    print(f"mined {len(lines)} lines from {len(texts)} articles", file=sys.stderr)
    if not args.write:
        print("\n".join(lines))
        return 0
    header = "\n".join(
        [
            f"# Mined from evidence (apposition) in {len(texts):,} SaudiNewsNet articles dated "
            + " ".join(sorted(args.days)),
            "# (kept-apart ids left out; nothing dated 2015-08-01 or later)",
            MINED_NOTE,
            "# PYTHONPATH=src:scripts python scripts/mine_aliases.py --write "
            + " ".join(args.days),
        ]
    )
    text = ALIAS_FILE.read_text(encoding="utf-8")
    ALIAS_FILE.write_text(replace_mined_section(text, header, lines), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
