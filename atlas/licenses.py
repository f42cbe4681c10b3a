"""The open-data licences an atlas may publish its data under (`license:` in atlas.yaml).

Each has the URI that DCAT-AP.de (and so GovData) expects, and a name and link for people.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class License:
    key: str  # as written in atlas.yaml
    name: str  # its official German name
    url: str  # the licence text
    dcat: str  # the DCAT-AP.de licence URI (http://dcat-ap.de/def/licenses/)


DEFAULT = "dl-de/by-2-0"
LICENSES = {item.key: item for item in (
    License("dl-de/by-2-0", "Datenlizenz Deutschland – Namensnennung – Version 2.0",
            "https://www.govdata.de/dl-de/by-2-0", "http://dcat-ap.de/def/licenses/dl-by-de/2.0"),
    License("dl-de/zero-2-0", "Datenlizenz Deutschland – Zero – Version 2.0",
            "https://www.govdata.de/dl-de/zero-2-0", "http://dcat-ap.de/def/licenses/dl-zero-de/2.0"),
    License("cc-by-4.0", "Creative Commons Namensnennung 4.0 International",
            "https://creativecommons.org/licenses/by/4.0/deed.de", "http://dcat-ap.de/def/licenses/cc-by/4.0"),
    License("cc-by-sa-4.0", "Creative Commons Namensnennung – Weitergabe unter gleichen Bedingungen 4.0 International",
            "https://creativecommons.org/licenses/by-sa/4.0/deed.de", "http://dcat-ap.de/def/licenses/cc-by-sa/4.0"),
    License("cc0-1.0", "Creative Commons Zero 1.0 Universell (Public Domain)",
            "https://creativecommons.org/publicdomain/zero/1.0/deed.de", "http://dcat-ap.de/def/licenses/cc-zero"),
    License("odbl-1.0", "Open Data Commons Open Database License (ODbL) 1.0",
            "https://opendatacommons.org/licenses/odbl/1-0/", "http://dcat-ap.de/def/licenses/odbl"),
)}

# the Länder, for the addresses of the open data (HSDS address.state_province)
LAENDER = ("Baden-Württemberg", "Bayern", "Berlin", "Brandenburg", "Bremen", "Hamburg", "Hessen",
           "Mecklenburg-Vorpommern", "Niedersachsen", "Nordrhein-Westfalen", "Rheinland-Pfalz", "Saarland",
           "Sachsen", "Sachsen-Anhalt", "Schleswig-Holstein", "Thüringen")
