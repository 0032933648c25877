"""Write the dumps — N-Quads, merged N-Triples, merged Turtle, those asked for — in one pass.

Small graphs (the curated layer, HPO terms, the ontology, the metadata) are held as sets of
lines and written sorted. A triple is stored once, in the first graph that states it (in the
order gard, hpo, ontology, then the streamed hpoa and genes graphs, then metadata), so the
union of the named graphs is a set and queries over it never see duplicates. Large graphs (the HPO annotations and gene links) arrive as a
stream of blocks in file order and are written as they come, so the full release is never
held as triples. Both orders depend only on the inputs: two builds are byte-identical.
Each file is written to a temporary name and renamed when complete. A build writes only
``alskg.nq`` unless asked for more (:data:`DEFAULT_DUMPS`); the merged N-Triples always go to
the store loader.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TextIO

from alskg.atomic import atomic_path
from alskg.errors import InputError
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
        predicates = dict(pairs)  # only its keys are used: built at C speed, unlike a loop
        self.properties.update(predicates)
        if _TYPE in predicates:
            self.typed.update((s, o) for p, o in pairs if p == _TYPE)

    def update(self, other: Counter) -> None:
        """Add the counts of a graph holding none of this one's triples (the graphs partition the view)."""
        self.triples += other.triples
        self.subjects |= other.subjects
        self.properties |= other.properties
        self.typed |= other.typed

    def stats(self) -> GraphStats:
        from collections import Counter as Tally

        return GraphStats(self.triples, len(self.subjects), len(self.properties),
                          len({s for s, _ in self.typed}), Tally(cls for _, cls in self.typed))


#: The dumps a build can write: name → file name. ``nq`` (named graphs) is the canonical one.
DUMP_FILES = {"nq": "alskg.nq", "nt": "alskg.nt", "ttl": "alskg.ttl"}
#: What a build writes unless told otherwise: the store holds the merged view (``nt``), and the
#: release writes every format compressed from the store and ``alskg.nq`` (ADR 1, amended).
DEFAULT_DUMPS = ("nq",)
#: Blocks gathered before one write: fewer, larger writes to the files and the loader's pipe.
_BATCH = 512


def parse_dumps(text: str) -> tuple[str, ...]:
    """``nq,nt,ttl`` (any order, any subset but empty) as a tuple in canonical order."""
    names = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [name for name in names if name not in DUMP_FILES]
    if unknown or not names:
        raise InputError(f"unknown dump {unknown[0]!r}: choose from {', '.join(DUMP_FILES)}" if unknown
                         else f"no dump named: choose from {', '.join(DUMP_FILES)}", value=text)
    return tuple(name for name in DUMP_FILES if name in names)


def _discard(_: str) -> None:
    return None


class Dumps:
    """The dump files of a build, open for writing (use as a context manager).

    ``formats`` names the files written (see :data:`DUMP_FILES`); the merged N-Triples also go to
    ``tee`` (the store loader) whether or not ``alskg.nt`` is written.
    """

    def __init__(self, out_dir: Path, prefixes: dict[str, str], tee: TextIO | None = None,
                 formats: Iterable[str] = tuple(DUMP_FILES)) -> None:
        self.paths = {name: out_dir / DUMP_FILES[name] for name in DUMP_FILES if name in set(formats)}
        self.compactor = Compactor(prefixes)
        self.graphs: dict[str, Counter] = {}
        self._uncounted: set[str] = set()  # graphs left out of the merged view's counts
        self._seen: set[str] = set()
        self._stack = ExitStack()
        self._files: dict[str, TextIO] = {}
        self._tee = tee  # a copy of the merged N-Triples goes here (the store loader), if given

    def __enter__(self) -> Dumps:
        for name, path in self.paths.items():
            tmp = self._stack.enter_context(atomic_path(path))
            self._files[name] = self._stack.enter_context(tmp.open("w", encoding="utf-8", newline="\n"))
        if "ttl" in self._files:
            self._files["ttl"].write(self.compactor.header())
        self._nq = self._files["nq"].write if "nq" in self._files else _discard
        self._ttl = self._files["ttl"].write if "ttl" in self._files else None
        writers = [w for w in (self._files["nt"].write if "nt" in self._files else None,
                               self._tee.write if self._tee is not None else None) if w is not None]
        if len(writers) == 2:
            file_write, tee_write = writers

            def both(text: str) -> None:
                file_write(text)
                tee_write(text)

            self._nt = both
        else:
            self._nt = writers[0] if writers else _discard
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.__exit__(*exc)  # closes, then renames (or removes on error)

    @property
    def merged(self) -> Counter:
        """Counts of the merged view: the union of the counted graphs (they share no triple)."""
        out = Counter()
        for graph, counter in self.graphs.items():
            if graph not in self._uncounted:
                out.update(counter)
        return out

    def _counter(self, graph: str) -> Counter:
        return self.graphs.setdefault(graph, Counter())

    def write_small(self, graphs: dict[str, set[str]], *, merged: bool = True) -> None:
        """Small graphs, sorted. A triple already written (by an earlier graph) is skipped, so
        the named graphs partition the merged view and their union has set semantics."""
        nq = self._nq
        union: list[str] = []
        for graph in sorted(graphs):
            counter, g = self._counter(graph), t.iri(graph)
            if not merged:
                self._uncounted.add(graph)
            fresh = sorted(graphs[graph] - self._seen)
            self._seen.update(fresh)
            nq("".join(f"{line} {g} .\n" for line in fresh))
            for line in fresh:
                counter.add(*line.split(" ", 2))
            union.extend(fresh)
        nt, ttl = self._nt, self._ttl
        for s, pairs in blocks_of(sorted(union)):
            nt("".join(f"{s} {p} {o} .\n" for p, o in pairs))
            if ttl is not None:
                ttl(self.compactor.block(s, pairs))

    def write_stream(self, graph: str, blocks: Iterable[Block]) -> None:
        """A large graph, block by block in the order given; triples already written by an
        earlier graph are skipped.

        Each block's N-Triples text is made once: the N-Quads are the same text with the graph
        before each line's final `` .`` (a raw newline only ever ends a line: literals escape
        theirs), and blocks are written in batches."""
        nq, nt, ttl, counter, seen = self._nq, self._nt, self._ttl, self._counter(graph), self._seen
        seen_subjects = {line.split(" ", 1)[0] for line in seen}
        in_graph = f" {t.iri(graph)} .\n"
        add, block = counter.add_block, self.compactor.block
        batch: list[str] = []
        ttl_batch: list[str] = []

        def flush() -> None:
            text = "".join(batch)
            nt(text)
            nq(text.replace(" .\n", in_graph))
            batch.clear()
            if ttl is not None:
                ttl("".join(ttl_batch))
                ttl_batch.clear()

        for s, pairs in blocks:
            if s in seen_subjects:
                pairs = [(p, o) for p, o in pairs if f"{s} {p} {o}" not in seen]
                if not pairs:
                    continue
            batch.append("".join([f"{s} {p} {o} .\n" for p, o in pairs]))
            add(s, pairs)
            if ttl is not None:
                ttl_batch.append(block(s, pairs))
            if len(batch) >= _BATCH:
                flush()
        flush()
