"""Memory of long jobs: handing freed memory back, pausing the cycle collector, and not
freeing at exit what the process is about to lose anyway.

Oxigraph's in-memory store is many small allocations from the C library's heap. Once the store
is dropped they are free but stay in the process (glibc keeps them on its free lists), and
Python's small objects (the lines of the next stage) come from separate arenas, so they cannot
reuse them: the release's KGX stage started 1.5 GB above what it used. ``malloc_trim`` returns
them. On a C library without it (not glibc) nothing happens.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, NoReturn


@lru_cache(maxsize=1)
def _libc() -> Any:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") else None


def give_back() -> bool:
    """Collect garbage, then return the heap's free memory to the system; False where the C
    library cannot (the memory is then reused by later C allocations only)."""
    gc.collect()
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True


@contextmanager
def collector_paused(freeze: bool = False) -> Iterator[None]:
    """Pause Python's cycle collector while a job builds millions of small containers (rows,
    cells, index dicts) that hold no reference cycles: each automatic collection would walk them
    all again, a third of the time of the release's KGX pass. Reference counting still frees
    everything as usual, and :func:`give_back` still collects. With ``freeze`` the objects alive
    at the end are moved out of the collector's sight (:func:`gc.freeze`) for the rest of the
    job; ``gc.unfreeze()`` hands them back."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


#: objects a command-line run keeps to the end instead of freeing (see :func:`keep_until_exit`)
_KEPT: list[object] = []
_EXIT_WITHOUT_FREEING = [False]


def exit_without_freeing() -> None:
    """Let :func:`keep_until_exit` keep objects: called by the command line only, whose process
    ends with :func:`leave` when something was kept. Library callers never call it, so they free
    everything as usual."""
    _EXIT_WITHOUT_FREEING[0] = True


def keep_until_exit(obj: object) -> None:
    """Keep ``obj`` (an in-memory store of millions of triples) until a command-line process
    ends, where freeing it would take seconds (Oxigraph drops every index entry one by one) for
    memory the process gives back at once on exit. Outside the command line this does nothing."""
    if _EXIT_WITHOUT_FREEING[0]:
        _KEPT.append(obj)


def kept() -> bool:
    """Whether anything is kept for the end of the process (:func:`keep_until_exit`)."""
    return bool(_KEPT)


def leave(code: int) -> NoReturn:
    """End the process with ``code`` without the interpreter's teardown, which would free the
    kept objects one by one: the standard streams are flushed first (a stream that cannot be
    flushed turns a success into Python's own exit status for that case, 120)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            code = code or 120
    os._exit(code)
