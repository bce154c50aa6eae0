"""The web UI in headless Chromium: river, story, variant search, theme, phone layout.

Screenshots land in build/screenshots/ for a person to look at. Skips when Chromium
(/usr/bin/chromium, Debian's package) or the playwright package is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from tests.browser_support import SCREENSHOTS, chromium, serving, sync_api
from tests.test_export import build_demo_store
from tests.test_web import COMPARED_ARTICLES

from marsad.api import create_app
from marsad.models import RawArticle
from marsad.pipeline import Pipeline
from marsad.store import Store
from marsad.text.arabic import NORMALIZER_VERSION


def add_compared_story(db: Path) -> None:
    """Add the newest story: three outlets that frame one clash differently (test_web's)."""
    store = Store(db, normalizer_version=NORMALIZER_VERSION)
    Pipeline(store).ingest(
        RawArticle(
            ext_id=f"compared-{hour}",
            source=outlet,
            date=datetime(2026, 4, 2, 9 + hour),
            title=title,
            text=body,
        )
        for hour, (outlet, title, body) in enumerate(COMPARED_ARTICLES)
    )
    store.close()


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = build_demo_store(tmp_path_factory.mktemp("browser") / "demo.db")
    add_compared_story(db)
    with serving(create_app(db)) as url:
        yield url


@pytest.fixture(scope="module")
def browser(base_url: str) -> Iterator[sync_api.Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: sync_api.Browser, base_url: str) -> Iterator[sync_api.Page]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, color_scheme="light", locale="ar"
    )
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base_url) else None)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert outside == [], "pages must make no request outside the app"
    assert errors == [], "no script errors or CSP violations"


def test_river_then_story(page: sync_api.Page, base_url: str) -> None:
    page.goto(base_url + "/")
    assert page.get_attribute("html", "dir") == "rtl"
    cards = page.locator(".story-card")
    assert cards.count() >= 8  # the demo corpus has 8 labeled stories
    page.screenshot(path=str(SCREENSHOTS / "river.png"), full_page=True)
    title = page.locator(".story-card h2 a").first.inner_text()
    page.locator(".story-card h2 a").first.click()
    page.wait_for_url("**/story/*")
    assert title.strip() in page.locator("h1").inner_text()
    assert page.locator("#summary").is_visible()
    assert page.locator(".articles > li").count() >= 1
    # The newest story is the three-outlet one: its comparison has every section filled.
    for section in ("comparison", "timeline", "claims", "quotes", "framing", "distinctive"):
        assert page.locator(f"#{section} h2").is_visible(), section
    assert page.locator("#framing table.framing tbody tr").count() >= 2
    assert page.locator("#distinctive .chip").count() >= 1
    assert page.locator("#disagreements .side").count() >= 2
    assert page.locator(".toc a[href='#framing']").count() == 1
    region = page.locator("#framing .table-wrap").first
    region.focus()  # tables scroll inside focusable regions, reachable by keyboard
    assert page.evaluate("document.activeElement.getAttribute('role')") == "region"
    page.screenshot(path=str(SCREENSHOTS / "story.png"), full_page=True)


def test_story_with_copies_and_chart(page: sync_api.Page, base_url: str) -> None:
    page.goto(base_url + "/")  # every demo story has several articles to chart
    page.locator(".story-card h2 a").first.click()
    page.wait_for_url("**/story/*")
    assert page.locator("#coverage svg circle").count() >= 2
    page.screenshot(path=str(SCREENSHOTS / "story_breaking.png"), full_page=True)


def test_keyboard_search_with_spelling_variant(page: sync_api.Page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.locator("body").press("/")
    assert page.evaluate("document.activeElement.id") == "site-q"
    page.keyboard.type("استانا")  # the articles spell it أستانا
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=*")
    marks = page.locator(".snippet mark")
    assert marks.count() >= 1
    assert marks.first.inner_text() in ("أستانا", "أستانة")  # one name, two transliterations
    page.screenshot(path=str(SCREENSHOTS / "search.png"), full_page=True)
    page.locator(".hit h2 a").first.click()
    page.wait_for_url("**/story/*")


def test_theme_toggle_persists(page: sync_api.Page, base_url: str) -> None:
    page.goto(base_url + "/")
    light_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    toggle = page.locator("#theme-toggle")
    assert toggle.is_visible()
    toggle.click()
    assert page.get_attribute("html", "data-theme") == "dark"
    assert toggle.get_attribute("aria-pressed") == "true"
    page.reload()
    assert page.get_attribute("html", "data-theme") == "dark"
    dark_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark_bg != light_bg
    page.screenshot(path=str(SCREENSHOTS / "river_dark.png"))
    page.locator(".story-card h2 a").first.click()
    page.wait_for_url("**/story/*")
    page.screenshot(path=str(SCREENSHOTS / "story_dark.png"), full_page=True)
    page.locator("#theme-toggle").click()
    assert page.get_attribute("html", "data-theme") == "light"


def test_dark_preference_is_respected(browser: sync_api.Browser, base_url: str) -> None:
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(base_url + "/")
    assert page.locator("#theme-toggle").get_attribute("aria-pressed") == "true"
    context.close()


def test_phone_layout(browser: sync_api.Browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 780}, is_mobile=True)
    page = context.new_page()
    page.goto(base_url + "/")
    # A mobile browser widens the layout viewport to fit too-wide content; compare to 375.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "no sideways scrolling on a phone"
    page.screenshot(path=str(SCREENSHOTS / "river_phone.png"), full_page=False)
    page.goto(base_url + "/search?q=%D8%A7%D9%84%D9%86%D9%81%D8%B7")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(SCREENSHOTS / "search_phone.png"), full_page=False)
    story = page.evaluate("document.querySelector('.hit h2 a').getAttribute('href')")
    page.goto(base_url + story)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(SCREENSHOTS / "story_phone.png"), full_page=True)
    page.goto(base_url + "/")
    page.locator(".story-card h2 a").first.click()  # the three-outlet comparison
    page.wait_for_url("**/story/*")
    assert page.locator("#framing table").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.locator("#framing").screenshot(path=str(SCREENSHOTS / "story_framing_phone.png"))
    context.close()


def test_ingest_page_shows_disabled_state(page: sync_api.Page, base_url: str) -> None:
    page.goto(base_url + "/ingest")
    assert page.locator("#ingest-submit").is_disabled()
    page.screenshot(path=str(SCREENSHOTS / "ingest.png"))
