"""Typed reading of front-matter fields; every mistake becomes a Problem at the field's line.

Record and config loaders read their fields through `Fields`, so that the wording of the
messages, the "did you mean" suggestions and the quoting hints are the same everywhere.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import date, datetime
from typing import Any

from atlas import languages, text
from atlas.documents import Document, Key, field_name
from atlas.errors import Problem, Severity

# \Z, not $: $ also matches before a trailing newline ("kurs\n" would pass)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")
MAX_ITEMS = 500  # a list of a real record is far shorter (a big city has ~200 postcodes)


def did_you_mean(value: str, candidates: Iterable[str]) -> str:
    """' (did you mean "x"?)' for a near miss, else ''.

    Besides spelling mistakes, slugs are often a word short or long ("vhs-hanau" for "vhs"),
    so a candidate that starts with the same word is suggested too.
    """
    options = sorted(candidates)
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    if not close:
        word = value.split("-")[0]
        close = difflib.get_close_matches(value, [c for c in options if c.split("-")[0] == word], n=1, cutoff=0)
    return f' (did you mean "{close[0]}"?)' if close else ""


class Fields:
    """Reads the fields of one mapping inside a Document, collecting problems as it goes."""

    def __init__(
        self, doc: Document, problems: list[Problem], data: Mapping[str, Any] | None = None, prefix: Key = ()
    ) -> None:
        self.doc = doc
        self.problems = problems
        self.data: Mapping[str, Any] = doc.data if data is None else data
        self.prefix = prefix

    # -- reporting -------------------------------------------------------------------------
    def report(self, key: str | int | None, message: str, severity: Severity = "error") -> None:
        path = self.prefix + ((key,) if key is not None else ())
        label = field_name(path)
        text = f"{label}: {message}" if label else message
        self.problems.append(Problem(self.doc.path, self.doc.line(*path), text, severity))

    def _quote_hint(self, key: str | int, value: Any) -> str:
        raw = self.doc.raw.get(self.prefix + (key,), str(value))
        return f'YAML reads {raw} as a number; put it in quotes: "{raw}"'

    def _missing(self, key: str, required: bool) -> bool:
        """True when the field is absent or empty; reports it when it is required."""
        value = self.data.get(key)
        if value is None or value == [] or (isinstance(value, str) and not value.strip()):
            if required:
                self.report(key, "is required" if key not in self.data else "is required but empty")
            return True
        if isinstance(value, str) and not text.visible(value):  # e.g. only zero-width characters
            self.report(key, "shows nothing: it holds only invisible characters" + (
                "; it is required" if required else "; delete them"))
            return True
        return False

    # -- scalar fields ---------------------------------------------------------------------
    def text(self, key: str, *, required: bool = False, max_length: int | None = None,
             multiline: bool | None = None) -> str | None:
        """One line of text (white space runs become one space), or with `multiline` text whose
        line breaks count (notes; the default when there is no `max_length`)."""
        multiline = max_length is None if multiline is None else multiline
        if self._missing(key, required):
            return None
        value = self.data[key]
        if isinstance(value, (bool, int, float, date)):  # e.g. `title: 2026` or `city: On`: as written
            value = self.doc.raw.get(self.prefix + (key,), str(value))
        if not isinstance(value, str):
            self.report(key, "must be text")
            return None
        value = value.strip() if multiline else " ".join(value.split())  # a folded YAML line ends in \n
        if (why := text.problem(value, multiline=multiline)) is not None:
            self.report(key, why)
            return None
        if max_length is not None and len(value) > max_length:
            self.report(key, f"is {len(value):,} characters long; at most {max_length:,} are allowed")
            return None
        return value

    def string(self, key: str | int, value: Any) -> str | None:
        """A value that must be written as a string: numbers get the quoting hint."""
        if isinstance(value, bool) or value is None:
            self.report(key, "must be text in quotes")
            return None
        if isinstance(value, (int, float)):
            self.report(key, self._quote_hint(key, value))
            return None
        if not isinstance(value, str):
            self.report(key, "must be text")
            return None
        value = value.strip()
        if (why := text.problem(value)) is not None:
            self.report(key, why)
            return None
        return value

    def as_written(self, key: str | int, value: Any, pattern: re.Pattern[str] | None) -> Any:
        """A number that YAML 1.1 made of a time or postcode (15:00 -> 900, 01067 -> 567) as the text
        written, when that text is what the field wants: YAML 1.2 tools (the web editor) write such
        values without quotes."""
        raw = self.doc.raw.get(self.prefix + (key,))
        if isinstance(value, (int, float)) and not isinstance(value, bool) and raw and pattern and pattern.match(raw):
            return raw
        return value

    def quoted(self, key: str, *, required: bool = False, pattern: re.Pattern[str] | None = None,
               example: str = "") -> str | None:
        """Text that YAML would misread when unquoted: postcodes, times, phone numbers."""
        if self._missing(key, required):
            return None
        value = self.string(key, self.as_written(key, self.data[key], pattern))
        if value is not None and pattern is not None and not pattern.match(value):
            self.report(key, f'"{value}" is not valid; write it like "{example}"')
            return None
        return value

    def choice(self, key: str, options: Collection[str], *, required: bool = False) -> str | None:
        if self._missing(key, required):
            return None
        value = self.data[key]
        if isinstance(value, bool):  # YAML 1.1 turns yes/no into booleans
            value = self.doc.raw.get(self.prefix + (key,), str(value)).lower()
        if not isinstance(value, str) or value not in options:
            shown = value if isinstance(value, str) else self.doc.raw.get(self.prefix + (key,), str(value))
            allowed = ", ".join(options)
            self.report(key, f'"{shown}" is not one of: {allowed}{did_you_mean(str(shown), options)}')
            return None
        return value

    def date(self, key: str, *, required: bool = False) -> date | None:
        if self._missing(key, required):
            return None
        value = self.data[key]
        if isinstance(value, datetime):
            self.report(key, f"write only the date, YYYY-MM-DD, without a time: {value.date().isoformat()}")
            return None
        if isinstance(value, date):
            return value
        text = str(value)
        if isinstance(value, str) and _ISO_DATE.match(text):
            try:
                return date.fromisoformat(text)
            except ValueError:
                self.report(key, f"{text} is not a real date")
                return None
        self.report(key, f'"{text}" is not a date; write it as YYYY-MM-DD, e.g. 2026-03-31')
        return None

    def number(self, key: str, *, low: float, high: float) -> float | None:
        if self._missing(key, False):
            return None
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.report(key, "must be a number")
            return None
        if not low <= value <= high:
            self.report(key, f"{value} is out of range ({low} to {high})")
            return None
        return float(value)

    # -- structures ------------------------------------------------------------------------
    def items(self, key: str, *, required: bool = False) -> list[tuple[int, Any]]:
        """A list field as (position, item) pairs; a single value gets a hint to write a list."""
        if self._missing(key, required):
            return []
        value = self.data[key]
        if not isinstance(value, list):
            raw = self.doc.raw.get(self.prefix + (key,), str(value))
            self.report(key, f"must be a list, e.g. [{raw}]")
            return []
        if len(value) > MAX_ITEMS:
            self.report(key, f"lists {len(value):,} items; at most {MAX_ITEMS} are allowed")
            return []
        return list(enumerate(value))

    def strings(self, key: str, *, required: bool = False, pattern: re.Pattern[str] | None = None,
                example: str = "") -> tuple[str, ...]:
        result = []
        sub = self.nested(key)
        for i, item in self.items(key, required=required):
            value = sub.string(i, sub.as_written(i, item, pattern))
            if value is None:
                continue
            if pattern is not None and not pattern.match(value):
                sub.report(i, f'"{value}" is not valid; write it like "{example}"')
                continue
            result.append(value)
        return tuple(result)

    def unique(self, key: str, read: Callable[[Fields, int, Any], str | None], *,
               required: bool = False) -> tuple[str, ...]:
        """A list field whose items `read(fields, position, item)` turns into values (reporting
        the items it cannot read); each value is kept once, a repetition is reported."""
        values: list[str] = []
        sub = self.nested(key)
        for i, item in self.items(key, required=required):
            value = read(sub, i, item)
            if value is not None and value in values:
                sub.report(i, f'"{self.doc.raw.get(sub.prefix + (i,), value)}" is listed twice')
            elif value is not None:
                values.append(value)
        return tuple(values)

    def language_codes(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        """A list of ISO 639-1 codes (de, tr, ar …), each known and listed once."""
        return self.unique(key, lambda sub, i, item: sub.language(i, item), required=required)

    def language(self, key: str | int, value: Any) -> str | None:
        code = self.string(key, value)
        if code is not None and not languages.is_known(code):
            self.report(key, f'"{code}" is not an ISO 639-1 language code like de, tr, ar')
            return None
        return code

    def refs(self, key: str, known: Collection[str], what: str, *, required: bool = False) -> tuple[str, ...]:
        """A list of slugs that must name existing records or vocabulary entries."""
        return self.unique(key, lambda sub, i, item: sub.ref(i, item, known, what), required=required)

    def ref(self, key: str | int, value: Any, known: Collection[str], what: str) -> str | None:
        if not isinstance(value, str):
            self.report(key, f"must be the slug of {what}")
            return None
        if value not in known:
            self.report(key, f'unknown {what} "{value}"{did_you_mean(value, known)}')
            return None
        return value

    def single_ref(self, key: str, known: Collection[str], what: str, *, required: bool = False) -> str | None:
        if self._missing(key, required):
            return None
        return self.ref(key, self.data[key], known, what)

    def mapping(self, key: str, *, required: bool = False) -> Fields | None:
        if self._missing(key, required):
            return None
        value = self.data[key]
        if not isinstance(value, dict):
            self.report(key, "must be a group of fields (name: value)")
            return None
        return Fields(self.doc, self.problems, value, self.prefix + (key,))

    def nested(self, key: str | int) -> Fields:
        """A reader for the items of a list field, to report problems at the right item."""
        return Fields(self.doc, self.problems, {}, self.prefix + (key,))

    def mappings(self, key: str, *, required: bool = False) -> list[Fields]:
        """A list of groups of fields, e.g. locations or hours."""
        result = []
        for i, item in self.items(key, required=required):
            if isinstance(item, dict):
                result.append(Fields(self.doc, self.problems, item, self.prefix + (key, i)))
            else:
                self.nested(key).report(i, "must be a group of fields (name: value)")
        return result

    def unknown(self, allowed: Collection[str], severity: Severity = "warning") -> None:
        for key in self.data:
            if key not in allowed:
                self.report(key, f"unknown field{did_you_mean(key, allowed)}; it is ignored", severity)
