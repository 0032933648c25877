"""SHA-256 of files, read in blocks: the one checksum function of the project (sources in the
release metadata, the download cache, submission provenance)."""

from __future__ import annotations

import hashlib
from pathlib import Path

BLOCK = 1 << 20  # 1 MiB: HPO files are tens of MB


def sha256_file(path: Path) -> str:
    """The SHA-256 hex digest of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(BLOCK):
            digest.update(block)
    return digest.hexdigest()
