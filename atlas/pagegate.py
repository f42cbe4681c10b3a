"""When `atlas serve` answers a page request: not while a saved change waits to be built.

`hugo server` holds a request that arrives during a rebuild until the rebuild is done, so a
reload right after a save shows the new page, never the old one. The dev server does the same
for its pages: a request waits while a change is pending (the kernel has told of a save the
watcher has not picked up yet) or being built, until its own page is written anew or step 1
ends (an actor's or template's edit changes lists, not an offer's own page). A failed
build opens the gate too, and no request waits longer than HOLD_SECONDS. While a request waits,
the watcher reads the events that come amid the build as it writes pages (`settle`): an editor's
backup file or a save the build already reads is no save to wait for. While the watcher makes
the search data and downloads (step 2, seconds), a request is held only while a save waits:
step 2 gives way to it (between pages too), its pages are written, the request goes.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager

HOLD_SECONDS = 3.0  # a page is never held longer, whatever the watcher does
HAND_OVER_SECONDS = 0.002  # the watcher pauses this long after a page that requests wait for


class PageGate:
    """Shared by the watcher (close, written, open) and the request handlers (wait)."""

    def __init__(self) -> None:
        self.pending: Callable[[], bool] = lambda: False  # a change waits to be picked up (atlas/changes.py)
        self.settle: Callable[[], None] = lambda: None  # the watcher reads what waits, forgets what it builds
        self._state = threading.Condition()
        self._busy = False
        self._away = False  # the watcher builds step 2 and picks up no save meanwhile
        self._fresh: set[str] = set()  # pages written since the gate closed (they show the change)
        self._waiting: Counter[str] = Counter()  # the files requests are held for now

    def close(self, anew: bool = False) -> None:
        """A change is being built; `anew`: one the pages written so far do not show."""
        with self._state:
            self._busy = True
            if anew:
                self._fresh = set()

    def written(self, file: str) -> None:
        """The page in `file` (e.g. 'angebote/x/index.html') shows the change: let its requests through."""
        with self._state:
            if not self._busy or file in self._fresh:  # step 2's files show no save to come
                return
            self._fresh.add(file)
            self._settled()
            waiting = self._waiting[file]  # not for every page step 1 writes while a list is waited for
        if waiting:  # let them go out before rendering on: a thread that needs the GIL back after each
            time.sleep(HAND_OVER_SECONDS)  # read and send waits up to 5 ms (sys.getswitchinterval) each time

    def settled(self) -> None:
        """From the watcher amid a build: the events that came meanwhile hold no request when they
        are no save to wait for (an editor's backup file, the same save's close or chmod), for
        the requests held now and those still to come."""
        with self._state:
            self._settled()
            ready = not self._waiting.keys().isdisjoint(self._fresh) and not self.pending()
        if ready:  # as in `written`
            time.sleep(HAND_OVER_SECONDS)

    def _settled(self) -> None:
        self.settle()
        self._state.notify_all()

    def wanted(self) -> set[str]:
        """The pages requests are held for now."""
        with self._state:
            return set(self._waiting)

    def open(self) -> None:
        with self._state:
            self._busy, self._fresh = False, set()  # a page written now shows no later change
            self._state.notify_all()

    @contextmanager
    def away(self) -> Iterator[None]:
        """While the watcher does something long that is not the build of a save."""
        with self._state:
            self._away = True
        try:
            yield
        finally:
            with self._state:
                self._away = False
                self._state.notify_all()

    def wait(self, file: str, timeout: float = HOLD_SECONDS) -> bool:
        """Until the page in `file` may be sent; False when `timeout` passed first."""
        with self._state:
            self._waiting[file] += 1
            try:  # a page written for one save does not show the next: not while one is pending
                return self._state.wait_for(lambda: not self.pending() and (
                    self._away or file in self._fresh or not self._busy), timeout)
            finally:
                self._waiting -= Counter({file: 1})  # and forgotten at 0
