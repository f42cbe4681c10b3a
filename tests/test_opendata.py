"""The open data of /daten/ (contract §5): HSDS 3.0 valid against Open Referral's own schemas,
the tabular data package valid for frictionless, the mapping on a scratch atlas, the
spreadsheet CSV byte for byte, the DCAT-AP.de catalogue as RDF, and the /daten/ page."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from atlas import hsds_tables

ROOT = Path(__file__).resolve().parent.parent
# CI clones the repo beside shared/; a checkout elsewhere names the folder in $HSDS_STANDARDS
STANDARDS = Path(os.environ.get("HSDS_STANDARDS") or ROOT.parent / "shared" / "standards" / "hsds-3.0")
needs_hsds = pytest.mark.skipif(not STANDARDS.is_dir(), reason=f"the HSDS 3.0 schemas (Open Referral) are not at "
                                                               f"{STANDARDS}; set HSDS_STANDARDS to their folder")

EXTRA = {  # an offer with validity dates and hours on two lines, and one whose time is over
    "content/offers/kurs.md": """\
        ---
        title: Deutschkurs für Eltern
        summary: Deutsch lernen, während die Kinder betreut werden.
        actor: vhs
        regions: [hanau, maintal]
        topics: [sprachfoerderung, beratung]
        audiences: [eltern, frauen]
        languages: [de]
        cost: {amount: "12,50 €", note: Ermäßigung möglich}
        hours:
          - days: [mo, mi, fr]
            opens: "09:00"
            closes: "11:30"
          - days: [sa]
            opens: "18:00"
            closes: "24:00"
        valid_from: 2026-09-01
        valid_until: 2027-06-30
        reviewed: 2026-08-01
        ---
        """,
    "content/offers/alt.md": """\
        ---
        title: Abgelaufenes Projekt
        summary: Vorbei.
        actor: vhs
        regions: [hanau]
        topics: [beratung]
        valid_until: 2025-12-31
        reviewed: 2025-01-01
        ---
        """,
}


def _build(atlas, cli, out: Path, config: str | None = None) -> Path:  # type: ignore[no-untyped-def]
    project = atlas(EXTRA) if config is None else atlas(EXTRA, config)
    result = cli("build", project, "-o", out)
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture
def built(atlas, cli, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    return _build(atlas, cli, tmp_path / "out")


def _services(out: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    """services.json by atlas slug, read from where an importer finds it: the atlas-slug attribute."""
    services = json.loads((out / "daten/hsds/services.json").read_text(encoding="utf-8"))
    return {_values(s, "atlas-slug")[0]: s for s in services}


def _values(obj: dict, code: str) -> list[str]:  # type: ignore[type-arg]
    return [a.get("value") for a in obj.get("attributes", []) if a["taxonomy_term"]["code"] == code]


# -- validity against the standard ---------------------------------------------------------------

@needs_hsds
def test_hsds_json_is_valid_against_the_compiled_schemas(built: Path) -> None:
    from jsonschema import Draft7Validator, FormatChecker

    for name, schema in (("services.json", "service_package.json"),
                         ("organizations.json", "organization_package.json")):
        validator = Draft7Validator(json.loads((STANDARDS / "schema/compiled" / schema).read_text(encoding="utf-8")),
                                    format_checker=FormatChecker())
        data = json.loads((built / "daten/hsds" / name).read_text(encoding="utf-8"))
        assert data, name
        errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(data)]
        assert not errors, f"{name}: {errors[:5]}"
    # and a broken service is caught: the check can fail
    bad = json.loads((built / "daten/hsds/services.json").read_text(encoding="utf-8"))
    bad[0]["status"] = "offen"
    schema = json.loads((STANDARDS / "schema/compiled/service_package.json").read_text(encoding="utf-8"))
    assert list(Draft7Validator(schema).iter_errors(bad))


def test_tabular_package_passes_frictionless(built: Path) -> None:
    import frictionless

    report = frictionless.validate(str(built / "daten/hsds/csv/datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    rows = {path.name: len(list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))) - 1
            for path in (built / "daten/hsds/csv").glob("*.csv")}
    assert rows["services.csv"] == 3 and rows["organizations.csv"] == 2 and rows["schedules.csv"] == 3
    assert rows["taxonomy_terms.csv"] == 4 + 3  # every topic and audience, and the atlas's own three terms


def test_tabular_package_fails_frictionless_on_a_broken_row(built: Path) -> None:
    import frictionless

    services = built / "daten/hsds/csv/services.csv"
    services.write_text(services.read_text(encoding="utf-8").replace(",active,", ",offen,", 1), encoding="utf-8")
    assert not frictionless.validate(str(built / "daten/hsds/csv/datapackage.json")).valid


@needs_hsds
def test_table_schemas_are_hsds_field_by_field() -> None:
    original = json.loads((STANDARDS / "datapackage.json").read_text(encoding="utf-8"))
    ours = json.loads(hsds_tables.datapackage("x", "X", "dl-de/by-2-0", "DL", "https://example.org/"))
    assert [r["name"] for r in ours["resources"]] == [r["name"] for r in original["resources"]]
    for mine, theirs in zip(ours["resources"], original["resources"], strict=True):
        assert mine["path"] == theirs["path"]
        for a, b in zip(mine["schema"]["fields"], theirs["schema"]["fields"], strict=True):
            assert (a["name"], a["type"], a.get("format")) == (b["name"], b["type"], b.get("format")), mine["name"]
            assert a["constraints"] == b["constraints"], (mine["name"], a["name"])
        assert mine["schema"].get("foreignKeys", []) == theirs["schema"].get("foreignKeys", [])


# -- the mapping -----------------------------------------------------------------------------------

def test_ids_are_the_same_in_every_build_and_differ_between_atlases(atlas, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = _build(atlas, cli, tmp_path / "one")
    second = _build(atlas, cli, tmp_path / "two")
    for name in ("services.json", "organizations.json"):
        assert (first / "daten/hsds" / name).read_bytes() == (second / "daten/hsds" / name).read_bytes()
    ids = {slug: s["id"] for slug, s in _services(first).items()}
    assert len(set(ids.values())) == 3
    from tests.conftest import CONFIG
    other = _build(atlas, cli, tmp_path / "three", CONFIG.replace("atlas.example.org/hanau/", "atlas.example.org/mkk/"))
    assert not set(ids.values()) & {s["id"] for s in _services(other).values()}


def test_weekly_hours_become_schedules(built: Path) -> None:
    kurs = _services(built)["kurs"]
    assert [(s["freq"], s["wkst"], s["byday"], s["opens_at"], s["closes_at"], s["valid_from"], s["valid_to"])
            for s in kurs["schedules"]] == [
        ("WEEKLY", "MO", "MO,WE,FR", "09:00", "11:30", "2026-09-01", "2027-06-30"),
        ("WEEKLY", "MO", "SA", "18:00", "24:00", "2026-09-01", "2027-06-30"),
    ]
    cafe = _services(built)["sprachcafe"]
    assert [(s["byday"], s["description"]) for s in cafe["schedules"]] == [("TU,TH", "In den Ferien geschlossen.")]
    assert "schedules" not in _services(built)["migrationsberatung"]
    schedules = (built / "daten/hsds/csv/schedules.csv").read_text(encoding="utf-8")
    assert ",18:00:00,23:59:59," in schedules  # Table Schema's times; 24:00 is the day's last second there


def test_cost_free_and_paid(built: Path) -> None:
    services = _services(built)
    assert services["sprachcafe"]["cost_options"] == [{"id": services["sprachcafe"]["cost_options"][0]["id"],
                                                       "service_id": services["sprachcafe"]["id"], "currency": "EUR",
                                                       "amount": 0, "amount_description": "kostenlos"}]
    paid = services["migrationsberatung"]["cost_options"][0]
    assert (paid["amount"], paid["currency"], paid["amount_description"], paid["option"]) == (5, "EUR", "5 €",
                                                                                            "pro Termin")
    assert services["kurs"]["cost_options"][0]["amount"] == 12.5
    assert services["sprachcafe"]["fees_description"] == "kostenlos"


def test_languages_taxonomy_terms_and_service_areas(built: Path) -> None:
    cafe, kurs = _services(built)["sprachcafe"], _services(built)["kurs"]
    assert [(lang["code"], lang["name"]) for lang in cafe["languages"]] == [
        ("de", "Deutsch"), ("tr", "Türkisch"), ("ar", "Arabisch")]
    terms = [(a["link_type"], a["taxonomy_term"]["code"], a["taxonomy_term"]["name"], a["taxonomy_term"]["taxonomy"])
             for a in kurs["attributes"] if a["link_type"] in ("topic", "audience")]
    assert terms == [("topic", "sprachfoerderung", "Sprachförderung", "Handlungsfelder"),
                     ("topic", "beratung", "Beratung", "Handlungsfelder"),
                     ("audience", "eltern", "Eltern", "Zielgruppen"), ("audience", "frauen", "Frauen", "Zielgruppen")]
    assert [(a["name"], a["uri"]) for a in kurs["service_areas"]] == [
        ("Hanau", "https://atlas.example.org/hanau/regionen/hanau/"),
        ("Maintal", "https://atlas.example.org/hanau/regionen/maintal/")]
    assert _values(cafe, "atlas-partner") == ["caritas"]
    assert cafe["assured_date"] == "2026-03-01" and cafe["organization"]["name"] == "Volkshochschule Hanau"


def test_location_address_and_contact(built: Path) -> None:
    cafe = _services(built)["sprachcafe"]
    (at,) = cafe["service_at_locations"]
    location = at["location"]
    assert at["location_id"] == location["id"] and (location["latitude"], location["longitude"]) == (50.13, 8.91)
    (address,) = location["addresses"]
    assert (address["address_1"], address["postal_code"], address["city"], address["state_province"],
            address["country"]) == ("Beispielweg 1", "63450", "Hanau", "Hessen", "DE")
    assert location["accessibility"][0]["description"] == "Barrierefrei zugänglich"
    (contact,) = cafe["contacts"]
    assert (contact["name"], contact["email"], contact["phones"][0]["number"]) == (
        "Team Sprachcafé", "cafe@vhs.example.org", "069 90009 101")
    assert cafe["description"] == "Deutsch sprechen üben bei Kaffee und Tee.\n\nWir sprechen **Deutsch** miteinander."


def test_organizations_carry_slug_contact_and_regions(built: Path) -> None:
    orgs = {o["organization_identifiers"][0]["identifier"]: o
            for o in json.loads((built / "daten/hsds/organizations.json").read_text(encoding="utf-8"))}
    caritas = orgs["caritas"]
    assert (caritas["name"], caritas["website"], caritas["email"], caritas["phones"][0]["number"],
            caritas["legal_status"], caritas["uri"]) == (
        "Caritasverband Testkreis e. V.", "https://caritas.example.org/", "info@caritas.example.org",
        "069 90009 100", "Wohlfahrtsverband", "https://atlas.example.org/hanau/akteure/caritas/")
    assert _values(caritas, "atlas-region") == ["main-kinzig-kreis"]
    assert orgs["vhs"]["description"] == "Volkshochschule Hanau"  # no text: HSDS requires one, the name stands in


def test_only_published_offers_are_exported(built: Path) -> None:
    assert set(_services(built)) == {"sprachcafe", "migrationsberatung", "kurs"}
    sheet = (built / "daten/angebote.csv").read_text(encoding="utf-8-sig")
    assert "Abgelaufenes Projekt" not in sheet and "Abgelaufenes Projekt" not in (
        built / "daten/hsds/csv/services.csv").read_text(encoding="utf-8")


# -- the spreadsheet -------------------------------------------------------------------------------

def test_offers_csv_opens_in_excel_and_libreoffice(built: Path) -> None:
    data = (built / "daten/angebote.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfKennung,Titel,Kurzbeschreibung,Tr\xc3\xa4ger,Partner,Regionen,Themen,")
    assert data.count(b"\r\n") >= 4 and b"\r\n" in data.split(b"\n", 1)[0] + b"\n"
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [r["Kennung"] for r in rows] == ["kurs", "migrationsberatung", "sprachcafe"]
    kurs = rows[0]
    assert kurs["Titel"] == "Deutschkurs für Eltern" and kurs["Träger"] == "Volkshochschule Hanau"
    assert kurs["Regionen"] == "Hanau; Maintal" and kurs["Themen"] == "Sprachförderung; Beratung"
    assert kurs["Zielgruppen"] == "Eltern; Frauen" and kurs["Kosten"] == "12,50 €"
    assert kurs["Öffnungszeiten"] == "Mo, Mi, Fr 09:00–11:30; Sa 18:00–24:00"
    assert kurs["Gültig bis"] == "2027-06-30" and kurs["Geprüft am"] == "2026-08-01"
    cafe = rows[2]
    assert cafe["Sprachen"] == "de; tr; ar" and cafe["Kosten"] == "kostenlos" and cafe["Partner"] == (
        "Caritasverband Testkreis e. V.")
    assert cafe["Orte des Angebots"] == "Stadtteilzentrum, Beispielweg 1, 63450 Hanau"
    assert cafe["Seite im Atlas"] == "https://atlas.example.org/hanau/angebote/sprachcafe/"


# -- DCAT-AP.de and the licence --------------------------------------------------------------------

def test_dcat_catalogue_parses_with_the_licence(built: Path) -> None:
    from rdflib import Graph, Namespace, URIRef
    from rdflib.namespace import DCAT, DCTERMS, RDF

    graph = Graph().parse(built / "daten/catalog.rdf", format="xml")
    (catalog,) = graph.subjects(RDF.type, DCAT.Catalog)
    datasets = {str(graph.value(d, DCTERMS.title)): d for d in graph.objects(catalog, DCAT.dataset)}
    # the offers (with their feed), and the Bestandsaufnahme's counts
    assert sorted(datasets) == ["Bestandsaufnahme der Integrationsangebote: Testatlas",
                                "Integrationsangebote: Testatlas"]
    (dataset,) = (d for title, d in datasets.items() if title.startswith("Integrationsangebote"))
    urls = {str(graph.value(d, DCAT.accessURL)) for d in graph.objects(dataset, DCAT.distribution)}
    base = "https://atlas.example.org/hanau/daten/"
    assert urls == {base + "angebote.csv", base + "hsds/services.json", base + "hsds/organizations.json",
                    base + "hsds/csv/datapackage.json", "https://atlas.example.org/hanau/feed.xml"}
    licences = {graph.value(d, DCTERMS.license) for d in graph.objects(dataset, DCAT.distribution)}
    assert licences == {URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0")}
    assert str(graph.value(dataset, DCTERMS.modified)) == "2026-08-01"
    assert str(graph.value(graph.value(dataset, DCTERMS.publisher), Namespace("http://xmlns.com/foaf/0.1/").name)) \
        == "Magistrat der Stadt Hanau"
    assert graph.value(dataset, Namespace("http://dcat-ap.de/def/dcatde/").contributorID) is None  # not configured


def test_licence_and_contributor_from_atlas_yaml(atlas, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import CONFIG

    config = CONFIG + "license: cc-by-4.0\ncontributor_id: http://dcat-ap.de/def/contributors/hessen\n"
    out = _build(atlas, cli, tmp_path / "out", config)
    rdf = (out / "daten/catalog.rdf").read_text(encoding="utf-8")
    assert '<dct:license rdf:resource="http://dcat-ap.de/def/licenses/cc-by/4.0"/>' in rdf
    assert '<dcatde:contributorID rdf:resource="http://dcat-ap.de/def/contributors/hessen"/>' in rdf
    page = (out / "daten/index.html").read_text(encoding="utf-8")
    assert 'href="https://creativecommons.org/licenses/by/4.0/deed.de">Creative Commons Namensnennung 4.0' in page
    package = json.loads((out / "daten/hsds/csv/datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "cc-by-4.0"


def test_unknown_licence_is_reported_with_a_suggestion(atlas, cli) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import CONFIG

    result = cli("check", atlas(config=CONFIG + "license: dl-de/by-2.0\nland: Hesen\n"))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert any(line.startswith("atlas.yaml:") and 'license: "dl-de/by-2.0" is not one of' in line
               and '(did you mean "dl-de/by-2-0"?)' in line for line in lines), result.stderr
    assert any('land: "Hesen" is not a German Land' in line and '(did you mean "HE"?)' in line for line in lines)


# -- the /daten/ page ------------------------------------------------------------------------------

def test_data_page_lists_every_download_in_every_language(built: Path) -> None:
    for prefix, heading in (("", "Offene Daten"), ("en/", "Open data")):
        page = (built / prefix / "daten/index.html").read_text(encoding="utf-8")
        assert f"<h1>{heading}</h1>" in page
        up = "../" * (prefix.count("/") + 1)
        for path in ("daten/angebote.csv", "daten/hsds/services.json", "daten/hsds/organizations.json",
                     "daten/hsds/csv/datapackage.json", "daten/catalog.rdf"):
            assert f'href="{up}{path}"' in page, (prefix, path)
        assert page.count("Datenlizenz Deutschland – Namensnennung – Version 2.0") == 6  # and feed, Bestandsaufnahme
        assert page.count('<time datetime="2026-08-01">') == 6
        assert 'href="daten/"' in (built / prefix / "index.html").read_text(encoding="utf-8")  # from the footer


def test_ids_are_uuid5_of_the_record_path() -> None:
    import uuid

    from atlas.hsds import Ids

    ids = Ids(uuid.uuid5(uuid.NAMESPACE_URL, "https://atlas.example.org/"))
    for path in (("offer", "sprachcafe"), ("actor", "verein-für-ä"), ("offer", "x", "schedule", "1")):
        assert ids(*path) == str(uuid.uuid5(ids.namespace, "/".join(path)))


def test_downloads_of_other_parts_are_listed_once_the_build_writes_them(atlas) -> None:  # type: ignore[no-untyped-def]
    from atlas.build import build
    from atlas.opendata import downloads, open_data_files

    site = build(atlas(EXTRA), None).site
    without = open_data_files(site)
    assert b"feed.xml" not in without["daten/catalog.rdf"]
    assert "feed.xml" not in [d.path for d in downloads(without)]
    rdf = open_data_files(site, others={"feed.xml", "bestandsaufnahme/themen-regionen.csv"})["daten/catalog.rdf"]
    assert b'<dcat:accessURL rdf:resource="https://atlas.example.org/hanau/feed.xml"/>' in rdf
    assert b'<dcat:Dataset rdf:about="https://atlas.example.org/hanau/daten/#bestandsaufnahme">' in rdf


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed (apt-get install "
                                                       "libreoffice-calc-nogui)")
def test_libreoffice_reads_every_cell_of_offers_csv(built: Path, tmp_path: Path) -> None:
    """LibreOffice Calc, headless, with the import options its dialog offers (UTF-8, comma, quote):
    the same rows and cells as Python's csv module, umlauts and multi-line bodies included."""
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                    "--infilter=CSV:44,34,76,1", "--convert-to", "html:HTML (StarCalc)", "--outdir", str(tmp_path),
                    str(built / "daten/angebote.csv")], check=True, capture_output=True, timeout=300)
    page = (tmp_path / "angebote.html").read_text(encoding="utf-8")
    calc = [[html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td.*?</td>", row, re.S)]
            for row in re.findall(r"<tr.*?</tr>", page, re.S)]
    ours = list(csv.reader(io.StringIO((built / "daten/angebote.csv").read_text(encoding="utf-8-sig"), newline="")))
    assert [row[:4] for row in calc] == [row[:4] for row in ours]
    assert calc[0][3] == "Träger" and len(calc) == 4 and {len(row) for row in calc} == {len(ours[0])}
