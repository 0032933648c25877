"""What a release is made of: one build's RDF, read back once.

The named graphs come from the store when it holds them; a store of the layout of ADR 0007
(merged view only, named graphs in the build's ``alskg.nq``) has them read from that version's
N-Quads: split by bytes (:mod:`alskg.quadlines`: the build writes Oxigraph's canonical lines),
or, for a file of any other shape, bulk-loaded once into a scratch in-memory store. The merged view is the build's definition of it: the sorted, distinct union
of the named graphs (every line the build writes into a named graph, metadata included, is also
written to the store's default graph; the query catalogue's graph is no content). It is made by
merging the sorted graphs, so its lines are the named graphs' own ``bytes`` objects, held once.
Either way the lines are Oxigraph's canonical N-Triples, sorted, so the release depends on the
graph's content only, never on the order a build wrote it in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from alskg.errors import InputError
from alskg.examples import QUERIES_GRAPH
from alskg.layout import reading
from alskg.quadlines import END, LineReader, merged_union, split_nquads
from alskg.rdf_guard import parser_limits
from alskg.rdfmodel import DefaultGraph, NamedNode, RdfFormat
from alskg.store import STORE_DIRNAME, Store



@dataclass
class Snapshot:
    """The RDF of one build: sorted N-Triples lines (UTF-8 bytes, ``s p o .`` without line end)
    of the merged view, and of each named graph (graph IRI → lines). The merged view's lines
    may be the named graphs' own objects (:func:`merged_union`): the list costs its pointers only."""

    merged: list[bytes]
    named: dict[str, list[bytes]]


def lines_store(lines: list[bytes]) -> Store:
    """Sorted N-Triples lines (without `` .``) in an in-memory store, streamed in (never joined
    into one buffer of the whole dump)."""
    store = Store()
    if lines:
        store.bulk_load(input=LineReader(lines), format=RdfFormat.N_TRIPLES)
    return store


class LineSink:
    """A binary writer (``write``) that keeps whole N-Triples lines without their `` .\n``: a
    store dumps into it chunk by chunk, never as one buffer of the whole dump."""

    def __init__(self) -> None:
        self.lines: list[bytes] = []
        self._rest = b""

    def write(self, data: bytes) -> int:
        """Keep every line ``data`` completes; the unfinished tail waits for the next chunk."""
        parts = (self._rest + bytes(data)).split(END)
        self._rest = parts.pop()
        self.lines.extend(parts)
        return len(data)

    def flush(self) -> None:
        return None

    def sorted_lines(self) -> list[bytes]:
        """The lines written, sorted (a dump always ends with a full line)."""
        if self._rest:
            raise ValueError("an N-Triples dump ended inside a line")
        self.lines.sort()
        return self.lines


def sorted_lines(data: bytes) -> list[bytes]:
    """Sorted lines of an N-Triples dump, each without its `` .`` (a newline is always escaped inside
    a term, so `` .\n`` ends a line): stripped in one bytes operation, then split, to hold the dump
    only twice at its peak, not three times."""
    lines = data.replace(END, b"\n").split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    lines.sort()
    return lines


def _graph_lines(store: Store, graph: NamedNode | DefaultGraph) -> list[bytes]:
    sink = LineSink()
    store.dump(sink, format=RdfFormat.N_TRIPLES, from_graph=graph)
    return sink.sorted_lines()


def _content_graphs(store: Store) -> list[str]:
    """The store's named graphs but the query catalogue's (which is not content), sorted."""
    return sorted(g.value for g in store.named_graphs()
                  if isinstance(g, NamedNode) and g.value != QUERIES_GRAPH)


def _named_from_store(store: Store, graphs: Iterable[str]) -> dict[str, list[bytes]]:
    return {g: _graph_lines(store, NamedNode(g)) for g in graphs}


def _named_from_nquads(path: Path) -> dict[str, list[bytes]]:
    """The named graphs of a build's N-Quads (ADR 0007's layout), one sorted list per graph:
    split by bytes when every line has the shape a build writes, else through a scratch
    in-memory store dropped once they are read."""
    if not path.is_file():
        raise InputError("the build has no named graphs (neither in its store nor in alskg.nq): "
                         "run `alskg build` again", path)
    split = split_nquads(path, frozenset({QUERIES_GRAPH}))
    if split is not None:
        return split  # the build's own canonical lines, split by bytes (alskg.quadlines)
    scratch = Store()
    with parser_limits(path):
        scratch.bulk_load(path=str(path), format=RdfFormat.N_QUADS, lenient=True)
    return _named_from_store(scratch, _content_graphs(scratch))


def read_snapshot(build_dir: Path) -> Snapshot:
    """Read the current build of ``build_dir`` (held against removal while it is read).

    A store holding the named graphs gives them and its default graph; otherwise (ADR 0007)
    ``alskg.nq`` is read once and the merged view is its graphs' union (:func:`merged_union`),
    the same lines the store's default graph holds, without the slow on-disk dump."""
    with reading(build_dir) as folder:
        path = folder / STORE_DIRNAME
        if not path.is_dir():
            raise InputError("no built store here: run `alskg build` first", build_dir / STORE_DIRNAME)
        try:
            store = Store.read_only(str(path))
        except OSError as exc:
            raise InputError(f"cannot open the store: {exc}", path) from None
        graphs = _content_graphs(store)
        if graphs:
            named = _named_from_store(store, graphs)
            merged = _graph_lines(store, DefaultGraph())
            del store
            return Snapshot(merged, named)
        del store
        named = _named_from_nquads(folder / "alskg.nq")
    return Snapshot(merged_union(named.values()), named)
