"""Find and read the record files under content/ (the I/O half of loading records)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from atlas.documents import Document, read_document
from atlas.errors import Problem
from atlas.matching import slugify
from atlas.parallel import map_slices
from atlas.schema import SLUG

CONTENT = "content"
KINDS = ("regions", "actors", "offers")
_LINKED_FOLDER = "is a symbolic link; atlas reads only plain folders and files here; put the folder itself here"


@dataclass(frozen=True)
class Source:
    """A content file found on disk: its kind, slug, optional language and parsed document."""

    kind: str
    slug: str
    lang: str | None
    path: str
    document: Document | None


SourceCache = dict[str, tuple[tuple[int, int], Source, list[Problem]]]  # path -> (mtime, size), what was read
Listed = tuple[str, str, str | None, str]  # a record file found: kind, slug, language, path in the project


def read_sources(project: Path, workers: int | None = None,
                 cache: SourceCache | None = None,
                 ) -> tuple[list[Source], list[Problem]]:
    """Find and read every record file under content/, in the order of their paths. With a `cache` (of
    `atlas serve`, which reads in one process), a file whose modification time and size are as
    at the last read is not read again."""
    listed, problems = list_sources(project)
    if cache is not None:  # forget deleted files; read in this process, where the cache lives
        for gone in cache.keys() - {rel for *_, rel in listed}:
            del cache[gone]
        workers = 1
    read = map_slices(lambda part: list(read_listed(project, part, cache)), listed, workers)
    for _, trouble in read:
        problems.extend(trouble)
    return [source for source, _ in read], problems


def list_sources(project: Path) -> tuple[list[Listed], list[Problem]]:
    """Every record file under content/, in the order of their paths, without reading them; and the
    problems of the folders and names (a file that is not a record is a warning)."""
    root = project / CONTENT
    linked = [folder for folder in (root, *(root / kind for kind in KINDS)) if folder.is_symlink()]
    if linked:  # a link could publish a folder from outside the project; files inside are read without links
        return [], [Problem(folder.relative_to(project).as_posix(), 1, _LINKED_FOLDER) for folder in linked]
    if not root.is_dir():
        return [], [Problem(CONTENT, 1, "folder not found; records live in content/regions, content/actors "
                                        "and content/offers")]
    problems: list[Problem] = []
    for entry in sorted(root.iterdir()):
        if not entry.name.startswith(".") and (not entry.is_dir() or entry.name not in KINDS):
            problems.append(Problem(f"{CONTENT}/{entry.name}", 1,
                                    f"not a record folder ({', '.join(KINDS)}); it is ignored", "warning"))
    found: list[Listed] = []
    for kind in KINDS:
        base = f"{CONTENT}/{kind}"
        for rel, entry, depth in _entries(project, base):
            name = entry.name
            if name.startswith(".") or entry.is_dir(follow_symlinks=False):
                continue
            suffix = _suffix(name)
            if depth == 0 and suffix.lower() == ".md" and suffix != ".md":
                problems.append(Problem(rel, 1, "a record's file name ends in .md (lowercase)"))
                continue
            if depth != 0 or suffix != ".md":
                problems.append(Problem(rel, 1, f"not a record (content/{kind}/<slug>.md); it is ignored", "warning"))
                continue
            slug, _, lang = name[:-3].partition(".")
            if not SLUG.match(slug):
                problems.append(Problem(rel, 1, f'the file name "{slug}" is not a valid slug: use a-z, 0-9 '
                                                f'and single hyphens, e.g. "{slugify(slug)}.md"'))
            elif lang and kind != "offers":
                problems.append(Problem(rel, 1, "only offers have translations; name the file <slug>.md"))
            else:
                found.append((kind, slug, lang or None, rel))
    return sorted(found, key=lambda item: item[3]), problems


def read_listed(project: Path, listed: Iterable[Listed],
                cache: SourceCache | None = None) -> Iterator[tuple[Source, list[Problem]]]:
    """The listed files read, one at a time (a caller that keeps less than the whole document of each,
    such as records.read_records, holds one at a time); a file unchanged since the `cache` saw it is not
    read again."""
    for kind, slug, lang, rel in listed:
        stat = os.lstat(project / rel)
        key = (stat.st_mtime_ns, stat.st_size)
        known = cache.get(rel) if cache is not None else None
        if known is not None and known[0] == key:
            yield known[1], known[2]
            continue
        document, trouble = read_document(project / rel, rel)
        source = Source(kind, slug, lang, rel, document)
        if cache is not None:
            cache[rel] = (key, source, trouble)
        yield source, trouble


def _entries(project: Path, base: str) -> list[tuple[str, os.DirEntry[str], int]]:
    """(path in the project, entry, depth) of everything under the folder `base`, into folders but
    not into links to folders, in the order of sorted(Path.rglob("*")). os.scandir, not pathlib:
    `atlas serve` lists the content on every rebuild, and pathlib's objects cost 20× the listing."""
    found: list[tuple[list[str], str, os.DirEntry[str], int]] = []
    todo = [(str(project / base), base, 0)]
    while todo:
        folder, rel, depth = todo.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:  # gone, not a folder, not readable: as rglob, which lists nothing there
            continue
        for entry in entries:
            inner = f"{rel}/{entry.name}"
            found.append((inner.split("/"), inner, entry, depth))
            if entry.is_dir(follow_symlinks=False):
                todo.append((entry.path, inner, depth + 1))
    return [(inner, entry, depth) for _, inner, entry, depth in sorted(found, key=lambda item: item[0])]


def _suffix(name: str) -> str:
    """Path(name).suffix: "a.en.md" -> ".md"; "a." and ".md" -> ""."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""
