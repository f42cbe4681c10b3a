"""Save a record that the web editor or `atlas import --update` re-wrote, changing only what changed.

Decap serialises the whole front matter anew (its own key order, quoting and list style, no
comments). Written as it is, every save would rewrite the file and bury the one real change in
a noisy diff. So the old file is kept line for line, and only the top-level fields whose value
differs (and the body, if it differs) are taken from the new text.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from atlas.documents import Document, Key, parse_document


def write_record(path: Path, raw: str) -> None:
    """Write atomically (a temporary file in the same folder, then a rename), keeping every
    unchanged line of an existing record."""
    text = raw.replace("\r\n", "\n")
    if path.is_file():
        text = splice(path.read_text(encoding="utf-8"), text)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".atlas-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def splice(old: str, new: str, rel: str = "") -> str:
    """`old` with the changed fields and body of `new`; `new` itself when either cannot be read."""
    before, _ = parse_document(old, rel)
    after, _ = parse_document(new, rel)
    if before is None or after is None:
        return new
    old_lines, new_lines = old.split("\n"), new.split("\n")
    old_spans, new_spans = _spans(before, old_lines), _spans(after, new_lines)
    old_values, new_values = _plain(before), _plain(after)
    head: list[str] = []
    for key, (start, end, gap) in old_spans.items():
        if key not in new_values or _empty(new_values[key]):
            head += old_lines[end:gap]  # a field the editor emptied: gone, its trailing comments stay
        elif new_values[key] == old_values[key]:
            head += old_lines[start:gap]
        else:
            first, last, _ = new_spans[key]
            head += new_lines[first:last] + old_lines[end:gap]
    for key in new_spans:
        if key not in old_spans and not _empty(new_values[key]):
            first, last, _ = new_spans[key]
            head += new_lines[first:last]
    body = old_lines[before.body_line - 1:] if before.body.strip() == after.body.strip() else \
        new_lines[after.body_line - 1:]
    return "\n".join(["---", *head, "---", *body]).rstrip("\n") + "\n"


def _spans(doc: Document, lines: list[str]) -> dict[str, tuple[int, int, int]]:
    """Each top-level field's lines as 0-based (start, end of its value, end of the comments and
    blank lines that follow it); the first field's preceding comments go with it."""
    close = doc.body_line - 2  # the index of the closing '---'
    starts = sorted((line - 1, str(key[0])) for key, line in doc.lines.items() if len(key) == 1)
    spans: dict[str, tuple[int, int, int]] = {}
    for i, (start, key) in enumerate(starts):
        gap = starts[i + 1][0] if i + 1 < len(starts) else close
        end = gap
        while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1
        spans[key] = (1 if i == 0 else start, end, gap)
    return spans


def _plain(doc: Document) -> dict[str, Any]:
    """The fields with every scalar as its text as written: `"15:00"` and `15:00` are the same value
    to the editor (YAML 1.2) though PyYAML reads the second as a number."""

    def walk(value: Any, key: Key) -> Any:
        if isinstance(value, dict):
            return {k: walk(v, key + (k,)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key + (i,)) for i, v in enumerate(value)]
        return doc.raw.get(key, value)

    return {k: walk(v, (k,)) for k, v in doc.data.items()}


def _empty(value: Any) -> bool:
    return value in (None, "", [], {}, "null", "~")
