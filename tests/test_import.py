"""`atlas import`: a messy spreadsheet (CSV and XLSX) into records, exact row messages, nothing
written on error, --update, slugs, hostile files, and the HSDS round trip."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

HEADER = ["Titel", "Kurzbeschreibung", "Träger", "Orte", "Themen", "Zielgruppen", "Sprachen", "Kosten", "Anmeldung",
          "Öffnungszeiten", "Straße", "PLZ", "Ort", "Kontakt E-Mail", "Kontakt Telefon", "Gültig bis",
          "Zuletzt geprüft", "Beschreibung"]
GOOD = ["Müttercafé Maintal", "Treffen für Mütter mit kleinen Kindern: Austausch und Beratung.", "Caritasverband",
        "Maintal", "Beratung", "Eltern; Frauen", "Deutsch, Türkisch", "kostenlos", "nicht nötig",
        "Di, Do 09:00–12:00; Mo 14–16 Uhr", "Hauptstraße 3", "63477", "Maintal", "cafe@example.org", "06181 12345",
        "01.10.2027", "15.09.2026", "Wir treffen uns im Gemeindehaus.\nKinder sind willkommen."]
TYPO = ["Straßenfest der Kulturen", "Ein Fest für alle.", "Caritasverbnd", "Hanau", "Beratung", "", "", "", "", "",
        "", "", "", "", "", "", "15.09.2026", ""]
BAD_DATE = ["Sprachkurs für Väter", "Deutsch lernen am Abend.", "vhs", "hanau", "sprachfoerderung", "Väter", "", "5 €",
            "", "Mi 18 bis 20 Uhr", "", "", "", "", "", "31.02.2027", "15.09.2026", ""]
EMPTY = [""] * len(HEADER)

MUETTERCAFE = """\
---
title: Müttercafé Maintal
summary: "Treffen für Mütter mit kleinen Kindern: Austausch und Beratung."
actor: caritas
regions: [maintal]
topics: [beratung]
audiences: [eltern, frauen]
languages: [de, tr]
cost: free
appointment: none
locations:
  - street: Hauptstraße 3
    postcode: "63477"
    city: Maintal
hours:
  - days: [di, do]
    opens: "09:00"
    closes: "12:00"
  - days: [mo]
    opens: "14:00"
    closes: "16:00"
contact:
  phone: "06181 12345"
  email: cafe@example.org
valid_until: 2027-10-01
reviewed: 2026-09-15
---
Wir treffen uns im Gemeindehaus.

