"""Schema-driven fuzzing of the JSON API: every operation, every schemathesis check.

Any input must get a documented 4xx, or a 2xx matching its schema; never a 5xx. The store
holds real articles (the seeds when ../shared is beside the checkout, else the demo
corpus) so ids and names hit rows, and the write endpoint runs with its token. Seeded and
bounded: the same inputs every run, well under a minute.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="pip install -e '.[dev]'")
pytest.importorskip("httpx", reason="the ASGI transport needs httpx")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's note about httpx's successor
    from fastapi.testclient import TestClient

from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis import BaseSchema, Case  # noqa: E402
from starlette.types import ASGIApp, Receive, Scope, Send  # noqa: E402

from marsad.api import create_app  # noqa: E402
from marsad.ingest.readers import read_path  # noqa: E402
from marsad.pipeline import Pipeline  # noqa: E402
from marsad.store import Store  # noqa: E402
from marsad.text.arabic import NORMALIZER_VERSION  # noqa: E402

TOKEN = "fuzz-token"
REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"  # as in conftest.py
DEMO = REPO / "src" / "marsad" / "demo" / "corpus"
MAX_EXAMPLES = 25
MIN_CALLS = 5  # per operation: a run that sent fewer proves little
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20260417,
        "checks": {"enabled": True},  # every check, as `--checks all`
        "generation": {"max-examples": MAX_EXAMPLES, "mode": "all"},  # valid and invalid
    }
)


class Served:
    """The ASGI app schemathesis calls: it forwards to the app under test, which the module
    fixture starts once (schemathesis would stop the app, closing its store, after each
    operation). Parametrizing needs the schema at import: a throwaway app serves it then."""

    def __init__(self) -> None:
        self.target: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            for phase in ("startup", "shutdown"):
                await receive()
                await send({"type": f"lifespan.{phase}.complete"})
            return
        assert self.target is not None, "the app fixture is not set up"
        await self.target(scope, receive, send)


SERVED = Served()


def load_schema() -> BaseSchema:
    throwaway = create_app(":memory:")
    SERVED.target = throwaway
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # starlette's note about httpx's successor
            return schemathesis.openapi.from_asgi(
                "/api/v1/openapi.json", SERVED, config=CONFIG, headers={"Host": "localhost"}
            )
    finally:
        SERVED.target = None
        throwaway.state.service.close()
        throwaway.state.writer.close()


SCHEMA = load_schema()


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The server over a store of real articles, with a write token."""
    db = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    store = Store(db, normalizer_version=NORMALIZER_VERSION)
    report = Pipeline(store).ingest(read_path(SEEDS if SEEDS.is_dir() else DEMO))
    store.close()
    assert report.ingested >= 5
    served = create_app(db, token=TOKEN)
    with TestClient(served, base_url="http://localhost"):  # runs its lifespan
        SERVED.target = served
        yield
        SERVED.target = None


@pytest.fixture
def calls() -> Iterator[Counter[int]]:
    """Responses by status for one operation; after its run, proof that it ran."""
    counter: Counter[int] = Counter()
    yield counter
    assert counter.total() >= MIN_CALLS, counter
    assert not [status for status in counter if status >= 500], counter


def test_every_operation_is_fuzzed() -> None:
    operations = {op.ok().label for op in SCHEMA.get_all_operations()}
    assert len(operations) == 20
    assert "POST /api/v1/articles" in operations


@SCHEMA.parametrize()
@settings(
    deadline=None,
    derandomize=True,
    database=None,
    max_examples=MAX_EXAMPLES,
    # The counter is meant to span all examples; ingesting through POST takes its time.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_answers_documented_4xx_never_5xx(case: Case, app: None, calls: Counter[int]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's note about httpx's successor
        response = case.call_and_validate(
            base_url="http://localhost",  # a served host: others get 400 by design
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
    calls[response.status_code] += 1
