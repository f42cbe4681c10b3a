"""The one record schema: the contract's fields are described once, and `atlas check`,
`atlas new` and the README's field tables are derived from that description."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from atlas.docs import refreshed
from atlas.scaffold import template
from atlas.schema import SCHEMAS, TRANSLATION, names

ROOT = Path(__file__).parent.parent
CONTRACT = ROOT.parent / "shared" / "spec" / "CONTRACT.md"
VOCABULARIES = {"topics": ["sprachfoerderung", "beratung"], "audiences": ["frauen", "eltern"]}
TODAY = date(2026, 9, 21)  # the build date the `cli` fixture pins


def _contract_fields(heading: str) -> dict[str, bool]:
    """Field name -> required, from one of the contract's field tables."""
    if not CONTRACT.is_file():
        pytest.skip(f"the contract is not at {CONTRACT}")
    section = CONTRACT.read_text(encoding="utf-8").split(f"### {heading}\n")[1].split("\n\n")[0]
    fields = {}
    for row in section.splitlines()[2:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        for name in cells[0].split(","):
            fields[name.strip()] = cells[1] == "yes"
    return fields


@pytest.mark.parametrize(("kind", "heading"), [("regions", "Region fields"), ("actors", "Actor fields"),
                                               ("offers", "Offer fields")])
def test_every_field_of_the_contract_is_described_once(kind: str, heading: str) -> None:
    schema = SCHEMAS[kind]
    assert len(set(names(schema))) == len(schema), "a field is described twice"
    assert {f.name: f.required for f in schema} == _contract_fields(heading)
    for spec in schema:
        assert all(spec.label) and all(spec.help), f"{kind}.{spec.name} needs a German and an English label and help"


def test_translations_hold_the_contracts_fields() -> None:
    assert names(TRANSLATION) == ("title", "summary", "hours_note")


def test_readme_field_tables_are_up_to_date() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert refreshed(readme) == readme, "run: python -m atlas.docs README.md"


@pytest.mark.parametrize("kind", ["region", "actor", "offer"])
def test_atlas_new_writes_every_field_in_schema_order(kind: str) -> None:
    text = template(kind, "Neu", TODAY, VOCABULARIES)
    written = re.findall(r"^(?:# )?([a-z_]+):", text, flags=re.MULTILINE)
    top = [n for n in written if n in names(SCHEMAS[kind + "s"])]
    assert top == list(names(SCHEMAS[kind + "s"]))
    for spec in SCHEMAS[kind + "s"]:
        assert re.search(rf"^{spec.name}:", text, flags=re.MULTILINE) if spec.required else \
            re.search(rf"^# {spec.name}:", text, flags=re.MULTILINE), spec.name


@pytest.mark.parametrize("kind", ["region", "actor", "offer"])
def test_every_example_of_atlas_new_passes_check_without_a_warning(kind: str, atlas, cli) -> None:  # type: ignore[no-untyped-def]
    """Uncommenting every optional field's example gives a record that `atlas check` accepts:
    the examples, the readers and the unknown-field warning all come from the same schema."""
    project = atlas()
    text = template(kind, "Neu", TODAY, VOCABULARIES)
    text = re.sub(r"^# ([a-z_]+:)", r"\1", text, flags=re.MULTILINE)  # the optional fields
    text = re.sub(r"^#(   ?[- ] )", r"\1", text, flags=re.MULTILINE)  # their nested lines
    filled = {"summary:": "summary: Ein Test.", "actor:": "actor: vhs", "regions: []": "regions: [hanau]",
              "topics: []": "topics: [beratung]"}
    for empty, value in filled.items():
        text = re.sub(rf"^{re.escape(empty)}$", value, text, flags=re.MULTILINE)
    if kind == "region":
        text = text.replace("kind: gemeinde", "kind: stadt")
    assert yaml.safe_load(text.split("---")[1])  # still YAML
    path = project / f"content/{kind}s/neu.md"
    path.write_text(text, encoding="utf-8")
    result = cli("check", project)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
