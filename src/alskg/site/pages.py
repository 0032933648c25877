"""What each page shows, assembled from the gathered answers (plain Python, no templates here).

A page context is a dict the templates read; every table on a page is a :class:`Download`
beside it, holding the rows of one packaged query that the table shows, so the TSV is the
command line's output restricted to that page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from alskg import vocab
from alskg.diff import frequency_term
from alskg.site.gather import Facts, Row, Table, by
from alskg.site.plots import BANDS, FrequencyPoint

#: Frequency groups in page order; rows with no frequency come last, NOT rows go to their own panel.
GROUPS = [(term, label) for term, (label, _, _) in BANDS.items()] + [("", "Frequency not given")]
PAGE_LAYER_HINT = "frequency_band"


@dataclass(frozen=True)
class Download:
    """A table's TSV file: its name under ``tables/`` and the query rows it holds."""

    name: str
    table: Table


def slug(curie: str) -> str:
    """A file name for an id: ``MONDO:0004976`` → ``MONDO_0004976`` (ids are CURIEs, never paths)."""
    return "".join(c if c.isalnum() or c in "-." else "_" for c in curie)


def link(curie: str) -> str:
    """The IRI of a CURIE the graph uses (the resolvable address of MONDO, OMIM, PMID, … ids)."""
    if vocab.is_curie(curie) and vocab.has_known_prefix(curie):
        return vocab.expand(curie)
    return curie if curie.startswith(("http://", "https://")) else ""


def percent(row: Row) -> tuple[float, float] | None:
    """The range (percent) a phenotype row states: n/m as a point, a frequency term as its band."""
    if row.get("count") and row.get("total"):
        try:
            value = float(Decimal(row["count"]) * 100 / Decimal(row["total"]))
        except (InvalidOperation, ZeroDivisionError):
            return None
        return value, value
    band = BANDS.get(row.get("frequency", ""))
    return (float(band[1]), float(band[2])) if band else None


def group_of(row: Row) -> str:
    """The frequency group of a phenotype row: its frequency term, or the term its n/m falls in."""
    if row["frequency"]:
        return row["frequency"]
    if row["count"] and row["total"]:
        return frequency_term(f"{row['count']}/{row['total']}")
    return ""


def frequency_text(row: Row) -> str:
    if row["count"] and row["total"]:
        return f"{row['count']}/{row['total']}"
    return row["frequency_label"] or row["frequency"]


