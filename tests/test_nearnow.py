"""The data "near me" and "open now" get from the build: per offer in the search data (geo,
hours, valid), per atlas its time zone and its Land's holidays, per offer page its own hours
(data-atlas-open), and the places on the search page. The browser side: test_nearnow_browser.py."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from atlas import search
from atlas.cli import main
from tests.conftest import CONFIG, SOURCE_DATE_EPOCH, published, write_atlas
from tests.test_search import built_documents

# the scratch atlas is built on Monday 2026-09-21 (SOURCE_DATE_EPOCH in conftest)
LIMITED = """\
    ---
    title: Befristetes Projekt
    summary: Läuft nur eine Weile.
    actor: caritas
    regions: [hanau]
    topics: [beratung]
    locations: [{city: Hanau, lat: 50.1234567, lon: 8.9, accessible: unknown}, {city: Maintal, accessible: no}]
    valid_from: 2026-10-01
    valid_until: 2027-03-31
    reviewed: 2026-05-05
    ---
    """
HANAU = """\
    ---
    name: Hanau
    kind: sonderstatusstadt
    parent: main-kinzig-kreis
    postcodes: ["63450", "63452"]
    geo: {lat: 50.1328, lon: 8.9169}
    ---
    """


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """`built(config)`: the scratch atlas with LIMITED and Hanau's centre, built by the CLI once per
    config for this module (its tests only read the output)."""
    outputs: dict[str, Path] = {}

    def build(config: str = CONFIG) -> Path:
        if config not in outputs:
            root = tmp_path_factory.mktemp("nearnow")
            project = write_atlas(root / "project", {"content/offers/befristet.md": LIMITED,
                                                     "content/regions/hanau.md": HANAU}, config)
            result = CliRunner().invoke(main, ["build", str(project), "-o", str(root / "out")],
                                        env={"SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}, catch_exceptions=False)
            assert result.exit_code == 0, result.stderr
            outputs[config] = root / "out"
        return outputs[config]

    return build


def _data(out: Path, lang: str = "") -> dict:  # type: ignore[type-arg]
    return json.loads(published(out, lang + search.INDEX).read_bytes())  # the entry file: filters, clock


def _docs(out: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    # an offer without a key has null in its column (atlas.search.columns)
    return {slug: {k: v for k, v in doc.items() if v is not None} for slug, doc in built_documents(out).items()}


def test_each_offer_carries_its_places_hours_and_valid_range(built) -> None:  # type: ignore[no-untyped-def]
    docs = _docs(built())
    assert docs["sprachcafe"]["geo"] == [[50.13, 8.91]]
    assert docs["sprachcafe"]["hours"] == [[["di", "do"], "15:00", "17:00"]]
    assert "valid" not in docs["sprachcafe"]
    assert docs["befristet"]["geo"] == [[50.12346, 8.9]]  # a location without coordinates is left out
    assert docs["befristet"]["valid"] == ["2026-10-01", "2027-03-31"]
    assert "hours" not in docs["befristet"]
    assert not {"geo", "hours", "valid"} & set(docs["migrationsberatung"])  # only what an offer has


def test_the_clock_holds_the_zone_and_two_years_of_the_lands_holidays(built) -> None:  # type: ignore[no-untyped-def]
    clock = _data(built())["clock"]
    assert clock["zone"] == "Europe/Berlin"
    assert clock["holidays"][0] == "2026-10-03" and clock["holidays"][-1] <= "2028-09-21"
    assert "2027-05-27" in clock["holidays"] and "2028-06-15" in clock["holidays"]  # Fronleichnam in Hessen
    assert clock["holidays"] == sorted(clock["holidays"])
    berlin = _data(built(CONFIG.replace("languages: [de, en]", "languages: [de, en]\nland: BE")))["clock"]
    assert "2027-05-27" not in berlin["holidays"] and "2027-03-08" in berlin["holidays"]  # Frauentag


def test_every_language_gets_the_same_clock(built) -> None:  # type: ignore[no-untyped-def]
    out = built()
    assert _data(out)["clock"] == _data(out, "en/")["clock"]


def test_timezone_comes_from_atlas_yaml(built) -> None:  # type: ignore[no-untyped-def]
    out = built(CONFIG.replace("languages: [de, en]", "languages: [de, en]\ntimezone: Europe/Vienna"))
    assert _data(out)["clock"]["zone"] == "Europe/Vienna"
    page = (out / "angebote/sprachcafe/index.html").read_text(encoding="utf-8")
    assert '&#34;zone&#34;: &#34;Europe/Vienna&#34;' in page


def test_unknown_timezone_is_reported(atlas, cli) -> None:  # type: ignore[no-untyped-def]
    project = atlas(config=CONFIG.replace("languages: [de, en]", "languages: [de, en]\ntimezone: Europe/Berln"))
    result = cli("check", project)
    assert result.exit_code == 1
    assert ('atlas.yaml:4: timezone: "Europe/Berln" is not a time zone name; write one like Europe/Berlin '
            '(did you mean "Europe/Berlin"?)\n') in result.stderr


def _open_data(page: str) -> dict | None:  # type: ignore[type-arg]
    found = re.search(r'data-atlas-open="([^"]*)"', page)
    return json.loads(html.unescape(found.group(1))) if found else None


def test_offer_page_carries_its_own_hours_and_only_holidays_on_its_days(built) -> None:  # type: ignore[no-untyped-def]
    out = built()
    page = (out / "angebote/sprachcafe/index.html").read_text(encoding="utf-8")
    data = _open_data(page)
    assert data is not None
    assert data["hours"] == [[["di", "do"], "15:00", "17:00"]] and data["geo"] == [[50.13, 8.91]]
    assert "2027-05-27" in data["holidays"] and "2027-05-06" in data["holidays"]  # Thursdays
    assert "2026-10-03" not in data["holidays"]  # a Saturday: the café is closed anyway
    assert 'js/hours.' in page and "<table class=\"hours\">" in page  # the table stays for pages without scripts
    english = (out / "en/angebote/sprachcafe/index.html").read_text(encoding="utf-8")
    assert "Open now, until %(time)s" in html.unescape(english)
    for slug in ("migrationsberatung", "befristet"):  # no hours: nothing to say, no script
        page = (out / f"angebote/{slug}/index.html").read_text(encoding="utf-8")
        assert _open_data(page) is None and "js/hours." not in page


def test_search_page_offers_the_places_with_map_centres(built) -> None:  # type: ignore[no-untyped-def]
    page = (built() / "suche/index.html").read_text(encoding="utf-8")
    option = r'<option value="([a-z-]+)" data-name="([^"]+)" data-lat="([\d.]+)" data-lon="([\d.]+)">([^<]+)</option>'
    options = re.findall(option, page)
    assert options == [("hanau", "Hanau", "50.1328", "8.9169", "Hanau (63450, 63452)")]  # Maintal has no geo
    assert 'name="sortierung"' in page and 'name="geoeffnet" value="jetzt"' in page
    assert len(re.findall(r'name="tag" value="(mo|di|mi|do|fr|sa|so)"', page)) == 7
    for script in ("hours", "nearby"):
        assert f"js/{script}." in page


def test_search_data_is_the_only_holiday_list(built) -> None:  # type: ignore[no-untyped-def]
    out = built()
    for script in sorted((out / "js").glob("*.js")):
        assert not re.search(r"[\"']20\d\d-\d\d-\d\d[\"']", script.read_text(encoding="utf-8")), script.name
