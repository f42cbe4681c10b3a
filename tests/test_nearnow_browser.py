"""Near me (sortierung=naehe) and open now (geoeffnet=jetzt, tag=…) as residents use them, in
Debian's Chromium under the strict CSP: a granted and a denied position, a fixed clock (a
Tuesday morning, a Hessian public holiday, a day past valid_until), the URL state, the offer
page's "jetzt geöffnet", axe, the keyboard, and Arabic at 320 px."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from atlas.build import build
from tests.browser import serve
from tests.conftest import write_atlas
from tests.test_accessibility import AXE, WCAG, axe_script, describe
from tests.test_nearnow import HANAU
from tests.test_search_browser import shown, wait_until

BERLIN = ZoneInfo("Europe/Berlin")
BUILT = date(2026, 11, 2)

REGIONS = {
    "content/regions/hanau.md": HANAU,  # with its centre, as in test_nearnow.py
    "content/regions/maintal.md": """\
        ---
        name: Maintal
        kind: stadt
        parent: main-kinzig-kreis
        postcodes: ["63477"]
        geo: {lat: 50.1466, lon: 8.8355}
        ---
        """,
    "content/regions/gelnhausen.md": """\
        ---
        name: Gelnhausen
        kind: stadt
        parent: main-kinzig-kreis
        postcodes: ["63571"]
        geo: {lat: 50.2026, lon: 9.1876}
        ---
        """,
}


def offer(slug: str, title: str, region: str, where: str = "", hours: str = "", extra: str = "") -> dict[str, str]:
    return {f"content/offers/{slug}.md": f"""\
---
title: {title}
summary: Ein Angebot zum Testen.
actor: caritas
regions: [{region}]
topics: [beratung]
{where}{hours}{extra}reviewed: 2026-10-01
---
"""}


OFFERS = {
    # sprachcafe (Hanau, di/do 15–17) and migrationsberatung (no place, no hours) come from conftest
    **offer("beratung-maintal", "Beratung Maintal", "maintal",
            "locations: [{city: Maintal, lat: 50.147, lon: 8.836}]\n",
            'hours: [{days: [mo, di, mi, do, fr], opens: "09:00", closes: "12:00"}]\n'),
    **offer("treff-gelnhausen", "Treff Gelnhausen", "gelnhausen",
            "locations: [{city: Gelnhausen, lat: 50.2, lon: 9.19}]\n",
            'hours: [{days: [di], opens: "09:00", closes: "11:00"}]\n', "valid_until: 2027-01-31\n"),
    **offer("sprechstunde-hanau", "Sprechstunde nach Vereinbarung", "hanau",
            "locations: [{city: Hanau, lat: 50.14, lon: 8.92}]\n", "", "appointment: required\n"),
}

@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.conftest import CONFIG
    root = tmp_path_factory.mktemp("nearnow")
    project = write_atlas(root / "project", {**REGIONS, **OFFERS}, CONFIG.replace("[de, en]", "[de, en, ar]"))
    build(project, root / "site", on=BUILT)
    with serve(root / "site") as base:
        yield base


def watched(context: BrowserContext, base: str) -> tuple[Page, list[str], list[str]]:
    """A page whose console errors and requests to another host are collected."""
    page = context.new_page()
    errors: list[str] = []
    elsewhere: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    context.on("request", lambda request: None if request.url.startswith((base, "data:", "blob:"))
               else elsewhere.append(request.url))
    return page, errors, elsewhere


@pytest.fixture
def context(browser: Browser, site: str) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 390, "height": 900}, timezone_id="America/New_York")
    yield context
    context.close()


def settled(page: Page) -> None:
    """Wait until the result list answers the page's current state."""
    wait_until(page, "document.querySelector('[data-atlas-results]').hasAttribute('data-query') && "
                     "document.getElementById('suche-status').textContent !== ''")
    page.wait_for_timeout(150)  # a change posts a new question; let its answer arrive


def at(page: Page, when: datetime) -> None:
    """Fix the page's clock (Berlin wall time) before it loads."""
    page.clock.install(time=when.replace(tzinfo=BERLIN))


def distances(page: Page) -> list[str]:
    return page.locator(".offer-card-distance").all_inner_texts()


# -- near me ---------------------------------------------------------------------------------------

