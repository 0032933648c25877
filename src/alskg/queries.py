"""The packaged query catalogue: headers, typed parameters, binding and execution.

Each ``queries/<name>.rq`` starts with a ``#`` header (name, title, description, keywords,
params). A parameter is bound by replacing the term inside its single
``VALUES ?name { … }`` line with a validated RDF term serialised by pyoxigraph, so user
text is never pasted into a query. Queries run on the embedded store (over the union of the
named graphs) or, unchanged, on a remote SPARQL 1.1 endpoint; both give the same rows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from alskg import vocab
from alskg.dates import iso_date
from alskg.errors import InputError, UsageError
from alskg.packaged import packaged_dir
from alskg.rdfmodel import BlankNode, Literal, NamedNode
from alskg.readonly import check_query, refuse_services
from alskg.store import QueryBoolean, QueryTriples, Store

#: Kinds of node a parameter may name: any equivalent id is accepted and resolved to the
#: graph's node (``alskg.resolve``). The others are plain RDF term types.
NODE_KINDS = ("disease", "phenotype", "gene")
PARAM_TYPES = ("iri", "string", "integer", "decimal", "date", "boolean", *NODE_KINDS)
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
#: lexical forms of the numeric parameter types: ASCII digits, bounded length
_INTEGER = re.compile(r"[+-]?[0-9]{1,100}", re.ASCII)
_DECIMAL = re.compile(r"[+-]?(?:[0-9]{1,100}(?:\.[0-9]{0,100})?|\.[0-9]{1,100})", re.ASCII)
XSD = vocab.XSD
#: One solution of a SELECT query: variable → its term (None when unbound).
Solution = dict[str, NamedNode | Literal | BlankNode | None]


@dataclass(frozen=True)
class Param:
    """A typed query parameter with its default (as the user would type it)."""

    name: str
    type: str
    default: str
    help: str

    @property
    def kind(self) -> str | None:
        """The kind of node this parameter names (disease, phenotype, gene), or None."""
        return self.type if self.type in NODE_KINDS else None


@dataclass
class Query:
    """One packaged query: its header metadata and SPARQL text."""

    name: str
    title: str
    description: str
    keywords: list[str]
    params: list[Param]
    text: str
    path: Path | None = None

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise UsageError(f"unknown parameter for query {self.name!r} (known: {known})", value=name)


@dataclass
class Results:
    """A query's answer: variables and rows (SELECT), a boolean (ASK) or triples (CONSTRUCT)."""

    variables: list[str] = field(default_factory=list)
    rows: list[Solution] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[str] | None = None


# -- the catalogue ----------------------------------------------------------------------
def parse_header(text: str, path: Path | None = None) -> Query:
    """Parse a query file's ``#`` header; a malformed header is an InputError with its line."""
    fields: dict[str, list[str]] = {}
    params: list[Param] = []
    last = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        if line.startswith("#   ") and last:
            fields[last][-1] += " " + line[4:].strip()
            continue
        key, sep, value = line[1:].strip().partition(":")
        if not sep:
            raise InputError("header line must be '# key: value'", path, number, 1, line)
        key, value = key.strip(), value.strip()
        if key == "param":
            parts = [part.strip() for part in value.split("|")]
            if len(parts) != 4 or parts[1] not in PARAM_TYPES:
                raise InputError(f"param must be 'name | type | default | help', type in {PARAM_TYPES}",
                                 path, number, 1, value)
            params.append(Param(*parts))
            last = ""
            continue
        fields.setdefault(key, []).append(value)
        last = key
    for required in ("name", "title", "description"):
        if required not in fields:
            raise InputError(f"query header lacks '# {required}:'", path, 1, 1)
    name = fields["name"][0]
    if not _NAME.match(name) or (path is not None and path.stem != name):
        raise InputError("query name must be [a-z0-9-]+ and equal the file name", path, 1, 1, name)
    keywords = [k.strip() for k in ",".join(fields.get("keywords", [])).split(",") if k.strip()]
    query = Query(name, fields["title"][0], fields["description"][0], keywords, params, text, path)
    for param in params:
        _values_line(query, param.name)
    return query


def catalogue(directory: Path | None = None) -> dict[str, Query]:
    """All packaged queries, by name."""
    folder = directory or packaged_dir("queries")
    out: dict[str, Query] = {}
    for path in sorted(folder.glob("*.rq")):
        query = parse_header(path.read_text(encoding="utf-8"), path)
        out[query.name] = query
    return out


def get_query(name: str, directory: Path | None = None) -> Query:
    """A packaged query by name, or a UsageError listing close names."""
    queries = catalogue(directory)
    if name not in queries:
        close = [q for q in queries if name in q or q in name]
        hint = f"; did you mean {', '.join(close)}?" if close else "; see `alskg query list`"
        raise UsageError(f"unknown query{hint}", value=name)
    return queries[name]


