"""Write the static site: Jinja2 templates over the page contexts, TSV downloads, plots, search index.

The whole site is written into a temporary folder beside ``out`` and swapped in at the end, so
a failure leaves the previous site (or nothing), never half a site. Output is byte-stable:
sorted inputs, no dates or random ids, matplotlib with a fixed hash salt.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from alskg import diff as differ
from alskg.api import Graph
from alskg.errors import InputError, UsageError, os_reason
from alskg.memory import collector_paused
from alskg.progress import Step
from alskg.results import tsv_line
from alskg.site import plots
from alskg.site.gather import MAIN_PARTS, PHENOTYPES, Table, family, gather, page_groups, write_parts
from alskg.site.jsonld import medical_condition
from alskg.site.pages import Download, Site, link, percent, slug
from alskg.site.release import checksums
from alskg.site.search_index import Entry, index_json, index_script
from alskg.site.workers import SHARES, Helper, Share

HERE = Path(__file__).parent
SCOPES = ("als", "all")
#: At most this many phenotype columns in the family matrix (the most shared ones).
MATRIX_COLUMNS = 40


@dataclass
class SiteSummary:
    """What was written: page counts by kind and the output folder."""

    out: Path
    pages: dict[str, int] = field(default_factory=dict)
    tables: int = 0


def tsv(table: Table) -> str:
    """A table as ``alskg query run --format tsv`` prints it (header, then the rows)."""
    lines = ["\t".join(table.variables)]
    lines += [tsv_line([row[v] for v in table.variables]) for row in table.rows]
    return "\n".join(lines) + "\n"


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True, trim_blocks=True,
                             lstrip_blocks=True)
    env.filters["slug"] = slug
    env.filters["link"] = link
    return env


class Writer:
    """Writes files under one folder, counting tables."""

    def __init__(self, root: Path) -> None:
        self.root, self.tables = root, 0
        self.folders: set[Path] = set()  # made already: one mkdir per folder, not per file

    def text(self, relative: str, content: str) -> None:
        path = self.root / relative
        if path.parent not in self.folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(path.parent)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(content)

    def downloads(self, downloads: dict[str, Download]) -> None:
        for download in downloads.values():
            self.text(f"tables/{download.name}", tsv(download.table))
            self.tables += 1


def read_differences(build_dir: Path) -> list[differ.Difference] | None:
    """The differences ``make diff`` left in the build folder (``diff.json``), or None if absent."""
    path = build_dir / "diff.json"
    if not path.is_file():
        return None
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        return sorted(differ.Difference(**row) for row in doc["differences"])
    except OSError as exc:
        raise InputError(f"cannot read the differences ({os_reason(exc)})", path) from None
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"not an `alskg diff` JSON file ({exc})", path) from None


def compute_differences() -> list[differ.Difference]:
    """The differences of the default curated tables and the pinned HPO release (as `alskg diff`)."""
    from alskg.packaged import default_data_dir, hpo_release_dir
    from alskg.sources.curated import read_curated
    from alskg.sources.hpoa import iter_annotations
    from alskg.sources.obo import read_obo

    release = hpo_release_dir()
    return differ.compare(read_curated(default_data_dir()), iter_annotations(release / "phenotype.hpoa"),
                          read_obo(release / "hp.obo"))


def default_workers() -> int:
    """Processes that write a site: two where the machine has two cores (:mod:`alskg.site.workers`)."""
    return min(SHARES, os.cpu_count() or 1)


def build_site(build_dir: Path, out: Path, scope: str = "als", release_dir: Path | None = None,
               step: Step = lambda _: None, workers: int | None = None) -> SiteSummary:
    """Write the static site of a build into ``out`` (replaced whole, atomically).

    ``workers`` is 1 (everything in this process) or 2 (a helper process computes the phenotype
    table and renders half the pages: :mod:`alskg.site.workers`); the site is the same bytes."""
    if scope not in SCOPES:
        raise UsageError(f"unknown scope {scope!r}: use als or all")
    workers = default_workers() if workers is None else workers
    if workers not in (1, SHARES):
        raise UsageError(f"workers must be 1 or {SHARES}, not {workers}")
    sums = checksums(release_dir) if release_dir is not None else None  # bad input fails before any work
    _check_out(out)
    graph = Graph.open(build_dir, timeout=None)
    out = out.resolve()
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    helper: Helper | None = None
    parts: Path | None = None  # the phenotype table's long tables, shared with the helper
    try:
        if workers == SHARES:
            parts = Path(tempfile.mkdtemp(prefix="alskg-site-"))
            helper = Helper(build_dir, render_pages, parts)  # forked before anything is read
            step("the phenotype table's first parts")
            write_parts(graph, parts, list(MAIN_PARTS))
            helper.written()
        with collector_paused(freeze=True):  # millions of acyclic rows, kept while pages render
            facts = gather(graph, step, phenotypes=helper is None)
        groups = page_groups(facts["disease-page-diseases"].rows)
        if not facts.roots:
            raise InputError("the build has no root disease (alskg:RootDisease): nothing to make pages of", build_dir)
        family_groups = family(groups, facts["disease-page-diseases"].rows, facts.roots)
        scope_groups = family_groups if scope == "als" else sorted(groups)
        step("differences")
        diffs = read_differences(build_dir)
        if diffs is None:
            diffs = compute_differences()
        shutil.rmtree(tmp, ignore_errors=True)
        with collector_paused(freeze=True):  # millions of acyclic rows, kept while pages render
            if helper is not None:
                step("the phenotype table (helper process)")
                facts.tables[PHENOTYPES] = helper.phenotypes()
                _remove(parts)  # read: free the disk now
                helper.render(facts, groups, scope_groups, tmp, out)
            site = Site(facts, groups, scope_groups)
        try:
            summary = _write(site, family_groups, diffs, sums, tmp, out, step, helper)
            _swap(tmp, out)
        except OSError as exc:
            raise InputError(f"cannot write the site ({os_reason(exc)})", out) from None
    finally:
        if helper is not None:
            helper.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        _remove(parts)
        gc.unfreeze()  # the tables frozen above: collectable again once the caller drops them
    summary.out = out
    return summary


def _remove(folder: Path | None) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _check_out(out: Path) -> None:
    """Refuse to replace anything but an empty folder or a site this command wrote."""
    if out.is_file() or (out.is_dir() and any(out.iterdir()) and not (out / "search-index.json").is_file()):
        raise UsageError("--out exists and is not a site written by alskg site; choose another folder", out)


def _swap(tmp: Path, out: Path) -> None:
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def render_pages(site: Site, root: Path, share: Share, step: Step) -> int:
    """Write one share of the disease and phenotype pages (with their TSV tables) under ``root``;
    the number of tables written. Each page depends only on the site's facts, never on another page."""
    env = environment()
    writer = Writer(root)
    disease_template = env.get_template("disease.html")
    diseases = share.pick(site.scope_groups)
    step(f"{len(diseases)} of {len(site.scope_groups)} disease pages")
    for rep in diseases:
        page = site.disease(rep)
        page["plot"] = _frequency_plot(page)
        page["jsonld"] = _jsonld(page)
        writer.text(f"disease/{slug(rep)}.html", disease_template.render(root="../", site=site, page=page,
                                                                         title=page["name"]))
        writer.downloads(page["downloads"])  # type: ignore[arg-type]
    phenotype_template = env.get_template("phenotype.html")
    phenotypes = share.pick(site.scope_phenotypes())
    step(f"{len(phenotypes)} phenotype pages")
    for curie in phenotypes:
        page = site.phenotype(curie)
        writer.text(f"phenotype/{slug(curie)}.html", phenotype_template.render(root="../", site=site, page=page,
                                                                              title=page["name"]))
        writer.downloads(page["downloads"])  # type: ignore[arg-type]
    return writer.tables


