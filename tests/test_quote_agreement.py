"""scripts/quote_agreement.py: two annotations scored with the quote scorer's matching."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from marsad.evaluate.quotes_eval import GoldStatement

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "quote_agreement.py"
_spec = importlib.util.spec_from_file_location("quote_agreement", SCRIPT)
assert _spec and _spec.loader
agreement = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(agreement)


def _item(article: str, canonical: str, start: int, end: int) -> GoldStatement:
    return GoldStatement(article, canonical, canonical, start, end, False)


def test_half_overlap_matches_and_speakers_compare_as_entities() -> None:
    first = [
        _item("a", "فلاديمير بوتين", 0, 40),
        _item("a", "وزارة الداخلية", 50, 90),
        _item("b", "رويترز", 0, 30),
    ]
    second = [
        _item("a", "بوتين", 10, 40),  # covers 30 of 40 gold characters; surname = same person
        _item("a", "مصدر أمني", 55, 90),  # matched, another speaker
        _item("b", "رويترز", 20, 30),  # covers 10 of 30: under half, no match
    ]
    pairs = agreement.matched_pairs(first, second)
    assert len(pairs) == 2
    agreed = [agreement.speakers_agree(p, g) for p, g in pairs]
    assert sorted(agreed) == [False, True]
    line, raw = agreement.kappa_report(pairs)
    assert raw == 0.5
    assert "kappa=" in line


def test_report_directions_swap_precision_and_recall() -> None:
    first = [_item("a", "الشرطة", 0, 20), _item("a", "الجيش", 30, 50)]
    second = [_item("a", "الشرطة", 0, 20)]
    to_second = agreement.direction_report("x", first, second)
    to_first = agreement.direction_report("y", second, first)
    assert "precision=1.000 recall=0.500" in to_second
    assert "precision=0.500 recall=1.000" in to_first
