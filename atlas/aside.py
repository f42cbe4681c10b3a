"""One step of the build in a process of its own while this one does another.

The downloads (open data, feeds, calendar files) need one core for a while and nothing the search
data needs, nor the other way round: made beside it, they fill the core that the search data leaves
idle. The child is forked, so it starts with the model as it is; only its (small) result comes back
through a pipe. A child that fails is not trusted to explain itself: its work runs again here, so the
real error, with its traceback, surfaces in this process (as atlas.parallel does).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from atlas.parallel import ended, forked, received

R = TypeVar("R")


@contextmanager
def aside(work: Callable[[], R], *, fork: bool = True) -> Iterator[Callable[[], R]]:
    """Start `work` in a forked child; the function yielded waits for its result. Without `fork` (or
    where there is none) `work` runs when its result is asked for. A child whose result is never asked
    for (this process failed meanwhile) is stopped when the block ends."""
    if not fork or not hasattr(os, "fork"):
        yield work
        return
    pid, read = forked(lambda _: work(), None)  # atlas.parallel's children: the same fork, pipe and pickle
    children = {pid: read}

    def result() -> R:
        children.pop(pid)
        with os.fdopen(read, "rb") as stream:
            value = received(stream)
        _, status = os.waitpid(pid, 0)
        return value if status == 0 and value is not None else work()  # type: ignore[no-any-return]

    try:
        yield result
    finally:
        ended(children)  # not asked for (this process failed meanwhile): stopped and reaped