def test_granted_position_sorts_nearest_first_and_says_how_far(browser: Browser, site: str) -> None:
    context = browser.new_context(geolocation={"latitude": 50.21, "longitude": 9.18}, permissions=["geolocation"])
    page, errors, elsewhere = watched(context, site)
    page.goto(site + "suche/")
    settled(page)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.click("[data-atlas-near]")
    wait_until(page, "document.querySelectorAll('.offer-card-distance').length > 0")
    settled(page)
    order = shown(page)
    assert order[:4] == ["treff-gelnhausen", "sprechstunde-hanau", "sprachcafe", "beratung-maintal"]
    assert order[-1] == "migrationsberatung"  # no location: last, and it says why
    assert distances(page)[0].endswith("km entfernt") and "," in distances(page)[0]  # 1,3 km: German digits
    assert distances(page)[-1] == "ohne Ortsangabe, daher am Ende"
    assert "Ihrem Standort" in page.inner_text("#suche-naehe-status")
    assert "sortierung=naehe" in page.url and "50.2" not in page.url and "9.18" not in page.url
    assert [r for r in asked if "50.2" in r or "9.18" in r] == []  # the position went nowhere
    assert elsewhere == [] and errors == []
    context.close()


def test_denied_position_says_so_and_a_chosen_place_still_sorts(browser: Browser, site: str) -> None:
    context = browser.new_context()  # no permission granted: Chromium denies
    page, errors, _ = watched(context, site)
    page.goto(site + "suche/")
    settled(page)
    page.click("[data-atlas-near]")
    wait_until(page, "document.getElementById('suche-naehe-status').textContent.includes('nicht freigegeben')")
    page.select_option("#suche-ort", "maintal")
    wait_until(page, "location.search.includes('ort=maintal')")
    settled(page)
    assert shown(page)[0] == "beratung-maintal"
    assert "sortierung=naehe" in page.url
    assert page.inner_text("#suche-naehe-status") == "Nach Entfernung von Maintal sortiert."
    assert errors == []
    context.close()


def test_chosen_place_round_trips_through_reload_and_back(context: BrowserContext, site: str) -> None:
    page, errors, elsewhere = watched(context, site)
    page.goto(site + "suche/?sortierung=naehe&ort=gelnhausen")
    settled(page)
    assert shown(page)[0] == "treff-gelnhausen"
    assert page.input_value("#suche-ort") == "gelnhausen" and page.input_value("#suche-sortierung") == "naehe"
    page.select_option("#suche-ort", "maintal")
    wait_until(page, "location.search.includes('ort=maintal')")
    settled(page)
    assert shown(page)[0] == "beratung-maintal"
    page.reload()
    settled(page)
    assert page.input_value("#suche-ort") == "maintal" and shown(page)[0] == "beratung-maintal"
    page.go_back()
    wait_until(page, "document.getElementById('suche-ort').value === 'gelnhausen'")
    settled(page)
    assert shown(page)[0] == "treff-gelnhausen"
    assert errors == [] and elsewhere == []


def test_near_me_without_place_or_position_asks_for_one(context: BrowserContext, site: str) -> None:
    page, errors, _ = watched(context, site)
    page.goto(site + "suche/?sortierung=naehe")
    settled(page)
    assert "In meiner Nähe" in page.inner_text("#suche-naehe-status")
    assert distances(page) == [] and errors == []


# -- open now, days ----------------------------------------------------------------------------------

def test_open_on_a_tuesday_at_ten(context: BrowserContext, site: str) -> None:
    page, errors, _ = watched(context, site)
    at(page, datetime(2026, 12, 1, 10, 0))  # a Tuesday; the browser itself thinks in New York time
    page.goto(site + "suche/?geoeffnet=jetzt")
    settled(page)
    assert sorted(shown(page)) == ["beratung-maintal", "treff-gelnhausen"]  # not the café (15–17)
    note = page.locator("#suche-zeiten")
    assert note.is_visible() and note.inner_text().startswith(
        "Angebote ohne feste Zeiten (nach Vereinbarung), nicht angezeigt: 2")
    note.locator("button").click()
    wait_until(page, "location.search.includes('ohnezeiten=1')")
    settled(page)
    assert sorted(shown(page)) == ["beratung-maintal", "migrationsberatung", "sprechstunde-hanau", "treff-gelnhausen"]
    assert "Davon ohne feste Zeiten (nach Vereinbarung): 2" in note.inner_text()
    assert errors == []


def test_a_hessian_public_holiday_is_closed(context: BrowserContext, site: str) -> None:
    page, errors, _ = watched(context, site)
    at(page, datetime(2027, 5, 27, 10, 0))  # Fronleichnam: a holiday in Hessen, not in every Land
    page.goto(site + "suche/?geoeffnet=jetzt")
    settled(page)
    assert shown(page) == []
    page.clock.set_fixed_time(datetime(2027, 5, 20, 10, 0, tzinfo=BERLIN))  # the Thursday before
    page.reload()
    settled(page)
    assert shown(page) == ["beratung-maintal"]
    assert errors == []


def test_an_offer_past_valid_until_is_left_out(context: BrowserContext, site: str) -> None:
    page, errors, _ = watched(context, site)
    at(page, datetime(2027, 2, 2, 10, 0))  # a Tuesday after the Treff's valid_until (2027-01-31)
    page.goto(site + "suche/?geoeffnet=jetzt")
    settled(page)
    assert shown(page) == ["beratung-maintal"]
    page.goto(site + "suche/?tag=di")
    settled(page)
    assert "treff-gelnhausen" not in shown(page)
    assert errors == []


