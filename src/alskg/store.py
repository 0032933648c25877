"""The on-disk store (pyoxigraph/Oxigraph): opening, loading and querying the engine's stores.

With :mod:`alskg.rdfmodel` (the engine's terms and RDF syntaxes) it is one of the two modules
that import the engine; everything else takes :class:`Store` and the query-result types
(:class:`QuerySolutions`, :class:`QueryBoolean`, :class:`QueryTriples`,
:func:`parse_query_results`) from here (``tests/test_architecture.py`` pins the list).

A build bulk-loads the merged view into a fresh store folder, inside the build's own version
folder, while it writes the dumps; the whole version is switched in at once (see
:mod:`alskg.layout`). A published store is never modified, so queries open it read-only,
through the ``current`` pointer resolved once, and hold it against removal while they run.
"""

from __future__ import annotations

import ctypes
import io
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from types import TracebackType
from typing import TextIO

import pyoxigraph as ox
from pyoxigraph import (
    QueryBoolean,
    QueryResultsFormat,
    QuerySolution,
    QuerySolutions,
    QueryTriples,
    Store,
    parse_query_results,
)

from alskg.errors import InputError
from alskg.layout import OpenVersion, open_version
from alskg.rdf_guard import parser_limits, refuse_xml_entities

__all__ = ["STORE_DIRNAME", "QueryBoolean", "QueryResultsFormat", "QuerySolution", "QuerySolutions",
           "QueryTriples", "Store", "StoreLoader", "load_files", "memory_store", "open_store",
           "parse_query_results", "require_store"]

STORE_DIRNAME = "store"


class StoreLoader:
    """Loads the merged N-Triples into a new store *while they are being written*.

    A child process (``python -m alskg.store DIR PARENT_PID``) runs Oxigraph's bulk loader
    on its standard input; the build writes each merged line to :attr:`stream` as it writes
    the dump, so generating (in Python) and loading (in Rust) run on two cores at once. Our
    own output is valid N-Triples (every IRI and literal is checked when minted), so the
    loader runs in lenient mode. The store goes into ``store_dir`` inside the build's
    unpublished version folder; on any error it is removed. The child asks the kernel to kill
    it when the build dies (``PR_SET_PDEATHSIG``), so a killed build leaves no loader running.
    The store holds the merged view in its default graph; the named graphs are in
    ``alskg.nq`` (see docs/decisions/0007-store-holds-the-merged-view.md).
    """

    def __init__(self, store_dir: Path, named: dict[str, Path] | None = None) -> None:
        self.store_dir = store_dir
        self.named = named or {}
        self.stream: TextIO
        self.peak_rss_kib = 0

    def __enter__(self) -> StoreLoader:
        shutil.rmtree(self.store_dir, ignore_errors=True)
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "alskg.store", str(self.store_dir), str(os.getpid()),
             *(str(part) for graph, path in sorted(self.named.items()) for part in (graph, path))],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        assert self._proc.stdin is not None
        self.stream = io.TextIOWrapper(self._proc.stdin, encoding="utf-8", newline="\n",
                                       write_through=False)
        return self

    @property
    def pid(self) -> int:
        """The loader child's process id."""
        return self._proc.pid

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
            return
        shutil.rmtree(self.store_dir, ignore_errors=True)
        # A loader that died closes the pipe: the build then meets a BrokenPipeError, which
        # click would turn into a silent exit 1. Say why the loader stopped instead.
        if kind is None or issubclass(kind, BrokenPipeError):
            last = stderr.strip().splitlines()[-1] if stderr.strip() else f"exit {self._proc.returncode}"
            raise InputError(f"the store loader failed: {last}", self.store_dir) from None


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL this process when its parent dies; exit now if it already has.

    Elsewhere the pipe still ends the load: a dead parent closes our standard input."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _load_stdin(directory: str, named: list[str]) -> None:
    """Child-process side of :class:`StoreLoader`: bulk-load N-Triples from stdin into the default
    graph of ``directory``, then each Turtle file of ``named`` (pairs: graph IRI, path) into its graph.

    A term over the parser's cap is reported as one line on stderr, which the parent shows."""
    store = Store(directory)
    try:
        with parser_limits("the merged N-Triples"):
            store.bulk_load(input=sys.stdin.buffer, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    except InputError as exc:
        sys.exit(str(exc))
    for graph, path in zip(named[::2], named[1::2], strict=True):
        store.bulk_load(path=path, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph))
    store.flush()


#: Versions held open by :func:`open_store`, for the life of the process (a CLI run).
_READING: list[OpenVersion] = []


def require_store(build_dir: Path) -> Path:
    """The build's store folder (through ``current``); a missing one is an InputError that says what to run."""
    path = build_dir / STORE_DIRNAME
    if not path.is_dir():
        raise InputError("no built store here: run `alskg build` first", path)
    return path


def open_store(build_dir: Path) -> Store:
    """Open the built store read-only; a missing one is an InputError that says what to run.

    ``current`` is resolved once and the version it names is held (shared lock) until the
    process ends, so a build switching in a new version meanwhile neither changes nor removes
    what this store reads."""
    version = open_version(build_dir)
    path = version.folder / STORE_DIRNAME
    if not path.is_dir():
        version.close()
        raise InputError("no built store here: run `alskg build` first", build_dir / STORE_DIRNAME)
    try:
        store = Store.read_only(str(path))
    except OSError as exc:
        version.close()
        raise InputError(f"cannot open the store: {exc}", path) from None
    _READING.append(version)
    return store


def memory_store() -> Store:
    """A new, empty in-memory store (for checking a file or a submission, never for a build)."""
    return Store()


def load_files(paths: list[Path]) -> Store:
    """An in-memory store holding RDF files (format from the extension) merged into its
    default graph, for validating files: quads of named graphs are merged, as in the dumps.

    RDF/XML with entity declarations and terms over the parser's 16 MiB cap are InputErrors
    (:mod:`alskg.rdf_guard`)."""
    store = memory_store()
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
    die_with_parent(int(sys.argv[2]))
    _load_stdin(sys.argv[1], sys.argv[3:])
