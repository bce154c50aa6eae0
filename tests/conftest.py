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
