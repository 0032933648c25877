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


_OWN_TYPES = f"""(STRSTARTS(STR(?{{v}}), "{BL}") || STRSTARTS(STR(?{{v}}), "{vocab.ALSKG_VOCAB}"))"""


def _own(var: str) -> str:
    """A filter expression: ``?var`` is a Biolink or alskg term."""
    return _OWN_TYPES.format(v=var)


def _values(var: str, iris: Iterable[str]) -> str:
    return f"VALUES ?{var} {{ {' '.join(f'<{i}>' for i in sorted(iris))} }}"


# -- rules ----------------------------------------------------------------------------------
def _check_classes(store: pyoxigraph.Store, ctx: _Context, report: ConformanceReport) -> list[str]:
    """Biolink classes used exist, are instantiable and current; returns the classes used."""
    rows = _rows(store, f"""SELECT ?c (COUNT(DISTINCT ?s) AS ?n) (SAMPLE(?s) AS ?ex) WHERE {{
        {{ ?s rdf:type ?c }} UNION {{ ?s biolink:category ?c }}
        FILTER(isIRI(?c) && STRSTARTS(STR(?c), "{BL}"))
    }} GROUP BY ?c ORDER BY ?c""")
    for row in rows:
        name = ctx.schema.class_by_iri.get(row["c"])
        n, ex = int(row["n"]), row.get("ex", "")
        if name is None:
            report.add("unknown-class", f"{_curie(row['c'])} is not a Biolink class", n, ex)
        elif not ctx.schema.instantiable(name):
            report.add("abstract-class", f"{_curie(row['c'])} is abstract or a mixin", n, ex)
        elif ctx.schema.classes[name].get("deprecated"):
            report.add("deprecated", f"class {_curie(row['c'])} is deprecated", n, ex)
    return [row["c"] for row in rows if row["c"] in ctx.schema.class_by_iri]


def _check_categories(store: pyoxigraph.Store, ctx: _Context, report: ConformanceReport) -> None:
    """Nodes without biolink:category (Biolink-typed nodes other than associations, and the
    subjects and objects of associations), and Biolink types a node's categories leave out.
    Direct edges are not scanned: each is written beside its association, whose ends are."""
    not_association = f"FILTER NOT EXISTS {{ ?node rdf:type ?at . {_values('at', ctx.fitting('association'))} }}"
    typed = _rows(store, f"""SELECT (COUNT(DISTINCT ?node) AS ?n) (SAMPLE(?node) AS ?ex) WHERE {{
        ?node rdf:type ?t . FILTER(STRSTARTS(STR(?t), "{BL}"))
        FILTER NOT EXISTS {{ ?node biolink:category ?c }}
        {not_association}
    }}""")
    ends = _rows(store, f"""SELECT (COUNT(DISTINCT ?node) AS ?n) (SAMPLE(?node) AS ?ex) WHERE {{
        {{ ?a biolink:subject ?node }} UNION {{ ?a biolink:object ?node }}
        FILTER NOT EXISTS {{ ?node biolink:category ?c }}
        FILTER NOT EXISTS {{ ?node rdf:type ?t . FILTER(STRSTARTS(STR(?t), "{BL}")) }}
    }}""")
    for rows in (typed, ends):
        if rows and int(rows[0]["n"]):
            report.add("category", "node without biolink:category", int(rows[0]["n"]), rows[0].get("ex", ""))
    rows = _rows(store, f"""SELECT ?t (COUNT(DISTINCT ?node) AS ?n) (SAMPLE(?node) AS ?ex) WHERE {{
        ?node rdf:type ?t . FILTER(STRSTARTS(STR(?t), "{BL}"))
        FILTER EXISTS {{ ?node biolink:category ?any }}
        FILTER NOT EXISTS {{ ?node biolink:category ?t }}
        {not_association}
    }} GROUP BY ?t ORDER BY ?t""")
    for row in rows:
        report.add("category", f"rdf:type {_curie(row['t'])} missing from the node's biolink:category",
                   int(row["n"]), row.get("ex", ""))


def _check_properties(store: pyoxigraph.Store, ctx: _Context, report: ConformanceReport) -> list[str]:
    """Every Biolink property: exists, current, literal or IRI with the right datatype.
    Returns the slots used."""
    # First the properties (one plain scan), then the object kinds of the Biolink ones only.
    properties = [row["p"] for row in _rows(store, "SELECT DISTINCT ?p WHERE { ?s ?p ?o }") if row["p"].startswith(BL)]
    rows = []
    for p in sorted(properties):
        rows += [{"p": p, **row} for row in _rows(store, f"""SELECT ?kind (COUNT(*) AS ?n) (SAMPLE(?s) AS ?ex) WHERE {{
            ?s <{p}> ?o . BIND(IF(isLiteral(?o), STR(DATATYPE(?o)), IF(isIRI(?o), "@", "_")) AS ?kind)
        }} GROUP BY ?kind ORDER BY ?kind""")]
    used: dict[str, None] = {}
    deprecated: set[str] = set()
    for row in rows:
        p, n, ex = row["p"], int(row["n"]), row.get("ex", "")
        slot = ctx.schema.slot_by_iri.get(p)
        if slot is None:
            report.add("unknown-slot", f"{_curie(p)} is not a Biolink slot", n, ex)
            continue
        used[slot] = None
        if ctx.schema.slots[slot].get("deprecated") and p not in deprecated:
            deprecated.add(p)
            total = sum(int(r["n"]) for r in rows if r["p"] == p)
            report.add("deprecated", f"slot {_curie(p)} is deprecated", total, ex)
        _check_kind(ctx, report, slot, p, row["kind"], n, ex)
    return list(used)


