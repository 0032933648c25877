"""Shortcuts from facts about a path's values give the findings of the plain way.

- Node-level value tests (nodeKind, pattern, in, ranges, or, datatype) of a shape run as one
  query, each test reporting its own component.
- A value test's verdict depends on the value alone: for a large target the path's distinct
  values are tested first (``Check.failing``); none failing, the check reads no rows; a few
  failing IRIs restrict the check's query (``VALUES ?v``, mode ``BOUND``); failing literals
  run the query as it is.
- The DirectEdgeConstraint's rewritten query (UNIONs, the negated branch by aggregation)
  gives pySHACL's results on the edge cases of negation.

Every case runs twice where it matters: as it is, and with every target handled as a large
one (``VALUES_LIMIT`` and ``EAGER_LIMIT`` at 0).
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib

from alskg import shacl
from alskg.validate import load_shapes

from .test_shacl_engine import PREFIXES, _both

EX = "http://example.org/"


def _run(shapes_ttl: str, data_ttl: str, large: bool, monkeypatch: pytest.MonkeyPatch) -> set[tuple[str, ...]]:
    if large:
        monkeypatch.setattr(shacl, "VALUES_LIMIT", 0)
        monkeypatch.setattr(shacl, "EAGER_LIMIT", 0)
    store = ox.Store()
    store.load((PREFIXES + data_ttl).encode(), format=ox.RdfFormat.TURTLE)
    compiled = shacl.compile_shapes(rdflib.Graph().parse(data=PREFIXES + shapes_ttl, format="turtle"))
    return {(str(v.focus), str(v.path), str(v.value), v.component) for v in shacl.run(compiled, store)}


NODE_SHAPE = """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:nodeKind sh:IRI ;
    sh:pattern "^http://example.org/ok" ; sh:in ( ex:ok1 ex:ok2 ex:okx ) ."""


def test_node_tests_are_one_query_per_shape() -> None:
    compiled = shacl.compile_shapes(rdflib.Graph().parse(data=PREFIXES + NODE_SHAPE, format="turtle"))
    assert [(c.mode, [t.component for t in c.tests]) for c in compiled.checks] == [
        (shacl.ITSELF, ["NodeKindConstraintComponent", "PatternConstraintComponent", "InConstraintComponent"])]


@pytest.mark.parametrize("large", [False, True], ids=["values", "large"])
def test_node_tests_batched_report_each_failing_test(large: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    data = "ex:ok1 a ex:C . ex:ok2 a ex:C . ex:bad a ex:C . ex:okx a ex:C . ex:ok3 a ex:C ."
    found = _run(NODE_SHAPE, data, large, monkeypatch)
    assert found == {(f"<{EX}bad>", "None", f"<{EX}bad>", "PatternConstraintComponent"),
                     (f"<{EX}bad>", "None", f"<{EX}bad>", "InConstraintComponent"),
                     (f"<{EX}ok3>", "None", f"<{EX}ok3>", "InConstraintComponent")}


@pytest.mark.parametrize("large", [False, True], ids=["values", "large"])
def test_node_tests_batched_pass(large: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _run(NODE_SHAPE, "ex:ok1 a ex:C . ex:ok2 a ex:C .", large, monkeypatch) == set()


# ex:p's value ex:y is used by nodes outside the target (ex:B): failing the sh:in, but no finding
PROPERTY_SHAPE = """ex:S a sh:NodeShape ; sh:targetClass ex:A ;
    sh:property [ sh:path ex:p ; sh:nodeKind sh:IRI ; sh:in ( ex:x ex:z ) ] ,
                [ sh:path ex:n ; sh:datatype xsd:integer ] ,
                [ sh:path ex:k ; sh:class ex:K ] ."""
OUTSIDE = """ex:b1 a ex:B ; ex:p ex:y ; ex:n "nine" ; ex:k ex:notK .
    ex:b2 a ex:B ; ex:p ex:y ; ex:n "ten" ; ex:k ex:notK .
    ex:a1 a ex:A ; ex:p ex:x ; ex:n 1 ; ex:k ex:k1 . ex:k1 a ex:K .
    ex:a2 a ex:A ; ex:p ex:z ; ex:n 2 ; ex:k ex:k1 ."""


@pytest.mark.parametrize("large", [False, True], ids=["values", "large"])
def test_values_failing_outside_the_target_give_no_finding(large: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _run(PROPERTY_SHAPE, OUTSIDE, large, monkeypatch) == set()


@pytest.mark.parametrize("large", [False, True], ids=["values", "large"])
def test_values_failing_in_the_target_are_found(large: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    data = OUTSIDE + ' ex:a3 a ex:A ; ex:p ex:y , "x" ; ex:n "eleven" ; ex:k ex:notK .'
    assert _run(PROPERTY_SHAPE, data, large, monkeypatch) == {
        (f"<{EX}a3>", f"{EX}p", f"<{EX}y>", "InConstraintComponent"),
        (f"<{EX}a3>", f"{EX}p", '"x"', "NodeKindConstraintComponent"),
        (f"<{EX}a3>", f"{EX}p", '"x"', "InConstraintComponent"),
        (f"<{EX}a3>", f"{EX}n", '"eleven"', "DatatypeConstraintComponent"),
        (f"<{EX}a3>", f"{EX}k", f"<{EX}notK>", "ClassConstraintComponent")}


def test_no_failing_value_reads_no_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pre-check's answer is empty, so the check's own query never runs."""
    monkeypatch.setattr(shacl, "VALUES_LIMIT", 0)
    monkeypatch.setattr(shacl, "EAGER_LIMIT", 0)
    store = ox.Store()
    store.load((PREFIXES + "ex:a1 a ex:A ; ex:p ex:x ; ex:n 1 ; ex:k ex:k1 . ex:k1 a ex:K .").encode(),
               format=ox.RdfFormat.TURTLE)
    compiled = shacl.compile_shapes(rdflib.Graph().parse(data=PREFIXES + PROPERTY_SHAPE, format="turtle"))
    cache = shacl._Cache(store)
    checks = [c for c in compiled.checks if c.failing is not None]
    assert sorted(c.path for c in checks) == [f"{EX}k", f"{EX}n", f"{EX}p"]
    for check in checks:
        focus = shacl.Focus(store, compiled.prefixes, compiled.targets[check.focus])
        assert list(shacl._run_check(check, store, cache, focus)) == []
        assert cache.failing(check) == []
    assert set(cache.answers) == {c.failing for c in checks}  # nothing else was asked


