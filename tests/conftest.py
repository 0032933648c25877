"""Shared fixtures: one build of the real ALS graph per test session, and the release paths."""

from __future__ import annotations

from pathlib import Path

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
