"""A SHACL engine that compiles shapes to SPARQL and runs them on Oxigraph.

pySHACL checks one focus node at a time in Python; at the size of the full HPO release
(millions of triples) that takes many minutes (field notes §4). Here every constraint of a
shape becomes one SPARQL query over *all* its focus nodes, answered by Oxigraph, returning
only the violations. Patterns are matched in Python (``re``), as pySHACL does, because the
SPARQL engine's regex dialect lacks look-ahead.

Supported: targets (class, subjectsOf, objectsOf, SPARQL), predicate paths, and the
constraints minCount, maxCount, datatype, nodeKind, pattern (+flags), class, in, hasValue,
minInclusive, maxInclusive, minExclusive, maxExclusive, equals, lessThan, lessThanOrEquals,
or (of shapes made of those), and SPARQL constraints. Anything else raises
:class:`Unsupported` when the shapes are compiled, so nothing is silently skipped; the tests
check that every fixture gives the same results here as in pySHACL.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH

Term = ox.NamedNode | ox.Literal | ox.BlankNode


FOCUS = "urn:alskg:shacl:focus:"
_LOOKAROUND = re.compile(r"\(\?[=!<]|\\[1-9]")


def _sparql_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


class Unsupported(Exception):
    """A shape uses a SHACL feature this engine does not compile."""


@dataclass(frozen=True)
class Violation:
    """One validation result, in terms of the data store."""

    severity: str  # Violation, Warning, Info
    focus: Term
    path: str | None  # predicate IRI
    value: Term | None
    message: str
    shape: str  # the source shape (IRI, or a readable label for blank nodes)
    component: str  # e.g. MinCountConstraintComponent


_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNode: "isBlank({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
}
_KNOWN = {
    SH.path, SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group, RDF.type,
    RDFS.label, RDFS.comment, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target,
    SH.property, SH.minCount, SH.maxCount, SH.datatype, SH.nodeKind, SH.pattern, SH.flags, SH["class"],
    SH["in"], SH.hasValue, SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive,
    SH.equals, SH.lessThan, SH.lessThanOrEquals, SH["or"], SH.sparql, SH.deactivated,
}


def _n3(term: rdflib.term.Node) -> str:
    if isinstance(term, rdflib.BNode):
        raise Unsupported("blank node used as a constraint value")
    return term.n3()


def _severity(shapes: rdflib.Graph, shape: rdflib.term.Node, default: str = "Violation") -> str:
    value = shapes.value(shape, SH.severity)
    return str(value).rsplit("#", 1)[-1] if value is not None else default


@dataclass(frozen=True)
class ValueTest:
    """A constraint that is a test on each value alone (datatype, nodeKind, pattern, in,
    ranges, or): tests on the same focus nodes and path are batched into one query."""

    component: str
    expr: str  # SPARQL boolean expression over ?v: true when the value conforms
    severity: str
    message: str
    shape: str


@dataclass
class Check:
    """One compiled constraint: a SPARQL query and how to turn its rows into violations."""

    query: str
    component: str
    severity: str
    message: str
    shape: str
    path: str | None
    value_var: str | None = "v"
    pattern: tuple[str, str] | None = None  # (regex, flags) checked in Python on ?v
    template: bool = False  # message has {?var} placeholders (SPARQL constraints)
    focus_filter: str | None = None  # SPARQL constraints: keep rows whose ?this is a focus node
    tests: tuple[ValueTest, ...] = ()  # batched value tests: row variable ?f<i> is test i's verdict


@dataclass
class Compiled:
    """All checks of a shapes graph, and the focus-node selections they share.

    ``targets`` maps a marker predicate to the SPARQL group selecting a shape's focus nodes.
    Before the checks run, each selection is evaluated once and its nodes are tagged with the
    marker in the (in-memory) data store; every check then finds its focus nodes with one
    triple pattern instead of re-evaluating ``rdf:type/rdfs:subClassOf*``. The tags are
    removed afterwards.
    """

    checks: list[Check] = field(default_factory=list)
    targets: dict[str, str] = field(default_factory=dict)
    prefixes: str = ""


class Compiler:
    """Turns a shapes graph into :class:`Check` objects."""

    def __init__(self, shapes: rdflib.Graph) -> None:
        self.g = shapes
        self.prefixes = self._prefixes()

    def _prefixes(self) -> str:
        out = {}
        for decl in self.g.objects(None, SH.declare):
            prefix, ns = self.g.value(decl, SH.prefix), self.g.value(decl, SH.namespace)
            if prefix is not None and ns is not None:
                out[str(prefix)] = str(ns)
        out.setdefault("rdf", str(RDF))
        out.setdefault("rdfs", str(RDFS))
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(out.items()))

    def _label(self, shape: rdflib.term.Node) -> str:
        return str(shape) if isinstance(shape, rdflib.URIRef) else f"_:{shape}"

    # -- targets ---------------------------------------------------------------------------
    def target(self, shape: rdflib.term.Node) -> str | None:
        """A SPARQL group binding ?this to every focus node of ``shape`` (None: no target)."""
        parts = []
        for cls in self.g.objects(shape, SH.targetClass):
            parts.append(f"{{ ?this rdf:type/rdfs:subClassOf* {_n3(cls)} }}")
        if (shape, RDF.type, RDFS.Class) in self.g and (shape, RDF.type, SH.NodeShape) in self.g:
            parts.append(f"{{ ?this rdf:type/rdfs:subClassOf* {_n3(shape)} }}")
        for p in self.g.objects(shape, SH.targetSubjectsOf):
            parts.append(f"{{ SELECT DISTINCT ?this WHERE {{ ?this {_n3(p)} ?_any }} }}")
        for p in self.g.objects(shape, SH.targetObjectsOf):
            parts.append(f"{{ SELECT DISTINCT ?this WHERE {{ ?_any {_n3(p)} ?this }} }}")
        for target in self.g.objects(shape, SH.target):
            select = self.g.value(target, SH.select)
            if select is None:
                raise Unsupported(f"target of {self._label(shape)} is not a SPARQL target")
            parts.append("{ " + str(select).replace("$this", "?this") + " }")
        if not parts:
            return None
        return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"

    # -- value expressions (for sh:or) ------------------------------------------------------
    def value_expr(self, shape: rdflib.term.Node, v: str) -> str:
        """A SPARQL boolean expression: the node ``v`` conforms to ``shape`` (simple shapes only)."""
        tests = []
        for p, o in self.g.predicate_objects(shape):
            if p in (RDF.type, RDFS.label, RDFS.comment, SH.message, SH.severity, SH.name, SH.description):
                continue
            if p == SH.datatype:
                tests.append(f"(isLiteral({v}) && datatype({v}) = {_n3(o)})")
            elif p == SH.nodeKind:
                tests.append(_NODE_KINDS[o].format(v=v))
            elif p == SH["class"]:
                tests.append(f"EXISTS {{ {v} rdf:type/rdfs:subClassOf* {_n3(o)} }}")
            elif p == SH["in"]:
                tests.append("(" + " || ".join(f"sameTerm({v}, {_n3(x)})" for x in Collection(self.g, o)) + ")")
            elif p == SH.hasValue:
                tests.append(f"sameTerm({v}, {_n3(o)})")
            elif p == SH.path:
                tests.append(self._property_expr(shape, v))
            elif p in (SH.minCount, SH.maxCount):
                continue  # handled with sh:path
            else:
                raise Unsupported(f"{p} inside sh:or alternative {self._label(shape)}")
        return "(" + " && ".join(tests or ["true"]) + ")"

    def _property_expr(self, shape: rdflib.term.Node, v: str) -> str:
        path = self.g.value(shape, SH.path)
        if not isinstance(path, rdflib.URIRef):
            raise Unsupported("complex path inside sh:or")
        min_count = self.g.value(shape, SH.minCount)
        if self.g.value(shape, SH.maxCount) is not None or (min_count is not None and int(min_count) != 1):
            raise Unsupported("only minCount 1 inside sh:or property alternatives")
        if min_count is None:
            return "true"
        return f"EXISTS {{ {v} {_n3(path)} ?_x{abs(hash(str(shape))) % 10**6} }}"

    # -- constraints -----------------------------------------------------------------------
    def compile(self) -> Compiled:
        compiled = Compiled(prefixes=self.prefixes)
        node_shapes = set(self.g.subjects(RDF.type, SH.NodeShape))
        node_shapes |= set(self.g.subjects(SH.targetClass, None)) | set(self.g.subjects(SH.target, None))
        node_shapes |= set(self.g.subjects(SH.targetSubjectsOf, None)) | set(self.g.subjects(SH.targetObjectsOf, None))
        for shape in sorted(node_shapes, key=str):
            if self.g.value(shape, SH.path) is not None or (shape, SH.deactivated, rdflib.Literal(True)) in self.g:
                continue
            selection = self.target(shape)
            if selection is None:
                continue  # only used inside sh:or / sh:node
            marker = f"{FOCUS}{len(compiled.targets)}"
            compiled.targets[marker] = selection
            target = f"?this <{marker}> true ."
            compiled.checks.extend(self._node_checks(shape, target))
            batches: dict[str, list[ValueTest]] = {}
            for prop in sorted(self.g.objects(shape, SH.property), key=str):
                path = str(self.g.value(prop, SH.path))
                for item in self._property_checks(prop, shape, target):
                    if isinstance(item, ValueTest):
                        batches.setdefault(path, []).append(item)
                    else:
                        compiled.checks.append(item)
            compiled.checks.extend(self._batch(target, path, tests) for path, tests in batches.items())
        return compiled

    def _batch(self, target: str, path: str, tests: list[ValueTest]) -> Check:
        """One query for all value tests on a path: a row per value failing any of them."""
        binds = " ".join(f"BIND(COALESCE({t.expr}, false) AS ?f{i})" for i, t in enumerate(tests))
        failing = " || ".join(f"!?f{i}" for i in range(len(tests)))
        flags = " ".join(f"?f{i}" for i in range(len(tests)))
        query = (f"{self.prefixes}SELECT DISTINCT ?this ?v {flags} WHERE {{ {target} ?this <{path}> ?v . "
                 f"{binds} FILTER({failing}) }}")
        first = tests[0]
        return Check(query, first.component, first.severity, first.message, first.shape, path, tests=tuple(tests))

    def _message(self, shape: rdflib.term.Node, *fallback: rdflib.term.Node) -> str:
        for s in (shape, *fallback):
            m = self.g.value(s, SH.message)
            if m is not None:
                return str(m)
        return ""

    def _unknown(self, shape: rdflib.term.Node) -> None:
        for p in set(self.g.predicates(shape, None)):
            if p not in _KNOWN and not str(p).startswith(str(RDFS)):
                raise Unsupported(f"{p} on {self._label(shape)}")

    def _node_checks(self, shape: rdflib.term.Node, target: str) -> Iterator[Check]:
        self._unknown(shape)
        sev, msg, label = _severity(self.g, shape), self._message(shape), self._label(shape)

        def check(component: str, where: str, **kw: object) -> Check:
            query = f"{self.prefixes}SELECT DISTINCT ?this ?v WHERE {{ {target} BIND(?this AS ?v) {where} }}"
            return Check(query, component, sev, msg, label, None, **kw)  # type: ignore[arg-type]

        for o in self.g.objects(shape, SH.nodeKind):
            yield check("NodeKindConstraintComponent", f"FILTER(!{_NODE_KINDS[o].format(v='?v')})")
        for o in self.g.objects(shape, SH.pattern):
            flags = str(self.g.value(shape, SH.flags) or "")
            yield check("PatternConstraintComponent", "", pattern=(str(o), flags))
        for o in self.g.objects(shape, SH.datatype):
            yield check("DatatypeConstraintComponent", f"FILTER(!(isLiteral(?v) && datatype(?v) = {_n3(o)}))")
        for o in self.g.objects(shape, SH["class"]):
            yield check("ClassConstraintComponent", f"MINUS {{ ?v rdf:type/rdfs:subClassOf* {_n3(o)} }}")
        for o in self.g.objects(shape, SH["in"]):
            alts = " || ".join(f"sameTerm(?v, {_n3(x)})" for x in Collection(self.g, o))
            yield check("InConstraintComponent", f"FILTER(!({alts}))")
        for o in self.g.objects(shape, SH["or"]):
            alts = " || ".join(self.value_expr(alt, "?v") for alt in Collection(self.g, o))
            yield check("OrConstraintComponent", f"FILTER(!({alts}))")
        for o in self.g.objects(shape, SH.sparql):
            yield self._sparql_check(o, shape, target)

    def _sparql_check(self, constraint: rdflib.term.Node, shape: rdflib.term.Node, target: str) -> Check:
        select = self.g.value(constraint, SH.select)
        if select is None:
            raise Unsupported("SPARQL constraint without sh:select")
        text = str(select).replace("$this", "?this")
        message = self._message(constraint, shape)
        severity = _severity(self.g, shape)
        return Check(self.prefixes + text, "SPARQLConstraintComponent", severity, message, self._label(shape), None,
                     value_var="value", template=True, focus_filter=target)

    def _property_checks(
        self, prop: rdflib.term.Node, shape: rdflib.term.Node, target: str
    ) -> Iterator[Check | ValueTest]:
        self._unknown(prop)
        path = self.g.value(prop, SH.path)
        if not isinstance(path, rdflib.URIRef):
            raise Unsupported(f"non-predicate path on {self._label(prop)}")
        p = _n3(path)
        sev, msg, label = _severity(self.g, prop), self._message(prop), self._label(prop)
        values = f"{target} ?this {p} ?v ."

        def check(component: str, body: str, value_var: str | None = "v", **kw: object) -> Check:
            head = "?this ?v" if value_var else "?this"
            query = f"{self.prefixes}SELECT DISTINCT {head} WHERE {{ {body} }}"
            return Check(query, component, sev, msg, label, str(path), value_var, **kw)  # type: ignore[arg-type]

        for o in self.g.objects(prop, SH.minCount):
            if int(o) == 1:  # the common case: an anti-join, much cheaper than grouping
                query = f"{self.prefixes}SELECT ?this WHERE {{ {target} MINUS {{ ?this {p} ?_any }} }}"
            else:
                query = (f"{self.prefixes}SELECT ?this WHERE {{ {target} OPTIONAL {{ ?this {p} ?v }} }} "
                         f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {int(o)})")
            yield Check(query, "MinCountConstraintComponent", sev, msg, label, str(path), None)
        for o in self.g.objects(prop, SH.maxCount):
            query = (f"{self.prefixes}SELECT ?this WHERE {{ {values} }} "
                     f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {int(o)})")
            yield Check(query, "MaxCountConstraintComponent", sev, msg, label, str(path), None)
        def test(component: str, expr: str) -> ValueTest:
            return ValueTest(component, expr, sev, msg, label)

        for o in self.g.objects(prop, SH.datatype):
            yield test("DatatypeConstraintComponent", f"(isLiteral(?v) && datatype(?v) = {_n3(o)})")
        for o in self.g.objects(prop, SH.nodeKind):
            yield test("NodeKindConstraintComponent", _NODE_KINDS[o].format(v="?v"))
        for o in self.g.objects(prop, SH.pattern):
            flags = str(self.g.value(prop, SH.flags) or "")
            if _LOOKAROUND.search(str(o)):  # the SPARQL engine's regex lacks look-around: match in Python
                yield check("PatternConstraintComponent", values, pattern=(str(o), flags))
            else:
                yield test("PatternConstraintComponent",
                           f"(!isBlank(?v) && REGEX(STR(?v), {_sparql_string(str(o))}, {_sparql_string(flags)}))")
        for o in self.g.objects(prop, SH["class"]):
            # MINUS computes the instances of the class once, instead of a path walk per value
            yield check("ClassConstraintComponent",
                        f"{values} MINUS {{ ?v rdf:type/rdfs:subClassOf* {_n3(o)} }}")
        for o in self.g.objects(prop, SH["in"]):
            alts = " || ".join(f"sameTerm(?v, {_n3(x)})" for x in Collection(self.g, o))
            yield test("InConstraintComponent", f"({alts})")
        for o in self.g.objects(prop, SH.hasValue):
            yield check("HasValueConstraintComponent", f"{target} FILTER NOT EXISTS {{ ?this {p} {_n3(o)} }}", None)
        for name, op in (("minInclusive", ">="), ("maxInclusive", "<="), ("minExclusive", ">"), ("maxExclusive", "<")):
            for o in self.g.objects(prop, SH[name]):
                component = name[0].upper() + name[1:] + "ConstraintComponent"
                yield test(component, f"(?v {op} {_n3(o)})")
        for o in self.g.objects(prop, SH.equals):
            q = _n3(o)
            yield check("EqualsConstraintComponent",
                        f"{{ {values} FILTER NOT EXISTS {{ ?this {q} ?v }} }} UNION "
                        f"{{ {target} ?this {q} ?v . FILTER NOT EXISTS {{ ?this {p} ?v }} }}")
        for name, op in (("lessThan", "<"), ("lessThanOrEquals", "<=")):
            for o in self.g.objects(prop, SH[name]):
                component = name[0].upper() + name[1:] + "ConstraintComponent"
                yield check(component, f"{values} ?this {_n3(o)} ?_w . FILTER(!COALESCE(?v {op} ?_w, false))")
        for o in self.g.objects(prop, SH["or"]):
            alts = " || ".join(self.value_expr(alt, "?v") for alt in Collection(self.g, o))
            yield test("OrConstraintComponent", f"({alts})")


def compile_shapes(shapes: rdflib.Graph) -> Compiled:
    """Compile a shapes graph; raises :class:`Unsupported` for features it cannot run."""
    return Compiler(shapes).compile()


def _fill(template: str, row: ox.QuerySolution, variables: list[str]) -> str:
    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        term = row[name] if name in variables else None
        if term is None:
            return match.group(0)
        return term.value if not isinstance(term, ox.BlankNode) else f"_:{term.value}"

    return re.sub(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}", sub, template)


def _python_flags(flags: str) -> int:
    out = 0
    for flag, value in (("i", re.IGNORECASE), ("m", re.MULTILINE), ("s", re.DOTALL), ("x", re.VERBOSE)):
        if flag in flags:
            out |= value
    return out


class _Cache:
    """Answers shared between checks: a SPARQL constraint used by several shapes runs once."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.answers: dict[str, tuple[list[str], list[ox.QuerySolution]]] = {}
        self.lock = threading.Lock()

    def select(self, query: str) -> tuple[list[str], list[ox.QuerySolution]]:
        with self.lock:
            if query not in self.answers:
                answer = self.store.query(query)
                self.answers[query] = ([v.value for v in answer.variables], list(answer))
            return self.answers[query]


