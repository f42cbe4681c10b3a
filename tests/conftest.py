"""Shared fixtures: a small atlas written into tmp_path, helpers to run the CLI on it, and the
demo atlas loaded, built and served once per session (with one Chromium for every browser test)."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from playwright.sync_api import Browser, BrowserContext, Page

from atlas.build import BuildResult, Loaded, build, load_site
from atlas.cli import main
from atlas.search import search_files
from tests.browser import chromium, serve

ROOT = Path(__file__).resolve().parent.parent  # the demo atlas
# The demo's data was last reviewed between 2026-01-13 and 2026-11-16: built on a fixed day, its tests do
# not change with the calendar (built on the real day, it would warn at more and more `reviewed:` lines)
DEMO_DATE = date(2026, 12, 1)

CONFIG = """\
title: Testatlas
base_url: https://atlas.example.org/hanau/
languages: [de, en]
topics:
  - slug: sprachfoerderung
    label: {de: Sprachförderung, en: Language support}
  - slug: beratung
    label: {de: Beratung, en: Counselling}
audiences:
  - slug: frauen
    label: {de: Frauen, en: Women}
  - slug: eltern
    label: {de: Eltern, en: Parents}
legal:
  operator: {name: Magistrat der Stadt Hanau, address: [Am Markt 14, 63450 Hanau], email: atlas@example.org}
  represented_by: den Oberbürgermeister
  responsible: {name: Büro für Integration, email: integration@example.org}
  privacy:
    officer: {name: Datenschutzbeauftragte der Stadt Hanau, email: datenschutz@example.org}
    hosting: Der Server steht im Rechenzentrum der Stadt.
    log_days: 14
    authority: {name: Der Hessische Beauftragte für Datenschutz und Informationsfreiheit}
  accessibility:
    status: teilweise
    date: 2026-06-01
    method: Selbstbewertung
    gaps: [{what: Die Suche braucht JavaScript., why: Die Seiten nach Region führen ohne JavaScript weiter.}]
    feedback: {name: Büro für Integration, email: barrierefrei@example.org}
    enforcement: {name: Schlichtungsstelle des Landes, email: schlichtung@example.org}
suggest: hinweise@example.org
"""

RECORDS: dict[str, str | None] = {
    "content/regions/main-kinzig-kreis.md": """\
        ---
        name: Main-Kinzig-Kreis
        kind: kreis
        ---
        Der Kreis.
        """,
    "content/regions/hanau.md": """\
        ---
        name: Hanau
        kind: sonderstatusstadt
        parent: main-kinzig-kreis
        postcodes: ["63450", "63452"]
        ---
        """,
    "content/regions/maintal.md": """\
        ---
        name: Maintal
        kind: stadt
        parent: main-kinzig-kreis
        postcodes: ["63477"]
        ---
        """,
    "content/actors/caritas.md": """\
        ---
        name: Caritasverband Testkreis e. V.
        kind: wohlfahrtsverband
        regions: [main-kinzig-kreis]
        website: https://caritas.example.org/
        email: info@caritas.example.org
        phone: "069 90009 100"
        ---
        Der Verband berät.
        """,
    "content/actors/vhs.md": """\
        ---
        name: Volkshochschule Hanau
        kind: bildungstraeger
        regions: [hanau]
        ---
        """,
    "content/offers/sprachcafe.md": """\
        ---
        title: Sprachcafé Hanau
        summary: Deutsch sprechen üben bei Kaffee und Tee.
        actor: vhs
        partners: [caritas]
        regions: [hanau]
        topics: [sprachfoerderung]
        audiences: [frauen]
        languages: [de, tr, ar]
        cost: free
        appointment: none
        locations:
          - name: Stadtteilzentrum
            street: Beispielweg 1
            postcode: "63450"
            city: Hanau
            lat: 50.13
            lon: 8.91
            accessible: yes
        hours:
          - days: [di, do]
            opens: "15:00"
            closes: "17:00"
        hours_note: In den Ferien geschlossen.
        contact: {name: Team Sprachcafé, phone: "069 90009 101", email: cafe@vhs.example.org}
        reviewed: 2026-03-01
        ---
        Wir sprechen **Deutsch** miteinander.
        """,
    "content/offers/migrationsberatung.md": """\
        ---
        title: Migrationsberatung
        summary: Beratung für Zugewanderte im ganzen Kreis.
        actor: caritas
        regions: [main-kinzig-kreis]
        topics: [beratung]
        cost: {amount: "5 €", note: pro Termin}
        reviewed: 2026-02-01
        ---
        Beratung zu allen Fragen.
        """,
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules with browser tests first, in their order (scripts/test gives pytest-xdist's workers
    whole modules in this order): they are the long ones, and the short ones then fill the end."""
    in_browser = {item.path for item in items if "browser" in getattr(item, "fixturenames", ())}
    items.sort(key=lambda item: item.path not in in_browser)


