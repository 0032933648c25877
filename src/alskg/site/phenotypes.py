"""The rows of ``disease-page-phenotypes``, assembled in Python from two long tables.

``disease-page-phenotypes`` asks one OPTIONAL lookup per column and annotation; on a whole
release (~270k annotations, on disk) that runs for many minutes. The site instead reads
``disease-page-phenotype-values`` (association, property, value) and ``disease-page-node-values``
(node, property, value), each a plain scan, and pivots them here with the same semantics as the
packaged query: every combination of a multi-valued optional is a row, ``COALESCE`` takes the
first bound value, and rows are sorted by the query's ``ORDER BY`` with SPARQL's term order.
So the pages and their TSV downloads hold exactly the rows ``alskg query run
disease-page-phenotypes`` prints (``tests/site/test_phenotype_rows.py`` checks this).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from itertools import product
from pathlib import Path

from alskg.errors import InputError
from alskg.rdfmodel import BlankNode, Literal, NamedNode
from alskg.results import plain
from alskg.site.ordering import order_key, string_key

Term = NamedNode | Literal | BlankNode
Values = dict[str, list[Term]]

BIOLINK = "https://w3id.org/biolink/vocab/"
ALSKG = "https://w3id.org/alskg/vocab/"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"
HAS_PHENOTYPE = BIOLINK + "has_phenotype"
FALSE = Literal("false", datatype=NamedNode(XSD + "boolean"))

#: The packaged query's columns, in its SELECT order.
VARIABLES = ["disease", "phenotype", "phenotype_label", "negated", "frequency", "frequency_label", "count", "total",
             "onset", "onset_label", "sex", "evidence", "layer", "page_label", "frequency_band", "primary_source",
             "original_subject", "last_updated", "association"]
#: Its ORDER BY.
ORDER = ["disease", "phenotype", "association", "negated", "frequency", "frequency_label", "count", "total", "onset",
         "onset_label", "sex", "evidence", "layer", "page_label", "frequency_band", "primary_source",
         "original_subject", "last_updated", "phenotype_label"]
#: Columns read straight off the association: column → property IRI.
SIMPLE = {"count": BIOLINK + "has_count", "total": BIOLINK + "has_total", "sex": BIOLINK + "sex_qualifier",
          "evidence": BIOLINK + "has_evidence", "page_label": ALSKG + "source_label",
          "frequency_band": ALSKG + "frequency_band", "primary_source": BIOLINK + "primary_knowledge_source",
          "original_subject": BIOLINK + "original_subject"}
def long_table(rows: Iterable[Mapping[str, Term | None]], key: str) -> dict[str, Values]:
    """(key, property, value) rows, in any order, as key → property IRI → values in ``STR(?value)``
    order (the long-table queries' ORDER BY, done here: see :mod:`alskg.site.ordering`)."""
    table: dict[str, Values] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        subject, prop, value = row[key], row["property"], row["value"]
        if subject is not None and isinstance(prop, NamedNode) and value is not None:
            table[_key(subject)][prop.value].append(value)
    return _sorted_values(table)


def _key(subject: Term) -> str:
    return subject.value if not isinstance(subject, Literal) else str(subject)


def _sorted_values(table: dict[str, Values]) -> dict[str, Values]:
    for values in table.values():
        for found in values.values():
            if len(found) > 1:
                found.sort(key=string_key)
    return table


def tsv_long_table(path: Path, key: str) -> dict[str, Values]:
    """:func:`long_table` of a (key, property, value) answer the engine wrote as SPARQL TSV.

    A TSV line is one solution whose cells are separated by tabs (tabs and line breaks inside a
    literal are escaped), so lines are split on tabs; each distinct cell is then read once by
    the engine's SPARQL results parser (:func:`alskg.store.parse_query_results`), not here."""
    from alskg.store import QueryResultsFormat, parse_query_results

    cells: dict[str, str] = {}  # each distinct value text once (rows repeat few distinct terms)
    raw: dict[str, dict[str, list[str]]] = defaultdict(dict)
    with open(path, encoding="utf-8", newline="\n") as handle:
        if handle.readline() != f"?{key}\t?property\t?value\n":
            raise InputError(f"the answer's columns are not ?{key} ?property ?value", path)
        for line in handle:
            parts = line[:-1].split("\t")
            if len(parts) != 3:
                raise InputError("a TSV answer line has the wrong number of cells", path)
            subject, prop, value = parts
            value = cells.setdefault(value, value)
            found = raw[subject].get(prop)
            if found is None:
                raw[subject][prop] = [value]
            else:
                found.append(value)
    texts = list({*raw, *(p for props in raw.values() for p in props), *cells} - {""})
    document = ("?t\n" + "".join(f"{text}\n" for text in texts)).encode("utf-8")
    parsed = [solution["t"] for solution in parse_query_results(document, format=QueryResultsFormat.TSV)]
    del document
    if len(parsed) != len(texts):
        raise InputError("the TSV answer's cells did not parse one term each", path)
    terms: dict[str, Term | None] = dict(zip(texts, parsed, strict=True))
    del texts, parsed, cells
    table: dict[str, Values] = {}
    while raw:  # popped, so the text table shrinks as the term table grows (order is the pivot's sort's)
        subject, props = raw.popitem()
        term = terms.get(subject)
        if term is None:
            continue
        values = table.setdefault(_key(term), {})
        for prop, found in props.items():
            prop_term = terms.get(prop)
            if isinstance(prop_term, NamedNode):  # every cell of these answers is bound: no "" value
                values[prop_term.value] = [terms[v] for v in found]  # type: ignore[misc]
    return _sorted_values(table)


def _or_none(values: list[Term]) -> list[Term | None]:
    return list(values) if values else [None]


def _with_label(values: list[Term], nodes: dict[str, Values]) -> list[tuple[Term | None, Term | None]]:
    """OPTIONAL { ?a p ?x . OPTIONAL { ?x rdfs:label ?l } }: (x, label) pairs, or one unbound pair."""
    pairs: list[tuple[Term | None, Term | None]] = []
    for value in values:
        labels = nodes.get(value.value, {}).get(RDFS_LABEL, []) if isinstance(value, NamedNode) else []
        pairs.extend((value, label) for label in _or_none(labels))
    return pairs or [(None, None)]


def _sources(values: list[Term], nodes: dict[str, Values]) -> list[tuple[Term | None, Term | None]]:
    """OPTIONAL { ?a prov:wasDerivedFrom ?d . OPTIONAL { ?d isPartOf ?p } OPTIONAL { ?d modified ?m } }:
    (layer, section date) pairs, layer = COALESCE(?p, ?d)."""
    pairs: list[tuple[Term | None, Term | None]] = []
    for derived in values:
        props = nodes.get(derived.value, {}) if not isinstance(derived, Literal) else {}
        for part, date in product(_or_none(props.get(DCT + "isPartOf", [])), _or_none(props.get(DCT + "modified", []))):
            pairs.append((part if part is not None else derived, date))
    return pairs or [(None, None)]


def association_rows(association: str, values: Values, nodes: dict[str, Values]) -> Iterator[dict[str, Term | None]]:
    """The packaged query's rows of one association (raw terms; one per combination of values)."""
    subjects, objects = values.get(BIOLINK + "subject", []), values.get(BIOLINK + "object", [])
    simple = [_or_none(values.get(SIMPLE[c], [])) for c in SIMPLE]
    dates = [values.get(DCT + "modified", []), values.get(DCT + "created", [])]
    term = NamedNode(association)
    for disease, phenotype in product(subjects, objects):
        labels = nodes.get(phenotype.value, {}).get(RDFS_LABEL, []) if isinstance(phenotype, NamedNode) else []
        for (label, negated, (frequency, frequency_label), (onset, onset_label), (layer, section_date),
             modified, created, *rest) in product(
                _or_none(labels), _or_none(values.get(BIOLINK + "negated", [])),
                _with_label(values.get(BIOLINK + "frequency_qualifier", []), nodes),
                _with_label(values.get(BIOLINK + "onset_qualifier", []), nodes),
                _sources(values.get(PROV + "wasDerivedFrom", []), nodes),
                _or_none(dates[0]), _or_none(dates[1]), *simple):
            row: dict[str, Term | None] = {
                "disease": disease, "phenotype": phenotype, "phenotype_label": label,
                "negated": negated if negated is not None else FALSE, "frequency": frequency,
                "frequency_label": frequency_label, "onset": onset, "onset_label": onset_label, "layer": layer,
                "last_updated": next((d for d in (modified, created, section_date) if d is not None), None),
                "association": term}
            row.update(zip(SIMPLE, rest, strict=True))
            yield row


def phenotype_rows(value_rows: Iterable[Mapping[str, Term | None]],
                   node_rows: Iterable[Mapping[str, Term | None]]) -> list[dict[str, str]]:
    """The rows of ``disease-page-phenotypes``, in its order, as plain text cells (as the CLI prints)."""
    return pivot(long_table(value_rows, "association"), long_table(node_rows, "node"))


def pivot(values: dict[str, Values], nodes: dict[str, Values]) -> list[dict[str, str]]:
    """The rows of ``disease-page-phenotypes`` from the two long tables (association and node values)."""
    associations = {a: v for a, v in values.items()
                    if any(p.value == HAS_PHENOTYPE for p in v.get(BIOLINK + "predicate", []))}
    raw = [row for association, values in associations.items() for row in association_rows(association, values, nodes)]
    keys: dict[Term | None, tuple[object, ...]] = {}

    def ordered(term: Term | None) -> tuple[object, ...]:
        found = keys.get(term)
        if found is None:
            found = keys[term] = order_key(term)
        return found

    raw.sort(key=lambda row: tuple(ordered(row[c]) for c in ORDER))
    cache: dict[Term, str] = {}

    def text(term: Term | None) -> str:
        if term is None:
            return ""
        found = cache.get(term)
        if found is None:
            found = cache[term] = plain(term)
        return found

    return [{v: text(row[v]) for v in VARIABLES} for row in raw]
