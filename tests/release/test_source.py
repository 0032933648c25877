"""Reading a build back for its release: ``alskg.nq`` read once, the merged view its graphs' union."""

from __future__ import annotations

import pyoxigraph as ox

from alskg.build import BuildResult
from alskg.release.source import LineReader, LineSink, lines_store, merged_union, read_snapshot, sorted_lines

A = b'<http://example.org/a> <http://example.org/p> "x"'
B = b'<http://example.org/b> <http://example.org/p> "line\\nbreak"@en'
C = b'<http://example.org/c> <http://example.org/p> <http://example.org/d>'


def test_merged_view_read_from_nquads_equals_the_store_default_graph(built: BuildResult) -> None:
    store = ox.Store.read_only(str(built.files["store"]))
    expected = sorted_lines(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()))
    del store
    snapshot = read_snapshot(built.out_dir)
    assert snapshot.merged == expected
    assert len(snapshot.merged) > 10_000


def test_merged_view_holds_the_named_graphs_own_lines(built: BuildResult) -> None:
    snapshot = read_snapshot(built.out_dir)
    held = {id(line) for lines in snapshot.named.values() for line in lines}
    assert all(id(line) in held for line in snapshot.merged)


def test_merged_union_keeps_a_line_stated_in_two_graphs_once() -> None:
    assert merged_union([[A, C], [A, B], []]) == [A, B, C]
    assert merged_union([]) == []


def test_line_sink_keeps_lines_cut_across_chunks() -> None:
    data = b" .\n".join([C, B, A]) + b" .\n"
    sink = LineSink()
    for i in range(0, len(data), 7):  # chunk ends fall inside terms and inside " .\n"
        sink.write(data[i:i + 7])
    assert sink.sorted_lines() == [A, B, C] == sorted_lines(data)


def test_line_reader_gives_back_the_dump_in_any_read_sizes() -> None:
    lines = [A, B, C] * 5
    whole = b" .\n".join(lines) + b" .\n"
    for n in (1, 5, 64, -1):
        reader, parts = LineReader(lines, size=2), []
        while part := reader.read(n):
            parts.append(part)
        assert b"".join(parts) == whole


def test_lines_store_streams_the_lines_in() -> None:
    store = lines_store([A, B, C])
    assert len(store) == 3
    assert sorted_lines(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())) == [A, B, C]
