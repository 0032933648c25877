"""The Python API's tables (issue 11 §4): ``to_pandas()`` on packaged and ad-hoc answers, and the
README's runnable example, executed on the session's ALS build."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from alskg.api import Graph, SparqlResults
from alskg.build import BuildResult
from alskg.cli import cli
from alskg.errors import UsageError
from alskg.results import render

from .conftest import REPO

GOLDEN = Path(__file__).parent / "golden"
README = REPO / "README.md"
EXAMPLE_MARK = "<!-- runnable-example -->"
OUTPUT_MARK = "<!-- runnable-example-output -->"


@pytest.fixture(scope="module")
def graph(built: BuildResult) -> Graph:
    return Graph.open(built.out_dir)


def golden_rows(name: str) -> list[list[str]]:
    """A checked-in answer as rows of TSV cells (header first)."""
    lines = (GOLDEN / f"{name}.tsv").read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines]


# -- to_pandas ------------------------------------------------------------------------------
def test_packaged_answer_to_pandas_has_the_query_columns_and_golden_rows(graph: Graph) -> None:
    answer = graph.query("disease-phenotypes-by-frequency", disease="GARD:0005786")
    frame = answer.to_pandas()
    header, *rows = golden_rows("disease-phenotypes-by-frequency")
    assert list(frame.columns) == answer.variables == header
    assert len(frame) == len(rows)
    assert frame["phenotype"].tolist() == [row[header.index("phenotype")] for row in rows]
    assert frame["association"].tolist() == [row[header.index("association")] for row in rows]
    assert frame.loc[0, "phenotype"] == "HP:0007354"
    assert frame["negated"].dtype == bool and not frame["negated"].any()
    # rows without a frequency keep None (object column), as .rows does
    assert frame["frequency"].tolist() == [row["frequency"] for row in answer.rows]
    assert frame["frequency"].dtype == object and frame["frequency"].isna().sum() == sum(
        1 for row in rows if row[header.index("frequency")] == "")


def test_sparql_answer_to_pandas_keeps_python_values_and_dtypes(graph: Graph) -> None:
    results = graph.sparql("""
        SELECT ?id ?count ?flag ?ratio ?amount ?day ?maybe WHERE {
          VALUES (?id ?count ?flag ?ratio ?amount ?day ?maybe) {
            (MONDO:0004976 3 true "0.5"^^xsd:double 1.25 "2018-09-27"^^xsd:date 7)
            (HP:0002380 12 false "1.5"^^xsd:double 2.50 "2020-01-02"^^xsd:date UNDEF)
          }
        } ORDER BY ?count""")
    assert isinstance(results, SparqlResults)
    frame = results.to_pandas()
    assert list(frame.columns) == ["id", "count", "flag", "ratio", "amount", "day", "maybe"]
    assert frame["id"].tolist() == ["MONDO:0004976", "HP:0002380"]
    assert frame["count"].dtype == "int64" and frame["count"].tolist() == [3, 12]
    assert frame["flag"].dtype == bool and frame["flag"].tolist() == [True, False]
    assert frame["ratio"].dtype == "float64" and frame["ratio"].tolist() == [0.5, 1.5]
    assert frame["amount"].tolist() == [Decimal("1.25"), Decimal("2.50")]
    assert frame["day"].tolist() == [dt.date(2018, 9, 27), dt.date(2020, 1, 2)]
    assert str(frame["maybe"].dtype) == "Int64"  # an unbound cell does not turn integers into floats
    assert frame["maybe"].iloc[0] == 7 and frame["maybe"].isna().tolist() == [False, True]
    assert results.typed_rows[1] == {"id": "HP:0002380", "count": 12, "flag": False, "ratio": 1.5,
                                     "amount": Decimal("2.50"), "day": dt.date(2020, 1, 2), "maybe": None}


def test_sparql_answer_with_no_rows_gives_an_empty_frame_with_its_columns(graph: Graph) -> None:
    frame = graph.sparql("SELECT ?b ?a WHERE { ?b rdfs:label ?a FILTER(?a = 'no such label at all') }").to_pandas()
    assert list(frame.columns) == ["b", "a"] and len(frame) == 0


def test_sparql_rows_stay_rdf_terms_for_the_command_line(graph: Graph) -> None:
    results = graph.sparql("SELECT ?label WHERE { MONDO:0004976 rdfs:label ?label }")
    assert [row["label"].value for row in results.rows] == ["Amyotrophic lateral sclerosis"]  # type: ignore[union-attr]
    assert results.typed_rows == [{"label": "Amyotrophic lateral sclerosis"}]
    assert render(results, "tsv") == "label\nAmyotrophic lateral sclerosis\n"


@pytest.mark.parametrize(("text", "form"), [("ASK { MONDO:0004976 ?p ?o }", "ASK"),
                                            ("CONSTRUCT { MONDO:0004976 ?p ?o } WHERE { MONDO:0004976 ?p ?o }",
                                             "CONSTRUCT")])
def test_to_pandas_refuses_answers_without_a_table(graph: Graph, text: str, form: str) -> None:
    with pytest.raises(UsageError) as caught:
        graph.sparql(text).to_pandas()
    assert form in str(caught.value) and "\n" not in str(caught.value)


def test_to_pandas_without_pandas_is_one_usage_error_line(graph: Graph, monkeypatch: pytest.MonkeyPatch) -> None:
    answer = graph.query("subtypes")
    monkeypatch.setitem(sys.modules, "pandas", None)  # `import pandas` now raises ImportError
    with pytest.raises(UsageError) as caught:
        answer.to_pandas()
    message = str(caught.value)
    assert "alskg[pandas]" in message and "\n" not in message
    assert answer.rows, "the rows stay available without pandas"


def test_pandas_is_an_optional_extra_pinned_in_pyproject() -> None:
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pin = f"pandas=={pd.__version__}"
    assert project["optional-dependencies"]["pandas"] == [pin]
    assert pin in project["optional-dependencies"]["test"]
    assert not any(dep.startswith("pandas") for dep in project["dependencies"])


# -- the command line is a layer over the API -----------------------------------------------
@pytest.mark.parametrize(("args", "api"), [
    (["query", "run", "subtypes", "-p", "disease=GARD:0005786"],
     lambda g: g.query("subtypes", disease="GARD:0005786").results),
    (["sparql", "SELECT ?l WHERE { MONDO:0004976 skos:altLabel|oboInOwl:hasExactSynonym ?l } ORDER BY ?l"],
     lambda g: g.sparql("SELECT ?l WHERE { MONDO:0004976 skos:altLabel|oboInOwl:hasExactSynonym ?l } ORDER BY ?l")),
], ids=["query-run", "sparql"])
def test_cli_prints_what_the_api_answers(built: BuildResult, graph: Graph, args: list[str], api: object) -> None:
    result = CliRunner().invoke(cli, [*args, "--build-dir", str(built.out_dir), "--format", "tsv"])
    assert result.exit_code == 0, result.output
    expected = render(api(graph), "tsv")  # type: ignore[operator]
    assert expected.count("\n") >= 2 and result.stdout == expected


def test_cli_search_prints_what_the_api_finds(built: BuildResult, graph: Graph) -> None:
    result = CliRunner().invoke(cli, ["search", "lou gehrig", "--build-dir", str(built.out_dir), "--format", "tsv"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split("\t")[0] for line in lines[1:]] == [hit.id for hit in graph.search("lou gehrig")]
    assert lines[1].startswith("MONDO:0004976\t")


# -- the README's runnable example ----------------------------------------------------------
def marked_block(text: str, mark: str) -> tuple[int, str, str]:
    """(line number, info string, body) of the fenced block right after the line ``mark``."""
    lines = text.splitlines()
    start = lines.index(mark) + 1
    assert lines[start].startswith("```"), f"README: no fenced block right after {mark}"
    end = lines.index("```", start + 1)
    return start + 2, lines[start][3:].strip(), "\n".join(lines[start + 1:end]) + "\n"


def test_readme_python_example_runs_and_prints_what_the_readme_shows(
        built: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    text = README.read_text(encoding="utf-8")
    line, info, code = marked_block(text, EXAMPLE_MARK)
    _, out_info, shown = marked_block(text, OUTPUT_MARK)
    assert info == "python" and out_info == "text"
    (tmp_path / "build").symlink_to(built.out_dir)  # the example opens "build", as after `make build`
    monkeypatch.chdir(tmp_path)
    exec(compile("\n" * (line - 1) + code, str(README), "exec"), {"__name__": "readme_example"})  # noqa: S102
    printed = capsys.readouterr().out
    assert printed == shown, "README's Python example prints something else now: update its output block"
    first, resolved, counts = printed.splitlines()[:3]
    assert first == "MONDO:0004976 Amyotrophic lateral sclerosis"
    assert resolved.startswith("resolved disease=GARD:0005786 to MONDO:0004976 ")
    golden = golden_rows("disease-phenotypes-by-frequency")[1:]  # golden: ALS by its node id
    release = sum(1 for row in golden if "ORPHA:803" in row)  # both layers sit on the one node (ADR 10)
    assert (len(golden), release) == (74, 47)
    assert counts == f"{len(golden)} phenotype rows; {release} read from the release's ORPHA:803"
