"""`atlas import`: a spreadsheet's rows (or HSDS services) -> records, all checked before any is written.

Reading the rows (`tables`), the cells (`cells`) and the names (`matching`) happens here in
order; then the would-be records are rendered (`recordwriter`), read back with atlas's own
reader and validated together with the project's records, exactly as `atlas check` does.
Only when nothing is wrong are the files written, so they always pass `atlas check`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from atlas import cells as c
from atlas.columns import Column, column, columns
from atlas.config import Config, load_config
from atlas.documents import parse_document
from atlas.errors import ContentError, Problem, errors_of
from atlas.fields import did_you_mean
from atlas.matching import Names, fold, slugify, unique_slug
from atlas.model import publication_problems
from atlas.records import parse_records
from atlas.recordwriter import dump_record, plain_to_markdown
from atlas.schema import SCHEMAS, SLUG, Field
from atlas.sources import CONTENT, Source, read_sources
from atlas.tables import Sheet, blank, read_table

KIND_OF_SHEET = {"angebote": "offers", "angebot": "offers", "offers": "offers", "traeger": "actors",
                 "akteure": "actors", "actors": "actors", "regionen": "regions", "regions": "regions"}
ORDER = ("regions", "actors", "offers")  # offers name actors and regions, actors name regions
WHAT = {"offers": ("offer", "offers"), "actors": ("actor", "actors"), "regions": ("region", "regions")}


@dataclass(frozen=True)
class Draft:
    """A record about to be written: where it came from and what it holds."""

    kind: str
    slug: str
    values: Mapping[str, Any]
    body: str
    where: tuple[str, int]  # (file as named, row)
    headers: Mapping[str, str]  # field name -> the column header it came from
    updates: bool  # overwrites an existing record

    @property
    def path(self) -> str:
        return f"{CONTENT}/{self.kind}/{self.slug}.md"


@dataclass
class Import:
    """What a run has found so far: the drafts and the problems (one run, every problem)."""

    project: Path
    config: Config
    update: bool
    today: date
    sources: list[Source]
    drafts: list[Draft] = field(default_factory=list)
    claimed: list[Draft] = field(default_factory=list)  # every row's slug and name, from the first pass
    missing: set[tuple[str, str]] = field(default_factory=set)  # (sheet, label) of required columns not there
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # path -> the record's text, once checked
    _taken: dict[str, set[str]] = field(default_factory=dict)
    _drafted: dict[str, set[str]] = field(default_factory=dict)
    _names: dict[str, tuple[int, Names]] = field(default_factory=dict)

    def existing(self, kind: str) -> dict[str, Mapping[str, Any]]:
        return {s.slug: s.document.data for s in self.sources
                if s.kind == kind and s.lang is None and s.document is not None}

    def taken(self, kind: str) -> set[str]:
        """The slugs of the project's records and of the drafts so far (kept, not recounted: lists are long)."""
        if kind not in self._taken:
            self._taken[kind] = {s.slug for s in self.sources if s.kind == kind and s.lang is None}
        return self._taken[kind]

    def drafted(self, kind: str) -> set[str]:
        return self._drafted.setdefault(kind, set())

    def claim(self, draft: Draft) -> None:
        """A row's record, known from now on to references and to new slugs."""
        self.drafts.append(draft)
        self.taken(draft.kind).add(draft.slug)
        self.drafted(draft.kind).add(draft.slug)

    def names(self, kind: str) -> Names:
        """What a reference to a record of `kind` or a vocabulary term may name."""
        cached = self._names.get(kind)
        if cached is not None and cached[0] == len(self.claimed):
            return cached[1]
        if kind in ("topics", "audiences"):
            terms = self.config.topics if kind == "topics" else self.config.audiences
            names = Names(kind[:-1], {t.slug: tuple(t.labels.values()) for t in terms})
        else:
            found = {slug: (str(data.get("name", "")),) for slug, data in self.existing(kind).items()}
            found.update({d.slug: (str(d.values.get("name", "")),) for d in self.claimed if d.kind == kind})
            names = Names(WHAT[kind][0], found)
        self._names[kind] = (len(self.claimed), names)
        return names


def start(project: Path, update: bool, today: date) -> Import:
    config, problems = load_config(project)
    if config is None:
        raise ContentError(problems)
    sources, found = read_sources(project)
    return Import(project, config, update, today, sources, problems=errors_of(found))


