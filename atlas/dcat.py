"""Model -> /daten/catalog.rdf: the downloads described in DCAT-AP.de 2.0 (RDF/XML) for GovData.

GovData and the Länder's portals harvest such a catalogue: a dcat:Catalog with one
dcat:Dataset per dataset and a dcat:Distribution per file, each with the licence as a
DCAT-AP.de licence URI.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from atlas.licenses import License
from atlas.model import Site

if TYPE_CHECKING:
    from atlas.opendata import Download

EU = "http://publications.europa.eu/resource/authority/"
NAMESPACES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/", "dcatde": "http://dcat-ap.de/def/dcatde/",
    "foaf": "http://xmlns.com/foaf/0.1/", "vcard": "http://www.w3.org/2006/vcard/ns#",
}
DATE = "http://www.w3.org/2001/XMLSchema#date"


def catalog(site: Site, downloads: Sequence[Download], datasets: Mapping[str, tuple[str, str]],
            licence: License) -> bytes:
    config = site.config
    base = config.base_url
    modified = site.data_date.isoformat() if site.data_date else None
    publisher = _publisher(site)
    used = [key for key in datasets if any(d.dataset == key for d in downloads)]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             "<rdf:RDF " + " ".join(f"xmlns:{p}={quoteattr(uri)}" for p, uri in NAMESPACES.items()) + ">",
             f"  <dcat:Catalog rdf:about={quoteattr(base + 'daten/')}>",
             f"    <dct:title>{escape(config.title)}</dct:title>",
             f"    <dct:description>{escape(_description(config.title))}</dct:description>",
             f"    <dct:language rdf:resource={quoteattr(EU + 'language/DEU')}/>",
             f"    <foaf:homepage rdf:resource={quoteattr(base)}/>",
             *_modified(modified, "    "), *publisher,
             *(f"    <dcat:dataset rdf:resource={quoteattr(_dataset_uri(base, key))}/>" for key in used),
             "  </dcat:Catalog>"]
    for key in used:
        lines += _dataset(site, key, datasets[key], [d for d in downloads if d.dataset == key], licence, modified)
    lines.append("</rdf:RDF>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _description(title: str) -> str:
    return f"Offene Daten – {title}: Angebote zur Integration und die Akteure, die sie anbieten."


def _dataset_uri(base: str, key: str) -> str:
    return f"{base}daten/#{key}"


def _modified(modified: str | None, indent: str) -> list[str]:
    return [f"{indent}<dct:modified rdf:datatype={quoteattr(DATE)}>{modified}</dct:modified>"] if modified else []


def _publisher(site: Site, indent: str = "    ") -> list[str]:
    legal = site.config.legal
    name = legal.operator.name if legal else site.config.title
    return [f"{indent}<dct:publisher>", f'{indent}  <foaf:Organization>',
            f"{indent}    <foaf:name>{escape(name)}</foaf:name>", f"{indent}  </foaf:Organization>",
            f"{indent}</dct:publisher>"]


def _contact(site: Site, indent: str) -> list[str]:
    legal = site.config.legal
    if legal is None:
        return []
    party = legal.responsible if legal.responsible.email else legal.operator
    email = [f"{indent}    <vcard:hasEmail rdf:resource={quoteattr('mailto:' + party.email)}/>"] if party.email else []
    return [f"{indent}<dcat:contactPoint>", f"{indent}  <vcard:Organization>",
            f"{indent}    <vcard:fn>{escape(party.name)}</vcard:fn>", *email,
            f"{indent}  </vcard:Organization>", f"{indent}</dcat:contactPoint>"]


def _dataset(site: Site, key: str, text: tuple[str, str], files: Sequence[Download], licence: License,
             modified: str | None) -> list[str]:
    config, base = site.config, site.config.base_url
    title, description = text
    contributor = ([f"    <dcatde:contributorID rdf:resource={quoteattr(config.contributor_id)}/>"]
                   if config.contributor_id else [])
    lines = [f"  <dcat:Dataset rdf:about={quoteattr(_dataset_uri(base, key))}>",
             f"    <dct:identifier>{escape(_dataset_uri(base, key))}</dct:identifier>",
             f"    <dct:title>{escape(title)}: {escape(config.title)}</dct:title>",
             f"    <dct:description>{escape(description)}</dct:description>",
             *contributor, *_publisher(site), *_contact(site, "    "),
             f"    <dcat:theme rdf:resource={quoteattr(EU + 'data-theme/SOCI')}/>",
             *(f"    <dcat:keyword>{escape(word)}</dcat:keyword>" for word in ("Integration", "Migration", "Beratung")),
             f"    <dct:language rdf:resource={quoteattr(EU + 'language/DEU')}/>",
             f"    <dct:accessRights rdf:resource={quoteattr(EU + 'access-right/PUBLIC')}/>",
             f"    <dcat:landingPage rdf:resource={quoteattr(base + 'daten/')}/>",
             *_modified(modified, "    ")]
    for download in files:
        url = base + download.path
        lines += ["    <dcat:distribution>", f"      <dcat:Distribution rdf:about={quoteattr(url)}>",
                  f"        <dct:title>{escape(download.title)}</dct:title>",
                  f"        <dcat:accessURL rdf:resource={quoteattr(url)}/>",
                  f"        <dcat:downloadURL rdf:resource={quoteattr(url)}/>",
                  f"        <dct:format rdf:resource={quoteattr(EU + 'file-type/' + download.file_type)}/>",
                  f"        <dcat:mediaType>{escape(download.media_type)}</dcat:mediaType>",
                  f"        <dct:license rdf:resource={quoteattr(licence.dcat)}/>",
                  # DCAT-AP.de: with a licence that asks for attribution, the text to name
                  f"        <dcatde:licenseAttributionByText>{escape(_attribution(site))}"
                  "</dcatde:licenseAttributionByText>",
                  *_modified(modified, "        "),
                  "      </dcat:Distribution>", "    </dcat:distribution>"]
    lines.append("  </dcat:Dataset>")
    return lines


def _attribution(site: Site) -> str:
    legal = site.config.legal
    return f"{legal.operator.name}: {site.config.title}" if legal else site.config.title
