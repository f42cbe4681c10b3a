"""Spreadsheet rows -> drafts of records (the `.csv`/`.xlsx` half of `atlas import`).

A first pass gives every row its slug and name, so rows may name each other (an offer the
actor of a later row, a region its parent); the second turns each cell into its field's
value (`cells`), looking names up forgivingly (`matching`). Problems are `FILE:ROW: column:
message`, with the column as the sheet writes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import chain, count
from pathlib import Path
from typing import Any

from atlas import cells as c
from atlas.columns import Column, column, columns
from atlas.documents import Document
from atlas.errors import Problem
from atlas.fields import did_you_mean
from atlas.importer import ORDER, WHAT, Draft, Import
from atlas.matching import fold, slugify, unique_slug
from atlas.recordwriter import Verbatim, plain_to_markdown
from atlas.schema import SCHEMAS, SLUG, Field
from atlas.tables import Sheet, blank, read_table

KIND_OF_SHEET = {"angebote": "offers", "angebot": "offers", "offers": "offers", "traeger": "actors",
                 "akteure": "actors", "actors": "actors", "regionen": "regions", "regions": "regions"}

def read_spreadsheet(run: Import, file: Path, shown: str, kind: str | None) -> None:
    sheets, problems = read_table(file, shown)
    run.problems += problems
    kinds = _sheet_kinds(run, sheets, shown, kind)
    named = [(k, s, f"{shown}[{s.name}]" if len(kinds) > 1 else shown) for k in ORDER for s, k2 in kinds if k2 == k]
    for kind_, sheet, where in named:  # names first: an offer may name an actor of a later row
        _claim_slugs(run, kind_, sheet, where)
    run.claimed, run.drafts = run.drafts, []
    for kind_, sheet, where in named:
        _read_sheet(run, kind_, sheet, where, run.claimed)


def _sheet_kinds(run: Import, sheets: list[Sheet], shown: str, kind: str | None) -> list[tuple[Sheet, str]]:
    if len(sheets) == 1 or kind is not None:
        return [(sheets[0], kind or KIND_OF_SHEET.get(fold(sheets[0].name), "offers"))] if sheets else []
    result = []
    for sheet in sheets:
        found = KIND_OF_SHEET.get(fold(sheet.name))
        if found is None:
            run.warnings.append(Problem(f"{shown}[{sheet.name}]", 1, "the sheet is not named Angebote, "
                                        "Träger or Regionen; it is ignored", "warning"))
        else:
            result.append((sheet, found))
    return result


def _columns(kind: str, sheet: Sheet) -> dict[int, Column]:
    """Which column holds which field (of two columns for one field, the first)."""
    by_index: dict[int, Column] = {}
    for i, header in enumerate(sheet.header):
        col = column(kind, header) if header else None
        if col is not None and col.name not in {col.name for col in by_index.values()}:
            by_index[i] = col
    return by_index


def _header(run: Import, kind: str, sheet: Sheet, where: str, updates_only: bool) -> dict[int, Column]:
    """The columns; unknown columns are warned about, missing required ones are errors (unless every
    row updates a record, which keeps the fields the sheet has no column for)."""
    by_index = _columns(kind, sheet)
    for i, header in enumerate(sheet.header):
        col = column(kind, header) if header else None
        if header and i not in by_index:
            hint = did_you_mean(fold(header), list(columns(kind))) if col is None else ""
            why = "is there twice; the first one is used" if col is not None else "is not a field"
            run.warnings.append(Problem(where, 1, f'column "{header}" {why}; it is ignored{hint}', "warning"))
    present = {col.name for col in by_index.values()}
    for spec in SCHEMAS[kind]:
        if spec.required and spec.name not in present and spec.name != "reviewed" and not updates_only:
            run.missing.add((where, spec.label[0]))
            run.problems.append(Problem(where, 1, f"{spec.label[0]}: the column is missing; every {WHAT[kind][0]} "
                                                  f"needs one (named {spec.label[0]} or {spec.name})"))
    return by_index


def _cells(sheet: Sheet, by_index: Mapping[int, Column]) -> Iterable[tuple[int, dict[Column, Any]]]:
    for number, cells in sheet.rows:
        if all(blank(c) for c in cells):
            continue  # an empty row between blocks of a list
        yield number, {col: cells[i] for i, col in by_index.items() if i < len(cells) and not blank(cells[i])}


def _claim_slugs(run: Import, kind: str, sheet: Sheet, where: str) -> None:
    """First pass: every row's slug and name, so that rows may name each other."""
    by_index = _columns(kind, sheet)
    title = "title" if kind == "offers" else "name"
    existing = run.existing(kind)
    for number, row in _cells(sheet, by_index):
        cells = {col.name: v for col, v in row.items()}
        name = c.text_of(cells.get(title, ""))
        slug, updates = _slug(run, kind, cells, name, existing)
        run.claim(Draft(kind, slug, {"name": name}, "", (where, number), {}, updates))


