"""The build folder: whole builds in versioned folders, switched in by one ``rename(2)``.

::

    build/                      the folder users name (``--out``, ``--build-dir``)
      alskg.nq  -> current/alskg.nq       stable symlinks: the names users and tools know
      alskg.nt  -> current/alskg.nt       (only for the dumps the current build wrote:
      alskg.ttl -> current/alskg.ttl       ``alskg build --dumps nq,nt,ttl``)
      store     -> current/store
      current   -> versions/0007          THE pointer, replaced atomically
      versions/
        0006/  0007/            whole builds (alskg.nq [, alskg.nt, alskg.ttl], store/)
        .tmp-4242/              a build in progress (PID 4242), never read

A build writes everything into ``versions/.tmp-PID`` while holding an exclusive lock on
it, renames it to the next number, and points ``current`` at it by renaming a fresh symlink
over the old one: readers see the old build or the new one, never a mix. A version folder
is never modified after it is published, so a reader that resolved ``current`` once can use
it to the end. Readers hold a shared lock on the version they read; a build deletes every
version that is neither current nor locked, and every ``.tmp-PID`` folder whose owner has
died (its lock is gone), so killed builds leave no litter behind for long. See
docs/decisions/0009-atomic-build-folder.md.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from alskg.errors import InputError
from alskg.locks import hold, locked, same_folder, try_exclusive

VERSIONS = "versions"
CURRENT = "current"
#: The names users rely on, kept as symlinks through ``current``.
PUBLIC = ("alskg.nq", "alskg.nt", "alskg.ttl", "queries.ttl", "store")
_VERSION = re.compile(r"[0-9]{4,}", re.ASCII)
#: Litter of builds made before this layout (temporary dumps, staging or retired stores).
_LEGACY_LITTER = re.compile(r"\.(?:alskg\.(?:nq|nt|ttl)|store)\.(?:tmp|old)-([0-9]+)", re.ASCII)
_OPEN_ATTEMPTS = 20


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # somebody else's live process
        return True
    return True


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def current_version(out_dir: Path) -> str | None:
    """The name of the version ``current`` points at, or None before the first build."""
    try:
        return Path(os.readlink(out_dir / CURRENT)).name
    except (FileNotFoundError, OSError):
        return None


def sweep(out_dir: Path) -> list[str]:
    """Remove dead builds: unlocked non-current versions, ``.tmp-PID`` folders of dead
    builds, legacy litter of dead PIDs. Call it holding the lock on ``versions/``; returns
    the names removed."""
    removed: list[str] = []
    keep = current_version(out_dir)
    versions = out_dir / VERSIONS
    for entry in sorted(versions.iterdir()) if versions.is_dir() else []:
        if entry.name == keep:
            continue
        fd = try_exclusive(entry)
        if fd is None:
            if not entry.is_dir() or entry.is_symlink():
                _remove(entry)
                removed.append(entry.name)
            continue  # a live build or a reader holds it
        try:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
        finally:
            os.close(fd)
    for entry in sorted(out_dir.iterdir()) if out_dir.is_dir() else []:
        match = _LEGACY_LITTER.fullmatch(entry.name)
        if match and not _pid_alive(int(match.group(1))):
            _remove(entry)
            removed.append(entry.name)
    return removed


def _next_name(versions: Path) -> str:
    numbers = [int(p.name) for p in versions.iterdir() if _VERSION.fullmatch(p.name)]
    return f"{max(numbers, default=0) + 1:04d}"


def _replace_with_symlink(link: Path, target: str) -> None:
    """Make ``link`` a symlink to ``target`` in one rename; a legacy real folder is moved aside."""
    if link.is_symlink() and os.readlink(link) == target:
        return
    if link.is_dir() and not link.is_symlink():  # a store of the layout before versions/
        aside = link.with_name(f".{link.name}.old-{os.getpid()}")
        link.rename(aside)
        _replace_with_symlink(link, target)
        shutil.rmtree(aside, ignore_errors=True)
        return
    tmp = link.with_name(f".{link.name}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    os.replace(tmp, link)


class BuildFolder:
    """A build in progress, as a context manager: write into :attr:`path`; a block that ends
    without error publishes it, one that raises (or a killed process) leaves nothing of it."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.versions = out_dir / VERSIONS
        self.path = self.versions / f".tmp-{os.getpid()}"
        self.version = ""
        self._fd: int | None = None

    def __enter__(self) -> BuildFolder:
        self.versions.mkdir(parents=True, exist_ok=True)
        with locked(self.versions):
            sweep(self.out_dir)
        shutil.rmtree(self.path, ignore_errors=True)  # a dead process of our PID left it
        self.path.mkdir()
        self._fd = hold(self.path)
        return self

    def publish(self) -> Path:
        """Rename the finished build to the next version and point ``current`` at it."""
        with locked(self.versions):
            self.version = _next_name(self.versions)
            final = self.versions / self.version
            self.path.rename(final)
            self.path = final
            _replace_with_symlink(self.out_dir / CURRENT, f"{VERSIONS}/{self.version}")
            for name in PUBLIC:
                if (final / name).exists():
                    _replace_with_symlink(self.out_dir / name, f"{CURRENT}/{name}")
                elif (self.out_dir / name).is_symlink():  # a dump this build was not asked for
                    (self.out_dir / name).unlink()
            self._release()
            sweep(self.out_dir)
        return final

    def _release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if kind is None:
                self.publish()
        finally:
            if not self.version:
                shutil.rmtree(self.path, ignore_errors=True)
            self._release()


def resolve(build_dir: Path) -> Path:
    """The folder holding the dumps and the store: ``current``'s target, or ``build_dir``
    itself (a build of the layout before versions/, or a version folder named directly)."""
    try:
        return build_dir / os.readlink(build_dir / CURRENT)
    except (FileNotFoundError, NotADirectoryError, OSError):
        return build_dir


@dataclass
class OpenVersion:
    """A version folder held open for reading: a build will not remove it until :meth:`close`."""

    folder: Path
    fd: int

    def close(self) -> None:
        os.close(self.fd)


def open_version(build_dir: Path) -> OpenVersion:
    """Resolve ``current`` once and hold a shared lock on that version folder. Retries when
    a build removes the version between the two steps."""
    for _ in range(_OPEN_ATTEMPTS):
        folder = resolve(build_dir)
        if not folder.is_dir():
            if folder == build_dir:
                raise InputError("no built graph here: run `alskg build` first", build_dir)
            continue  # current moved on and the old version is gone: resolve again
        try:
            fd = hold(folder, shared=True)
        except FileNotFoundError:
            continue
        if same_folder(fd, folder):
            return OpenVersion(folder, fd)
        os.close(fd)
    raise InputError("the build kept changing while it was being opened: run again", build_dir)


@contextmanager
def reading(build_dir: Path) -> Iterator[Path]:
    """Yield the current version folder of ``build_dir``, held against removal in the block."""
    version = open_version(build_dir)
    try:
        yield version.folder
    finally:
        version.close()
