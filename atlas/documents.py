"""Read a Markdown file with a YAML front-matter block, keeping the line of every field.

Editors need errors that point at a line, so the YAML is composed into nodes (which know
their position) and walked here, instead of being loaded into plain values straight away.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from atlas.errors import Problem

Key = tuple[str | int, ...]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: much faster
_MAX_DEPTH = 20  # front matter is shallow


@dataclass(frozen=True, slots=True)
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


class Lines(Mapping[Key, int]):
    """A record's field lines, compactly: its field keys in order, shared by every record written with
    the same fields (through `shapes`), and a tuple of line numbers. The records of a Land's atlas
    (50,000 offers) keep their lines through the whole build; as a dict of tuples of their own each
    offer's took ~4 KB, as a Lines it takes a tenth of that."""

    __slots__ = ("_shape", "_numbers")

    def __init__(self, shape: _Shape, numbers: tuple[int, ...]) -> None:
        self._shape, self._numbers = shape, numbers

    @classmethod
    def of(cls, lines: Mapping[Key, int], shapes: Shapes) -> Lines:
        keys = tuple(lines)
        shape = shapes.get(keys)
        if shape is None:
            shape = shapes[keys] = _Shape(keys)
        return cls(shape, tuple(lines.values()))

    def __getitem__(self, key: Key) -> int:
        return self._numbers[self._shape.index[key]]

    def __iter__(self) -> Iterator[Key]:
        return iter(self._shape.keys)

    def __len__(self) -> int:
        return len(self._numbers)

    def __reduce__(self) -> tuple[Any, ...]:
        return Lines, (self._shape, self._numbers)

    def __repr__(self) -> str:
        return f"Lines({dict(self)!r})"


class _Shape:
    """The field keys of records written alike, with each key's position."""

    __slots__ = ("keys", "index")

    def __init__(self, keys: tuple[Key, ...]) -> None:
        self.keys = keys
        self.index = {key: i for i, key in enumerate(keys)}

    def __reduce__(self) -> tuple[Any, ...]:  # the index is made again: half the bytes between processes
        return _Shape, (self.keys,)


Shapes = dict[tuple[Key, ...], _Shape]  # keys in order -> their shape, for records that share them


@dataclass(frozen=True)
class Document(Located):
    """A record file: its fields, where each field stands, and its Markdown body."""

    data: Mapping[str, Any]
    raw: Mapping[Key, str]  # key path of a scalar -> its text as written
    body: str
    body_line: int

    def origin(self, shapes: Shapes | None = None) -> Located:
        """Where the record came from, without its text: what a record keeps to point at lines later.
        Records that share `shapes` share the keys of their lines."""
        return Located(self.path, Lines.of(self.lines, {} if shapes is None else shapes))


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


MAX_BYTES = 1_000_000  # a record or atlas.yaml; a real one is a few KB
THEME_FILE_MAX = 50_000_000  # a template, catalog, stylesheet, font or picture of a theme