class Site:
    """Indexes over the gathered answers, shared by every page."""

    def __init__(self, facts: Facts, groups: dict[str, list[str]], scope_groups: list[str]) -> None:
        self.facts, self.groups = facts, groups
        self.owner = {m: rep for rep, members in groups.items() for m in members}
        self.in_scope = set(scope_groups)
        self.scope_groups = scope_groups
        diseases = facts["disease-page-diseases"].rows
        layers = {r["layer"]: r for r in facts["disease-page-layers"].rows}
        for name in ("disease-page-phenotypes", "disease-page-genes", "disease-page-inheritance"):
            for row in facts[name].rows:  # display only: a download writes the query's own columns
                layer = layers.get(row["layer"], {})
                row["layer_label"] = layer.get("layer_label") or row["layer"]
                row["layer_version"] = layer.get("layer_version", "")
        self.disease_rows = by(diseases, "disease")
        self.labels = {r["disease"]: r["disease_label"] for r in diseases}
        self.phenotypes = by(facts["disease-page-phenotypes"].rows, "disease")
        self.by_phenotype = by(facts["disease-page-phenotypes"].rows, "phenotype")
        self.genes = by(facts["disease-page-genes"].rows, "disease")
        self.inheritance = by(facts["disease-page-inheritance"].rows, "disease")
        self.synonyms = by(facts["disease-page-synonyms"].rows, "disease")
        self.xrefs = by(facts["disease-page-xrefs"].rows, "disease")
        self.characteristics = by(facts["disease-characteristics"].rows, "subject")
        self.citations: dict[str, list[str]] = defaultdict(list)
        for row in facts["disease-page-publications"].rows:
            self.citations[row["association"]].append(row["publication"])
        terms = facts["disease-page-phenotype-terms"].rows
        self.term_rows = by(terms, "phenotype")
        self.lay = by(facts["phenotype-lay-synonyms"].rows, "phenotype")
        self.children: dict[str, set[str]] = defaultdict(set)
        for row in diseases:
            if row["parent"] in self.owner:
                self.children[self.owner[row["parent"]]].add(self.owner[row["disease"]])

    # -- helpers -----------------------------------------------------------------------
    def rows(self, index: dict[str, list[Row]], rep: str) -> list[Row]:
        return [row for member in self.groups[rep] for row in index.get(member, [])]

    def disease_href(self, curie: str) -> str:
        rep = self.owner.get(curie, curie)
        return f"disease/{slug(rep)}.html" if rep in self.in_scope else ""

    def term_label(self, curie: str) -> str:
        rows = self.term_rows.get(curie)
        return rows[0]["phenotype_label"] if rows else ""

    def ancestors(self, curie: str) -> list[tuple[int, str, str]]:
        """(depth, id, label) of every ancestor, nearest first (breadth-first over direct parents)."""
        out: list[tuple[int, str, str]] = []
        seen = {curie}
        frontier = [curie]
        depth = 0
        while frontier:
            depth += 1
            parents = sorted({r["parent"] for c in frontier for r in self.term_rows.get(c, []) if r["parent"]} - seen)
            seen.update(parents)
            out.extend((depth, p, self.term_label(p)) for p in parents)
            frontier = parents
        return out

    def root_table(self, name: str, rep: str) -> Table | None:
        for member in self.groups[rep]:
            if f"{name}@{member}" in self.facts.tables:
                return self.facts.tables[f"{name}@{member}"]
        return None

    # -- pages -------------------------------------------------------------------------
    def disease(self, rep: str) -> dict[str, object]:
        """The context of one disease page."""
        members = self.groups[rep]
        facts = self.facts
        name = self.labels.get(rep) or rep
        own = self.disease_rows.get(rep, [])
        definition = next((r["definition"] for m in members for r in self.disease_rows.get(m, []) if r["definition"]), "")
        role = next((r["role"] for r in own if r["role"]), "")
        parents = sorted({self.owner[r["parent"]] for m in members for r in self.disease_rows.get(m, [])
                          if r["parent"] in self.owner} - {rep})
        subtypes = sorted(self.children.get(rep, set()) - {rep}, key=lambda d: (self.labels.get(d, d).lower(), d))
        phenotype_rows = sorted(self.rows(self.phenotypes, rep), key=_phenotype_order)
        genes = self.rows(self.genes, rep)
        inheritance = self.rows(self.inheritance, rep)
        synonyms = self.rows(self.synonyms, rep)
        xrefs = self.rows(self.xrefs, rep)
        downloads = {
            "phenotypes": Download(f"{slug(rep)}-phenotypes.tsv", facts["disease-page-phenotypes"].subset(phenotype_rows)),
            "genes": Download(f"{slug(rep)}-genes.tsv", facts["disease-page-genes"].subset(genes)),
            "inheritance": Download(f"{slug(rep)}-inheritance.tsv", facts["disease-page-inheritance"].subset(inheritance)),
            "synonyms": Download(f"{slug(rep)}-synonyms.tsv", facts["disease-page-synonyms"].subset(synonyms)),
            "xrefs": Download(f"{slug(rep)}-xrefs.tsv", facts["disease-page-xrefs"].subset(xrefs)),
        }
        groups = []
        table = facts["disease-page-phenotypes"]
        for term, label in GROUPS:
            rows = [r for r in phenotype_rows if r["negated"] != "true" and group_of(r) == term]
            if rows:
                name_g = f"{slug(rep)}-phenotypes-{slug(term) if term else 'no-frequency'}.tsv"
                groups.append({"term": term, "label": label, "rows": [self._phenotype_view(r) for r in rows],
                               "download": Download(name_g, table.subset(rows))})
                downloads[f"group {term}"] = groups[-1]["download"]
        negated_rows = [r for r in phenotype_rows if r["negated"] == "true"]
        excluded = [self._phenotype_view(r) for r in negated_rows]
        if negated_rows:
            downloads["excluded"] = Download(f"{slug(rep)}-phenotypes-not.tsv", table.subset(negated_rows))
        root_tables = {}
        for name_q in ("drugs-and-approvals", "care-team", "diagnostic-findings-and-tests", "resources-by-category"):
            table = self.root_table(name_q, rep)
            if table is not None:
                root_tables[name_q] = table
                downloads[name_q] = Download(f"{slug(rep)}-{name_q}.tsv", table)
        members_set = set(members)  # the query's order, without a scan of every row per page
        characteristics = [r for r in facts["disease-characteristics"].rows if r["subject"] in members_set] \
            if any(m in self.characteristics for m in members) else []
        if characteristics:
            downloads["disease-characteristics"] = Download(
                f"{slug(rep)}-disease-characteristics.tsv", facts["disease-characteristics"].subset(characteristics))
        is_page_disease = bool(root_tables)
        if is_page_disease:
            downloads["publications"] = Download(f"{slug(rep)}-publications.tsv", facts["publications"])
            downloads["page-sections"] = Download(f"{slug(rep)}-page-sections.tsv", facts["page-sections"])
        drugs = root_tables.get("drugs-and-approvals")
        return {
            "id": rep, "name": name, "members": members, "definition": definition, "role": role,
            "synonyms": synonyms, "xrefs": xrefs, "parents": parents, "subtypes": subtypes,
            "groups": groups, "excluded": excluded, "phenotype_count": len(phenotype_rows),
            "layers": _layer_counts(phenotype_rows),
            "points": self.frequency_points(phenotype_rows),
            "genes": genes, "inheritance": inheritance,
            "gene_symbols": sorted({r["gene_symbol"] or r["gene"] for r in genes}),
            "mode_labels": sorted({r["mode_label"] or r["mode"] for r in inheritance}), "characteristics": characteristics,
            "drugs": drugs.rows if drugs else [],
            "timeline": sorted(drugs.rows, key=lambda r: (r["as_of"], r["drug_label"], r["jurisdiction"])) if drugs else [],
            "care": root_tables["care-team"].rows if "care-team" in root_tables else [],
            "diagnostics": root_tables["diagnostic-findings-and-tests"].rows if "diagnostic-findings-and-tests" in root_tables else [],
            "resources": root_tables["resources-by-category"].rows if "resources-by-category" in root_tables else [],
            "publications": facts["publications"].rows if is_page_disease else [],
            "sections": facts["page-sections"].rows if is_page_disease else [],
            "updated": _updated_by_layer(phenotype_rows),
            "cited": sorted({p for r in phenotype_rows for p in self.citations.get(r["association"], [])}),
            "downloads": downloads,
        }

    def _phenotype_view(self, row: Row) -> dict[str, object]:
        return {**row, "frequency_text": frequency_text(row), "group": group_of(row),
                "publications": self.citations.get(row["association"], [])}

    def frequency_points(self, rows: list[Row]) -> list[FrequencyPoint]:
        """One point per phenotype the page printed a band for, with the release's value beside it."""
        page = [r for r in rows if r[PAGE_LAYER_HINT] and r["negated"] != "true"]
        release = by([r for r in rows if not r[PAGE_LAYER_HINT] and r["negated"] != "true"], "phenotype")
        points = []
        for row in sorted(page, key=lambda r: (-(percent(r) or (0.0, 0.0))[1], r["phenotype_label"].lower())):
            ours = percent(row)
            theirs = [p for p in (percent(r) for r in release.get(row["phenotype"], [])) if p is not None]
            low = min((p[0] for p in theirs), default=None)
            high = max((p[1] for p in theirs), default=None)
            points.append(FrequencyPoint(row["phenotype_label"] or row["phenotype"], ours[0] if ours else None,
                                         ours[1] if ours else None, low, high))
        return points

    def phenotype(self, curie: str) -> dict[str, object]:
        rows = [r for r in self.by_phenotype.get(curie, []) if self.owner.get(r["disease"]) in self.in_scope]
        rows.sort(key=lambda r: (self.labels.get(self.owner[r["disease"]], "").lower(), r["disease"], r["association"]))
        first = self.term_rows.get(curie, [{}])[0]
        return {
            "id": curie, "name": first.get("phenotype_label") or curie, "definition": first.get("definition", ""),
            "lay": [r["layperson_synonym"] for r in self.lay.get(curie, [])],
            "ancestors": self.ancestors(curie),
            "rows": [{**r, "frequency_text": frequency_text(r), "page": self.owner[r["disease"]],
                      "page_label": self.labels.get(self.owner[r["disease"]], r["disease"])} for r in rows],
            "downloads": {"diseases": Download(f"{slug(curie)}-diseases.tsv",
                                               self.facts["disease-page-phenotypes"].subset(rows))},
        }

    def scope_phenotypes(self) -> list[str]:
        found = {r["phenotype"] for rep in self.scope_groups for r in self.rows(self.phenotypes, rep)}
        return sorted(found)


def _phenotype_order(row: Row) -> tuple[str, str, str, str]:
    return (row["phenotype_label"].lower(), row["phenotype"], row["layer"], row["association"])


def _layer_counts(rows: list[Row]) -> list[tuple[str, str, int]]:
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        counts[(row["layer_label"] or row["layer"], row["layer_version"])] += 1
    return [(label, version, n) for (label, version), n in sorted(counts.items())]


def _updated_by_layer(rows: list[Row]) -> list[tuple[str, str]]:
    latest: dict[str, str] = {}
    for row in rows:
        layer = row["layer_label"] or row["layer"]
        latest[layer] = max(latest.get(layer, ""), row["last_updated"])
    return sorted(latest.items())
