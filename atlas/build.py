"""The build, top to bottom: load → validate → model → render → write.

`atlas check` runs the same function without the write phase, so a check that passes
means the build will pass.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import jinja2

from atlas.config import load_config
from atlas.errors import ContentError, Problem, errors_of
from atlas.model import Site, build_model, publication_problems
from atlas.records import parse_records, read_sources
from atlas.render import render_pages, site_pages
from atlas.search import search_files
from atlas.templates import load_theme, template_problem
from atlas.writer import check_output, write_site


@dataclass(frozen=True)
class BuildResult:
    site: Site
    files: dict[str, bytes]
    warnings: list[Problem]


def today() -> date:
    """The build's date: SOURCE_DATE_EPOCH when set (reproducible builds), else the clock's."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    return date.today()


def build(project: Path, output: Path | None = None, *, strict: bool = False, on: date | None = None) -> BuildResult:
    """Build the site of `project` into `output` (or only check it, when `output` is None).

    Raises ContentError with every problem of the run when the content cannot be built.
    """
    if output is not None:
        check_output(output, project)
    build_date = on or today()

    # 1. load: settings and every record file
    config, problems = load_config(project)
    sources, found = read_sources(project)
    problems += found
    if config is None:
        raise ContentError(problems)  # without vocabularies the records cannot be checked further

    # 2. validate: fields, references, dates; all problems at once
    records, found = parse_records(sources, config)
    problems += found
    problems += publication_problems(records, build_date)
    if errors_of(problems, strict=strict):
        raise ContentError(problems)

    # 3. model: published offers and their relations
    site = build_model(config, records, build_date)

    # 4. render: pages, static files of the theme, search data
    theme = load_theme(config)
    pages = list(site_pages(site))
    try:
        files = render_pages(site, theme, pages)
    except jinja2.TemplateError as exc:
        raise ContentError([template_problem(exc, config)]) from None
    files.update(theme.static_files())
    files.update(search_files(site))

    # 5. write: into a fresh folder, swapped in only when complete
    if output is not None:
        write_site(dict(sorted(files.items())), output)
    return BuildResult(site, files, [p for p in problems if p.severity == "warning"])
