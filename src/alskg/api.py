"""The Python API: one graph, opened from a build (or reached at an endpoint), asked four ways.

>>> from alskg.api import Graph
>>> g = Graph.open("build")
>>> g.resolve("ORPHA:803").node_curie          # any equivalent id → the graph's node
>>> g.query("disease-phenotypes-by-frequency", disease="GARD:0005786").rows
>>> g.sparql("SELECT ?l WHERE { MONDO:0004976 rdfs:label ?l }")   # the project's prefixes are declared
>>> g.search("lou gehrig")[0].id
>>> g.query("subtypes", disease="ALS").to_pandas()   # a DataFrame (the optional extra alskg[pandas])

The command line (``alskg query run``, ``alskg sparql``, ``alskg search``) is a thin layer over
this module; nothing here imports click.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from alskg import vocab
from alskg.adhoc import prefix_declarations
from alskg.errors import InputError, UsageError
from alskg.progress import Step
from alskg.queries import Query, Results, bind, get_query, run_local, run_remote, to_term
from alskg.rdfmodel import BlankNode, Literal, NamedNode
from alskg.remote import DEFAULT_MAX_BYTES
from alskg.resolve import Resolution, resolve
from alskg.search import Hit, SearchIndex, cached_index
from alskg.store import QueryResultsFormat, QuerySolution, QuerySolutions, Store

if TYPE_CHECKING:
    import pandas as pd

Value = str | int | float | bool | Decimal | dt.date | dt.datetime | None
_XSD = vocab.XSD


def to_python(term: NamedNode | Literal | BlankNode | None) -> Value:
    """A result term as a Python value: an IRI as its CURIE, a typed literal as int, Decimal,
    float, bool, date or datetime, any other literal as its text, unbound as None."""
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return vocab.compress(term.value)
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    datatype, text = term.datatype.value, term.value
    try:
        if datatype in (_XSD + "integer", _XSD + "int", _XSD + "long", _XSD + "nonNegativeInteger"):
            return int(text)
        if datatype == _XSD + "decimal":
            return Decimal(text)
        if datatype in (_XSD + "double", _XSD + "float"):
            return float(text)
        if datatype == _XSD + "boolean":
            return text in ("true", "1")
        if datatype == _XSD + "date":
            return dt.date.fromisoformat(text)
        if datatype == _XSD + "dateTime":
            return dt.datetime.fromisoformat(text)
    except ValueError:
        return text  # an ill-typed literal stays as written
    return text


@dataclass
class Answer:
    """A packaged query's answer: the results, and how each disease/phenotype/gene id was resolved."""

    query: Query
    results: Results
    resolutions: list[Resolution] = field(default_factory=list)

    @property
    def variables(self) -> list[str]:
        return self.results.variables

    @property
    def rows(self) -> list[dict[str, Value]]:
        """The rows with Python values (see :func:`to_python`)."""
        return typed_rows(self.results)

    def to_pandas(self) -> pd.DataFrame:
        """The rows as a pandas DataFrame, columns in the query's order (see :func:`to_pandas`)."""
        return to_pandas(self.results)


class SparqlResults(Results):
    """An ad-hoc query's answer: :class:`~alskg.queries.Results` (rows of RDF terms, as the
    command line renders them) that can also give Python values and a DataFrame."""

    @property
    def typed_rows(self) -> list[dict[str, Value]]:
        """The rows with Python values (see :func:`to_python`)."""
        return typed_rows(self)

    def to_pandas(self) -> pd.DataFrame:
        """The rows as a pandas DataFrame, columns in the query's order (see :func:`to_pandas`)."""
        return to_pandas(self)


def typed_rows(results: Results) -> list[dict[str, Value]]:
    """A SELECT answer's rows with Python values, keys in the query's column order."""
    return [{name: to_python(row.get(name)) for name in results.variables} for row in results.rows]


def to_pandas(results: Results) -> pd.DataFrame:
    """A SELECT answer as a pandas DataFrame: one column per variable, in the query's order.

    Cells hold the values of :func:`to_python` (CURIEs, int, Decimal, date, …). A column whose
    values are all integers, booleans or floats gets a numeric dtype (the nullable ``Int64`` or
    ``boolean`` when some rows leave it unbound, so integers stay integers); any other column is
    ``object`` and keeps the Python values, ``None`` for unbound. pandas is the optional extra
    ``alskg[pandas]``; without it this is a :class:`~alskg.errors.UsageError`.
    """
    try:
        import pandas as pd
    except ImportError:
        raise UsageError("to_pandas needs pandas: pip install 'alskg[pandas]'") from None
    if results.boolean is not None or results.triples is not None:
        form = "ASK" if results.boolean is not None else "CONSTRUCT or DESCRIBE"
        raise UsageError(f"to_pandas needs a SELECT answer, not an {form} answer")
    rows = typed_rows(results)
    columns = {name: pd.Series([row[name] for row in rows], dtype=_dtype([row[name] for row in rows]))
               for name in results.variables}
    return pd.DataFrame(columns, columns=list(results.variables))


