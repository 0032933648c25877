"""A build's ``alskg.nq`` split into sorted N-Triples lines per named graph, by bytes alone.

The build writes ``alskg.nq`` in Oxigraph's canonical N-Quads form (``tests/test_quadlines.py``
checks it line for line against Oxigraph's own serialisation), so each line is the graph's
canonical N-Triples line with `` <graph>`` before its final `` .``. Splitting the bytes at
that last term is four times faster than parsing the quads into Python objects, and more than
ten times faster than a scratch store (the release's read-back took a minute at full scope),
and it holds each line once.

Every line is checked for the shape of a quad: it ends with `` .`` and a newline, its last term
is an IRI (no character N-Quads forbids in one) and what comes before is a triple (subject,
predicate and object, so at least two spaces). A line of any other shape (a triple in the
default graph, a blank-node graph name, a file not written by a build) makes
:func:`split_nquads` answer ``None``, and the caller reads the file with a parser instead.
The lines' terms themselves are parsed later, when the merged view is bulk-loaded for the checks.
"""

from __future__ import annotations

import heapq
import io
from collections.abc import Iterable, Iterator
from itertools import repeat
from pathlib import Path
from typing import BinaryIO

#: the end of a canonical N-Triples or N-Quads line (a raw newline only ever ends a line:
#: literals escape theirs)
END = b" .\n"
#: bytes an IRI may not hold in N-Triples/N-Quads (``\\`` only as an escape, which a canonical
#: writer never needs in our IRIs)
_NOT_IN_IRI = frozenset(b' <>"{}|^`\\\t\r\n')

def _graph_iri(term: bytes) -> str | None:
    """The IRI of a graph term ``<…>``, or None when ``term`` is not one."""
    if len(term) < 3 or term[0] != 0x3C or term[-1] != 0x3E or any(b in _NOT_IN_IRI for b in term[1:-1]):
        return None
    try:
        return term[1:-1].decode("utf-8")
    except UnicodeDecodeError:
        return None


def _distinct(lines: list[bytes]) -> list[bytes]:
    """Sorted ``lines`` without repeats (a graph is a set; N-Quads may repeat a line)."""
    lines.sort()
    if all(a != b for a, b in zip(lines, lines[1:])):
        return lines
    return [line for i, line in enumerate(lines) if i == 0 or line != lines[i - 1]]


class _Quads:
    """Where each line's graph term starts, for lines of the shape a build writes; the graph
    terms seen are checked once each and remembered (a build writes a handful)."""

    def __init__(self) -> None:
        self.names: dict[bytes, str] = {}
        #: the end of a line in each graph seen, `` <graph> .\n``
        self.ends: list[bytes] = []
        self.known: set[bytes] = set()

    def cut(self, line: bytes) -> int:
        """The index of the space before ``line``'s graph term; -1 when the line is not a
        named-graph quad of a build's shape, 0 for a blank line."""
        if not line.endswith(END):
            return 0 if not line.strip() else -1
        cut = line.rfind(b" <", 0, len(line) - 3)
        if cut < 0 or line.count(b" ", 0, cut) < 2:
            return -1  # no graph, or two terms and a graph: a triple of the default graph
        term = line[cut + 1:-3]
        if term not in self.names:
            name = _graph_iri(term)
            if name is None:
                return -1
            self.names[term] = name
            self.ends.append(b" " + term + END)
            self.known.add(self.ends[-1])
        return cut

    def one_graph(self, block: bytes) -> bytes | None:
        """The line end `` <graph> .\n`` of every line of ``block`` (whole lines), when they
        are all in one graph seen before; else None. (A line end holds the newline, so it is
        only found at the end of a line: the count of it is the count of lines exactly when
        every line ends so.)"""
        last = block[block.rfind(b" <", 0, len(block) - 3):]
        if last in self.known and block.count(last) == block.count(b"\n"):
            return last
        return None

    def cut_all(self, chunk: bytes) -> bytes | None:
        """``chunk`` (whole lines) with every line's graph term cut off, at C speed, when each
        of its lines ends in a graph seen before; None otherwise (then cut line by line with
        :meth:`cut`, which learns new graphs and declines other shapes).

        A graph's line end `` <graph> .\n`` holds the newline, so it is only ever found at the
        end of a line, and never two of them at one line's end (an IRI holds no space): the
        counts add up to the number of lines exactly when every line ends in a known graph.
        A build writes its graphs one after another, so a chunk nearly always lies inside one
        graph (:meth:`one_graph`).

        Not checked here: that a line keeps three terms once cut (a default-graph triple whose
        object names a graph would not). The parser refuses such a line, and the caller then
        reads the file again line by line (:attr:`TriplesOfQuads.whole_chunks`)."""
        end = self.one_graph(chunk)
        if end is not None:  # the common case: a block inside one graph
            return chunk.replace(end, END)
        if not chunk.endswith(b"\n"):
            return None
        counts = [(end, n) for end in self.ends if (n := chunk.count(end))]
        if sum(n for _, n in counts) != chunk.count(b"\n"):
            return None
        for end, _ in counts:
            chunk = chunk.replace(end, END)
        return chunk


