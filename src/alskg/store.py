"""The on-disk store (pyoxigraph/Oxigraph): the only module that knows the engine.

A build bulk-loads the merged view into a fresh store folder while it writes the dumps, and
swaps it in with a rename, so readers never see a half-written store. Queries open it
read-only; nothing is re-parsed.
"""

from __future__ import annotations

import io
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path
from types import TracebackType
from typing import TextIO

import pyoxigraph as ox

from alskg.errors import InputError

STORE_DIRNAME = "store"


class StoreLoader:
    """Loads the merged N-Triples into a new store *while they are being written*, then swaps it in.

    A child process (``python -m alskg.store DIR``) runs Oxigraph's bulk loader on its
    standard input; the build writes each merged line to :attr:`stream` as it writes the
    dump, so generating (in Python) and loading (in Rust) run on two cores at once. Our own
    output is valid N-Triples (every IRI and literal is checked when minted), so the loader
    runs in lenient mode. On any error the staging store is removed and the previous store
    stays. The store holds the merged view in its default graph; the named graphs are in
    ``alskg.nq`` (see docs/decisions/0007-store-holds-the-merged-view.md).
    """

    def __init__(self, build_dir: Path, named: dict[str, Path] | None = None) -> None:
        self.build_dir = build_dir
        self.named = named or {}
        self.staging = build_dir / f".{STORE_DIRNAME}.tmp-{os.getpid()}"
        self.stream: TextIO
        self.peak_rss_kib = 0

    def __enter__(self) -> StoreLoader:
        shutil.rmtree(self.staging, ignore_errors=True)
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "alskg.store", str(self.staging),
             *(str(part) for graph, path in sorted(self.named.items()) for part in (graph, path))],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        assert self._proc.stdin is not None
        self.stream = io.TextIOWrapper(self._proc.stdin, encoding="utf-8", newline="\n",
                                       write_through=False)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            self.stream.close()
        except BrokenPipeError:
            pass
        if kind is not None:
            self._proc.kill()
        stderr = self._proc.stderr.read().decode("utf-8", "replace") if self._proc.stderr else ""
        self._proc.wait()
        self.peak_rss_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if kind is None and self._proc.returncode == 0:
            _swap(self.staging, self.build_dir / STORE_DIRNAME)
            return
        shutil.rmtree(self.staging, ignore_errors=True)
        if kind is None:
            last = stderr.strip().splitlines()[-1] if stderr.strip() else f"exit {self._proc.returncode}"
            raise InputError(f"the store loader failed: {last}", self.staging)


def _load_stdin(directory: str, named: list[str]) -> None:
    """Child-process side of :class:`StoreLoader`: bulk-load N-Triples from stdin into the default
    graph of ``directory``, then each Turtle file of ``named`` (pairs: graph IRI, path) into its graph."""
    store = ox.Store(directory)
    store.bulk_load(input=sys.stdin.buffer, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    for graph, path in zip(named[::2], named[1::2], strict=True):
        store.bulk_load(path=path, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph))
    store.flush()


def _swap(staging: Path, final: Path) -> None:
    retired = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        final.rename(retired)
    staging.rename(final)
    shutil.rmtree(retired, ignore_errors=True)


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
    """An in-memory store holding RDF files (format from the extension) merged into its
    default graph, for validating files: quads of named graphs are merged, as in the dumps."""
    store = ox.Store()
    for path in paths:
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) if path.suffix else None
        if fmt is None:
            raise InputError("unknown RDF file extension (use .ttl, .nt, .nq, .trig, .jsonld, .rdf)", path)
        try:
            with path.open("rb") as handle:
                store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in ox.parse(handle, format=fmt))
        except FileNotFoundError:
            raise InputError("missing RDF file", path) from None
        except SyntaxError as exc:
            raise InputError(f"{fmt.name} syntax error: {exc.msg}", path, exc.lineno, exc.offset) from None
    return store


if __name__ == "__main__":
    _load_stdin(sys.argv[1], sys.argv[2:])
