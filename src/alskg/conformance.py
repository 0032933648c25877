"""Biolink Model conformance of a built graph: which triples Biolink 4.4.6 does not allow.

The graph is read through a few aggregate SPARQL queries (profiles: one row per distinct
combination of predicate, subject classes and object kind, with a count), so the full build
is checked without iterating its triples in Python. Each profile row is judged against the
schema (:mod:`alskg.biolink`) and every finding carries the rule, a message, how many
triples or nodes it covers and one example node.

Rules (see README, *Validation*, and ``docs/decisions/0011-biolink-conformance.md``):

- ``unknown-class`` / ``abstract-class``: every Biolink class used (``rdf:type``,
  ``biolink:category``) exists and is neither abstract nor a mixin;
- ``unknown-slot``: every property in the Biolink namespace is a Biolink slot;
- ``deprecated``: no deprecated slot, class or predicate is used;
- ``category``: every node (Biolink-typed, or a subject or object of an association) has
  ``biolink:category``, covering each of its Biolink ``rdf:type`` classes;
- ``association-predicate``: an association's predicate is a Biolink predicate within its
  class's constraints (``slot_usage`` ranges over enums, ``subproperty_of``);
- ``domain-range``: subject and object classes fit the class's ``slot_usage`` and the
  predicate's or slot's domain and range;
- ``required-slot``: required slots are present;
- ``datatype``: literals have the range's datatype; IRIs stand where the range is a class,
  an enum or an identifier;
- ``enum-value``: enum values are permissible, knowledge sources are infores ids, values
  follow the slot's ``values_from`` prefixes.

The forms the project keeps on purpose (ADR 0011) are accepted, and only those: Biolink
slots as ``biolink:`` IRIs (``biolink:subject``, not ``rdf:subject``); enum values, infores ids,
HP frequency terms and publication types as IRIs; HP terms (phenotypic features) as values
of onset and clinical-modifier qualifiers; alskg classes and predicates declared
``rdfs:subClassOf``/``rdfs:subPropertyOf`` a Biolink class or predicate in the graph's own
ontology, checked as that Biolink element.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from alskg import vocab
from alskg.biolink import Schema, load_schema

if TYPE_CHECKING:  # the store is passed in; the engine stays behind alskg.store
    import pyoxigraph

BL = vocab.BIOLINK
INFORES = vocab.EXTRA_PREFIXES["infores"]
RULES: tuple[str, ...] = (
    "unknown-class", "abstract-class", "unknown-slot", "deprecated", "category", "association-predicate",
    "domain-range", "required-slot", "datatype", "enum-value",
)
#: ADR 0011: string-typed slots whose CURIE values are written as IRIs, and the IRIs allowed.
IRI_VALUED_STRINGS: dict[str, tuple[str, ...]] = {
    "primary knowledge source": (INFORES,),
    "aggregator knowledge source": (INFORES,),
    "knowledge source": (INFORES,),
    "frequency qualifier": tuple(f"http://purl.obolibrary.org/obo/HP_004028{i}" for i in range(6)),
    "publication type": (),  # the slot's own ``values_from`` prefixes
}
#: ADR 0011: qualifiers whose values are HP terms, described in the graph as phenotypic features.
TERM_QUALIFIERS: dict[str, str] = {"onset qualifier": "phenotypic feature",
                                   "clinical modifier qualifier": "phenotypic feature"}
_PREFIXES = f"""PREFIX rdf: <{vocab.RDF}>
PREFIX rdfs: <{vocab.RDFS}>
PREFIX biolink: <{BL}>
"""


@dataclass(frozen=True)
class Nonconformity:
    """One kind of departure from Biolink: its rule, what is wrong, how often, one example."""

    rule: str
    message: str
    count: int
    example: str = ""


@dataclass
class ConformanceReport:
    """Every nonconformity found, and the Biolink version checked against."""

    biolink_version: str
    findings: list[Nonconformity] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not self.findings

    def counts(self) -> dict[str, int]:
        """Triples or nodes found per rule, for every rule (0 where none)."""
        out = dict.fromkeys(RULES, 0)
        for finding in self.findings:
            out[finding.rule] += finding.count
        return out

    def add(self, rule: str, message: str, count: int, example: str = "") -> None:
        self.findings.append(Nonconformity(rule, message, count, example))


# -- reading the graph --------------------------------------------------------------------
def _rows(store: pyoxigraph.Store, query: str) -> list[dict[str, str]]:
    """A SELECT's rows as plain strings (unbound variables absent)."""
    result: Any = store.query(_PREFIXES + query)
    names = [v.value for v in result.variables]
    return [{name: row[name].value for name in names if row[name] is not None} for row in result]


