"""The build, top to bottom: load → validate → model → render → write.

`atlas check` runs the same function without the write phase, so a check that passes
means the build will pass.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import jinja2

from atlas.config import load_config
from atlas.errors import ContentError, Problem, errors_of
from atlas.model import Site, build_model, publication_problems
from atlas.records import parse_records, read_sources
from atlas.parallel import map_slices
from atlas.render import PageRenderer, site_files, site_pages
from atlas.search import search_files
from atlas.templates import load_theme, template_problem
from atlas.writer import check_output, staged, write_files


@dataclass(frozen=True)
class BuildResult:
    site: Site
    file_count: int
    warnings: list[Problem]
    timings: dict[str, float]  # seconds per phase


class _Clock:
    """Seconds spent in each phase, for `atlas build --timings` and the benchmark."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.timings[phase] = now - self._last
        self._last = now


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
    clock = _Clock()

    # 1. load: settings and every record file
    config, problems = load_config(project)
    sources, found = read_sources(project)
    problems += found
    if config is None:
        raise ContentError(problems)  # without vocabularies the records cannot be checked further
    clock.lap("load")

    # 2. validate: fields, references, dates; all problems at once
    records, found = parse_records(sources, config)
    problems += found
    problems += publication_problems(records, build_date)
    if errors_of(problems, strict=strict):
        raise ContentError(problems)
    clock.lap("validate")

    # 3. model: published offers and their relations
    site = build_model(config, records, build_date)
    clock.lap("model")

    # 4. render: the theme's static files, search data, sitemap; the pages themselves below
    theme = load_theme(config)
    pages = list(site_pages(site))
    files = {**theme.static_files(), **search_files(site), **site_files(site, pages)}
    renderer = PageRenderer(site, theme)
    clock.lap("prepare")

    # 5. write: every core renders its share of the pages and writes it into a fresh folder,
    #    which replaces the output only when all is written (`check` keeps the pages in memory)
    try:
        if output is None:
            files.update(map_slices(renderer.render_all, pages))
            count = len(files)
        else:
            with staged(output) as folder:
                count = write_files(folder, files.items())
                count += sum(map_slices(lambda part: [write_files(folder, renderer.render_all(part))], pages))
    except jinja2.TemplateError as exc:
        raise ContentError([template_problem(exc, config)]) from None
    clock.lap("render and write")
    return BuildResult(site, count, [p for p in problems if p.severity == "warning"], clock.timings)
