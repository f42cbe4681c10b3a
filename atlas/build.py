"""The build, top to bottom: load → validate → model → render → write.

`atlas check` runs the same function without the write phase, so a check that passes
means the build will pass.
"""

from __future__ import annotations

import functools
import gc
import itertools
import operator
import os
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

from atlas.admin import admin_files
from atlas.aside import aside
from atlas.calendars import calendar_files
from atlas.config import Config, load_config
from atlas.errors import AtlasError, ContentError, Problem, errors_of
from atlas.feeds import feed_files
from atlas.fingerprint import fingerprinted
from atlas.freshness import review_problems
from atlas.inventory import Inventory, inventory_files, take_inventory
from atlas.inventory_page import inventory_pages
from atlas.memory import give_back
from atlas.model import Site, build_model, publication_problems
from atlas.nearwords import Verdicts, near_word_files
from atlas.offline import file_digests, manifest_files, page_digest, service_worker
from atlas.opendata import open_data_files
from atlas.parallel import QUEUE_LENGTH, Started, slice_count, started
from atlas.printing import print_list_files
from atlas.progress import Progress, silent
from atlas.record_cache import RecordCache
from atlas.record_types import Records
from atlas.records import parse_records, read_records
from atlas.render import Page, PageRenderer, site_files, site_pages
from atlas.search import Kept, preload, search_files
from atlas.sources import SourceCache, read_sources
from atlas.templates import Theme, load_theme, template_problem, theme_problems
from atlas.vendor import vendor_files
from atlas.writer import check_output, make_public, staged, write_files


@dataclass(frozen=True)
class BuildResult:
    site: Site
    file_count: int
    warnings: list[Problem]
    timings: dict[str, float]  # seconds per phase


PHASES = ("load", "validate", "model", "exports", "prepare", "render and write")  # in the order they run
RENDER = PHASES[-1]
CHUNK = 100  # pages a process renders before it writes them (~2 MB of HTML): the cores end within a chunk's time


class _Clock:
    """Seconds spent in each phase, for `atlas build --timings` and the benchmark; tells `progress`
    which phase starts (the phases run in the order of PHASES)."""

    def __init__(self, progress: Progress | None = None) -> None:
        self.timings: dict[str, float] = {}
        self.progress = progress or silent
        self._last = time.perf_counter()
        self.progress(PHASES[0], 0, 0)

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.timings[phase] = now - self._last
        self._last = now
        following = PHASES.index(phase) + 1
        if following < len(PHASES):
            self.progress(PHASES[following], 0, 0)


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
          workers: int | None = None, progress: Progress | None = None) -> BuildResult:
    """Build the site of `project` into `output` (or only check it, when `output` is None).

    Raises ContentError with every problem of the run when the content cannot be built.
    `workers` caps the processes for reading and rendering (None: one per core). `progress`
    hears of each phase as it starts and of the pages rendered (atlas.progress).
    """
    with _fewer_collections():
        return _build(project, output, strict=strict, on=on, workers=workers, progress=progress)


@dataclass(frozen=True)
class Validated:
    """The content after the load and validate phases: what the model is made of."""

    config: Config
    theme: Theme
    records: Records
    problems: list[Problem]  # warnings only: errors stop the run


def load_and_validate(project: Path, build_date: date, *, strict: bool = False, workers: int | None = None,
                      clock: _Clock | None = None, cache: SourceCache | None = None,
                      records: RecordCache | None = None,
                      themes: Callable[[Config], tuple[Theme, list[Problem]]] | None = None) -> Validated:
    """Phases 1 and 2, shared by the build, `check` and `report`: every problem at once, as a
    ContentError when any is an error (with `strict`, every warning is one). `atlas serve` keeps
    between runs the files read (`cache`), the records checked (`records`) and the theme loaded
    (`themes` loads it with its problems, or hands back the last one)."""
    clock = clock or _Clock()
    # 1. load: settings, theme and every record file. A build (no caches) reads and checks each file on
    #    every core in this phase (read_records), so that no process holds every file's parsed document
    config, problems = load_config(project)
    if config is None:  # without vocabularies the records cannot be checked further
        raise ContentError(problems + read_sources(project, workers)[1])
    theme, found = (themes or theme_with_problems)(config)
    problems += found
    if cache is None and records is None:
        checked, found = read_records(project, config, workers)
        give_back()  # the parsed documents' blocks: the rest of the build and its forked workers never use them
    else:
        sources, found = read_sources(project, workers, cache)
        problems += found
        checked, found = parse_records(sources, config, records)
    problems += found
    clock.lap("load")

    # 2. validate: dates (the build day's too: expired, due for review); all problems at once
    problems += publication_problems(checked, build_date)
    problems += review_problems(checked.offers.values(), config.review_after_days, build_date)
    if strict:  # every warning counts as an error, and is shown as one
        problems = [replace(p, severity="error") for p in problems]
    if errors_of(problems):
        raise ContentError(problems)
    clock.lap("validate")
    return Validated(config, theme, checked, problems)


