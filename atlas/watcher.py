"""`atlas serve`'s watcher: notices saves (atlas/changes.py wakes it at once on Linux, else it looks
every POLL_SECONDS) and has the live build (atlas/serve.py: LiveBuild) make step 1 for each and step 2
once the saves have stopped; the page gate holds requests meanwhile.
"""

from __future__ import annotations

import gc
import os
import threading
import traceback
from functools import partial
from pathlib import Path
from stat import S_ISDIR, S_ISREG
from typing import TYPE_CHECKING

import click

from atlas.changes import Wakeup, read_by_builds
from atlas.config import CONFIG_FILE

if TYPE_CHECKING:
    from atlas.serve import LiveBuild

WATCHED = ("content", "themes", CONFIG_FILE)
POLL_SECONDS = 0.3


def snapshot(project: Path) -> dict[str, tuple[int, int]]:
    """Modification time and size of every watched file that a build reads (os.scandir: taken on
    every poll): not an editor's swap, backup or lock file (`.x.md.swp`, `x.md~`, `.#x.md`)."""
    found: dict[str, tuple[int, int]] = {}
    todo, relevant = [], read_by_builds(project)
    for name in WATCHED:
        root = project / name
        try:  # one stat, no is_file() then stat(): atlas.yaml may go in between (git checkout)
            stat = os.stat(root)
        except OSError:
            continue
        if S_ISREG(stat.st_mode):
            found[str(root)] = (stat.st_mtime_ns, stat.st_size)
        elif S_ISDIR(stat.st_mode):
            todo.append(str(root))
    while todo:
        try:
            entries = list(os.scandir(todo.pop()))
        except OSError:  # removed meanwhile
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    todo.append(entry.path)
                elif entry.is_file() and relevant(entry.path):
                    stat = entry.stat()
                    found[entry.path] = (stat.st_mtime_ns, stat.st_size)
            except OSError:
                continue
    return found


def _stamp(path: str) -> tuple[int, int] | None:
    """The file at `path` as `snapshot` takes it: its modification time and size; None when it is gone
    or no file (a folder where a file was)."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size) if S_ISREG(stat.st_mode) else None


def _as_in(found: dict[str, tuple[int, int]], path: str) -> bool:
    """Whether the file at `path` is now as in the snapshot `found` (absent from both, too)."""
    return found.get(path) == _stamp(path)


def _restated(found: dict[str, tuple[int, int]], paths: set[str]) -> dict[str, tuple[int, int]]:
    """The snapshot `found` with the files at `paths` as they are now."""
    now = {path: stat for path, stat in found.items() if path not in paths}
    for path in paths:
        stamp = _stamp(path)
        if stamp is not None:
            now[path] = stamp
    return now


def _settling(live: LiveBuild, wakeup: Wakeup, found: dict[str, tuple[int, int]]) -> None:
    """While the files the build reads are those of the snapshot `found`, the events of a file
    that is as in it are no save to wait for (PageGate.settle, called amid the build)."""
    live.gate.settle = partial(wakeup.settle, partial(_as_in, found))


def _differing(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> set[str]:
    """The files added, changed or removed between two snapshots."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def watching(project: Path) -> tuple[Wakeup, dict[str, tuple[int, int]]]:
    """What `watch` starts from, taken before the first build: a save during it is built next."""
    trees = [project / name for name in WATCHED if name != CONFIG_FILE]
    return Wakeup(trees, [project], read_by_builds(project)), snapshot(project)


def watch(live: LiveBuild, stop: threading.Event, start: tuple[Wakeup, dict[str, tuple[int, int]]]) -> None:
    """Rebuild when the files changed since `start` (`watching`); step 2 once a poll passed without
    a change. Woken at once when a file is saved (atlas/changes.py), else it looks every
    POLL_SECONDS. Page requests are held from the moment a save is known until their own page
    is written or step 1 ends."""
    wakeup, last = start
    live.gate.pending, live.waiting = wakeup.pending, wakeup.waiting  # step 2 runs in this thread: it reads events
    failed = ""  # the last failure's traceback: a bug that fails every round is said once
    try:
        while not stop.is_set():
            try:
                last = _watch_round(live, stop, wakeup, last)
            except Exception:  # noqa: BLE001 (a bug: said with its traceback; the preview watches on)
                if failed != (failed := traceback.format_exc()):
                    click.echo(f"The watcher failed; it watches on:\n{failed}", err=True)
    finally:
        wakeup.close()
        live.gate.pending, live.gate.settle = (lambda: False), (lambda: None)


def collect_at_rest() -> None:
    """Python's cycle collector, run while the watcher rests after a rebuild, over what the rebuilds
    left; the objects alive then are left out of later collections (gc.freeze). With a site's pages
    and records in memory, a full collection took ~200 ms at 1,000 offers, and the collector started
    one during about one edit's preview in twenty; now a preview's collections are its own young
    objects' (~0.25 ms). Unfrozen first, so that what earlier rebuilds let go is collected too."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _watch_round(live: LiveBuild, stop: threading.Event, wakeup: Wakeup,
                 last: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """One wait for a change and what follows it; the snapshot the next round compares with."""
    woken = wakeup.wait(POLL_SECONDS)
    if stop.is_set():
        return last
    _settling(live, wakeup, last)
    if woken:
        live.gate.close()  # before the events are read: the gate never sees the save as gone
    before = last
    try:
        changed = wakeup.changes() if woken else set()
        previewed = last  # the files as the pages written so far show them
        if changed:
            previewed = _restated(last, changed)  # the preview reads them as they are now
            _settling(live, wakeup, previewed)
            live.preview(changed)
        current = snapshot(live.project)
        if current != last:
            unseen = _differing(previewed, current)  # a poll found them (no inotify, a save as the wait timed
            live.gate.close(anew=bool(unseen))  # out, or one during the preview): no page written shows them
            _settling(live, wakeup, current)
            live.gate.settled()  # the saves the snapshot found are no longer pending
            if unseen:
                live.preview(unseen)
            last = current
            live.rebuild()
    finally:
        live.gate.open()
    if (not woken or changed == set()) and current == before and live.pending:  # quiet for a poll, or only a
        with live.gate.away():  # swap file saved: saves in quick succession each get only step 1
            live.complete()
        if not live.pending:
            collect_at_rest()
    return last
