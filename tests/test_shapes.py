"""SHACL shapes (``shapes/*.ttl``), their fixtures, and the vocabulary they use (``ontology/alskg.ttl``).

Fixtures live in ``tests/fixtures/shapes/``:

* ``valid/<Shape>.ttl`` must conform to all shapes;
* ``invalid/<Shape>--<what-is-wrong>.ttl`` must not conform, and its first line::

      # expect: <CURIE> <severity> [<constraint component>]

  names a result it must produce. ``<CURIE>`` is the result's ``sh:resultPath`` or, for a
  node-level constraint (``sh:sparql``, ``sh:or``, ``sh:pattern`` on the focus node), its
  ``sh:sourceShape`` or ``sh:sourceConstraint``. CURIEs expand with the fixture's own prefixes.

``<Shape>`` is the local name of a node shape in ``alskgsh:`` (https://w3id.org/alskg/shapes/);
every node shape with a target has one valid and at least one invalid fixture.
Validation runs as the release is validated: pySHACL, ``inference="none"``, ``advanced=True``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

import alskg
from alskg.packaged import packaged_dir

SH = Namespace("http://www.w3.org/ns/shacl#")
ALSKG_VOCAB = "https://w3id.org/alskg/vocab/"
ALSKG_SHAPES = "https://w3id.org/alskg/shapes/"
ONTOLOGY_IRI = URIRef(ALSKG_VOCAB)

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
VALID = sorted((FIXTURES / "valid").glob("*.ttl"))
INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))

#: rdflib's SPARQL parser is the slow part of pySHACL here: each constraint's query is parsed once
#: per module instead of once per focus node (tests/conftest.py::prepared_sparql; same results).
pytestmark = pytest.mark.usefixtures("prepared_sparql")

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
MAPPINGS = (SKOS.closeMatch, SKOS.relatedMatch, SKOS.exactMatch, SKOS.broadMatch, SKOS.narrowMatch,
            RDFS.subClassOf, RDFS.subPropertyOf)
#: Predicates whose values in the alskg namespace are ontology IRIs (or classes), not terms to look up.
NOT_TERM_VALUED = (RDF.type, OWL.versionIRI, RDFS.isDefinedBy, URIRef("http://rdfs.org/ns/void#vocabulary"))
OWL_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual)


# -- loading ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def shapes() -> Graph:
    """All packaged shapes files, merged."""
    folder = packaged_dir("shapes")
    files = sorted(folder.glob("*.ttl"))
    assert files, f"no shapes in {folder}"
    graph = Graph()
    for path in files:
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(packaged_dir("ontology") / "alskg.ttl", format="turtle")


def _validate(data: Graph, shapes: Graph) -> tuple[bool, Graph]:
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True)
    return bool(conforms), report


def _results(report: Graph) -> list[dict[str, object]]:
    return [
        {
            "path": report.value(r, SH.resultPath),
            "shape": report.value(r, SH.sourceShape),
            "constraint": report.value(r, SH.sourceConstraint),
            "component": report.value(r, SH.sourceConstraintComponent),
            "severity": report.value(r, SH.resultSeverity),
            "focus": report.value(r, SH.focusNode),
            "value": report.value(r, SH.value),
            "message": str(report.value(r, SH.resultMessage)),
        }
        for r in report.subjects(RDF.type, SH.ValidationResult)
    ]


def _describe(results: list[dict[str, object]]) -> str:
    return "\n".join(
        f"  {r['severity']} path={r['path']} shape={r['shape']} component={r['component']} "
        f"focus={r['focus']} value={r['value']}: {r['message']}"
        for r in results
    )


def _expectation(path: Path, graph: Graph) -> tuple[URIRef, ...]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    words = first.split()
    assert words[:2] == ["#", "expect:"] and len(words) in (4, 5), (
        f"{path.name}: the first line must be '# expect: <CURIE> <severity> [<component>]', got {first!r}"
    )
    return tuple(URIRef(graph.namespace_manager.expand_curie(word)) for word in words[2:])


# -- fixtures -----------------------------------------------------------------------------------
def test_fixtures_exist() -> None:
    assert VALID and INVALID, f"no fixtures under {FIXTURES}"


@pytest.mark.parametrize("path", VALID, ids=[p.name for p in VALID])
def test_valid_fixture_conforms(path: Path, shapes: Graph) -> None:
    data = Graph().parse(path, format="turtle")
    conforms, report = _validate(data, shapes)
    assert conforms, f"{path.name} should conform:\n{_describe(_results(report))}"


@pytest.mark.parametrize("path", INVALID, ids=[p.name for p in INVALID])
def test_invalid_fixture_reports_expected_result(path: Path, shapes: Graph) -> None:
    data = Graph().parse(path, format="turtle")
    expected = _expectation(path, data)
    where, severity = expected[0], expected[1]
    component = expected[2] if len(expected) > 2 else None
    conforms, report = _validate(data, shapes)
    results = _results(report)
    assert not conforms, f"{path.name} should not conform"
    matching = [
        r for r in results
        if where in (r["path"], r["shape"], r["constraint"])
        and r["severity"] == severity
        and (component is None or r["component"] == component)
    ]
    assert matching, f"{path.name}: no result for {' '.join(map(str, expected))}; got:\n{_describe(results)}"


def _node_shapes(shapes: Graph) -> set[URIRef]:
    """Node shapes with a target: the shapes fixtures are written for."""
    return {s for p in TARGETS for s in shapes.subjects(p, None) if isinstance(s, URIRef)}


def test_every_targeted_node_shape_has_fixtures(shapes: Graph) -> None:
    valid = {p.stem for p in VALID}
    invalid = {p.stem.split("--", 1)[0] for p in INVALID}
    missing = []
    for shape in sorted(_node_shapes(shapes)):
        assert str(shape).startswith(ALSKG_SHAPES), f"node shape {shape} is not in alskgsh:"
        name = str(shape)[len(ALSKG_SHAPES):]
        if name not in valid:
            missing.append(f"valid/{name}.ttl")
        if name not in invalid:
            missing.append(f"invalid/{name}--<what>.ttl")
    assert not missing, f"fixtures missing: {missing}"
    unknown = sorted((valid | invalid) - {str(s)[len(ALSKG_SHAPES):] for s in _node_shapes(shapes)})
    assert not unknown, f"fixtures named after no node shape: {unknown}"


# -- shapes -------------------------------------------------------------------------------------
def _all_shapes(shapes: Graph) -> set[object]:
    """Every node shape and property shape, named or blank, wherever it is used."""
    found: set[object] = set()
    found.update(shapes.subjects(RDF.type, SH.NodeShape))
    found.update(shapes.subjects(RDF.type, SH.PropertyShape))
    for p in TARGETS:
        found.update(shapes.subjects(p, None))
    found.update(shapes.subjects(SH.path, None))
    found.update(shapes.objects(None, SH.property))
    for p in (SH.node, SH["not"], SH.qualifiedValueShape):
        found.update(shapes.objects(None, p))
    for p in (SH["or"], SH["and"], SH.xone):
        for head in shapes.objects(None, p):
            found.update(Collection(shapes, head))
    # the SPARQL-based target node is a target, not a shape
    found -= set(shapes.subjects(RDF.type, SH.SPARQLTarget))
    return found


def test_every_shape_has_message_and_severity(shapes: Graph) -> None:
    severities = {SH.Violation, SH.Warning, SH.Info}
    problems = []
    every = _all_shapes(shapes)
    assert len(every) > 50
    for shape in every:
        label = shape if isinstance(shape, URIRef) else f"[{shapes.value(shape, SH.path)}]"
        messages = list(shapes.objects(shape, SH.message))
        severity = list(shapes.objects(shape, SH.severity))
        if not messages or not all(isinstance(m, Literal) and str(m).strip() for m in messages):
            problems.append(f"{label}: no sh:message")
        if len(severity) != 1 or severity[0] not in severities:
            problems.append(f"{label}: needs exactly one sh:severity (sh:Violation, sh:Warning or sh:Info)")
    assert not problems, "\n".join(sorted(problems))


def test_sparql_constraints_have_message_and_select(shapes: Graph) -> None:
    constraints = set(shapes.objects(None, SH.sparql))
    assert constraints, "expected at least one sh:sparql constraint"
    for c in constraints:
        assert shapes.value(c, SH.message) is not None, f"{c}: no sh:message"
        select = shapes.value(c, SH.select)
        assert select is not None and "SELECT" in str(select) and "$this" in str(select), f"{c}: no SELECT $this"


def test_node_shapes_have_readable_iris(shapes: Graph) -> None:
    named = {s for s in shapes.subjects(RDF.type, SH.NodeShape)} | _node_shapes(shapes)
    assert all(isinstance(s, URIRef) and str(s).startswith(ALSKG_SHAPES) for s in named), named


# -- vocabulary ---------------------------------------------------------------------------------
def _declared(ontology: Graph) -> dict[URIRef, tuple[int, int]]:
    """alskg terms of the ontology with their number of labels and definitions."""
    terms = {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(ALSKG_VOCAB)}
    terms.discard(ONTOLOGY_IRI)
    return {t: (len(list(ontology.objects(t, RDFS.label))), len(list(ontology.objects(t, SKOS.definition))))
            for t in terms}


def _is_vocab_term(node: object) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(ALSKG_VOCAB) and node != ONTOLOGY_IRI


def _undeclared(used: set[URIRef], ontology: Graph) -> list[str]:
    declared = _declared(ontology)
    out = []
    for term in sorted(used):
        labels, definitions = declared.get(term, (0, 0))
        if labels < 1 or definitions < 1:
            out.append(f"{term} (labels: {labels}, definitions: {definitions})")
    return out


def test_fixture_vocabulary_is_declared(ontology: Graph) -> None:
    used: set[URIRef] = set()
    for path in VALID + INVALID:
        graph = Graph().parse(path, format="turtle")
        used.update(p for p in graph.predicates() if _is_vocab_term(p))
        used.update(o for o in graph.objects(None, RDF.type) if _is_vocab_term(o))
        used.update(o for s, p, o in graph if p not in NOT_TERM_VALUED and _is_vocab_term(o))
    assert used
    missing = _undeclared(used, ontology)
    assert not missing, "alskg terms in fixtures without a declaration (label and definition):\n" + "\n".join(missing)


def test_shapes_vocabulary_is_declared(shapes: Graph, ontology: Graph) -> None:
    used: set[URIRef] = set()
    term_valued = (SH.path, SH.targetClass, SH["class"], SH.hasValue, SH.equals, SH.lessThanOrEquals)
    used.update(o for _, p, o in shapes if p in term_valued and _is_vocab_term(o))
    for head in shapes.objects(None, SH["in"]):
        used.update(x for x in Collection(shapes, head) if _is_vocab_term(x))
    for select in shapes.objects(None, SH.select):
        used.update(URIRef(ALSKG_VOCAB + local) for local in _alskg_locals(str(select)))
    assert used
    missing = _undeclared(used, ontology)
    assert not missing, "alskg terms used in the shapes but not declared:\n" + "\n".join(missing)


def _alskg_locals(query: str) -> set[str]:
    return set(re.findall(r"\balskg:([A-Za-z_][A-Za-z0-9_]*)", query))


# -- ontology -----------------------------------------------------------------------------------
def test_ontology_has_no_blank_nodes(ontology: Graph) -> None:
    blanks = [t for t in ontology if any(isinstance(x, BNode) for x in t)]
    assert not blanks, f"ontology/alskg.ttl must not contain blank nodes: {blanks[:5]}"


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    info = ontology.value(ONTOLOGY_IRI, OWL.versionInfo)
    assert info is not None and str(info)
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef(f"{ALSKG_VOCAB}{info}")
    dct = Namespace("http://purl.org/dc/terms/")
    assert ontology.value(ONTOLOGY_IRI, dct.title) is not None
    assert ontology.value(ONTOLOGY_IRI, dct.description) is not None
    assert ontology.value(ONTOLOGY_IRI, dct.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")


def test_ontology_terms_are_complete(ontology: Graph) -> None:
    problems = []
    for term, (labels, definitions) in sorted(_declared(ontology).items()):
        if labels != 1 or definitions != 1:
            problems.append(f"{term}: {labels} labels, {definitions} definitions (need exactly one each)")
        if not any((term, RDF.type, kind) in ontology for kind in OWL_KINDS):
            problems.append(f"{term}: not declared as an OWL class, property or named individual")
        if not any(ontology.value(term, p) is not None for p in MAPPINGS):
            problems.append(f"{term}: no mapping to a standard term")
        if ontology.value(term, RDFS.isDefinedBy) != ONTOLOGY_IRI:
            problems.append(f"{term}: rdfs:isDefinedBy must be {ONTOLOGY_IRI}")
    assert not problems, "\n".join(problems)


def test_ontology_individuals_are_typed_by_an_alskg_class(ontology: Graph) -> None:
    for ind in ontology.subjects(RDF.type, OWL.NamedIndividual):
        classes = [c for c in ontology.objects(ind, RDF.type) if c != OWL.NamedIndividual]
        assert any(_is_vocab_term(c) and (c, RDF.type, OWL.Class) in ontology for c in classes), ind


def test_ontology_conforms_to_shapes(ontology: Graph, shapes: Graph) -> None:
    conforms, report = _validate(ontology, shapes)
    assert conforms, f"ontology/alskg.ttl does not conform:\n{_describe(_results(report))}"


def test_package_is_importable() -> None:
    assert alskg.__name__ == "alskg"
