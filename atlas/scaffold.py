"""`atlas new`: a new record from a template, with a comment that explains every field."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from atlas.config import CONFIG_FILE, load_config
from atlas.errors import AtlasError
from atlas.schema import SCHEMAS, SLUG, Field
from atlas.sources import CONTENT

FOLDERS = {"offer": "offers", "actor": "actors", "region": "regions"}

BODIES = {
    "region": "A sentence or two about the place (optional).",
    "actor": "Who you are and what you do, in a few sentences (Markdown).",
    "offer": "What happens, how to take part, what to bring (Markdown).",
}


def template(kind: str, title: str, today: date, vocabularies: Mapping[str, Sequence[str]]) -> str:
    """The new record's text, derived from the schema: a comment explaining each field, the required
    fields to fill in, the optional ones commented out with an example."""
    lines = ["---"]
    for spec in SCHEMAS[FOLDERS[kind]]:
        lines.append(f"# {_help(spec, vocabularies)}")
        lines.extend(_value_lines(spec, title, today))
    return "\n".join([*lines, "---", BODIES[kind], ""])


def _help(spec: Field, vocabularies: Mapping[str, Sequence[str]]) -> str:
    text = spec.help[1] or spec.label[1]
    if text.endswith(":"):  # the help names the allowed values
        options = spec.choices or tuple(vocabularies.get(spec.vocabulary or "", ())) or ("(see atlas.yaml)",)
        text = f"{text} {', '.join(options)}"
    elif spec.kind == "choice":
        text = f"{text} One of: {', '.join(spec.choices)}"
    return text if spec.required else f"Optional. {text}"


def _value_lines(spec: Field, title: str, today: date) -> list[str]:
    example = spec.example.replace("{today}", today.isoformat())
    if not spec.required:
        return [f"# {spec.name}:{'' if example.startswith(chr(10)) else ' '}{line}"
                if i == 0 else f"# {line}" for i, line in enumerate(example.split("\n"))]
    if spec.name in ("title", "name"):
        value = title
    elif spec.kind in ("choice", "date"):
        value = example  # a sensible default the editor may keep
    else:
        value = "[]" if spec.is_list else ""  # only a person can know it: `atlas check` asks for it
    return [f"{spec.name}: {value}".rstrip()]


def new_record(project: Path, kind: str, slug: str, today: date | None = None) -> Path:
    """Write content/<kind>s/<slug>.md. What only a person can know (summary, actor, regions,
    topics, cost …) is left empty or commented out: `atlas check` then names what is missing,
    and an unedited record cannot slip through with a wrong actor or a wrong "kostenlos"."""
    if not (project / CONFIG_FILE).is_file():
        raise AtlasError(f"{project} is not an atlas (it has no {CONFIG_FILE}); run this in the atlas folder "
                         "or name it with --project")
    if not SLUG.match(slug):
        raise AtlasError(f'"{slug}" is not a valid slug: use a-z, 0-9 and single hyphens, e.g. sprachcafe-hanau')
    path = project / CONTENT / FOLDERS[kind] / f"{slug}.md"
    for folder in (path.parent.parent, path.parent):
        if folder.is_symlink():
            raise AtlasError(f"{folder} is a symbolic link; atlas writes records only into plain folders")
    path.parent.mkdir(parents=True, exist_ok=True)
    config, _ = load_config(project)
    vocabularies = {"topics": [t.slug for t in config.topics], "audiences": [a.slug for a in config.audiences]} \
        if config else {}
    title = slug.replace("-", " ").title()
    text = template(kind, title, today or date.today(), vocabularies).encode("utf-8")
    try:  # O_EXCL: never through a link (even a dangling one) and never over a file that appeared meanwhile
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except FileExistsError:
        raise AtlasError(f"{path} exists already; edit it, or choose another slug") from None
    with os.fdopen(fd, "wb") as stream:
        stream.write(text)
    return path