def disease_entry(site: Site, rep: str) -> Entry:
    """A disease page in the search index: its name, synonyms, identifiers and member nodes."""
    names = [r["synonym"] for r in site.rows(site.synonyms, rep)] + [r["xref"] for r in site.rows(site.xrefs, rep)]
    return Entry(rep, site.labels.get(rep) or rep, "disease", f"disease/{slug(rep)}.html",
                 tuple(names + list(site.groups[rep])))


def phenotype_entry(site: Site, curie: str) -> Entry:
    """A phenotype page in the search index: its label and lay names."""
    name = site.term_rows.get(curie, [{}])[0].get("phenotype_label") or curie
    return Entry(curie, name, "phenotype", f"phenotype/{slug(curie)}.html",
                 tuple(r["layperson_synonym"] for r in site.lay.get(curie, [])))


def _write(site: Site, family_groups: list[str], diffs: list[differ.Difference],
           sums: tuple[Path, list[tuple[str, str]]] | None, root: Path, final: Path, step: Step,
           helper: Helper | None = None) -> SiteSummary:
    env = environment()
    writer = Writer(root)
    summary = SiteSummary(root)
    for name in ("site.css", "site.js"):
        writer.text(f"static/{name}", (HERE / "static" / name).read_text(encoding="utf-8"))
    writer.tables += render_pages(site, root, Share(0, SHARES) if helper is not None else Share(), step)
    phenotypes = site.scope_phenotypes()
    entries = [disease_entry(site, rep) for rep in site.scope_groups] + [phenotype_entry(site, c) for c in phenotypes]
    step("family, differences and release pages")
    families = []
    for root_disease in sorted({site.owner[r] for r in site.facts.roots}):
        context = _family(site, root_disease, family_groups)
        writer.text(f"family-{slug(root_disease)}.html", env.get_template("family.html").render(
            root="", site=site, page=context, title=f"{context['name']}: family matrix"))
        writer.downloads(context["downloads"])  # type: ignore[arg-type]
        families.append(context)
    diff_table = differ.to_tsv(diffs)
    writer.text("tables/differences.tsv", diff_table)
    writer.tables += 1
    counts = {kind: sum(1 for d in diffs if d.kind == kind) for kind in differ.KINDS}
    writer.text("differences.html", env.get_template("differences.html").render(
        root="", site=site, diffs=diffs, counts=counts, title="GARD page vs HPO release"))
    release = _release(site, sums, final)
    writer.downloads(release["downloads"])  # type: ignore[arg-type]
    writer.text("release.html", env.get_template("release.html").render(root="", site=site, page=release,
                                                                        title="Release"))
    index = index_json(entries)
    writer.text("search-index.json", index)
    writer.text("search-index.js", index_script(index))
    writer.text("index.html", env.get_template("index.html").render(
        root="", site=site, families=families, title="alskg: disease pages",
        diseases=[(rep, site.labels.get(rep, rep)) for rep in site.scope_groups]))
    summary.pages = {"disease": len(site.scope_groups), "phenotype": len(phenotypes), "family": len(families),
                     "differences": 1, "release": 1, "index": 1}
    if helper is not None:
        step("waiting for the helper's pages")
        writer.tables += helper.finish()
    summary.tables = writer.tables
    return summary


