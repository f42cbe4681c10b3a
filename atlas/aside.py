"""One step of the build in a process of its own while this one does another.

The downloads (open data, feeds, calendar files) need one core for a while and nothing the search
data needs, nor the other way round: made beside it, they fill the core that the search data leaves
idle. The child is forked, so it starts with the model as it is; only its (small) result comes back
through a pipe. A child that fails is not trusted to explain itself: its work runs again here, so the
real error, with its traceback, surfaces in this process (as atlas.parallel does).
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import TypeVar

R = TypeVar("R")


@contextmanager
def aside(work: Callable[[], R], *, fork: bool = True) -> Iterator[Callable[[], R]]:
    """Start `work` in a forked child; the function yielded waits for its result. Without `fork` (or
    where there is none) `work` runs when its result is asked for. A child whose result is never asked
    for (this process failed meanwhile) is stopped when the block ends."""
    if not fork or not hasattr(os, "fork"):
        yield work
        return
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: do the work, send it, leave without running the parent's cleanup
        os.close(read)
        status = 1
        try:
            with os.fdopen(write, "wb") as stream:
                pickle.dump(work(), stream, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        except BaseException:  # noqa: BLE001, S110 (the parent runs the work again and reports properly)
            pass
        finally:
            os._exit(status)
    os.close(write)
    waited = False

    def result() -> R:
        nonlocal waited
        with os.fdopen(read, "rb") as stream:
            try:
                value, whole = pickle.load(stream), True
            except Exception:  # noqa: BLE001 (a child that failed)
                value, whole = None, False
        _, status = os.waitpid(pid, 0)
        waited = True
        return value if whole and status == 0 else work()  # type: ignore[return-value]

    try:
        yield result
    finally:
        if not waited:
            with suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            with suppress(OSError):
                os.close(read)
