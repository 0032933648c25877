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
from alskg.rdf_guard import parser_limits, refuse_xml_entities

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

    def __init__(self, build_dir: Path) -> None:
        self.build_dir = build_dir
        self.staging = build_dir / f".{STORE_DIRNAME}.tmp-{os.getpid()}"
        self.stream: TextIO
        self.peak_rss_kib = 0

    def __enter__(self) -> StoreLoader:
        shutil.rmtree(self.staging, ignore_errors=True)
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "alskg.store", str(self.staging)],
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
        # A loader that died closes the pipe: the build then meets a BrokenPipeError, which
        # click would turn into a silent exit 1. Say why the loader stopped instead.
        if kind is None or issubclass(kind, BrokenPipeError):
            last = stderr.strip().splitlines()[-1] if stderr.strip() else f"exit {self._proc.returncode}"
            raise InputError(f"the store loader failed: {last}", self.staging) from None


def _load_stdin(directory: str) -> None:
    """Child-process side of :class:`StoreLoader`: bulk-load N-Triples from stdin into ``directory``.

    A term over the parser's cap is reported as one line on stderr, which the parent shows."""
    store = ox.Store(directory)
    try:
        with parser_limits("the merged N-Triples"):
            store.bulk_load(input=sys.stdin.buffer, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    except InputError as exc:
        sys.exit(str(exc))
    store.flush()


def _swap(staging: Path, final: Path) -> None:
    retired = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        final.rename(retired)
    staging.rename(final)
    shutil.rmtree(retired, ignore_errors=True)


def require_store(build_dir: Path) -> Path:
    """The build's store folder; a missing one is an InputError that says what to run."""
    path = build_dir / STORE_DIRNAME
    if not path.is_dir():
        raise InputError("no built store here: run `alskg build` first", path)
    return path


def open_store(build_dir: Path) -> ox.Store:
    """Open the built store read-only; a missing one is an InputError that says what to run."""
    path = require_store(build_dir)
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise InputError(f"cannot open the store: {exc}", path) from None


def load_files(paths: list[Path]) -> ox.Store:
    """An in-memory store holding RDF files (format from the extension) merged into its
    default graph, for validating files: quads of named graphs are merged, as in the dumps.

    RDF/XML with entity declarations and terms over the parser's 16 MiB cap are InputErrors
    (:mod:`alskg.rdf_guard`)."""
    store = ox.Store()
    for path in paths:
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) if path.suffix else None
        if fmt is None:
            raise InputError("unknown RDF file extension (use .ttl, .nt, .nq, .trig, .jsonld, .rdf)", path)
        try:
            with path.open("rb") as handle, parser_limits(path):
                if fmt == ox.RdfFormat.RDF_XML:
                    refuse_xml_entities(handle, path)
                store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in ox.parse(handle, format=fmt))
        except FileNotFoundError:
            raise InputError("missing RDF file", path) from None
        except SyntaxError as exc:
            raise InputError(f"{fmt.name} syntax error: {exc.msg}", path, exc.lineno, exc.offset) from None
    return store


if __name__ == "__main__":
    _load_stdin(sys.argv[1])
