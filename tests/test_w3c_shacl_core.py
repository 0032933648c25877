"""The W3C SHACL core test suite on alskg's SPARQL-compiled engine, and on pySHACL.

Each case (``tests/fixtures/w3c-shacl-core/``, copied from w3c/data-shapes with its licence)
must either give the expected report (conforms, and the set of (focus node, path, constraint
component) results), or be refused at compile time with the documented one-line error when
it uses a feature the engine does not claim. ``REFUSED`` lists the refused cases: a case
moving between the two sets is a change of what the engine claims, made on purpose.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from rdflib.namespace import RDF, SH, XSD

from alskg.shacl import Unsupported, compile_shapes, run

from .conftest import FIXTURES

SUITE = FIXTURES / "w3c-shacl-core"
BASE = "http://datashapes.org/sh/tests/core/"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = rdflib.Namespace("http://www.w3.org/ns/shacl-test#")
CASES = sorted(p for p in SUITE.glob("*/*.ttl") if "sht:Validate" in p.read_text(encoding="utf-8"))
REFUSAL = re.compile(r"shape \S.*: .+ is not supported by the sparql engine \(use --engine pyshacl, or remove it\)")

# Cases using a feature the engine does not claim (the feature named in the refusal).
REFUSED = {
    "complex/personexample": "sh:closed on a node shape",
    "complex/shacl-shacl": "sh:node on a node shape",
    "node/and-001": "sh:and on a node shape",
    "node/and-002": "sh:and on a node shape",
    "node/closed-001": "sh:closed on a node shape",
    "node/closed-002": "sh:closed on a node shape",
    "node/disjoint-001": "sh:disjoint on a node shape",
    "node/equals-001": "sh:equals on a node shape",
    "node/languageIn-001": "sh:languageIn on a node shape",
    "node/maxLength-001": "sh:maxLength on a node shape",
    "node/minLength-001": "sh:minLength on a node shape",
    "node/node-001": "sh:node on a node shape",
    "node/not-001": "sh:not on a node shape",
    "node/not-002": "sh:not on a node shape",
    "node/or-001": "sh:property inside an sh:or alternative",
    "node/qualified-001": "sh:qualifiedMaxCount on a node shape",
    "node/xone-001": "sh:xone on a node shape",
    "node/xone-duplicate": "sh:xone on a node shape",
    "path/path-alternative-001": "a non-predicate sh:path",
    "path/path-complex-001": "a non-predicate sh:path",
    "path/path-complex-002": "a non-predicate sh:path",
    "path/path-inverse-001": "a non-predicate sh:path",
    "path/path-oneOrMore-001": "a non-predicate sh:path",
    "path/path-sequence-001": "a non-predicate sh:path",
    "path/path-sequence-002": "a non-predicate sh:path",
    "path/path-sequence-duplicate-001": "a non-predicate sh:path",
    "path/path-strange-001": "a non-predicate sh:path",
    "path/path-strange-002": "a non-predicate sh:path",
    "path/path-unused-001": "sh:inversePath on a node shape",
    "path/path-zeroOrMore-001": "a non-predicate sh:path",
    "path/path-zeroOrOne-001": "a non-predicate sh:path",
    "property/and-001": "sh:and on a property shape",
    "property/datatype-ill-formed": "sh:datatype xsd:byte",
    "property/disjoint-001": "sh:disjoint on a property shape",
    "property/languageIn-001": "sh:languageIn on a property shape",
    "property/maxLength-001": "sh:maxLength on a property shape",
    "property/minLength-001": "sh:minLength on a property shape",
    "property/node-001": "sh:node on a property shape",
    "property/node-002": "sh:node on a property shape",
    "property/not-001": "sh:not on a property shape",
    "property/property-001": "sh:property on a property shape",
    "property/qualifiedMinCountDisjoint-001": "sh:qualifiedMaxCount on a property shape",
    "property/qualifiedValueShape-001": "sh:qualifiedMaxCount on a property shape",
    "property/qualifiedValueShapesDisjoint-001": "sh:qualifiedMaxCount on a property shape",
    "property/uniqueLang-001": "sh:uniqueLang on a property shape",
    "property/uniqueLang-002": "sh:uniqueLang on a property shape",
    "validation-reports/shared": "sh:property on a property shape",
}
Result = tuple[str, str | None, str]
# or-datatypes-001 holds a deliberately odd "none"^^xsd:boolean; rdflib warns while parsing it
pytestmark = pytest.mark.filterwarnings("ignore:Parsing weird boolean")


def _case_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def _graph(path: Path) -> rdflib.Graph:
    """A suite file as rdflib parses it (base IRI: its place in the suite)."""
    return rdflib.Graph().parse(path, format="turtle", publicID=_base(path))


def _base(path: Path) -> str:
    return f"{BASE}{path.parent.name}/{path.name}"


def _local(iri: rdflib.term.Node, case: Path) -> Path:
    name = str(iri).rsplit("/", 1)[-1]
    return case.parent / name if name else case


def _without_expected_report(graph: rdflib.Graph) -> rdflib.Graph:
    """The shapes graph minus the manifest's expected report (whose sh: terms are no shapes):
    the report node, its results, and the result paths (shapes they name are kept)."""
    out = rdflib.Graph()
    for t in graph:
        out.add(t)
    for report in graph.objects(None, MF.result):
        results = list(graph.objects(report, SH.result))
        todo = [p for r in results for p in graph.objects(r, SH.resultPath) if (None, SH.path, p) not in graph]
        for node in [report, *results]:
            out.remove((node, None, None))
        while todo:
            node = todo.pop()
            if isinstance(node, rdflib.BNode) and (node, None, None) in out:
                todo.extend(out.objects(node, None))
                out.remove((node, None, None))
    return out


def _key(term: rdflib.term.Node | ox.NamedNode | ox.Literal | ox.BlankNode | None) -> str | None:
    """A comparable spelling of a term from either engine or the manifest: literals by value
    (Oxigraph writes "4.0"^^xsd:decimal as "4"), xsd:string as a plain literal."""
    if term is None:
        return None
    if isinstance(term, (rdflib.BNode, ox.BlankNode)):
        return "_:b"
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        term = rdflib.Literal(term.value, lang=term.language,
                              datatype=None if term.language else rdflib.URIRef(term.datatype.value))
    if isinstance(term, rdflib.Literal):
        datatype = None if term.datatype == XSD.string else term.datatype
        value = rdflib.Literal(str(term), lang=term.language, datatype=datatype)
        native = value.toPython()
        if isinstance(native, Decimal):
            native = native.normalize()
        return f"{native!r}^^{datatype}" if isinstance(native, (int, float, Decimal)) else value.n3()
    return term.n3()


def _report(graph: rdflib.Graph, report: rdflib.term.Node) -> tuple[bool, set[Result]]:
    results = set()
    for r in graph.objects(report, SH.result):
        path = graph.value(r, SH.resultPath)
        results.add((_key(graph.value(r, SH.focusNode)), _key(path),  # type: ignore[misc]
                     str(graph.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]))
    return bool(graph.value(report, SH.conforms).toPython()), results  # type: ignore[union-attr]


def _files(case: Path) -> tuple[Path, Path, rdflib.term.Node]:
    manifest = _graph(case)
    entry = next(manifest.subjects(RDF.type, SHT.Validate))
    action = manifest.value(entry, MF.action)
    data = _local(manifest.value(action, SHT.dataGraph), case)  # type: ignore[arg-type]
    shapes = _local(manifest.value(action, SHT.shapesGraph), case)  # type: ignore[arg-type]
    return data, shapes, entry


def expected(case: Path) -> tuple[bool, set[Result]]:
    manifest = _graph(case)
    entry = next(manifest.subjects(RDF.type, SHT.Validate))
    return _report(manifest, manifest.value(entry, MF.result))  # type: ignore[arg-type]


def ours(case: Path) -> tuple[bool, set[Result]]:
    data, shapes, _ = _files(case)
    compiled = compile_shapes(_without_expected_report(_graph(shapes)))
    store = ox.Store()
    store.load(path=str(data), format=ox.RdfFormat.TURTLE, base_iri=_base(data))
    found = run(compiled, store)
    results = {(_key(v.focus), f"<{v.path}>" if v.path else None, v.component) for v in found}
    return not found, results  # type: ignore[return-value]


def pyshacl_report(case: Path) -> tuple[bool, set[Result]]:
    data, shapes, _ = _files(case)
    conforms, graph, _ = pyshacl.validate(_graph(data), shacl_graph=_without_expected_report(_graph(shapes)),
                                          inference="none", advanced=True)
    report = next(graph.subjects(RDF.type, SH.ValidationReport))
    return _report(graph, report)


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_w3c_core_case(case: Path) -> None:
    """Expected report, or the documented refusal naming the unclaimed feature."""
    name = _case_id(case)
    if name in REFUSED:
        with pytest.raises(Unsupported) as refused:
            ours(case)
        message = str(refused.value)
        assert "\n" not in message and REFUSAL.fullmatch(message), message
        assert REFUSED[name] in refused.value.feature, message
        return
    assert ours(case) == expected(case)


@pytest.mark.parametrize("case", [c for c in CASES if _case_id(c) not in REFUSED],
                         ids=[_case_id(c) for c in CASES if _case_id(c) not in REFUSED])
def test_w3c_core_case_same_as_pyshacl(case: Path) -> None:
    assert ours(case) == pyshacl_report(case)


def test_suite_is_all_there() -> None:
    """Every case of the copied suite is run: 98 cases, 47 of them refused."""
    assert len(CASES) == 98 and len(REFUSED) == 47
    assert set(REFUSED) <= {_case_id(c) for c in CASES}