def _check_kind(ctx: _Context, report: ConformanceReport, slot: str, p: str, kind: str, n: int, ex: str) -> None:
    """Literal or IRI, and the literal's datatype, against the slot's range."""
    schema = ctx.schema
    rng = "uriorcurie" if slot in ("category", "type") else schema.slot_range(slot)
    literal = kind not in ("@", "_")
    if rng in schema.classes or rng in schema.enums:
        if literal:
            report.add("datatype", f"{_curie(p)} has range {rng}: an IRI belongs there, not a literal", n, ex)
        return
    datatype = schema.datatype(rng)
    if datatype is None:
        if literal:
            report.add("datatype", f"{_curie(p)} takes an IRI, not a literal", n, ex)
    elif not literal:
        if slot not in IRI_VALUED_STRINGS and not schema.slot_inherited(slot, "values_from"):
            report.add("datatype", f"{_curie(p)} takes a literal ({_curie(datatype)}), not an IRI", n, ex)
    elif kind != datatype:
        report.add("datatype", f"{_curie(p)} takes {_curie(datatype)} literals, not {_curie(kind)}", n, ex)


def _check_domains_ranges(store: pyoxigraph.Store, ctx: _Context, report: ConformanceReport,
                          slots: list[str]) -> None:
    """For each slot used: subjects whose classes neither fit its domain nor have the slot;
    class-typed objects that do not fit its range."""
    schema = ctx.schema
    for slot in slots:
        if slot in ("category", "type"):
            continue
        p = _slot_iri(slot)
        domain = schema.slot_inherited(slot, "domain")
        if domain in schema.classes:
            _check_ends(store, ctx, report, f"?s <{p}> ?o .", "s", ctx.fitting(domain) | ctx.having(slot),
                        f"{_curie(p)} has domain {domain}", untyped=not schema.is_predicate(slot))
        rng = schema.slot_range(slot)
        if rng in schema.classes:
            fitting = ctx.fitting(rng)
            if slot in TERM_QUALIFIERS:
                fitting |= ctx.fitting(TERM_QUALIFIERS[slot])
            _check_ends(store, ctx, report, f"?s <{p}> ?o .", "o", fitting, f"{_curie(p)} has range {rng}")


def _check_ends(store: pyoxigraph.Store, ctx: _Context, report: ConformanceReport, pattern: str, var: str,
                fitting: set[str], what: str, untyped: bool = False) -> None:
    """Nodes ``?var`` of ``pattern`` none of whose classes is in ``fitting``, by class. A tally per
    class comes first; only a class outside ``fitting`` costs a second, exact query (a node may
    have another class that fits). Untyped nodes count only if ``untyped``."""
    rows = _rows(store, f"""SELECT ?t (COUNT(*) AS ?n) WHERE {{
        {pattern} OPTIONAL {{ ?{var} rdf:type ?t0 . FILTER({_own('t0')}) }}
        BIND(COALESCE(STR(?t0), "") AS ?t)
    }} GROUP BY ?t""")
    end = "subject" if var == "s" else "object"
    for row in sorted(rows, key=lambda r: r["t"]):
        t = row["t"]
        if t in fitting or (not t and not untyped):
            continue
        typed = f"?{var} rdf:type <{t}> ." if t else f"FILTER NOT EXISTS {{ ?{var} rdf:type ?any . FILTER({_own('any')}) }}"
        exact = _rows(store, f"""SELECT (COUNT(*) AS ?n) (SAMPLE(?{var}) AS ?ex) WHERE {{
            {pattern} {typed} FILTER NOT EXISTS {{ ?{var} rdf:type ?f . {_values('f', fitting)} }}
        }}""")
        if exact and int(exact[0]["n"]):
            shown = _curie(t) if t else "no Biolink class"
            report.add("domain-range", f"{what}; its {end} is {shown}", int(exact[0]["n"]), exact[0].get("ex", ""))


