"""A SHACL engine that compiles shapes to SPARQL and runs them on Oxigraph.

pySHACL checks one focus node at a time in Python; at the size of the full HPO release
(millions of triples) that takes many minutes (field notes §4). Here every constraint of a
shape becomes one SPARQL query over *all* its focus nodes, answered by Oxigraph, returning
only the violations. Patterns with look-around are matched in Python (``re``), as pySHACL
does, because the SPARQL engine's regex dialect lacks it.

What the engine claims is written down once, per kind of shape (:data:`NODE_SHAPE_FEATURES`,
:data:`PROPERTY_SHAPE_FEATURES`; sh:or alternatives, SPARQL constraints and SPARQL targets have
their own lists). Before anything is compiled or skipped (deactivated or target-less shapes),
every node of the shapes graph that carries a SHACL term is classified and each of its
predicates must be claimed for its kind; anything else raises :class:`Unsupported`, one line
naming the shape and the feature. So a shape is either run exactly or refused, never skipped
in part. The tests run the W3C SHACL core test suite and compare every case with pySHACL.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from alskg.errors import AlskgError
from alskg.rdfmodel import BlankNode, Literal, NamedNode
from alskg.store import QuerySolution, Store

Term = NamedNode | Literal | BlankNode
Node = rdflib.term.Node

FOCUS = "urn:alskg:shacl:focus:"
#: Where a check's query is restricted to its focus nodes: replaced at run time by a VALUES
#: block (few focus nodes), by the shape's target selection, or by nothing (see :func:`run`).
FOCUS_SLOT = "#ALSKG-FOCUS#\n"
#: Targets with at most this many focus nodes (and no blank node) are written into the
#: queries as VALUES; larger ones are checked over all subjects and filtered in Python.
VALUES_LIMIT = 20000
#: A target's focus nodes are read into Python up front only up to this many; a larger
#: target's are read when a check first needs them (a row to keep or drop, a missing value),
#: which at full scope, with no findings, is never: reading 300k nodes costs seconds.
EAGER_LIMIT = 20000
_LOOKAROUND = re.compile(r"\(\?[=!<]|\\[1-9]")
_SH = str(SH)

# -- what the engine claims ----------------------------------------------------------------
_ANNOTATIONS = frozenset({SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group,
                          SH.deactivated, SH.defaultValue, SH.declare})
_TARGETS = frozenset({SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target})
_VALUE_TESTS = frozenset({SH.datatype, SH.nodeKind, SH.pattern, SH.flags, SH["class"], SH["in"], SH.hasValue,
                          SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH["or"]})
NODE_SHAPE_FEATURES = _ANNOTATIONS | _TARGETS | _VALUE_TESTS | {SH.property, SH.sparql}
PROPERTY_SHAPE_FEATURES = (_ANNOTATIONS | _TARGETS | _VALUE_TESTS
                           | {SH.path, SH.minCount, SH.maxCount, SH.equals, SH.lessThan, SH.lessThanOrEquals})
OR_NODE_FEATURES = frozenset({SH.message, SH.severity, SH.name, SH.description,
                              SH.datatype, SH.nodeKind, SH["class"], SH["in"], SH.hasValue})
OR_PROPERTY_FEATURES = OR_NODE_FEATURES - {SH.datatype, SH.nodeKind, SH["class"], SH["in"], SH.hasValue} | {
    SH.path, SH.minCount}
SPARQL_CONSTRAINT_FEATURES = frozenset({SH.select, SH.message, SH.prefixes, SH.deactivated})
SPARQL_TARGET_FEATURES = frozenset({SH.select, SH.prefixes})
PREFIX_FEATURES = frozenset({SH.prefix, SH.namespace})
CLASSES = frozenset({SH.NodeShape, SH.PropertyShape, SH.Shape, SH.SPARQLConstraint, SH.SPARQLTarget,
                     SH.PrefixDeclaration})
_PREBOUND = re.compile(r"[?$](currentShape|shapesGraph|PATH)\b")

NODE, PROPERTY, SPARQL_CONSTRAINT, SPARQL_TARGET, PREFIX = (
    "node shape", "property shape", "SPARQL constraint", "SPARQL target", "prefix declaration")
_ROLE_FEATURES = {NODE: NODE_SHAPE_FEATURES, PROPERTY: PROPERTY_SHAPE_FEATURES,
                  SPARQL_CONSTRAINT: SPARQL_CONSTRAINT_FEATURES, SPARQL_TARGET: SPARQL_TARGET_FEATURES,
                  PREFIX: PREFIX_FEATURES}


def _sparql_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


_NAMES = (("sh:", _SH), ("xsd:", str(XSD)), ("rdf:", str(RDF)), ("rdfs:", str(RDFS)))


def term_name(term: Node | None) -> str:
    """A short, stable name for a shapes-graph term in messages: ``sh:x``, ``xsd:x``, or ``<iri>``."""
    if isinstance(term, rdflib.URIRef):
        text = str(term)
        for prefix, ns in _NAMES:
            if text.startswith(ns) and text[len(ns):].isidentifier():
                return prefix + text[len(ns):]
        return f"<{text}>"
    if isinstance(term, rdflib.Literal):
        return term.n3()
    return "a blank node" if term is not None else "nothing"


class Unsupported(AlskgError):
    """A shape uses a SHACL feature this engine does not claim.

    Raised while compiling, before any data is read: one line naming the shape and the
    feature; the CLI prints it and exits 2.
    """

    def __init__(self, feature: str, shape: str = "") -> None:
        self.feature, self.shape = feature, shape
        where = f"shape {shape}: " if shape else "shapes: "
        super().__init__(f"{where}{feature} is not supported by the sparql engine "
                         "(use --engine pyshacl, or remove it)")

    def at(self, shape: str) -> Unsupported:
        """The same refusal, naming ``shape`` if no shape is named yet."""
        return self if self.shape else Unsupported(self.feature, shape)


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
_RANGES = (("minInclusive", ">="), ("maxInclusive", "<="), ("minExclusive", ">"), ("maxExclusive", "<"))


def _n3(term: Node, parameter: rdflib.URIRef | None = None) -> str:
    if not isinstance(term, (rdflib.URIRef, rdflib.Literal)):
        raise Unsupported(f"a blank node as the value of {term_name(parameter)}" if parameter is not None
                          else "a blank node as a constraint value")
    return term.n3()


# Datatypes whose lexical forms Oxigraph checks with a cast (ill-formed literals are kept as
# they are, so a failing cast marks them); xsd:string needs no check.
_CASTABLE = frozenset(XSD[n] for n in (
    "boolean", "decimal", "integer", "float", "double", "date", "dateTime", "time", "duration",
    "dayTimeDuration", "yearMonthDuration", "gYear", "gYearMonth", "gMonth", "gDay", "gMonthDay"))
# Oxigraph stores these as xsd:integer: the datatype the data used is lost, so a check is impossible.
_LOST = frozenset(XSD[n] for n in (
    "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
    "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"))


def _datatype(datatype: Node, v: str) -> str:
    """``v`` is a well-formed literal of ``datatype`` (sh:datatype)."""
    if datatype in _LOST:
        raise Unsupported(f"sh:datatype {term_name(datatype)} (the store reads it as xsd:integer)")
    expr = f"isLiteral({v}) && datatype({v}) = {_n3(datatype, SH.datatype)}"
    if datatype in _CASTABLE:
        expr += f" && COALESCE(isLiteral({_n3(datatype)}(STR({v}))), false)"
    return f"({expr})"


def _node_kind(kind: Node, v: str) -> str:
    if kind not in _NODE_KINDS:
        raise Unsupported(f"sh:nodeKind {term_name(kind)}")
    return _NODE_KINDS[kind].format(v=v)


def _count(value: Node, parameter: rdflib.URIRef) -> int:
    if not (isinstance(value, rdflib.Literal) and isinstance(value.toPython(), int)
            and not isinstance(value.toPython(), bool) and value.toPython() >= 0):
        raise Unsupported(f"{term_name(parameter)} {term_name(value)} (not a non-negative integer)")
    return int(value.toPython())


def _is_true(shapes: rdflib.Graph, node: Node) -> bool:
    """``sh:deactivated true``; any value other than an xsd:boolean is refused."""
    values = list(shapes.objects(node, SH.deactivated))
    for value in values:
        if not (isinstance(value, rdflib.Literal) and value.datatype == XSD.boolean
                and isinstance(value.toPython(), bool)):
            raise Unsupported(f"sh:deactivated {term_name(value)} (not an xsd:boolean)")
    return any(value.toPython() for value in values)  # type: ignore[union-attr]


def _severity(shapes: rdflib.Graph, shape: Node, default: str = "Violation") -> str:
    value = shapes.value(shape, SH.severity)
    return str(value).rsplit("#", 1)[-1] if value is not None else default


def _any_of(tests: Iterable[str]) -> str:
    """A disjunction of SPARQL expressions; an empty list (``sh:in ()``) is false."""
    tests = list(tests)
    return "(" + (" || ".join(tests) if tests else "false") + ")"


@dataclass(frozen=True)
class ValueTest:
    """A constraint that is a test on each value alone (datatype, nodeKind, pattern, in,
    ranges, or): tests on the same focus nodes and path are batched into one query."""

    component: str
    expr: str  # SPARQL boolean expression over ?v: true when the value conforms
    severity: str
    message: str
    shape: str


#: How a check's rows become violations (see :func:`run`):
ROWS = "rows"  # rows (?this, ?v, …) for failing values; ?this restricted to the focus nodes
MISSING = "missing"  # rows ?this that satisfy the constraint; every other focus node violates it
ITSELF = "itself"  # the focus node is the value: the slot must bind ?this to exactly the focus nodes
SELECT = "select"  # a SPARQL constraint, run once over all nodes; rows kept for focus nodes
BOUND = "bound"  # as ROWS, but the slot binds ?this to exactly the focus nodes (few failing values)


@dataclass
class Check:
    """One compiled constraint: a SPARQL query and how to turn its rows into violations.

    ``query`` holds :data:`FOCUS_SLOT` where its focus nodes are selected; ``focus`` is the
    marker of that selection in :attr:`Compiled.targets`. A ``query`` of ``None`` (a node
    pattern) is matched in Python on the focus nodes themselves.
    """

    query: str | None
    component: str
    severity: str
    message: str
    shape: str
    path: str | None
    value_var: str | None = "v"
    pattern: tuple[str, str] | None = None  # (regex, flags) checked in Python on ?v
    template: bool = False  # message has {?var} placeholders (SPARQL constraints)
    tests: tuple[ValueTest, ...] = ()  # batched value tests: row variable ?f<i> is test i's verdict
    focus: str = ""  # marker of the focus-node selection (a key of Compiled.targets)
    required: bool = False  # sh:minCount 1: checked with the target's other such paths at once
    mode: str = ROWS  # ROWS, MISSING, ITSELF, SELECT or BOUND
    most: int | None = None  # sh:maxCount: skipped when no subject has two values for the path
    #: value tests on a path (a batch, or sh:class): the values of the path (each once) failing
    #: a test; when none fails the check has no rows, whichever its focus nodes
    #: (see :meth:`_Cache.failing`)
    failing: str | None = None


@dataclass
class Compiled:
    """All checks of a shapes graph, and the focus-node selections they share.

    ``targets`` maps a marker to the SPARQL group selecting a shape's focus nodes. Before the
    checks run, each selection is evaluated once (a large one only up to :data:`EAGER_LIMIT`
    nodes, see :class:`Focus`); a check then either gets the nodes as a VALUES block (few
    nodes) or runs over every subject of its path and keeps the rows of focus nodes in
    Python, which at full scope is several times cheaper than joining each query with a few
    hundred thousand focus nodes. Nothing is written to the data store, so it may be opened
    read-only.
    """

    checks: list[Check] = field(default_factory=list)
    targets: dict[str, str] = field(default_factory=dict)
    prefixes: str = ""

    def focus(self, selection: str) -> str:
        """Register a focus-node selection; its marker. Shapes with the same targets share
        one selection (evaluated once)."""
        marker = next((m for m, known in self.targets.items() if known == selection), None)
        if marker is None:
            marker = f"{FOCUS}{len(self.targets)}"
            self.targets[marker] = selection
        return marker


def _verdicts(tests: list[ValueTest]) -> tuple[str, str, str]:
    """A batch of value tests in SPARQL: the BINDs of each test's verdict ``?f<i>`` on ``?v``,
    the filter keeping values failing any of them, and the verdict variables to select."""
    binds = " ".join(f"BIND(COALESCE({t.expr}, false) AS ?f{i})" for i, t in enumerate(tests))
    failing = " || ".join(f"!?f{i}" for i in range(len(tests)))
    flags = " ".join(f"?f{i}" for i in range(len(tests)))
    return binds, failing, flags


class Compiler:
    """Turns a shapes graph into :class:`Check` objects."""

    def __init__(self, shapes: rdflib.Graph) -> None:
        self.g = shapes
        self.prefixes = self._prefixes()

    def _prefixes(self) -> str:
        out: dict[str, str] = {}
        for decl in self.g.objects(None, SH.declare):
            prefix, ns = self.g.value(decl, SH.prefix), self.g.value(decl, SH.namespace)
            if prefix is not None and ns is not None:
                if out.get(str(prefix), str(ns)) != str(ns):
                    raise Unsupported(f"prefix {prefix!s}: declared with two namespaces")
                out[str(prefix)] = str(ns)
        out.setdefault("rdf", str(RDF))
        out.setdefault("rdfs", str(RDFS))
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(out.items()))

    def _label(self, shape: Node) -> str:
        return str(shape) if isinstance(shape, rdflib.URIRef) else f"_:{shape}"

    def describe(self, shape: Node, depth: int = 0) -> str:
        """A stable, readable name for a shape in messages (blank nodes by path and parent)."""
        if isinstance(shape, rdflib.URIRef):
            return f"<{shape}>"
        path = self.g.value(shape, SH.path)
        text = f"[sh:path {term_name(path)}]" if path is not None else "[blank node]"
        parents = sorted(self.g.subjects(SH.property, shape), key=lambda s: (isinstance(s, rdflib.BNode), str(s)))
        if parents and depth < 3:
            text += f" of {self.describe(parents[0], depth + 1)}"
        return text

    # -- what is claimed, checked before anything is compiled or skipped ---------------------
    def classify(self) -> dict[Node, str]:
        """Every node of the shapes graph that carries a SHACL term, with its kind.

        Raises :class:`Unsupported` for the first predicate or ``rdf:type`` not claimed for
        the node's kind; deactivated and target-less shapes are checked too.
        """
        g = self.g
        for node, cls in g.subject_objects(RDF.type):
            if isinstance(cls, rdflib.URIRef) and str(cls).startswith(_SH) and cls not in CLASSES:
                raise Unsupported(f"rdf:type {term_name(cls)}", self.describe(node))
        constraints, targets = set(g.objects(None, SH.sparql)), set(g.objects(None, SH.target))
        declarations, paths = set(g.objects(None, SH.declare)), set(g.objects(None, SH.path))
        property_shapes = (set(g.objects(None, SH.property)) | set(g.subjects(SH.path, None))
                           | set(g.subjects(RDF.type, SH.PropertyShape)))
        candidates = {s for s, p in g.subject_predicates() if str(p).startswith(_SH) and p != SH.declare}
        candidates |= set(g.subjects(RDF.type, SH.NodeShape)) | property_shapes | constraints | targets
        candidates -= paths  # a path is refused by its property shape unless it is a predicate IRI
        roles: dict[Node, str] = {}
        for node in sorted(candidates, key=lambda s: (isinstance(s, rdflib.BNode), str(s))):
            role = (SPARQL_CONSTRAINT if node in constraints else SPARQL_TARGET if node in targets
                    else PREFIX if node in declarations else PROPERTY if node in property_shapes else NODE)
            for p in sorted(set(g.predicates(node, None)), key=str):
                if p == RDF.type or str(p).startswith(str(RDFS)) or p in _ROLE_FEATURES[role]:
                    continue
                raise Unsupported(f"{term_name(p)} on a {role}", self.describe(node))
            if role == PROPERTY:
                path = list(g.objects(node, SH.path))
                if len(path) != 1:
                    raise Unsupported("a property shape without exactly one sh:path", self.describe(node))
                if not isinstance(path[0], rdflib.URIRef):
                    raise Unsupported("a non-predicate sh:path",
                                      self.describe(node))
            roles[node] = role
        return roles

    # -- targets ---------------------------------------------------------------------------
    def _implicit_class(self, shape: Node) -> bool:
        """The shape is also a class (rdf:type rdfs:Class or a subclass of it): it targets its instances."""
        classes = {RDFS.Class, *self.g.subjects(RDFS.subClassOf, RDFS.Class)}
        return any(t in classes for t in self.g.objects(shape, RDF.type))

    def target(self, shape: Node) -> str | None:
        """A SPARQL group binding ?this to every focus node of ``shape`` (None: no target)."""
        parts = []
        nodes = sorted(self.g.objects(shape, SH.targetNode), key=str)
        if nodes:
            parts.append("{ VALUES ?this { " + " ".join(_n3(n, SH.targetNode) for n in nodes) + " } }")
        classes = [*self.g.objects(shape, SH.targetClass)] + ([shape] if self._implicit_class(shape) else [])
        for cls in sorted(classes, key=str):
            # rdf:type/rdfs:subClassOf*, written as a join so the (few) subclasses are found
            # first and their instances looked up by class, not every typed node walked up
            parts.append(f"{{ ?_class rdfs:subClassOf* {_n3(cls, SH.targetClass)} . ?this rdf:type ?_class }}")
        for p in sorted(self.g.objects(shape, SH.targetSubjectsOf), key=str):
            parts.append(f"{{ SELECT DISTINCT ?this WHERE {{ ?this {_n3(p, SH.targetSubjectsOf)} ?_any }} }}")
        for p in sorted(self.g.objects(shape, SH.targetObjectsOf), key=str):
            parts.append(f"{{ SELECT DISTINCT ?this WHERE {{ ?_any {_n3(p, SH.targetObjectsOf)} ?this }} }}")
        for target in self.g.objects(shape, SH.target):
            parts.append("{ " + self._select(target, "sh:target") + " }")
        if not parts:
            return None
        return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"

    def _select(self, node: Node, where: str) -> str:
        """The ``sh:select`` query of a SPARQL constraint or target, with $this as ?this."""
        select = self.g.value(node, SH.select)
        if select is None:
            raise Unsupported(f"{where} without sh:select")
        if _PREBOUND.search(str(select)):
            raise Unsupported(f"{where} using $currentShape, $shapesGraph or $PATH")
        return str(select).replace("$this", "?this")

    # -- value expressions (for sh:or) ------------------------------------------------------
    def value_expr(self, shape: Node, v: str) -> str:
        """A SPARQL boolean expression: the node ``v`` conforms to ``shape`` (simple shapes only)."""
        allowed = OR_PROPERTY_FEATURES if self.g.value(shape, SH.path) is not None else OR_NODE_FEATURES
        tests = []
        for p, o in sorted(self.g.predicate_objects(shape), key=str):
            if p == RDF.type or str(p).startswith(str(RDFS)) or p in (SH.message, SH.severity, SH.name,
                                                                      SH.description):
                continue
            if p not in allowed:
                raise Unsupported(f"{term_name(p)} inside an sh:or alternative")
            if p == SH.datatype:
                tests.append(_datatype(o, v))
            elif p == SH.nodeKind:
                tests.append(_node_kind(o, v))
            elif p == SH["class"]:
                tests.append(f"EXISTS {{ {v} rdf:type/rdfs:subClassOf* {_n3(o, p)} }}")
            elif p == SH["in"]:
                tests.append(_any_of(f"sameTerm({v}, {_n3(x, p)})" for x in Collection(self.g, o)))
            elif p == SH.hasValue:
                tests.append(f"sameTerm({v}, {_n3(o, p)})")
            elif p == SH.path:
                tests.append(self._property_expr(shape, v))
        return "(" + " && ".join(tests or ["true"]) + ")"

    def _property_expr(self, shape: Node, v: str) -> str:
        path = self.g.value(shape, SH.path)
        if not isinstance(path, rdflib.URIRef):
            raise Unsupported("a non-predicate sh:path inside sh:or")
        min_count = self.g.value(shape, SH.minCount)
        if min_count is not None and _count(min_count, SH.minCount) != 1:
            raise Unsupported("sh:minCount other than 1 inside sh:or property alternatives")
        if min_count is None:
            return "true"
        return f"EXISTS {{ {v} {_n3(path)} ?_x{abs(hash(str(shape))) % 10**6} }}"

    # -- constraints -----------------------------------------------------------------------
    def compile(self) -> Compiled:
        roles = self.classify()  # refuses every unclaimed feature first: nothing is skipped unchecked
        compiled = Compiled(prefixes=self.prefixes)
        for shape, role in roles.items():
            if role not in (NODE, PROPERTY):
                continue
            try:
                self._compile_shape(shape, role, compiled)
            except Unsupported as exc:
                raise exc.at(self.describe(shape)) from None
        return compiled

    def _compile_shape(self, shape: Node, role: str, compiled: Compiled) -> None:
        if _is_true(self.g, shape):
            return
        selection = self.target(shape)
        if selection is None:
            return  # not a top-level shape: used only through sh:property or sh:or
        target = compiled.focus(selection)  # a marker; the queries hold FOCUS_SLOT
        if role == PROPERTY:
            props = [shape]
        else:
            compiled.checks.extend(self._node_checks(shape, target))
            props = sorted(self.g.objects(shape, SH.property), key=str)
        for prop in props:
            try:
                if prop is shape or not _is_true(self.g, prop):
                    self._add_property(prop, target, compiled)
            except Unsupported as exc:
                raise exc.at(self.describe(prop)) from None

    def _add_property(self, prop: Node, target: str, compiled: Compiled) -> None:
        """The checks of one property shape; its value tests batched into one query."""
        tests: list[ValueTest] = []
        for item in self._property_checks(prop):
            if isinstance(item, ValueTest):
                tests.append(item)
            else:
                item.focus = target
                compiled.checks.append(item)
        if tests:
            batch = self._batch(str(self.g.value(prop, SH.path)), tests)
            batch.focus = target
            compiled.checks.append(batch)

    def _batch(self, path: str, tests: list[ValueTest]) -> Check:
        """One query for all value tests on a path: a row per value failing any of them."""
        binds, failing, flags = _verdicts(tests)
        query = (f"{self.prefixes}SELECT DISTINCT ?this ?v {flags} WHERE {{ {FOCUS_SLOT}?this <{path}> ?v . "
                 f"{binds} FILTER({failing}) }}")
        first = tests[0]
        return Check(query, first.component, first.severity, first.message, first.shape, path, tests=tuple(tests),
                     failing=self._failing_values(f"<{path}>", f"{binds} FILTER({failing})"))

    def _failing_values(self, path: str, condition: str) -> str:
        """The query for :attr:`Check.failing`: each distinct value of ``path`` (SPARQL) that
        meets ``condition`` (the SPARQL of failing the check's tests)."""
        return f"{self.prefixes}SELECT ?v WHERE {{ {{ SELECT DISTINCT ?v WHERE {{ ?_s {path} ?v }} }} {condition} }}"

    def _message(self, shape: Node, *fallback: Node) -> str:
        for s in (shape, *fallback):
            m = self.g.value(s, SH.message)
            if m is not None:
                return str(m)
        return ""

    def _node_checks(self, shape: Node, target: str) -> Iterator[Check]:
        """Constraints on the focus node itself (its only value node); the tests on the node
        alone (nodeKind, pattern, datatype, in, ranges, or) are batched into one query, so a
        large target's selection is evaluated once for all of them."""
        tests: list[ValueTest] = []
        for item in self._node_constraints(shape, target):
            if isinstance(item, ValueTest):
                tests.append(item)
            else:
                yield item
        if tests:
            yield self._node_batch(tests, target)

    def _node_batch(self, tests: list[ValueTest], target: str) -> Check:
        """One query for all value tests on the focus nodes: a row per node failing any of them."""
        binds, failing, flags = _verdicts(tests)
        query = (f"{self.prefixes}SELECT DISTINCT ?this ?v {flags} WHERE {{ {FOCUS_SLOT}BIND(?this AS ?v) "
                 f"{binds} FILTER({failing}) }}")
        first = tests[0]
        return Check(query, first.component, first.severity, first.message, first.shape, None,
                     tests=tuple(tests), focus=target, mode=ITSELF)

    def _node_constraints(self, shape: Node, target: str) -> Iterator[Check | ValueTest]:
        """The node-level constraints of ``shape``: value tests, and checks of their own."""
        sev, msg, label = _severity(self.g, shape), self._message(shape), self._label(shape)

        def test(component: str, expr: str) -> ValueTest:
            return ValueTest(component, expr, sev, msg, label)

        def check(component: str, expr: str | None = None, **kw: object) -> Check:
            where = f"FILTER(!COALESCE({expr}, false))" if expr else ""
            query = f"{self.prefixes}SELECT DISTINCT ?this ?v WHERE {{ {FOCUS_SLOT}BIND(?this AS ?v) {where} }}"
            return Check(query, component, sev, msg, label, None, focus=target, mode=ITSELF,
                         **kw)  # type: ignore[arg-type]

        for o in self.g.objects(shape, SH.nodeKind):
            yield test("NodeKindConstraintComponent", _node_kind(o, "?v"))
        for o in self.g.objects(shape, SH.pattern):
            flags = str(self.g.value(shape, SH.flags) or "")
            if _LOOKAROUND.search(str(o)):  # matched in Python on the focus nodes themselves: no query
                yield Check(None, "PatternConstraintComponent", sev, msg, label, None, pattern=(str(o), flags),
                            focus=target, mode=ITSELF)
            else:  # as for property shapes: the focus nodes need not be read into Python
                yield test("PatternConstraintComponent",
                           f"(!isBlank(?v) && REGEX(STR(?v), {_sparql_string(str(o))}, {_sparql_string(flags)}))")
        for o in self.g.objects(shape, SH.datatype):
            yield test("DatatypeConstraintComponent", _datatype(o, "?v"))
        for o in self.g.objects(shape, SH["class"]):
            query = (f"{self.prefixes}SELECT DISTINCT ?this ?v WHERE {{ {FOCUS_SLOT}BIND(?this AS ?v) "
                     f"MINUS {{ ?v rdf:type/rdfs:subClassOf* {_n3(o, SH['class'])} }} }}")
            yield Check(query, "ClassConstraintComponent", sev, msg, label, None, focus=target, mode=ITSELF)
        for o in self.g.objects(shape, SH["in"]):
            yield test("InConstraintComponent", _any_of(f"sameTerm(?v, {_n3(x, SH['in'])})"
                                                         for x in Collection(self.g, o)))
        for o in self.g.objects(shape, SH.hasValue):
            # no sh:value for hasValue (W3C data-shapes issue 111), as pySHACL does
            yield check("HasValueConstraintComponent", f"sameTerm(?v, {_n3(o, SH.hasValue)})", value_var=None)
        for name, op in _RANGES:
            for o in self.g.objects(shape, SH[name]):
                yield test(name[0].upper() + name[1:] + "ConstraintComponent", f"(?v {op} {_n3(o, SH[name])})")
        for o in self.g.objects(shape, SH["or"]):
            yield test("OrConstraintComponent", _any_of(self.value_expr(alt, "?v") for alt in Collection(self.g, o)))
        for o in self.g.objects(shape, SH.sparql):
            if not _is_true(self.g, o):
                yield self._sparql_check(o, shape, target)

    def _sparql_check(self, constraint: Node, shape: Node, target: str) -> Check:
        text = self._select(constraint, "SPARQL constraint")
        message = self._message(constraint, shape)
        severity = _severity(self.g, shape)
        return Check(self.prefixes + text, "SPARQLConstraintComponent", severity, message, self._label(shape), None,
                     value_var="value", template=True, focus=target, mode=SELECT)

    def _property_checks(self, prop: Node) -> Iterator[Check | ValueTest]:
        """The checks of one property shape; their queries hold :data:`FOCUS_SLOT`."""
        path = self.g.value(prop, SH.path)  # one predicate IRI: checked by classify()
        p = _n3(path)
        sev, msg, label = _severity(self.g, prop), self._message(prop), self._label(prop)
        values = f"{FOCUS_SLOT}?this {p} ?v ."

        def check(component: str, body: str, value_var: str | None = "v", **kw: object) -> Check:
            head = "?this ?v" if value_var else "?this"
            query = f"{self.prefixes}SELECT DISTINCT {head} WHERE {{ {body} }}"
            return Check(query, component, sev, msg, label, str(path), value_var, **kw)  # type: ignore[arg-type]

        def satisfied(component: str, query: str) -> Check:
            """The focus nodes missing from ``query``'s rows violate the constraint."""
            return Check(self.prefixes + query, component, sev, msg, label, str(path), None, mode=MISSING)

        for o in self.g.objects(prop, SH.minCount):
            count = _count(o, SH.minCount)
            if count == 1:  # the common case: no grouping
                check_ = satisfied("MinCountConstraintComponent",
                                   f"SELECT DISTINCT ?this WHERE {{ {FOCUS_SLOT}?this {p} ?_any }}")
                check_.required = True
                yield check_
            elif count > 1:  # (sh:minCount 0 holds for every node)
                yield satisfied("MinCountConstraintComponent",
                                f"SELECT ?this WHERE {{ {values} }} GROUP BY ?this "
                                f"HAVING (COUNT(DISTINCT ?v) >= {count})")
        for o in self.g.objects(prop, SH.maxCount):
            query = (f"{self.prefixes}SELECT ?this WHERE {{ {values} }} "
                     f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {_count(o, SH.maxCount)})")
            yield Check(query, "MaxCountConstraintComponent", sev, msg, label, str(path), None,
                        most=_count(o, SH.maxCount))

        def test(component: str, expr: str) -> ValueTest:
            return ValueTest(component, expr, sev, msg, label)

        for o in self.g.objects(prop, SH.datatype):
            yield test("DatatypeConstraintComponent", _datatype(o, "?v"))
        for o in self.g.objects(prop, SH.nodeKind):
            yield test("NodeKindConstraintComponent", _node_kind(o, "?v"))
        for o in self.g.objects(prop, SH.pattern):
            flags = str(self.g.value(prop, SH.flags) or "")
            if _LOOKAROUND.search(str(o)):  # the SPARQL engine's regex lacks look-around: match in Python
                yield check("PatternConstraintComponent", values, pattern=(str(o), flags))
            else:
                yield test("PatternConstraintComponent",
                           f"(!isBlank(?v) && REGEX(STR(?v), {_sparql_string(str(o))}, {_sparql_string(flags)}))")
        for o in self.g.objects(prop, SH["class"]):
            # MINUS computes the instances of the class once, instead of a path walk per value
            instances = f"MINUS {{ ?v rdf:type/rdfs:subClassOf* {_n3(o, SH['class'])} }}"
            yield check("ClassConstraintComponent", f"{values} {instances}", failing=self._failing_values(p, instances))
        for o in self.g.objects(prop, SH["in"]):
            yield test("InConstraintComponent", _any_of(f"sameTerm(?v, {_n3(x, SH['in'])})"
                                                        for x in Collection(self.g, o)))
        for o in self.g.objects(prop, SH.hasValue):
            yield satisfied("HasValueConstraintComponent",
                            f"SELECT DISTINCT ?this WHERE {{ {FOCUS_SLOT}?this {p} {_n3(o, SH.hasValue)} }}")
        for name, op in _RANGES:
            for o in self.g.objects(prop, SH[name]):
                yield test(name[0].upper() + name[1:] + "ConstraintComponent", f"(?v {op} {_n3(o, SH[name])})")
        for o in self.g.objects(prop, SH.equals):
            q = _n3(o, SH.equals)
            yield check("EqualsConstraintComponent",
                        f"{{ {values} FILTER NOT EXISTS {{ ?this {q} ?v }} }} UNION "
                        f"{{ {FOCUS_SLOT}?this {q} ?v . FILTER NOT EXISTS {{ ?this {p} ?v }} }}")
        for name, op in (("lessThan", "<"), ("lessThanOrEquals", "<=")):
            for o in self.g.objects(prop, SH[name]):
                component = name[0].upper() + name[1:] + "ConstraintComponent"
                yield check(component, f"{values} ?this {_n3(o, SH[name])} ?_w . FILTER(!COALESCE(?v {op} ?_w, false))")
        for o in self.g.objects(prop, SH["or"]):
            yield test("OrConstraintComponent", _any_of(self.value_expr(alt, "?v") for alt in Collection(self.g, o)))


def compile_shapes(shapes: rdflib.Graph) -> Compiled:
    """Compile a shapes graph; raises :class:`Unsupported` for features it cannot run."""
    return Compiler(shapes).compile()


def _fill(template: str, row: QuerySolution, variables: list[str]) -> str:
    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        term = row[name] if name in variables else None
        if term is None:
            return match.group(0)
        return term.value if not isinstance(term, BlankNode) else f"_:{term.value}"

    return re.sub(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}", sub, template)


def _python_flags(flags: str) -> int:
    out = 0
    for flag, value in (("i", re.IGNORECASE), ("m", re.MULTILINE), ("s", re.DOTALL), ("x", re.VERBOSE)):
        if flag in flags:
            out |= value
    return out


class _Answer:
    """One shared answer, computed by the first thread that asks for it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.rows: tuple[list[str], list[QuerySolution]] | None = None


class _Cache:
    """Answers shared between checks: a query used by several shapes runs once (a SPARQL
    constraint, or an unrestricted check on a path several shapes test the same way).
    Different queries still run at the same time."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.answers: dict[str, _Answer] = {}
        self.lock = threading.Lock()

    def select(self, query: str) -> tuple[list[str], list[QuerySolution]]:
        with self.lock:
            answer = self.answers.setdefault(query, _Answer())
        with answer.lock:
            if answer.rows is None:
                result = self.store.query(query)
                answer.rows = ([v.value for v in result.variables], list(result))
            return answer.rows

    def failing(self, check: Check) -> list[Term]:
        """The values of a check's path that fail any of its value tests, each once.

        A value test's verdict depends on the value alone, so the tests are evaluated once per
        distinct value of the path rather than once per (subject, value) row: at full scope the
        paths of the large targets hold 100k-330k values but a few to a few thousand distinct
        ones, and the answer is usually empty (then the check has no rows at all)."""
        _, rows = self.select(check.failing)  # type: ignore[arg-type]
        return [v for row in rows if (v := row["v"]) is not None]

    def single_valued(self, path: str) -> bool:
        """No subject has two values for ``path`` (then no sh:maxCount >= 1 on it can fail):
        two counts over the path, several times cheaper than grouping by subject."""
        _, rows = self.select(f"SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?s) AS ?d) WHERE {{ ?s <{path}> ?o }}")
        return rows[0]["n"] == rows[0]["d"]


class Focus:
    """The focus nodes of one target selection, and how a query is restricted to them.

    Only a target of at most :data:`EAGER_LIMIT` nodes is read into Python when the run
    starts (reading stops one row past the limit); a larger target's :attr:`nodes` are read
    the first time a check needs them, once, whichever thread asks first.
    """

    def __init__(self, store: Store, prefixes: str, selection: str, required: tuple[str, ...] = ()) -> None:
        self.store, self.prefixes = store, prefixes
        self.selection = selection  # the selection itself, a SPARQL group binding ?this
        self.required = required  # paths with sh:minCount 1 on these nodes, checked in one query
        self._lock = threading.Lock()
        self._nodes: frozenset[Term] | None = None
        first: set[Term] = set()
        for row in store.query(self._query()):
            if row["this"] is not None:
                first.add(row["this"])
                if len(first) > EAGER_LIMIT:
                    break
        if len(first) <= EAGER_LIMIT:
            self._nodes = frozenset(first)
        #: at least as many nodes as the target has, up to EAGER_LIMIT + 1 (for ordering checks)
        self.size = len(first)
        #: a VALUES block binding ?this to the nodes (None: too many, or a blank node)
        self.values: str | None = None
        if self._nodes is not None and self.size <= VALUES_LIMIT and not any(
                isinstance(n, BlankNode) for n in self._nodes):
            self.values = "VALUES ?this { " + " ".join(sorted(str(n) for n in self._nodes)) + " }"

    def _query(self) -> str:
        return f"{self.prefixes}SELECT ?this WHERE {self.selection}"

    @property
    def nodes(self) -> frozenset[Term]:
        """Every focus node (read now if the target is large and no check needed them yet)."""
        with self._lock:
            if self._nodes is None:
                self._nodes = frozenset(n for row in self.store.query(self._query())
                                        if (n := row["this"]) is not None)
            return self._nodes

    def members(self, candidates: set[Term]) -> frozenset[Term] | set[Term]:
        """Those of ``candidates`` that are focus nodes. For a large target not read yet, a
        few candidates are looked up in the selection instead of reading the whole target."""
        if self._nodes is not None or len(candidates) > VALUES_LIMIT or any(
                isinstance(n, BlankNode) for n in candidates):
            return candidates & self.nodes
        if not candidates:
            return set()
        values = "VALUES ?this { " + " ".join(sorted(str(n) for n in candidates)) + " }"
        return {n for row in self.store.query(f"{self.prefixes}SELECT ?this WHERE {{ {values} {self.selection} }}")
                if (n := row["this"]) is not None}

    def lacking(self, prefixes: str) -> str:
        """One query for all sh:minCount 1 paths of a large target: the (focus node, path)
        pairs without a value, instead of one query per path listing every subject."""
        paths = " ".join(f"<{p}>" for p in self.required)
        return (f"{prefixes}SELECT ?this ?path WHERE {{ {self.selection} VALUES ?path {{ {paths} }} "
                f"FILTER NOT EXISTS {{ ?this ?path ?_any }} }}")

    def restrict(self, query: str, required: bool) -> str:
        """``query`` with its :data:`FOCUS_SLOT` filled: the VALUES block if there is one, else
        the selection when the query needs ?this bound (``required``), else nothing (the rows
        are then kept for focus nodes in Python)."""
        fill = self.values if self.values is not None else self.selection if required else ""
        return query.replace(FOCUS_SLOT, fill + " ")


def run(compiled: Compiled, store: Store, workers: int | None = None) -> list[Violation]:
    """Run every check on the default graph of ``store`` (read only: nothing is written).

    Each target selection is evaluated once; checks then run on ``workers`` threads (default:
    the number of cores, at most 4), since Oxigraph evaluates queries without the GIL. The
    violations come in the order of ``compiled.checks``, whatever the threads' timing.
    """
    threads = workers or max(1, min(4, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=threads) as pool:
        markers = list(compiled.targets)

        def focus_of(marker: str) -> Focus:
            required = sorted({c.path for c in compiled.checks if c.focus == marker and c.required and c.path})
            return Focus(store, compiled.prefixes, compiled.targets[marker], tuple(required))

        focus = dict(zip(markers, pool.map(focus_of, markers), strict=True))
        cache = _Cache(store)
        # the costliest checks first, so that the threads finish together
        order = sorted(range(len(compiled.checks)), key=lambda i: -_size(focus.get(compiled.checks[i].focus)))
        found = pool.map(lambda i: list(_run_check(compiled.checks[i], store, cache, focus.get(compiled.checks[i].focus))),
                         order)
        by_check = dict(zip(order, found, strict=True))
    return [v for i in range(len(compiled.checks)) for v in by_check[i]]


def _size(focus: Focus | None) -> int:
    return focus.size if focus is not None else 0


def _rows(check: Check, store: Store, cache: _Cache,
          focus: Focus) -> tuple[list[str], Iterable[QuerySolution] | None]:
    """The rows of a check's query, restricted to its focus nodes where the query allows it."""
    if check.query is None:
        return [], None
    if check.mode == SELECT:
        return cache.select(check.query)
    query = focus.restrict(check.query, required=check.mode in (ITSELF, BOUND))
    if focus.values is None and check.mode not in (ITSELF, BOUND):  # unrestricted: shared with other shapes
        return cache.select(query)
    answer = store.query(query)
    return [v.value for v in answer.variables], answer


#: At most this many failing values (IRIs only) are written into a check's query as VALUES
#: (at full scope sh:class on biolink:object fails 7k-19k values, the objects of other
#: association types: restricted to them, the check costs half as much).
FAILING_LIMIT = 20000


def _only_values(check: Check, failing: list[Term]) -> Check:
    """``check`` with its path's value restricted to the failing ones, when they are few IRIs
    (written as a VALUES block, read back as the same terms); else ``check`` unchanged. The
    rows are the same: a row is kept only for a value failing a test.

    Restricted so, a large target's selection goes into the query too (:data:`BOUND`): the
    failing values may be common outside the target (an association type's predicates,
    tested by another type's sh:in), and joining the selection with their rows costs less
    than reading every focus node into Python to keep them (0.7 s against 1.8 s at full scope)."""
    if len(failing) > FAILING_LIMIT or not all(isinstance(v, NamedNode) for v in failing):
        return check
    values = "VALUES ?v { " + " ".join(sorted(str(v) for v in failing)) + " } "
    return replace(check, query=check.query.replace(FOCUS_SLOT, FOCUS_SLOT + values, 1),  # type: ignore[union-attr]
                   mode=BOUND)


def _restricted(check: Check, focus: Focus) -> bool:
    """The check's rows are all focus nodes already (VALUES or the selection in the query)."""
    return check.mode in (ITSELF, BOUND) or (check.mode != SELECT and focus.values is not None)


def _run_check(check: Check, store: Store, cache: _Cache | None = None,
               focus: Focus | None = None) -> Iterator[Violation]:
    if focus is None or focus.size == 0:
        return  # no focus node: nothing to check
    cache = cache or _Cache(store)
    if check.most is not None and check.most >= 1 and check.path and cache.single_valued(check.path):
        return  # no subject at all has two values for the path
    if check.failing is not None and focus.values is None:
        failing = cache.failing(check)
        if not failing:
            return  # no value of the path fails any test: no focus node can have one
        check = _only_values(check, failing)
    variables, rows = _rows(check, store, cache, focus) if not (check.required and focus.values is None) else ([], None)
    if check.mode == MISSING and check.required and focus.values is None:
        _, lacking = cache.select(focus.lacking(check.query[:check.query.index("SELECT")]))  # type: ignore[union-attr]
        for row in lacking:  # restricted to the selection by the query itself
            if row["path"].value == check.path:
                yield Violation(check.severity, row["this"], check.path, None, check.message, check.shape,
                                check.component)
        return
    if check.mode == MISSING:
        present = {row["this"] for row in rows or ()}
        for this in focus.nodes - present:
            yield Violation(check.severity, this, check.path, None, check.message, check.shape, check.component)
        return
    regex = re.compile(check.pattern[0], _python_flags(check.pattern[1])) if check.pattern else None
    if rows is None:  # a node pattern: the value is the focus node itself
        for this in focus.nodes:
            if isinstance(this, BlankNode) or not regex.search(this.value):  # type: ignore[union-attr]
                yield Violation(check.severity, this, None, this, check.message, check.shape, check.component)
        return
    if not _restricted(check, focus):  # rows of any subject: keep those of focus nodes
        rows = list(rows)
        kept = focus.members({this for row in rows if (this := row["this"]) is not None})
        rows = [row for row in rows if row["this"] in kept]
    for row in rows:
        this = row["this"]
        if this is None:
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
            if value is not None and not isinstance(value, BlankNode) and regex.search(value.value):
                continue
        message = _fill(check.message, row, variables) if check.template else check.message
        yield Violation(check.severity, this, check.path, value, message, check.shape, check.component)
