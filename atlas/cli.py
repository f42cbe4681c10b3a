"""The `atlas` command line (contract §2). Thin: it parses options and calls the build."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import click

from atlas.build import build, load_and_validate, today
from atlas.errors import ContentError, Problem, capped
from atlas.freshness import MAX_WITHIN_DAYS
from atlas.progress import Progress, TerminalProgress
from atlas.releases import new_release


@contextmanager
def _writing_nothing() -> Iterator[None]:
    """`check` and `report` never write: their errors end with the count, not "nothing was written"."""
    try:
        yield
    except ContentError as exc:
        raise ContentError(exc.everything, outcome="") from None


def _terminal() -> TextIO | None:
    """stderr when it is a terminal; None in a CI log, a pipe, a test."""
    return sys.stderr if sys.stderr.isatty() else None


@contextmanager
def _progress() -> Iterator[Progress | None]:
    """A progress line on stderr when it is a terminal; None (nothing drawn) anywhere else."""
    stream = _terminal()
    if stream is None:
        yield None
        return
    drawing = TerminalProgress(stream)
    try:
        yield drawing
    finally:
        drawing.close()  # the line is gone before the warnings and the summary are printed


def _print_warnings(warnings: list[Problem]) -> None:
    for warning in capped(warnings):
        click.echo(str(warning), err=True)


project_argument = click.argument(
    "project", default=".", type=click.Path(file_okay=False, path_type=Path)
)


@click.group()
@click.version_option(package_name="integrationsatlas")
def main() -> None:
    """Integrationsatlas: build a static directory site of local integration offers."""


@main.command("build")
@project_argument
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Output folder (default: PROJECT/build).")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--timings", is_flag=True, help="Print the seconds spent in each build phase.")
@click.option("--releases", is_flag=True,
              help="Build into a new folder beside the output and point the output (a link) to it in one step.")
def build_command(project: Path, output: Path | None, strict: bool, timings: bool, releases: bool) -> None:
    """Validate the content and build the site."""
    started = time.perf_counter()
    target = output or project / "build"
    with _progress() as progress:
        if releases:  # the served path is a link, flipped at once to the new build (atlas.releases)
            with new_release(target, project) as release:
                result = build(project, release, strict=strict, progress=progress)
        else:
            result = build(project, target, strict=strict, progress=progress)
    _print_warnings(result.warnings)
    site = result.site
    click.echo(
        f"Built {len(site.offers)} offers, {len(site.actors)} actors, {len(site.regions)} regions: "
        f"{result.file_count} files in {target} ({time.perf_counter() - started:.1f} s)"
    )
    if timings:
        click.echo("Phases: " + ", ".join(f"{phase} {seconds:.2f} s" for phase, seconds in result.timings.items()))


@main.command("check")
@project_argument
@click.option("--strict", is_flag=True, help="Fail on warnings too (as `build --strict` would).")
def check_command(project: Path, strict: bool) -> None:
    """Validate everything and write nothing."""
    with _writing_nothing():
        result = build(project, None, strict=strict)
    _print_warnings(result.warnings)
    site, count = result.site, len(result.warnings)
    click.echo(f"Checked {len(site.regions)} regions, {len(site.actors)} actors, {len(site.offers)} published offers: "
               f"no errors" + (f", {count} warning{'s' if count != 1 else ''}." if count else "."))


@main.command("report")
@project_argument
@click.option("--format", "output_format", type=click.Choice(["text", "csv"]), default="text", show_default=True,
              help="Text to read, or CSV (UTF-8, ';') for a spreadsheet or a mail merge.")
@click.option("--within", type=click.IntRange(0, MAX_WITHIN_DAYS), default=0, metavar="DAYS",
              help="Also the offers that fall due in the next DAYS days.")
def report_command(project: Path, output_format: str, within: int) -> None:
    """List the offers due for review, by actor, with the actor's e-mail and phone."""
    from atlas.freshness import due_by_actor
    from atlas.report import Report, csv_report, text_report

    on = today()
    with _writing_nothing():  # the same errors as `atlas check`; its warnings are check's to show
        valid = load_and_validate(project, on)
    config, records = valid.config, valid.records
    due = due_by_actor(records.actors, records.offers.values(), config.review_after_days, on, within)
    report = Report(on, config.review_after_days, within, config.base_url, due)
    click.echo(csv_report(report) if output_format == "csv" else text_report(report), nl=False)


@main.command("serve")
@project_argument
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port on localhost.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--edit", is_flag=True, help="Also serve the web editor at /admin/, saving into PROJECT's content/.")
def serve_command(project: Path, port: int, host: str, edit: bool) -> None:
    """Build, serve on localhost, rebuild and reload the page on every change."""
    from atlas.serve import serve

    serve(project, host=host, port=port, edit=edit)


@main.command("new")
@click.argument("kind", type=click.Choice(["offer", "actor", "region"]))
@click.argument("slug")
@click.option("-p", "--project", default=".", type=click.Path(file_okay=False, path_type=Path),
              help="The atlas project (default: the current folder).")
def new_command(kind: str, slug: str, project: Path) -> None:
    """Write a new record from a template with comments for every field."""
    from atlas.scaffold import new_record

    path = new_record(project, kind, slug)
    click.echo(f"Wrote {path}; fill it in, then run: atlas check {project}")


@main.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@project_argument
@click.option("--update", is_flag=True, help="Overwrite the records that rows name (by slug or the same title).")
@click.option("--kind", type=click.Choice(["offers", "actors", "regions"]),
              help="What the rows of a CSV file are (default: offers; a workbook's sheets say it by their names).")
def import_command(file: Path, project: Path, update: bool, kind: str | None) -> None:
    """Turn a spreadsheet (.csv, .xlsx) or an HSDS services.json into records."""
    from atlas.importer import check, start, summary, write

    run = start(project, update, today())
    if file.suffix.lower() == ".json":
        from atlas.hsds_import import read_hsds

        read_hsds(run, file, str(file))
    else:
        from atlas.sheets import read_spreadsheet

        read_spreadsheet(run, file, str(file), kind)
    check(run)
    _print_warnings(run.warnings)
    write(run)
    click.echo(summary(run))


def entry_point() -> None:
    """The `atlas` command (and `python -m atlas`): `main`, then the process ends without the interpreter
    freeing every object of the build one by one (0.15 s after 1,000 offers in seven languages, with the other
    core idle: the system frees the memory as a whole). Only the output streams need flushing first; the
    commands leave nothing else open (the build's workers and threads are joined, its files closed)."""
    try:
        main()  # click's standalone mode ends in SystemExit, also when all went well
        code: int | str | None = 0
    except SystemExit as leaving:
        code = leaving.code
    if code is not None and not isinstance(code, int):  # sys.exit("message"), as the interpreter shows it
        if sys.stderr is not None:
            print(code, file=sys.stderr)
        code = 1
    # as the interpreter at its exit: a stream closed or never opened (`2>&-`) is left alone, stdout that cannot
    # be flushed (a closed pipe) makes the status 120, stderr's own trouble changes nothing
    if not _flushed(sys.stdout):
        code = 120
    _flushed(sys.stderr)
    os._exit(code or 0)


def _flushed(stream: TextIO | None) -> bool:
    if stream is None or stream.closed:
        return True
    try:
        stream.flush()
    except (OSError, ValueError):
        return False
    return True
