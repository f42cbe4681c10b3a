"""Shared fixtures: a small atlas written into tmp_path, and helpers to run the CLI on it."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from atlas.cli import main

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


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run the `atlas` CLI; stdout and stderr are kept apart."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")  # 2026-09-21: builds are reproducible

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
