"""`alskg site` without a browser: page counts, determinism, TSV downloads equal to the CLI's
rows, JSON-LD, the search index, offline pages, and bad input (one line, exit 2)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from alskg.api import Graph
from alskg.build import BuildResult
from alskg.cli import cli
from alskg.errors import InputError
from alskg.site import SiteSummary, build_site
from alskg.site.gather import gather, page_groups
from alskg.site.pages import Site
from alskg.site.release import parse_sums
from tests.site.sitebuild import ALS

ALS_PAGE = "disease/MONDO_0004976.html"


def run_cli(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_site_writes_one_page_per_disease_of_the_family_and_per_phenotype(site: SiteSummary) -> None:
    # one page per disease of the family: the root and its 40 subclasses (disease nodes that are
    # exact matches of each other, as before diseases were normalised to MONDO cliques, share one)
    assert site.pages == {"disease": 41, "phenotype": 213, "family": 1, "differences": 1, "release": 1, "index": 1}
    assert len(list((site.out / "disease").glob("*.html"))) == 41
    assert len(list((site.out / "phenotype").glob("*.html"))) == 213
    assert (site.out / ALS_PAGE).is_file() and (site.out / "family-MONDO_0004976.html").is_file()
    assert len(list((site.out / "tables").glob("*.tsv"))) == site.tables


def test_two_runs_on_the_same_build_are_byte_identical(site: SiteSummary, built: BuildResult,
                                                       tmp_path: Path) -> None:
    again = build_site(built.out_dir, tmp_path / "again", "als")
    first = {p.relative_to(site.out): p.read_bytes() for p in site.out.rglob("*") if p.is_file()}
    second = {p.relative_to(again.out): p.read_bytes() for p in again.out.rglob("*") if p.is_file()}
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_phenotype_download_holds_the_cli_rows_of_the_page_group(site: SiteSummary, built: BuildResult) -> None:
    cli_lines = run_cli("query", "run", "disease-page-phenotypes", "--build-dir", str(built.out_dir),
                        "--format", "tsv").splitlines()
    page_lines = (site.out / "tables" / "MONDO_0004976-phenotypes.tsv").read_text(encoding="utf-8").splitlines()
    assert page_lines[0] == cli_lines[0]
    group = {"MONDO:0004976", "ORPHA:803"}
    wanted = [line for line in cli_lines[1:] if line.split("\t")[0] in group]
    assert sorted(page_lines[1:]) == sorted(wanted)
    assert len(wanted) == 27 + 47  # the page's 27 phenotypes and the release's 47 annotations


def test_drugs_download_is_byte_for_byte_the_cli_output(site: SiteSummary, built: BuildResult) -> None:
    printed = run_cli("query", "run", "drugs-and-approvals", "--param", f"disease={ALS}", "--build-dir",
                      str(built.out_dir), "--format", "tsv")
    assert (site.out / "tables" / "MONDO_0004976-drugs-and-approvals.tsv").read_text(encoding="utf-8") == printed


def test_differences_download_is_the_alskg_diff_tsv(site: SiteSummary) -> None:
    printed = run_cli("diff", "--format", "tsv")
    assert (site.out / "tables" / "differences.tsv").read_text(encoding="utf-8") == printed
    assert printed.count("\n") > 10


class _Scripts(HTMLParser):
    """Collects JSON-LD blocks and every URL a page would load (script, link, img, iframe…)."""

    def __init__(self) -> None:
        super().__init__()
        self.jsonld: list[str] = []
        self.loads: list[str] = []
        self.links: list[str] = []
        self.lang = ""
        self._in_jsonld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang") or ""
        if tag == "script" and values.get("type") == "application/ld+json":
            self._in_jsonld = True
            self.jsonld.append("")
        for key in ("src", "data"):
            if values.get(key):
                self.loads.append(values[key] or "")
        if tag == "link" and values.get("href"):
            self.loads.append(values["href"] or "")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_jsonld = False

    def handle_data(self, data: str) -> None:
        if self._in_jsonld:
            self.jsonld[-1] += data


def parsed(path: Path) -> _Scripts:
    parser = _Scripts()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_disease_page_embeds_medical_condition_json_ld(site: SiteSummary) -> None:
    blocks = parsed(site.out / ALS_PAGE).jsonld
    assert len(blocks) == 1
    doc = json.loads(blocks[0])
    assert doc["@type"] == "MedicalCondition" and doc["@context"] == "https://schema.org"
    assert doc["name"] == "Amyotrophic lateral sclerosis"
    assert "Lou Gehrig disease" in doc["alternateName"]
    codes = {(c["codingSystem"], c["codeValue"]) for c in doc["code"]}
    assert {("MONDO", "0004976"), ("ORPHA", "803"), ("GARD", "0005786"), ("UMLS", "C0002736")} <= codes
    signs = {s["code"]["codeValue"] for s in doc["signOrSymptom"]}
    assert "0002380" in signs  # Fasciculations (HP:0002380), annotated by the release
    assert {t["name"] for t in doc["possibleTreatment"]} == {"edaravone", "riluzole"}


def test_every_page_loads_only_files_of_the_site_and_declares_lang(site: SiteSummary) -> None:
    pages = sorted(site.out.rglob("*.html"))
    assert len(pages) == sum(site.pages.values())
    for page in pages:
        found = parsed(page)
        assert found.lang == "en", page
        for url in found.loads:
            assert urlsplit(url).scheme == "" and not url.startswith("//"), f"{page}: loads {url}"
            assert (page.parent / url).resolve().is_file(), f"{page}: {url} is not in the site"
        for url in found.links:
            if urlsplit(url).scheme == "":
                assert (page.parent / url).resolve().is_file(), f"{page}: broken link {url}"


def test_search_index_is_json_with_names_synonyms_and_ids(site: SiteSummary) -> None:
    index = json.loads((site.out / "search-index.json").read_text(encoding="utf-8"))
    assert index["fields"] == ["id", "label", "kind", "url", "names"]
    entries = {row[0]: row for row in index["entries"]}
    als = entries[ALS]
    assert als[3] == ALS_PAGE and "Lou Gehrig disease" in als[4] and "ORPHA:803" in als[4]
    assert sum(1 for row in index["entries"] if row[2] == "disease") == 41
    assert (site.out / "search-index.js").read_text(encoding="utf-8").startswith("window.ALSKG_SEARCH_INDEX = {")


def test_every_table_has_header_cells_and_a_download_in_its_caption(site: SiteSummary) -> None:
    checked = 0
    for page in sorted(site.out.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        for table in text.split("<table")[1:]:
            body = table.split("</table>")[0]
            caption = body.split("</caption>")[0]
            assert "<caption>" in caption and 'class="download"' in caption, f"{page}: a table without a download"
            assert "<th" in body, f"{page}: a table without header cells"
            checked += 1
    assert checked > 450
    assert (site.out / ALS_PAGE).read_text(encoding="utf-8").count("<table") >= 15


def test_negated_annotation_goes_to_the_not_panel_not_a_frequency_group(built: BuildResult) -> None:
    facts = gather(Graph.open(built.out_dir, timeout=None), lambda _: None)
    rows = facts["disease-page-phenotypes"].rows
    target = next(r for r in rows if r["layer"] == "ALSKG:source-hpo-phenotype-hpoa"
                  and r["disease"] in (ALS, "ORPHA:803") and r["phenotype_label"] == "Fasciculations")
    target["negated"] = "true"
    groups = page_groups(facts["disease-page-diseases"].rows)
    site = Site(facts, groups, sorted(groups))
    page = site.disease(ALS)
    assert [r["phenotype"] for r in page["excluded"]] == ["HP:0002380"]  # type: ignore[index]
    shown = [r["association"] for g in page["groups"] for r in g["rows"]]  # type: ignore[attr-defined]
    assert target["association"] not in shown and len(shown) == 27 + 47 - 1


def test_sha256sums_lines_are_parsed_and_a_bad_line_is_named() -> None:
    digest = "ab" * 32
    assert parse_sums(f"{digest}  alskg.nt.gz\n{digest.upper()} *kgx/nodes.tsv\n", Path("S")) == [
        (digest, "alskg.nt.gz"), (digest, "kgx/nodes.tsv")]
    with pytest.raises(InputError) as caught:
        parse_sums(f"{digest}  ok.nt\nnot-a-digest  x\n", Path("SHA256SUMS"))
    assert str(caught.value).startswith("SHA256SUMS:2: ")
    with pytest.raises(InputError):
        parse_sums(f"{digest}  ../outside\n", Path("SHA256SUMS"))


def test_release_page_links_files_with_their_checksums(built: BuildResult, tmp_path: Path) -> None:
    from alskg.site import render

    release = tmp_path / "release" / "alskg-0.1.0"
    release.mkdir(parents=True)
    (release / "SHA256SUMS").write_text(f"{'0' * 64}  alskg-0.1.0.nt.gz\n", encoding="utf-8")
    facts = gather(Graph.open(built.out_dir, timeout=None), lambda _: None)
    groups = page_groups(facts["disease-page-diseases"].rows)
    site = Site(facts, groups, [ALS])
    page = render._release(site, render.checksums(tmp_path / "release"), tmp_path / "site")
    assert page["files"] == [("alskg-0.1.0.nt.gz", "0" * 64, "../release/alskg-0.1.0/alskg-0.1.0.nt.gz")]


def test_site_with_a_bad_release_dir_fails_in_one_line_and_writes_nothing(built: BuildResult, tmp_path: Path) -> None:
    (tmp_path / "SHA256SUMS").write_text("zz  file\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["site", "--build-dir", str(built.out_dir), "--out", str(tmp_path / "out"),
                                      "--release-dir", str(tmp_path)], standalone_mode=False)
    assert isinstance(result.exception, InputError)
    assert str(result.exception).endswith("SHA256SUMS:1: not a SHA256SUMS line (want: 64 hex digits, two spaces, "
                                          "a relative file name) (value: 'zz  file')")
    assert not (tmp_path / "out").exists()


def test_site_of_a_missing_build_is_a_usage_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "alskg", "site", "--build-dir", str(tmp_path / "nope"), "--out",
                           str(tmp_path / "out")], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_site_refuses_to_replace_a_folder_it_did_not_write(built: BuildResult, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        build_site(built.out_dir, tmp_path, "als")
    assert "is not a site written by alskg site" in str(caught.value)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("script", ["bench_site.py", "screenshots.py"])
def test_site_scripts_print_help(script: str) -> None:
    import subprocess
    import sys

    scripts = Path(__file__).resolve().parents[2] / "scripts"
    done = subprocess.run([sys.executable, str(scripts / script), "--help"], capture_output=True, text=True,
                          timeout=60, check=False, cwd=scripts)
    assert done.returncode == 0 and done.stdout.startswith("usage:"), done.stderr
