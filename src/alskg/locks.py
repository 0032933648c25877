"""Advisory folder locks (``flock(2)`` on a folder's own file descriptor).

Locking the folder itself, not a lock file beside it, leaves no litter and follows the folder
through renames (the lock belongs to the inode). The kernel drops a lock when its holder
dies, even by ``kill -9``, so "can I take it exclusively?" is also the test of whether a
build folder's owner is still alive, immune to PID reuse. POSIX only, like the rest of the
atomic layout (symlinks, ``rename(2)``).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _open(folder: Path) -> int:
    return os.open(folder, os.O_RDONLY | os.O_DIRECTORY)


@contextmanager
def locked(folder: Path, *, shared: bool = False) -> Iterator[None]:
    """Hold an exclusive (or shared) lock on ``folder`` for the ``with`` block; waits for it."""
    fd = _open(folder)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def hold(folder: Path, *, shared: bool = False) -> int:
    """Take a lock on ``folder`` and return its descriptor; it is held until ``os.close``."""
    fd = _open(folder)
    locked = False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        locked = True
    finally:
        if not locked:  # interrupted or failed: do not leak the descriptor
            os.close(fd)
    return fd


def try_exclusive(folder: Path) -> int | None:
    """An exclusive lock on ``folder`` if nobody holds any lock on it, else None (no waiting)."""
    try:
        fd = _open(folder)
    except (FileNotFoundError, NotADirectoryError):
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def same_folder(fd: int, folder: Path) -> bool:
    """True when ``folder`` still names the folder open as ``fd`` (not removed or replaced)."""
    try:
        now, held = os.stat(folder), os.fstat(fd)
    except FileNotFoundError:
        return False
    return (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino) and held.st_nlink > 0
