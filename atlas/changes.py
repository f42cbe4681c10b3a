"""When `atlas serve` looks for changed files: at once when Linux says a file changed, else every poll.

The watcher (atlas/serve.py) compares snapshots of the files' times and sizes; this module only
decides when to take the next one. A poll every 0.3 s made an editor wait 0.15 s on average
before the rebuild even began, as long as the rebuild of the edited page itself; the kernel's
inotify (through ctypes: the standard library has no binding) wakes the watcher as a file is
written, renamed or deleted. Where inotify is missing (macOS, Windows, no watches left), the
watcher polls as before.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import select
import struct
import time
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
    or `timeout` passes."""

    def __init__(self, trees: list[Path], folders: list[Path]) -> None:
        self.trees, self.folders = trees, folders
        self.fd: int | None = None
        self._libc = _libc()
        if self._libc is not None:
            fd = self._libc.inotify_init1(_NONBLOCK | _CLOEXEC)
            self.fd = fd if fd >= 0 else None
        self._watch()

    def wait(self, timeout: float) -> bool:
        """True when woken by a change (the events are read, and new folders watched), False
        when `timeout` passed without one."""
        deadline = time.monotonic() + timeout
        while True:
            left = max(0.0, deadline - time.monotonic())
            if self.fd is None:
                time.sleep(left)
                return False
            if not select.select([self.fd], [], [], left)[0]:
                return False
            changed, folders = self._events()
            if folders:
                self._watch()
            if changed:
                return True

    def _events(self) -> tuple[bool, bool]:
        """Read the waiting events: (a file changed, a folder appeared)."""
        data = b""
        try:
            while chunk := os.read(self.fd, 65536):  # type: ignore[arg-type]
                data += chunk
        except BlockingIOError:
            pass  # all read
        changed = folders = False
        for offset in _offsets(data):
            mask = _EVENT.unpack_from(data, offset)[1]
            folders |= bool(mask & _IS_FOLDER and mask & (_CREATE | 0x80) or mask & _OVERFLOW)
            changed |= bool(mask & (_CHANGES | _OVERFLOW))
        return changed, folders

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
            if self._libc.inotify_add_watch(self.fd, os.fsencode(folder), _CHANGES | _CREATE | _ONLYDIR) < 0 and \
                    ctypes.get_errno() == errno.ENOSPC:
                self.close()  # out of watches: poll instead


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
