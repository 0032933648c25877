"""Write the dumps — N-Quads, merged N-Triples, merged Turtle — in one pass.

Small graphs (the curated layer, HPO terms, the ontology, the metadata) are held as sets of
lines and written sorted. A triple is stored once, in the first graph that states it (in the
order gard, hpo, ontology, then the streamed hpoa and genes graphs, then metadata), so the
union of the named graphs is a set and queries over it never see duplicates. Large graphs (the HPO annotations and gene links) arrive as a
stream of blocks in file order and are written as they come, so the full release is never
held as triples. Both orders depend only on the inputs: two builds are byte-identical.
Each file is written to a temporary name and renamed when complete.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TextIO

from alskg import vocab
from alskg.atomic import atomic_path
from alskg.rdf import terms as t
from alskg.rdf.metadata import GraphStats

Block = tuple[str, list[tuple[str, str]]]
_TYPE = t.RDF_TYPE
_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")


class Compactor:
    """Shortens IRI terms to prefixed names for Turtle, with a fixed set of prefixes."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = dict(sorted(prefixes.items()))
        self.namespaces = {uri: prefix for prefix, uri in self.prefixes.items()}
        self.term = lru_cache(maxsize=1 << 20)(self._term)

    def header(self) -> str:
        return "".join(f"@prefix {p}: <{uri}> .\n" for p, uri in self.prefixes.items())

    def _iri(self, iri: str) -> str:
        best = ""
        for sep in "#/_":
            cut = iri.rfind(sep)
            if cut > 0 and iri[: cut + 1] in self.namespaces and cut + 1 > len(best):
                best = iri[: cut + 1]
        local = iri[len(best):]
        if best and _LOCAL.match(local):
            return f"{self.namespaces[best]}:{local}"
        return f"<{iri}>"

    def _term(self, term: str) -> str:
        if term.startswith("<"):
            return self._iri(term[1:-1])
        if term.endswith(">") and "^^<" in term:
            lexical, _, datatype = term.rpartition("^^<")
            return f"{lexical}^^{self._iri(datatype[:-1])}"
        return term

    def block(self, subject: str, pairs: Iterable[tuple[str, str]]) -> str:
        body = " ;\n\t".join(
            f"{'a' if p == t.RDF_TYPE else self.term(p)} {self.term(o)}" for p, o in pairs
        )
        return f"{self.term(subject)} {body} .\n"


def blocks_of(lines: Iterable[str]) -> Iterator[Block]:
    """Group sorted N-Triples lines (``s p o``, no final dot) into subject blocks."""
    current, pairs = "", []
    for line in lines:
        s, p, o = line.split(" ", 2)
        if s != current and pairs:
            yield current, pairs
            pairs = []
        current = s
        pairs.append((p, o))
    if pairs:
        yield current, pairs


@dataclass
class Counter:
    """Running counts of one graph (or of the merged view)."""

    triples: int = 0
    subjects: set[str] = field(default_factory=set)
    properties: set[str] = field(default_factory=set)
    typed: set[tuple[str, str]] = field(default_factory=set)

    def add(self, s: str, p: str, o: str) -> None:
        self.add_block(s, [(p, o)])

    def add_block(self, s: str, pairs: list[tuple[str, str]]) -> None:
        self.triples += len(pairs)
        self.subjects.add(s)
        for p, o in pairs:
            self.properties.add(p)
            if p == _TYPE:
                self.typed.add((s, o))

    def stats(self) -> GraphStats:
        from collections import Counter as Tally

        return GraphStats(self.triples, len(self.subjects), len(self.properties),
                          len({s for s, _ in self.typed}), Tally(cls for _, cls in self.typed))


class Dumps:
    """The three dump files of a build, open for writing (use as a context manager)."""

    def __init__(self, out_dir: Path, prefixes: dict[str, str], tee: TextIO | None = None) -> None:
        self.paths = {"nq": out_dir / "alskg.nq", "nt": out_dir / "alskg.nt", "ttl": out_dir / "alskg.ttl"}
        self.compactor = Compactor(prefixes)
        self.graphs: dict[str, Counter] = {}
        self.merged = Counter()
        self._seen: set[str] = set()
        self._stack = ExitStack()
        self._files: dict[str, TextIO] = {}
        self._tee = tee  # a copy of the merged N-Triples goes here (the store loader), if given

    def __enter__(self) -> Dumps:
        for name, path in self.paths.items():
            tmp = self._stack.enter_context(atomic_path(path))
            self._files[name] = self._stack.enter_context(tmp.open("w", encoding="utf-8", newline="\n"))
        self._files["ttl"].write(self.compactor.header())
        self._nq = self._files["nq"].write
        self._nt = self._files["nt"].write
        if self._tee is not None:
            file_write, tee_write = self._nt, self._tee.write

            def both(text: str) -> None:
                file_write(text)
                tee_write(text)

            self._nt = both
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.__exit__(*exc)  # closes, then renames (or removes on error)

    def _counter(self, graph: str) -> Counter:
        return self.graphs.setdefault(graph, Counter())

    def write_small(self, graphs: dict[str, set[str]], *, merged: bool = True) -> None:
        """Small graphs, sorted. A triple already written (by an earlier graph) is skipped, so
        the named graphs partition the merged view and their union has set semantics."""
        nq = self._nq
        union: list[str] = []
        for graph in sorted(graphs):
            counter, g = self._counter(graph), t.iri(graph)
            fresh = sorted(graphs[graph] - self._seen)
            self._seen.update(fresh)
            nq("".join(f"{line} {g} .\n" for line in fresh))
            for line in fresh:
                counter.add(*line.split(" ", 2))
            union.extend(fresh)
        self._write_merged(blocks_of(sorted(union)), count=merged)

    def _write_merged(self, blocks: Iterable[Block], count: bool = True) -> None:
        nt, ttl = self._nt, self._files["ttl"].write
        for s, pairs in blocks:
            nt("".join(f"{s} {p} {o} .\n" for p, o in pairs))
            if count:
                self.merged.add_block(s, pairs)
            ttl(self.compactor.block(s, pairs))

    def write_stream(self, graph: str, blocks: Iterable[Block]) -> None:
        """A large graph, block by block in the order given; triples already written by an
        earlier graph are skipped."""
        nq, g, counter, seen = self._nq, t.iri(graph), self._counter(graph), self._seen
        seen_subjects = {line.split(" ", 1)[0] for line in seen}
        nt, ttl, merged, block = self._nt, self._files["ttl"].write, self.merged, self.compactor.block
        for s, pairs in blocks:
            fresh = [(p, o) for p, o in pairs if f"{s} {p} {o}" not in seen] if s in seen_subjects else pairs
            if not fresh:
                continue
            lines = [f"{s} {p} {o}" for p, o in fresh]
            nq("".join(f"{line} {g} .\n" for line in lines))
            nt("".join(f"{line} .\n" for line in lines))
            counter.add_block(s, fresh)
            merged.add_block(s, fresh)
            ttl(block(s, fresh))
