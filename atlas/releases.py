"""Publish with a symlink flip: `atlas build -o /srv/atlas --releases`.

Each build goes into a numbered folder beside the served path, `/srv/.atlas-releases/<n>/`,
and `/srv/atlas` is a symbolic link to the current one. The link is replaced by one
rename(2) of a new link over it, which the kernel does atomically: a reader (the web server)
finds the old site or the new one, never a missing folder, as deployment tools do it. The
last KEEP releases stay, so requests that began on the previous one still find their files,
and going back is one `ln -sfn .atlas-releases/<n> /srv/atlas`.

The first such build turns an existing output folder into release 0; that one move leaves
the path missing for a moment (two renames), every later build never does.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from atlas.errors import AtlasError
from atlas.writer import carry_host_files, check_output

KEEP = 2  # releases kept: the current one and the one before


def releases_folder(output: Path) -> Path:
    """/srv/atlas -> /srv/.atlas-releases (beside it, so that the link can be relative)."""
    return output.parent / f".{output.name}-releases"


def numbers(folder: Path) -> list[int]:
    """The release numbers in `folder`, oldest first."""
    if not folder.is_dir():
        return []
    return sorted(int(entry.name) for entry in folder.iterdir() if entry.name.isdigit() and entry.is_dir())


@contextmanager
def new_release(output: Path, project: Path) -> Iterator[Path]:
    """A fresh release folder to build into; when the block succeeds, `output` points to it.
    A failed build leaves the link (and so the site) as it was."""
    check_output(output, project)  # only an atlas build (or its link) is ever moved or replaced
    output = Path(os.path.abspath(output))
    folder = releases_folder(output)
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o755)  # the web server walks through it
    _adopt(output, folder)
    release = folder / str(max(numbers(folder), default=0) + 1)
    yield release
    if not release.is_dir():
        raise AtlasError(f"the build wrote nothing into {release}")
    carry_host_files(output, release)
    flip(output, release)
    prune(folder, keep=KEEP, current=release)


def _adopt(output: Path, folder: Path) -> None:
    """An output that is still a plain folder (built without --releases) becomes release 0."""
    if output.is_symlink() or not output.exists():
        return
    if not output.is_dir():
        raise AtlasError(f"the output {output} is not a folder or a link to a release")
    first = folder / "0"
    if first.exists():
        raise AtlasError(f"{first} exists already; move it away or remove {output}")
    output.rename(first)
    flip(output, first)


def flip(output: Path, release: Path) -> None:
    """Point `output` to `release` in one rename: a link beside it, renamed over it."""
    link = output.parent / f".{output.name}.link-{os.getpid()}"
    with suppress(FileNotFoundError):
        link.unlink()
    os.symlink(os.path.relpath(release, output.parent), link)
    try:
        os.replace(link, output)
    except BaseException:
        with suppress(FileNotFoundError):
            link.unlink()
        raise


def prune(folder: Path, keep: int, current: Path) -> None:
    """Remove all but the newest `keep` releases (never the current one)."""
    for number in numbers(folder)[:-keep]:
        old = folder / str(number)
        if old != current:
            shutil.rmtree(old, ignore_errors=True)
