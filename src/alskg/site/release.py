"""Download links for a release folder written by ``alskg release``: its ``SHA256SUMS`` file.

``--release-dir DIR`` may be the release folder itself (``DIR/SHA256SUMS``) or the folder
holding versioned releases (``DIR/alskg-V/SHA256SUMS``; the last version by name is used).
Each line is ``<64 hex digits>  <relative file name>`` (``*`` before the name is allowed, as
``sha256sum -b`` writes); anything else is an error naming the file and line.
"""

from __future__ import annotations

import string
from pathlib import Path, PurePosixPath

from alskg.errors import InputError, os_reason


def find_sums(release_dir: Path) -> Path:
    if (release_dir / "SHA256SUMS").is_file():
        return release_dir / "SHA256SUMS"
    found = sorted(release_dir.glob("*/SHA256SUMS"))
    if not found:
        raise InputError("no SHA256SUMS in the release folder (nor in a folder inside it)", release_dir)
    return found[-1]


def parse_sums(text: str, path: Path) -> list[tuple[str, str]]:
    """(digest, name) per line of a SHA256SUMS file, sorted by name."""
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        digest, _, name = line.partition(" ")
        name = name.lstrip(" ").removeprefix("*")
        pure = PurePosixPath(name)
        if (len(digest) != 64 or any(c not in string.hexdigits for c in digest) or not name
                or pure.is_absolute() or ".." in pure.parts):
            raise InputError("not a SHA256SUMS line (want: 64 hex digits, two spaces, a relative file name)",
                             path, line=number, value=line[:80])
        entries.append((digest.lower(), name))
    return sorted(entries, key=lambda e: e[1])


def checksums(release_dir: Path) -> tuple[Path, list[tuple[str, str]]]:
    """The release folder and its files' checksums."""
    path = find_sums(release_dir)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = os_reason(exc) if isinstance(exc, OSError) else "not UTF-8 text"
        raise InputError(f"cannot read the checksums ({reason})", path) from None
    return path.parent, parse_sums(text, path)
