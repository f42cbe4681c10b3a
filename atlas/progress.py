"""What a long build shows on a terminal: its phases, and a bar while the pages are rendered.

`build()` reports through a plain callback, `Progress(phase, done, total)`: `total` is 0 for a
phase that only starts, else `done` of `total` pages are rendered. The build itself never
prints; the command line draws the reports, and only on a terminal (a CI log or a test gets
nothing, so their output stays as it was).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

Progress = Callable[[str, int, int], None]
BAR_WIDTH = 30
REDRAW_SECONDS = 0.1  # a terminal redrawn for every chunk of pages would flicker and cost time


def silent(phase: str, done: int, total: int) -> None:
    """The default: report nothing."""


def bar(phase: str, done: int, total: int) -> str:
    """'render and write [#########·····] 60 % (4,200/7,000 pages)', or the phase alone."""
    if total <= 0:
        return f"{phase} …"
    filled = BAR_WIDTH * done // total
    return (f"{phase} [{'#' * filled}{'·' * (BAR_WIDTH - filled)}] {100 * done // total:3d} % "
            f"({done:,}/{total:,} pages)")


class TerminalProgress:
    """Draws the reports on one line of a terminal, rewritten in place; `close()` clears it."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.drawn = 0.0  # when the line was last drawn (time.monotonic)
        self.phase = ""

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase == self.phase and 0 < done < total and now - self.drawn < REDRAW_SECONDS:
            return
        self.phase, self.drawn = phase, now
        self.stream.write("\r\x1b[K" + bar(phase, done, total))
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\r\x1b[K")
        self.stream.flush()
