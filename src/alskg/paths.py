"""Checks on output paths a user gives, made before any work so a bad one fails in a second.

The write itself still reports any OSError as one line (the CLI maps every OSError); these
checks only turn the common mistakes into a clearer line, early: ``--out`` naming a file, or
a folder to be created under a file (``/dev/null/x``).
"""

from __future__ import annotations

from pathlib import Path

from alskg.errors import UsageError


def _existing_ancestor(path: Path) -> Path:
    """The nearest of ``path``'s ancestors that exists (the filesystem root at worst)."""
    for parent in path.absolute().parents:
        if parent.exists():
            return parent
    return Path(path.anchor or "/")


def check_output_folder(path: Path, option: str) -> None:
    """``path`` is a folder, or one that can be created: no file in the way."""
    if path.exists():
        if not path.is_dir():
            raise UsageError(f"{option} must be a folder, and this is a file", path)
        return
    _check_ancestor(path, option)


def check_output_file(path: Path, option: str) -> None:
    """``path`` is not a folder, and the folders to create for it have no file in the way."""
    if path.is_dir():
        raise UsageError(f"{option} must be a file, and this is a folder", path)
    if not path.exists():
        _check_ancestor(path, option)


def _check_ancestor(path: Path, option: str) -> None:
    ancestor = _existing_ancestor(path)
    if not ancestor.is_dir():
        raise UsageError(f"{option} cannot be created: {ancestor} is a file, not a folder", path)
