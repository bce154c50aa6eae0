"""Shared fixtures: where ../shared lives, and a fresh store."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"

needs_shared = pytest.mark.skipif(
    not SEEDS.is_dir(), reason="../shared (seeds and third-party data) is not beside the checkout"
)


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "marsad.db")


# One fire and, six days on, another outlet's report of the visit to its site: separate
# stories (days and wording apart), each the other's related coverage.
FIRE = (
    "اندلع حريق ضخم في مصنع للأثاث بالمدينة الصناعية في بريدة، وأخمدت فرق الدفاع المدني"
    " النيران بعد سبع ساعات من العمل المتواصل دون تسجيل إصابات بين العمال."
)
VISIT = (
    "تفقد أمير منطقة القصيم موقع مصنع الأثاث الذي التهمه الحريق في المدينة الصناعية ببريدة،"
    " واطلع على تقرير الدفاع المدني عن أسباب الحادث، ووجه بتعويض المستثمرين وإعادة تأهيل الموقع."
)
