"""The facts the site shows, gathered through the Python API with packaged queries only.

Every query here is asked once for the whole graph (the ``disease-page-*`` queries take no
parameter) and its rows are grouped by disease in Python, so a site of twelve thousand pages
costs a handful of queries. Values are kept as the command line prints them (CURIEs, lexical
forms; see :func:`alskg.results.plain`), so a table's TSV download holds the CLI's rows.

A disease page is one *page group*: the graph's disease node plus any other disease node it is
``skos:exactMatch`` to (before diseases are normalised to one node per MONDO clique, ALS's
release annotations sit on ``ORPHA:803``; after, on the same node). Nothing here assumes which
id a disease has.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from alskg.api import Graph
from alskg.progress import Step
from alskg.queries import get_query
from alskg.results import plain
from alskg.site.ordering import row_key, unordered
from alskg.site.phenotypes import VARIABLES, LongTable, pivot, tsv_long_table

Row = dict[str, str]

#: The whole-graph queries: one call each.
WHOLE_GRAPH = ("disease-page-layers", "disease-page-diseases", "disease-page-synonyms", "disease-page-xrefs",
               "disease-page-publications", "disease-page-genes", "disease-page-inheritance",
               "disease-page-phenotype-terms", "phenotype-lay-synonyms", "dataset-metadata", "class-counts",
               "disease-characteristics", "publications", "page-sections")
#: Queries about the GARD page's own disease (the root disease), asked once per root.
ROOT_QUERIES = ("drugs-and-approvals", "care-team", "diagnostic-findings-and-tests", "resources-by-category")
ROOT_ROLE = "alskg:RootDisease"
#: disease-page-phenotypes, too slow for a whole release, is assembled from these long tables
#: (:mod:`alskg.site.phenotypes`) with the same rows in the same order: query → its key column.
PHENOTYPES = "disease-page-phenotypes"
PHENOTYPE_PARTS = {"disease-page-phenotype-values": "association", "disease-page-annotation-provenance": "association",
                   "disease-page-node-values": "node"}
#: The parts the main process asks when a helper process pivots the table (:mod:`alskg.site.workers`):
#: about a fifth of the engine's work, which balances the two processes' queries.
MAIN_PARTS = ("disease-page-annotation-provenance", "disease-page-node-values")
#: The whole-graph queries with large answers: run without their ORDER BY, sorted in Python the
#: same way (:mod:`alskg.site.ordering`), because Oxigraph's sort reads every compared term back
#: from the store. The small ones keep the engine's sort.
SORTED_HERE = frozenset({"disease-page-diseases", "disease-page-synonyms", "disease-page-xrefs",
                         "disease-page-publications", "disease-page-genes", "disease-page-inheritance",
                         "disease-page-phenotype-terms", *PHENOTYPE_PARTS})


@dataclass
class Table:
    """One packaged query's answer as the CLI prints it: its columns and rows of plain text."""

    query: str
    variables: list[str]
    rows: list[Row]

    def subset(self, rows: list[Row]) -> Table:
        return Table(self.query, self.variables, rows)


@dataclass
class Facts:
    """Every answer the site needs, keyed by query name (root queries by ``name@root``)."""

    tables: dict[str, Table] = field(default_factory=dict)
    roots: list[str] = field(default_factory=list)

    def __getitem__(self, name: str) -> Table:
        return self.tables[name]


def ask(graph: Graph, name: str, **params: str) -> Table:
    """A packaged query's answer, as plain text cells (the large whole-graph ones sorted here)."""
    if name in SORTED_HERE and not params:
        return sorted_here(graph, name)
    results = graph.query(name, **params).results
    variables = list(results.variables)
    return Table(name, variables, [{v: plain(row[v]) for v in variables} for row in results.rows])


def sorted_here(graph: Graph, name: str) -> Table:
    """A packaged query's rows in its ORDER BY, sorted in Python from the engine's unordered stream."""
    query = unordered(get_query(name))
    variables, solutions = graph.stream(query.text)
    key = row_key(query.keys)
    text = Plain()
    keyed = [(key(s), {v: text(s[v]) for v in variables}) for s in solutions]
    keyed.sort(key=lambda pair: pair[0])
    return Table(name, variables, [row for _, row in keyed])


