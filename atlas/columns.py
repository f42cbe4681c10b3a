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
    "regions": ("Regionen", "Orte"),
    "kind": ("Typ",),
    "phone": ("Tel", "Telefonnummer"),
    "email": ("Mail",),
    "website": ("Internet", "Webseite", "URL"),
    "reviewed": ("Geprüft am",),
    # the headers of /daten/angebote.csv, so that a downloaded list can be edited and imported again
    "cost.note": ("Hinweis zu den Kosten",),
    "contact.name": ("Ansprechperson",),
}
SLUG_NAMES = ("slug", "Kennung")
BODY_NAMES = ("body", "Beschreibung", "Text", "Description")
# groups also written in one cell: "Di, Do 9–12 Uhr", "kostenlos", "Rathaus, Markt 1, 63450 Hanau"
_WHOLE = ("hours", "cost", "locations")


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


def _aliases(kind: str) -> list[tuple[str, Column]]:
    """Every name a column may have, as spelled, the strongest first: fields, slug and body,
    group + field ("Ansprechperson E-Mail"), then a group's field alone where it is unambiguous."""
    top: list[tuple[str, Column]] = []
    grouped: list[tuple[str, Column]] = []
    bare: list[tuple[str, Column]] = []
    for spec in SCHEMAS[kind]:
        if spec.kind in ("group", "groups", "cost") and spec.name != "hours":
            for sub in spec.fields:
                col = Column((spec.name, sub.name), sub, f"{spec.label[0]} {sub.label[0]}")
                grouped += [(f"{group} {name}", col) for group in _names(spec) for name in _names(sub)]
                top += [(name, col) for name in ALIASES.get(col.name, ())]
                bare += [(name, col) for name in _names(sub)]
        if not spec.fields or spec.name in _WHOLE:
            top += [(name, Column((spec.name,), spec, spec.label[0])) for name in _names(spec)]
    top += [(name, Column(("slug",), None, "Kennung")) for name in SLUG_NAMES]
    top += [(name, Column(("body",), None, "Beschreibung")) for name in BODY_NAMES]
    owners = Counter(fold(name) for name, col in {(fold(n), c.name): None for n, c in bare})
    taken = {fold(name) for name, _ in top}
    return top + grouped + [(name, col) for name, col in bare if owners[fold(name)] == 1 and fold(name) not in taken]


@cache
def columns(kind: str) -> dict[str, Column]:
    """Folded column name -> Column, for a kind of record ("offers", "actors", "regions")."""
    found: dict[str, Column] = {}
    for name, col in _aliases(kind):
        found.setdefault(fold(name), col)
    return found


def column(kind: str, header: str) -> Column | None:
    return columns(kind).get(fold(header))


def table(kind: str) -> list[tuple[str, tuple[str, ...], bool]]:
    """(German column name, other names, required) per column, in schema order: the README's table.
    The many group + field spellings ("contact email", "Kontakt E-Mail") are left to the text."""
    rows: dict[str, tuple[str, list[str], bool]] = {}
    order = ["slug", *(f.name for f in SCHEMAS[kind]), "body"]
    grouped = {f"{group} {name}" for spec in SCHEMAS[kind] for sub in spec.fields
               for group in _names(spec) for name in _names(sub)}
    for name, col in sorted(_aliases(kind), key=lambda pair: order.index(pair[1].key[0])):
        if columns(kind).get(fold(name)) != col:
            continue
        required = bool(col.spec and col.spec.required and len(col.key) == 1 and col.name != "reviewed")
        label, others, _ = rows.setdefault(col.name, (col.label, [], required))
        if name not in grouped and fold(name) not in {fold(o) for o in [label, *others]}:
            others.append(name)
    return [(label, tuple(others), required) for label, others, required in rows.values()]


BEGIN = "<!-- columns: generated from atlas/schema.py by `python -m atlas.docs README.md`; do not edit -->"
END = "<!-- /columns -->"
_SHEETS = {"offers": "Angebote", "actors": "Träger", "regions": "Regionen"}


def readme_tables() -> str:
    parts = [BEGIN]
    for kind in ("offers", "actors", "regions"):
        parts += ["", f"**{_SHEETS[kind]}**", "", "| column | also named | required |", "|---|---|---|"]
        parts += [f"| {label} | {', '.join(others)} | {'yes' if required else ''} |"
                  for label, others, required in table(kind)]
    return "\n".join([*parts, END])