Kinder sind willkommen.
"""

MESSY_ERRORS = [
    'liste.{ext}:4: Träger: unknown actor "Caritasverbnd" (did you mean "Caritasverband Testkreis e. V."?)',
    "liste.{ext}:5: Gültig bis: \"31.02.2027\" is not a real date",
    'liste.{ext}:5: Zielgruppen: unknown audience "Väter"',
]


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ";", encoding: str = "utf-8-sig") -> Path:
    def cell(value: str) -> str:
        return f'"{value}"' if any(ch in value for ch in f'{delimiter}"\n') else value

    path.write_bytes("\r\n".join(delimiter.join(cell(v) for v in row) for row in rows).encode(encoding) + b"\r\n")
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append([None if v == "" else v for v in row])
    book.save(path)
    return path


def files(project: Path) -> dict[str, str]:
    return {p.relative_to(project).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted((project / "content").rglob("*.md"))}


def errors(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if ": warning: " not in line]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in tmp_path, so messages name the file as a person typed it."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- a messy spreadsheet -------------------------------------------------------------------------

def test_messy_csv_reports_every_row_and_writes_nothing(atlas: Callable[..., Path], cli: Callable[..., Result],
                                                         here: Path) -> None:
    project = atlas()
    before = files(project)
    write_csv(here / "liste.csv", [HEADER, GOOD, EMPTY, TYPO, BAD_DATE])
    result = cli("import", "liste.csv", project)
    assert result.exit_code == 1
    assert errors(result) == [e.format(ext="csv") for e in MESSY_ERRORS]
    assert "nothing was written" in result.stdout
    assert files(project) == before


def test_messy_xlsx_reports_the_same_rows(atlas: Callable[..., Path], cli: Callable[..., Result], here: Path) -> None:
    project = atlas()
    before = files(project)
    write_xlsx(here / "liste.xlsx", {"Angebote": [HEADER, GOOD, EMPTY, TYPO, BAD_DATE]})
    result = cli("import", "liste.xlsx", project)
    assert result.exit_code == 1
    assert errors(result) == [e.format(ext="xlsx") for e in MESSY_ERRORS]
    assert files(project) == before


def test_clean_rows_become_records_that_pass_check(atlas: Callable[..., Path], cli: Callable[..., Result],
                                                   here: Path) -> None:
    project = atlas()
    write_csv(here / "liste.csv", [HEADER, GOOD, EMPTY, BAD_DATE[:5] + [""] * 11 + ["15.09.2026", ""]])
    result = cli("import", "liste.csv", project)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Imported 2 offers: 2 new, 0 updated; run atlas check"
    assert (project / "content/offers/muettercafe-maintal.md").read_text(encoding="utf-8") == MUETTERCAFE
    assert (project / "content/offers/sprachkurs-fuer-vaeter.md").is_file()
    check = cli("check", project)
    assert check.exit_code == 0, check.output
    assert "content/offers/muettercafe" not in check.stderr  # no warning either


def test_xlsx_cells_of_other_types_and_formulas(atlas: Callable[..., Path], cli: Callable[..., Result],
                                                here: Path) -> None:
    """Numbers, dates and times as Excel stores them; a formula is its text, never evaluated."""
    project = atlas()
    header = ["Titel", "Kurzbeschreibung", "Träger", "Orte", "Themen", "PLZ", "Ort", "Gültig ab", "Zuletzt geprüft",
              "Beschreibung"]
    formula = '=HYPERLINK("https://evil.example/","Klick")'
    row = ["Elterncafé", "Für Eltern.", "Volkshochschule Hanau", "Hanau", "Beratung", 63450, "Hanau",
           dt.datetime(2026, 10, 1), dt.date(2026, 9, 1), formula]
    write_xlsx(here / "liste.xlsx", {"Tabelle1": [header, row]})
    result = cli("import", "liste.xlsx", project)
    assert result.exit_code == 0, result.output
    text = (project / "content/offers/elterncafe.md").read_text(encoding="utf-8")
    assert 'postcode: "63450"' in text and "valid_from: 2026-10-01\n" in text and "reviewed: 2026-09-01\n" in text
    assert text.endswith(f"---\n{formula}\n")


def test_missing_required_column_is_one_error(atlas: Callable[..., Path], cli: Callable[..., Result],
                                             here: Path) -> None:
    project = atlas()
    i = HEADER.index("Kurzbeschreibung")
    write_csv(here / "liste.csv", [HEADER[:i] + HEADER[i + 1:], GOOD[:i] + GOOD[i + 1:]])
    result = cli("import", "liste.csv", project)
    assert result.exit_code == 1
    assert errors(result) == ["liste.csv:1: Kurzbeschreibung: the column is missing; every offer needs one "
                              "(named Kurzbeschreibung or summary)"]


def test_windows_1252_with_commas_and_english_names(atlas: Callable[..., Path], cli: Callable[..., Result],
                                                    here: Path) -> None:
    project = atlas()
    rows = [["title", "summary", "actor", "regions", "topics", "cost", "hours", "reviewed"],
            ["Frühstückstreff", "Gemeinsam frühstücken.", "caritas", "Main-Kinzig-Kreis; Hanau", "Beratung",
             "3,50 €", "Sa 9 Uhr - 11.30 Uhr", "2026-09-01"]]
    write_csv(here / "excel.csv", rows, delimiter=",", encoding="cp1252")
    result = cli("import", "excel.csv", project)
    assert result.exit_code == 0, result.output
    text = (project / "content/offers/fruehstueckstreff.md").read_text(encoding="utf-8")
    assert "regions: [main-kinzig-kreis, hanau]\n" in text
    assert 'cost:\n  amount: "3,50 €"\n' in text or "cost:\n  amount: 3,50 €\n" in text
    assert 'opens: "09:00"\n    closes: "11:30"' in text


# -- update and slugs ----------------------------------------------------------------------------

def test_existing_records_need_update(atlas: Callable[..., Path], cli: Callable[..., Result], here: Path) -> None:
    project = atlas()
    write_csv(here / "liste.csv", [HEADER, GOOD])
    assert cli("import", "liste.csv", project).exit_code == 0
    first = files(project)
    changed = GOOD[:1] + ["Ein neuer Text."] + GOOD[2:]
    write_csv(here / "liste.csv", [HEADER, changed])
    refused = cli("import", "liste.csv", project)
    assert refused.exit_code == 1
    assert errors(refused) == ['liste.csv:2: Titel: offer "muettercafe-maintal" exists already '
                               "(content/offers/muettercafe-maintal.md); use --update to overwrite it"]
    assert files(project) == first
    updated = cli("import", "liste.csv", project, "--update")
    assert updated.exit_code == 0, updated.output
    assert updated.stdout.strip() == "Imported 1 offer: 0 new, 1 updated; run atlas check"
    text = (project / "content/offers/muettercafe-maintal.md").read_text(encoding="utf-8")
    assert text == MUETTERCAFE.replace('"Treffen für Mütter mit kleinen Kindern: Austausch und Beratung."',
                                       "Ein neuer Text.")


def test_rows_of_the_same_title_are_their_records_again(atlas: Callable[..., Path], cli: Callable[..., Result],
                                                        here: Path) -> None:
    """Two rows titled alike became doppelt and doppelt-2; importing the list again with --update
    finds them in the same order instead of calling the second row's slug taken."""
    project = atlas()
    header = ["Titel", "Kurzbeschreibung", "Träger", "Orte", "Themen", "Zuletzt geprüft"]
    rows = [["Doppelt", "Erstes.", "vhs", "hanau", "beratung", "2026-09-01"],
            ["Doppelt", "Zweites.", "vhs", "maintal", "beratung", "2026-09-01"]]
    write_csv(here / "liste.csv", [header, *rows])
    assert cli("import", "liste.csv", project).exit_code == 0
    rows[1][1] = "Zweites, verbessert."
    write_csv(here / "liste.csv", [header, *rows])
    again = cli("import", "liste.csv", project, "--update")
    assert again.exit_code == 0, again.output
    assert again.stdout.strip() == "Imported 2 offers: 0 new, 2 updated; run atlas check"
    assert "summary: Erstes.\n" in (project / "content/offers/doppelt.md").read_text(encoding="utf-8")
    assert "summary: Zweites, verbessert.\n" in (project / "content/offers/doppelt-2.md").read_text(encoding="utf-8")


