"""The build, top to bottom: load → validate → model → render → write.

`atlas check` runs the same function without the write phase, so a check that passes
means the build will pass.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

from atlas.config import load_config
from atlas.errors import AtlasError, ContentError, Problem, errors_of
from atlas.model import Site, build_model, publication_problems
from atlas.opendata import open_data_files
from atlas.parallel import map_slices
from atlas.records import parse_records
from atlas.render import Page, PageRenderer, site_files, site_pages
from atlas.search import search_files
from atlas.sources import read_sources
from atlas.templates import load_theme, template_problem, theme_problems
from atlas.vendor import vendor_files
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
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return date.today()
    try:
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    except (ValueError, OverflowError, OSError):
        raise AtlasError(f'SOURCE_DATE_EPOCH must be whole seconds since 1970, not "{epoch}"') from None


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """A build makes hundreds of thousands of small objects that reference counting frees; the
    cyclic collector, run every 700 allocations, finds nothing and costs a third of loading."""
    before = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def build(project: Path, output: Path | None = None, *, strict: bool = False, on: date | None = None,
          workers: int | None = None) -> BuildResult:
    """Build the site of `project` into `output` (or only check it, when `output` is None).

    Raises ContentError with every problem of the run when the content cannot be built.
    `workers` caps the processes for reading and rendering (None: one per core).
    """
    with _fewer_collections():
        return _build(project, output, strict=strict, on=on, workers=workers)


def _build(project: Path, output: Path | None, *, strict: bool, on: date | None, workers: int | None) -> BuildResult:
    if output is not None:
        check_output(output, project)
    build_date = on or today()
    clock = _Clock()

    # 1. load: settings and every record file
    config, problems = load_config(project)
    sources, found = read_sources(project, workers)
    problems += found
    if config is None:
        raise ContentError(problems)  # without vocabularies the records cannot be checked further
    theme = load_theme(config)
    problems += theme_problems(theme, config)
    clock.lap("load")

    # 2. validate: fields, references, dates; all problems at once
    records, found = parse_records(sources, config)
    problems += found
    problems += publication_problems(records, build_date)
    if strict:  # every warning counts as an error, and is shown as one
        problems = [replace(p, severity="error") for p in problems]
    if errors_of(problems):
        raise ContentError(problems)
    clock.lap("validate")

    # 3. model: published offers and their relations
    site = build_model(config, records, build_date)
    clock.lap("model")

    # 4. render: the open data, the theme's static files, sitemap, search data; the pages themselves below
    # the downloads of /daten/ (pure, and valid by construction: `check` skips them); files of
    # other parts that the /daten/ page and the DCAT catalogue should list go in here too
    data = open_data_files(site) if output is not None else {}
    clock.lap("open data")
    pages = list(site_pages(site, theme.catalogs, data.keys()))
    files = {**theme.static_files(config.languages[1:]), **site_files(site, pages), **data}
    if output is not None:  # `check` skips what cannot fail once the content is valid (and needs no npm)
        files.update(search_files(site))
        files.update(vendor_files(project))
    renderer = PageRenderer(site, theme)
    clock.lap("prepare")

    # 5. write: every core renders its share of the pages and writes it into a fresh folder,
    #    which replaces the output only when all is written (`check` renders and counts them)
    try:
        if output is None:

            def render_and_count(part: Sequence[Page]) -> list[int]:
                return [len(renderer.render_all(part))]

            count = len(files) + sum(map_slices(render_and_count, pages, workers))
        else:
            with staged(output) as folder:

                def render_and_write(part: Sequence[Page]) -> list[int]:
                    return [write_files(folder, renderer.render_all(part))]

                count = write_files(folder, files.items()) + sum(map_slices(render_and_write, pages, workers))
    except Exception as exc:  # noqa: BLE001 (a theme's template can fail in any way: name its line)
        raise ContentError([template_problem(exc, config)]) from None
    clock.lap("render and write")
    return BuildResult(site, count, [p for p in problems if p.severity == "warning"], clock.timings)
