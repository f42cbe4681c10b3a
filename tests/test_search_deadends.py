"""A search that finds nothing is no dead end (issue 13, part 4), in Debian's Chromium: nearer
words as links that run their search, the matching topic and audience pages, the suggest
channel prefilled with the search words; announced, translated, right to left, 320 px, axe-clean.
The word list is fetched only when a search comes up empty."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import unquote

import pytest
from playwright.sync_api import Browser, Page

from tests.test_accessibility import AXE, WCAG, axe_script, describe
from tests.test_search_browser import answered, shown, wait_until

EMPTY = "[data-atlas-empty]"


@pytest.fixture(scope="module")
def site(demo_served: str) -> str:
    """The demo built and served once per session (tests/conftest.py)."""
    return demo_served


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def near_links(page: Page) -> list[str]:
    wait_until(page, "!document.querySelector('[data-near]').hidden")
    return page.eval_on_selector_all("[data-near] a", "links => links.map(a => a.textContent)")


def test_an_empty_search_offers_nearer_words_topics_and_the_suggest_channel(site: str, page: Page) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site + "suche/?q=Kita")
    answered(page, "Kita")
    assert shown(page) and page.locator(EMPTY).is_hidden()
    assert not [url for url in requested if "woerter" in url]  # a search with results fetches no word list

    page.fill("#q", "Jugndlche")
    answered(page, "Jugndlche")
    assert shown(page) == [] and page.locator(EMPTY).is_visible()
    assert "Jugendliche" in near_links(page)
    assert [url for url in requested if "woerter" in url]
    wait_until(page, "document.getElementById('suche-status').textContent.includes('Meinten Sie')")
    assert "Jugndlche" in page.inner_text("#suche-status")
    topics = page.eval_on_selector_all("[data-near-terms] a", "links => links.map(a => a.getAttribute('href'))")
    assert any(href.endswith("zielgruppen/jugendliche/") for href in topics), topics
    missing = page.get_attribute("[data-atlas-suggest-missing]", "href") or ""
    assert missing.startswith("mailto:") and "Jugndlche" in unquote(missing) and "ATLAS" not in missing
    assert "suche/?q=Jugndlche" in unquote(unquote(missing))  # the search's address, inside the mail body

    # 320 px: nothing sticks out; the keyboard reaches the suggestion, Enter runs its search
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.focus("[data-near] a")
    page.keyboard.press("Enter")
    answered(page, "Jugendliche")
    assert shown(page) and page.locator(EMPTY).is_hidden()
    assert page.input_value("#q") == "Jugendliche" and "q=Jugendliche" in page.url
    page.go_back()  # the suggestion was a step in the history
    answered(page, "Jugndlche")


def test_the_arabic_page_says_it_in_arabic_right_to_left(site: str, page: Page) -> None:
    page.goto(site + "ar/suche/?q=Jugndlche")
    answered(page, "Jugndlche")
    assert near_links(page)
    assert "هل تقصد" in page.inner_text("[data-near]")
    assert page.get_attribute("html", "dir") == "rtl"
    assert "الإبلاغ عن خدمة ناقصة" in page.inner_text(EMPTY)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_the_empty_state_is_axe_clean(site: str, browser: Browser) -> None:
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    context.add_init_script(path=str(axe_script()))
    page = context.new_page()
    try:
        for path in ("suche/?q=Jugndlche", "ar/suche/?q=Jugndlche"):
            page.goto(site + path)
            near_links(page)
            violations = page.evaluate(AXE, WCAG)
            assert not violations, f"/{path}:\n{describe(violations)}"
    finally:
        context.close()


