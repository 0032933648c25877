"""The packaged queries as SPARQL examples, the way SIB's endpoints publish theirs.

Each query becomes one ``sh:SPARQLExecutable`` (and ``sh:SPARQLSelectExecutable`` or the
form it has) with its title (``rdfs:label``), description (``rdfs:comment``), text
(``sh:select`` / ``sh:ask`` / ``sh:construct``), keywords (``schema:keywords``), the prefixes
it declares (``sh:prefixes``/``sh:declare``) and its typed parameters (``alskg:parameter``).
The Turtle is written by hand in a fixed order so two exports of the same catalogue are
byte-identical; ``alskg serve`` and the store hold it in the named graph
``https://w3id.org/alskg/graph/queries``, where the packaged query ``query-examples`` lists it.

Conventions followed: sib-swiss/sparql-examples (``sh:SPARQLExecutable``, ``rdfs:comment``,
``sh:select``, ``schema:target``, ``schema:keywords`` with ``https://schema.org/``).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache


from alskg import vocab
from alskg.queries import Query
from alskg.rdfmodel import Literal

QUERIES_GRAPH = vocab.ALSKG_GRAPH + "queries"
EXAMPLE_BASE = "https://w3id.org/alskg/query/"
SCHEMA = "https://schema.org/"
_PREFIXES = {"alskg": vocab.ALSKG_VOCAB, "ex": EXAMPLE_BASE, "rdf": vocab.RDF, "rdfs": vocab.RDFS,
             "schema": SCHEMA, "sh": vocab.SH, "xsd": vocab.XSD}


def _lit(value: str) -> str:
    return str(Literal(value))


def _lang(value: str) -> str:
    return str(Literal(value, language="en"))


@lru_cache(maxsize=256)
def _parsed(text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """A query's form and declared prefixes, from ONE run of rdflib's SPARQL parser per text.

    The pyparsing parser is slow (about 4 s for the catalogue, twice over, in a full build's
    profile), so each distinct text is parsed once per process."""
    from rdflib.plugins.sparql.parser import parseQuery

    parsed = parseQuery(text)
    form = parsed[1].name.removesuffix("Query").lower()  # SelectQuery, AskQuery, ConstructQuery, DescribeQuery
    prefixes = tuple((str(d["prefix"]), str(d["iri"])) for d in parsed[0] if d.name == "PrefixDecl")
    return form, prefixes


def query_form(text: str) -> str:
    """``select``, ``ask``, ``construct`` or ``describe``: the form of a query, from rdflib's
    SPARQL parser (never from the text's first keyword, which a comment or prologue can hide)."""
    return _parsed(text)[0]


def declared_prefixes(text: str) -> dict[str, str]:
    """The prefixes a query's prologue declares, from rdflib's SPARQL parser."""
    return dict(_parsed(text)[1])


def _body(query: Query) -> str:
    """The query text without its ``#`` header (the header becomes the example's metadata)."""
    lines = query.text.splitlines()
    start = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    return "\n".join(lines[start:]).strip() + "\n"


def _example(query: Query, target: str | None) -> list[str]:
    form = query_form(query.text)
    kinds = "sh:SPARQLExecutable, sh:SPARQL" + form.capitalize() + "Executable"
    lines = [f"ex:{query.name} a {kinds} ;",
             f"    rdfs:label {_lang(query.title)} ;",
             f"    rdfs:comment {_lang(query.description)} ;",
             "    sh:prefixes ex:prefixes ;",
             f"    sh:{form} {_lit(_body(query))}"]
    for keyword in sorted(query.keywords):
        lines[-1] += " ;"
        lines.append(f"    schema:keywords {_lit(keyword)}")
    if target:
        lines[-1] += " ;"
        lines.append(f"    schema:target <{target}>")
    for param in query.params:
        lines[-1] += " ;"
        lines.append(f"    alskg:parameter [ rdfs:label {_lit(param.name)} ; alskg:parameter_type {_lit(param.type)} ;"
                     f" schema:defaultValue {_lit(param.default)} ; rdfs:comment {_lang(param.help)} ]")
    lines[-1] += " ."
    return lines


def _prefix_block(queries: list[Query]) -> list[str]:
    declared: dict[str, str] = {}
    for query in queries:
        declared.update(declared_prefixes(query.text))
    lines = ["ex:prefixes a owl:Ontology ;"]
    for name, iri in sorted(declared.items()):
        lines.append(f"    sh:declare [ sh:prefix {_lit(name)} ; sh:namespace {_lit(iri)}^^xsd:anyURI ] ;")
    lines[-1] = lines[-1][:-2] + " ."
    return lines


def examples_turtle(queries: Iterable[Query], target: str | None = None) -> str:
    """The queries as SPARQL examples in Turtle, sorted by name (byte-stable).

    ``target`` is the endpoint URL the examples run on (``schema:target``), when known.
    """
    ordered = sorted(queries, key=lambda q: q.name)
    prefixes = dict(_PREFIXES, owl=vocab.OWL)
    out = [f"@prefix {p}: <{iri}> ." for p, iri in sorted(prefixes.items())]
    out += ["", *_prefix_block(ordered)]
    for query in ordered:
        out += ["", *_example(query, target)]
    return "\n".join(out) + "\n"
