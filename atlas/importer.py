"""`atlas import`: drafts of records, all checked before any is written.

`sheets` (spreadsheets) and `hsds_import` (HSDS JSON) turn a file into drafts on an `Import`;
`check` renders each draft (`recordwriter`), reads it back with atlas's own reader and
validates it together with the project's records, exactly as `atlas check` does, and moves
every problem to its row. Only when nothing is wrong does `write` write the files, so they
always pass `atlas check`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from atlas.config import Config, load_config
from atlas.documents import Document, parse_document
from atlas.errors import ContentError, Problem, errors_of
from atlas.matching import Names
from atlas.model import publication_problems
from atlas.records import parse_records
from atlas.recordwriter import dump_record
from atlas.schema import SCHEMAS
from atlas.sources import CONTENT, Source, read_sources
from atlas.splice import write_record

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
        return {slug: document.data for slug, document in self.documents(kind).items()}

    def documents(self, kind: str) -> dict[str, Document]:
        return {s.slug: s.document for s in self.sources
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
    flat = re.sub(r"\[\d+\]", "", name)  # locations[2].postcode -> the column locations.postcode
    several = len(draft.values.get("locations") or ()) > 1
    place = re.search(r"\[(\d+)\]", name) if head == "locations" and several else None
    if sep and flat in draft.headers:
        message = f"{draft.headers[flat]}{f', place {place.group(1)}' if place else ''}: {rest}"
    elif sep and head in draft.headers:
        message = f"{draft.headers[head]}{name[len(head):]}: {rest}"
    elif sep and head in {f.name for f in SCHEMAS[draft.kind]}:
        where = flat if draft.headers and not several else name
        message = f"{next(f.label[0] for f in SCHEMAS[draft.kind] if f.name == head)}{where[len(head):]}: {rest}"
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
    for path, draft in targets:  # an update keeps the record's unchanged lines (comments, quoting, order)
        write_record(path, run.texts[draft.path])
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
