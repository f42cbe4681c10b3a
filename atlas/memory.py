"""Hand memory that a phase of the build has freed back to the system.

glibc keeps the blocks that large objects (the exports' bytes, the lists and tables of a phase)
leave behind, to reuse them for later large objects; Python's small objects, most of what the next
phase makes, live in arenas of their own and never reuse them. At 50,000 offers the freed blocks
held ~230 MB after the exports, on top of everything the later phases hold, and forked workers
start with them mapped. `malloc_trim` returns the free pages; elsewhere (macOS, musl) this does
nothing.
"""

from __future__ import annotations

import ctypes


def give_back() -> None:
    """Return the pages of freed memory to the system, where the C library can (glibc)."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):  # no such function, or no C library to ask
        return
    trim(0)
