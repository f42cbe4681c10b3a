"""The README's generated parts, derived from the schema (a test fails when the README is out of
date): the field tables, and the spreadsheet columns of `atlas import` (`columns.readme_tables`).

Refresh after changing `atlas/schema.py` with:  python -m atlas.docs README.md
"""

from __future__ import annotations

import sys
from pathlib import Path

from atlas import columns
from atlas.schema import SCHEMAS, TRANSLATION, Field

BEGIN = "<!-- fields: generated from atlas/schema.py by `python -m atlas.docs README.md`; do not edit -->"
END = "<!-- /fields -->"
_TITLES = {"regions": "Region", "actors": "Actor (Träger)", "offers": "Offer (Angebot)"}
_WRITTEN = {
    "text": "text", "choice": "one of {choices}", "quoted": "text in quotes, like {example}",
    "email": "e-mail address", "url": "web address (https://…)", "date": "date YYYY-MM-DD",
    "number": "number", "ref": "the slug of one {ref}", "refs": "list of {ref} slugs",
    "terms": "list of {vocabulary} slugs from atlas.yaml", "languages": "list of ISO 639-1 codes",
    "days": "list of days: {choices}", "strings": "list of texts in quotes, like {example}",
    "group": "group of fields", "groups": "list of groups of fields", "cost": '`free`, or a group of fields',
}


def field_tables() -> str:
    """One Markdown table per record kind, nested fields under their group."""
    parts = [BEGIN]
    for kind, schema in SCHEMAS.items():
        parts += ["", f"**{_TITLES[kind]}** (`content/{kind}/<slug>.md`)", "",
                  "| field | required | how it is written | meaning | label in the web editor |",
                  "|---|---|---|---|---|"]
        parts += [_row(name, spec) for name, spec in _flat(schema)]
    translated = ", ".join(f"`{f.name}`" for f in TRANSLATION)
    parts += ["", f"A translation (`content/offers/<slug>.<lang>.md`) holds only {translated} and the body.", END]
    return "\n".join(parts)


def _flat(schema: tuple[Field, ...], prefix: str = "") -> list[tuple[str, Field]]:
    rows = []
    for spec in schema:
        name = prefix + spec.name
        rows.append((name, spec))
        rows += _flat(spec.fields, name + ("[]." if spec.kind == "groups" else "."))
    return rows


def _row(name: str, spec: Field) -> str:
    written = _WRITTEN[spec.kind].format(
        choices=", ".join(f"`{c}`" for c in spec.choices), example=f"`{spec.example}`",
        ref=(spec.ref or "")[:-1], vocabulary=(spec.vocabulary or "")[:-1])
    cells = [f"`{name}`", "yes" if spec.required else "", written, spec.help[1].rstrip(":"), spec.label[0]]
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def refreshed(text: str) -> str:
    """`text` (a README) with its generated parts replaced by the current tables."""
    for begin, end, tables in ((BEGIN, END, field_tables), (columns.BEGIN, columns.END, columns.readme_tables)):
        start, stop = text.index(begin), text.index(end) + len(end)
        text = text[:start] + tables() + text[stop:]
    return text


if __name__ == "__main__":  # pragma: no cover (a developer's command)
    readme = Path(sys.argv[1])
    readme.write_text(refreshed(readme.read_text(encoding="utf-8")), encoding="utf-8")
