"""The SPARQL-compiled SHACL engine gives exactly pySHACL's results on every shape fixture."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from rdflib.namespace import RDF, SH

from alskg.shacl import Unsupported, compile_shapes, run
from alskg.store import load_files
from alskg.validate import _to_ntriples, compiled_shapes, load_shapes

from .conftest import FIXTURES

FILES = sorted((FIXTURES / "shapes").glob("*/*.ttl"))
Result = tuple[str, str | None, str | None, str, str]


def _rdflib(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> rdflib.term.Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def _norm(term: rdflib.term.Node | None) -> str | None:
    if term is None:
        return None
    return "_:b" if isinstance(term, rdflib.BNode) else term.n3()


def ours(path: Path) -> set[Result]:
    return {(_norm(_rdflib(v.focus)), v.path, _norm(_rdflib(v.value)), v.severity, v.component)  # type: ignore[misc]
            for v in run(compiled_shapes(), load_files([path]))}


def reference(path: Path, shapes: rdflib.Graph) -> set[Result]:
    data = rdflib.Graph()
    data.parse(data=_to_ntriples(load_files([path])), format="nt")
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True)
    out = set()
    for r in report.subjects(RDF.type, SH.ValidationResult):
        path_ = report.value(r, SH.resultPath)
        out.add((_norm(report.value(r, SH.focusNode)), str(path_) if path_ is not None else None,
                 _norm(report.value(r, SH.value)), str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
                 str(report.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]))
    return out


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return load_shapes()


@pytest.mark.trials
@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.stem}" for p in FILES])
def test_same_results_as_pyshacl(path: Path, shapes: rdflib.Graph) -> None:
    assert ours(path) == reference(path, shapes)


def test_unsupported_features_are_refused() -> None:
    shapes = rdflib.Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:uniqueLang true ] .
    """, format="turtle")
    with pytest.raises(Unsupported, match="uniqueLang"):
        compile_shapes(shapes)


def test_sparql_message_template_is_filled(built: object) -> None:
    store = ox.Store()
    store.load(b"""@prefix biolink: <https://w3id.org/biolink/vocab/> . @prefix ex: <http://example.org/> .
        <https://w3id.org/alskg/id/assoc-0123456789abcdef> a biolink:DiseaseToPhenotypicFeatureAssociation ;
          biolink:subject <http://purl.obolibrary.org/obo/MONDO_0004976> ; biolink:predicate biolink:has_phenotype ;
          biolink:object <http://purl.obolibrary.org/obo/HP_0001324> .""", format=ox.RdfFormat.TURTLE)
    messages = {v.message for v in run(compiled_shapes(), store) if v.component == "SPARQLConstraintComponent"}
    assert any("the direct triple is missing" in m and "HP_0001324" in m for m in messages), messages


