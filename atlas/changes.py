"""When `atlas serve` looks for changed files: at once when Linux says a file changed, else every poll.

The watcher (atlas/serve.py) compares snapshots of the files' times and sizes; this module
decides when to take the next one, and names the files that changed, so that an edited offer's
pages are made before the snapshot (atlas/incremental.py `preview`). A poll every 0.3 s made an
editor wait 0.15 s on average before the rebuild even began, as long as the rebuild of the
edited page itself; the kernel's inotify (through ctypes: the standard library has no binding)
wakes the watcher as a file is written, renamed or deleted. Where inotify is missing (macOS,
Windows, no watches left), the watcher polls as before.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import select
import struct
import time
from collections.abc import Callable
from pathlib import Path

# <sys/inotify.h>: what an editor's save does (write and close, or write a copy and rename it
# over the file), deletions and a touch (the time alone changes): ATTRIB CLOSE_WRITE MOVED_FROM
# MOVED_TO DELETE DELETE_SELF MOVE_SELF. CREATE only to watch new folders: a new file is empty
# until it is written and closed.
_CHANGES = 0x4 | 0x8 | 0x40 | 0x80 | 0x200 | 0x400 | 0x800
_CREATE, _OVERFLOW, _IS_FOLDER = 0x100, 0x4000, 0x40000000
_EVENT = struct.Struct("iIII")  # struct inotify_event without its name: wd, mask, cookie, len
_ONLYDIR = 0x01000000
_NONBLOCK, _CLOEXEC = getattr(os, "O_NONBLOCK", 0), getattr(os, "O_CLOEXEC", 0)  # IN_NONBLOCK, IN_CLOEXEC (Linux)


class Wakeup:
    """Sleeps until a file in `trees` (or any folder inside them) or right in `folders` changes,
    or `timeout` passes; says which files changed."""

    def __init__(self, trees: list[Path], folders: list[Path],
                 relevant: Callable[[str], bool] = lambda path: True) -> None:
        self.trees, self.folders = trees, folders
        self.relevant = relevant  # whether a changed file can change the site (for `waiting`)
        self._early: set[str] | None = set()  # relevant changes `waiting` read before `changes` (None: lost count)
        self.fd: int | None = None
        self._watched: dict[int, str] = {}  # watch descriptor -> its folder
        self._libc = _libc()
        if self._libc is not None:
            fd = self._libc.inotify_init1(_NONBLOCK | _CLOEXEC)
            self.fd = fd if fd >= 0 else None
        self._watch()

    def wait(self, timeout: float) -> bool:
        """True as soon as events wait to be read (`changes()` reads them), False when `timeout`
        passed without one."""
        if self._early != set():  # read by `waiting` already
            return True
        if self.fd is None:
            time.sleep(timeout)
            return False
        return bool(select.select([self.fd], [], [], timeout)[0])

    def pending(self) -> bool:
        """Whether events wait to be read: a save the watcher has not picked up yet."""
        return self._early != set() or self.fd is not None and bool(select.select([self.fd], [], [], 0)[0])

    def waiting(self) -> bool:
        """For the watcher amid a long build: whether a change waits that it should stop for.
        Reads the events (`changes()` returns them later), passing over the files that are not
        `relevant` (an editor's swap file, written every few seconds as one types)."""
        if self._early is not None and self.fd is not None and select.select([self.fd], [], [], 0)[0]:
            read = self._read()
            self._early = None if read is None else self._early | {path for path in read if self.relevant(path)}
        return self._early != set()

    def settle(self, seen: Callable[[str], bool]) -> None:
        """Read the waiting events and forget the files `seen` says the build takes as they are now:
        a snapshot found the save before its event was read (it came as a wait timed out), and a
        request held for it would wait until the build ends. The others stay for `changes()`."""
        self.waiting()
        if self._early:
            self._early = {path for path in self._early if not seen(path)}

    def changes(self) -> set[str] | None:
        """Read the waiting events: the `relevant` files that changed (an empty set when none
        did, e.g. a new empty file or a swap file), or None when the kernel lost count (a queue
        overflow). New folders are watched from now on."""
        early, self._early = self._early, set()
        read = self._read()
        return None if early is None or read is None else early | {path for path in read if self.relevant(path)}

    def _read(self) -> set[str] | None:
        if self.fd is None:
            return None
        data = b""
        try:
            while chunk := os.read(self.fd, 65536):  # type: ignore[arg-type]
                data += chunk
        except BlockingIOError:
            pass  # all read
        changed: set[str] | None = set()
        folders = False
        for offset in _offsets(data):
            wd, mask, _, size = _EVENT.unpack_from(data, offset)
            folders |= bool(mask & _IS_FOLDER and mask & (_CREATE | 0x80) or mask & _OVERFLOW)
            if mask & _OVERFLOW or changed is None:
                changed = None
            elif mask & _CHANGES:
                name = data[offset + _EVENT.size:offset + _EVENT.size + size].rstrip(b"\0")
                changed.add(os.path.join(self._watched.get(wd, ""), os.fsdecode(name)))
        if folders:
            self._watch()
        return changed

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def _watch(self) -> None:
        """Watch the folders, each tree and every folder inside it (adding a watch twice keeps one)."""
        inside = [inner for tree in self.trees for inner, _, _ in os.walk(tree)]  # not into links to folders
        for folder in [*map(str, self.folders), *inside]:
            if self.fd is None or self._libc is None:
                return
            wd = self._libc.inotify_add_watch(self.fd, os.fsencode(folder), _CHANGES | _CREATE | _ONLYDIR)
            if wd >= 0:
                self._watched[wd] = folder
            elif ctypes.get_errno() == errno.ENOSPC:
                self.close()  # out of watches: poll instead


def read_by_builds(project: Path) -> Callable[[str], bool]:
    """Whether a changed file (by its path) can change the site: a build skips dot files (a
    theme's static ones too) and reads only `.md` files under content/ (another one is named in a
    warning, which the next rebuild prints); not an editor's `.x.md.swp`, `x.md~`, `#x.md#`."""
    content = str(project / "content") + os.sep

    def relevant(path: str) -> bool:
        name = os.path.basename(path)
        return not name.startswith(".") and (not path.startswith(content) or name.lower().endswith(".md"))
    return relevant


def _offsets(data: bytes) -> list[int]:
    """Where each event starts in what was read (an event is its header and a padded name)."""
    offsets, offset = [], 0
    while offset + _EVENT.size <= len(data):
        offsets.append(offset)
        offset += _EVENT.size + _EVENT.unpack_from(data, offset)[3]
    return offsets


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if name is None:  # Windows
        return None
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        libc.inotify_init1.argtypes = [ctypes.c_int]
        libc.inotify_add_watch.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
    except (OSError, AttributeError):  # not Linux (macOS, BSD)
        return None
    return libc
