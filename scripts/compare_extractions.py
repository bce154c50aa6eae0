"""Are two extraction dumps identical? (``scripts/profile_extract.py --dump``, or whole
prepared records: ``scripts/backfill_profile_prepare.py --dump``)

Usage::

    python scripts/compare_extractions.py OLD.jsonl NEW.jsonl

Compares the dumps article by article and field by field (entities, statements, numbers,
dates, and every other field a dump has: every attribute, floats by their repr). Prints
the count of articles whose field differs and the first few differences. The last line is
``identical=yes`` or ``identical=no``;
the exit status is 0 only when they are identical.
"""

from __future__ import annotations

import json
import sys

FIELDS = ("entities", "statements", "numbers", "dates")
SHOWN = 5


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as old_file, open(argv[1], encoding="utf-8") as new_file:
        old_rows = [json.loads(line) for line in old_file]
        new_rows = [json.loads(line) for line in new_file]
    problems = 0
    if len(old_rows) != len(new_rows):
        print(f"article counts differ: {len(old_rows)} vs {len(new_rows)}")
        problems += 1
    # Extraction fields first, then whatever else the dumps hold (prepared records).
    fields: list[str] = []
    for row in old_rows[:1] + new_rows[:1]:
        fields += [key for key in FIELDS if key in row and key not in fields]
        fields += [key for key in row if key != "origin" and key not in [*FIELDS, *fields]]
    differing = dict.fromkeys(fields, 0)
    items = dict.fromkeys(fields, 0)
    shown = 0
    for old, new in zip(old_rows, new_rows, strict=False):
        # Origins are "path:line"; the two runs may have named the corpus by other paths.
        if old["origin"].rsplit("/", 1)[-1] != new["origin"].rsplit("/", 1)[-1]:
            print(f"article order differs at {old['origin']} / {new['origin']}")
            problems += 1
            break
        for field in fields:
            old_value, new_value = old.get(field), new.get(field)
            items[field] += len(old_value) if isinstance(old_value, list | dict) else 1
            if old_value != new_value:
                differing[field] += 1
                if shown < SHOWN:
                    shown += 1
                    print(f"{old['origin']} {field}:\n  old {old_value}\n  new {new_value}")
    for field in fields:
        print(f"{field:<11} {items[field]:7d} items (old), {differing[field]:4d} articles differ")
    problems += sum(differing.values())
    print(f"articles={len(old_rows)} identical={'yes' if not problems else 'no'}")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
