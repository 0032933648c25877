"""docs/querying.md never drifts: every SPARQL block in it runs on the ALS build and answers."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from alskg.adhoc import with_prefixes
from alskg.api import Graph
from alskg.build import BuildResult
from alskg.queries import run_local

from .conftest import REPO

GUIDE = REPO / "docs" / "querying.md"


def fenced_blocks(text: str) -> list[tuple[str, str]]:
    """(info string, body) of every ``` fenced block of a Markdown text."""
    blocks: list[tuple[str, str]] = []
    info, body = None, []
    for line in text.splitlines():
        if line.startswith("```"):
            if info is None:
                info, body = line[3:].strip(), []
            else:
                blocks.append((info, "\n".join(body) + "\n"))
                info = None
        elif info is not None:
            body.append(line)
    assert info is None, "unclosed code block"
    return blocks


BLOCKS = fenced_blocks(GUIDE.read_text(encoding="utf-8"))
ON_STORE = [body for info, body in BLOCKS if info == "sparql"]
ON_QUADS = [body for info, body in BLOCKS if info == "sparql nquads"]


def test_the_guide_has_five_worked_queries_and_a_named_graph_one() -> None:
    assert len(ON_STORE) == 5
    assert len(ON_QUADS) == 1
    assert any("skos:exactMatch|^skos:exactMatch" in body for body in ON_STORE)


@pytest.mark.parametrize("number", range(1, len(ON_STORE) + 1))
def test_worked_query_answers(built: BuildResult, number: int) -> None:
    results = Graph.open(built.out_dir).sparql(ON_STORE[number - 1])
    assert results.rows, f"query {number} of docs/querying.md has no rows on the ALS build"


def test_id_equivalence_recipe_finds_every_id_of_als(built: BuildResult) -> None:
    rows = Graph.open(built.out_dir).sparql(ON_STORE[0]).rows
    ids = {row["id"].value for row in rows}  # type: ignore[union-attr]
    assert {"http://www.orpha.net/ORDO/Orphanet_803", "http://identifiers.org/umls/C0002736",
            "http://id.nlm.nih.gov/mesh/D000690", "https://rarediseases.info.nih.gov/diseases/0005786"} <= ids


def test_named_graph_query_answers_on_the_quads(dataset: ox.Store) -> None:
    results = run_local(dataset, with_prefixes(ON_QUADS[0]))
    graphs = {row["graph"].value.rsplit("/", 1)[-1] for row in results.rows}  # type: ignore[union-attr]
    assert {"gard", "hpo", "hpoa", "genes", "ontology", "metadata"} <= graphs


def test_python_examples_name_real_methods() -> None:
    python = next(body for info, body in BLOCKS if info == "python")
    for name in ("Graph.open", "Graph.remote", ".search(", ".resolve(", ".query(", ".sparql("):
        assert name in python
    for method in ("open", "remote", "search", "resolve", "query", "sparql"):
        assert callable(getattr(Graph, method))
