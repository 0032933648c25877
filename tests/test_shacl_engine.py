"""The SPARQL-compiled SHACL engine gives exactly pySHACL's results on every shape fixture."""

from __future__ import annotations

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