# -- regressions: answers that differed from pySHACL with no error (issue 9) ----------------------
PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
"""


def _both(shapes_ttl: str, data_ttl: str) -> tuple[set[Result], set[Result]]:
    """Results of this engine and of pySHACL on inline shapes and data."""
    shapes = rdflib.Graph().parse(data=PREFIXES + shapes_ttl, format="turtle")
    store = ox.Store()
    store.load((PREFIXES + data_ttl).encode(), format=ox.RdfFormat.TURTLE)
    mine = {(_norm(_rdflib(v.focus)), v.path, _norm(_rdflib(v.value)), v.severity, v.component)  # type: ignore[misc]
            for v in run(compile_shapes(shapes), store)}
    data = rdflib.Graph().parse(data=PREFIXES + data_ttl, format="turtle")
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True)
    theirs = set()
    for r in report.subjects(RDF.type, SH.ValidationResult):
        path_ = report.value(r, SH.resultPath)
        theirs.add((_norm(report.value(r, SH.focusNode)), str(path_) if path_ is not None else None,
                    _norm(report.value(r, SH.value)), str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
                    str(report.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]))
    return mine, theirs


EX = "http://example.org/"


def test_target_node_only_shape_is_checked() -> None:
    mine, theirs = _both("ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
                         "ex:a ex:q 1 .")
    assert mine == theirs == {(f"<{EX}a>", f"{EX}p", None, "Violation", "MinCountConstraintComponent")}


def test_target_node_literal_is_a_focus_node() -> None:
    mine, theirs = _both('ex:S a sh:NodeShape ; sh:targetNode "x", "y" ; sh:in ( "x" ) .', "ex:a ex:q 1 .")
    assert mine == theirs == {('"y"', None, '"y"', "Violation", "InConstraintComponent")}


def test_node_level_has_value() -> None:
    mine, theirs = _both("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:hasValue ex:x .",
                         "ex:a a ex:C . ex:b a ex:C . ex:x a ex:C .")
    assert mine == theirs == {(f"<{EX}{n}>", None, None, "Violation", "HasValueConstraintComponent") for n in "ab"}


def test_node_level_max_inclusive() -> None:
    mine, theirs = _both("ex:S a sh:NodeShape ; sh:targetObjectsOf ex:p ; sh:maxInclusive 3 .",
                         "ex:a ex:p 1, 5 .")
    focus = f'"5"^^<{XSD_INTEGER}>'
    assert mine == theirs == {(focus, None, focus, "Violation", "MaxInclusiveConstraintComponent")}


XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def test_deactivated_property_shape_is_skipped() -> None:
    mine, theirs = _both("""ex:S a sh:NodeShape ; sh:targetClass ex:C ;
        sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:deactivated true ] ,
                    [ sh:path ex:q ; sh:minCount 1 ] .""", "ex:a a ex:C .")
    assert mine == theirs == {(f"<{EX}a>", f"{EX}q", None, "Violation", "MinCountConstraintComponent")}


def test_top_level_property_shape_with_target() -> None:
    mine, theirs = _both("ex:P a sh:PropertyShape ; sh:targetClass ex:C ; sh:path ex:p ; sh:minCount 1 .",
                         "ex:a a ex:C . ex:b a ex:C ; ex:p 1 .")
    assert mine == theirs == {(f"<{EX}a>", f"{EX}p", None, "Violation", "MinCountConstraintComponent")}


def test_ill_formed_literal_fails_its_datatype() -> None:
    mine, theirs = _both("ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:datatype xsd:date ] .",
                         'ex:a ex:p "2020-13-01"^^xsd:date . ex:b ex:p "2020-12-01"^^xsd:date .')
    assert {r[0] for r in mine} == {f"<{EX}a>"} and mine == theirs


def test_focus_tags_are_invisible_to_sparql_constraints() -> None:
    """A SPARQL constraint listing every property of $this sees the data only, not the focus tags."""
    mine, theirs = _both("""ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:q ; sh:sparql [ sh:select '''
        SELECT $this ?value WHERE { $this ?p ?value FILTER(?p != <http://example.org/q>) }''' ] .""",
                         "ex:a ex:q 1 .")
    assert mine == theirs == set()


@pytest.mark.parametrize("shapes_ttl, feature", [
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .", "sh:closed on a node shape"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:deactivated true ; sh:closed true .",
     "sh:closed on a node shape"),  # checked before the deactivated shape is skipped
    ("ex:S a sh:NodeShape ; sh:minLength 2 .", "sh:minLength on a node shape"),  # target-less: still checked
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:minCount 1 .", "sh:minCount on a node shape"),
    ("ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:uniqueLang true ] .",
     "sh:uniqueLang on a property shape"),
    ("ex:S sh:targetClass ex:C ; sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 ] .",
     "[sh:path a blank node] of <http://example.org/S>: a non-predicate sh:path"),
    ("ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:nodeKind ex:Odd ] .", "sh:nodeKind <http"),
    ("ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:datatype xsd:int ] .", "sh:datatype xsd:int"),
    ("ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:maxCount \"many\" ] .", "sh:maxCount"),
    ("ex:S sh:targetClass ex:C ; sh:rule [ a sh:TripleRule ] .", "sh:TripleRule"),
])
def test_unclaimed_feature_is_refused(shapes_ttl: str, feature: str) -> None:
    shapes = rdflib.Graph().parse(data=PREFIXES + shapes_ttl, format="turtle")
    with pytest.raises(Unsupported) as refused:
        compile_shapes(shapes)
    assert feature in str(refused.value) and "\n" not in str(refused.value)
    assert str(refused.value).startswith("shape ")


def _cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "alskg", *map(str, args)], capture_output=True, text=True,
                          timeout=120)


def test_unsupported_feature_is_one_line_exit_2(tmp_path: Path) -> None:
    shapes = tmp_path / "closed.ttl"
    shapes.write_text(PREFIXES + "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .\n")
    data = tmp_path / "data.ttl"
    data.write_text(PREFIXES + "ex:a a ex:C .\n")
    proc = _cli("validate", "--shapes", shapes, data)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == "" and "Traceback" not in proc.stderr
    assert proc.stderr.splitlines() == [
        "alskg: error: shape <http://example.org/S>: sh:closed on a node shape is not supported by the sparql engine "
        "(use --engine pyshacl, or remove it)"]
    reference = _cli("validate", "--engine", "pyshacl", "--shapes", shapes, data)  # the way out the error names
    assert reference.returncode == 1 and "ClosedConstraint" not in reference.stderr
    assert "is closed" in reference.stdout


def test_validate_shapes_option_runs_both_engines(tmp_path: Path) -> None:
    shapes = [tmp_path / "a.ttl", tmp_path / "b.ttl"]
    shapes[0].write_text(PREFIXES + "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .\n")
    shapes[1].write_text(PREFIXES + "ex:T sh:targetNode ex:b ; sh:hasValue ex:a .\n")
    data = tmp_path / "data.ttl"
    data.write_text(PREFIXES + "ex:a a ex:C ; ex:p 1 . ex:b a ex:C .\n")
    outputs = []
    for engine in ("sparql", "pyshacl"):
        proc = _cli("validate", "--engine", engine, "--shapes", shapes[0], "--shapes", shapes[1], "--format", "json",
                    data)
        assert proc.returncode == 1, proc.stderr
        doc = json.loads(proc.stdout)
        outputs.append(sorted((f["focus"], f["path"], f["component"]) for f in doc["findings"]))
    assert outputs[0] == outputs[1] == [
        ("http://example.org/b", "", "HasValueConstraintComponent"),
        ("http://example.org/b", "http://example.org/p", "MinCountConstraintComponent")]


def test_validate_shapes_without_shapes_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data.ttl"
    data.write_text(PREFIXES + "ex:a a ex:C .\n")
    proc = _cli("validate", "--shapes", data, data)
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1, proc.stderr
    assert "no SHACL shapes" in proc.stderr