def _frequency_plot(page: dict[str, object]) -> str:
    points = page["points"]
    if not points:
        return ""
    return plots.frequency_plot(f"{page['name']}: GARD page band vs HPO release", points,  # type: ignore[arg-type]
                                "frequency-plot-alt")


def _jsonld(page: dict[str, object]) -> str:
    signs = sorted({(r["phenotype"], r["phenotype_label"]) for g in page["groups"] for r in g["rows"]})  # type: ignore[attr-defined]
    codes = sorted({r["xref"] for r in page["xrefs"]} | set(page["members"]) - {page["id"]})  # type: ignore[attr-defined]
    treatments = sorted({r["drug_label"] for r in page["drugs"] if r["kind"] == "drug"})  # type: ignore[attr-defined]
    synonyms = sorted({r["synonym"] for r in page["synonyms"]})  # type: ignore[attr-defined]
    return medical_condition(str(page["id"]), str(page["name"]), synonyms, codes, str(page["definition"]),
                             signs, treatments, link(str(page["id"])) or str(page["id"]))


def _family(site: Site, root: str, members: list[str]) -> dict[str, object]:
    """The subtype x phenotype matrix of a family: the most shared phenotypes as columns."""
    rows_by_group = {rep: site.rows(site.phenotypes, rep) for rep in members}
    sharing: dict[str, set[str]] = {}
    for rep, rows in rows_by_group.items():
        for row in rows:
            sharing.setdefault(row["phenotype"], set()).add(rep)
    labels = {r["phenotype"]: r["phenotype_label"] for rows in rows_by_group.values() for r in rows}
    columns = sorted((p for p in sharing if len(sharing[p]) >= 2), key=lambda p: (-len(sharing[p]), labels[p].lower(), p))
    columns = columns[:MATRIX_COLUMNS]
    shown = [rep for rep in members if any(r["phenotype"] in columns for r in rows_by_group[rep])]
    side = {}
    for rep in shown:
        genes = sorted({r["gene_symbol"] or r["gene"] for r in site.rows(site.genes, rep)})
        modes = sorted({r["mode_label"] or r["mode"] for r in site.rows(site.inheritance, rep)})
        side[rep] = (genes, modes)
    values, negated, cells = [], [], []
    for rep in shown:
        value_row, negated_row = [], []
        for column in columns:
            hits = [r for r in rows_by_group[rep] if r["phenotype"] == column]
            ranges = [percent(r) for r in hits if r["negated"] != "true"]
            known = [rg for rg in ranges if rg is not None]
            value = max(((lo + hi) / 2 for lo, hi in known), default=None) if known else (50.0 if ranges else None)
            value_row.append(value)
            negated_row.append(any(r["negated"] == "true" for r in hits))
        values.append(value_row)
        negated.append(negated_row)
        cells.append(list(zip(value_row, negated_row, strict=True)))

    def row_label(rep: str) -> str:
        genes, modes = side[rep]
        name = site.labels.get(rep, rep)
        extra = "; ".join(part for part in (", ".join(genes[:4]) + ("…" if len(genes) > 4 else ""),
                                            ", ".join(m.replace(" inheritance", "") for m in modes[:2])) if part)
        return f"{name[:48]} [{extra}]" if extra else name[:48]

    svg = plots.heatmap(f"{site.labels.get(root, root)}: subtype x phenotype matrix", [row_label(r) for r in shown],
                        [labels[c][:32] for c in columns], values, negated, "family-matrix-alt") if shown else ""
    matrix_rows = [r for rep in shown for r in rows_by_group[rep] if r["phenotype"] in columns]
    return {"id": root, "name": site.labels.get(root, root), "columns": [(c, labels[c]) for c in columns],
            "rows": [(rep, site.labels.get(rep, rep), side[rep], cells[i]) for i, rep in enumerate(shown)],
            "svg": svg, "members": len(members),
            "downloads": {"matrix": Download(f"{slug(root)}-family-matrix.tsv",
                                             site.facts["disease-page-phenotypes"].subset(matrix_rows))}}


def _release(site: Site, sums: tuple[Path, list[tuple[str, str]]] | None, out: Path) -> dict[str, object]:
    metadata = site.facts["dataset-metadata"]
    files, sums_href = [], ""
    if sums is not None:
        folder, entries = sums
        for digest, name in entries:
            files.append((name, digest, Path(os.path.relpath(folder / name, out)).as_posix()))
        sums_href = Path(os.path.relpath(folder / "SHA256SUMS", out)).as_posix()
    return {"metadata": metadata.rows[0] if metadata.rows else {}, "sources": metadata.rows,
            "classes": site.facts["class-counts"].rows, "files": files, "sums_href": sums_href,
            "downloads": {"metadata": Download("dataset-metadata.tsv", metadata),
                          "classes": Download("class-counts.tsv", site.facts["class-counts"])}}
