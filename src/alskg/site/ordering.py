"""A packaged query's ORDER BY done in Python: the site's whole-graph tables, sorted as the CLI prints them.

Oxigraph sorts a SELECT answer by comparing terms it reads back from the store at every
comparison: on a whole release that is most of the site's time (``disease-page-publications``,
116k rows: 57 s of sorting for 3 s of matching; ``disease-page-phenotype-values``, 2.6M rows:
more than 7 minutes). The site therefore runs each whole-graph query without its ORDER BY and
sorts the rows here with SPARQL's term order. The ORDER BY is read with a SPARQL parser (rdflib's
grammar, as :mod:`alskg.readonly`), and the text without it is checked by the same parser to
be the same query minus its order, so the rows are exactly the packaged query's rows in its
order (``tests/site/test_ordering.py`` compares them with ``alskg query run`` on a build).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from alskg.errors import InputError
from alskg.queries import Query
from alskg.rdfmodel import BlankNode, Literal, NamedNode

Term = NamedNode | Literal | BlankNode
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "decimal", "float", "double", "int", "long", "short", "byte",
                             "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
                             "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
#: The clause the text is cut at: the packaged queries write it at the start of a line.
ORDER_CLAUSE = "\nORDER BY"


@dataclass(frozen=True)
class SortKey:
    """One ORDER BY condition: a variable, ascending, compared as itself or as ``STR()`` of it."""

    variable: str
    as_string: bool = False


@dataclass(frozen=True)
class Unordered:
    """A packaged query's text without its ORDER BY, and the conditions to sort its rows by."""

    name: str
    text: str
    keys: tuple[SortKey, ...]


def order_key(term: Term | None) -> tuple[object, ...]:
    """SPARQL's ORDER BY order of one term: unbound, blank nodes, IRIs, then literals by value."""
    if term is None:
        return (0,)
    if isinstance(term, BlankNode):
        return (1, term.value)
    if isinstance(term, NamedNode):
        return (2, term.value)
    datatype = term.datatype.value if term.datatype is not None else ""
    if datatype in NUMERIC:
        try:
            return (3, 0, Decimal(term.value), "")
        except InvalidOperation:
            pass
    if datatype == XSD + "boolean":
        return (3, 1, Decimal(1 if term.value in ("true", "1") else 0), "")
    return (3, 2, Decimal(0), term.value)


def string_key(term: Term | None) -> tuple[object, ...]:
    """The order of ``STR(term)``: a simple literal of the IRI or lexical form (unbound first)."""
    if term is None or isinstance(term, BlankNode):
        return (0,)
    return (3, 2, Decimal(0), term.value)


def unordered(query: Query) -> Unordered:
    """The query without its final ORDER BY clause, and that clause's conditions.

    Decided by the parser: the conditions must be plain ascending variables or ``STR(?var)``,
    and the text before the clause must parse as the same query without an order (no other
    clause cut off). Anything else is an InputError naming the query file."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.term import Variable

    def refuse(why: str) -> InputError:
        return InputError(f"cannot sort this query's rows in Python: {why}", query.path, value=query.name)

    cut = query.text.rfind(ORDER_CLAUSE)
    if cut < 0:
        raise refuse("it has no ORDER BY line")
    try:
        whole, head = parseQuery(query.text)[1], parseQuery(query.text[:cut] + "\n")[1]
    except ParseBaseException as exc:
        raise refuse(f"the text before ORDER BY does not parse ({exc.msg})") from None
    if "orderby" not in whole.keys() or set(whole.keys()) - {"orderby"} != set(head.keys()):
        raise refuse("ORDER BY is not its last clause")
    keys = []
    for condition in whole["orderby"]["condition"]:
        if "order" in condition.keys() and condition["order"] != "ASC":
            raise refuse("only ascending conditions are supported")
        expr, as_string = condition["expr"], False
        if getattr(expr, "name", "") == "Builtin_STR":
            expr, as_string = expr["arg"], True
        while not isinstance(expr, Variable) and getattr(expr, "name", "").endswith("Expression") \
                and list(expr.keys()) == ["expr"]:
            expr = expr["expr"]
        if not isinstance(expr, Variable):
            raise refuse("a condition is neither ?var nor STR(?var)")
        keys.append(SortKey(str(expr), as_string))
    return Unordered(query.name, query.text[:cut] + "\n", tuple(keys))


def row_key(keys: Iterable[SortKey]) -> Callable[[object], tuple[tuple[object, ...], ...]]:
    """A sort key for solutions (anything with ``solution[variable]``) by the given conditions."""
    pairs = [(k.variable, string_key if k.as_string else order_key) for k in keys]

    def key(solution: object) -> tuple[tuple[object, ...], ...]:
        return tuple(fn(solution[variable]) for variable, fn in pairs)  # type: ignore[index]

    return key