def test_slug_column_names_the_record(atlas: Callable[..., Path], cli: Callable[..., Result], here: Path) -> None:
    project = atlas()
    rows = [["slug", "Titel", "Kurzbeschreibung", "Träger", "Orte", "Themen", "Zuletzt geprüft"],
            ["sprachcafe", "Sprachcafé Hanau Mitte", "Neu.", "vhs", "hanau", "sprachfoerderung", "2026-09-01"]]
    write_csv(here / "liste.csv", rows)
    assert errors(cli("import", "liste.csv", project)) == [
        'liste.csv:2: slug: offer "sprachcafe" exists already (content/offers/sprachcafe.md); '
        "use --update to overwrite it"]
    assert cli("import", "liste.csv", project, "--update").exit_code == 0
    assert "title: Sprachcafé Hanau Mitte\n" in (project / "content/offers/sprachcafe.md").read_text(encoding="utf-8")


def test_slugs_are_unique_among_existing_and_new(atlas: Callable[..., Path], cli: Callable[..., Result],
                                                 here: Path) -> None:
    project = atlas()
    row = ["Sprachcafé", "Deutsch üben.", "vhs", "hanau", "sprachfoerderung", "2026-09-01"]
    write_csv(here / "liste.csv", [["Titel", "Kurzbeschreibung", "Träger", "Orte", "Themen", "Zuletzt geprüft"],
                                   row, row, ["Ärger & Öl: Straße", *row[1:]]])
    result = cli("import", "liste.csv", project)
    assert result.exit_code == 0, result.output
    offers = sorted(p.name for p in (project / "content/offers").glob("*.md"))
    # "sprachcafe" is the existing "Sprachcafé Hanau": another title, so another record
    assert offers == ["aerger-oel-strasse.md", "migrationsberatung.md", "sprachcafe-2.md", "sprachcafe-3.md",
                      "sprachcafe.md"]


