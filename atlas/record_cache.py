"""The records of `atlas serve` between rebuilds (atlas/records.py parses, this keeps).

A file that was not read again (atlas/sources.py hands back the same Source) is not checked
again while the slugs and settings it is checked against are unchanged. An edit then costs the
edited record's work, not the atlas's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from atlas.errors import Problem
from atlas.sources import Source


class RecordCache:
    """Per file: the Source it was made from, its record and its problems."""

    def __init__(self) -> None:
        self.against: object = None  # what the records were checked against
        self.parsed: dict[str, tuple[Source, Any, list[Problem]]] = {}  # path -> (source, record, problems)
        self._previous: dict[str, tuple[Source, Any, list[Problem]]] = {}

    def begin(self, against: object) -> None:
        """A new pass over all sources; if they are checked against other slugs or settings than
        last time, every record is checked again. Files not seen in the pass are let go."""
        self._previous = self.parsed if self.against == against else {}
        self.against, self.parsed = against, {}

    def record(self, source: Source, check: Callable[[list[Problem]], Any]) -> tuple[Any, list[Problem]]:
        """The record of `source` and its problems: kept, or made by `check(problems)`."""
        entry = self._previous.get(source.path)
        if entry is None or entry[0] is not source:
            found: list[Problem] = []
            entry = (source, check(found), found)
        self.parsed[source.path] = entry
        return entry[1], entry[2]

    def again(self, source: Source, check: Callable[[list[Problem]], Any]) -> tuple[Any, list[Problem]] | None:
        """A file of the last pass read again: its record made by `check(problems)`, and kept for the
        next pass; None (nothing kept) when the last pass had no file of its path, kind, slug and language."""
        entry = self.parsed.get(source.path)
        if entry is None or (entry[0].kind, entry[0].slug, entry[0].lang) != (source.kind, source.slug, source.lang):
            return None
        found: list[Problem] = []
        self.parsed[source.path] = entry = (source, check(found), found)
        return entry[1], entry[2]
