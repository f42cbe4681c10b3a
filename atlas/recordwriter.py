"""Record values -> record text that reads as if a person had written it.

Field order, quoting and layout follow the schema (`atlas.schema`) and the demo records:
fields in the order of `atlas new`, times, postcodes and phone numbers in quotes, short
lists in flow style (`[di, do]`), groups and lists of groups in block style, the body as
Markdown below the front matter. Pure: the importer writes what `dump_record` returns, and
the web editor may use it the same way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import yaml

from atlas.schema import SCHEMAS, Field

_FLOW_GROUPS = ("geo",)  # two numbers read best on one line: geo: {lat: 50.13, lon: 8.92}
_PLAIN = re.compile(r"^[A-Za-z0-9ÄÖÜäöüß][^\n]*\Z")  # a first guess; YAML itself has the last word


class Verbatim(str):
    """A scalar written exactly as it stands: a value kept from a record file, as that file had it
    (`lat: 50.1370` stays 50.1370, `accessible: no` stays no)."""


def dump_record(kind: str, values: Mapping[str, Any], body: str = "") -> str:
    """The text of a record of `kind` ("offers", "actors", "regions"; or "offer" …); empty values
    are left out. Values are as the record holds them: texts, slugs, lists, dicts for groups,
    dates as `date` or "YYYY-MM-DD", `cost` as "free" or {amount, note}."""
    kind = kind if kind.endswith("s") else f"{kind}s"
    lines = ["---"]
    values = _pruned(values)
    for spec in SCHEMAS[kind]:
        value = values.get(spec.name)
        if not _empty(value):
            lines.extend(_field(spec, value, ""))
    lines.append("---")
    text = "\n".join(lines) + "\n"
    return text + body.strip("\n") + "\n" if body.strip() else text


def plain_to_markdown(text: str) -> str:
    """A plain-text description from a spreadsheet cell as Markdown: every line a paragraph,
    except lines that are list items already ("- …", "* …", "1. …"), which stay together."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    out: list[str] = []
    for line in (line for line in lines if line):
        item = re.match(r"^([-*•]|\d+[.)])\s+", line) is not None
        if out and not (item and _is_item(out[-1])):
            out.append("")
        out.append("- " + line[1:].strip() if line.startswith("•") else line)
    return "\n".join(out)


def _is_item(line: str) -> bool:
    return re.match(r"^([-*]|\d+[.)])\s+", line) is not None


def _pruned(value: Any) -> Any:
    """Without empty values, and without groups that only held empty values."""
    if isinstance(value, Mapping):
        return {k: v for k, v in ((k, _pruned(v)) for k, v in value.items()) if not _empty(v)}
    if isinstance(value, (list, tuple)):
        return [v for v in (_pruned(v) for v in value) if not _empty(v)]
    return value


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == () or value == {}


def _field(spec: Field, value: Any, indent: str) -> list[str]:
    head = f"{indent}{spec.name}:"
    if spec.kind == "cost" and value == "free":
        return [f"{head} free"]
    if spec.kind in ("group", "cost") and spec.name in _FLOW_GROUPS:
        inner = ", ".join(f"{sub.name}: {_scalar(sub, value[sub.name])}" for sub in spec.fields
                          if not _empty(value.get(sub.name)))
        return [f"{head} {{{inner}}}"]
    if spec.kind in ("group", "cost"):
        return [head, *_group(spec.fields, value, indent + "  ")]
    if spec.kind == "groups":
        return [head, *(line for item in value for line in _item(spec.fields, item, indent + "  "))]
    if spec.is_list:
        return [f"{head} [{', '.join(_scalar(spec, item, in_flow=True) for item in value)}]"]
    return [f"{head} {_scalar(spec, value)}"]


def _group(fields: Sequence[Field], value: Mapping[str, Any], indent: str) -> list[str]:
    return [line for sub in fields if not _empty(value.get(sub.name)) for line in _field(sub, value[sub.name], indent)]


def _item(fields: Sequence[Field], value: Mapping[str, Any], indent: str) -> list[str]:
    """One entry of a list of groups: `- first: …` with the other fields below it."""
    lines = _group(fields, value, indent + "  ")
    return [f"{indent}- {lines[0].lstrip()}", *lines[1:]] if lines else []


def _scalar(spec: Field, value: Any, *, in_flow: bool = False) -> str:
    if isinstance(value, Verbatim):
        return str(value)
    if isinstance(value, bool):  # YAML 1.1 read `accessible: no` as false
        value = "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return _number(value)
    text = str(value)
    if spec.kind in ("quoted", "strings"):
        return _quote(text)
    if spec.kind == "date" and re.match(r"^\d{4}-\d{2}-\d{2}\Z", text):
        return text
    if spec.kind == "choice" and re.match(r"^[a-z]+\Z", text):
        return text  # accessible: no, as the demo records write it (the reader knows YAML's yes/no)
    if in_flow:
        return text if re.match(r"^[a-z0-9-]+\Z", text) else _quote(text)
    if text[:1].isdigit():
        return _quote(text)  # amount: "20 €", as people write what starts like a number
    if spec.kind in ("url", "email") and " " not in text and _reads_back(text, loose=True):
        return text  # website: https://example.org/ reads back as it is
    return text if _reads_back(text) else _quote(text)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


def _quote(text: str) -> str:
    """YAML's double quotes (JSON's escapes are YAML's too)."""
    return json.dumps(text, ensure_ascii=False)


_RESOLVER = yaml.resolver.Resolver()  # YAML's rules for what a plain scalar means (int, bool, date …)


def _reads_back(text: str, *, loose: bool = False) -> bool:
    """Plain text only when YAML reads it back as the same text (not a number, date, yes/no …).
    The importer reads every record back before writing it, so a slip here cannot reach a file."""
    if not (loose or _PLAIN.match(text)) or text != text.strip() or "  " in text:
        return False
    if ": " in text or " #" in text or text[0] in "-?:,[]{}#&*!|>'\"%@`" or text.endswith(":"):
        return False  # a mapping, a comment or an indicator where YAML would see one
    return _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == "tag:yaml.org,2002:str"