def theme_with_problems(config: Config) -> tuple[Theme, list[Problem]]:
    theme = load_theme(config)
    return theme, theme_problems(theme, config)


@dataclass(frozen=True)
class Loaded:
    """The content after phases 1–3: what rendering (or a test, or a benchmark) starts from."""

    site: Site
    theme: Theme
    problems: list[Problem]  # warnings only: errors stop the run


def load_site(project: Path, build_date: date, *, strict: bool = False, workers: int | None = None,
              clock: _Clock | None = None) -> Loaded:
    """Phases 1–3, load → validate → model, without rendering: shared by the build, the tests
    and the benchmarks. Raises ContentError like the build does."""
    clock = clock or _Clock()
    valid = load_and_validate(project, build_date, strict=strict, workers=workers, clock=clock)
    # 3. model: published offers and their relations
    site = build_model(valid.config, valid.records, build_date)
    clock.lap("model")
    return Loaded(site, valid.theme, valid.problems)


def _build(project: Path, output: Path | None, *, strict: bool, on: date | None, workers: int | None,
           progress: Progress | None) -> BuildResult:
    if output is not None:
        check_output(output, project)
    build_date = on or today()
    clock = _Clock(progress)
    loaded = load_site(project, build_date, strict=strict, workers=workers, clock=clock)
    site, theme, problems = loaded.site, loaded.theme, loaded.problems
    config = site.config

    # 4. exports: the downloads (open data, feeds, calendar files, the Bestandsaufnahme's tables), made and
    #    written by a process of their own, while the search data (5.), the largest step before the pages,
    #    is begun on the other cores a language at a time. The pages list the downloads, so the page list
    #    waits for them; this process joins the search data once the other files are written. `check`
    #    skips what cannot fail once the content is valid (and needs no npm), and writes nothing.
    publish = output is not None
    inventory = take_inventory(site, build_date, config.review_after_days)  # counts what is due for review
    with reported_errors(config, output), _folder(output) as folder, \
            search_started(folder, site, workers) as search, \
            aside(lambda: Published.of(folder, download_files(site, theme, inventory, publish=publish)),
                  fork=publish and workers != 1) as exported:
        downloads = exported()
        clock.lap("exports")

        # 5. prepare: the theme's static files, sitemap and the rest, written as soon as they are made
        #    (memory holds one part at a time), and the search data
        pages = site_page_list(site, theme, inventory, downloads.digests.keys())
        files = other_files(theme, site, project, pages, {}, publish=publish, search=False)
        made = Published.of(folder, files).merged([downloads])
        del files, downloads
        give_back()  # the exports' bytes, written: the search data's small objects would never reuse them
        # the renderer compiles the templates and renders the offers' bodies now, for every render process (while
        # the other cores go on with the search data); the pages link the files by their hashed names
        renderer = PageRenderer(site, theme, made.names)
        if search is not None:
            made = made.merged(search.results())
            renderer.link_also(made.names)
        give_back()  # before the render workers are forked, which would start with the freed pages mapped
        clock.lap("prepare")

        # 6. write: every core takes the next chunk of pages as it finishes one (language by language, in the
        #    pages' order), renders it and writes it into a fresh folder, which replaces the output only when all
        #    is written (`check` renders and counts them). Fixed halves ended up to half a second apart
        parent, total, shown = os.getpid(), len(pages), 0

        def render_and_write(chunk: tuple[int, Sequence[Page]]) -> tuple[int, int]:
            nonlocal shown
            through, part = chunk
            rendered = renderer.render_all(part)
            count = write_files(folder, rendered) if folder is not None else len(rendered)
            if os.getpid() == parent:  # the chunks before this one are taken, and about as far along; a failed
                shown = max(shown, through)  # child's chunks, done again here at the end, leave the bar as it is
                clock.progress(RENDER, shown, total)
            return count, page_digest(rendered)

        processes = slice_count(total, workers)  # none forked for a few hundred pages
        with started(render_and_write, page_chunks(pages), processes) as rendering:
            written = rendering.results()
        count = len(made.digests) + sum(n for n, _ in written)
        if folder is not None:
            # the service worker's cache is named by the content of everything, the pages too
            digest = functools.reduce(operator.xor, (d for _, d in written), 0)
            count += 1 + write_files(folder, service_worker(config, made.digests, digest).items())
            # 1: the marker `staged` wrote
            make_public(folder)
    clock.progress(RENDER, total, total)
    clock.lap(RENDER)
    return BuildResult(site, count, [p for p in problems if p.severity == "warning"], clock.timings)