def write_atlas(root: Path, records: dict[str, str | None] | None = None, config: str = CONFIG) -> Path:
    """Write a small atlas into `root`; `records` adds or replaces files (None as text deletes one)."""
    files = {**RECORDS, **(records or {})}
    root.mkdir(parents=True, exist_ok=True)
    (root / "atlas.yaml").write_text(config, encoding="utf-8")
    for rel, text in files.items():
        if text is None:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def atlas(tmp_path: Path) -> Callable[..., Path]:
    """`atlas(records)` writes the scratch atlas (with changes) and returns its folder."""

    def make(records: dict[str, str | None] | None = None, config: str = CONFIG) -> Path:
        return write_atlas(tmp_path / "project", records, config)

    return make


SOURCE_DATE_EPOCH = "1790000000"  # 2026-09-21: the CLI's builds in tests are reproducible


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run the `atlas` CLI; stdout and stderr are kept apart."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)

    def run(*args: str | Path) -> Result:
        return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)

    return run


def published(out: Path, path: str) -> Path:
    """The built file for a plain path: `suche/index.json` is published under its content-hashed
    name (`suche/index.<hash>.json`, atlas.fingerprint)."""
    stem, _, extension = path.rpartition(".")
    found = sorted(out.glob(f"{stem}.{'[0-9a-f]' * 10}.{extension}"))
    assert len(found) == 1, f"{path}: {found}"
    return found[0]


# -- the demo, once per session: its tests only read it (one that changes it works on a copy) ----------

@pytest.fixture(scope="session")
def demo_loaded() -> Loaded:
    """The demo after load, validate and model (atlas.build.load_site), on DEMO_DATE."""
    return load_site(ROOT, DEMO_DATE)


@pytest.fixture(scope="session")
def demo_search_files(demo_loaded: Loaded) -> dict[str, bytes]:
    """The demo's search data (atlas.search.search_files), every language's, made once per session."""
    return search_files(demo_loaded.site)


@pytest.fixture(scope="session")
def demo_built(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    """The demo built on DEMO_DATE: the build's result and the output folder."""
    out = tmp_path_factory.mktemp("demo") / "site"
    return build(ROOT, out, on=DEMO_DATE), out


@pytest.fixture(scope="session")
def demo_served(demo_built: tuple[BuildResult, Path]) -> Iterator[str]:
    """The base URL of the built demo, served with the strict CSP (tests/browser.py)."""
    with serve(demo_built[1]) as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for the session; each test opens its own context (and closes it)."""
    with chromium() as browser:
        yield browser


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """`new_context(**options)`: a fresh context of the session's Chromium (nothing shared with other
    tests: cookies, storage, routes); every context it made is closed after the test."""
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        contexts.append(browser.new_context(**options))
        contexts[-1].set_default_timeout(120_000)  # only a bound for a failing wait: CI machines are shared
        return contexts[-1]

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def new_page(new_context: Callable[..., BrowserContext]) -> Callable[..., Page]:
    """`new_page(**context_options)`: a page in a context of its own (see new_context)."""
    return lambda **options: new_context(**options).new_page()