def read_bytes(file: Path, rel: str, limit: int = MAX_BYTES) -> tuple[bytes | None, list[Problem]]:
    """A plain file's bytes, at most `limit`. A symbolic link is not followed (git stores links,
    so a pull request could publish a file from outside the project through one); a FIFO, a
    device or a socket is not read (it would hang or never end)."""
    try:
        fd = os.open(file, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, [Problem(rel, 1, "is a symbolic link; atlas reads only plain files (a link could "
                                          "publish a file from outside the project); put the file itself here")]
        return None, [Problem(rel, 1, f"cannot be read: {exc.strerror}")]
    with os.fdopen(fd, "rb") as stream:
        kind = os.fstat(fd).st_mode
        if not stat.S_ISREG(kind):
            return None, [Problem(rel, 1, f"is {file_kind(kind)}, not a plain file; remove it")]
        data = stream.read(limit + 1)
    if len(data) > limit:
        return None, [Problem(rel, 1, f"is larger than {limit:,} bytes; a file here is far smaller")]
    return data, []


def file_kind(mode: int) -> str:
    kinds = ((stat.S_ISREG, "a file"), (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
             (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))
    return next((name for test, name in kinds if test(mode)), "a special file")


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
        except RecursionError:  # PyYAML without libyaml composes recursively
            return None, {}, {}, [Problem(rel, first_line, "the fields are nested too deeply")]
        if node is None:
            return None, {}, {}, []
        walk = _Walk(loader, rel, first_line)
        value = walk.value(node, ())
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


_YAML = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ, _MERGE = (_YAML + name for name in ("str", "map", "seq", "merge"))
# The scalar tags a field may have, with the pattern YAML itself resolves plain values by: an
# explicit tag (`!!int abc`) whose value does not match is a mistake to report, not to construct.
_SCALARS = {tag: pattern for resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.values()
            for tag, pattern in resolvers if tag[len(_YAML):] in ("bool", "int", "float", "null", "timestamp")}


def field_name(key: Key) -> str:
    """('hours', 0, 'opens') -> 'hours[1].opens' (positions counted from 1, as editors count)."""
    name = ""
    for part in key:
        name += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name


def _short(tag: str) -> str:
    return "!!" + tag[len(_YAML):] if tag.startswith(_YAML) else tag


class _Walk:
    """Turns composed YAML nodes into Python values, noting lines and raw scalar texts.

    Only plain data comes out: text, numbers, booleans, dates, lists and groups. YAML's other
    tags (!!binary, !!set, !!python/…, custom ones), aliases (*name, which repeat a value and so
    can blow a few bytes up into millions of values) and merge keys (<<) are reported instead.
    """

    def __init__(self, loader: Any, rel: str, first_line: int) -> None:
        self.loader = loader
        self.rel = rel
        self.first_line = first_line
        self.lines: dict[Key, int] = {}
        self.raw: dict[Key, str] = {}
        self.problems: list[Problem] = []
        self.seen: set[int] = set()  # nodes walked: an alias would walk one again

    def _line(self, node: yaml.Node) -> int:
        return self.first_line + node.start_mark.line

    def _report(self, node: yaml.Node, key: Key, message: str) -> None:
        name = field_name(key)
        self.problems.append(Problem(self.rel, self._line(node), f"{name}: {message}" if name else message))

    def value(self, node: yaml.Node, key: Key) -> Any:
        self.lines.setdefault(key, self._line(node))
        if len(key) > _MAX_DEPTH:
            self._report(node, key, "the fields are nested too deeply")
            return None
        if id(node) in self.seen:
            # the node stands where the anchor is; the field that uses the alias is the place to fix
            # (a list item's own line is the anchor's: its list's line is nearer the alias)
            where = key[:-1] if key and isinstance(key[-1], int) else key
            self.problems.append(Problem(self.rel, self.lines.get(where, self._line(node)),
                                         f"{field_name(key) or 'the fields'}: YAML aliases (*name) are not "
                                         "supported; write the value out"))
            return None
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, key) if self._tag_ok(node, key, _MAP) else None
        if isinstance(node, yaml.SequenceNode):
            if not self._tag_ok(node, key, _SEQ):
                return None
            return [self.value(item, key + (i,)) for i, item in enumerate(node.value)]
        self.raw[key] = node.value
        return self._scalar(node, key)

    def _tag_ok(self, node: yaml.Node, key: Key, tag: str) -> bool:
        if node.tag != tag:
            self._report(node, key, f"the YAML tag {_short(node.tag)} is not supported; write plain values")
        return node.tag == tag

    def _scalar(self, node: yaml.ScalarNode, key: Key) -> Any:
        if node.tag == _STR:
            return node.value  # most fields are text: skip the constructor's machinery
        pattern = _SCALARS.get(node.tag)
        if pattern is None:
            self._report(node, key, f"the YAML tag {_short(node.tag)} is not supported; write plain values")
            return None
        if not pattern.match(node.value):
            self._report(node, key, f'"{node.value}" cannot be read as {_short(node.tag)}; write the value '
                                    "without the tag")
            return None
        try:
            return self.loader.construct_object(node)
        except ValueError:
            # e.g. a date like 2026-02-30: keep the text, the field check names the mistake
            return node.value

    def _mapping(self, node: yaml.MappingNode, key: Key) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = self._line(key_node)
            if key_node.tag == _MERGE:
                self.problems.append(Problem(self.rel, line, "YAML merge keys (<<) are not supported; "
                                                             "write the fields out"))
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in (_STR, *_SCALARS):
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
