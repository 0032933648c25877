"""alskg.quadlines: a build's N-Quads split by bytes, and the canonical form that split relies on."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from alskg.build import BuildResult
from alskg.quadlines import LineReader, TriplesOfQuads, split_lines, split_nquads

G1 = "https://example.org/g1"
G2 = "https://example.org/g2"


def _lines(text: str) -> list[bytes]:
    return text.encode("utf-8").splitlines(keepends=True)


def test_build_nquads_are_oxigraph_canonical(built: BuildResult) -> None:
    """The split takes the build's lines as they are: they must be Oxigraph's own serialisation."""
    path = built.files["nq"]
    written = path.read_bytes().splitlines()
    canonical = ox.serialize(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS),
                             format=ox.RdfFormat.N_QUADS).splitlines()
    assert written == canonical
    assert len(written) == 22820


def test_build_nquads_split_equals_a_parse(built: BuildResult) -> None:
    path = built.files["nq"]
    named = split_nquads(path)
    assert named is not None
    parsed: dict[str, set[bytes]] = {}
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
        parsed.setdefault(quad.graph_name.value, set()).add(str(quad.triple).encode())
    assert {g: sorted(v) for g, v in parsed.items()} == named
    assert sum(len(v) for v in named.values()) == 22820


def test_split_sorts_each_graph_and_drops_repeats() -> None:
    text = (f'<https://e.org/b> <https://e.org/p> "x <y> z" <{G1}> .\n'
            f'<https://e.org/a> <https://e.org/p> <https://e.org/o> <{G1}> .\n'
            f'<https://e.org/a> <https://e.org/p> <https://e.org/o> <{G1}> .\n'
            f'<https://e.org/a> <https://e.org/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> <{G2}> .\n'
            f'_:b1 <https://e.org/p> "é"@fr <{G2}> .\n')
    assert split_lines(_lines(text)) == {
        G1: [b"<https://e.org/a> <https://e.org/p> <https://e.org/o>",
             b'<https://e.org/b> <https://e.org/p> "x <y> z"'],
        G2: [b'<https://e.org/a> <https://e.org/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer>',
             '_:b1 <https://e.org/p> "é"@fr'.encode()],
    }


def test_split_leaves_out_skipped_graphs() -> None:
    text = f"<https://e.org/a> <https://e.org/p> <https://e.org/o> <{G1}> .\n" \
           f"<https://e.org/a> <https://e.org/p> <https://e.org/o> <{G2}> .\n"
    assert list(split_lines(_lines(text), frozenset({G2}))) == [G1]


@pytest.mark.parametrize("line", [
    "<https://e.org/a> <https://e.org/p> <https://e.org/o> .\n",  # default graph, IRI object
    '<https://e.org/a> <https://e.org/p> "x <y>" .\n',  # default graph, literal with an IRI-like tail
    '<https://e.org/a> <https://e.org/p> "x"^^<http://www.w3.org/2001/XMLSchema#string> .\n',
    "<https://e.org/a> <https://e.org/p> <https://e.org/o> _:g .\n",  # blank-node graph name
    "<https://e.org/a> <https://e.org/p> <https://e.org/o> <https://e.org/g>\n",  # no final dot
    "<https://e.org/a> <https://e.org/p> <https://e.org/o> <https://e.org/g|x> .\n",  # not an IRI
])
def test_split_declines_lines_a_build_never_writes(line: str) -> None:
    """Anything but a named-graph quad: None, so the caller parses the file instead."""
    good = f"<https://e.org/a> <https://e.org/p> <https://e.org/o> <{G1}> .\n"
    assert split_lines(_lines(good + line)) is None


def test_split_skips_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "x.nq"
    path.write_bytes(f"\n<https://e.org/a> <https://e.org/p> <https://e.org/o> <{G1}> .\n\n".encode())
    assert split_nquads(path) == {G1: [b"<https://e.org/a> <https://e.org/p> <https://e.org/o>"]}


def _read_all(reader: TriplesOfQuads, n: int) -> bytes:
    out = b""
    while chunk := reader.read(n):
        assert n < 0 or len(chunk) <= n
        out += chunk
    return out


@pytest.mark.parametrize("n", [-1, 7, 1 << 16])
def test_triples_of_quads_cut_the_graph_off_every_line(n: int) -> None:
    text = (f'<https://e.org/b> <https://e.org/p> "x <y> z" <{G1}> .\n\n'
            f'<https://e.org/a> <https://e.org/p> <https://e.org/o> <{G2}> .\n')
    reader = TriplesOfQuads(io.BytesIO(text.encode()), chunk=40)
    assert _read_all(reader, n) == (b'<https://e.org/b> <https://e.org/p> "x <y> z" .\n'
                                    b"<https://e.org/a> <https://e.org/p> <https://e.org/o> .\n")
    assert not reader.declined


def test_triples_of_quads_decline_a_line_a_build_never_writes() -> None:
    text = (f"<https://e.org/a> <https://e.org/p> <https://e.org/o> <{G1}> .\n"
            "<https://e.org/a> <https://e.org/p> <https://e.org/o> .\n")
    reader = TriplesOfQuads(io.BytesIO(text.encode()))
    assert reader.read() == b""
    assert reader.declined


def test_triples_of_quads_of_a_build_load_its_merged_view(built: BuildResult) -> None:
    store = ox.Store()
    with built.files["nq"].open("rb") as handle:
        reader = TriplesOfQuads(handle)
        store.bulk_load(input=reader, format=ox.RdfFormat.N_TRIPLES)
    assert not reader.declined
    merged = ox.Store()
    merged.bulk_load(path=str(built.files["nt"]), format=ox.RdfFormat.N_TRIPLES)
    assert len(store) == len(merged) == 22820
    assert set(store) == set(merged)


def test_line_reader_does_not_copy_the_rest_of_its_chunk_on_each_read() -> None:
    """The bulk loader reads a few kilobytes at a time: reads inside one chunk move an offset, the
    chunk is not sliced again (that was quadratic: 48 s instead of 19 s for the full merged view)."""
    lines = [f"<https://e.org/s{i}> <https://e.org/p> <https://e.org/o>".encode() for i in range(2000)]
    reader = LineReader(lines, size=len(lines))
    first = reader.read(100)
    chunk = reader._buffer
    parts = [first]
    while part := reader.read(100):
        assert reader._buffer is chunk or part == b""
        parts.append(part)
    assert b"".join(parts) == b" .\n".join(lines) + b" .\n"
