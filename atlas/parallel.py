"""Spread a pure, CPU-bound step over the machine's cores.

Children are forked, so they inherit the model and the compiled templates as they are:
nothing is pickled on the way in, only the results come back through a pipe. A child that
fails is not trusted to explain itself; its share is run again here, so the real error,
with its traceback, surfaces in the parent.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 1000  # below this, starting processes costs more than it saves


def map_slices(work: Callable[[Sequence[T]], list[R]], items: Sequence[T], workers: int | None = None, *,
               least: int = MIN_ITEMS // 2) -> list[R]:
    """`work` over `items`, split into one slice per core (of at least `least` items: a few large items,
    such as languages, may each be worth a process); results in the order of the slices."""
    workers = slice_count(len(items), workers, least)
    if workers < 2:
        return work(items)
    size = -(-len(items) // workers)
    # contiguous slices: pages that share cached pieces (lists of offers) stay in one process
    slices = [items[i:i + size] for i in range(0, len(items), size)]
    children = [_fork(work, part) for part in slices[1:]]
    results = [work(slices[0])]
    for (pid, pipe), part in zip(children, slices[1:], strict=True):
        with os.fdopen(pipe, "rb") as stream:
            result = _received(stream)
        _, status = os.waitpid(pid, 0)
        results.append(result if status == 0 and result is not None else work(part))
    return [result for chunk in results for result in chunk]


def _received(stream: BinaryIO) -> list[Any] | None:
    """A child's results, unpickled as they arrive (never the whole pickle and its objects at once: at
    50,000 records the pickle alone is 100 MB); None when the child sent nothing whole."""
    try:
        return pickle.load(stream)  # type: ignore[no-any-return]
    except Exception:  # noqa: BLE001 (a child that failed; the parent runs its share again)
        return None


def slice_count(items: int, workers: int | None = None, least: int = MIN_ITEMS // 2) -> int:
    """Into how many slices `map_slices` cuts that many items: one per core, none below `least` items."""
    if not hasattr(os, "fork"):
        return 1
    return min(workers or os.cpu_count() or 1, max(1, items // least))


def _fork(work: Callable[[Sequence[T]], list[R]], part: Sequence[T]) -> tuple[int, int]:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: do the work, send it, leave without running the parent's cleanup
        os.close(read)
        status = 1
        try:
            with os.fdopen(write, "wb") as stream:  # pickled in frames straight into the pipe, not into bytes
                pickle.dump(work(part), stream, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        except BaseException:  # noqa: BLE001, S110 (the parent re-runs this share and reports properly)
            pass
        finally:
            os._exit(status)
    os.close(write)
    return pid, read
