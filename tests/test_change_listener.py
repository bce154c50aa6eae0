"""The served pages' version on PostgreSQL comes from the change counter's announcements
(``store.postgres.ChangeListener``), not from a query per request; the pages still follow
a commit by another process on both backends."""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from functools import partial

import pytest

pytest.importorskip("fastapi", reason="the API needs fastapi (pip install -e .)")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from marsad.api import create_app
from marsad.service import ReadService
from marsad.store import ChangeListener, change_listener, open_store
from marsad.store.dialect import is_postgres

TOKEN = "listen-token"
BRIDGE = (
    "افتتح وزير النقل صباح اليوم جسرا جديدا يربط ضفتي النهر بطول ثلاثة كيلومترات في وسط المدينة."
)
DEADLINE_S = 30  # an announcement arrives in milliseconds; this only bounds a broken one


def _eventually(check: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + DEADLINE_S
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def _announced(listener: ChangeListener, value: int) -> bool:
    return listener.value == value


def test_listener_follows_commits_of_other_connections(store_url: str) -> None:
    writer = open_store(store_url)
    listener = change_listener(store_url)
    if not is_postgres(store_url):
        assert listener is None  # SQLite's counter is a local call: nothing to listen for
        return
    assert listener is not None
    try:
        assert listener.value == writer.data_version()
        for n in range(3):
            with writer.transaction():
                writer.set_meta("listen-test", str(n))
            committed = writer.data_version()
            assert _eventually(partial(_announced, listener, committed)), (
                listener.value,
                committed,
            )
    finally:
        listener.close()
        writer.close()
    assert listener.value is None  # closed: readers ask the store again


def test_a_lost_listener_falls_back_to_asking_the_store(store_url: str) -> None:
    open_store(store_url).close()
    service = ReadService(store_url)
    try:
        if service._changes is not None:
            service._changes.close()
        writer = open_store(store_url)
        with writer.transaction():
            writer.set_meta("listen-test", "after the listener stopped")
        assert service.store_version() == service.reader().data_version()
        assert service.store_version() == writer.data_version() or not is_postgres(store_url)
        writer.close()
    finally:
        service.close()


def test_a_page_follows_a_commit_by_another_process(store_url: str) -> None:
    app = create_app(store_url, token=TOKEN)
    with TestClient(app, base_url="http://localhost") as client:
        record = {"id": "l1", "source": "wire-a", "date": "2026-04-01T10:00:00",
                  "title": "افتتاح جسر جديد", "text": BRIDGE}  # fmt: skip
        posted = client.post(
            "/api/v1/articles", json=[record], headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert posted.status_code == 200, posted.text
        story = client.get("/api/v1/stories").json()["stories"][0]["id"]
        before = client.get(f"/story/{story}").text
        headline = "عنوان جديد من عملية أخرى"
        assert headline not in before
        other = open_store(store_url)  # e.g. a CLI ingest beside the server
        with other.transaction():
            other.set_summary(story, headline, {"headline": headline, "sentences": []})
        other.close()
        if is_postgres(store_url):  # announced a moment after the commit
            assert _eventually(lambda: headline in client.get(f"/story/{story}").text)
        else:
            assert headline in client.get(f"/story/{story}").text
