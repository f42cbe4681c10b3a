"""Accessibility of the demo atlas in Debian's Chromium: axe-core's WCAG 2.1 A and AA rules on every
page type in German, English and Arabic, and what axe does not see, on a 320 px phone: the skip link,
a visible focus indicator on every focusable element, heading levels and the names of form fields.

axe-core comes from npm (package.json's devDependencies, `npm ci`) and is injected only here, in a
browser context that bypasses the site's CSP; it is never copied into the built site. Everything
else runs under the strict CSP that tests/browser.py's server sends."""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from atlas.build import build
from tests.browser import serve

ROOT = Path(__file__).resolve().parent.parent
# a fixed build day on which the offer below (reviewed 2026-09-15) is due for review, so that its
# out-of-date notice and links are checked too; most offers reviewed in 2026 are due then, some not
BUILD_DATE = date(2027, 10, 1)
LANGUAGES = ["", "en/", "ar/"]  # German at the root, the others under <lang>/ with the same paths (contract §3)
PAGES = {  # test id -> path under the language's prefix
    "start": "",
    "offer": "angebote/anerkennungsberatung-abschluesse/",  # hours, two locations, a partner, translated
    "actor": "akteure/caritas-main-kinzig/",
    "region": "regionen/hanau/",  # has districts
    "topic": "themen/sprachfoerderung/",
    "audience": "zielgruppen/frauen/",
    "offers-a-z": "angebote/",
    "topics": "themen/",
    "audiences": "zielgruppen/",
    "regions": "regionen/",
    "actors": "akteure/",
    "search-results": "suche/?q=Sprachkurs",
    "search-filter-open": "suche/?q=Sprachkurs&thema=sprachfoerderung",  # a group in use is open
    "imprint": "impressum/",
    "privacy": "datenschutz/",
    "accessibility": "barrierefreiheit/",
    "easy-language": "leichte-sprache/",
    "inventory": "bestandsaufnahme/",  # wide tables in focusable scrolling regions, SVG charts
    "open-data": "daten/",  # downloads with licence and date
}
CASES = [pytest.param(lang + path, id=lang + name) for lang in LANGUAGES for name, path in PAGES.items()]
CASES.append(pytest.param("404.html", id="not-found"))  # one 404 page for every language: a server shows it anywhere
KEYBOARD_CASES = [pytest.param(lang + PAGES[name], id=lang + name) for lang in LANGUAGES for name in ["start", "offer"]]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 320, "height": 800}
FIELDS = "input:not([type=hidden]), select, textarea"


def axe_script() -> Path:
    """axe.min.js from the node_modules that atlas/vendor.py would use ($ATLAS_NODE_MODULES first)."""
    candidates = [Path(os.environ["ATLAS_NODE_MODULES"])] if os.environ.get("ATLAS_NODE_MODULES") else []
    candidates += [ROOT / "node_modules"]
    for folder in candidates:
        if (folder / "axe-core" / "axe.min.js").is_file():
            return folder / "axe-core" / "axe.min.js"
    pytest.fail("axe-core is missing: run `npm ci` in the atlas checkout (or set ATLAS_NODE_MODULES)")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("accessibility") / "site"
    build(ROOT, out, on=BUILD_DATE)
    assert 'class="stale-notice"' in (out / PAGES["offer"] / "index.html").read_text(encoding="utf-8")
    with serve(out) as base:
        yield base


@pytest.fixture(scope="module")
def axe_page(browser: Browser) -> Iterator[Page]:
    """The only page that bypasses the CSP: axe is injected into every document it loads."""
    script = axe_script()
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    context.add_init_script(path=str(script))
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def phone(browser: Browser) -> Iterator[Page]:
    """A 320 px phone under the site's own strict CSP."""
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def wait_until(page: Page, expression: str, timeout: float = 60) -> None:  # generous: CI machines are shared
    """Poll a JavaScript expression until it is true (wait_for_function uses eval, which the CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        time.sleep(0.03)


def open_page(page: Page, base: str, path: str) -> None:
    """Load a page; on the search page wait until the result list answers the query with results."""
    response = page.goto(base + path)
    assert response is not None and response.ok, f"/{path}: HTTP {response.status if response else '?'}"
    if "suche/?" in path:
        wait_until(page, "(() => { const list = document.querySelector('[data-atlas-results]');"
                         " return list.hasAttribute('data-query') && list.children.length > 0; })()")
    if "thema=" in path:
        assert page.evaluate("document.querySelector('input[name=thema]:checked').closest('details').open"), \
            f"/{path}: the filter group in use is not open"


# --- axe-core ------------------------------------------------------------------------------------------

AXE = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
    .then(result => result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({target: n.target, html: n.html}))})))"""