# -- spreadsheets --------------------------------------------------------------------------------

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
            run.warnings.append(Problem(f"{shown}[{sheet.name}]", 1, "warning: the sheet is not named Angebote, "
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


def _header(run: Import, kind: str, sheet: Sheet, where: str) -> dict[int, Column]:
    """The columns; unknown columns are warned about, missing required ones are errors."""
    by_index = _columns(kind, sheet)
    for i, header in enumerate(sheet.header):
        col = column(kind, header) if header else None
        if header and i not in by_index:
            hint = did_you_mean(fold(header), list(columns(kind))) if col is None else ""
            why = "is there twice; the first one is used" if col is not None else "is not a field"
            run.warnings.append(Problem(where, 1, f'column "{header}" {why}; it is ignored{hint}', "warning"))
    present = {col.name for col in by_index.values()}
    for spec in SCHEMAS[kind]:
        if spec.required and spec.name not in present and spec.name != "reviewed":
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
    slug = slugify(name)
    same = slug in existing and fold(str(existing[slug].get("title" if kind == "offers" else "name", ""))) == fold(name)
    return (slug, True) if same else (unique_slug(slug, run.taken(kind)), False)


def _read_sheet(run: Import, kind: str, sheet: Sheet, where: str, claimed: list[Draft]) -> None:
    by_index = _header(run, kind, sheet, where)
    missing = {col.name for col in columns(kind).values()} - {col.name for col in by_index.values()}
    mine = iter([d for d in claimed if d.where[0] == where])
    for number, row in _cells(sheet, by_index):
        draft = next(mine)
        written = {col.name: sheet.header[i] for i, col in by_index.items()}
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
        run.problems += problems
        body = values.pop("body", "")
        run.drafts.append(Draft(kind, draft.slug, values, body, (where, number), headers, draft.updates))


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
    if len(col.key) == 1:
        if col.key[0] == "cost" and isinstance(value, dict):
            value = {**values.get("cost", {}), **{k: v for k, v in value.items() if v}}
        values[col.key[0]] = value
        return
    group, sub = col.key
    if group == "locations":
        values.setdefault("locations", [{}])[0][sub] = value
    elif values.get(group) != "free":
        values.setdefault(group, {})[sub] = value


def _convert(run: Import, col: Column, cell: Any) -> Any:
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
    "groups": lambda spec, cell: c.to_hours(cell),
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


# -- checking and writing ------------------------------------------------------------------------

def check(run: Import) -> None:
    """Read the drafts back as atlas reads records, together with the project's records; their
    problems point at the rows. Raises ContentError when anything is wrong."""
    run.problems += _links(run)
    by_path = {d.path: d for d in run.drafts if d.slug}
    if len(by_path) < len([d for d in run.drafts if d.slug]):
        _twice(run)
    sources = [s for s in run.sources if s.path not in by_path]
    for draft in by_path.values():
        text = run.texts[draft.path] = dump_record(draft.kind, draft.values, draft.body)
        document, problems = parse_document(text, draft.path)
        run.problems += [_at_row(p, draft) for p in problems]
        sources.append(Source(draft.kind, draft.slug, None, draft.path, document))
    records, problems = parse_records(sorted(sources, key=lambda s: s.path), run.config)
    problems += publication_problems(records, run.today)
    reported = {(p.path, p.line, p.message.split(":")[0]) for p in run.problems}
    for problem in problems:
        draft = by_path.get(problem.path)
        moved = _at_row(problem, draft) if draft else problem
        if moved.severity == "warning":
            if draft:  # the project's own warnings are `atlas check`'s to tell
                run.warnings.append(moved)
        elif (moved.path, moved.line, moved.message.split(":")[0]) not in reported and \
                (moved.path, moved.message.split(":")[0]) not in run.missing:  # said once, at row 1
            run.problems.append(moved)
    if run.problems:
        raise ContentError(run.problems + run.warnings)


def _twice(run: Import) -> None:
    seen: dict[str, Draft] = {}
    for draft in (d for d in run.drafts if d.slug):
        if draft.path in seen:
            first = seen[draft.path]
            run.problems.append(Problem(draft.where[0], draft.where[1], f'{draft.headers.get("slug", "slug")}: '
                                        f'"{draft.slug}" is row {first.where[1]}\'s slug already'))
        seen.setdefault(draft.path, draft)


def _at_row(problem: Problem, draft: Draft) -> Problem:
    """A record's problem as the row's: `content/offers/x.md:4: summary: …` -> `liste.csv:7: Kurzbeschreibung: …`."""
    name, sep, rest = problem.message.partition(": ")
    head = name.split("[")[0].split(".")[0]
    flat = re.sub(r"\[\d+\]", "", name)  # locations[1].postcode -> locations.postcode: one location a row
    if sep and flat in draft.headers:
        message = f"{draft.headers[flat]}: {rest}"
    elif sep and head in draft.headers:
        message = f"{draft.headers[head]}{name[len(head):]}: {rest}"
    elif sep and head in {f.name for f in SCHEMAS[draft.kind]}:
        message = f"{next(f.label[0] for f in SCHEMAS[draft.kind] if f.name == head)}{name[len(head):]}: {rest}"
    else:
        message = problem.message
    return Problem(draft.where[0], draft.where[1], message, problem.severity)


def _links(run: Import) -> list[Problem]:
    """A record file or folder that is a link (which could lead out of PROJECT) is not written through."""
    root = run.project.resolve()
    return [Problem(d.path, 1, "is a symbolic link or leads outside the project; the import writes only "
                               "inside it") for d in run.drafts
            if (run.project / d.path).is_symlink() or not _inside(run.project / d.path, root)]


def write(run: Import) -> list[Path]:
    """Write every draft inside PROJECT/content (`check` has refused links that lead out of it)."""
    if _links(run):
        raise ContentError(_links(run))
    targets = [(run.project / d.path, d) for d in run.drafts]
    for path, draft in targets:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.import")
        temporary.write_text(run.texts[draft.path], encoding="utf-8")
        os.replace(temporary, path)
    return [path for path, _ in targets]


def _inside(path: Path, root: Path) -> bool:
    try:
        path.parent.resolve().relative_to(root)
        return True
    except ValueError:
        return False


def summary(run: Import) -> str:
    parts = []
    for kind in ORDER:
        drafts = [d for d in run.drafts if d.kind == kind]
        if drafts:
            updated = sum(d.updates for d in drafts)
            one, many = WHAT[kind]
            parts.append(f"{len(drafts)} {one if len(drafts) == 1 else many}: {len(drafts) - updated} new, "
                         f"{updated} updated")
    return f"Imported {'; '.join(parts) or 'nothing'}; run atlas check"
