"""Checks of the blind alias validation set evaluation/aliases_val4 (its shape, not the scores)."""

from __future__ import annotations

import json
import subprocess
import sys
from itertools import combinations
from typing import Any

import pytest

from conftest import REPO, SHARED

GOLD = REPO / "evaluation" / "aliases_val4" / "aliases_val4.jsonl"
DAYS = ("2015-07-21", "2015-07-22", "2015-07-23", "2015-07-31")
SNN = SHARED / "data" / "saudinewsnet"
DESCRIPTORS = ("حزب", "حركة", "جماعة", "تنظيم", "منظمة", "ميليشيات", "قوات", "جمهورية")


def _rows() -> list[dict[str, Any]]:
    lines = GOLD.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _groups() -> list[list[str]]:
    return [row["variants"] for row in _rows() if "variants" in row]


def _negatives() -> list[tuple[str, str]]:
    return [(row["a"], row["b"]) for row in _rows() if row.get("same") is False]


def test_set_is_as_large_as_the_brief_asks() -> None:
    assert len(_groups()) >= 45
    assert len(_negatives()) >= 25
    assert all(len(group) >= 2 for group in _groups())


def test_labels_do_not_contradict_each_other() -> None:
    names = [name for group in _groups() for name in group]
    assert len(names) == len(set(names)), "a name is in two groups"
    group_of = {name: number for number, group in enumerate(_groups()) for name in group}
    for a, b in _negatives():
        assert a != b
        both_grouped = a in group_of and b in group_of
        assert not (both_grouped and group_of[a] == group_of[b]), f"{a} / {b}"
    assert len({frozenset(pair) for pair in _negatives()}) == len(_negatives())


def test_the_issue_kinds_are_present() -> None:
    pairs = [pair for group in _groups() for pair in combinations(group, 2)]

    def compound_spacing(a: str, b: str) -> bool:
        return a != b and ("عبد " in a or "عبد " in b) and a.replace(" ", "") == b.replace(" ", "")

    def clitic(a: str, b: str) -> bool:
        return any(long[0] in "وبل" and long[1:] == short for long, short in ((a, b), (b, a)))

    def descriptor(a: str, b: str) -> bool:
        return any(
            long in (f"{word} {short}" for word in DESCRIPTORS) for long, short in ((a, b), (b, a))
        )

    assert sum(compound_spacing(a, b) for a, b in pairs) >= 5
    assert sum(clitic(a, b) for a, b in pairs) >= 5
    assert sum(descriptor(a, b) for a, b in pairs) >= 5


@pytest.mark.slow
@pytest.mark.shared
@pytest.mark.skipif(
    not (SNN / "saudinewsnet.jsonl.gz").is_file(), reason="needs ../shared/data/saudinewsnet"
)
def test_every_name_occurs_verbatim_on_the_source_days() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/check_alias_gold.py", str(GOLD), *DAYS, "--snn", str(SNN)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "missing=0" in result.stdout
