"""Upload a build (or a release) to a SPARQL 1.1 store through the Graph Store HTTP Protocol, then check it.

``alskg load`` sends the build's N-Quads (``--named-graphs``: every layer to its own graph) or its
merged N-Triples (to ``--graph IRI``, else the store's default graph) in chunks of whole
statements: ``POST graph-store?graph=IRI`` (or ``?default``) with ``application/n-triples``.
With ``replace`` the first chunk of each graph is a ``PUT``, which replaces the graph on Oxigraph
and Virtuoso alike (both also accept a PUT of an empty body, but that costs a request and leaves
the graph empty for longer).

- The input is read twice, with Oxigraph's strict parsers: once to check all of it and count the
  distinct triples of each graph before anything is sent (a malformed file sends nothing), once
  to send it. Statements are re-serialised from the parsed terms, so what is sent is canonical.
- A store gives the blank nodes of each request fresh identities, so a blank node split across
  two requests would become two nodes: every statement with a blank node is held back and sent
  with the others of its graph in one last request. (alskg's builds have none: ids are minted.)
- Every request goes through :mod:`alskg.remote`'s client: credentials from the environment to
  the named origin only, no redirect to another origin or one that changes the method, a
  deadline per request, Digest answered for Virtuoso.
- Afterwards the store counts each graph (``COUNT(*)``, a store holds sets) through the SPARQL
  endpoint, and :class:`LoadReport` compares them with the file's distinct counts.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import quote, urlsplit, urlunsplit

from alskg.errors import EndpointError, InputError, UsageError
from alskg.remote import DEFAULT_MAX_BYTES, Target, has_credentials, parse_endpoint, run_remote, send

#: statements per request: about 5 MB of N-Triples for alskg's graphs
DEFAULT_CHUNK_TRIPLES = 50_000
#: seconds each request (a chunk, or the count query) may take
DEFAULT_TIMEOUT = 300.0
#: what a Graph Store answer may be; it is read only in part anyway
ANSWER_BYTES = 1 << 20
NTRIPLES = "application/n-triples"
SENT = (200, 201, 204)
BUILD_FILES = {True: "alskg.nq", False: "alskg.nt"}
#: the conventional Graph Store beside a SPARQL endpoint: Oxigraph, Virtuoso (writes need its -auth one)
SIBLINGS = {"query": "store", "sparql": "sparql-graph-crud"}

#: a graph of the store: an IRI, or None for the default graph
GraphName = str | None
Progress = Callable[[str], None]


@dataclass(frozen=True)
class GraphCount:
    """One graph: the distinct triples the file holds for it, and those the store holds after the load."""

    graph: GraphName
    expected: int
    found: int

    @property
    def ok(self) -> bool:
        return self.expected == self.found

    @property
    def name(self) -> str:
        return self.graph or "(default graph)"


@dataclass
class LoadReport:
    """What was sent where, and the check that followed."""

    source: Path
    graph_store: str
    requests: int = 0
    statements: int = 0
    graphs: list[GraphCount] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(g.ok for g in self.graphs)

    def lines(self) -> list[str]:
        """The report, one line per graph, then a summary."""
        out = [f"{'ok' if g.ok else 'MISMATCH':8} {g.name}: expected {g.expected}, found {g.found}"
               for g in self.graphs]
        bad = [g.name for g in self.graphs if not g.ok]
        summary = (f"loaded {self.statements} statements from {self.source} in {self.requests} request(s) to "
                   f"{self.graph_store}; ")
        out.append(summary + (f"the store differs from the file in {len(bad)} graph(s): {', '.join(bad)}" if bad
                              else f"every graph holds what the file holds ({len(self.graphs)} graph(s))"))
        return out


def source_file(build_dir: Path, release_dir: Path | None, named_graphs: bool) -> Path:
    """The file to load: the build's ``alskg.nq``/``alskg.nt``, or the one ``.nq[.gz]``/``.nt[.gz]`` of a release."""
    if release_dir is None:
        path = build_dir / BUILD_FILES[named_graphs]
        if not named_graphs and not path.is_file():  # a default build writes alskg.nq alone (ADR 1)
            path = build_dir / BUILD_FILES[True]
        if not path.is_file():
            raise InputError(f"no build here ({path.name} missing): run `alskg build` or give --build-dir",
                             file=build_dir)
        return path
    if not release_dir.is_dir():
        raise UsageError("--release-dir is not a folder", value=str(release_dir))
    ext = ".nq" if named_graphs else ".nt"
    found = sorted(p for p in release_dir.iterdir() if p.is_file() and p.name.endswith((ext, ext + ".gz")))
    if len(found) != 1:
        what = "no" if not found else f"{len(found)}"
        raise InputError(f"{what} {ext} or {ext}.gz files in the release folder; alskg load needs exactly one",
                         file=release_dir, value=", ".join(p.name for p in found) or None)
    return found[0]


