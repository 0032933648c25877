"""Handing freed memory back to the operating system between the stages of a long job.

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
from functools import lru_cache
from typing import Any


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