def test_few_failing_iris_restrict_the_query() -> None:
    check = shacl.Check(f"SELECT ?this ?v WHERE {{ {shacl.FOCUS_SLOT}?this <{EX}p> ?v }}", "C", "Violation", "",
                        "s", f"{EX}p", failing="unused")
    restricted = shacl._only_values(check, [ox.NamedNode(f"{EX}y"), ox.NamedNode(f"{EX}b")])
    assert restricted.mode == shacl.BOUND
    assert f"VALUES ?v {{ <{EX}b> <{EX}y> }} ?this" in restricted.query  # type: ignore[operator]
    assert shacl._only_values(check, [ox.Literal("x")]) is check  # literals: the query as it is


# -- the DirectEdgeConstraint, rewritten: the same results as pySHACL --------------------------
DIRECT_EDGE = """
@prefix biolink: <https://w3id.org/biolink/vocab/> .
ex:S a sh:NodeShape ; sh:targetClass ex:Assoc ; sh:sparql [ a sh:SPARQLConstraint ;
    sh:message "{?problem}" ; sh:select \"\"\"{select}\"\"\" ] ."""


def _direct_edge_shapes() -> str:
    """The constraint's own query, from the packaged shapes, on a test target."""
    shapes = load_shapes()
    select = shapes.value(rdflib.URIRef("https://w3id.org/alskg/shapes/DirectEdgeConstraint"), rdflib.SH.select)
    prefixes = "PREFIX biolink: <https://w3id.org/biolink/vocab/>\nPREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
    return DIRECT_EDGE.replace("{select}", prefixes + str(select).replace("\\", "\\\\"))


NEGATION_CASES = """
@prefix biolink: <https://w3id.org/biolink/vocab/> .
# negated, direct triple present, another association asserts it: valid
ex:d1 ex:has ex:f1 .
ex:n1 a ex:Assoc ; biolink:subject ex:d1 ; biolink:predicate ex:has ; biolink:object ex:f1 ; biolink:negated true .
ex:p1 a ex:Assoc ; biolink:subject ex:d1 ; biolink:predicate ex:has ; biolink:object ex:f1 .
# two negated associations of one edge, direct triple present, nobody asserts it: both violate
ex:d2 ex:has ex:f2 .
ex:n2 a ex:Assoc ; biolink:subject ex:d2 ; biolink:predicate ex:has ; biolink:object ex:f2 ; biolink:negated true .
ex:n3 a ex:Assoc ; biolink:subject ex:d2 ; biolink:predicate ex:has ; biolink:object ex:f2 ; biolink:negated true .
# negated without the direct triple: valid
ex:n4 a ex:Assoc ; biolink:subject ex:d3 ; biolink:predicate ex:has ; biolink:object ex:f3 ; biolink:negated true .
# asserted by an association outside the target: still asserted
ex:d4 ex:has ex:f4 .
ex:n5 a ex:Assoc ; biolink:subject ex:d4 ; biolink:predicate ex:has ; biolink:object ex:f4 ; biolink:negated true .
ex:o1 biolink:subject ex:d4 ; biolink:predicate ex:has ; biolink:object ex:f4 .
# negated false counts as asserting
ex:d5 ex:has ex:f5 .
ex:n6 a ex:Assoc ; biolink:subject ex:d5 ; biolink:predicate ex:has ; biolink:object ex:f5 ; biolink:negated true .
ex:n7 a ex:Assoc ; biolink:subject ex:d5 ; biolink:predicate ex:has ; biolink:object ex:f5 ; biolink:negated false .
# not negated, direct triple missing; and a reified statement mixing rdf: and biolink: slots
ex:p2 a ex:Assoc ; biolink:subject ex:d6 ; biolink:predicate ex:has ; biolink:object ex:f6 .
ex:r1 a ex:Assoc ; rdf:subject ex:d7 ; biolink:predicate ex:has ; rdf:object ex:f7 .
ex:r2 a ex:Assoc ; rdf:subject ex:d1 ; rdf:predicate ex:has ; rdf:object ex:f1 .
"""


def test_direct_edge_rewrite_agrees_with_pyshacl() -> None:
    mine, theirs = _both(_direct_edge_shapes(), NEGATION_CASES)
    assert mine == theirs
    assert {focus for focus, *_ in mine} == {f"<{EX}{n}>" for n in ("n2", "n3", "p2", "r1")}
