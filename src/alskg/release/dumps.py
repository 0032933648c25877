"""The release's compressed RDF: ``.nq.gz`` (named graphs), ``.nt.gz`` and ``.ttl.gz`` (merged view).

Lines are sorted (named graphs in IRI order, each graph's triples sorted), and gzip is made
deterministic: no file name and mtime 0 in the header, one fixed compression level. Two
releases of the same graph are byte-identical.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from alskg import quadlines, vocab
from alskg.export import Compactor, blocks_of
from alskg.quadlines import END

#: gzip level: 6 is zlib's default balance of size and speed (9 is ~3× slower for ~3% less)
COMPRESSLEVEL = 6


@contextmanager
def gz_writer(path: Path) -> Iterator[BinaryIO]:
    """A deterministic gzip stream into ``path`` (no name, mtime 0), fsynced when closed."""
    with path.open("wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=COMPRESSLEVEL, mtime=0) as gz:
            yield gz  # type: ignore[misc]
        raw.flush()
        os.fsync(raw.fileno())


def _chunks(lines: Iterable[bytes], suffix: bytes, size: int = 1 << 14) -> Iterator[bytes]:
    batch: list[bytes] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= size:
            yield suffix.join(batch) + suffix
            batch = []
    if batch:
        yield suffix.join(batch) + suffix


def write_nquads(path: Path, named: dict[str, list[bytes]]) -> int:
    """Each named graph's sorted triples as N-Quads, graphs in IRI order; returns the quad count."""
    count = 0
    with gz_writer(path) as out:
        for graph in sorted(named):
            suffix = f" <{graph}> .\n".encode()
            for chunk in _chunks(named[graph], suffix):
                out.write(chunk)
            count += len(named[graph])
    return count


def write_ntriples(path: Path, merged: list[bytes]) -> int:
    """The merged view's sorted triples as N-Triples; returns the triple count."""
    with gz_writer(path) as out:
        for chunk in _chunks(merged, END):
            out.write(chunk)
    return len(merged)


def turtle_prefixes() -> dict[str, str]:
    """The prefixes of the build's Turtle dump (:data:`alskg.vocab.DUMP_PREFIXES`)."""
    conv = vocab.converter()
    return {prefix: conv.bimap[prefix] for prefix in vocab.DUMP_PREFIXES}


def write_turtle(path: Path, merged: Iterable[bytes]) -> int:
    """The merged view (sorted lines) as Turtle, one subject block per subject in sorted order,
    compacted with the fixed prefixes; returns the triple count."""
    compactor = Compactor(turtle_prefixes())
    count = 0
    with gz_writer(path) as out:
        out.write(compactor.header().encode())
        batch: list[str] = []
        for subject, pairs in blocks_of(line.decode("utf-8") for line in merged):
            batch.append(compactor.block(subject, pairs))
            count += len(pairs)
            if len(batch) >= 4096:
                out.write("".join(batch).encode())
                batch = []
        out.write("".join(batch).encode())
    return count


def ntriples_lines(path: Path, size: int = 1 << 20) -> Iterator[bytes]:
    """The lines (``s p o``, without `` .`` and the line end) of a gzipped N-Triples file written
    by :func:`write_ntriples`, streamed in blocks of whole lines (:func:`alskg.quadlines.blocks_of`):
    a raw newline only ever ends a line (literals escape theirs)."""
    with gzip.open(path, "rb") as stream:
        for block in quadlines.blocks_of(stream, size):
            if not block.endswith(END):
                raise ValueError(f"{path}: the N-Triples end inside a line")
            yield from block[:-len(END)].split(END)


def turtle_of_ntriples(source: Path, path: Path) -> int:
    """The Turtle dump of a release's sorted ``.nt.gz`` (:func:`write_turtle`), read as a stream:
    a job for a child process (:mod:`alskg.aside`) that holds a few megabytes."""
    return write_turtle(path, ntriples_lines(source))
