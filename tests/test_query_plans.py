"""Packaged queries avoid a shape Oxigraph evaluates as a scan: an OPTIONAL that shares no
variable with the rest of its group and is tied to it by its FILTER alone. The engine then
evaluates the OPTIONAL's whole pattern (every ``rdfs:label`` of the graph, say) and tests the
FILTER against each row of the rest. Judged on the query algebra (rdflib's parser), never on
the text, and never by timing a run."""

from __future__ import annotations

import pytest
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

from alskg.queries import catalogue

QUERIES = catalogue()


def _variables(expr: object) -> set[Variable]:
    """The variables an expression names, at any depth."""
    if isinstance(expr, Variable):
        return {expr}
    if isinstance(expr, CompValue):
        return set().union(*(_variables(v) for v in expr.values()))
    if isinstance(expr, (list, tuple)):
        return set().union(*(_variables(v) for v in expr))
    return set()


def unjoined_optionals(text: str) -> list[str]:
    """The OPTIONALs of ``text`` (by their variables) that share no variable with the pattern
    they extend while their FILTER names one of its variables."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, CompValue):
            if node.name == "LeftJoin":
                left, right = set(node.p1._vars), set(node.p2._vars)
                tied = _variables(node.expr)
                if right and not left & right and tied & left:
                    found.append(" ".join(sorted(f"?{v}" for v in right)))
            for value in node.values():
                walk(value)
        elif isinstance(node, (list, tuple)):
            for item in node:
                walk(item)

    walk(translateQuery(parseQuery(text)).algebra)
    return found


PREFIXES = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX ex: <https://example.org/>\n"


def test_an_optional_tied_by_its_filter_alone_is_found() -> None:
    """Failing fixture: the frequency label as diseases-sharing-phenotype looked it up until
    2026-11-27 (9 s at full scope, for 97 rows)."""
    text = PREFIXES + """SELECT ?a ?label WHERE {
        { SELECT ?a (MIN(?f) AS ?frequency) WHERE { ?a ex:frequency ?f } GROUP BY ?a }
        OPTIONAL { ?term rdfs:label ?label FILTER (?term = ?frequency) }
    }"""
    assert unjoined_optionals(text) == ["?label ?term"]


def test_an_optional_looked_up_by_a_bound_key_passes() -> None:
    """Passing fixture: the key bound first (an IRI no term has when there is no value), then
    the OPTIONAL joined on it."""
    text = PREFIXES + """SELECT ?a ?label WHERE {
        { SELECT ?a (MIN(?f) AS ?frequency) WHERE { ?a ex:frequency ?f } GROUP BY ?a }
        BIND (COALESCE(?frequency, <urn:alskg:no-frequency>) AS ?term)
        OPTIONAL { ?term rdfs:label ?label }
    }"""
    assert unjoined_optionals(text) == []


def test_an_optional_sharing_a_variable_and_filtering_passes() -> None:
    """A FILTER inside an OPTIONAL that is also joined by a shared variable is fine (the shared
    variable bounds the pattern: phenotype-ancestors' direct parents)."""
    text = PREFIXES + """SELECT ?x ?y WHERE {
        ?x rdfs:subClassOf+ ?y OPTIONAL { ?x rdfs:subClassOf ?p FILTER (?p = ?y) } }"""
    assert unjoined_optionals(text) == []


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_no_packaged_query_ties_an_optional_by_its_filter_alone(name: str) -> None:
    assert unjoined_optionals(QUERIES[name].text) == [], name


def test_diseases_sharing_phenotype_looks_up_the_frequency_label_by_a_bound_key() -> None:
    """Regression: the query took 9-10 s at full scope (0.02 s now, same 97 rows), because its
    frequency label was an OPTIONAL tied by a FILTER alone."""
    assert unjoined_optionals(QUERIES["diseases-sharing-phenotype"].text) == []
    assert "COALESCE(?frequency, <urn:alskg:no-frequency>) AS ?frequency_term" in QUERIES[
        "diseases-sharing-phenotype"].text