def graph_store_url(endpoint: str, graph_store: str | None, authenticated: bool) -> str:
    """``--graph-store``, else the conventional sibling of the endpoint's path.

    ``…/query`` → ``…/store`` (Oxigraph); ``…/sparql`` → ``…/sparql-graph-crud-auth`` when credentials are
    set, else ``…/sparql-graph-crud`` (Virtuoso). Any other path needs ``--graph-store``.
    """
    if graph_store:
        parse_endpoint(graph_store)
        return graph_store
    parse_endpoint(endpoint)
    parts = urlsplit(endpoint)
    head, _, last = parts.path.rstrip("/").rpartition("/")
    if last not in SIBLINGS:
        raise UsageError("cannot tell the Graph Store beside this endpoint (known: …/query for Oxigraph, …/sparql "
                         "for Virtuoso): give --graph-store URL", value=endpoint)
    sibling = SIBLINGS[last] + ("-auth" if last == "sparql" and authenticated else "")
    return urlunsplit((parts.scheme, parts.netloc, f"{head}/{sibling}", "", ""))


def check_graph(iri: str) -> str:
    """``--graph``: an absolute IRI, as Oxigraph's parser reads one."""
    from alskg.rdfmodel import NamedNode

    try:
        return NamedNode(iri).value
    except ValueError as exc:
        raise UsageError(f"--graph is not an absolute IRI: {exc}", value=iri) from None


def is_quads(path: Path) -> bool:
    """N-Quads (``.nq``, ``.nq.gz``) rather than N-Triples, by the file's name."""
    return path.name.endswith((".nq", ".nq.gz"))


@contextmanager
def _statements(path: Path, quads: bool, into: GraphName) -> Iterator[Iterator[tuple[GraphName, str, bool]]]:
    """Yield the file's statements as (graph, N-Triples line, has a blank node); a parse error names file and line.

    With ``quads`` the statements go to their own graphs; otherwise every statement of the file
    (N-Triples, or N-Quads merged into one view) goes to ``into``.
    """
    from alskg.rdfmodel import BlankNode, DefaultGraph, RdfFormat, Triple, parse_rdf

    def read(stream: IO[bytes]) -> Iterator[tuple[GraphName, str, bool]]:
        fmt = RdfFormat.N_QUADS if is_quads(path) else RdfFormat.N_TRIPLES
        try:
            for quad in parse_rdf(stream, format=fmt):
                triple = Triple(quad.subject, quad.predicate, quad.object)
                graph = into if not quads else (None if isinstance(quad.graph_name, DefaultGraph)
                                                else quad.graph_name.value)
                if isinstance(quad.graph_name, BlankNode):
                    raise InputError("a graph named by a blank node cannot be addressed in the Graph Store Protocol",
                                     file=path, value=str(quad.graph_name))
                yield graph, f"{triple} .\n", _has_blank(triple)
        except SyntaxError as exc:
            raise InputError(f"not valid {fmt.name}: {exc.msg}", file=path, line=exc.lineno) from None
        except (EOFError, gzip.BadGzipFile) as exc:
            raise InputError(f"not a readable gzip file: {exc}", file=path) from None

    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as stream:
        yield read(stream)  # type: ignore[arg-type]


def _has_blank(term: object) -> bool:
    from alskg.rdfmodel import BlankNode, Triple

    if isinstance(term, BlankNode):
        return True
    if isinstance(term, Triple):
        return any(_has_blank(t) for t in (term.subject, term.predicate, term.object))
    return False


def count_file(path: Path, quads: bool, into: GraphName = None) -> tuple[dict[GraphName, int], int]:
    """Distinct triples per graph (in the order the graphs first appear) and the number of statements.

    The whole file is parsed, so a malformed one fails here, before anything is sent. Each
    canonical statement is kept as a 96-bit hash, to bound memory on the full release.
    """
    seen: dict[GraphName, set[bytes]] = {}
    statements = 0
    with _statements(path, quads, into) as parsed:
        for graph, line, _ in parsed:
            statements += 1
            seen.setdefault(graph, set()).add(hashlib.blake2b(line.encode("utf-8"), digest_size=12).digest())
    return {graph: len(lines) for graph, lines in seen.items()}, statements


