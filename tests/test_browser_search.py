"""Browser test (Chromium) of the search page with filters, desktop and phone width.

Uses the demo server and browser of ``test_browser`` (and skips like it without Chromium);
the screenshot ``build/screenshots/search_filters_phone.png`` is for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.browser_support import SCREENSHOTS, chromium, sync_api
from tests.test_browser import base_url  # noqa: F401


@pytest.fixture(scope="module")
def browser() -> Iterator[sync_api.Browser]:
    with chromium() as launched:
        yield launched


def test_search_filters_by_outlet_and_day_at_phone_width(
    browser: sync_api.Browser,
    base_url: str,  # noqa: F811
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 780}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(base_url + "/search")
        page.fill("#search-q", "استانا")
        page.locator("#search-q").press("Enter")
        page.wait_for_url("**/search?q=*")
        total = int(page.get_attribute("[data-total]", "data-total") or 0)
        outlets = page.locator(".hit .meta .badge").all_inner_texts()
        assert total >= 2 and len(set(outlets)) >= 2
        # Narrow to the outlet of the first hit and its day, through the form.
        first_day = page.get_attribute(".hit time", "datetime") or ""
        page.fill("input[name=outlet]", outlets[0])
        page.fill("input[name=since]", first_day[:10])
        page.fill("input[name=until]", first_day[:10])
        page.locator("#search-q").press("Enter")
        page.wait_for_url("**outlet=*")
        narrowed = int(page.get_attribute("[data-total]", "data-total") or 0)
        assert 1 <= narrowed < total
        assert set(page.locator(".hit .meta .badge").all_inner_texts()) == {outlets[0]}
        days = {d[:10] for d in page.locator(".hit time").evaluate_all(
            "els => els.map(e => e.getAttribute('datetime'))")}  # fmt: skip
        assert days == {first_day[:10]}
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, "no sideways scrolling on a phone"
        page.screenshot(path=str(SCREENSHOTS / "search_filters_phone.png"), full_page=True)
    finally:
        context.close()