def run(compiled: Compiled, store: ox.Store) -> list[Violation]:
    """Run every check on the default graph of ``store``.

    The store must be writable (an in-memory copy): focus nodes are tagged for the duration
    of the run and untagged at the end.
    """
    out: list[Violation] = []
    cache = _Cache(store)
    for marker, selection in compiled.targets.items():
        store.update(f"{compiled.prefixes}INSERT {{ ?this <{marker}> true }} WHERE {{ {selection} }}")
    try:
        # Oxigraph evaluates queries without holding the GIL: two threads use both cores.
        with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
            for found in pool.map(lambda check: list(_run_check(check, store, cache)), compiled.checks):
                out.extend(found)
    finally:
        for marker in compiled.targets:
            store.update(f"DELETE WHERE {{ ?this <{marker}> ?x }}")
    return out


def _run_check(check: Check, store: ox.Store, cache: _Cache | None = None) -> Iterator[Violation]:
    focus: set[Term] | None = None
    if check.focus_filter is not None:
        focus = {row["this"] for row in store.query(f"SELECT ?this WHERE {{ {check.focus_filter} }}")}
        variables, rows = (cache or _Cache(store)).select(check.query)
    else:
        answer = store.query(check.query)
        variables, rows = [v.value for v in answer.variables], answer  # type: ignore[assignment]
    regex = re.compile(check.pattern[0], _python_flags(check.pattern[1])) if check.pattern else None
    for row in rows:
        this = row["this"]
        if this is None or (focus is not None and this not in focus):
            continue
        if check.tests:
            for i, test in enumerate(check.tests):
                verdict = row[f"f{i}"]
                if verdict is None or verdict.value != "true":
                    yield Violation(test.severity, this, check.path, row["v"], test.message, test.shape,
                                    test.component)
            continue
        value = row[check.value_var] if check.value_var and check.value_var in variables else None
        if regex is not None:
            if value is not None and not isinstance(value, ox.BlankNode) and regex.search(value.value):
                continue
        message = _fill(check.message, row, variables) if check.template else check.message
        yield Violation(check.severity, this, check.path, value, message, check.shape, check.component)

