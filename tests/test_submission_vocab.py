"""The vocabulary of curator submission reports is declared in ``ontology/alskg.ttl``.

The Turtle report (``alskg check --format ttl``) is a standard ``sh:ValidationReport`` with
alskg's position properties and one ``sh:ConstraintComponent`` per rule; a consumer must be able
to look up every alskg term it meets, and the rule registry and the ontology must not drift.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from alskg.packaged import packaged_dir
from alskg.submission.rules import RULES

from .test_shapes import ALSKG_VOCAB, MAPPINGS, _is_vocab_term, _undeclared
from .test_submission_cli import BAD, invoke

SH = Namespace("http://www.w3.org/ns/shacl#")
ALSKG = Namespace(ALSKG_VOCAB)
REPORT_PROPERTIES = ("source_file", "sha256", "hpo_version", "shapes_version")
RESULT_PROPERTIES = ("rule_id", "line", "column", "field", "value_label", "suggestion")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(packaged_dir("ontology") / "alskg.ttl", format="turtle")


@pytest.fixture(scope="module")
def ttl_report() -> Graph:
    result = invoke("check", BAD, "--format", "ttl")
    assert result.exit_code == 1
    return Graph().parse(data=result.output, format="turtle")


def test_every_rule_is_a_declared_constraint_component(ontology: Graph) -> None:
    declared = set(ontology.subjects(RDF.type, ALSKG.SubmissionRule))
    assert declared == {ALSKG[rule_id] for rule_id in RULES}
    assert len(declared) == 31  # 29, plus HPOA-STRUCT-LENGTH and HPOA-STRUCT-INVISIBLE (issue 9)
    for rule in RULES.values():
        term = ALSKG[rule.id]
        assert (term, RDF.type, SH.ConstraintComponent) in ontology
        assert ontology.value(term, RDFS.label) == Literal(rule.title)
        assert f"of severity {rule.severity}," in str(ontology.value(term, SKOS.definition))
        assert str(ontology.value(term, SKOS.scopeNote)).startswith("How to fix: ")
        related = ontology.value(term, SKOS.relatedMatch)
        assert str(related).startswith(str(SH)) and str(related).endswith("ConstraintComponent"), rule.id
    assert (ALSKG.SubmissionRule, RDFS.subClassOf, SH.ConstraintComponent) in ontology


@pytest.mark.parametrize("name", REPORT_PROPERTIES + RESULT_PROPERTIES)
def test_report_properties_are_declared_with_a_mapping(ontology: Graph, name: str) -> None:
    term = ALSKG[name]
    assert not _undeclared({term}, ontology)
    assert any(ontology.value(term, p) is not None for p in MAPPINGS)
    if name in RESULT_PROPERTIES:
        assert ontology.value(term, RDFS.domain) == SH.ValidationResult
    elif name != "sha256":  # sha256 also describes source datasets in the release metadata
        assert ontology.value(term, RDFS.domain) == SH.ValidationReport
    expected_range = XSD.integer if name in ("line", "column") else XSD.string
    assert ontology.value(term, RDFS.range) == expected_range


def test_ttl_report_uses_only_declared_alskg_terms(ttl_report: Graph, ontology: Graph) -> None:
    used = {p for p in ttl_report.predicates() if _is_vocab_term(p)}
    used |= {o for o in ttl_report.objects(None, SH.sourceConstraintComponent) if _is_vocab_term(o)}
    assert {ALSKG[n] for n in ("source_file", "hpo_version", "rule_id", "line", "column", "suggestion")} <= used
    assert ALSKG["HPOA-VALUE-SEX"] in used
    missing = _undeclared(used, ontology)
    assert not missing, "alskg terms in the Turtle report without a declaration:\n" + "\n".join(missing)


def test_ttl_report_result_carries_position_and_component(ttl_report: Graph) -> None:
    """bad-submission.tsv line 10 column 73: sex 'female' (the text report's finding, in RDF)."""
    results = list(ttl_report.subjects(ALSKG.rule_id, Literal("HPOA-VALUE-SEX")))
    assert len(results) == 1
    node = results[0]
    assert ttl_report.value(node, ALSKG.line) == Literal(10, datatype=XSD.integer)
    assert ttl_report.value(node, ALSKG.column) == Literal(73, datatype=XSD.integer)
    assert ttl_report.value(node, ALSKG.field) == Literal("sex")
    assert ttl_report.value(node, SH.value) == Literal("female")
    assert ttl_report.value(node, ALSKG.suggestion) == Literal("write FEMALE")
    assert ttl_report.value(node, SH.resultSeverity) == SH.Violation
    assert ttl_report.value(node, SH.sourceConstraintComponent) == URIRef(ALSKG_VOCAB + "HPOA-VALUE-SEX")
    report = ttl_report.value(predicate=SH.result, object=node)
    assert (report, RDF.type, SH.ValidationReport) in ttl_report
    assert ttl_report.value(report, SH.conforms) == Literal(False)
    assert ttl_report.value(report, ALSKG.hpo_version) == Literal("2025-01-16")
    assert len(list(ttl_report.objects(report, SH.result))) == 15
