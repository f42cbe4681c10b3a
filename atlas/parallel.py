"""Spread a pure, CPU-bound step over the machine's cores.

Children are forked, so they inherit the model and the compiled templates as they are:
nothing is pickled on the way in, only the results come back through a pipe. A child that
fails is not trusted to explain itself; its share is run again here, so the real error,
with its traceback, surfaces in the parent.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, BinaryIO, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 1000  # below this, starting processes costs more than it saves


def map_slices(work: Callable[[Sequence[T]], list[R]], items: Sequence[T], workers: int | None = None, *,
               least: int | None = None) -> list[R]:
    """`work` over `items`, split into one slice per core (of at least `least` items: a few large items,
    such as languages, may each be worth a process); results in the order of the slices."""
    workers = slice_count(len(items), workers, least)
    if workers < 2:
        return work(items)
    size = -(-len(items) // workers)
    slices = [items[i:i + size] for i in range(0, len(items), size)]
    children = dict(forked(work, part) for part in slices[1:])  # pid -> pipe, in the slices' order
    try:
        results = [work(slices[0])]
        for (pid, pipe), part in zip(list(children.items()), slices[1:], strict=True):
            del children[pid]
            with os.fdopen(pipe, "rb") as stream:
                result = received(stream)
            _, status = os.waitpid(pid, 0)
            results.append(result if status == 0 and result is not None else work(part))
    finally:
        ended(children)  # those not collected (this process's own share failed): no zombie, no open pipe
    return [result for chunk in results for result in chunk]


def ended(children: dict[int, int]) -> None:
    """Children (pid -> the read end of their pipe) whose results are not wanted: ended and reaped."""
    while children:
        pid, pipe = children.popitem()
        os.close(pipe)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def received(stream: BinaryIO) -> Any:
    """A child's results, unpickled as they arrive (never the whole pickle and its objects at once: at
    50,000 records the pickle alone is 100 MB); None when the child sent nothing whole."""
    try:
        return pickle.load(stream)  # type: ignore[no-any-return]
    except Exception:  # noqa: BLE001 (a child that failed; the parent runs its share again)
        return None


def slice_count(items: int, workers: int | None = None, least: int | None = None) -> int:
    """Into how many slices `map_slices` cuts that many items: one per core, none below `least` items (half of
    MIN_ITEMS unless told, read now: a test may lower it)."""
    if not hasattr(os, "fork"):
        return 1
    return min(workers or os.cpu_count() or 1, max(1, items // (least or MIN_ITEMS // 2)))


def forked(work: Callable[[T], R], part: T) -> tuple[int, int]:
    """A child doing `work(part)` and sending its result: (its pid, the read end of its pipe)."""
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


# -- a queue: items of uneven or few sizes, taken by whichever core is free --------------------------------

NUMBER = 4  # bytes of an item's number in the queue's pipe; a read of a pipe takes them whole
QUEUED = 4096  # bytes written before any reader: well within what a pipe holds (Linux 64 KB, macOS 16 KB)
QUEUE_LENGTH = QUEUED // NUMBER  # the most items a queue takes


class Started(Generic[T, R]):
    """`work` on each item, begun on the other cores (`started`); `results` finishes it here."""

    def __init__(self, work: Callable[[T], R], items: Sequence[T], queue: int, children: dict[int, int],
                 finished: Callable[[], object] | None = None) -> None:
        self.work, self.items = work, items
        self.queue = queue  # the read end of a pipe holding the numbers of the items no process has taken yet
        self.children = children  # pid -> the read end of the pipe its results come through, until collected
        self.finished = finished  # called here once every item is done (what `work` kept for the next, let go)

    def results(self) -> list[R]:
        """This process takes the items still queued, then collects the children's; an item a child
        took but did not send back (it failed) is done again here. Results in the items' order."""
        done = dict(_taken(self.queue, self.work, self.items))
        while self.children:
            pid, pipe = self.children.popitem()
            with os.fdopen(pipe, "rb") as stream:
                sent = received(stream)
            _, status = os.waitpid(pid, 0)
            if status == 0 and sent is not None:
                done.update(sent)
        results = [done[n] if n in done else self.work(item) for n, item in enumerate(self.items)]
        if self.finished is not None:
            self.finished()
        return results

    def stop(self) -> None:
        """The children whose results were not collected (the caller failed before): ended and reaped."""
        ended(self.children)
        os.close(self.queue)


@contextmanager
def started(work: Callable[[T], R], items: Sequence[T], workers: int | None = None, *,
            finished: Callable[[], object] | None = None) -> Iterator[Started[T, R]]:
    """`work` on each of `items` (the search data's languages, chunks of pages): begun now by
    a forked child per other core, each taking the next item as it finishes one, while this process
    does something else; it joins in when it calls `results` (within the block: leaving it ends the
    children whose results were not collected). Items are taken in their order: put the longest first.
    Unlike map_slices' fixed shares, 7 items on 2 cores end about together when one core came late.
    `finished` is called in this process when `results` has every item."""
    if len(items) > QUEUE_LENGTH:
        raise ValueError(f"{len(items)} items: a queue holds at most {QUEUE_LENGTH} (map_slices takes any number)")
    read, write = os.pipe()
    with os.fdopen(write, "wb") as queue:  # all at once, before any child reads
        queue.write(b"".join(n.to_bytes(NUMBER, "little") for n in range(len(items))))
    count = slice_count(len(items), workers, 1) - 1
    job = Started(work, items, read, dict(_fork_taker(work, items, read) for _ in range(count)), finished)
    try:
        yield job
    finally:
        job.stop()


def _taken(queue: int, work: Callable[[T], R], items: Sequence[T]) -> Iterator[tuple[int, R]]:
    while number := os.read(queue, NUMBER):
        n = int.from_bytes(number, "little")
        yield n, work(items[n])


def _fork_taker(work: Callable[[T], R], items: Sequence[T], queue: int) -> tuple[int, int]:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: take items until the queue is empty, send what they made, leave
        os.close(read)
        status = 1
        try:
            with os.fdopen(write, "wb") as stream:
                pickle.dump(list(_taken(queue, work, items)), stream, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        except BaseException:  # noqa: BLE001, S110 (the parent does its items again and reports properly)
            pass
        finally:
            os._exit(status)
    os.close(write)
    return pid, read