# -- the phases of step 4, shared with `atlas serve`'s incremental rebuilds (atlas/incremental.py) --

def exports(site: Site, theme: Theme, build_date: date, *, publish: bool) -> tuple[Inventory, dict[str, bytes]]:
    """The downloads: the Bestandsaufnahme's tables, feeds, calendar files, the open data (whose
    /daten/ page and DCAT catalogue list what the build writes); only the tables for `check`."""
    inventory = take_inventory(site, build_date, site.config.review_after_days)  # counts what is due for review
    return inventory, download_files(site, theme, inventory, publish=publish)


def download_files(site: Site, theme: Theme, inventory: Inventory, *, publish: bool) -> dict[str, bytes]:
    """The downloads of `exports`, for the inventory taken."""
    downloads = inventory_files(inventory)
    if publish:
        downloads.update(feed_files(site, theme.catalogs))
        downloads.update(calendar_files(site))
        downloads.update(open_data_files(site, downloads.keys()))
    return downloads


def page_chunks(pages: Sequence[Page]) -> list[tuple[int, Sequence[Page]]]:
    """The pages in the chunks a process renders and writes at a time (memory holds a chunk of HTML, not a
    process's whole share of the site), in the order the processes take them, each with how many pages that
    chunk and those taken before it hold; never more chunks than a queue holds.

    A chunk ends only between two offer pages: the pages between a language's offers (its lists, and the next
    language's start page) show the same offers' cards, which one process then renders once, not each process a
    part. The chunks are taken last first: the last language's lists, the largest chunk, begin the work; a chunk
    of the first language's offers ends it, and the processes end within its time."""
    size = max(CHUNK, -(-len(pages) // QUEUE_LENGTH))
    chunks, start = [], 0
    while start < len(pages):
        end = min(start + size, len(pages))
        while end < len(pages) and not (pages[end - 1].template == pages[end].template == "offer.html"):
            end += 1
        chunks.append(pages[start:end])
        start = end
    chunks.reverse()
    return list(zip(itertools.accumulate(map(len, chunks)), chunks, strict=True))


def site_page_list(site: Site, theme: Theme, inventory: Inventory, data_files: Collection[str]) -> list[Page]:
    """Every page of the site, in the order the build writes them."""
    pages = list(site_pages(site, theme.catalogs, data_files))
    return pages + list(inventory_pages(site, inventory, theme.catalogs, site.build_date))


def other_files(theme: Theme, site: Site, project: Path, pages: list[Page], downloads: dict[str, bytes], *,
                publish: bool, search: bool = True) -> dict[str, bytes]:
    """Every file but the pages and the service worker, with plain names (`fingerprinted` hashes them);
    without the search data when not `search` (the build makes it on every core: search_started)."""
    config = site.config
    files = {**theme.static_files(config.languages[1:]), **site_files(site, pages), **downloads}
    if publish:
        if search:
            files.update(search_data(site, config.languages))
        files.update(print_list_files(site))  # "Liste drucken"
        files.update(vendor_files(project))
        files.update(manifest_files(config, files))  # the web app manifests
        if config.editor is not None:  # the web editor at /admin/ (contract §4)
            files.update(admin_files(config, project))
    return files


def search_data(site: Site, languages: Sequence[str], kept: tuple[Kept, Verdicts] | None = None) -> dict[str, bytes]:
    """The languages' search files and the words an empty search offers; `kept`: what one language made for the
    next (search.Kept, the tokens judged), when they are asked for one at a time (`atlas serve`)."""
    memo, known = kept or (Kept.of(site), Verdicts())
    return {**search_files(site, languages, memo), **near_word_files(site, languages, known)}


@dataclass(frozen=True)
class Published:
    """Files of the build as far as the rest of it needs them, once they are written."""

    names: dict[str, str]  # plain path -> content-hashed path (atlas.fingerprint)
    digests: dict[str, bytes]  # path in the output -> sha256 of its bytes (for the service worker)

    @classmethod
    def of(cls, folder: Path | None, files: dict[str, bytes]) -> Published:
        """`files` with their hashed names, written into `folder` (None: `check`, which writes nothing)."""
        renamed, names = fingerprinted(files)
        if folder is not None:
            write_files(folder, renamed.items())
        return cls(names, file_digests(renamed))

    def merged(self, others: Iterable[Published]) -> Published:
        names, digests = dict(self.names), dict(self.digests)
        for other in others:
            names.update(other.names)
            digests.update(other.digests)
        return Published(names, digests)


SearchPart = tuple[Callable[[Site, Sequence[str]], dict[str, bytes]], str]  # what makes it, for which language


@contextmanager
def search_started(folder: Path | None, site: Site,
                   workers: int | None = None) -> Iterator[Started[SearchPart, Published] | None]:
    """The search data (the pages name its entry file by its hash), begun on the other cores: each
    process takes the next language when it is done with one and writes what it made, so that no
    process holds more than one language's. The languages' word lists for empty searches, a
    twentieth of a language's time each, come last: they fill in while the last languages end.
    None for `check` (no folder), which makes none."""
    if folder is None:
        yield None
        return
    preload(site)
    languages = site.config.languages
    # each process keeps what its first language made for the next ones it takes (search.Kept), until it
    # takes a word list: all languages' indexes come before, so it takes no more; this process, which renders on,
    # lets go of it and of the tokens judged when it has the results (it may have redone a failed child's index)
    kept, known = Kept.of(site), Verdicts()

    def indexed(site: Site, languages: Sequence[str]) -> dict[str, bytes]:
        files = search_files(site, languages, kept)
        give_back()  # the index's arrays: the next language's strings would not reuse their blocks
        return files

    def suggested(site: Site, languages: Sequence[str]) -> dict[str, bytes]:
        kept.forget()
        return near_word_files(site, languages, known)  # the tokens judged, kept likewise

    parts = [(indexed, lang) for lang in languages] + [(suggested, lang) for lang in languages]
    with started(lambda part: Published.of(folder, part[0](site, [part[1]])), parts, workers,
                 finished=lambda: (kept.forget(), known.clear())) as search:
        yield search


@contextmanager
def _folder(output: Path | None) -> Iterator[Path | None]:
    """The staging folder the build writes into (writer.staged), or None for `check`."""
    if output is None:
        yield None
    else:
        with staged(output) as folder:
            yield folder


@contextmanager
def reported_errors(config: Config, output: Path | None) -> Iterator[None]:
    """Rendering and writing: a template's error becomes a problem, a full disk an AtlasError."""
    try:
        yield
    except OSError as exc:  # a full disk, no permission …: name what could not be written
        where = exc.filename or output
        raise AtlasError(f"could not write {where}: {exc.strerror or exc}") from None
    except Exception as exc:
        problem = template_problem(exc, config)
        if problem is None:
            raise  # not a template's: a bug of atlas, which keeps its traceback
        raise ContentError([problem]) from None