def _slug(run: Import, kind: str, cells: Mapping[str, Any], name: str,
          existing: Mapping[str, Mapping[str, Any]]) -> tuple[str, bool]:
    """A slug column names the record; else the title gives it. A record of the same slug and
    the same title is this row's record (re-imported); one with another title is another record."""
    if "slug" in cells:
        slug = c.text_of(cells["slug"])
        return slug, slug in existing
    if not name:
        return "", False  # the missing title is reported; there is no slug to make
    base = slugify(name)
    key = "title" if kind == "offers" else "name"
    # rows of the same title were written as base, base-2 …: the n-th such row is the n-th of them
    for candidate in chain([base], (f"{base}-{n}" for n in count(2))):
        if candidate not in existing:
            break
        if candidate not in run.drafted(kind) and fold(str(existing[candidate].get(key, ""))) == fold(name):
            return candidate, True
    return unique_slug(base, run.taken(kind)), False


def _read_sheet(run: Import, kind: str, sheet: Sheet, where: str, claimed: list[Draft]) -> None:
    rows = [d for d in claimed if d.where[0] == where]
    by_index = _header(run, kind, sheet, where, run.update and bool(rows) and all(d.updates for d in rows))
    missing = {col.name for col in columns(kind).values()} - {col.name for col in by_index.values()}
    mine = iter(rows)
    written = {col.name: sheet.header[i] for i, col in by_index.items()}
    for number, row in _cells(sheet, by_index):
        draft = next(mine)
        values, headers, problems = _row(run, row, written, where, number)
        if "reviewed" in missing and kind == "offers":
            values["reviewed"] = run.today
        if not draft.slug and (where, _title_label(kind)) not in run.missing:
            problems.append(Problem(where, number, f"{_title(kind, headers)}: is required"))
        if draft.slug and not SLUG.match(draft.slug):
            problems.append(Problem(where, number, f'{headers.get("slug", "slug")}: "{draft.slug}" is not a valid '
                                                   "slug: use a-z, 0-9 and single hyphens, e.g. sprachcafe-hanau"))
        if draft.updates and not run.update:
            problems.append(Problem(where, number, f"{headers.get('slug') or _title(kind, headers)}: "
                                                   f'{WHAT[kind][0]} "{draft.slug}" exists already ({draft.path}); '
                                                   "use --update to overwrite it"))
        run.problems += [p for p in problems if p.severity == "error"]
        run.warnings += [p for p in problems if p.severity == "warning"]
        body = values.pop("body", "")
        if draft.updates and draft.slug in run.documents(kind):
            values, body = _kept(run.documents(kind)[draft.slug], values, body, by_index.values())
        places = values.get("locations", [])
        values["locations"] = [p for p in places if any(p.get(k) for k in ("name", "street", "postcode", "city"))]
        if len(values["locations"]) < len(places):  # "Barrierefrei: ja" without a place says nothing
            run.warnings.append(Problem(where, number, f"{headers.get('locations.accessible', 'Barrierefrei')}: "
                                                       "without a place (Straße, Ort …) it is left out", "warning"))
        run.drafts.append(Draft(kind, draft.slug, values, body, (where, number), headers, draft.updates))


_PLACE_COLUMNS = {("locations",), *(("locations", sub) for sub in ("name", "street", "postcode", "city"))}


def _kept(record: Document, values: dict[str, Any], body: str,
          columns_: Iterable[Column]) -> tuple[dict[str, Any], str]:
    """An updated record keeps what the sheet has no column for (map positions, a text, …); an empty
    cell in a column the sheet has clears the field. Places count as given when a place column is there."""
    columns_ = list(columns_)
    given = {col.key[0] for col in columns_ if col.key[0] != "locations" or col.key in _PLACE_COLUMNS}
    kept = {name: _as_written(record, (name,), value) for name, value in record.data.items() if name not in given}
    merged = {**kept, **{name: value for name, value in values.items() if name in given}}
    if "locations" in given and isinstance(record.data.get("locations"), list):
        subs = {col.key[-1] for col in columns_ if col.key[0] == "locations"} | {"name", "street", "postcode", "city"}
        before = _as_written(record, ("locations",), record.data["locations"])
        merged["locations"] = [_same_place(place, before, i, subs)
                               for i, place in enumerate(merged.get("locations", []))]
    return merged, body if "body" in given else record.body


