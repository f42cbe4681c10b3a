"""Write the built files: into a temporary folder first, swapped in only when complete.

A failed or interrupted build therefore never leaves a half-written site: the earlier
output stays as it was until the new one is whole.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from atlas.errors import AtlasError

_BUILD_MARKERS = ("index.html", "sitemap.xml")
_WRITERS = 4


def check_output(output: Path, project: Path) -> None:
    """Refuse an output folder that would swallow the project or a folder that is no atlas build."""
    out, proj = output.resolve(), project.resolve()
    if out == proj or out in proj.parents:
        raise AtlasError(f"the output folder {output} would replace the project itself; "
                         f"choose e.g. {project / 'build'}")
    for inner in ("content", "themes"):
        if out == proj / inner or (proj / inner) in out.parents:
            raise AtlasError(f"the output folder {output} lies inside {inner}/; choose e.g. {project / 'build'}")
    if out.is_file():
        raise AtlasError(f"the output {output} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not all((out / m).exists() for m in _BUILD_MARKERS):
        raise AtlasError(f"the output folder {output} is not empty and holds no atlas build; "
                         "remove it or choose another folder")


@contextmanager
def staged(output: Path) -> Iterator[Path]:
    """A fresh folder beside `output` to write into; it replaces `output` only if the block succeeds."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        yield staging
        os.chmod(staging, 0o755)  # mkdtemp makes it private; a web server must read it
        _swap(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_files(folder: Path, files: Iterable[tuple[str, bytes]]) -> int:
    """Write (relative path, content) pairs into `folder`; returns how many were written."""
    # writing many small files waits on the file system, not the CPU: threads overlap the waits
    with ThreadPoolExecutor(max_workers=_WRITERS) as pool:
        return sum(1 for _ in pool.map(lambda item: _write(folder / item[0], item[1]), files))


def make_public(folder: Path) -> None:
    """Folders 0755, files 0644 whatever the umask: a web server's user (www-data) must read the
    site, also when the build ran in a shell with umask 027 (else every page is a 403)."""
    for root, folders, files in os.walk(folder):
        for name in folders:
            os.chmod(os.path.join(root, name), 0o755)
        for name in files:
            os.chmod(os.path.join(root, name), 0o644)


def _write(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)


def _swap(staging: Path, output: Path) -> None:
    if not output.exists():
        staging.rename(output)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    retired.rmdir()
    output.rename(retired)
    try:
        staging.rename(output)
    except BaseException:
        retired.rename(output)
        raise
    shutil.rmtree(retired, ignore_errors=True)
