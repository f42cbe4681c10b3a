"""Privacy by construction, checked statically over the built demo: nothing is loaded from
another host, no hint to connect to one, nothing is stored in the browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ABSOLUTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)  # a scheme, or protocol-relative
LOADING_ATTRIBUTES = re.compile(r'<(script|img|iframe|source|video|audio|embed|object|link)\b[^>]*>', re.IGNORECASE)


@pytest.fixture(scope="module")
def site(demo_built) -> Path:  # type: ignore[no-untyped-def]
    """The demo's output folder, built once per session (tests/conftest.py)."""
    return demo_built[1]


def test_no_page_loads_anything_from_another_host(site: Path) -> None:
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for tag in LOADING_ATTRIBUTES.finditer(html):
            element, name = tag.group(0), tag.group(1).lower()
            if name == "link" and not re.search(r'rel="(stylesheet|icon|preload|prefetch|modulepreload)"', element):
                continue  # rel=canonical names the page's own public address; nothing is fetched
            for url in re.findall(r'\b(?:src|href|srcset|data|poster)="([^"]*)"', element):
                assert not ABSOLUTE.match(url), f"{page.relative_to(site)}: {element}"  # "/x/" is fine, "//x" not
        assert not re.search(r'rel="(preconnect|dns-prefetch)"', html), page


def test_no_stylesheet_imports_or_urls_from_another_host(site: Path) -> None:
    for sheet in site.rglob("*.css"):
        css = sheet.read_text(encoding="utf-8")
        urls = re.findall(r'url\(\s*["\']?([^"\')]*)', css) + re.findall(r'@import\s+(?:url\()?["\']?([^"\');]*)', css)
        assert [u for u in urls if ABSOLUTE.match(u) and not u.startswith("data:")] == [], sheet


def test_no_script_stores_anything_in_the_browser(site: Path) -> None:
    for script in (site / "js").glob("*.js"):  # the site's own scripts (vendor/ holds lunr, which stores nothing)
        code = script.read_text(encoding="utf-8")
        for api in ["document.cookie", "localStorage", "sessionStorage", "indexedDB", "navigator.sendBeacon"]:
            assert api not in code, f"{script.name} uses {api}"
