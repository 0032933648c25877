"""The read-only guard: what a SPARQL text is, decided by a SPARQL parser before anything runs it.

alskg's query commands never change a store and never reach out on their own. Both promises
are decided here, from the parse tree of rdflib's SPARQL 1.1 grammar (the same grammar the
engines implement, ``\\u`` escapes expanded first as the standard requires), never by looking
at the text: comments, prefixes and escapes cannot hide an update or a ``SERVICE`` call.

- A text that parses as a query is one of SELECT, ASK, CONSTRUCT, DESCRIBE; one that parses
  as an update (INSERT, DELETE, LOAD, CLEAR, …) is refused, whatever endpoint it was meant for;
  one that parses as neither is a syntax error.
- Every ``SERVICE`` in the query is listed with its IRI resolved against the prologue, so a
  local run can refuse those whose host is not explicitly allowed (``--allow-service``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from alskg.errors import InputError, UsageError

FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}
VARIABLE_SERVICE = "?"  # what `services` holds for `SERVICE ?var`: a host no one can allow
PARSER_RECURSION_LIMIT = 5000  # rdflib's parser recurses ~25 frames per nested group: about 200 levels


@dataclass(frozen=True)
class CheckedQuery:
    """A query text with its form and the IRIs of the services it calls."""

    text: str
    form: str
    services: tuple[str, ...] = ()


def check_query(text: str) -> CheckedQuery:
    """Parse ``text``; refuse an update, report a syntax error with its line and column."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        with _deeper_recursion():
            parsed = parseQuery(text)
    except ParseBaseException as exc:
        try:
            with _deeper_recursion():
                parseUpdate(text)
        except (ParseBaseException, ValueError, RecursionError):
            where = f"line {exc.lineno}, column {exc.col}"
            raise InputError(f"SPARQL syntax error at {where}: {exc.msg}") from None
        raise UsageError("update operations are refused: only SELECT, ASK, CONSTRUCT and DESCRIBE run") from None
    except ValueError as exc:  # a \u escape that is no code point
        raise InputError(f"SPARQL syntax error: {exc}") from None
    except RecursionError:
        raise InputError("SPARQL query nested too deeply to check (about 200 levels at most)") from None
    prologue, body = parsed[0], parsed[1]
    return CheckedQuery(text, FORMS[body.name], tuple(_services(body, prologue)))


@contextmanager
def _deeper_recursion() -> Iterator[None]:
    """Let the recursive-descent parser take realistic nesting; RecursionError still ends the hostile."""
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(max(before, PARSER_RECURSION_LIMIT))
    try:
        yield
    finally:
        sys.setrecursionlimit(before)


def _services(body: object, prologue: Iterable[object]) -> list[str]:
    """The resolved IRI of every SERVICE in the parse tree (walked without recursion)."""
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    base, prefixes = _prologue(prologue)
    found: list[str] = []
    stack: list[object] = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            continue
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                term = node.get("term")
                found.append(VARIABLE_SERVICE if isinstance(term, Variable) else _resolve(term, base, prefixes))
            stack.extend(node.values())
        elif isinstance(node, Iterable):
            stack.extend(node)
    return found


def _prologue(prologue: Iterable[object]) -> tuple[str, dict[str, str]]:
    base, prefixes = "", {}
    for decl in prologue:
        for item in decl if not hasattr(decl, "name") else [decl]:
            if item.name == "Base":
                base = urljoin(base, str(item.iri))
            elif item.name == "PrefixDecl":
                prefixes[item.prefix or ""] = urljoin(base, str(item.iri))
    return base, prefixes


def _resolve(term: object, base: str, prefixes: dict[str, str]) -> str:
    name = getattr(term, "name", None)
    if name == "pname":
        prefix = term.prefix or ""  # type: ignore[attr-defined]
        if prefix not in prefixes:
            raise UsageError("SERVICE uses an undeclared prefix", value=f"{prefix}:")
        return prefixes[prefix] + (term.localname or "")  # type: ignore[attr-defined]
    return urljoin(base, str(term))


def parse_host(spec: str) -> tuple[str, int | None]:
    """``host`` or ``host:port`` (``[v6]:port``) as given to ``--allow-service``."""
    try:
        parts = urlsplit("//" + spec)
        host, port = parts.hostname, parts.port
    except ValueError:
        host, port = None, None
    if not host or parts.username is not None or parts.path or parts.query or parts.fragment:
        raise UsageError("--allow-service takes a host or host:port", value=spec)
    return host.lower(), port


def service_allowed(iri: str, allowed: Sequence[str]) -> bool:
    """Whether a SERVICE IRI is http(s) on an allowed host (and port, when one is given)."""
    if iri == VARIABLE_SERVICE:
        return False
    try:
        parts = urlsplit(iri)
        host, port = parts.hostname, parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
    except ValueError:
        return False
    if parts.scheme.lower() not in ("http", "https") or not host or parts.username is not None:
        return False
    for spec in allowed:
        want_host, want_port = parse_host(spec)
        if host.lower() == want_host and want_port in (None, port):
            return True
    return False


def refuse_services(query: CheckedQuery, allowed: Sequence[str] = ()) -> None:
    """Refuse any SERVICE whose host is not in ``allowed``: the embedded engine would call it."""
    for iri in query.services:
        if not service_allowed(iri, allowed):
            shown = "SERVICE ?variable" if iri == VARIABLE_SERVICE else iri
            raise UsageError("SERVICE is refused in local queries unless --allow-service names its host",
                             value=shown)