def test_actors_and_regions_from_a_workbook(atlas: Callable[..., Path], cli: Callable[..., Result],
                                            here: Path) -> None:
    """Sheets named Regionen, Träger and Angebote; an offer names an actor of the same workbook."""
    project = atlas()
    write_xlsx(here / "atlas.xlsx", {
        "Angebote": [["Titel", "Kurzbeschreibung", "Träger", "Orte", "Themen", "Zuletzt geprüft"],
                     ["Nähcafé", "Nähen und reden.", "Nachbarschaftsverein Bruchköbel", "Bruchköbel", "Beratung",
                      "2026-09-01"]],
        "Träger": [["Name", "Art", "Tätig in", "E-Mail", "Straße", "PLZ", "Ort"],
                   ["Nachbarschaftsverein Bruchköbel e. V.", "Verein", "Bruchköbel", "info@nv.example.org",
                    "Hauptstraße 1", 63486, "Bruchköbel"]],
        "Regionen": [["Name", "Art", "Gehört zu", "Postleitzahlen"], ["Bruchköbel", "Stadt", "Main-Kinzig-Kreis",
                                                                     "63486"]],
        "Notizen": [["Wer?", "Was?"], ["Anna", "Liste prüfen"]],
    })
    result = cli("import", "atlas.xlsx", project)
    assert result.exit_code == 0, result.output
    assert result.stderr == "atlas.xlsx[Notizen]:1: warning: the sheet is not named Angebote, Träger or Regionen; " \
                            "it is ignored\n"
    assert result.stdout.strip() == ("Imported 1 region: 1 new, 0 updated; 1 actor: 1 new, 0 updated; "
                                     "1 offer: 1 new, 0 updated; run atlas check")
    assert (project / "content/regions/bruchkoebel.md").read_text(encoding="utf-8") == (
        '---\nname: Bruchköbel\nkind: stadt\nparent: main-kinzig-kreis\npostcodes: ["63486"]\n---\n')
    assert (project / "content/actors/nachbarschaftsverein-bruchkoebel-e-v.md").read_text(encoding="utf-8") == (
        "---\nname: Nachbarschaftsverein Bruchköbel e. V.\nkind: verein\nregions: [bruchkoebel]\n"
        "email: info@nv.example.org\naddress:\n  street: Hauptstraße 1\n  postcode: \"63486\"\n  city: Bruchköbel\n"
        "---\n")
    assert "actor: nachbarschaftsverein-bruchkoebel-e-v\n" in (project / "content/offers/naehcafe.md").read_text()
    assert cli("check", project).exit_code == 0


# -- hostile files -------------------------------------------------------------------------------

def test_a_50_mb_cell_is_refused(atlas: Callable[..., Path], cli: Callable[..., Result], here: Path) -> None:
    project = atlas()
    before = files(project)
    big = here / "gross.csv"
    with big.open("w", encoding="utf-8") as out:
        out.write("Titel;Kurzbeschreibung;Träger;Orte;Themen;Beschreibung\nA;B;vhs;hanau;beratung;\"")
        chunk = "x" * 1_000_000
        for _ in range(50):
            out.write(chunk)
        out.write('"\n')
    result = cli("import", "gross.csv", project)
    assert result.exit_code == 1
    assert errors(result) == ["gross.csv:2: a cell holds more than 100,000 characters; nothing was imported"]
    assert files(project) == before


def test_a_link_out_of_the_project_is_not_written_through(atlas: Callable[..., Path], cli: Callable[..., Result],
                                                         here: Path) -> None:
    project = atlas()
    outside = here / "outside"
    outside.mkdir()
    (outside / "x.md").write_text(MUETTERCAFE, encoding="utf-8")
    os.symlink(outside / "x.md", project / "content/offers/muettercafe-maintal.md")
    write_csv(here / "liste.csv", [HEADER, GOOD])
    result = cli("import", "liste.csv", project, "--update")
    assert result.exit_code == 1
    # the project's own reading refuses the link before the import could write through it
    assert "content/offers/muettercafe-maintal.md:1: is a symbolic link; atlas reads only plain files" in result.stderr
    assert (outside / "x.md").read_text(encoding="utf-8") == MUETTERCAFE


