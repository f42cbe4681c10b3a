"""The demo atlas at the repository root: valid, complete enough to show every part of the site."""

from __future__ import annotations

from pathlib import Path

import pytest

from atlas.build import build
from atlas.errors import ContentError
from tests.conftest import DEMO_DATE, ROOT

# DEMO_DATE (tests/conftest.py) is a fixed day: the demo's tests do not start failing when the real clock
# passes review_after_days (from 2027-01-14 `atlas check` on the demo warns at more and more `reviewed:`
# lines, as it should for real data)


@pytest.fixture(scope="module")
def demo(demo_built):  # type: ignore[no-untyped-def]
    """The demo built once per session (tests/conftest.py): (BuildResult, output folder)."""
    return demo_built


def test_demo_atlas_builds_with_only_the_expected_warning(demo) -> None:  # type: ignore[no-untyped-def]
    result, _ = demo
    assert [str(w) for w in result.warnings] == [
        # the demo's address is an example one: a municipality that copies the demo is told to set its own
        'atlas.yaml:3: warning: base_url: "https://integrationsatlas.example.org/" is an example address (the '
        "demo's): set the address the atlas is published at, e.g. https://www.hanau.de/integrationsatlas/; "
        "sitemap.xml, robots.txt, the canonical links and the 404 page's links are made from it",
        "content/offers/zirkusprojekt-luna.md:31: warning: valid_until: 2025-12-31 has passed; "
        "the offer is not published",
    ]


def test_strict_build_fails_on_that_warning(tmp_path: Path) -> None:
    with pytest.raises(ContentError):
        build(ROOT, tmp_path / "site", strict=True, on=DEMO_DATE)
    assert not (tmp_path / "site").exists()


def test_demo_covers_the_kreis_every_topic_and_audience(demo) -> None:  # type: ignore[no-untyped-def]
    site = demo[0].site
    municipalities = [r for r in site.regions.values() if r.parent == "main-kinzig-kreis"]
    assert len(municipalities) == 29 and all(r.postcodes for r in municipalities)
    assert site.regions["hanau"].kind == "sonderstatusstadt"
    assert len(site.actors) >= 25 and len(site.offers) >= 80
    for topic in site.config.topics:
        assert len(site.offers_by_topic.get(topic.slug, ())) >= 3, topic.slug
    for audience in site.config.audiences:
        assert len(site.offers_by_audience.get(audience.slug, ())) >= 3, audience.slug
    assert "zirkusprojekt-luna" not in site.offers


def test_demo_names_the_brochure_projects(demo) -> None:  # type: ignore[no-untyped-def]
    titles = " ".join(o.title for o in demo[0].site.offers.values())
    for project in ["Stadtteilmütter", "Check in", "Neue Partnerschaften", "Straße der Kulturen",
                    "Vereine erfolgreich unterwegs", "Netzwerks Migration", "Integrationsbüro"]:
        assert project in titles, project


def test_demo_uses_no_real_contacts(demo) -> None:  # type: ignore[no-untyped-def]
    for offer in demo[0].site.offers.values():
        if offer.contact and offer.contact.phone:
            assert offer.contact.phone.startswith("069 90009"), offer.slug
        for address in filter(None, [offer.contact and offer.contact.email, offer.contact and offer.contact.website]):
            assert "example.org" in address, offer.slug


def test_start_page_marks_demo_data(demo) -> None:  # type: ignore[no-untyped-def]
    assert "Demo-Daten:" in (demo[1] / "index.html").read_text(encoding="utf-8")
