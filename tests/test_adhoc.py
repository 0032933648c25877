"""Ad-hoc SPARQL: the prologue parser, the prefixes put in front, and the commands as users run them."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib.plugins.sparql.parser import parseQuery

from alskg import vocab
from alskg.adhoc import MAX_QUERY_BYTES, parse_prologue, read_query, with_prefixes
from alskg.build import BuildResult
from alskg.errors import InputError
from alskg.queries import catalogue

from .test_cli import alskg, assert_one_line_error

PROLOGUES = {
    "SELECT * WHERE { ?s ?p ?o }": ({}, None),
    "PREFIX x: <http://x/> SELECT * {}": ({"x": "http://x/"}, None),
    "prefix x:<http://x/>prefix : <http://empty/> ASK {}": ({"x": "http://x/", "": "http://empty/"}, None),
    "# PREFIX commented: <http://no/>\nBASE <http://b/>\nPREFIX HP: <http://h#frag>  # PREFIX no: <http://no/>\nASK {}":
        ({"HP": "http://h#frag"}, "http://b/"),
    "PREFIX a.b-c_d: <http://x/> SELECT ('PREFIX y: <http://y/>' AS ?s) {}": ({"a.b-c_d": "http://x/"}, None),
    "PREFIX x: <http://x/>\nPREFIXY y: <http://y/> ASK {}": ({"x": "http://x/"}, None),  # a typo ends the prologue
    "PREFIX bad <http://x/> ASK {}": ({}, None),
}


@pytest.mark.parametrize("text", list(PROLOGUES))
def test_parse_prologue(text: str) -> None:
    prologue = parse_prologue(text)
    assert (prologue.prefixes, prologue.base) == PROLOGUES[text]


@pytest.mark.parametrize("text", [t for t in PROLOGUES if "PREFIXY" not in t and "bad" not in t]
                         + [q.text for q in catalogue().values()])
def test_prologue_agrees_with_rdflib(text: str) -> None:
    """rdflib's full SPARQL parser finds the same declarations."""
    declared = {str(d["prefix"]) if "prefix" in d else "": str(d["iri"])
                for d in parseQuery(text)[0] if d.name == "PrefixDecl"}
    assert parse_prologue(text).prefixes == declared


def test_with_prefixes_keeps_the_querys_own_and_its_lines() -> None:
    text = "PREFIX HP: <http://example.org/hp/>\nSELECT * WHERE {\n  ?s ?p ?o }"
    out = with_prefixes(text)
    assert out.endswith(text)
    declared = out[: -len(text)]
    assert declared.count("\n") == declared.count("PREFIX ")  # one declaration a line (rdflib misreads '#' IRIs otherwise)
    assert "PREFIX HP:" not in declared
    assert "PREFIX MONDO: <http://purl.obolibrary.org/obo/MONDO_>\n" in out
    assert parse_prologue(out).prefixes["HP"] == "http://example.org/hp/"


def test_read_query(tmp_path: Path) -> None:
    path = tmp_path / "q.txt"
    path.write_text("\ufeffASK {}", encoding="utf-8")
    assert read_query(str(path)) == ("ASK {}", str(path))
    assert read_query("-", io.BytesIO(b"ASK { }")) == ("ASK { }", "<stdin>")
    assert read_query("ASK {}") == ("ASK {}", None)
    with pytest.raises(InputError, match="missing query file"):
        read_query(str(tmp_path / "nosuch.sparql"))
    with pytest.raises(InputError, match="not UTF-8"):
        read_query("-", io.BytesIO(b"ASK {} \xff"))
    with pytest.raises(InputError, match="longer than"):
        read_query("-", io.BytesIO(b"#" * (MAX_QUERY_BYTES + 1)))


# -- the commands -------------------------------------------------------------------------
def test_sparql_prefixes_listing() -> None:
    proc = alskg("sparql", "--prefixes", "--format", "tsv")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "prefix\tnamespace"
    assert len(lines) == 1 + len(vocab.QUERY_PREFIXES)
    for line in ("HP\thttp://purl.obolibrary.org/obo/HP_", "MONDO\thttp://purl.obolibrary.org/obo/MONDO_",
                 "ORPHA\thttp://www.orpha.net/ORDO/Orphanet_", "NCBIGene\thttp://identifiers.org/ncbigene/",
                 "biolink\thttps://w3id.org/biolink/vocab/", "ALSKG\thttps://w3id.org/alskg/id/"):
        assert line in lines


def test_sparql_from_stdin(built: BuildResult) -> None:
    proc = subprocess.run([sys.executable, "-m", "alskg", "sparql", "-", "--build-dir", str(built.out_dir),
                           "--format", "tsv"], input="SELECT ?l WHERE { MONDO:0004976 rdfs:label ?l }",
                          capture_output=True, text=True, timeout=120)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "l\nAmyotrophic lateral sclerosis\n", "")


