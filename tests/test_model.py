"""The model: which offers are published and where they show."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from atlas.config import load_config
from atlas.model import build_model, initial, sort_key
from atlas.records import parse_records
from atlas.sources import read_sources

LAMBOY = """\
---
name: Lamboy
kind: ortsteil
parent: hanau
---
"""


def _site(project: Path, on: date = date(2026, 9, 21)):  # type: ignore[no-untyped-def]
    config, problems = load_config(project)
    assert config is not None, problems
    sources, _ = read_sources(project)
    records, problems = parse_records(sources, config)
    assert [p for p in problems if p.severity == "error"] == []
    return build_model(config, records, on)


def test_region_offers_include_sub_regions_and_enclosing_regions(atlas) -> None:  # type: ignore[no-untyped-def]
    project = atlas({
        "content/regions/lamboy.md": LAMBOY,
        "content/offers/stadtteilmuetter.md": """\
            ---
            title: Stadtteilmütter
            summary: Mütter begleiten Familien im Stadtteil.
            actor: caritas
            regions: [lamboy]
            topics: [beratung]
            reviewed: 2026-01-01
            ---
            """,
    })
    site = _site(project)
    titles = lambda offers: [o.title for o in offers]  # noqa: E731
    assert titles(site.offers_within["lamboy"]) == ["Stadtteilmütter"]
    assert titles(site.offers_around["lamboy"]) == ["Migrationsberatung", "Sprachcafé Hanau"]
    assert titles(site.offers_within["hanau"]) == ["Sprachcafé Hanau", "Stadtteilmütter"]
    assert titles(site.offers_around["hanau"]) == ["Migrationsberatung"]
    assert len(site.offers_within["main-kinzig-kreis"]) == 3
    assert "main-kinzig-kreis" not in site.offers_around
    assert [r.name for r in site.ancestors("lamboy")] == ["Hanau", "Main-Kinzig-Kreis"]
    assert site.offer_count("lamboy") == 3 and site.offer_count("maintal") == 1
    assert site.children["hanau"] == ("lamboy",)



def test_an_offer_for_a_kreis_and_an_ortsteil_is_within_the_towns_between_and_around_the_others(
        atlas) -> None:  # type: ignore[no-untyped-def]
    project = atlas({
        "content/regions/lamboy.md": LAMBOY,
        "content/offers/beides.md": """\
            ---
            title: Beides
            summary: Für den Kreis und für Lamboy.
            actor: caritas
            regions: [main-kinzig-kreis, lamboy]
            topics: [beratung]
            reviewed: 2026-01-01
            ---
            """,
    })
    site = _site(project)
    holds = lambda table, region: "beides" in [o.slug for o in table.get(region, ())]  # noqa: E731
    for region in ("main-kinzig-kreis", "hanau", "lamboy"):  # served, or holding a served region
        assert holds(site.offers_within, region) and not holds(site.offers_around, region)
    assert holds(site.offers_around, "maintal") and not holds(site.offers_within, "maintal")

def test_offers_past_valid_until_are_not_published(atlas) -> None:  # type: ignore[no-untyped-def]
    project = atlas({"content/offers/alt.md": """\
        ---
        title: Altes Projekt
        summary: Beendet.
        actor: caritas
        regions: [hanau]
        topics: [beratung]
        valid_until: 2026-09-20
        reviewed: 2026-01-01
        ---
        """})
    assert "alt" not in _site(project, date(2026, 9, 21)).offers
    assert "alt" in _site(project, date(2026, 9, 20)).offers  # the last day still counts


def test_german_alphabetical_order() -> None:
    words = ["Zentrum", "Ämterlotsen", "abc", "Übersetzung", "Offenes Café", "Straße", "Strasse", "3D-Druck"]
    assert sorted(words, key=sort_key) == ["3D-Druck", "abc", "Ämterlotsen", "Offenes Café", "Strasse",
                                           "Straße", "Übersetzung", "Zentrum"]
    assert [initial(w) for w in ["Ämter", "über", "3D", "„Check in“"]] == ["A", "U", "#", "C"]
