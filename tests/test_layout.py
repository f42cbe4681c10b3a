"""The demo atlas in Chromium: every page type, in German, English, Arabic and Farsi, fits a 320 px
phone, and nothing loads from elsewhere."""

from __future__ import annotations

import pytest
from playwright.sync_api import Route

PAGES = ["", "angebote/", "angebote/stadtteilmuetter-lamboy/", "angebote/integrationskurs-vhs-hanau/",
         "akteure/", "akteure/caritas-main-kinzig/", "regionen/", "regionen/hanau/", "regionen/main-kinzig-kreis/",
         "themen/", "themen/sprachfoerderung/", "zielgruppen/", "zielgruppen/frauen/", "suche/", "404.html",
         "impressum/", "datenschutz/", "barrierefreiheit/", "leichte-sprache/", "bestandsaufnahme/"]
# German, a left-to-right and both right-to-left UI languages
PAGES += [lang + path for lang in ("en/", "ar/", "fa/") for path in PAGES if path != "404.html"]


@pytest.fixture(scope="module")
def site(demo_served: str) -> str:
    """The demo built and served once per session (tests/conftest.py)."""
    return demo_served


@pytest.mark.parametrize("width", [320, 1280])
def test_every_page_type_fits_the_screen_and_stays_on_the_site(site: str, new_page, width: int) -> None:  # type: ignore[no-untyped-def]
    page = new_page(viewport={"width": width, "height": 800})
    off_site: list[str] = []
    errors: list[str] = []

    def guard(route: Route) -> None:  # every request passes here; one to another host is refused
        if route.request.url.startswith(site):
            route.continue_()
        else:
            off_site.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    for path in PAGES:
        response = page.goto(site + path)
        assert response is not None and response.ok, path
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
    assert off_site == []
    assert errors == []


@pytest.mark.parametrize("path", ["angebote/stadtteilmuetter-lamboy/", "ar/angebote/stadtteilmuetter-lamboy/",
                                  "fa/regionen/hanau/"])
def test_print_keeps_the_text_and_its_direction(site: str, new_page, path: str) -> None:  # type: ignore[no-untyped-def]
    page = new_page(viewport={"width": 700, "height": 1000})
    page.emulate_media(media="print")
    page.goto(site + path)
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).display") == "none"
    assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == \
        ("rtl" if path.startswith(("ar/", "fa/")) else "ltr")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