def _check_associations(store: pyoxigraph.Store, ctx: _Context, report: ConformanceReport) -> None:
    """Each (association class, predicate): the predicate within the class's constraints, and
    subjects and objects within the class's and the predicate's domain and range."""
    schema = ctx.schema
    rows = _rows(store, f"""SELECT ?at ?pred (COUNT(*) AS ?n) (SAMPLE(?a) AS ?ex) WHERE {{
        ?a biolink:predicate ?pred .
        OPTIONAL {{ ?a rdf:type ?t0 . FILTER({_own('t0')}) }}
        BIND(COALESCE(STR(?t0), "") AS ?at)
    }} GROUP BY ?at ?pred ORDER BY ?at ?pred""")
    for row in rows:
        n, ex, pred, at = int(row["n"]), row.get("ex", ""), row["pred"], row["at"]
        classes = {c for c in ctx.classes(at) if schema.is_a(c, "association")}
        predicate = ctx.predicate(pred)
        if predicate is None or not schema.is_predicate(predicate):
            report.add("association-predicate", f"{_curie(pred)} is not a Biolink predicate", n, ex)
            continue
        if schema.slots[predicate].get("deprecated"):
            report.add("deprecated", f"predicate {_curie(pred)} is deprecated", n, ex)
        for cls in sorted(classes):
            for usage in schema.slot_usage(cls, "predicate"):
                _check_predicate_usage(ctx, report, cls, pred, predicate, usage, n, ex)
        for end, bound in (("subject", "domain"), ("object", "range")):
            wanted = [u["range"] for cls in sorted(classes) for u in schema.slot_usage(cls, end) if u.get("range")]
            own = schema.slot_inherited(predicate, bound)
            wanted += [own] if own in schema.classes else []
            for rng in dict.fromkeys(w for w in wanted if w in schema.classes):
                _check_association_end(store, ctx, report, (at, pred, end, rng))


def _check_association_end(store: pyoxigraph.Store, ctx: _Context, report: ConformanceReport,
                           key: tuple[str, str, str, str]) -> None:
    at, pred, end, rng = key
    typed = f"?a rdf:type <{at}> ." if at else ""
    var = "s" if end == "subject" else "o"
    _check_ends(store, ctx, report, f"?a biolink:predicate <{pred}> ; biolink:{end} ?{var} . {typed}", var,
                ctx.fitting(rng), f"{_curie(at) if at else 'untyped'} {_curie(pred)}: the {end} must be a {rng}")


def _check_predicate_usage(ctx: _Context, report: ConformanceReport, cls: str, pred: str, predicate: str,
                           usage: dict[str, Any], n: int, ex: str) -> None:
    schema = ctx.schema
    rng = usage.get("range")
    if rng in schema.enums:
        allowed = {_enum_iri(value) for value in schema.enums[rng]}
        if pred not in allowed:
            report.add("association-predicate", f"{_curie(pred)} is outside {rng} ({cls})", n, ex)
    parent = usage.get("subproperty_of")
    if parent and parent not in schema.slot_ancestors(predicate):
        report.add("association-predicate", f"{_curie(pred)} is not under {parent} ({cls})", n, ex)


def _check_required(store: pyoxigraph.Store, ctx: _Context, report: ConformanceReport, classes: list[str]) -> None:
    """Nodes of each class used lacking one of the class's required slots."""
    for iri in sorted({*classes, *ctx.ext_classes}):
        for cls in sorted(ctx.classes(iri)):
            for slot in sorted(ctx.schema.required_slots(cls) - {"category"}):  # category: its own rule
                rows = _rows(store, f"""SELECT (COUNT(DISTINCT ?s) AS ?n) (SAMPLE(?s) AS ?ex) WHERE {{
                    ?s rdf:type <{iri}> FILTER NOT EXISTS {{ ?s <{_slot_iri(slot)}> ?v }}
                }}""")
                if rows and int(rows[0]["n"]):
                    report.add("required-slot", f"{_curie(iri)} without its required {slot}",
                               int(rows[0]["n"]), rows[0].get("ex", ""))


def _check_values(store: pyoxigraph.Store, ctx: _Context, report: ConformanceReport, slots: Iterable[str]) -> None:
    """Enum values, infores ids, HP frequency terms and ``values_from`` prefixes."""
    schema = ctx.schema
    checked = {}
    for slot in slots:
        rng = schema.slot_range(slot)
        if rng in schema.enums or slot in IRI_VALUED_STRINGS or "knowledge source" in schema.slot_ancestors(slot) \
                or schema.slot_inherited(slot, "values_from"):
            checked[_slot_iri(slot)] = slot
    if not checked:
        return
    rows = _rows(store, f"""SELECT ?p ?o (COUNT(*) AS ?n) (SAMPLE(?s) AS ?ex) WHERE {{
        VALUES ?p {{ {' '.join(f'<{p}>' for p in sorted(checked))} }}
        ?s ?p ?o . FILTER(isIRI(?o))
    }} GROUP BY ?p ?o ORDER BY ?p ?o""")
    for row in rows:
        slot, value, n, ex = checked[row["p"]], row["o"], int(row["n"]), row.get("ex", "")
        problem = _value_problem(schema, slot, value)
        if problem:
            report.add("enum-value", f"{_curie(row['p'])} {_curie(value)}: {problem}", n, ex)


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
    report = ConformanceReport(schema.version)
    classes = _check_classes(store, ctx, report)
    used = _check_properties(store, ctx, report)
    _check_domains_ranges(store, ctx, report, used)
    _check_categories(store, ctx, report)
    _check_associations(store, ctx, report)
    _check_required(store, ctx, report, classes)
    _check_values(store, ctx, report, used)
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