def describe(violations: list[dict]) -> str:  # type: ignore[type-arg]
    lines = []
    for violation in violations:
        lines.append(f"  {violation['id']} [{violation['impact']}]: {violation['help']}")
        for node in violation["nodes"][:8]:
            html = " ".join(node["html"].split())
            html = html if len(html) <= 140 else html[:140] + "…"
            lines.append(f"      {' '.join(map(str, node['target']))}    {html}")
        if len(violation["nodes"]) > 8:
            lines.append(f"      … and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


@pytest.mark.parametrize("path", CASES)
def test_axe_finds_no_wcag_21_aa_violations(site: str, axe_page: Page, path: str) -> None:
    open_page(axe_page, site, path)
    violations = axe_page.evaluate(AXE, WCAG)
    if violations:
        pytest.fail(f"/{path}: {len(violations)} axe violation(s)\n{describe(violations)}", pytrace=False)


# --- the keyboard on a 320 px phone --------------------------------------------------------------------

BOX = """a => { const box = a.getBoundingClientRect(), s = getComputedStyle(a);
    const top = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    return {x: box.x, y: box.y, width: box.width, height: box.height, on_top: a.contains(top),
            visibility: s.visibility, opacity: s.opacity}; }"""


@pytest.mark.parametrize("path", KEYBOARD_CASES)
def test_skip_link_comes_first_and_shows_on_focus(site: str, phone: Page, path: str) -> None:
    open_page(phone, site, path)
    phone.keyboard.press("Tab")
    first = phone.evaluate("(() => { const a = document.activeElement; a.setAttribute('data-a11y-first', '');"
                           " return {html: a.outerHTML, href: a.getAttribute('href'),"
                           " main: document.querySelector('main').id}; })()")
    assert first["href"] == "#" + first["main"], f"/{path}: the first focusable element is not the skip link: {first}"
    shown = phone.eval_on_selector("[data-a11y-first]", BOX)
    on_screen = shown["x"] >= 0 and shown["y"] >= 0 and shown["x"] + shown["width"] <= PHONE["width"]
    big_enough = shown["width"] >= 24 and shown["height"] >= 24
    assert on_screen and big_enough, f"/{path}: the focused skip link is not fully on screen: {shown}"
    assert shown["on_top"], f"/{path}: something covers the focused skip link: {shown}"
    assert shown["visibility"] == "visible" and shown["opacity"] == "1", f"/{path}: the skip link is invisible: {shown}"
    phone.keyboard.press("Enter")
    assert phone.evaluate("document.activeElement === document.querySelector('main')"), \
        f"/{path}: Enter on the skip link does not move the focus to <main>"
    hidden = phone.eval_on_selector("[data-a11y-first]", BOX)
    assert hidden["y"] + hidden["height"] <= 0, f"/{path}: the skip link shows without focus: {hidden}"


FOCUS_STYLE = """el => { const s = getComputedStyle(el);
    return {outline: s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth), shadow: s.boxShadow,
            style: [s.outlineStyle, s.outlineWidth, s.outlineColor, s.outlineOffset, s.boxShadow].join(' ')}; }"""
NEXT_FOCUS = """i => { const a = document.activeElement;
    if (!a || a === document.body || a.hasAttribute('data-a11y-tab')) return null;
    a.setAttribute('data-a11y-tab', i);
    const name = a.tagName.toLowerCase() + (a.id ? '#' + a.id : '') + ' "'
        + (a.textContent || a.value || '').trim().replace(/\\s+/g, ' ').slice(0, 40) + '"';
    return [name, (""" + FOCUS_STYLE + """)(a)]; }"""


@pytest.mark.parametrize("path", KEYBOARD_CASES)
def test_every_focusable_element_shows_where_the_focus_is(site: str, phone: Page, path: str) -> None:
    """Tab through the page: each element's outline or box-shadow with focus is there and differs
    from the same element's without focus."""
    open_page(phone, site, path)
    focused = []
    for index in range(500):
        phone.keyboard.press("Tab")
        step = phone.evaluate(NEXT_FOCUS, index)
        if step is None:
            break
        focused.append(step)
    assert len(focused) > 10, f"/{path}: Tab reached only {focused}"
    phone.evaluate("document.activeElement.blur()")
    missing = []
    for index, (name, with_focus) in enumerate(focused):
        without = phone.eval_on_selector(f"[data-a11y-tab='{index}']", FOCUS_STYLE)
        if with_focus["style"] == without["style"] or (with_focus["outline"] < 2 and with_focus["shadow"] == "none"):
            missing.append(f"  {name}: with focus {with_focus['style']}; without {without['style']}")
    assert not missing, f"/{path}: no visible focus indicator on\n" + "\n".join(missing)


# --- structure on a 320 px phone: headings and form field names, one visit per page ----------------------

HEADINGS = """[...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
    .filter(h => h.checkVisibility({visibilityProperty: true}))
    .map(h => [Number(h.tagName[1]), h.textContent.trim().replace(/\\s+/g, ' ').slice(0, 50)])"""


@pytest.fixture(scope="module")
def structure(site: str, phone: Page) -> Callable[[str], dict]:  # type: ignore[type-arg]
    """`structure(path)`: the page's visible headings and its form fields without an accessible name
    (the name in Chromium's accessibility tree, all filter groups open); each page is visited once."""
    seen: dict[str, dict] = {}  # type: ignore[type-arg]

    def visit(path: str) -> dict:  # type: ignore[type-arg]
        if path not in seen:
            open_page(phone, site, path)
            headings = phone.evaluate(HEADINGS)
            phone.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
            fields = phone.eval_on_selector_all(FIELDS, "fields => fields.map(f => f.outerHTML.slice(0, 140))")
            cdp = phone.context.new_cdp_session(phone)
            try:
                root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
                node_ids = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": FIELDS})["nodeIds"]
                unnamed = []
                for node_id, html in zip(node_ids, fields, strict=True):
                    node = cdp.send("Accessibility.getPartialAXTree",
                                    {"nodeId": node_id, "fetchRelatives": False})["nodes"][0]
                    if not node.get("ignored") and not str(node.get("name", {}).get("value", "")).strip():
                        unnamed.append(html)
            finally:
                cdp.detach()
            seen[path] = {"headings": headings, "unnamed": unnamed}
        return seen[path]

    return visit


@pytest.mark.parametrize("path", CASES)
def test_headings_do_not_skip_levels(structure: Callable[[str], dict], path: str) -> None:  # type: ignore[type-arg]
    headings = structure(path)["headings"]
    outline = "\n".join(f"  {'  ' * (level - 1)}h{level} {text}" for level, text in headings)
    assert headings and headings[0][0] == 1, f"/{path}: the first heading is not h1\n{outline}"
    assert [level for level, _ in headings].count(1) == 1, f"/{path}: not exactly one h1\n{outline}"
    for (before, _), (level, text) in itertools.pairwise(headings):
        assert level <= before + 1, f"/{path}: h{before} is followed by h{level} {text!r}\n{outline}"


@pytest.mark.parametrize("path", CASES)
def test_every_form_field_has_an_accessible_name(structure: Callable[[str], dict], path: str) -> None:  # type: ignore[type-arg]
    unnamed = structure(path)["unnamed"]
    assert not unnamed, f"/{path}: form fields without an accessible name\n" + "\n".join(f"  {f}" for f in unnamed)