def _dtype(values: list[Value]) -> str:
    """The pandas dtype of a column of Python values: numeric when every bound value allows it."""
    bound = [value for value in values if value is not None]
    missing = len(bound) < len(values)
    if not bound:
        return "object"
    if all(isinstance(value, bool) for value in bound):
        return "boolean" if missing else "bool"
    if all(isinstance(value, int) and not isinstance(value, bool) for value in bound):
        return "Int64" if missing else "int64"
    if all(isinstance(value, float) for value in bound):
        return "float64"
    return "object"


class Graph:
    """An alskg graph: a build's store, or a SPARQL endpoint holding the merged graph.

    The same rules hold as on the command line: queries are parsed and updates refused;
    ``SERVICE`` only to the hosts in ``allow_service``; ``timeout`` is a deadline for each query
    (a local one runs in a child process that is stopped at it; ``None`` runs it in this
    process, without a deadline); a remote answer is read whole within ``max_bytes``.
    """

    def __init__(self, build_dir: Path | None = None, endpoint: str | None = None, timeout: float | None = 60.0,
                 allow_service: tuple[str, ...] = (), max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        if (build_dir is None) == (endpoint is None):
            raise ValueError("give a build folder or an endpoint")
        self.build_dir, self.endpoint, self.timeout = build_dir, endpoint, timeout
        from alskg.readonly import parse_host

        for spec in allow_service:
            parse_host(spec)  # a malformed host is a usage error before anything is opened
        self.allow_service, self.max_bytes = tuple(allow_service), max_bytes
        self._store: Store | None = None
        self._index: SearchIndex | None = None

    @classmethod
    def open(cls, build_dir: str | Path = "build", timeout: float | None = 60.0,
             allow_service: tuple[str, ...] = ()) -> Graph:
        """The graph of a build folder (a missing build fails here)."""
        from alskg.store import require_store

        graph = cls(build_dir=Path(build_dir), timeout=timeout, allow_service=allow_service)
        require_store(graph.build_dir)  # type: ignore[arg-type]
        return graph

    @classmethod
    def remote(cls, endpoint: str, timeout: float = 60.0, max_bytes: int = DEFAULT_MAX_BYTES) -> Graph:
        """The graph held by a SPARQL 1.1 endpoint (merged view in its default graph)."""
        return cls(endpoint=endpoint, timeout=timeout, max_bytes=max_bytes)

    def _open_store(self) -> Store:
        if self._store is None:
            from alskg.store import open_store

            assert self.build_dir is not None
            self._store = open_store(self.build_dir)
        return self._store

    def run(self, text: str, packaged: bool = False) -> Results:
        """Run SPARQL text as it is (no prefixes added); ``packaged`` as in :func:`alskg.queries.run_local`."""
        if self.endpoint is not None:
            return run_remote(self.endpoint, text, self.timeout or 60.0, self.max_bytes)
        if self.timeout is None:
            return run_local(self._open_store(), text, self.allow_service, packaged)
        from alskg.local import run_local_with_deadline

        assert self.build_dir is not None
        return run_local_with_deadline(self.build_dir, text, self.timeout, self.allow_service, packaged)

    def stream(self, text: str) -> tuple[list[str], Iterator[QuerySolution]]:
        """A packaged query's SELECT solutions one at a time, from the build's store, in this process.

        For whole-graph answers too large to hold as a list of rows (the site's tables): the
        caller keeps what it needs of each solution (``solution[name]`` is the term, or None
        when unbound). No deadline, and the text is not parsed again for updates or SERVICE:
        give it only a packaged query's text (see :func:`alskg.queries.run_local`). A build's
        store only; an engine error, at the start or while reading, is an InputError.
        """
        answer = self._select(text)
        return [v.value for v in answer.variables], _solutions(answer)

    def _select(self, text: str) -> QuerySolutions:
        """A SELECT query's lazy answer from the build's store (for :meth:`stream` and :meth:`write_tsv`)."""
        if self.endpoint is not None:
            raise UsageError("streaming solutions needs a build's store, not an endpoint")
        try:
            answer = self._open_store().query(text, use_default_graph_as_union=False)
        except SyntaxError as exc:
            raise InputError(f"SPARQL syntax error at line {exc.lineno}, column {exc.offset}: "
                             f"{' '.join(str(exc.msg).split())}") from None
        except OSError as exc:
            raise InputError(f"the query failed: {' '.join(str(exc).split())}") from None
        if not isinstance(answer, QuerySolutions):
            raise UsageError("only a SELECT query's solutions can be streamed")
        return answer

    def write_tsv(self, text: str, path: Path) -> None:
        """A packaged query's SELECT solutions written by the engine as SPARQL TSV into ``path``.

        For the site's largest whole-graph table (2.6M solutions): the engine writes every term
        itself, without a Python object per term (about half the CPU of :meth:`stream` for the
        same answer). Same terms as :meth:`stream`: a build's store only, a packaged query's text
        only; an engine error is an InputError."""
        answer = self._select(text)
        try:
            answer.serialize(str(path), QueryResultsFormat.TSV)
        except OSError as exc:
            raise InputError(f"the query failed: {' '.join(str(exc).split())}", path) from None

    # -- the four questions ------------------------------------------------------------
    def sparql(self, text: str) -> SparqlResults:
        """Run an ad-hoc read-only query; the project's prefixes it does not declare are declared for it.

        The answer's ``rows`` hold RDF terms; ``typed_rows`` and ``to_pandas()`` give Python values.
        """
        declarations = prefix_declarations(text)
        try:
            results = self.run(declarations + text)
        except InputError as exc:
            raise dataclasses.replace(exc, message=_own_position(exc.message, declarations.count("\n"))) from None
        return SparqlResults(results.variables, results.rows, results.boolean, results.triples)

    def query(self, name: str, **params: object) -> Answer:
        """Run a packaged query; a disease, phenotype or gene parameter takes any equivalent id."""
        packaged = get_query(name)
        values = {key: str(value) for key, value in params.items()}
        return self.run_query(packaged, values)

    def run_query(self, packaged: Query, values: dict[str, str]) -> Answer:
        """Run a packaged query with parameter values as typed (after ``parse_params``)."""
        resolutions = []
        bound: dict[str, str] = {}
        for name, value in values.items():
            param = packaged.param(name)
            to_term(param, value)  # a malformed value fails here, with the parameter's type
            kind = param.kind
            if kind is not None:
                resolution = self.resolve(value, kind, name=name)
                resolutions.append(resolution)
                value = resolution.node
            bound[name] = value
        return Answer(packaged, self.run(bind(packaged, bound), packaged=True), resolutions)

    def resolve(self, id: str, kind: str = "disease", name: str | None = None) -> Resolution:  # noqa: A002
        """The graph's node of ``kind`` for any equivalent id (MONDO, OMIM, ORPHA, GARD, UMLS, MeSH, …)."""
        return resolve(id, kind, self.run, self._suggest, name)

    def search(self, text: str, kind: str | None = None, limit: int = 10, step: Step | None = None) -> list[Hit]:
        """Diseases, phenotypes and genes by label, synonym, lay name or id, best first."""
        return self.index(step).search(text, kind, limit)

    def index(self, step: Step | None = None) -> SearchIndex:
        """The search index: cached beside a build's store, read once per Graph from an endpoint."""
        if self._index is None:
            if self.build_dir is not None:
                from alskg.store import require_store

                self._index = cached_index(self.build_dir, require_store(self.build_dir), self.run, step)
            else:
                self._index = SearchIndex.from_graph(self.run)
        return self._index

    def _suggest(self, label: str, kind: str, curie: str | None) -> list[tuple[str, str]]:
        """Nodes of ``kind`` named like ``label``, else with ids spelled like ``curie``."""
        index = self.index()
        if label:
            hits = [(h.id, h.label) for h in index.search(label, kind, 3)]
            if hits:
                return hits
        return index.similar_ids(curie, kind) if curie else []


def _solutions(answer: QuerySolutions) -> Iterator[QuerySolution]:
    """The solutions of an answer; a failed read of the store is an InputError."""
    try:
        yield from answer
    except OSError as exc:
        raise InputError(f"the query failed: {' '.join(str(exc).split())}") from None


def _own_position(message: str, shift: int) -> str:
    """An engine message about the query with ``shift`` lines of declarations put first, told about
    the user's text: the line of ``error at L:C`` (Oxigraph) or ``at line L, column C`` (the SPARQL
    parser) loses them; one line, always."""
    import re

    def back(match: re.Match[str]) -> str:
        line = int(match.group(2))
        return f"{match.group(1)}{line - shift if line > shift else line}{match.group(3)}"

    message = re.sub(r"(error at |at line )([0-9]+)(:|, column )", back, message, count=1)
    return " ".join(message.split())