def test_sparql_file_with_base_and_own_prefix(built: BuildResult, tmp_path: Path) -> None:
    path = tmp_path / "query.txt"
    path.write_text("BASE <http://purl.obolibrary.org/obo/>\n"
                    "PREFIX HP: <http://example.org/hp/>\n"
                    "SELECT (STR(HP:x) AS ?mine) ?label WHERE { <MONDO_0004976> rdfs:label ?label }\n",
                    encoding="utf-8")
    proc = alskg("sparql", path, "--build-dir", built.out_dir, "--format", "tsv")
    assert (proc.returncode, proc.stdout) == (0, "mine\tlabel\nhttp://example.org/hp/x\tAmyotrophic lateral sclerosis\n")


def test_sparql_syntax_error_position_is_the_users(built: BuildResult) -> None:
    proc = alskg("sparql", "SELECT * WHERE { ?s ?p ", "--build-dir", built.out_dir)
    assert_one_line_error(proc, "SPARQL syntax error at line 1, column 18:")  # the user's line, not shifted by the declarations


def test_sparql_update_still_refused_with_prefixes(built: BuildResult) -> None:
    proc = alskg("sparql", 'INSERT DATA { MONDO:1 rdfs:label "x" }', "--build-dir", built.out_dir)
    assert_one_line_error(proc, "update operations are refused")


def test_sparql_missing_file_and_no_query(built: BuildResult) -> None:
    assert_one_line_error(alskg("sparql", "nosuch.sparql", "--build-dir", built.out_dir), "nosuch.sparql",
                          "missing query file")
    assert_one_line_error(alskg("sparql", "--build-dir", built.out_dir), "give a query text")


def test_query_run_reports_the_node_it_used(built: BuildResult) -> None:
    by_umls = alskg("query", "run", "disease-phenotypes-by-frequency", "-p", "disease=UMLS:C0002736",
                    "--build-dir", built.out_dir, "--format", "tsv")
    by_mondo = alskg("query", "run", "disease-phenotypes-by-frequency", "-p", "disease=MONDO:0004976",
                     "--build-dir", built.out_dir, "--format", "tsv")
    assert by_umls.returncode == 0
    assert by_umls.stderr == ("alskg: resolved disease=UMLS:C0002736 to MONDO:0004976 (Amyotrophic lateral "
                              "sclerosis) via skos:exactMatch\n")
    assert by_mondo.stderr == ("alskg: resolved disease=MONDO:0004976 to MONDO:0004976 (Amyotrophic lateral "
                               "sclerosis), the id itself\n")
    assert by_umls.stdout == by_mondo.stdout and by_umls.stdout.count("\n") >= 28


def test_query_run_orphanet_id(built: BuildResult) -> None:
    proc = alskg("query", "run", "disease-phenotypes-by-frequency", "-p", "disease=ORPHA:803",
                 "--build-dir", built.out_dir, "--format", "tsv")
    assert proc.returncode == 0
    line = proc.stderr.strip()
    assert line.startswith("alskg: resolved disease=ORPHA:803 to ") and "(Amyotrophic lateral sclerosis)" in line
    assert proc.stdout.count("\n") >= 28  # the release's 47 annotations (and, once normalised, the page's 27)


@pytest.mark.parametrize(("value", "needles"), [
    ("HP:0001250", ["disease=HP:0001250", "not in the graph", "did you mean"]),
    ("MONDO:9999999", ["disease=MONDO:9999999 is not in the graph", "did you mean MONDO:"]),
    ("HP:0007354", ["is a phenotype (Amyotrophic lateral sclerosis), not a disease",
                    "did you mean MONDO:0004976 (Amyotrophic lateral sclerosis)"]),
])
def test_query_run_unresolved_id_exits_2(built: BuildResult, value: str, needles: list[str]) -> None:
    proc = alskg("query", "run", "disease-phenotypes-by-frequency", "-p", f"disease={value}",
                 "--build-dir", built.out_dir)
    assert_one_line_error(proc, *needles)
    assert proc.stdout == ""


def test_query_run_parameter_given_twice(built: BuildResult) -> None:
    proc = alskg("query", "run", "subtypes", "-p", "disease=MONDO:0004976", "-p", "disease=MONDO:0004976",
                 "--build-dir", built.out_dir)
    assert_one_line_error(proc, "parameter 'disease' given twice")


def test_search_command(built: BuildResult) -> None:
    proc = alskg("search", "lou gehrig", "--build-dir", built.out_dir, "--format", "tsv")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (
        "id\tlabel\ttype\tmatch\tfield\tmatched\tscore\n"
        "MONDO:0004976\tAmyotrophic lateral sclerosis\tdisease\twords\texact synonym\tLou Gehrig disease\t55.6\n"
        "HP:0007354\tAmyotrophic lateral sclerosis\tphenotype\twords\tlay synonym\tLou Gehrig's disease\t52.6\n")
    proc = alskg("search", "SOD1", "--type", "gene", "--limit", "1", "--build-dir", built.out_dir, "--format", "csv")
    assert proc.stdout == "id,label,type,match,field,matched,score\nNCBIGene:6647,SOD1,gene,exact,label,SOD1,100\n"  # a decimal in its canonical form


def test_search_bad_options(built: BuildResult) -> None:
    assert_one_line_error(alskg("search", "als", "--type", "drug", "--build-dir", built.out_dir), "drug")
    assert_one_line_error(alskg("search", "als", "--limit", "0", "--build-dir", built.out_dir), "--limit")