class Plain:
    """:func:`alskg.results.plain`, remembered per term (the site's tables repeat few distinct terms)."""

    def __init__(self) -> None:
        self.seen: dict[object, str] = {}

    def __call__(self, term: object) -> str:
        if term is None:
            return ""
        found = self.seen.get(term)
        if found is None:
            found = self.seen[term] = plain(term)  # type: ignore[arg-type]
        return found


def phenotype_table(graph: Graph) -> Table:
    """The rows of ``disease-page-phenotypes``, pivoted from the long-table queries.

    The engine writes each answer as SPARQL TSV into a temporary file, read back line by line
    (:func:`alskg.site.phenotypes.tsv_long_table`): no Python object per solution and term."""
    with tempfile.TemporaryDirectory(prefix="alskg-site-") as folder:
        write_parts(graph, Path(folder), list(PHENOTYPE_PARTS))
        return read_parts(Path(folder))


def write_parts(graph: Graph, folder: Path, names: list[str]) -> None:
    """The engine writes these long-table queries' answers as ``folder/<name>.tsv``."""
    for name in names:
        graph.write_tsv(unordered(get_query(name)).text, folder / f"{name}.tsv")


def read_parts(folder: Path) -> Table:
    """The ``disease-page-phenotypes`` table from every part :func:`write_parts` wrote into ``folder``."""
    def table(key: str) -> LongTable:
        return tsv_long_table([folder / f"{name}.tsv" for name, k in PHENOTYPE_PARTS.items() if k == key], key)

    return Table(PHENOTYPES, list(VARIABLES), pivot(table("association"), table("node")))


def gather(graph: Graph, step: Step, phenotypes: bool = True) -> Facts:
    """Run the site's queries: the whole-graph ones, then the page's own ones for each root disease.

    Without ``phenotypes`` the phenotype table is left out (another process computes it:
    :mod:`alskg.site.workers`)."""
    facts = Facts()
    for name in WHOLE_GRAPH:
        step(f"query {name}")
        facts.tables[name] = ask(graph, name)
    if phenotypes:
        step(f"query {' and '.join(PHENOTYPE_PARTS)}")
        facts.tables[PHENOTYPES] = phenotype_table(graph)
    facts.roots = sorted({r["disease"] for r in facts["disease-page-diseases"].rows if r["role"] == ROOT_ROLE})
    for root in facts.roots:
        for name in ROOT_QUERIES:
            step(f"query {name} for {root}")
            facts.tables[f"{name}@{root}"] = ask(graph, name, disease=root)
    return facts


def by(rows: list[Row], column: str) -> dict[str, list[Row]]:
    """Rows grouped by one column's value, in their query order."""
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        groups[row[column]].append(row)
    return groups


def page_groups(diseases: list[Row]) -> dict[str, list[str]]:
    """Disease nodes joined by skos:exactMatch into one page each: representative → members.

    The representative is the member with a disease role, else a MONDO id, else the smallest id,
    so a page is named after the node the graph treats as the disease.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    roles = {r["disease"] for r in diseases if r["role"]}
    for row in diseases:
        find(row["disease"])
        if row["exact_match"]:
            a, b = find(row["disease"]), find(row["exact_match"])
            if a != b:
                parent[max(a, b)] = min(a, b)
    members: dict[str, list[str]] = defaultdict(list)
    for node in parent:
        members[find(node)].append(node)

    def rank(node: str) -> tuple[int, int, str]:
        return (0 if node in roles else 1, 0 if node.startswith("MONDO:") else 1, node)

    return {min(group, key=rank): sorted(group, key=rank) for group in members.values()}


def family(groups: dict[str, list[str]], diseases: list[Row], roots: list[str]) -> list[str]:
    """The page groups of the root diseases and everything below them (the ALS family)."""
    owner = {m: rep for rep, group in groups.items() for m in group}
    children: dict[str, set[str]] = defaultdict(set)
    for row in diseases:
        if row["parent"] and row["parent"] in owner:
            children[owner[row["parent"]]].add(owner[row["disease"]])
    seen: list[str] = []
    todo = sorted({owner[r] for r in roots if r in owner})
    while todo:
        node = todo.pop(0)
        if node not in seen:
            seen.append(node)
            todo.extend(sorted(children[node] - set(seen)))
    return sorted(seen)