def split_lines(blocks: Iterable[bytes], skip: frozenset[str] = frozenset()) -> dict[str, list[bytes]] | None:
    """N-Quads text in blocks of whole lines (a line each, or a file's chunks, :func:`blocks_of`)
    → graph IRI → its sorted, distinct triples (``s p o`` without `` .``); graphs in ``skip``
    are left out. None when a line is not the shape of a named-graph quad.

    A block all of whose lines are in one graph seen before is split at C speed; each of its
    lines must still hold a triple (two spaces at least: a default-graph triple whose object
    names the graph would hold one). Any other block is cut line by line."""
    quads = _Quads()
    by_term: dict[bytes, list[bytes]] = {}
    for block in blocks:
        end = quads.one_graph(block)
        if end is not None:
            lines = block[:-len(end)].split(end)
            if min(map(bytes.count, lines, repeat(b" "))) < 2:
                return None
            by_term.setdefault(end[1:-3], []).extend(lines)
            continue
        for line in io.BytesIO(block).readlines():
            cut = quads.cut(line)
            if cut <= 0:
                if cut < 0:
                    return None
                continue
            by_term.setdefault(line[cut + 1:-3], []).append(line[:cut])
    names = quads.names
    return {names[term]: _distinct(found) for term, found in by_term.items() if names[term] not in skip}


def blocks_of(handle: BinaryIO, size: int = 1 << 20) -> Iterator[bytes]:
    """The file's bytes in blocks of whole lines, of about ``size`` bytes each."""
    while block := handle.read(size):
        yield block + handle.readline()  # to the end of the line the block stopped in


def split_nquads(path: Path, skip: frozenset[str] = frozenset()) -> dict[str, list[bytes]] | None:
    """The named graphs of the N-Quads file ``path`` (see :func:`split_lines`), or None when a
    line is not the shape a build writes (then read the file with a parser)."""
    with path.open("rb") as handle:
        return split_lines(blocks_of(handle), skip)


def merged_union(graphs: Iterable[list[bytes]]) -> list[bytes]:
    """The sorted, distinct union of sorted line lists, made of the lists' own objects (a line
    in two graphs is kept once)."""
    out: list[bytes] = []
    last: bytes | None = None
    for line in heapq.merge(*graphs):
        if line != last:
            out.append(line)
            last = line
    return out


class _ChunkReader:
    """A binary reader (``read``) over chunks of bytes that subclasses make (:meth:`_more`), for
    Oxigraph's bulk loader: it reads a few kilobytes at a time, so the buffer is consumed at an
    offset (slicing off the rest on each read copied a whole chunk per read: quadratic)."""

    def __init__(self) -> None:
        self._buffer = b""
        self._at = 0

    def _more(self) -> bytes | None:
        """The next chunk; None at the end."""
        raise NotImplementedError

    def read(self, n: int = -1) -> bytes:
        """Up to ``n`` bytes (all that is left when ``n`` is negative); ``b""`` at the end."""
        while n < 0 or len(self._buffer) - self._at < n:
            chunk = self._more()
            if chunk is None:
                break
            self._buffer = self._buffer[self._at:] + chunk
            self._at = 0
        end = len(self._buffer) if n < 0 else min(len(self._buffer), self._at + n)
        out = self._buffer[self._at:end]
        self._at = end
        return out

    def readable(self) -> bool:
        return True


class LineReader(_ChunkReader):
    """The lines (without `` .\n``) as N-Triples text, each given its `` .\n`` back, in chunks
    of ``size`` lines: a bulk load reads the lines without their being joined at once."""

    def __init__(self, lines: list[bytes], size: int = 1 << 14) -> None:
        super().__init__()
        self._lines = lines
        self._size = size
        self._next = 0

    def _more(self) -> bytes | None:
        batch = self._lines[self._next:self._next + self._size]
        self._next += len(batch)
        return END.join(batch) + END if batch else None


class TriplesOfQuads(_ChunkReader):
    """A build's N-Quads as N-Triples, each line's graph term cut off, for a bulk load of the
    merged view without holding its lines (the store keeps a triple written to two graphs once).
    A line not of a build's shape ends the stream early and sets :attr:`declined`: the caller
    then drops what was loaded and reads the build another way.

    With ``whole_chunks`` a chunk whose lines all end in graphs seen before is cut in one pass
    (:meth:`_Quads.cut_all`, several times faster), which leaves one shape unchecked: when the
    parser refuses a stream that had :attr:`whole_chunks` set, read the file again with
    ``whole_chunks=False``, which checks every line.
    """

    def __init__(self, handle: BinaryIO, chunk: int = 1 << 20, whole_chunks: bool = True) -> None:
        super().__init__()
        self._blocks = blocks_of(handle, chunk)
        self._quads = _Quads()
        self._whole = whole_chunks
        self.declined = False
        #: some chunk was cut in one pass (its lines' shape was not checked one by one)
        self.whole_chunks = False

    def _more(self) -> bytes | None:
        if self.declined:
            return None
        chunk = next(self._blocks, None)
        if chunk is None:
            return None
        fast = self._quads.cut_all(chunk) if self._whole else None
        if fast is not None:
            self.whole_chunks = True
            return fast
        out = []
        for line in io.BytesIO(chunk).readlines():
            cut = self._quads.cut(line)
            if cut < 0:
                self.declined = True
                return None
            if cut:
                out.append(line[:cut])
        return END.join(out) + END if out else b""
