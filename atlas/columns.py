"""The columns a spreadsheet may have, derived from the schema's field names and labels.

A column is named by a field's record name, its German or its English label ("Titel",
"title", "Kurzbeschreibung"), compared case-, space- and umlaut-insensitively. A field of a
group is named by the group and the field ("Ansprechperson E-Mail", "contact email"), or by
the field alone where no other column has that name ("PLZ", "Straße"). The few common words
the schema's labels do not have are listed in ALIASES.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache

from atlas.matching import fold
from atlas.schema import SCHEMAS, Field

# Words municipalities use in their lists that are no label of the schema
ALIASES: dict[str, tuple[str, ...]] = {
    "street": ("Straße", "Strasse", "Adresse"),
    "postcode": ("PLZ",),
    "contact": ("Kontakt",),
    "locations": ("Ort des Angebots", "Veranstaltungsort"),
    "hours": ("Zeiten",),
    "actor": ("Akteur", "Anbieter"),
    "audiences": ("Zielgruppe",),
    "topics": ("Thema", "Handlungsfeld", "Handlungsfelder"),
    "phone": ("Tel", "Telefonnummer"),
    "email": ("Mail",),
    "website": ("Internet", "Webseite", "URL"),
}
SLUG_NAMES = ("slug", "Kennung")
BODY_NAMES = ("body", "Beschreibung", "Text", "Description")
_WHOLE = ("hours", "cost")  # groups written in one cell: "Di, Do 9–12 Uhr", "kostenlos"


@dataclass(frozen=True)
class Column:
    """Where a column's values go: ("title",), ("contact", "email"), ("locations", "postcode") …"""

    key: tuple[str, ...]
    spec: Field | None  # None for the slug and the body
    label: str  # the German name shown in the README's table

    @property
    def name(self) -> str:
        return ".".join(self.key)


def _names(spec: Field) -> tuple[str, ...]:
    return (spec.name, spec.label[0], spec.label[1], *ALIASES.get(spec.name, ()))


@cache
def columns(kind: str) -> dict[str, Column]:
    """Folded column name -> Column, for a kind of record ("offers", "actors", "regions")."""
    found: dict[str, Column] = {}
    bare: list[tuple[str, Column]] = []
    for spec in SCHEMAS[kind]:
        if spec.kind in ("group", "groups", "cost") and spec.name not in ("hours",):
            for sub in spec.fields:
                column = Column((spec.name, sub.name), sub, f"{spec.label[0]} {sub.label[0]}")
                for group_name in _names(spec):
                    for name in _names(sub):
                        found.setdefault(fold(f"{group_name} {name}"), column)
                bare += [(fold(name), column) for name in _names(sub)]
        if not spec.fields or spec.name in _WHOLE:
            for name in _names(spec):
                found[fold(name)] = Column((spec.name,), spec, spec.label[0])
    # a field's own name fits only where no other column of the kind has it
    counts = Counter(name for name, column in set(bare))
    for name, column in bare:
        if counts[name] == 1:
            found.setdefault(name, column)
    for name in SLUG_NAMES:
        found[fold(name)] = Column(("slug",), None, "Kennung")
    for name in BODY_NAMES:
        found[fold(name)] = Column(("body",), None, "Beschreibung")
    return found


def column(kind: str, header: str) -> Column | None:
    return columns(kind).get(fold(header))


def table(kind: str) -> list[tuple[str, str, bool]]:
    """(German column name, other names, required) per column, in schema order: the README's table."""
    rows: dict[str, tuple[str, list[str], bool]] = {}
    for name, col in columns(kind).items():
        label, others, required = rows.setdefault(col.name, (col.label, [], bool(col.spec and col.spec.required)))
        if name != fold(label):
            others.append(name)
    return [(label, ", ".join(sorted(others)), required) for label, others, required in rows.values()]