def _address(base: str, graph: GraphName) -> Target:
    """The Graph Store URL of one graph: ``?graph=IRI`` (percent-encoded) or ``?default``."""
    joiner = "&" if urlsplit(base).query else "?"
    return parse_endpoint(base + joiner + (f"graph={quote(graph, safe='')}" if graph else "default"))


@dataclass
class _Uploader:
    """Sends chunks of one file, PUT first per graph when replacing."""

    graph_store: str
    replace: bool
    timeout: float
    total: int
    step: Progress
    report: LoadReport
    started: set[GraphName] = field(default_factory=set)

    def send(self, graph: GraphName, lines: list[str]) -> None:
        if not lines:
            return
        method = "PUT" if self.replace and graph not in self.started else "POST"
        self.started.add(graph)
        target = _address(self.graph_store, graph)
        answer = send(target, method, "".join(lines).encode("utf-8"), NTRIPLES, self.timeout, ANSWER_BYTES)
        if answer.status not in SENT:
            excerpt = " ".join(answer.body.decode("utf-8", "replace").split())[:160]
            raise EndpointError(f"the Graph Store answered {method} with HTTP {answer.status} {answer.reason}"
                                + (f": {excerpt}" if excerpt else ""), value=target.shown)
        self.report.requests += 1
        self.report.statements += len(lines)
        self.step(f"{self.report.statements:,} of {self.total:,} statements sent ({self.report.requests} requests)")


def upload(path: Path, quads: bool, into: GraphName, uploader: _Uploader, chunk: int) -> None:
    """Send the file in chunks of ``chunk`` statements per graph; statements with blank nodes go last, together."""
    pending: dict[GraphName, list[str]] = {}
    blank: dict[GraphName, list[str]] = {}
    with _statements(path, quads, into) as statements:
        for graph, line, has_blank in statements:
            held = (blank if has_blank else pending).setdefault(graph, [])
            held.append(line)
            if not has_blank and len(held) >= chunk:
                uploader.send(graph, held)
                pending[graph] = []
    for graph in dict.fromkeys([*pending, *blank]):
        uploader.send(graph, pending.get(graph, []))
        uploader.send(graph, blank.get(graph, []))


def count_store(endpoint: str, graphs: list[GraphName], timeout: float) -> dict[GraphName, int]:
    """Triples per graph as the store counts them, through its SPARQL endpoint."""
    from alskg.rdfmodel import NamedNode

    found: dict[GraphName, int] = {}
    named = [g for g in graphs if g is not None]
    if named:
        values = " ".join(str(NamedNode(g)) for g in named)
        text = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
        for row in run_remote(endpoint, text, timeout, DEFAULT_MAX_BYTES).rows:
            found[row["g"].value] = _integer(row["n"], endpoint)
    if None in graphs:
        rows = run_remote(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", timeout, DEFAULT_MAX_BYTES).rows
        found[None] = _integer(rows[0]["n"], endpoint) if rows else 0
    return {g: found.get(g, 0) for g in graphs}


def _integer(term: object, endpoint: str) -> int:
    value = getattr(term, "value", "")
    if not (isinstance(value, str) and value.isascii() and value.isdigit()):
        raise EndpointError("the endpoint's count is not a number", value=endpoint)
    return int(value)


def load(endpoint: str, source: Path, *, named_graphs: bool, graph: str | None = None,
         graph_store: str | None = None, replace: bool = False, chunk: int = DEFAULT_CHUNK_TRIPLES,
         timeout: float = DEFAULT_TIMEOUT, step: Progress = lambda _: None) -> LoadReport:
    """Load ``source`` into the store behind ``endpoint`` and count it there; see the module's docstring."""
    if named_graphs and graph:
        raise UsageError("give --graph or --named-graphs, not both")
    if chunk < 1:
        raise UsageError("--chunk-triples must be at least 1", value=str(chunk))
    into = check_graph(graph) if graph else None
    parse_endpoint(endpoint)
    store = graph_store_url(endpoint, graph_store, has_credentials())
    step(f"checking {source.name}")
    expected, total = count_file(source, named_graphs, into)
    report = LoadReport(source, parse_endpoint(store).shown)
    upload(source, named_graphs, into, _Uploader(store, replace, timeout, total, step, report), chunk)
    step("counting the triples on the store")
    found = count_store(endpoint, list(expected), timeout)
    report.graphs = [GraphCount(g, n, found[g]) for g, n in expected.items()]
    return report
