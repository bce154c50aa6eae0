"""A 15-outlet story page in headless Chromium at phone width (375 px) and on a desktop.

Checks that nothing scrolls sideways, that no Arabic word is split across two lines, that
tables turn into cards, and that sections fold. Screenshots land in build/screenshots/.
Skips without Debian's chromium or the playwright package, like tests/test_browser.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.browser_support import SCREENSHOTS, chromium, serving, sync_api
from tests.wide_story import OUTLETS, build_wide_store

from marsad.api import create_app

PHONE = {"width": 375, "height": 780}

#: Every Arabic word of the page's visible text whose rendering spans two line boxes: a word
#: broken inside. One Range per word; a word on one line has one client rect per line box.
BROKEN_WORDS_JS = r"""
() => {
  const broken = [];
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  const word = /[\u0621-\u064A\u0660-\u0669\u0671-\u06D3]+/g;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("details:not([open]) > :not(summary)")) continue;
    if (!parent.getClientRects().length) continue;  // not rendered (hidden)
    for (const match of node.data.matchAll(word)) {
      if (match[0].length < 2) continue;
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(match[0]);
    }
  }
  return broken;
}
"""
#: Elements whose computed style lets a word break anywhere.
BREAK_ANYWHERE_JS = r"""
() => [...document.querySelectorAll("main *")].filter(el => {
  const s = getComputedStyle(el);
  return s.wordBreak === "break-all" || s.overflowWrap === "anywhere";
}).map(el => el.tagName + "." + el.className).slice(0, 10)
"""


@pytest.fixture(scope="module")
def story_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("wide") / "wide.db"
    story_id = build_wide_store(db)
    with serving(create_app(db)) as url:
        yield f"{url}/story/{story_id}"


@pytest.fixture(scope="module")
def browser() -> Iterator[sync_api.Browser]:
    with chromium() as launched:
        yield launched


def test_wide_story_on_a_phone(browser: sync_api.Browser, story_url: str) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, locale="ar")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(story_url)
    assert len(OUTLETS) == 15
    assert page.locator("table.comparison tbody th[scope=row]").count() == 15
    # No sideways scrolling: the page is no wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Tables are cards: each row a block with its cells under it, none wider than the screen.
    row_display = page.evaluate(
        "getComputedStyle(document.querySelector('table.comparison tbody tr')).display"
    )
    assert row_display in ("block", "flex")  # a card, not a table row
    widest = page.evaluate(
        "Math.max(...[...document.querySelectorAll('main td, main th')]"
        ".map(c => c.getBoundingClientRect().right - c.getBoundingClientRect().left))"
    )
    assert widest <= PHONE["width"]
    # No word broken inside, and no style that would allow it.
    assert page.evaluate(BREAK_ANYWHERE_JS) == []
    assert page.evaluate(BROKEN_WORDS_JS) == []
    # The whole top navigation is on screen (it wraps instead of being cut off).
    nav = page.evaluate(
        "[...document.querySelectorAll('.site-nav a')].map(a => {"
        " const r = a.getBoundingClientRect(); return [r.left, r.right]; })"
    )
    assert nav and all(left >= 0 and right <= PHONE["width"] for left, right in nav)
    page.screenshot(path=str(SCREENSHOTS / "story_wide_phone.png"), full_page=True)
    # Sections fold: closing the comparison hides its table.
    page.locator("#comparison summary").click()
    assert not page.locator("table.comparison").is_visible()
    page.locator("#comparison summary").click()
    assert page.locator("table.comparison").is_visible()
    assert errors == []
    context.close()


def test_wide_story_on_a_desktop(browser: sync_api.Browser, story_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar")
    page = context.new_page()
    page.goto(story_url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    # The outlet table fits its box (no sideways scrolling inside while the page has room).
    wraps = page.evaluate(
        "[...document.querySelectorAll('#comparison .table-wrap, #framing .table-wrap')]"
        ".map(w => [w.scrollWidth, w.clientWidth])"
    )
    assert wraps and all(scroll <= client + 1 for scroll, client in wraps)
    assert page.evaluate(BROKEN_WORDS_JS) == []
    page.screenshot(path=str(SCREENSHOTS / "story_wide_desktop.png"), full_page=True)
    context.close()


def test_api_docs_page_offline_on_a_phone(browser: sync_api.Browser, story_url: str) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, locale="ar")
    page = context.new_page()
    base = story_url.split("/story/")[0]
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
    page.goto(base + "/docs")
    assert page.locator("section.endpoint").count() >= 5
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert outside == [], "the documentation loads nothing from outside the app"
    page.screenshot(path=str(SCREENSHOTS / "api_docs_phone.png"), full_page=False)
    context.close()


def test_ingest_page_counts_like_the_python_helper(
    browser: sync_api.Browser, story_url: str
) -> None:
    from marsad.text.counting import count_phrase

    context = browser.new_context(locale="ar")
    page = context.new_page()
    page.goto(story_url.split("/story/")[0] + "/ingest")
    for noun in ("article", "story", "duplicate_copy"):
        for n in (0, 1, 2, 3, 10, 11, 12, 99, 100, 101, 103, 112, 1000):
            shown = page.evaluate("([n, noun]) => window.marsadCountPhrase(n, noun)", [n, noun])
            assert shown == count_phrase(n, noun), (n, noun)
    context.close()
