"""A sink of quads in N-Quads syntax, giving sorted, de-duplicated output."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from alskg.rdf.terms import iri


class QuadSink:
    """Collects quads per named graph; :meth:`lines` gives them sorted and unique.

    Sorting the serialised lines makes the output independent of the order the mappers ran
    in, which is what makes two builds byte-identical.
    """

    def __init__(self) -> None:
        self._graphs: dict[str, set[str]] = {}

    def add(self, graph: str, s: str, p: str, o: str) -> None:
        """Add one triple ``s p o`` (N-Triples terms) to the named graph IRI ``graph``."""
        self._graphs.setdefault(graph, set()).add(f"{s} {p} {o}")

    def add_all(self, graph: str, triples: Iterable[tuple[str, str, str]]) -> None:
        target = self._graphs.setdefault(graph, set())
        target.update(f"{s} {p} {o}" for s, p, o in triples)

    def graphs(self) -> list[str]:
        return sorted(self._graphs)

    def triples(self, graph: str) -> set[str]:
        return self._graphs.get(graph, set())

    def merged(self) -> list[str]:
        """Every triple of every graph, once, sorted (the merged N-Triples view)."""
        union: set[str] = set()
        for lines in self._graphs.values():
            union |= lines
        return sorted(union)

    def nquads(self) -> Iterator[str]:
        """N-Quads lines (without newline), graph by graph, each graph sorted."""
        for graph in self.graphs():
            g = iri(graph)
            for line in sorted(self._graphs[graph]):
                yield f"{line} {g} ."

    def __len__(self) -> int:
        return sum(len(lines) for lines in self._graphs.values())
