"""What a release is made of: one build's RDF, read from its store.

The store (:mod:`alskg.store`) holds the merged view in its default graph. The named graphs
come from the store too when it holds them; a store of the layout of ADR 0007 (merged view
only, named graphs in the build's ``alskg.nq``) has them read from that version's N-Quads,
parsed by Oxigraph. Either way the lines are Oxigraph's canonical N-Triples, sorted, so the
release depends on the graph's content only, never on the order a build wrote it in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from alskg.errors import InputError
from alskg.examples import QUERIES_GRAPH
from alskg.layout import reading
from alskg.rdf_guard import parser_limits
from alskg.store import STORE_DIRNAME


@dataclass
class Snapshot:
    """The RDF of one build: sorted N-Triples lines (UTF-8 bytes, ``s p o .`` without line end)
    of the merged view, and of each named graph (graph IRI → lines)."""

    merged: list[bytes]
    named: dict[str, list[bytes]]

    def merged_store(self) -> ox.Store:
        """The merged view in an in-memory store (the checks' constraint queries run faster
        in memory; see :func:`alskg.validate.validate_build`)."""
        store = ox.Store()
        if self.merged:
            store.bulk_load(input=b" .\n".join(self.merged) + b" .\n", format=ox.RdfFormat.N_TRIPLES)
        return store


def sorted_lines(data: bytes) -> list[bytes]:
    """Sorted lines of an N-Triples dump, each without its `` .`` (a newline is always escaped inside
    a term, so `` .\n`` ends a line): stripped in one bytes operation, then split, to hold the dump
    only twice at its peak, not three times."""
    lines = data.replace(b" .\n", b"\n").split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    lines.sort()
    return lines


def _named_from_store(store: ox.Store) -> dict[str, list[bytes]]:
    """The store's content graphs (the query catalogue's graph is not content)."""
    graphs = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    return {g: sorted_lines(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(g)))
            for g in graphs if g != QUERIES_GRAPH}


def _named_from_nquads(path: Path) -> dict[str, list[bytes]]:
    """The named graphs of a build's N-Quads (ADR 0007's layout), one sorted list per graph."""
    if not path.is_file():
        raise InputError("the build has no named graphs (neither in its store nor in alskg.nq): "
                         "run `alskg build` again", path)
    scratch = ox.Store()
    with parser_limits(path):
        scratch.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS, lenient=True)
    return _named_from_store(scratch)


def read_snapshot(build_dir: Path) -> Snapshot:
    """Read the current build of ``build_dir`` (held against removal while it is read)."""
    with reading(build_dir) as folder:
        path = folder / STORE_DIRNAME
        if not path.is_dir():
            raise InputError("no built store here: run `alskg build` first", build_dir / STORE_DIRNAME)
        try:
            store = ox.Store.read_only(str(path))
        except OSError as exc:
            raise InputError(f"cannot open the store: {exc}", path) from None
        merged = sorted_lines(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()))
        named = _named_from_store(store) or _named_from_nquads(folder / "alskg.nq")
        del store
    return Snapshot(merged, named)