def _extensions(store: pyoxigraph.Store, link: str) -> dict[str, set[str]]:
    """alskg terms declared (transitively, through other alskg terms) ``link``
    (subClassOf/subPropertyOf) a Biolink term. Only edges from alskg terms are read."""
    rows = _rows(store, f"""SELECT ?x ?parent WHERE {{
        ?x rdfs:{link} ?parent . FILTER(STRSTARTS(STR(?x), "{vocab.ALSKG_VOCAB}"))
    }}""")
    parents: dict[str, set[str]] = {}
    for row in rows:
        parents.setdefault(row["x"], set()).add(row["parent"])
    out: dict[str, set[str]] = {}
    for term in parents:
        seen, todo = set(), [term]
        while todo:
            for parent in parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        biolink = {p for p in seen if p.startswith(BL)}
        if biolink:
            out[term] = biolink
    return out


@dataclass
class _Context:
    """The schema plus what the graph says about its own extension terms."""

    schema: Schema
    ext_classes: dict[str, set[str]]
    ext_predicates: dict[str, set[str]]
    _fitting: dict[str, set[str]] = field(default_factory=dict)

    def classes(self, types: str) -> set[str]:
        """Biolink class names of a space-separated list of type IRIs (own classes through their
        declared Biolink parents)."""
        out: set[str] = set()
        for iri in types.split():
            for candidate in (iri, *self.ext_classes.get(iri, ())):
                name = self.schema.class_by_iri.get(candidate)
                if name:
                    out.add(name)
        return out

    def predicate(self, iri: str) -> str | None:
        """The Biolink slot a predicate IRI is, or (for a declared extension) specialises."""
        name = self.schema.slot_by_iri.get(iri)
        if name:
            return name
        for parent in sorted(self.ext_predicates.get(iri, ())):
            name = self.schema.slot_by_iri.get(parent)
            if name and self.schema.is_predicate(name):
                return name
        return None

    def fitting(self, wanted: str) -> set[str]:
        if wanted not in self._fitting:
            self._fitting[wanted] = self._fitting_uncached(wanted)
        return set(self._fitting[wanted])

    def _fitting_uncached(self, wanted: str) -> set[str]:
        """IRIs of the classes (Biolink's, and declared alskg extensions) that are a ``wanted``."""
        out = {iri for iri, name in self.schema.class_by_iri.items() if self.schema.is_a(name, wanted)}
        return out | {iri for iri in self.ext_classes if self.fits(self.classes(iri), wanted)}

    def having(self, slot: str) -> set[str]:
        """IRIs of the classes that have ``slot`` among their own or inherited slots."""
        out = {iri for iri, name in self.schema.class_by_iri.items() if slot in self.schema.class_slots(name)}
        return out | {iri for iri in self.ext_classes
                      if any(slot in self.schema.class_slots(c) for c in self.classes(iri))}

    def fits(self, classes: set[str], wanted: str) -> bool:
        return any(self.schema.is_a(cls, wanted) for cls in classes)

    def is_association(self, classes: set[str]) -> bool:
        return self.fits(classes, "association")


# -- signatures -----------------------------------------------------------------------------
#: Bits per signature column: Oxigraph's integers are 64-bit, so a sum of distinct powers of two
#: below 2**62 cannot overflow; a longer list of terms spreads over more columns.
_BITS = 62


