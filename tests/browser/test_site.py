"""The static site of `alskg site` in headless Chromium, from file://, offline: the ALS page's
phenotypes in the right frequency groups, the NOT panel, a subtype's genes, the plot's SVG and
its text alternative, search, no request outside the site and no JavaScript error."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from alskg.build import BuildResult
from alskg.diff import frequency_term
from alskg.site import SiteSummary
from tests.site.sitebuild import als_site

PAGE_LAYER = "ALSKG:source-gard-als-page"
RELEASE_LAYER = "ALSKG:source-hpo-phenotype-hpoa"


@pytest.fixture(scope="module")
def site(built: BuildResult) -> SiteSummary:
    return als_site(built)


class Visit:
    """An offline browser context that records requests and console errors of every page it opens."""

    def __init__(self, browser, root: Path) -> None:  # type: ignore[no-untyped-def]
        self.context = browser.new_context(offline=True)
        self.root = root.resolve().as_uri()
        self.requests: list[str] = []
        self.problems: list[str] = []

    def open(self, relative: str):  # type: ignore[no-untyped-def]
        page = self.context.new_page()
        page.on("console", lambda m: self.problems.append(f"{m.type}: {m.text}")
                if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda error: self.problems.append(f"pageerror: {error}"))
        page.on("requestfailed", lambda r: self.problems.append(f"request failed: {r.url}"))
        page.on("request", lambda r: self.requests.append(r.url))
        page.goto(f"{self.root}/{relative}")
        page.wait_for_load_state("load")
        return page

    def outside(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(self.root + "/") and not u.startswith("data:")]


@pytest.fixture(scope="module")
def visit(browser, site: SiteSummary) -> Iterator[Visit]:  # type: ignore[no-untyped-def]
    visiting = Visit(browser, site.out)
    yield visiting
    visiting.context.close()


def expected_groups(site: SiteSummary) -> Counter[tuple[str, str]]:
    """(group, layer) counts of ALS's phenotype rows, computed from the TSV the CLI would print."""
    lines = (site.out / "tables" / "MONDO_0004976-phenotypes.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    counts: Counter[tuple[str, str]] = Counter()
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t"), strict=True))
        group = row["frequency"] or (frequency_term(f"{row['count']}/{row['total']}") if row["total"] else "")
        counts[(group or "none", row["layer"])] += 1
    return counts


def test_als_page_shows_page_and_release_phenotypes_in_their_frequency_groups(visit: Visit, site: SiteSummary) -> None:
    page = visit.open("disease/MONDO_0004976.html")
    cells = page.eval_on_selector_all(
        "table.phenotype-group tbody tr",
        "rows => rows.map(r => [r.closest('table').dataset.group, r.dataset.layer, r.dataset.phenotype])")
    shown = Counter((group, layer) for group, layer, _ in cells)
    assert shown == expected_groups(site)
    assert sum(n for (_, layer), n in shown.items() if layer == PAGE_LAYER) == 27
    assert sum(n for (_, layer), n in shown.items() if layer == RELEASE_LAYER) == 47
    # laryngospasm: 5-29% on the page (2020), very rare in the release (2025)
    laryngospasm = {(group, layer) for group, layer, hp in cells if hp == "HP:0025425"}
    assert laryngospasm == {("HP:0040283", PAGE_LAYER), ("HP:0040284", RELEASE_LAYER)}
    captions = page.eval_on_selector_all("table.phenotype-group caption", "cs => cs.map(c => c.textContent)")
    assert captions[0].startswith("Obligate (HP:0040280)")
    page.close()


def test_als_page_has_a_not_panel(visit: Visit) -> None:
    page = visit.open("disease/MONDO_0004976.html")
    panel = page.locator("#not-panel")
    assert panel.is_visible()
    assert page.inner_text("#not-h") == "Excluded (NOT) phenotypes"
    # no source states a NOT annotation of ALS in this build: the panel says so
    assert "No source states that this disease does not have a phenotype." in panel.inner_text()
    page.close()


def test_subtype_page_shows_its_genes(visit: Visit) -> None:
    page = visit.open("disease/MONDO_0007103.html")
    assert page.inner_text("h1") == "Amyotrophic lateral sclerosis type 1"
    genes = page.eval_on_selector_all("#genes-table td.gene strong", "s => s.map(x => x.textContent)")
    assert {"SOD1", "DCTN1", "NEFH", "PRPH"} <= set(genes)
    assert {"SOD1", "DCTN1", "NEFH", "PRPH"} <= set(page.inner_text("dd.genes").replace(",", " ").split())
    page.close()


def test_frequency_plot_svg_has_a_text_alternative(visit: Visit) -> None:
    page = visit.open("disease/MONDO_0004976.html")
    svg = page.locator("#frequency-plot svg")
    assert svg.count() == 1 and svg.get_attribute("role") == "img"
    label_id = svg.get_attribute("aria-labelledby")
    alternative = page.inner_text(f"#{label_id}")
    assert "Laryngospasm: page 5–29%, release 1–4%" in alternative
    assert page.locator("#frequency-plot svg text").filter(has_text="Frequency (% of patients)").count() == 1
    matrix = visit.open("family-MONDO_0004976.html")
    assert matrix.locator("figure.matrix svg[role=img]").count() == 1
    assert matrix.locator("table.matrix-table tbody tr").count() > 20
    matrix.close()
    page.close()


def test_search_finds_lou_gehrig(visit: Visit) -> None:
    page = visit.open("index.html")
    page.fill("#search-box", "Lou Gehrig")
    page.wait_for_selector("#search-results li a")
    first = page.locator("#search-results li a").first
    assert first.inner_text() == "Amyotrophic lateral sclerosis"
    assert first.get_attribute("href") == "disease/MONDO_0004976.html"  # the disease before the HP term of that name
    first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/disease/MONDO_0004976.html")
    page.close()


def test_pages_request_nothing_outside_the_site_and_raise_no_errors(visit: Visit) -> None:
    for relative in ("index.html", "disease/MONDO_0004976.html", "phenotype/HP_0002380.html",
                     "family-MONDO_0004976.html", "differences.html", "release.html"):
        page = visit.open(relative)
        page.fill("#search-box", "ORPHA:803")
        page.wait_for_selector("#search-results li")
        page.close()
    assert visit.requests, "no request was recorded"
    assert visit.outside() == []
    assert visit.problems == []
