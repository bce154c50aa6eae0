"""Shared fixtures: where ../shared lives, and a fresh store on either backend."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pg_support import PostgresServer

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"

needs_shared = pytest.mark.skipif(
    not SEEDS.is_dir(), reason="../shared (seeds and third-party data) is not beside the checkout"
)


@pytest.fixture(autouse=True)
def no_store_aliases_after() -> Iterator[None]:
    """A store a test opened leaves its mined name variants in use in this process
    (marsad.name_variants): they must not reach the next test's name decisions."""
    yield
    from marsad.extract.aliases import use_store_aliases

    use_store_aliases(())


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "marsad.db")


BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL server for the whole run (see pg_support)."""
    server = PostgresServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The store backend a parametrized test runs on."""
    return str(request.param)


@pytest.fixture
def new_store_url(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Callable[[str], str]:
    """Hands out fresh, empty stores on the test's backend: ``new_store_url("name")`` is a
    file path (SQLite) or a new database's URL (PostgreSQL)."""
    if backend == "sqlite":
        return lambda name: str(tmp_path / f"{name}.db")
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return lambda name: server.new_database()


@pytest.fixture
def store_url(new_store_url: Callable[[str], str]) -> str:
    """A fresh, empty store on the test's backend: a file path, or a PostgreSQL URL."""
    return new_store_url("marsad")


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
