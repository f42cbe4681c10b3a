"""Model -> the open-data files under /daten/, and the list of downloads the /daten/ page shows.

Pure: the site model in, {path: bytes} out. The build writes them with the other files.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from atlas import dcat, hsds, hsds_tables, spreadsheet
from atlas.i18n import N_
from atlas.licenses import LICENSES, License
from atlas.model import Site

DATA = "daten/"
HSDS = f"{DATA}hsds/"
CATALOG = f"{DATA}catalog.rdf"


@dataclass(frozen=True)
class Download:
    path: str  # in the site, from its root
    title: str  # German, marked for the catalogs
    format: str  # as people name it
    file_type: str  # the EU file-type authority's code, for DCAT (CSV, JSON, ATOM …)
    media_type: str
    dataset: str  # which dataset of the DCAT catalogue it belongs to (a key of DATASETS)


# Every download of /daten/, in the order the page lists them. Files that other parts of the
# build write (the feed, the Bestandsaufnahme) are listed when the build says they exist.
DOWNLOADS = (
    Download(f"{DATA}angebote.csv", N_("Alle Angebote als Tabelle (Excel, LibreOffice)"), "CSV", "CSV", "text/csv",
             "angebote"),
    Download(f"{HSDS}services.json", N_("Angebote im Standard HSDS 3.0"), "JSON (HSDS 3.0)", "JSON",
             "application/json", "angebote"),
    Download(f"{HSDS}organizations.json", N_("Akteure im Standard HSDS 3.0"), "JSON (HSDS 3.0)", "JSON",
             "application/json", "angebote"),
    Download(f"{HSDS}csv/datapackage.json", N_("Angebote und Akteure als Datenpaket aus CSV-Tabellen (HSDS 3.0)"),
             "Tabular Data Package (CSV)", "JSON", "application/json", "angebote"),
    Download("feed.xml", N_("Neue und geänderte Angebote als Feed"), "Atom", "ATOM", "application/atom+xml",
             "angebote"),
    Download("bestandsaufnahme/themen-regionen.csv", N_("Bestandsaufnahme: Angebote je Thema und Ort"), "CSV", "CSV",
             "text/csv", "bestandsaufnahme"),
)
# (title, description) of each dataset in the DCAT catalogue, in German (GovData's language)
DATASETS = {
    "angebote": ("Integrationsangebote", "Angebote zur Integration (Sprachkurse, Beratung, Treffs …) mit Träger, "
                 "Orten, Zeiten, Sprachen, Kosten und Zielgruppen, und die Akteure, die sie anbieten."),
    "bestandsaufnahme": ("Bestandsaufnahme der Integrationsangebote",
                         "Wie viele Angebote es je Thema (Handlungsfeld) und Stadt oder Gemeinde gibt."),
}


def license_of(site: Site) -> License:
    return LICENSES[site.config.license]


def downloads(present: Collection[str]) -> list[Download]:
    """The downloads whose file the build writes."""
    return [d for d in DOWNLOADS if d.path in present]


def open_data_files(site: Site, others: Collection[str] = ()) -> dict[str, bytes]:
    """Every file of /daten/; `others` are the paths of downloads that other parts write."""
    services = hsds.services(site)
    organizations = hsds.organizations(site)
    licence = license_of(site)
    files = {
        f"{DATA}angebote.csv": spreadsheet.offers_csv(site),
        f"{HSDS}services.json": _json(services),
        f"{HSDS}organizations.json": _json(organizations),
        f"{HSDS}csv/datapackage.json": hsds_tables.datapackage(
            "integrationsatlas-hsds", site.config.title, licence.key, licence.name, licence.url),
    }
    # the tables flatten the same objects once the JSON is made, and go as soon as they are CSV: the
    # exports' peak memory (at 50,000 offers it was the build's) holds one of them at a time
    table_rows = hsds_tables.tables(services, organizations, hsds.taxonomies(site))
    del services, organizations
    files.update({f"{HSDS}csv/{name}": data for name, data in hsds_tables.csv_files(table_rows).items()})
    del table_rows
    files[CATALOG] = dcat.catalog(site, downloads(set(files) | set(others)), DATASETS, licence)
    return files


def _json(data: Any) -> bytes:
    # compact: with indent, json falls back from its C encoder to Python, seven times slower. A list
    # item by item (the same bytes): json's encoder keeps every small piece of the whole text until
    # it joins them, four times the text's size (2 GB for services.json at 50,000 offers)
    if isinstance(data, list):
        return b"[" + b",".join(_json_text(item).encode("utf-8") for item in data) + b"]\n"
    return (_json_text(data) + "\n").encode("utf-8")


def _json_text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