def test_days_are_repeatable_and_round_trip(context: BrowserContext, site: str) -> None:
    page, errors, _ = watched(context, site)
    at(page, datetime(2026, 12, 1, 10, 0))
    page.goto(site + "suche/?tag=sa")
    settled(page)
    assert shown(page) == []
    page.goto(site + "suche/?tag=di&tag=do")
    settled(page)
    assert sorted(shown(page)) == ["beratung-maintal", "sprachcafe", "treff-gelnhausen"]
    assert page.is_checked("input[name=tag][value=di]") and page.is_checked("input[name=tag][value=do]")
    assert page.evaluate("document.querySelector('details.when').open")
    page.uncheck("input[name=tag][value=di]")
    wait_until(page, "location.search === '?tag=do'")
    settled(page)
    assert sorted(shown(page)) == ["beratung-maintal", "sprachcafe"]
    page.go_back()
    wait_until(page, "document.querySelector('input[name=tag][value=di]').checked")
    settled(page)
    assert sorted(shown(page)) == ["beratung-maintal", "sprachcafe", "treff-gelnhausen"]
    assert errors == []


@pytest.mark.parametrize("when, said", [
    (datetime(2026, 12, 1, 16, 0), "Jetzt geöffnet, bis 17:00 Uhr"),
    (datetime(2026, 12, 1, 10, 0), "Jetzt geschlossen. Öffnet heute um 15:00 Uhr"),
    (datetime(2026, 12, 2, 10, 0), "Jetzt geschlossen. Öffnet Do 15:00 Uhr"),
    (datetime(2027, 5, 26, 18, 0), "Jetzt geschlossen. Öffnet Di 15:00 Uhr"),  # Thursday 27 May: Fronleichnam
])
def test_offer_page_says_whether_it_is_open(context: BrowserContext, site: str, when: datetime, said: str) -> None:
    page, errors, _ = watched(context, site)
    at(page, when)
    page.goto(site + "angebote/sprachcafe/")
    wait_until(page, "!document.querySelector('[data-atlas-open]').hidden")
    assert page.inner_text("[data-atlas-open]") == said
    assert page.locator("table.hours").is_visible() and errors == []


def test_offer_page_without_scripts_keeps_the_hours_table(browser: Browser, site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "angebote/sprachcafe/")
    assert page.locator("table.hours").is_visible() and not page.locator("[data-atlas-open]").is_visible()
    context.close()


# -- access ---------------------------------------------------------------------------------------------

def test_new_controls_pass_axe(browser: Browser, site: str) -> None:
    context = browser.new_context(bypass_csp=True)
    context.add_init_script(path=str(axe_script()))
    page = context.new_page()
    for path in ("suche/?tag=di&geoeffnet=jetzt&sortierung=naehe&ort=hanau", "ar/suche/?tag=di&geoeffnet=jetzt",
                 "angebote/sprachcafe/"):
        page.goto(site + path)
        if "suche" in path:
            settled(page)
            assert page.locator("#suche-zeiten").is_visible()
        violations = page.evaluate(AXE, WCAG)
        assert violations == [], describe(violations)
    context.close()


def test_keyboard_only(browser: Browser, site: str) -> None:
    context = browser.new_context(geolocation={"latitude": 50.15, "longitude": 8.83}, permissions=["geolocation"])
    page, errors, _ = watched(context, site)
    page.goto(site + "suche/")
    settled(page)
    page.focus("#q")
    for _ in range(40):  # Tab on to the button, then press it
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.hasAttribute('data-atlas-near')"):
            break
    page.keyboard.press("Enter")
    wait_until(page, "document.querySelectorAll('.offer-card-distance').length > 0")
    settled(page)
    assert shown(page)[0] == "beratung-maintal"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "suche-ort"
    while not page.evaluate("document.activeElement.name === 'geoeffnet'"):
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    wait_until(page, "location.search.includes('geoeffnet=jetzt')")
    assert errors == []
    context.close()


def test_arabic_at_320_px(browser: Browser, site: str) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 700})
    page, errors, elsewhere = watched(context, site)
    at(page, datetime(2026, 12, 1, 10, 0))
    page.goto(site + "ar/suche/?sortierung=naehe&ort=hanau&tag=di")
    settled(page)
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    for selector in ("[data-atlas-near]", "#suche-ort", "#suche-sortierung", "input[name=geoeffnet]"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320, selector
    assert page.locator(".offer-card-distance").first.inner_text().endswith("كم")  # "على بعد … كم"
    assert errors == [] and elsewhere == []
    context.close()

