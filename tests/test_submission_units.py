"""Submission checker internals: format detection, positions, report renderings, helpers."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest

from alskg.errors import InputError
from alskg.rdf.hpoa import annotation_key
from alskg.submission import check as check_module
from alskg.submission.check import CheckOptions, check_file, check_submission, read_bytes, read_submission
from alskg.submission.reader import detect_format
from alskg.submission.report import render
from alskg.submission.row_rules import disease_suggestion, hp_suggestion, orcid_checksum_ok
from alskg.submission.rules import RULES, RuleFinding, rules_markdown

from .conftest import DATA
from .test_submission_support import FIXTURES, TODAY, reference

GOOD = DATA / "examples" / "good-submission.tsv"
BAD = DATA / "examples" / "bad-submission.tsv"
OPTIONS = CheckOptions(today=TODAY)
HEADER = ("database_id\tdisease_name\tqualifier\thpo_id\treference\tevidence\tonset\tfrequency\tsex\tmodifier"
          "\taspect\tbiocuration")
ROW = ("ORPHA:803\tAmyotrophic lateral sclerosis\t\tHP:0002380\tPMID:24562058\tPCS\t\t12/20\t\t\tP"
       "\tHPO:jdoe[2025-03-01]")


@pytest.mark.parametrize(("name", "head", "fmt"), [
    ("a.tsv", b"@prefix x: <http://x/> .", "hpoa"),
    ("a.ttl", b"ORPHA:803\tx", "ttl"),
    ("a.nt", b"", "nt"),
    ("a.txt", b"#version: 2025\n" + HEADER.encode(), "hpoa"),
    ("a.txt", b"# comment\n@prefix x: <http://x/> .\n", "ttl"),
    ("a.txt", b"PREFIX x: <http://x/>\n", "ttl"),
    ("a.txt", b"<http://a> <http://b> <http://c> .\n", "nt"),
    ("a.txt", b"<http://a> <http://b> <http://c> ;\n <http://d> 1 .\n", "ttl"),
    ("a", b"\xef\xbb\xbf" + ROW.encode(), "hpoa"),
])
def test_format_from_extension_then_content(name: str, head: bytes, fmt: str) -> None:
    assert detect_format(Path(name), head) == fmt


def test_input_format_overrides_the_extension(tmp_path: Path) -> None:
    turtle = (FIXTURES / "SHACL--pass.ttl").read_bytes()
    path = tmp_path / "curated.tsv"
    path.write_bytes(turtle)
    assert read_submission(path, turtle, "ttl").format == "ttl"
    as_tsv = check_file(path, reference(), OPTIONS)  # by extension: read as a table, and found wanting
    assert {f.rule for f in as_tsv.findings} >= {"HPOA-STRUCT-FIELDS"}
    as_ttl = check_file(path, reference(), replace(OPTIONS, input_format="ttl"))
    assert as_ttl.findings == [] and as_ttl.rows == 1


def test_rdf_syntax_error_is_an_input_error_with_position(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text("@prefix a: <http://a/> .\na:b a:c a:d\na:e a:f .\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        check_file(path, reference(), OPTIONS)
    assert err.value.line == 3 and err.value.column is not None
    assert str(err.value).startswith(f"{path}:3:")


@pytest.mark.parametrize("make", [lambda p: p / "missing.tsv", lambda p: p])
def test_missing_or_folder_is_an_input_error(tmp_path: Path, make: object) -> None:
    with pytest.raises(InputError):
        read_bytes(make(tmp_path))  # type: ignore[operator]


def test_unknown_input_format_is_a_usage_error() -> None:
    with pytest.raises(InputError):
        read_submission(GOOD, b"", "csv")


def test_row_key_is_the_mappers_annotation_key() -> None:
    submission = read_submission(BAD, BAD.read_bytes())
    for row in submission.rows:
        assert row.key() == annotation_key(row.annotation())


def test_bom_and_crlf_do_not_shift_columns() -> None:
    data = ("\ufeff" + HEADER + "\r\n" + ROW.replace("PMID:24562058", "PMID:2129640X") + "\r\n").encode()
    report = check_submission(read_submission(Path("x.tsv"), data), reference(), OPTIONS)
    [f] = report.findings
    assert (f.rule, f.line, f.column) == ("HPOA-VALUE-REFERENCE", 2, ROW.index("PMID:") + 1)


def test_headerless_rows_start_at_line_one() -> None:
    data = (ROW.replace("\tP\t", "\tX\t") + "\n").encode()
    report = check_submission(read_submission(Path("x.tsv"), data), reference(), OPTIONS)
    assert [(f.rule, f.line) for f in report.findings] == [("HPOA-VALUE-ASPECT", 1)]


def test_each_finding_names_the_rows_association() -> None:
    report = check_file(BAD, reference(), OPTIONS)
    assert all(f.focus.startswith("https://w3id.org/alskg/id/assoc-") for f in report.findings)


def test_helpers() -> None:
    assert orcid_checksum_ok("0000-0002-1825-0097") and orcid_checksum_ok("0000-0002-0736-9199")
    assert not orcid_checksum_ok("0000-0002-1825-0098")
    assert hp_suggestion("HP_0001250") == hp_suggestion("hp:1250") == "HP:0001250"
    assert hp_suggestion("http://purl.obolibrary.org/obo/HP_0001250") == "HP:0001250"
    assert hp_suggestion("fasciculations") == ""
    assert disease_suggestion("Orphanet:803") == "ORPHA:803"
    assert disease_suggestion("MIM:105400") == "OMIM:105400"


def test_shacl_pass_can_be_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    never = check_file(GOOD, reference(), replace(OPTIONS, shacl="never"))
    assert not never.shacl.ran
    monkeypatch.setattr(check_module, "SHACL_AUTO_LIMIT", 3)
    auto = check_file(GOOD, reference(), OPTIONS)
    assert not auto.shacl.ran and "7 rows > 3" in auto.shacl.note
    always = check_file(GOOD, reference(), replace(OPTIONS, shacl="always"))
    assert always.shacl.ran and always.shacl.rows == 7


# --- the report ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bad_report() -> object:
    return check_file(BAD, reference(), replace(OPTIONS, display_name="bad-submission.tsv"))


def test_text_report_starts_with_the_summary(bad_report: object) -> None:
    text = render(bad_report, "text")  # type: ignore[arg-type]
    lines = text.splitlines()
    assert lines[0].startswith("file: bad-submission.tsv (HPOA TSV, 14 annotations, sha256 ")
    assert lines[1].startswith("checked against: HPO release 2025-01-16 (phenotype.hpoa 2025-01-16); shapes 0.1.0")
    assert lines[4] == "findings: 12 errors, 2 warnings, 1 info"
    assert lines[6] == "verdict: FAIL (findings at or above error)"
    assert "\x1b[" not in text
    assert "bad-submission.tsv:5:42: error HPOA-ID-ALT [hpo_id] 'HP:0002468' (Fasciculations): " in text
    assert "\x1b[31m" in render(bad_report, "text", colour=True)  # type: ignore[arg-type]


def test_json_report(bad_report: object) -> None:
    doc = json.loads(render(bad_report, "json"))  # type: ignore[arg-type]
    assert doc["counts"] == {"error": 12, "warning": 2, "info": 1}
    assert doc["verdict"] == "FAIL" and doc["hpo_release"] == "2025-01-16"
    assert sum(doc["by_rule"].values()) == len(doc["findings"]) == 15
    first = doc["findings"][0]
    assert {k: first[k] for k in ("file", "line", "column", "severity", "rule", "field", "value")} == {
        "file": "bad-submission.tsv", "line": 4, "column": 1, "severity": "error", "rule": "HPOA-ID-CURIE",
        "field": "database_id", "value": "Orphanet:803"}


def test_tsv_report(bad_report: object) -> None:
    lines = render(bad_report, "tsv").splitlines()  # type: ignore[arg-type]
    summary = [line for line in lines if line.startswith("# ")]
    rows = [line.split("\t") for line in lines if not line.startswith("# ")]
    assert len(summary) == 7
    assert rows[0] == ["file", "line", "column", "severity", "rule", "field", "value", "label", "message", "suggestion"]
    assert len(rows) == 16 and all(len(r) == 10 for r in rows)


def test_turtle_report_is_a_shacl_validation_report(bad_report: object) -> None:
    text = render(bad_report, "ttl")  # type: ignore[arg-type]
    store = ox.Store()
    store.load(text.encode(), format=ox.RdfFormat.TURTLE)
    rows = list(store.query("""
        PREFIX sh: <http://www.w3.org/ns/shacl#> PREFIX alskg: <https://w3id.org/alskg/vocab/>
        SELECT ?rule ?line ?column ?sev WHERE { ?r a sh:ValidationReport ; sh:conforms false ; sh:result ?x .
          ?x a sh:ValidationResult ; alskg:rule_id ?rule ; alskg:line ?line ; alskg:column ?column ;
             sh:resultSeverity ?sev ; sh:focusNode ?f ; sh:sourceConstraintComponent ?c ; sh:resultMessage ?m }"""))
    assert len(rows) == 15
    found = {(r["rule"].value, int(r["line"].value), int(r["column"].value)) for r in rows}
    assert ("HPOA-CONSIST-GRAPH-DUPLICATE", 15, 1) in found


def test_fail_on_thresholds() -> None:
    def report_of(severities: list[str]) -> object:
        report = check_file(GOOD, reference(), OPTIONS)
        report.findings = [RuleFinding("HPOA-X", s, 1, 1, "", "", "") for s in severities]
        return report

    warned = report_of(["warning", "info"])
    assert not warned.fails("error") and warned.fails("warning") and not warned.fails("none")  # type: ignore[attr-defined]
    informed = report_of(["info"])
    assert not informed.fails("warning")  # type: ignore[attr-defined]
    assert report_of(["error"]).fails("error")  # type: ignore[attr-defined]


def test_rule_table_lists_every_rule() -> None:
    table = rules_markdown()
    for rule_id, rule in RULES.items():
        assert f"| `{rule_id}` | {rule.severity} |" in table
    assert "| `SHACL-*` |" in table


def test_readme_rule_table_is_the_generated_one() -> None:
    """The README documents every rule: its table is `alskg check --list-rules`, verbatim."""
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert rules_markdown().strip() in readme, "regenerate the README table with `alskg check --list-rules`"


# --- regressions --------------------------------------------------------------------------------

def _check_text(name: str, text: str) -> object:
    return check_submission(read_submission(Path(name), text.encode()), reference(), replace(OPTIONS, shacl="always"))


def test_url_with_characters_iris_cannot_hold_is_a_finding_not_a_crash() -> None:
    """Regression: a reference URL with '"' or '{' passed the rule and made the mapper raise in the SHACL pass."""
    report = _check_text("x.tsv", ROW.replace("PMID:24562058", 'https://example.org/a"b{c}').replace("PCS", "TAS") + "\n")
    assert [(f.rule, f.value) for f in report.findings] == [("HPOA-VALUE-REFERENCE", 'https://example.org/a"b{c}')]  # type: ignore[attr-defined]


def test_curator_prefix_with_digits_is_a_finding_not_a_crash() -> None:
    """Regression: the rule accepted HPO2:name[date], which the mapper's biocuration pattern rejects."""
    report = _check_text("x.tsv", ROW.replace("HPO:jdoe", "HPO2:jdoe") + "\n")
    assert [f.rule for f in report.findings] == ["HPOA-VALUE-BIOCURATION"]  # type: ignore[attr-defined]


def test_rdf_triple_terms_do_not_break_the_shacl_pass() -> None:
    """Regression: RDF 1.2 triple terms were written back as N-Triples lines, which did not parse."""
    report = _check_text("x.ttl", "@prefix a: <http://a/> .\n<< a:s a:p a:o >> a:q a:r .\na:x a:y <<( a:s a:p a:o )>> .\n")
    assert [f.rule for f in report.findings] == ["HPOA-STRUCT-EMPTY"]  # type: ignore[attr-defined]