@dataclass(frozen=True)
class _Bits:
    """A set of IRIs, each given one bit, so that a node's subset of them (its classes, its
    categories, the slots it has) is a few integers summed in SPARQL through a ``VALUES`` join.
    The store then groups and joins plain numbers instead of evaluating string functions per
    triple (what made the checker slow), and Python decodes the few distinct sums."""

    iris: tuple[str, ...]

    @property
    def width(self) -> int:
        return max(1, -(-len(self.iris) // _BITS))

    def names(self, prefix: str) -> list[str]:
        return [f"{prefix}{k}" for k in range(self.width)]

    def values(self, term: str, prefix: str, columns: list[str] | None = None) -> str:
        """``VALUES (?term ?column…)``: each IRI with its bit in its own ``prefix`` column and 0
        in the others (``columns``: every column the block binds, when sets share a UNION)."""
        own = self.names(prefix)
        columns = columns or own
        rows = []
        for index, iri in enumerate(self.iris):
            column, bit = own[index // _BITS], 1 << (index % _BITS)
            rows.append(f"(<{iri}> " + " ".join(str(bit if c == column else 0) for c in columns) + ")")
        return f"VALUES (?{term} {' '.join('?' + c for c in columns)}) {{ {' '.join(rows)} }}"

    def sums(self, prefix: str, into: str) -> str:
        """``(SUM(?prefix0) AS ?into0) …``."""
        return " ".join(f"(SUM(?{p}) AS ?{i})" for p, i in zip(self.names(prefix), self.names(into), strict=True))

    def decode(self, row: dict[str, str], prefix: str) -> frozenset[str]:
        """The IRIs of a row's sums (unbound sums: none)."""
        out = []
        for k, name in enumerate(self.names(prefix)):
            number = int(row.get(name) or 0)
            out += [self.iris[k * _BITS + bit] for bit in range(_BITS) if number >> bit & 1]
        return frozenset(out)

    def signature(self, node: str, prefix: str) -> str:
        """A subquery: each ``?node`` with an ``rdf:type`` among these IRIs, and its sums ``?prefix…``."""
        return (f"{{ SELECT ?{node} {self.sums(prefix + 'b', prefix)} WHERE {{ ?{node} rdf:type ?{prefix}t . "
                f"{self.values(prefix + 't', prefix + 'b')} }} GROUP BY ?{node} }}")


def _used_classes(store: pyoxigraph.Store) -> _Bits:
    """Every Biolink-namespace or alskg IRI used as a type or a category (two index scans)."""
    rows = _rows(store, "SELECT DISTINCT ?c WHERE { { ?s rdf:type ?c } UNION { ?s biolink:category ?c } }")
    return _Bits(tuple(sorted({r["c"] for r in rows if r["c"].startswith((BL, vocab.ALSKG_VOCAB))})))


def _vars(*names: list[str]) -> str:
    return " ".join("?" + name for group in names for name in group)


def _values(var: str, iris: Iterable[str]) -> str:
    return f"VALUES ?{var} {{ {' '.join(f'<{i}>' for i in sorted(iris))} }}"


def _types_text(types: Iterable[str]) -> str:
    shown = sorted(_curie(t) for t in types)
    return ", ".join(shown) if shown else "no Biolink class"


class _Tally:
    """Findings merged by (rule, message): counts summed, the smallest example kept, so the
    report does not depend on the order in which the store returns its groups."""

    def __init__(self) -> None:
        self.found: dict[tuple[str, str], list[Any]] = {}

    def add(self, rule: str, message: str, count: int, example: str = "") -> None:
        if count <= 0:
            return
        entry = self.found.setdefault((rule, message), [0, example])
        entry[0] += count
        if example and (not entry[1] or example < entry[1]):
            entry[1] = example

    def into(self, report: ConformanceReport) -> None:
        for (rule, message), (count, example) in self.found.items():
            report.add(rule, message, count, example)


# -- rules ----------------------------------------------------------------------------------
def _check_nodes(store: pyoxigraph.Store, ctx: _Context, used: _Bits, tally: _Tally) -> None:
    """Classes, categories and required slots, from one profile of the typed or categorised
    nodes: how many have each combination of (types, categories, required slots present)."""
    required = _Bits(tuple(sorted({_slot_iri(s) for iri in used.iris for c in ctx.classes(iri)
                                   for s in ctx.schema.required_slots(c) - {"category"}})))
    columns = used.names("tb") + used.names("cb")
    present, keys = "", used.names("t") + used.names("c")
    if required.iris:
        present = f"""OPTIONAL {{ SELECT ?x {required.sums('rb', 'r')} WHERE {{
            {{ SELECT DISTINCT ?x ?rp WHERE {{ {_values('rp', required.iris)} ?x ?rp ?v }} }}
            {required.values('rp', 'rb')} }} GROUP BY ?x }}"""
        keys += required.names("r")
    rows = _rows(store, f"""SELECT {_vars(keys)} (COUNT(*) AS ?n) (SAMPLE(?x) AS ?ex) WHERE {{
        {{ SELECT ?x {used.sums('tb', 't')} {used.sums('cb', 'c')} WHERE {{
            {{ ?x rdf:type ?k . {used.values('k', 'tb', columns)} }}
            UNION {{ ?x biolink:category ?k . {used.values('k', 'cb', columns)} }}
        }} GROUP BY ?x }}
        {present}
    }} GROUP BY {_vars(keys)}""")
    schema, associations = ctx.schema, ctx.fitting("association")
    for row in rows:
        n, ex = int(row["n"]), row.get("ex", "")
        types, categories = used.decode(row, "t"), used.decode(row, "c")
        for iri in sorted(types | categories):
            name = schema.class_by_iri.get(iri)
            if not iri.startswith(BL):
                continue
            if name is None:
                tally.add("unknown-class", f"{_curie(iri)} is not a Biolink class", n, ex)
            elif not schema.instantiable(name):
                tally.add("abstract-class", f"{_curie(iri)} is abstract or a mixin", n, ex)
            elif schema.classes[name].get("deprecated"):
                tally.add("deprecated", f"class {_curie(iri)} is deprecated", n, ex)
        biolink_types = {t for t in types if t.startswith(BL)}
        if biolink_types and not types & associations:
            if not categories:
                tally.add("category", "node without biolink:category", n, ex)
            for t in sorted(biolink_types - categories if categories else ()):
                tally.add("category", f"rdf:type {_curie(t)} missing from the node's biolink:category", n, ex)
        has = required.decode(row, "r")
        for iri in sorted(types):
            wanted = {s for c in ctx.classes(iri) for s in schema.required_slots(c) - {"category"}}
            for slot in sorted(wanted):
                if _slot_iri(slot) not in has:
                    tally.add("required-slot", f"{_curie(iri)} without its required {slot}", n, ex)


def _check_ends_categorised(store: pyoxigraph.Store, used: _Bits, tally: _Tally) -> None:
    """Subjects and objects of associations with neither biolink:category nor a Biolink type
    (anti-joins, each evaluated once: ``MINUS`` shares only ``?x``)."""
    biolink = [iri for iri in used.iris if iri.startswith(BL)]
    rows = _rows(store, f"""SELECT (COUNT(*) AS ?n) (MIN(STR(?x)) AS ?ex) WHERE {{
        {{ SELECT DISTINCT ?x WHERE {{ {{ ?a biolink:subject ?x }} UNION {{ ?a biolink:object ?x }} }} }}
        MINUS {{ ?x biolink:category ?c }}
        MINUS {{ ?x rdf:type ?t . {_values('t', biolink)} }}
    }}""")
    if rows and int(rows[0]["n"]):
        tally.add("category", "node without biolink:category", int(rows[0]["n"]), rows[0].get("ex", ""))


def _check_triples(store: pyoxigraph.Store, ctx: _Context, used: _Bits, tally: _Tally) -> None:
    """Every triple of a Biolink-namespace property, in one profile: per (property, subject
    classes, object, count) first (ids only), then per distinct object its kind, its classes
    and, for value-checked slots, the value itself. Judged: the slot exists and is current,
    the object's kind and datatype fit the range, subject and object fit domain and range,
    enum and knowledge-source values are permissible."""
    schema = ctx.schema
    checked = sorted(_slot_iri(s) for s in schema.slots if _value_checked(schema, s))
    s_cols, o_cols = used.names("s"), used.names("o")
    rows = _rows(store, f"""SELECT ?p {_vars(s_cols, o_cols)} ?dt ?iri ?val (SUM(?c) AS ?n)
            (SAMPLE(?es0) AS ?es) (SAMPLE(?o) AS ?eo) WHERE {{
        {{ SELECT ?p ?o {_vars(s_cols)} (COUNT(*) AS ?c) (SAMPLE(?s) AS ?es0) WHERE {{
            ?s ?p ?o . OPTIONAL {used.signature('s', 's')}
        }} GROUP BY ?p ?o {_vars(s_cols)} }}
        FILTER(STRSTARTS(STR(?p), "{BL}"))
        OPTIONAL {used.signature('o', 'o')}
        BIND(DATATYPE(?o) AS ?dt) BIND(isIRI(?o) AS ?iri)
        BIND(IF(?iri && ?p IN ({', '.join(f'<{p}>' for p in checked)}), ?o, "") AS ?val)
    }} GROUP BY ?p {_vars(s_cols, o_cols)} ?dt ?iri ?val""")
    for row in sorted(rows, key=lambda r: (r["p"], r.get("val", ""))):
        p, n = row["p"], int(row["n"])
        slot = schema.slot_by_iri.get(p)
        if slot is None:
            tally.add("unknown-slot", f"{_curie(p)} is not a Biolink slot", n, row.get("es", ""))
            continue
        if schema.slots[slot].get("deprecated"):
            tally.add("deprecated", f"slot {_curie(p)} is deprecated", n, row.get("es", ""))
        kind = row.get("dt") or ("@" if row.get("iri") == "true" else "_")
        _check_kind(ctx, tally, slot, p, kind, n, row.get("es", ""))
        if slot in ("category", "type"):
            continue
        _check_domain_range(ctx, tally, slot, used.decode(row, "s"), used.decode(row, "o") if kind == "@" else None,
                            n, (row.get("es", ""), row.get("eo", "")))
        if row.get("val"):
            problem = _value_problem(schema, slot, row["val"])
            if problem:
                tally.add("enum-value", f"{_curie(p)} {_curie(row['val'])}: {problem}", n, row.get("es", ""))


def _value_checked(schema: Schema, slot: str) -> bool:
    return (schema.slot_range(slot) in schema.enums or slot in IRI_VALUED_STRINGS
            or "knowledge source" in schema.slot_ancestors(slot) or bool(schema.slot_inherited(slot, "values_from")))


def _check_kind(ctx: _Context, tally: _Tally, slot: str, p: str, kind: str, n: int, ex: str) -> None:
    """Literal or IRI, and the literal's datatype, against the slot's range."""
    schema = ctx.schema
    rng = "uriorcurie" if slot in ("category", "type") else schema.slot_range(slot)
    literal = kind not in ("@", "_")
    if rng in schema.classes or rng in schema.enums:
        if literal:
            tally.add("datatype", f"{_curie(p)} has range {rng}: an IRI belongs there, not a literal", n, ex)
        return
    datatype = schema.datatype(rng)
    if datatype is None:
        if literal:
            tally.add("datatype", f"{_curie(p)} takes an IRI, not a literal", n, ex)
    elif not literal:
        if slot not in IRI_VALUED_STRINGS and not schema.slot_inherited(slot, "values_from"):
            tally.add("datatype", f"{_curie(p)} takes a literal ({_curie(datatype)}), not an IRI", n, ex)
    elif kind != datatype:
        tally.add("datatype", f"{_curie(p)} takes {_curie(datatype)} literals, not {_curie(kind)}", n, ex)


def _check_domain_range(ctx: _Context, tally: _Tally, slot: str, subject: frozenset[str],
                        obj: frozenset[str] | None, n: int, examples: tuple[str, str]) -> None:
    """The subject's classes fit the slot's domain (or have the slot); an IRI object's classes,
    when it has any, fit the slot's range. Untyped subjects count only for non-predicates."""
    schema, p = ctx.schema, _slot_iri(slot)
    domain = schema.slot_inherited(slot, "domain")
    if domain in schema.classes and (subject or not schema.is_predicate(slot)):
        if not subject & (ctx.fitting(domain) | ctx.having(slot)):
            tally.add("domain-range", f"{_curie(p)} has domain {domain}; its subject is {_types_text(subject)}",
                      n, examples[0])
    rng = schema.slot_range(slot)
    if rng in schema.classes and obj:
        fitting = ctx.fitting(rng)
        if slot in TERM_QUALIFIERS:
            fitting |= ctx.fitting(TERM_QUALIFIERS[slot])
        if not obj & fitting:
            tally.add("domain-range", f"{_curie(p)} has range {rng}; its object is {_types_text(obj)}", n, examples[1])


def _check_associations(store: pyoxigraph.Store, ctx: _Context, used: _Bits, tally: _Tally) -> None:
    """Each (association classes, predicate): the predicate within the classes' constraints;
    each (association classes, predicate, end classes): subject and object within the classes'
    and the predicate's domain and range. One query per end, grouped by signatures."""
    schema = ctx.schema
    a_cols = used.names("a")
    rows = _rows(store, f"""SELECT {_vars(a_cols)} ?pred (COUNT(*) AS ?n) (SAMPLE(?a) AS ?ex) WHERE {{
        ?a biolink:predicate ?pred . OPTIONAL {used.signature('a', 'a')}
    }} GROUP BY {_vars(a_cols)} ?pred""")
    judged: dict[tuple[frozenset[str], str], tuple[set[str], str]] = {}
    for row in sorted(rows, key=lambda r: r["pred"]):
        n, ex, pred, types = int(row["n"]), row.get("ex", ""), row["pred"], used.decode(row, "a")
        classes = {c for c in ctx.classes(" ".join(sorted(types))) if schema.is_a(c, "association")}
        predicate = ctx.predicate(pred)
        if predicate is None or not schema.is_predicate(predicate):
            tally.add("association-predicate", f"{_curie(pred)} is not a Biolink predicate", n, ex)
            continue
        if schema.slots[predicate].get("deprecated"):
            tally.add("deprecated", f"predicate {_curie(pred)} is deprecated", n, ex)
        for cls in sorted(classes):
            for usage in schema.slot_usage(cls, "predicate"):
                _check_predicate_usage(ctx, tally, cls, pred, predicate, usage, n, ex)
        judged[(types, pred)] = (classes, predicate)
    for end, bound in (("subject", "domain"), ("object", "range")):
        rows = _rows(store, f"""SELECT {_vars(a_cols, used.names('x'))} ?pred (COUNT(*) AS ?n) (SAMPLE(?x) AS ?ex)
            WHERE {{
            ?a biolink:predicate ?pred ; biolink:{end} ?x .
            OPTIONAL {used.signature('a', 'a')} OPTIONAL {used.signature('x', 'x')}
        }} GROUP BY {_vars(a_cols, used.names('x'))} ?pred""")
        for row in sorted(rows, key=lambda r: r["pred"]):
            types, pred, ends = used.decode(row, "a"), row["pred"], used.decode(row, "x")
            if (types, pred) not in judged or not ends:  # not a predicate; untyped ends are not judged
                continue
            classes, predicate = judged[(types, pred)]
            wanted = [u["range"] for cls in sorted(classes) for u in schema.slot_usage(cls, end) if u.get("range")]
            own = schema.slot_inherited(predicate, bound)
            wanted += [own] if own in schema.classes else []
            for rng in dict.fromkeys(w for w in wanted if w in schema.classes):
                if not ends & ctx.fitting(rng):
                    shown = " ".join(_curie(t) for t in sorted(types)) or "untyped"
                    tally.add("domain-range", f"{shown} {_curie(pred)}: the {end} must be a {rng}; "
                                              f"its {end} is {_types_text(ends)}", int(row["n"]), row.get("ex", ""))


def _check_predicate_usage(ctx: _Context, tally: _Tally, cls: str, pred: str, predicate: str,
                           usage: dict[str, Any], n: int, ex: str) -> None:
    schema = ctx.schema
    rng = usage.get("range")
    if rng in schema.enums:
        allowed = {_enum_iri(value) for value in schema.enums[rng]}
        if pred not in allowed:
            tally.add("association-predicate", f"{_curie(pred)} is outside {rng} ({cls})", n, ex)
    parent = usage.get("subproperty_of")
    if parent and parent not in schema.slot_ancestors(predicate):
        tally.add("association-predicate", f"{_curie(pred)} is not under {parent} ({cls})", n, ex)


def _value_problem(schema: Schema, slot: str, value: str) -> str:
    rng = schema.slot_range(slot)
    if rng in schema.enums:
        return "" if value in {_enum_iri(v) for v in schema.enums[rng]} else f"not a permissible value of {rng}"
    if "knowledge source" in schema.slot_ancestors(slot):
        return "" if value.startswith(INFORES) and len(value) > len(INFORES) else "not an infores id"
    allowed = IRI_VALUED_STRINGS.get(slot, ())
    if allowed:
        return "" if value in allowed or any(value.startswith(a) for a in allowed if a.endswith("/")) \
            else "not one of the values alskg writes as IRIs here"
    prefixes = schema.slot_inherited(slot, "values_from") or []
    spaces = [uri for prefix in prefixes if (uri := vocab.converter().bimap.get(prefix))]
    return "" if any(value.startswith(s) for s in spaces) else f"not from {', '.join(prefixes)}"


def _enum_iri(value: str) -> str:
    return BL + value.partition(":")[2] if value.startswith("biolink:") else BL + value


def _slot_iri(name: str) -> str:
    return BL + name.replace(" ", "_")


def _curie(iri: str) -> str:
    return vocab.compress(iri)


# -- entry points ---------------------------------------------------------------------------
def check_store(store: pyoxigraph.Store) -> ConformanceReport:
    """Check the default graph of ``store`` against the Biolink Model; findings sorted by rule."""
    schema = load_schema()
    ctx = _Context(schema, _extensions(store, "subClassOf"), _extensions(store, "subPropertyOf"))
    used = _used_classes(store)
    tally = _Tally()
    _check_nodes(store, ctx, used, tally)
    _check_ends_categorised(store, used, tally)
    _check_triples(store, ctx, used, tally)
    _check_associations(store, ctx, used, tally)
    report = ConformanceReport(schema.version)
    tally.into(report)
    report.findings.sort(key=lambda f: (RULES.index(f.rule), f.message))
    return report


def render(report: ConformanceReport, fmt: str = "text") -> str:
    """The report as text (counts per rule, then each finding) or JSON."""
    counts = report.counts()
    if fmt == "json":
        return json.dumps({
            "biolink_version": report.biolink_version, "conforms": report.conforms, "counts": counts,
            "findings": [{"rule": f.rule, "message": f.message, "count": f.count, "example": f.example}
                         for f in report.findings],
        }, indent=2) + "\n"
    lines = [f"Biolink Model {report.biolink_version} conformance: "
             + ("conforms" if report.conforms else f"{sum(counts.values())} nonconforming triples or nodes")]
    lines += [f"  {rule:22} {count}" for rule, count in counts.items()]
    for finding in report.findings:
        example = f" (e.g. {_curie(finding.example)})" if finding.example else ""
        lines.append(f"{finding.rule}: {finding.message}: {finding.count}{example}")
    return "\n".join(lines) + "\n"
