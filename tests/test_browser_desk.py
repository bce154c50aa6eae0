"""The analyst's desk in headless Chromium: top stories as the landing page, a watchlist
page and its Atom feed. Screenshots land in build/screenshots/ (top.png, top_phone.png,
alerts.png, alert_feed.png). Skips like tests/test_browser.py without Chromium or playwright.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.browser_support import SCREENSHOTS, chromium, serving, sync_api
from tests.test_export import build_demo_store

from marsad.alerts import watchlists
from marsad.api import create_app
from marsad.store import Store
from marsad.text.arabic import NORMALIZER_VERSION
from marsad.views import top_view

ATOM = "{http://www.w3.org/2005/Atom}"
TOKEN = "desk-browser-token"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The demo store with one watchlist already run, served on a free port."""
    db = build_demo_store(tmp_path_factory.mktemp("desk_browser") / "demo.db")
    store = Store(db, normalizer_version=NORMALIZER_VERSION)
    watchlists.add(store, kind="search", query="حريق", name="حرائق الغابات")
    watchlists.run(store)
    store.close()
    with serving(create_app(db, token=TOKEN)) as url:
        yield url, db


@pytest.fixture(scope="module")
def browser() -> Iterator[sync_api.Browser]:
    with chromium() as launched:
        yield launched


def open_page(browser: sync_api.Browser, width: int = 1280) -> sync_api.Page:
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme="light", locale="ar"
    )
    return context.new_page()


def test_top_stories_are_the_landing_page(
    browser: sync_api.Browser, served: tuple[str, Path]
) -> None:
    base_url, db = served
    page = open_page(browser)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base_url + "/")
    assert page.locator("h1").inner_text() == "أهم القصص"
    assert page.locator(".tabs [aria-current=page]").inner_text() == "الأهم"
    store = Store(db, normalizer_version=NORMALIZER_VERSION)
    expected = [f"/story/{s['id']}" for s in top_view(store, limit=30)["stories"]]
    store.close()
    shown = page.locator("#river .story-title a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert shown == expected  # the page shows the ranking, in order
    page.screenshot(path=str(SCREENSHOTS / "top.png"), full_page=True)
    page.locator(".tabs a", has_text="الأحدث").click()
    page.wait_for_url("**/?tab=newest")
    assert page.locator("h1").inner_text() == "نهر القصص"
    assert errors == []
    phone = open_page(browser, width=375)
    phone.goto(base_url + "/")
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "the top stories page scrolls sideways at phone width"
    phone.screenshot(path=str(SCREENSHOTS / "top_phone.png"), full_page=False)


def test_watchlist_page_links_a_valid_atom_feed(
    browser: sync_api.Browser, served: tuple[str, Path]
) -> None:
    base_url, _db = served
    page = open_page(browser)
    page.goto(base_url + "/alerts")
    card = page.locator(".watchlist").first
    assert "حرائق الغابات" in card.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "alerts.png"), full_page=True)
    card.locator("h2 a").click()
    page.wait_for_url("**/alerts/*")
    matches = page.locator("#matches .story-title").all_inner_texts()
    assert matches and all("حر" in m for m in matches)  # حريق, حریق, حرائق
    page.screenshot(path=str(SCREENSHOTS / "alert_feed.png"), full_page=True)
    feed_href = page.locator(".feed-link").get_attribute("href")
    assert feed_href
    response = page.request.get(base_url + feed_href)
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(response.body())
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == matches
    assert len({e.findtext(f"{ATOM}id") for e in entries}) == len(entries)


def test_watchlist_form_saves_runs_and_lists_a_watchlist(
    browser: sync_api.Browser, served: tuple[str, Path]
) -> None:
    base_url, _db = served
    page = open_page(browser)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base_url + "/alerts")
    before = page.locator(".watchlist").count()
    page.select_option("#watchlist-kind", "outlet")
    page.fill("#watchlist-query", "levant-wire")
    page.fill("#watchlist-token", "wrong")
    page.click("#watchlist-submit")
    page.wait_for_selector("#watchlist-status[data-state=error]")
    assert "401" in page.locator("#watchlist-status").inner_text()
    page.fill("#watchlist-token", TOKEN)
    with page.expect_navigation():
        page.click("#watchlist-submit")
    cards = page.locator(".watchlist")
    assert cards.count() == before + 1
    added = cards.last.inner_text()
    assert "levant-wire" in added and "لم تُشغَّل بعد" not in added  # saved, then run once
    page.screenshot(path=str(SCREENSHOTS / "alerts_added.png"), full_page=True)
    assert errors == []
