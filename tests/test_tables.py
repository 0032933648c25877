"""The curated-table reader: each rule has a failing input next to a passing one."""

from __future__ import annotations

from pathlib import Path

import pytest

from alskg.errors import InputError
from alskg.sources.table_records import GeneRow
from alskg.sources.tables import TABLES, canonical_text, parse_table, read_table

GENES = TABLES["genes"]
HEADER = "disease\tgene\tsymbol\tpredicate\tsource"
GOOD_ROW = "MONDO:0007103\tNCBIGene:6647\tSOD1\tbiolink:causes\thpo:genes_to_phenotype.txt"
PATH = Path("genes.tsv")


def test_good_table_parses() -> None:
    rows = parse_table(GENES, f"{HEADER}\n{GOOD_ROW}\n", PATH)
    assert rows == [GeneRow(disease="MONDO:0007103", gene="NCBIGene:6647", symbol="SOD1",
                            predicate="biolink:causes", source="hpo:genes_to_phenotype.txt", line=2)]


@pytest.mark.parametrize(
    ("text", "line", "column", "needle"),
    [
        ("", 1, 1, "empty table"),
        ("disease\tgene\n", 1, 1, "header must be"),
        (f"{HEADER}\nMONDO:0007103\tNCBIGene:6647\tSOD1\n", 2, 1, "expected 5 tab-separated fields, found 3"),
        (f"{HEADER}\nMONDO:0007103\tNCBIGene 6647\tSOD1\tbiolink:causes\thpo:x\n", 2, 2, "malformed CURIE"),
        (f"{HEADER}\nMONDO:0007103\tNOSUCH:6647\tSOD1\tbiolink:causes\thpo:x\n", 2, 2, "unknown CURIE prefix"),
        (f"{HEADER}\nMONDO:0007103\tNCBIGene:6647\t\tbiolink:causes\thpo:x\n", 2, 3, "required column 'symbol'"),
        (f"{HEADER}\nMONDO:0007103\tNCBIGene:6647\tSOD1\tbiolink:treats\thpo:x\n", 2, 4, "must be one of"),
        (f"{HEADER}\nMONDO:0007103\tNCBIGene:6647\tSOD1 \tbiolink:causes\thpo:x\n", 2, 3, "spaces"),
        (f"{HEADER}\n{GOOD_ROW}\n{GOOD_ROW}\n", 3, 1, "duplicate key"),
    ],
    ids=["empty", "header", "field-count", "malformed-curie", "unknown-prefix", "required", "enum",
         "whitespace", "duplicate"],
)
def test_bad_tables_point_to_line_and_column(text: str, line: int, column: int, needle: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_table(GENES, text, PATH)
    err = caught.value
    assert (err.line, err.column) == (line, column)
    assert needle in str(err)
    assert str(err).startswith(f"genes.tsv:{line}:{column}: ")


def test_missing_table(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="missing data table"):
        read_table(GENES, tmp_path)


def test_non_utf8_table(tmp_path: Path) -> None:
    (tmp_path / "genes.tsv").write_bytes(HEADER.encode() + b"\n\xff\xfe\n")
    with pytest.raises(InputError, match="not UTF-8"):
        read_table(GENES, tmp_path)


def test_canonical_text_sorts_by_key() -> None:
    later = GOOD_ROW.replace("MONDO:0007103", "MONDO:0011691")
    rows = parse_table(GENES, f"{HEADER}\n{later}\n{GOOD_ROW}\n", PATH)
    assert canonical_text(GENES, rows) == f"{HEADER}\n{GOOD_ROW}\n{later}\n"


def test_publications_sort_numerically() -> None:
    spec = TABLES["publications"]
    header = "\t".join(spec.columns)

    def row(n: int) -> str:
        return "\t".join([str(n), f"PMID:{n}", "", "t", "", "2017", "", "", "", "", "", "gard:references"])

    rows = parse_table(spec, f"{header}\n{row(10)}\n{row(9)}\n", Path("publications.tsv"))
    assert canonical_text(spec, rows).splitlines()[1].startswith("9\t")


def test_data_tables_doc_lists_every_table_and_column() -> None:
    """docs/data-tables.md has one row per table spec, naming every column of it."""
    doc = (Path(__file__).resolve().parents[1] / "docs" / "data-tables.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(" `"): line for line in doc.splitlines() if line.startswith("| `")}
    problems = []
    for spec in TABLES.values():
        row = rows.get(spec.filename)
        if row is None:
            problems.append(f"{spec.filename}: no row")
            continue
        problems += [f"{spec.filename}: column {c!r} not named" for c in spec.columns if f"`{c}`" not in row]
    problems += [f"{name}: row for a table that has no spec" for name in rows.keys() - {s.filename for s in TABLES.values()}]
    assert not problems, "\n".join(problems)
