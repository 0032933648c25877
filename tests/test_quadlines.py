"""alskg.quadlines: a build's N-Quads split by bytes, and the canonical form that split relies on."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from alskg.build import BuildResult
from alskg.quadlines import LineReader, TriplesOfQuads, _Quads, split_lines, split_nquads

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


def test_split_takes_blocks_of_lines_and_cuts_a_block_of_one_known_graph_at_once() -> None:
    """A file is read in blocks of whole lines; a block whose lines are all in one graph seen
    before is split without a look at each line, with the same result as line by line."""
    lines = [_quad(s, G1) for s in "dcba"] + [_quad("e", G2), _quad("a", G1)]
    by_line = split_lines(lines)
    assert split_lines([lines[0], b"".join(lines[1:4]), b"".join(lines[4:])]) == by_line == {
        G1: [f"<https://e.org/{s}> <https://e.org/p> <https://e.org/o>".encode() for s in "abcd"],
        G2: [b"<https://e.org/e> <https://e.org/p> <https://e.org/o>"]}


def test_split_declines_a_default_graph_triple_naming_a_known_graph_inside_a_block() -> None:
    odd = f"<https://e.org/x> <https://e.org/p> <{G1}> .\n".encode()
    assert split_lines([_quad("a", G1), _quad("b", G1) + odd + _quad("c", G1)]) is None


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


def _quad(s: str, graph: str) -> bytes:
    return f"<https://e.org/{s}> <https://e.org/p> <https://e.org/o> <{graph}> .\n".encode()


def test_cut_all_cuts_every_line_of_known_graphs_at_once() -> None:
    quads = _Quads()
    assert quads.cut_all(_quad("a", G1)) is None  # no graph known yet: cut line by line
    assert quads.cut(_quad("a", G1)) > 0 and quads.cut(_quad("a", G2)) > 0
    chunk = _quad("b", G1) + _quad("c", G2) + _quad("d", G1)
    assert quads.cut_all(chunk) == b"".join(
        f"<https://e.org/{s}> <https://e.org/p> <https://e.org/o> .\n".encode() for s in "bcd")


@pytest.mark.parametrize("odd", [
    b"\n",  # a blank line
    f"<https://e.org/x> <https://e.org/p> <https://e.org/o> <{G1}x> .\n".encode(),  # an unknown graph
    f"<https://e.org/x> <https://e.org/p> <https://e.org/o> <{G1}> .\r\n".encode(),  # a CR LF line end
])
def test_cut_all_leaves_a_chunk_with_any_other_line_to_the_line_by_line_cut(odd: bytes) -> None:
    quads = _Quads()
    quads.cut(_quad("a", G1))
    assert quads.cut_all(_quad("b", G1) + odd + _quad("c", G1)) is None


def test_triples_of_quads_line_by_line_decline_a_default_graph_triple_naming_a_known_graph() -> None:
    text = _quad("a", G1) * 3 + f"<https://e.org/x> <https://e.org/p> <{G1}> .\n".encode()
    reader = TriplesOfQuads(io.BytesIO(text), chunk=len(_quad("a", G1)) * 3 - 1, whole_chunks=False)
    _read_all(reader, -1)
    assert reader.declined


def test_triples_of_quads_in_whole_chunks_leave_that_line_to_the_parser_and_say_so() -> None:
    """Cut with its chunk, the line keeps two terms: the parser refuses it, and the reader says it
    cut whole chunks, so the caller reads the file again line by line (as the test above)."""
    text = _quad("a", G1) * 3 + f"<https://e.org/x> <https://e.org/p> <{G1}> .\n".encode()
    reader = TriplesOfQuads(io.BytesIO(text), chunk=len(_quad("a", G1)) * 3 - 1)
    with pytest.raises(SyntaxError):
        ox.Store().bulk_load(input=reader, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    assert reader.whole_chunks and not reader.declined


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