def test_not_a_workbook(atlas: Callable[..., Path], cli: Callable[..., Result], here: Path) -> None:
    project = atlas()
    (here / "kaputt.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    result = cli("import", "kaputt.xlsx", project)
    assert result.exit_code == 1
    assert errors(result) == ["kaputt.xlsx:1: is not an .xlsx workbook (save it from Excel or LibreOffice as .xlsx)"]


# -- the pieces --------------------------------------------------------------------------------

def test_readme_column_tables_are_up_to_date() -> None:
    from atlas.docs import refreshed

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert refreshed(readme) == readme, "run: python -m atlas.docs README.md"


def test_every_schema_field_has_a_column() -> None:
    from atlas.columns import columns
    from atlas.schema import SCHEMAS

    for kind, schema in SCHEMAS.items():
        named = {c.key for c in columns(kind).values()}
        for spec in schema:
            whole = not spec.fields or spec.name in ("hours", "cost")
            assert whole <= ((spec.name,) in named), f"{kind}.{spec.name}"
            if spec.name != "hours":
                assert all((spec.name, sub.name) in named for sub in spec.fields), f"{kind}.{spec.name}"


@pytest.mark.parametrize(("cell", "hours"), [
    ("Di, Do 09:00–12:00; Mo 14–16 Uhr", [(["di", "do"], "09:00", "12:00"), (["mo"], "14:00", "16:00")]),
    ("Mo-Fr 9 bis 12.30 Uhr", [(["mo", "di", "mi", "do", "fr"], "09:00", "12:30")]),
    ("dienstags und donnerstags 9-12, 14-16 Uhr", [(["di", "do"], "09:00", "12:00"), (["di", "do"], "14:00", "16:00")]),
    ("Samstag 10 Uhr - 13 Uhr", [(["sa"], "10:00", "13:00")]),
])
def test_hours_as_people_write_them(cell: str, hours: list[tuple[list[str], str, str]]) -> None:
    from atlas.cells import to_hours

    assert to_hours(cell) == [{"days": d, "opens": o, "closes": c} for d, o, c in hours]


@pytest.mark.parametrize(("cell", "message"), [
    ("Di 9:00", '"Di 9:00" needs days and a time from … to …; write it like "Di, Do 09:00–12:00"'),
    ("Dienstg 9-12", '"dienstg" in "Dienstg" is not a day; use Mo, Di, Mi, Do, Fr, Sa, So'),
    ("Di 9-25", '"25" is not a time; write it like 09:00 or 9 Uhr'),
])
def test_hours_mistakes_are_named(cell: str, message: str) -> None:
    from atlas.cells import CellError, to_hours

    with pytest.raises(CellError) as error:
        to_hours(cell)
    assert str(error.value) == message


def test_slugify_and_matching() -> None:
    from atlas.matching import Names, slugify

    assert slugify("Ärger & Öl: Straße für Crème brûlée") == "aerger-oel-strasse-fuer-creme-brulee"
    actors = Names("actor", {"caritas-mkk": ("Caritasverband für den Main-Kinzig-Kreis e. V.",),
                             "diakonie": ("Diakonisches Werk Hanau",), "vhs": ("Volkshochschule Hanau",)})
    assert actors.find("caritasverband").slug == "caritas-mkk"
    assert actors.find("CARITASVERBAND FÜR DEN MAIN-KINZIG-KREIS E. V.").slug == "caritas-mkk"
    assert actors.find("Diakonisches Werk Hanau (Beratungsstelle)").slug == "diakonie"  # extra words
    assert actors.find("Hanau").error == '"Hanau" could be more than one actor: "diakonie", "vhs"; write the slug'
    assert actors.find("Caritasverbnd").error == ('unknown actor "Caritasverbnd" (did you mean '
                                                  '"Caritasverband für den Main-Kinzig-Kreis e. V."?)')


def test_dump_record_reads_like_a_person_wrote_it() -> None:
    from atlas.recordwriter import dump_record, plain_to_markdown

    values = {"reviewed": "2026-09-01", "title": "Treff: Café", "summary": "yes", "actor": "vhs",
              "regions": ["hanau"], "topics": ["beratung"], "contact": {"name": None, "phone": "069 1"},
              "locations": [{"city": "Hanau", "accessible": "no", "lat": 50.1, "lon": 8.0}], "cost": "free"}
    assert dump_record("offers", values, plain_to_markdown("Eins.\n\n- a\n- b\nZwei.")) == (
        '---\ntitle: "Treff: Café"\nsummary: "yes"\nactor: vhs\nregions: [hanau]\ntopics: [beratung]\ncost: free\n'
        'locations:\n  - city: Hanau\n    lat: 50.1\n    lon: 8\n    accessible: no\ncontact:\n  phone: "069 1"\n'
        "reviewed: 2026-09-01\n---\nEins.\n\n- a\n- b\n\nZwei.\n")
    assert dump_record("regions", {"name": "Hanau", "kind": "stadt", "geo": {"lat": 50.13, "lon": 8.92}}) == (
        "---\nname: Hanau\nkind: stadt\ngeo: {lat: 50.13, lon: 8.92}\n---\n")


def test_csv_of_actors_with_kind(atlas: Callable[..., Path], cli: Callable[..., Result], here: Path) -> None:
    project = atlas()
    write_csv(here / "traeger.csv", [["Name", "Art", "Tätig in", "Telefon"],
                                     ["Moscheegemeinde Hanau", "Religionsgemeinschaft", "Hanau", "06181 2222"]])
    result = cli("import", "traeger.csv", project, "--kind", "actors")
    assert result.exit_code == 0, result.output
    assert (project / "content/actors/moscheegemeinde-hanau.md").read_text(encoding="utf-8") == (
        '---\nname: Moscheegemeinde Hanau\nkind: religionsgemeinschaft\nregions: [hanau]\nphone: "06181 2222"\n---\n')


def test_rows_without_title_and_twice_the_same_slug(atlas: Callable[..., Path], cli: Callable[..., Result],
                                                    here: Path) -> None:
    project = atlas()
    header = ["Kennung", "Titel", "Kurzbeschreibung", "Träger", "Orte", "Themen", "Öffnungszeiten"]
    write_csv(here / "liste.csv", [header, ["", "", "Ohne Titel.", "vhs", "hanau", "beratung", "werktags 9-12"],
                                   ["treff", "Treff A", "A.", "vhs", "hanau", "beratung", "täglich 9-12"],
                                   ["treff", "Treff B", "B.", "vhs", "hanau", "beratung", ""],
                                   ["Treff C", "Treff C", "C.", "vhs", "hanau", "beratung", ""]])
    result = cli("import", "liste.csv", project)
    assert errors(result) == [
        "liste.csv:2: Titel: is required",
        'liste.csv:4: Kennung: "treff" is row 3\'s slug already',
        'liste.csv:5: Kennung: "Treff C" is not a valid slug: use a-z, 0-9 and single hyphens, e.g. sprachcafe-hanau',
    ]


def test_other_spreadsheet_formats_are_named(atlas: Callable[..., Path], cli: Callable[..., Result],
                                             here: Path) -> None:
    project = atlas()
    (here / "alt.xls").write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    assert errors(cli("import", "alt.xls", project)) == [
        "alt.xls:1: a .xls cannot be imported; save the list as .xlsx or .csv (or import an HSDS services.json)"]
    assert errors(cli("import", "fehlt.csv", project)) == ["fehlt.csv:1: cannot be read: No such file or directory"]


# -- HSDS ----------------------------------------------------------------------------------------

MORE_RECORDS: dict[str, str | None] = {
    "content/regions/hanau-lamboy.md": "---\nname: Lamboy\nkind: ortsteil\nparent: hanau\n---\n",
    "content/actors/moschee.md": """\
        ---
        name: Moscheegemeinde Lamboy
        kind: religionsgemeinschaft
        regions: [hanau-lamboy, maintal]
        address: {street: Lamboystraße 5, postcode: "63452", city: Hanau}
        ---
        Eine Gemeinde ohne eigene Angebote im Atlas.
        """,
    "content/offers/hausaufgaben.md": """\
        ---
        title: Hausaufgabenhilfe Lamboy
        summary: Hilfe bei den Hausaufgaben, für Kinder der Klassen 1 bis 6.
        actor: caritas
        partners: [vhs]
        regions: [hanau-lamboy, main-kinzig-kreis]
        topics: [beratung, sprachfoerderung]
        audiences: [eltern]
        appointment: required
        locations:
          - name: Gemeindehaus
            city: Hanau
            accessible: partly
          - street: Am Markt 1
        hours_note: Nur in der Schulzeit.
        valid_from: 2026-01-01
        valid_until: 2027-07-31
        reviewed: 2026-05-01
        ---
        Mit **Lernpaten**.

        Zweiter Absatz.
        """,
}


def test_hsds_round_trip(atlas: Callable[..., Path], cli: Callable[..., Result], tmp_path: Path) -> None:
    """The atlas's own services.json and organizations.json, imported into an empty atlas with the
    same atlas.yaml, build the same HSDS files again."""
    project = atlas(MORE_RECORDS)
    assert cli("build", project, "-o", tmp_path / "first").exit_code == 0
    hsds = tmp_path / "first/daten/hsds"
    empty = tmp_path / "empty"
    (empty / "content").mkdir(parents=True)
    (empty / "atlas.yaml").write_bytes((project / "atlas.yaml").read_bytes())
    services = cli("import", hsds / "services.json", empty)
    assert services.exit_code == 0, services.output
    assert services.stdout.strip() == ("Imported 3 regions: 3 new, 0 updated; 2 actors: 2 new, 0 updated; "
                                       "3 offers: 3 new, 0 updated; run atlas check")
    organizations = cli("import", hsds / "organizations.json", empty, "--update")
    assert organizations.exit_code == 0, organizations.output
    assert organizations.stdout.strip() == "Imported 1 region: 1 new, 0 updated; 3 actors: 1 new, 2 updated; " \
                                           "run atlas check"
    assert cli("build", empty, "-o", tmp_path / "second").exit_code == 0
    again = tmp_path / "second/daten/hsds"
    for name in ("services.json", "organizations.json"):
        assert (again / name).read_bytes() == (hsds / name).read_bytes(), name
    for table in sorted((hsds / "csv").iterdir()):
        assert (again / "csv" / table.name).read_bytes() == table.read_bytes(), table.name
    assert (empty / "content/offers/hausaufgaben.md").read_text(encoding="utf-8") == textwrap.dedent(
        MORE_RECORDS["content/offers/hausaufgaben.md"] or "")
    assert (empty / "content/regions/hanau-lamboy.md").read_text(encoding="utf-8") == \
        "---\nname: Lamboy\nkind: ortsteil\nparent: hanau\n---\n"


def test_hsds_problems_name_the_service(atlas: Callable[..., Path], cli: Callable[..., Result], here: Path) -> None:
    project = atlas()
    service = {"id": "1", "organization_id": "2", "name": "Kurs", "description": "Ein Kurs.", "status": "active",
               "assured_date": "2026-09-01",
               "organization": {"id": "2", "name": "Volkshochschule Hanau", "description": "VHS",
                                "organization_identifiers": [{"identifier_type": "Integrationsatlas",
                                                              "identifier": "vhs"}]},
               "service_areas": [{"id": "3", "name": "Hanau", "uri": "https://x.example/regionen/hanau/"}],
               "attributes": [{"link_type": "topic", "taxonomy_term": {"code": "kochen", "name": "Kochen"}}]}
    (here / "services.json").write_text(json.dumps([service, {**service, "name": "Kurs B", "attributes": []}]),
                                        encoding="utf-8")
    result = cli("import", "services.json", project)
    assert errors(result) == ['services.json:1: Themen: unknown topic "Kochen"',
                              "services.json:2: Themen: is required"]
    (here / "kaputt.json").write_text("[{", encoding="utf-8")
    assert errors(cli("import", "kaputt.json", project)) == [
        "kaputt.json:1: is not JSON in UTF-8 (Expecting property name enclosed in double quotes: line 1 column 3 "
        "(char 2))"]


def test_a_workbook_that_unpacks_too_large_is_refused(atlas: Callable[..., Path], cli: Callable[..., Result],
                                                      here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A zip bomb is caught before openpyxl parses anything (here: a limit of 1 KB on a normal workbook)."""
    from atlas import tables

    project = atlas()
    write_xlsx(here / "liste.xlsx", {"Angebote": [HEADER, GOOD]})
    monkeypatch.setattr(tables, "MAX_UNPACKED", 1024)
    result = cli("import", "liste.xlsx", project)
    assert result.exit_code == 1
    assert errors(result)[0].startswith("liste.xlsx:1: the workbook unpacks to ")


def test_hsds_from_elsewhere(atlas: Callable[..., Path], cli: Callable[..., Result], here: Path) -> None:
    """HSDS data that another directory wrote: names instead of the atlas's slugs, a long description."""
    project = atlas()
    description = "Beratung rund um Ausbildung und Beruf. " * 12
    service = {"id": "a", "organization_id": "b", "name": "Berufsberatung für Zugewanderte", "status": "active",
               "description": description.strip(), "assured_date": "2026-08-01",
               "organization": {"id": "b", "name": "Jobhilfe Hanau e. V.", "description": "Ein Verein.",
                                "legal_status": "Verein"},
               "service_areas": [{"id": "c", "name": "Hanau"}],
               "languages": [{"id": "d", "code": "uk"}],
               "cost_options": [{"id": "e", "amount": 0}],
               "schedules": [{"id": "f", "freq": "WEEKLY", "byday": "MO,WE", "opens_at": "10:00",
                              "closes_at": "12:00"}],
               "attributes": [{"link_type": "topic", "taxonomy_term": {"name": "Beratung"}}]}
    (here / "services.json").write_text(json.dumps([service]), encoding="utf-8")
    result = cli("import", "services.json", project)
    assert result.exit_code == 0, result.output
    text = (project / "content/offers/berufsberatung-fuer-zugewanderte.md").read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: Berufsberatung für Zugewanderte\nsummary: Beratung rund um Ausbildung und "
                           "Beruf. Beratung")
    assert "actor: jobhilfe-hanau-e-v\nregions: [hanau]\ntopics: [beratung]\nlanguages: [uk]\ncost: free\n" in text
    assert 'hours:\n  - days: [mo, mi]\n    opens: "10:00"\n    closes: "12:00"\n' in text
    assert (project / "content/actors/jobhilfe-hanau-e-v.md").read_text(encoding="utf-8") == (
        "---\nname: Jobhilfe Hanau e. V.\nkind: verein\nregions: [hanau]\n---\nEin Verein.\n")
    assert cli("check", project).exit_code == 0


def test_record_checks_name_the_columns(atlas: Callable[..., Path], cli: Callable[..., Result], here: Path) -> None:
    """What only the record reader finds (a location without a place, closing before opening, a summary
    too long) is reported at the row, under the column's name."""
    project = atlas()
    header = ["Titel", "Kurzbeschreibung", "Träger", "Orte", "Themen", "Barrierefrei", "Zeiten", "Kontakt Mail"]
    write_csv(here / "liste.csv", [header, ["Kurs", "x" * 301, "vhs", "hanau", "beratung", "ja", "Mo 12-10 Uhr",
                                            "keine-adresse"]])
    result = cli("import", "liste.csv", project)
    assert errors(result) == [
        'liste.csv:2: Kontakt Mail: "keine-adresse" is not an e-mail address',
        "liste.csv:2: Kurzbeschreibung: is 301 characters long; at most 300 are allowed",
        'liste.csv:2: Zeiten[1].closes: "10:00" is not after opens ("12:00")',
    ]
    assert "liste.csv:2: warning: Barrierefrei: without a place (Straße, Ort …) it is left out" in result.stderr


def test_several_places_in_one_row(atlas: Callable[..., Path], cli: Callable[..., Result], here: Path) -> None:
    """As /daten/angebote.csv writes them: places and their access separated by `;`."""
    project = atlas()
    header = ["Titel", "Kurzbeschreibung", "Träger", "Orte", "Themen", "Orte des Angebots", "Barrierefrei", "PLZ"]
    write_csv(here / "liste.csv", [header, ["Kurs", "Ein Kurs.", "vhs", "hanau", "beratung",
                                            "Stadtteilzentrum, Beispielweg 1, 63450 Hanau; Rathaus, Markt 1",
                                            "Barrierefrei zugänglich; teilweise", "; 63452"]])
    result = cli("import", "liste.csv", project)
    assert result.exit_code == 0, result.output
    assert "locations:\n  - name: Stadtteilzentrum\n    street: Beispielweg 1\n    postcode: \"63450\"\n" \
           "    city: Hanau\n    accessible: yes\n  - name: Rathaus\n    street: Markt 1\n    postcode: \"63452\"\n" \
           "    accessible: partly\n" in (project / "content/offers/kurs.md").read_text(encoding="utf-8")
    write_csv(here / "liste.csv", [[*header, "Breitengrad", "Längengrad"],
                                   ["Kurs B", "B.", "vhs", "hanau", "beratung", "Saal, 63450 Hanau; Hof", "ja; nein",
                                    "; 634", "; 95", "; 8,9"]])
    assert errors(cli("import", "liste.csv", project)) == [
        'liste.csv:2: Breitengrad, place 2: 95 is out of range (-90 to 90)',
        'liste.csv:2: PLZ: "634" is not a postcode; write five digits like 63450']


def test_update_keeps_what_the_sheet_has_no_column_for(atlas: Callable[..., Path], cli: Callable[..., Result],
                                                       here: Path) -> None:
    """A list of only slugs and new summaries changes only the summaries; the rest of each record
    stays as its file had it (`accessible: yes`, `lat: 50.13`, the body)."""
    project = atlas()
    before = (project / "content/offers/sprachcafe.md").read_text(encoding="utf-8")
    write_csv(here / "liste.csv", [["Kennung", "Kurzbeschreibung"], ["sprachcafe", "Neu: jetzt auch freitags."]])
    result = cli("import", "liste.csv", project, "--update")
    assert result.exit_code == 0, result.output
    after = (project / "content/offers/sprachcafe.md").read_text(encoding="utf-8")
    assert after == before.replace("summary: Deutsch sprechen üben bei Kaffee und Tee.",
                                   'summary: "Neu: jetzt auch freitags."')  # every other line as it was
    write_csv(here / "neu.csv", [["Kennung", "Kurzbeschreibung"], ["sprachcafe", "x"], ["neu", "y"]])
    assert "neu.csv:1: Titel: the column is missing; every offer needs one (named Titel or title)" in \
        errors(cli("import", "neu.csv", project, "--update"))  # a new record needs every required field


def test_the_downloaded_list_corrected_and_imported_again(atlas: Callable[..., Path], cli: Callable[..., Result],
                                                          tmp_path: Path) -> None:
    """/daten/angebote.csv, one summary corrected in a spreadsheet, `atlas import --update`: that summary
    changes, nothing else does: every other line of the records stays as it was."""
    project = atlas()
    assert cli("build", project, "-o", tmp_path / "site").exit_code == 0
    rows = list(csv.reader(io.StringIO((tmp_path / "site/daten/angebote.csv").read_text(encoding="utf-8-sig"))))
    column = rows[0].index("Kurzbeschreibung")
    rows[[r[0] for r in rows].index("sprachcafe")][column] = "Deutsch üben, jetzt auch freitags."
    write_csv(tmp_path / "angebote.csv", rows, delimiter=",")
    before = files(project)
    result = cli("import", tmp_path / "angebote.csv", project, "--update")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Imported 2 offers: 0 new, 2 updated; run atlas check"
    after = files(project)
    assert after["content/offers/migrationsberatung.md"] == before["content/offers/migrationsberatung.md"]
    assert after["content/offers/sprachcafe.md"] == before["content/offers/sprachcafe.md"].replace(
        "Deutsch sprechen üben bei Kaffee und Tee.", "Deutsch üben, jetzt auch freitags.")
