"""The engine's shortcuts for full-scope validation give the findings of the plain way.

- A large target's focus nodes are read into Python only when a check needs them; a few
  candidate rows are looked up in the target's selection instead (``Focus.members``).
- sh:maxCount is skipped on a path no subject has two values for (two counts).
- Node patterns without look-around run in SPARQL; those with look-around in Python.
- Checks run on several threads; the violations come in the same order whatever the timing.

The shape fixtures are small, so they are run with every target handled as a large one
(``EAGER_LIMIT`` and ``VALUES_LIMIT`` at 0) and compared with the default run.
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
EX = "http://example.org/"


def _name(term: object) -> str:
    """A term as text; blank nodes (fresh ids on every load) all as ``_:b``."""
    return "_:b" if isinstance(term, ox.BlankNode) else str(term)


def _results(store: ox.Store, compiled: shacl.Compiled, workers: int | None = None) -> list[tuple[str, ...]]:
    return [(_name(v.focus), str(v.path), _name(v.value), v.severity, v.component, v.message)
            for v in shacl.run(compiled, store, workers=workers)]


def _store(turtle: str) -> ox.Store:
    store = ox.Store()
    store.load(turtle.encode(), format=ox.RdfFormat.TURTLE)
    return store


def _compiled(turtle: str) -> shacl.Compiled:
    return shacl.compile_shapes(rdflib.Graph().parse(data=turtle, format="turtle"))


PREFIXES = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n"


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_lazy_large_targets_give_the_eager_results(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    eager = sorted(_results(load_files([path]), compiled_shapes()))
    monkeypatch.setattr(shacl, "EAGER_LIMIT", 0)
    monkeypatch.setattr(shacl, "VALUES_LIMIT", 0)
    assert sorted(_results(load_files([path]), compiled_shapes())) == eager
    if path.parent.name == "invalid":
        assert eager, f"{path.name}: the invalid fixture must fail"


@pytest.mark.parametrize("path", [p for p in FILES if p.parent.name == "invalid"], ids=lambda p: p.name)
def test_threads_give_the_serial_findings_in_the_same_order(path: Path) -> None:
    store = load_files([path])
    serial = _results(store, compiled_shapes(), workers=1)
    assert serial
    assert _results(store, compiled_shapes(), workers=4) == serial


def test_rows_of_subjects_outside_a_large_target_are_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unrestricted check sees ex:other's bad value too; only ex:n1 is a focus node."""
    compiled = _compiled(PREFIXES + """
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:a ; sh:datatype <http://www.w3.org/2001/XMLSchema#string> ] .
    """)
    store = _store("""@prefix ex: <http://example.org/> .
        ex:n1 a ex:C ; ex:a "x"@en . ex:n2 a ex:C ; ex:a "y" . ex:other ex:a "z"@en .""")
    monkeypatch.setattr(shacl, "EAGER_LIMIT", 0)
    monkeypatch.setattr(shacl, "VALUES_LIMIT", 0)
    assert [(v.focus.value, v.value.value) for v in shacl.run(compiled, store)] == [(EX + "n1", "x")]


def test_members_looks_up_few_candidates_without_reading_the_target(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shacl, "EAGER_LIMIT", 1)
    store = _store("""@prefix ex: <http://example.org/> .
        ex:n1 a ex:C . ex:n2 a ex:C . ex:n3 a ex:C . ex:other a ex:D .""")
    selection = f"{{ SELECT DISTINCT ?this WHERE {{ ?this a <{EX}C> }} }}"
    focus = shacl.Focus(store, "", selection)
    assert focus.size == 2  # reading stopped one past the limit
    found = focus.members({ox.NamedNode(EX + "n2"), ox.NamedNode(EX + "other")})
    assert found == {ox.NamedNode(EX + "n2")}
    assert focus._nodes is None  # the target was not read in full
    assert focus.nodes == {ox.NamedNode(EX + n) for n in ("n1", "n2", "n3")}


MAX_COUNT_SHAPES = PREFIXES + """
    ex:S a sh:NodeShape ; sh:targetClass ex:C ;
        sh:property [ sh:path ex:a ; sh:maxCount 1 ] , [ sh:path ex:b ; sh:maxCount 0 ] .
"""


def test_max_count_skipped_only_when_every_subject_has_one_value() -> None:
    compiled = _compiled(MAX_COUNT_SHAPES)
    single = _store("""@prefix ex: <http://example.org/> .
        ex:n1 a ex:C ; ex:a 1 . ex:n2 a ex:C ; ex:a 2 ; ex:b 3 . ex:other ex:a 1 .""")
    assert {(v.focus.value, v.path) for v in shacl.run(compiled, single)} == {(EX + "n2", EX + "b")}
    double = _store("""@prefix ex: <http://example.org/> .
        ex:n1 a ex:C ; ex:a 1, 2 . ex:n2 a ex:C ; ex:a 2 . ex:other ex:a 1, 2 .""")
    assert {(v.focus.value, v.path) for v in shacl.run(compiled, double)} == {(EX + "n1", EX + "a")}


def test_max_count_checked_when_only_a_non_focus_subject_has_two_values() -> None:
    compiled = _compiled(MAX_COUNT_SHAPES)
    store = _store("""@prefix ex: <http://example.org/> .
        ex:n1 a ex:C ; ex:a 1 . ex:other ex:a 1, 2 .""")
    assert list(shacl.run(compiled, store)) == []


@pytest.mark.parametrize("pattern", ["^http://example\\\\.org/n[0-9]$", "^http://example\\\\.org/n(?=[0-9]$)"],
                         ids=["sparql", "look-around (python)"])
def test_node_pattern_same_findings_in_sparql_and_python(pattern: str) -> None:
    compiled = _compiled(PREFIXES + f'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:pattern "{pattern}" .')
    assert [c.query is None for c in compiled.checks] == ["(?=" in pattern]
    store = _store("""@prefix ex: <http://example.org/> .
        ex:n1 a ex:C . ex:nx a ex:C . _:b a ex:C .""")
    found = sorted((_name(v.focus), _name(v.value), v.component) for v in shacl.run(compiled, store))
    assert found == [(f"<{EX}nx>", f"<{EX}nx>", "PatternConstraintComponent"),
                     ("_:b", "_:b", "PatternConstraintComponent")]
