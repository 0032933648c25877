"""The engine gives the same results whichever way a check reaches its focus nodes.

Small targets are written into the queries as VALUES; large ones (the full build's
associations) run unrestricted and keep focus-node rows in Python, with every sh:minCount 1
path of a target in one query. The shape fixtures are small, so they are run twice: as
they are, and with the VALUES limit at 0 (every target handled as a large one).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from alskg import shacl
from alskg.store import load_files
from alskg.validate import compiled_shapes

from .conftest import FIXTURES

FILES = sorted((FIXTURES / "shapes").glob("*/*.ttl"))


def _name(term: object) -> str:
    """A term as text; blank nodes (fresh ids on every load) all as ``_:b``."""
    return "_:b" if isinstance(term, ox.BlankNode) else str(term)


def _results(path: Path) -> set[tuple[str, str | None, str, str, str]]:
    return {(_name(v.focus), v.path, _name(v.value), v.severity, v.component)
            for v in shacl.run(compiled_shapes(), load_files([path]))}


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_large_target_path_gives_the_values_path_results(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small = _results(path)
    monkeypatch.setattr(shacl, "VALUES_LIMIT", 0)
    assert _results(path) == small
    if path.parent.name == "invalid":
        assert small, f"{path.name}: the invalid fixture must fail"


def test_missing_required_paths_found_in_one_query(monkeypatch: pytest.MonkeyPatch) -> None:
    """sh:minCount 1 on a large target: each focus node lacking a path is reported for that path only."""
    shapes = rdflib.Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:a ; sh:minCount 1 ] , [ sh:path ex:b ; sh:minCount 1 ] .
    """, format="turtle")
    store = ox.Store()
    store.load(b"""
        @prefix ex: <http://example.org/> .
        ex:n1 a ex:C ; ex:a 1 ; ex:b 2 .
        ex:n2 a ex:C ; ex:a 1 .
        ex:n3 a ex:C .
        ex:other ex:c 3 .
    """, format=ox.RdfFormat.TURTLE)
    monkeypatch.setattr(shacl, "VALUES_LIMIT", 0)
    found = {(v.focus.value, v.path) for v in shacl.run(shacl.compile_shapes(shapes), store)}
    assert found == {("http://example.org/n2", "http://example.org/b"), ("http://example.org/n3", "http://example.org/a"),
                     ("http://example.org/n3", "http://example.org/b")}
