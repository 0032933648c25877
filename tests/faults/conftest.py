"""A small HPO release for the fault trials: the pinned ``hp.obo``, and the annotation and
gene rows of the ALS family only, so each real build or submit process costs little."""

from __future__ import annotations

from pathlib import Path

import pytest

from alskg.build import disease_ids_in_scope
from alskg.sources.curated import read_curated

from ..conftest import DATA


@pytest.fixture(scope="session")
def small_release(hpo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("small-release")
    family = disease_ids_in_scope(read_curated(DATA))
    (folder / "hp.obo").symlink_to(hpo_dir / "hp.obo")
    for name, column in (("phenotype.hpoa", 0), ("genes_to_phenotype.txt", 5)):
        lines = (hpo_dir / name).read_text(encoding="utf-8").splitlines(keepends=True)
        body = [line for line in lines if line.startswith("#") or line.split("\t")[column].strip() in family
                or line.startswith(("database_id\t", "ncbi_gene_id\t"))]
        (folder / name).write_text("".join(body), encoding="utf-8")
    return folder