# -- binding ------------------------------------------------------------------------------
def _values_line(query: Query, name: str) -> re.Match[str]:
    pattern = re.compile(rf"^(\s*VALUES\s+\?{re.escape(name)}\s*\{{)(.*)(\}}\s*)$", re.MULTILINE)
    matches = list(pattern.finditer(query.text))
    if len(matches) != 1:
        raise InputError(f"query must have exactly one 'VALUES ?{name} {{ … }}' line, found {len(matches)}",
                         query.path, value=name)
    return matches[0]


def to_term(param: Param, value: str) -> NamedNode | Literal:
    """Validate ``value`` against the parameter's type and return it as an RDF term."""
    def bad(why: str) -> UsageError:
        return UsageError(f"bad value for parameter {param.name!r} ({param.type}): {why}", value=value)

    try:
        if param.type == "iri" or param.kind:
            return NamedNode(vocab.expand(value))
        if param.type == "string":
            return Literal(value)
        if param.type == "integer":
            if not _INTEGER.fullmatch(value):
                raise ValueError("expected an integer: ASCII digits 0-9 (at most 100), optionally signed")
            return Literal(str(int(value, 10)), datatype=NamedNode(XSD + "integer"))
        if param.type == "decimal":
            if not _DECIMAL.fullmatch(value):  # Decimal() alone takes 1e999999999, NaN and non-ASCII digits
                raise ValueError("expected a decimal such as 12.5: ASCII digits 0-9 (at most 100 each side), no exponent")
            return Literal(format(Decimal(value), "f"), datatype=NamedNode(XSD + "decimal"))
        if param.type == "date":
            return Literal(iso_date(value).isoformat(), datatype=NamedNode(XSD + "date"))
        if value not in ("true", "false"):
            raise ValueError("expected true or false")
        return Literal(value, datatype=NamedNode(XSD + "boolean"))
    except InputError as exc:
        raise bad(exc.message) from None
    except (ValueError, InvalidOperation) as exc:
        raise bad(str(exc) or "not parseable") from None


def parse_params(query: Query, pairs: list[str]) -> dict[str, str]:
    """Turn ``k=v`` strings into a dict, checking each name against the query; a name given
    twice is an error (which value was meant is a guess alskg does not make)."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise UsageError("parameter must be given as name=value", value=pair)
        query.param(name)
        if name in out:
            raise UsageError(f"parameter {name!r} given twice ({out[name]!r} and {value!r}): give it once",
                             value=name)
        out[name] = value
    return out


def bind(query: Query, values: dict[str, str]) -> str:
    """The query text with each given parameter bound to its validated RDF term."""
    text = query.text
    for name, value in values.items():
        term = to_term(query.param(name), value)
        match = _values_line(Query(**{**query.__dict__, "text": text}), name)
        text = text[: match.start(2)] + f" {term} " + text[match.end(2):]
    return text


# -- execution ----------------------------------------------------------------------------
def run_local(store: Store, text: str, allow_service: Sequence[str] = (), packaged: bool = False) -> Results:
    """Run a read-only query on the embedded store (its default graph: the merged view).

    The text is parsed first (:mod:`alskg.readonly`): an update is refused, and so is any
    ``SERVICE`` call, which the engine would make from this machine, unless ``allow_service``
    names its host. ``packaged=True`` skips that parse (about 0.2 s of start-up) for a
    packaged query bound with :func:`bind`: the test suite parses every packaged query with
    the same guard, and binding only puts validated RDF terms into ``VALUES``, which can
    change neither the form nor the services. This runs in the caller's thread with no
    deadline; the CLI runs it in a child process under ``--timeout``
    (:func:`alskg.local.run_local_with_deadline`).
    """
    if not packaged:
        refuse_services(check_query(text), allow_service)
    outcome = _execute(store, text)
    if isinstance(outcome, str):
        raise InputError(outcome)
    return outcome


def _execute(store: Store, text: str) -> Results | str:
    """The query's Results, or what went wrong (returned, so no result iterator outlives the call)."""
    try:
        answer = store.query(text, use_default_graph_as_union=False)
        if isinstance(answer, QueryBoolean):
            return Results(boolean=bool(answer))
        if isinstance(answer, QueryTriples):
            return Results(triples=sorted(f"{t} ." for t in answer))
        variables = [v.value for v in answer.variables]
        return Results(variables, [{name: solution[name] for name in variables} for solution in answer])
    except SyntaxError as exc:
        return f"SPARQL syntax error at line {exc.lineno}, column {exc.offset}: {' '.join(str(exc.msg).split())}"
    except OSError as exc:  # a failed read of the store, or an allowed SERVICE that failed
        return f"the query failed: {' '.join(str(exc).split())}"


def run_remote(endpoint: str, text: str, timeout: float = 60.0, max_bytes: int | None = None) -> Results:
    """Run a read-only query on a SPARQL 1.1 endpoint; see :func:`alskg.remote.run_remote`."""
    from alskg import remote

    return remote.run_remote(endpoint, text, timeout, max_bytes or remote.DEFAULT_MAX_BYTES)
