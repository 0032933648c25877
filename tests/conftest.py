"""Shared fixtures: one build of the real ALS graph per test session, and the release paths."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from alskg.build import BuildResult, build
from alskg.export import DUMP_FILES
from alskg.packaged import hpo_release_dir

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
REFERENCE = REPO.parent / "shared" / "reference" / "mondo"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def hpo_dir() -> Path:
    return hpo_release_dir()


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, hpo_dir: Path) -> BuildResult:
    """The ALS graph built once from data/ and the pinned HPO release, with every dump
    (a build writes only alskg.nq unless asked; the tests check all three)."""
    return build(tmp_path_factory.mktemp("build"), DATA, hpo_dir, dumps=tuple(DUMP_FILES))


@pytest.fixture(scope="session")
def mondo_dir() -> Path:
    """MONDO's SSSOM files from ../shared/reference; tests that need them skip without them."""
    if not REFERENCE.is_dir():
        pytest.skip(f"MONDO SSSOM reference files not found at {REFERENCE}: cross-reference checks skipped")
    return REFERENCE


@pytest.fixture(scope="session")
def dataset(built: BuildResult) -> "ox.Store":
    """The N-Quads dump in memory, named graphs and all (the on-disk store holds the merged view)."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(built.files["nq"]), format=ox.RdfFormat.N_QUADS)
    return store


@pytest.fixture(scope="module")
def prepared_sparql() -> Iterator[None]:
    """rdflib parses a SPARQL string again on every ``Graph.query``, and pySHACL asks each
    ``sh:sparql`` constraint once per focus node: the shape fixture tests spent most of their
    time in rdflib's SPARQL parser. While a module runs, each (query text, prefixes, base) is
    parsed once and reused as rdflib's own prepared query (``prepareQuery``, the form rdflib
    documents for running one query with different ``initBindings``): the same algebra is
    evaluated against the same data, so every result is what it was, only found sooner."""
    from rdflib.plugins.sparql.processor import SPARQLProcessor, prepareQuery

    original = SPARQLProcessor.query
    prepared: dict[tuple[str, tuple[tuple[str, str], ...], str | None], object] = {}

    def query(self: SPARQLProcessor, str_or_query: object, initBindings: Mapping[str, Any] | None = None,  # noqa: N803
              initNs: Mapping[str, Any] | None = None, base: str | None = None, **kwargs: Any) -> Any:  # noqa: N803
        if isinstance(str_or_query, str):
            namespaces = initNs or {}
            key = (str_or_query, tuple(sorted((k, str(v)) for k, v in namespaces.items())), base)
            if key not in prepared:
                prepared[key] = prepareQuery(str_or_query, initNs=namespaces, base=base)
            str_or_query = prepared[key]
        return original(self, str_or_query, initBindings, initNs, base, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SPARQLProcessor, "query", query)
        yield
