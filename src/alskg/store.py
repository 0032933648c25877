"""The on-disk store (pyoxigraph/Oxigraph): the only module that knows the engine.

A build bulk-loads the sorted N-Quads dump into a fresh store folder and swaps it in with a
rename, so readers never see a half-written store. Queries open it read-only; nothing is
re-parsed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyoxigraph as ox

from alskg.errors import InputError

STORE_DIRNAME = "store"


def write_store(nquads: Path, build_dir: Path) -> Path:
    """Load ``nquads`` into ``build_dir/store`` atomically; return the store folder."""
    final = build_dir / STORE_DIRNAME
    staging = build_dir / f".{STORE_DIRNAME}.tmp-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    store = ox.Store(str(staging))
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    retired = build_dir / f".{STORE_DIRNAME}.old-{os.getpid()}"
    if final.exists():
        final.rename(retired)
    staging.rename(final)
    shutil.rmtree(retired, ignore_errors=True)
    return final


def open_store(build_dir: Path) -> ox.Store:
    """Open the built store read-only; a missing one is an InputError that says what to run."""
    path = build_dir / STORE_DIRNAME
    if not path.is_dir():
        raise InputError("no built store here: run `alskg build` first", path)
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise InputError(f"cannot open the store: {exc}", path) from None


def load_files(paths: list[Path]) -> ox.Store:
    """An in-memory store holding RDF files (format from the extension), for validating files."""
    store = ox.Store()
    for path in paths:
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) if path.suffix else None
        if fmt is None:
            raise InputError("unknown RDF file extension (use .ttl, .nt, .nq, .trig, .jsonld, .rdf)", path)
        try:
            with path.open("rb") as handle:
                store.load(handle, format=fmt, base_iri=None)
        except FileNotFoundError:
            raise InputError("missing RDF file", path) from None
        except SyntaxError as exc:
            raise InputError(f"{fmt.name} syntax error: {exc.msg}", path, exc.lineno, exc.offset) from None
    return store
