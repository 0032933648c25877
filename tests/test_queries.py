"""Packaged queries: every file parses, has a header, and gives its checked-in answer."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from alskg.build import BuildResult
from alskg.errors import InputError, UsageError
from alskg.queries import Query, bind, catalogue, parse_header, parse_params, run_local, to_term
from alskg.results import render

GOLDEN = Path(__file__).parent / "golden"
QUERIES = catalogue()


@pytest.fixture(scope="module")
def store(built: BuildResult) -> ox.Store:
    return ox.Store.read_only(str(built.files["store"]))


def test_at_least_twelve_queries() -> None:
    assert len(QUERIES) >= 12


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_parses_and_is_read_only(name: str) -> None:
    query = QUERIES[name]
    assert query.title and query.description
    ox.Store().query(query.text)  # raises SyntaxError if malformed; an update would not parse as a query
    ox.Store().query(bind(query, {p.name: p.default for p in query.params}))


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_golden_results(name: str, store: ox.Store) -> None:
    expected = (GOLDEN / f"{name}.tsv").read_text(encoding="utf-8")
    got = render(run_local(store, QUERIES[name].text), "tsv")
    assert got == expected, f"{name}: results changed; if intended, run `python scripts/update_golden.py`"
    assert got.count("\n") >= 2, f"{name}: no rows with the defaults"
    defaults = bind(QUERIES[name], {p.name: p.default for p in QUERIES[name].params})
    assert render(run_local(store, defaults), "tsv") == expected, f"{name}: header defaults differ from VALUES"


def test_every_golden_file_has_a_query() -> None:
    assert sorted(p.stem for p in GOLDEN.glob("*.tsv")) == sorted(QUERIES)


HEADER = """# name: demo
# title: Demo
# description: A demo query
#   on two lines.
# keywords: a, b
# param: disease | iri | MONDO:0004976 | The disease.
# param: when | date | 2018-01-01 | A date.
SELECT ?x WHERE {
  VALUES ?disease { <http://purl.obolibrary.org/obo/MONDO_0004976> }
  VALUES ?when { "2018-01-01"^^<http://www.w3.org/2001/XMLSchema#date> }
  ?x ?p ?disease
}
"""


def demo() -> Query:
    return parse_header(HEADER)


def test_header_fields() -> None:
    q = demo()
    assert (q.name, q.title, q.description, q.keywords) == ("demo", "Demo", "A demo query on two lines.", ["a", "b"])
    assert [(p.name, p.type, p.default) for p in q.params] == [("disease", "iri", "MONDO:0004976"),
                                                              ("when", "date", "2018-01-01")]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("# title: x\n# description: y\nSELECT * {}", "lacks '# name:'"),
        ("# name: Bad_Name\n# title: x\n# description: y\nSELECT * {}", "must be [a-z0-9-]+"),
        ("# name: x\n# title: x\n# description: y\n# param: p | colour | 1 | h\nSELECT * {}", "param must be"),
        ("# name: x\n# title: x\n# description: y\n# param: p | iri | HP:1 | h\nSELECT * {}", "exactly one"),
        ("# name: x\nno colon here\n", "lacks"),
    ],
    ids=["no-name", "bad-name", "bad-type", "no-values-line", "header-ends"],
)
def test_bad_headers(text: str, needle: str) -> None:
    with pytest.raises(InputError, match=needle.replace("[", r"\[").replace("]", r"\]").replace("+", r"\+")):
        parse_header(text)


def test_binding_replaces_only_the_values_term() -> None:
    bound = bind(demo(), {"disease": "HP:0000006", "when": "2019-02-03"})
    assert "VALUES ?disease { <http://purl.obolibrary.org/obo/HP_0000006> }" in bound
    assert 'VALUES ?when { "2019-02-03"^^<http://www.w3.org/2001/XMLSchema#date> }' in bound


def test_string_parameters_cannot_inject() -> None:
    """A string value is one escaped literal: quotes and braces cannot close the VALUES clause."""
    q = parse_header(HEADER.replace("disease | iri | MONDO:0004976", "disease | string | x")
                     .replace("<http://purl.obolibrary.org/obo/MONDO_0004976>", '"x"'))
    evil = '" } } ; DROP ALL ; SELECT * { { "'
    bound = bind(q, {"disease": evil})
    store = ox.Store()
    store.query(bound)  # still one well-formed query
    assert str(to_term(q.param("disease"), evil)) in bound


@pytest.mark.parametrize(
    ("ptype", "value"),
    [("iri", "has space"), ("iri", "<http://x>"), ("integer", "1.5"), ("decimal", "abc"), ("date", "2018-02-30"),
     ("boolean", "yes")],
)
def test_bad_values_are_usage_errors(ptype: str, value: str) -> None:
    from alskg.queries import Param

    with pytest.raises(UsageError, match=f"bad value for parameter 'p' \\({ptype}\\)"):
        to_term(Param("p", ptype, "", ""), value)


def test_unknown_and_malformed_params() -> None:
    with pytest.raises(UsageError, match="unknown parameter"):
        parse_params(demo(), ["colour=red"])
    with pytest.raises(UsageError, match="name=value"):
        parse_params(demo(), ["disease"])


def test_table_format_one_line_per_row(store: ox.Store) -> None:
    results = run_local(store, QUERIES["care-team"].text)
    lines = render(results, "table").splitlines()
    assert lines[0].split()[0] == results.variables[0]
    assert len(lines) == len(results.rows) + 2
    assert lines[-1] == f"{len(results.rows)} row(s)"


def test_json_is_sparql_results_json(store: ox.Store) -> None:
    import json

    doc = json.loads(render(run_local(store, QUERIES["publications"].text), "json"))
    assert doc["head"]["vars"][0] == "reference_number"
    assert len(doc["results"]["bindings"]) == 8
    first = doc["results"]["bindings"][0]["reference_number"]
    assert first["type"] == "literal" and first["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"


def test_counts_and_totals_come_in_pairs(store: ox.Store) -> None:
    """phenotypes-under-branch looks count and total up in two OPTIONALs (fast on Oxigraph);
    that equals one OPTIONAL over both only because an n/m frequency always gives both."""
    prefix = "PREFIX biolink: <https://w3id.org/biolink/vocab/> "
    counts = list(store.query(prefix + "SELECT (COUNT(*) AS ?n) WHERE { ?a biolink:has_count ?c }"))[0]["n"]
    assert int(counts.value) > 100
    for have, lack in (("has_count", "has_total"), ("has_total", "has_count")):
        ask = f"ASK {{ ?a biolink:{have} ?x FILTER NOT EXISTS {{ ?a biolink:{lack} ?y }} }}"
        assert not bool(store.query(prefix + ask)), f"{have} without {lack}"
