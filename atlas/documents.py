"""Read a Markdown file with a YAML front-matter block, keeping the line of every field.

Editors need errors that point at a line, so the YAML is composed into nodes (which know
their position) and walked here, instead of being loaded into plain values straight away.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from atlas.errors import Problem

Key = tuple[str | int, ...]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: much faster
_MAX_DEPTH = 20  # front matter is shallow


@dataclass(frozen=True)
class Located:
    """Where a record came from, kept on the record so later checks can point at a line."""

    path: str  # relative to the project, with forward slashes
    lines: Mapping[Key, int]  # field key path -> line in the file

    def line(self, *key: str | int) -> int:
        """The line of a field; for a key that is not there, the line of its nearest parent."""
        for end in range(len(key), 0, -1):
            found = self.lines.get(key[:end])
            if found is not None:
                return found
        return 1


@dataclass(frozen=True)
class Document(Located):
    """A record file: its fields, where each field stands, and its Markdown body."""

    data: Mapping[str, Any]
    raw: Mapping[Key, str]  # key path of a scalar -> its text as written
    body: str
    body_line: int

    def origin(self) -> Located:
        """Where the record came from, without its text: what a record keeps to point at lines later."""
        return Located(self.path, self.lines)


def decode(data: bytes, rel: str) -> tuple[str | None, list[Problem]]:
    """Bytes to text: UTF-8 with or without BOM, any line ends become \\n."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start]
        return None, [
            Problem(rel, line, f"the file is not UTF-8 (byte 0x{byte:02x}); save it with the encoding UTF-8")
        ]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def read_bytes(file: Path, rel: str) -> tuple[bytes | None, list[Problem]]:
    try:
        return file.read_bytes(), []
    except OSError as exc:  # a broken link, no permission …
        return None, [Problem(rel, 1, f"cannot be read: {exc.strerror}")]


def read_document(file: Path, rel: str) -> tuple[Document | None, list[Problem]]:
    data, problems = read_bytes(file, rel)
    if data is None:
        return None, problems
    text, problems = decode(data, rel)
    if text is None:
        return None, problems
    return parse_document(text, rel)


def parse_document(text: str, rel: str) -> tuple[Document | None, list[Problem]]:
    if not text.strip():
        return None, [Problem(rel, 1, "the file is empty; a record starts with fields between two lines '---'")]
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None, [
            Problem(rel, 1, "no front matter: the first line must be '---', then the fields, then another '---'")
        ]
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        return None, [Problem(rel, 1, "the front matter is not closed: add a line '---' after the last field")]
    fields_text = "\n".join(lines[1:end])
    data, field_lines, raw, problems = load_yaml(fields_text, rel, first_line=2)
    if problems:
        return None, problems
    if data is None:
        return None, [Problem(rel, 2, "the front matter is empty; write the fields between the '---' lines")]
    if not isinstance(data, dict):
        return None, [Problem(rel, 2, "the front matter must be fields written as 'name: value', one per line")]
    body = "\n".join(lines[end + 1 :]).strip("\n")
    return Document(rel, field_lines, data, raw, body, end + 2), []


def load_yaml(
    text: str, rel: str, *, first_line: int = 1
) -> tuple[Any, dict[Key, int], dict[Key, str], list[Problem]]:
    """Load YAML safely; returns (value, lines, raw texts, problems). Duplicate keys are errors."""
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            return None, {}, {}, [_syntax_problem(exc, text, rel, first_line)]
        except yaml.reader.ReaderError as exc:
            line = first_line + text[: exc.position].count("\n")
            return None, {}, {}, [Problem(rel, line, f"contains the control character U+{exc.character:04X}, "
                                                     "which YAML does not allow; delete it")]
        except yaml.YAMLError as exc:
            return None, {}, {}, [Problem(rel, first_line, f"YAML error: {exc}")]
        if node is None:
            return None, {}, {}, []
        walk = _Walk(loader, rel, first_line)
        try:
            value = walk.value(node, ())
        except yaml.MarkedYAMLError as exc:  # e.g. a merge key (<<) on something that is no mapping
            return None, {}, {}, [_syntax_problem(exc, text, rel, first_line)]
        return value, walk.lines, walk.raw, walk.problems
    finally:
        loader.dispose()


_HINTS = {
    "mapping values are not allowed": "a value that contains ': ' must be put in quotes",
    "found undefined alias": "a value starting with '*' must be put in quotes",
    "cannot start any token": "a value starting with '@', '`' or '%' must be put in quotes",
}


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, rel: str, first_line: int) -> Problem:
    what = (exc.problem or exc.context or "cannot be read").strip()
    # "end of stream" is where YAML gave up; where the unclosed quote began helps the editor more
    ended = "end of stream" in what and exc.context_mark is not None
    mark = exc.context_mark if ended else (exc.problem_mark or exc.context_mark)
    index = mark.line if mark else 0
    source = text.split("\n")
    if ended and exc.context and "quoted" in exc.context:
        what += f" ({exc.context.strip()}: a quote is not closed)"
    if index < len(source) and "\t" in source[index]:
        hint: str | None = "indent with spaces, not tabs"
    else:
        hint = next((h for start, h in _HINTS.items() if start in what), None)
    return Problem(rel, first_line + index, f"YAML syntax error: {what}" + (f" ({hint})" if hint else ""))


class _Walk:
    """Turns composed YAML nodes into Python values, noting lines and raw scalar texts."""

    def __init__(self, loader: Any, rel: str, first_line: int) -> None:
        self.loader = loader
        self.rel = rel
        self.first_line = first_line
        self.lines: dict[Key, int] = {}
        self.raw: dict[Key, str] = {}
        self.problems: list[Problem] = []
        self.seen: set[int] = set()  # collection nodes walked: an alias would walk one again

    def _line(self, node: yaml.Node) -> int:
        return self.first_line + node.start_mark.line

    def value(self, node: yaml.Node, key: Key) -> Any:
        self.lines.setdefault(key, self._line(node))
        if len(key) > _MAX_DEPTH:
            self.problems.append(Problem(self.rel, self._line(node), "the fields are nested too deeply"))
            return None
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            if id(node) in self.seen:  # aliases can expand a few bytes into millions of values
                # the node stands where the anchor is; the field that uses the alias is the place to fix
                problem = Problem(self.rel, self.lines.get(key[:-1], self._line(node)),
                                  "YAML anchors and aliases (&name, *name) are not supported in records")
                if problem not in self.problems:
                    self.problems.append(problem)
                return None
            self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, key)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, key + (i,)) for i, item in enumerate(node.value)]
        self.raw[key] = node.value
        if node.tag == "tag:yaml.org,2002:str":
            return node.value  # most fields are text: skip the constructor's machinery
        try:
            return self.loader.construct_object(node)
        except (ValueError, yaml.YAMLError):
            # e.g. a date like 2026-02-30: keep the text, the field check names the mistake
            return node.value

    def _mapping(self, node: yaml.MappingNode, key: Key) -> dict[str, Any]:
        self.loader.flatten_mapping(node)  # resolves YAML merge keys (<<)
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = self._line(key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(Problem(self.rel, line, "a field name must be plain text"))
                continue
            name = str(key_node.value)
            if name in first_seen:
                self.problems.append(
                    Problem(self.rel, line, f"duplicate field '{name}' (first given on line {first_seen[name]})")
                )
                continue
            first_seen[name] = line
            self.lines[key + (name,)] = line
            result[name] = self.value(value_node, key + (name,))
        return result