def _as_written(record: Document, key: tuple[str | int, ...], value: Any) -> Any:
    """A kept value as the file has it (YAML read `no` as false and 50.1370 as 50.137)."""
    if isinstance(value, (bool, int, float)) and key in record.raw:
        return Verbatim(record.raw[key])
    if isinstance(value, dict):
        return {k: _as_written(record, (*key, k), v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_written(record, (*key, i), v) for i, v in enumerate(value)]
    return value


def _same_place(place: dict[str, Any], before: list[Any], i: int, given: set[str]) -> dict[str, Any]:
    """A place keeps what no column gave (its map position …) when it is the same place as before."""
    old = before[i] if i < len(before) and isinstance(before[i], dict) else {}
    same = any(old.get(k) and old.get(k) == place.get(k) for k in ("name", "street"))
    return {**{k: v for k, v in old.items() if k not in given}, **place} if same else place

def _title(kind: str, headers: Mapping[str, str]) -> str:
    return headers.get("title" if kind == "offers" else "name", _title_label(kind))


def _title_label(kind: str) -> str:
    return SCHEMAS[kind][0].label[0]  # Titel, Name


def _row(run: Import, row: Mapping[Column, Any], written: Mapping[str, str], where: str,
         number: int) -> tuple[dict[str, Any], dict[str, str], list[Problem]]:
    """A row's values, the column headers as written (problems name them), and its problems."""
    values: dict[str, Any] = {}
    headers = dict(written)
    problems: list[Problem] = []
    for col, cell in row.items():
        try:
            _put(values, col, _convert(run, col, cell))
        except c.CellError as exc:
            problems.append(Problem(where, number, f"{written[col.name]}: {exc}"))
    if isinstance(values.get("cost"), dict) and "amount" not in values["cost"]:
        problems.append(Problem(where, number, f"{headers.get('cost.note', 'Kosten')}: a note needs an amount "
                                               '(or "kostenlos")'))
    return values, headers, problems


def _put(values: dict[str, Any], col: Column, value: Any) -> None:
    if value is None:
        return
    if col.key == ("locations",):
        _places(values, len(value))
        values["locations"] = [{**place, **before} for place, before in zip(value, values["locations"], strict=False)]
        return
    if len(col.key) == 1:
        if col.key[0] == "cost" and isinstance(value, dict):
            value = {**values.get("cost", {}), **{k: v for k, v in value.items() if v}}
        values[col.key[0]] = value
        return
    group, sub = col.key
    if group == "locations":  # Straße, PLZ, Ort …: one value a location ("Markt 1; Hauptstraße 2")
        for place, item in zip(_places(values, len(value)), value, strict=False):
            if item is not None:
                place[sub] = item
    elif values.get(group) != "free":
        values.setdefault(group, {})[sub] = value


def _places(values: dict[str, Any], count: int) -> list[dict[str, Any]]:
    """The row's locations, at least `count` of them."""
    places = values.setdefault("locations", [])
    places += [{} for _ in range(count - len(places))]
    return places


def _convert(run: Import, col: Column, cell: Any) -> Any:
    if col.key[0] == "locations" and len(col.key) == 2 and col.spec is not None:
        spec = col.spec
        parts = c.text_of(cell).split(";") if isinstance(cell, str) else [cell]
        return [_SCALARS[spec.kind](spec, part) if str(part).strip() else None for part in parts]
    if col.spec is None:
        return c.text_of(cell) if col.key == ("slug",) else plain_to_markdown(c.text_of(cell))
    spec = col.spec
    if spec.kind in ("ref", "refs", "terms"):
        return _refs(run, spec, cell)
    if spec.kind == "languages":
        return _unique(c.to_language(item) for item in c.split_list(cell))
    if spec.kind == "strings":
        return _unique(c.to_postcode(item) for item in c.split_list(cell))
    return _SCALARS[spec.kind](spec, cell)


_SCALARS: dict[str, Any] = {
    "text": lambda spec, cell: " ".join(c.text_of(cell).split()),  # one line, as the record reads it
    "email": lambda spec, cell: c.text_of(cell),
    "url": lambda spec, cell: c.to_url(cell),
    "choice": c.to_choice,
    "quoted": lambda spec, cell: c.to_postcode(cell) if spec.name == "postcode"
    else c.to_time(cell) if spec.name in ("opens", "closes") else c.text_of(cell),
    "date": lambda spec, cell: c.to_date(cell),
    "number": lambda spec, cell: c.to_number(cell),
    "groups": lambda spec, cell: c.to_hours(cell) if spec.name == "hours" else c.to_locations(cell),
    "cost": lambda spec, cell: c.to_cost(cell, None),
}


def _refs(run: Import, spec: Field, cell: Any) -> Any:
    names = run.names(spec.ref or spec.vocabulary or "")
    items = [c.text_of(cell)] if spec.kind == "ref" else c.split_list(cell)
    found, errors = [], []
    for item in items:
        match = names.find(item)
        if match.slug is None:
            errors.append(match.error or "")
        else:
            found.append(match.slug)
    if errors:
        raise c.CellError("; ".join(errors))
    return found[0] if spec.kind == "ref" else _unique(found)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
