"""MONDO's SSSOM mapping sets as a pinned input: where they are, which release, are they intact.

The six mapping sets of MONDO release 2026-08-04 (CC0 1.0) ship unedited, gzipped, in
``data/mondo/`` beside ``manifest.json`` (release, licence, source URL and the SHA-256 of each
file, gzipped and uncompressed). ``--mondo-dir DIR`` points a build at another folder holding
the same six files, plain (``.sssom.tsv``) or gzipped (``.sssom.tsv.gz``); ``--mondo-release
URL`` downloads them (:func:`alskg.download.fetch_mondo_release`). Whatever the folder, the
build records each file's release (its ``mapping_set_version`` header), licence and the
SHA-256 of its uncompressed content; a folder with a manifest must match it byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from alskg.errors import InputError
from alskg.packaged import packaged_dir
from alskg.sources.sssom import open_text, read_header

#: The mapping sets alskg reads: five exact-match sets and GARD's database cross-references.
MONDO_FILES = (
    "mondo_exactmatch_mesh.sssom.tsv",
    "mondo_exactmatch_omim.sssom.tsv",
    "mondo_exactmatch_omimps.sssom.tsv",
    "mondo_exactmatch_orphanet.sssom.tsv",
    "mondo_exactmatch_umls.sssom.tsv",
    "mondo_hasdbxref_gard.sssom.tsv",
)
MANIFEST = "manifest.json"
_RELEASE = re.compile(r"/releases/(\d{4}-\d{2}-\d{2})/")


@dataclass(frozen=True)
class MondoFile:
    """One mapping set as read: its name, path, release, licence and content checksum."""

    name: str
    path: Path
    version: str
    license: str
    source: str
    sha256: str


def packaged_mondo_dir() -> Path:
    """``data/mondo``: the pinned release shipped with alskg."""
    return packaged_dir("data") / "mondo"


def mondo_path(folder: Path, name: str) -> Path:
    """The file ``name`` in ``folder``, plain or gzipped; InputError when it has neither."""
    for candidate in (folder / name, folder / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    raise InputError(f"MONDO folder lacks {name} (or {name}.gz)", folder / name)


def content_sha256(path: Path) -> str:
    """SHA-256 of a file's uncompressed content (the same for ``x.tsv`` and ``x.tsv.gz``)."""
    digest = hashlib.sha256()
    with open_text(path) as handle:
        raw = handle.buffer
        while block := raw.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(folder: Path) -> dict[str, object] | None:
    """``folder/manifest.json`` as a dict, or None when the folder has none."""
    path = folder / MANIFEST
    if not path.is_file():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"MONDO manifest is not valid JSON ({exc})", path) from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise InputError("MONDO manifest needs a 'files' object", path)
    return manifest


def release_of(version_url: str) -> str:
    """The release date in a ``mapping_set_version`` URL (``…/releases/2026-08-04/…``), else the text."""
    match = _RELEASE.search(version_url)
    return match.group(1) if match else version_url


def describe(folder: Path) -> list[MondoFile]:
    """Every mapping set of ``folder`` with release, licence and checksum, checked against the
    folder's manifest when it has one. Raises InputError on a missing or altered file."""
    manifest = read_manifest(folder)
    files = manifest["files"] if manifest else {}
    out = []
    for name in MONDO_FILES:
        path = mondo_path(folder, name)
        header = read_header(path)
        digest = content_sha256(path)
        expected = files.get(name, {}).get("sha256") if isinstance(files, dict) else None  # type: ignore[union-attr]
        if manifest is not None and digest != expected:
            raise InputError(f"{name} differs from the manifest (sha256 {digest}, expected {expected}): "
                             "the pinned MONDO files must not be edited", path)
        if not header.version:
            raise InputError("SSSOM header lacks mapping_set_version", path, 1)
        out.append(MondoFile(name, path, release_of(header.version), header.license, header.version, digest))
    releases = sorted({f.version for f in out})
    if len(releases) > 1:
        raise InputError(f"MONDO mapping sets of different releases ({', '.join(releases)}): use one release",
                         folder)
    return out
