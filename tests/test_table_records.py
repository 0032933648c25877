"""The typed record of each curated table: generated from its spec, fresh, and read back."""

from __future__ import annotations

import dataclasses
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from alskg.sources import table_records
from alskg.sources.table_records import RECORDS, DiseaseRow, GeneRow, TableRow
from alskg.sources.tables import TABLES, TableSpec, canonical_text, parse_table, read_rows, records_module_source

REPO = Path(__file__).resolve().parents[1]


def test_records_module_is_fresh() -> None:
    """table_records.py is exactly what the specs generate: run scripts/gen_records.py if not."""
    assert Path(table_records.__file__).read_text(encoding="utf-8") == records_module_source(), \
        "src/alskg/sources/table_records.py is stale: run python scripts/gen_records.py"


def test_gen_records_check_passes_on_a_fresh_module() -> None:
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "gen_records.py"), "--check"],
                          capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (0, "")


@pytest.mark.parametrize("name", sorted(TABLES))
def test_each_table_has_its_record_with_the_spec_columns(name: str) -> None:
    spec = TABLES[name]
    record = RECORDS[name]
    assert spec.record_class is record and record.__name__ == spec.record and record.TABLE == name
    assert tuple(f.name for f in dataclasses.fields(record)) == (*spec.columns, "line")
    assert record.COLUMNS == spec.columns and issubclass(record, TableRow)


def test_a_new_spec_generates_a_new_class(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The generator follows the spec: a table added there is a class here, no hand-written code."""
    spec = TableSpec("widgets", "WidgetRow", ("id", "label"), ("id",), frozenset({"id"}))
    path = tmp_path / "widget_records.py"
    path.write_text(records_module_source([spec]), encoding="utf-8")
    found = importlib.util.spec_from_file_location("widget_records", path)
    assert found is not None and found.loader is not None
    module = importlib.util.module_from_spec(found)
    monkeypatch.setitem(sys.modules, "widget_records", module)  # dataclasses resolve ClassVar through it
    found.loader.exec_module(module)
    widget = module.WidgetRow(id="X:1", label="one", line=3)
    assert (widget.id, widget["label"], widget.line, widget.cells()) == ("X:1", "one", 3, ("X:1", "one"))
    assert module.RECORDS == {"widgets": module.WidgetRow}


def test_a_record_is_frozen_and_reads_by_name() -> None:
    row = GeneRow(disease="MONDO:0007103", gene="NCBIGene:6647", symbol="SOD1", predicate="biolink:causes",
                  source="hpo:genes_to_phenotype.txt", line=2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.symbol = "X"  # type: ignore[misc]
    with pytest.raises(KeyError):
        row["no_such_column"]
    assert (row["symbol"], row.get("refs"), row.get("refs", "-"), row["__line__"]) == ("SOD1", "", "-", "2")
    assert row.as_dict() == {"disease": "MONDO:0007103", "gene": "NCBIGene:6647", "symbol": "SOD1",
                             "predicate": "biolink:causes", "source": "hpo:genes_to_phenotype.txt"}


def test_records_and_mappings_render_the_same_canonical_text() -> None:
    spec = TABLES["genes"]
    text = "disease\tgene\tsymbol\tpredicate\tsource\nMONDO:0007103\tNCBIGene:6647\tSOD1\tbiolink:causes\thpo:x\n"
    rows = parse_table(spec, text, Path("genes.tsv"))
    assert canonical_text(spec, rows) == canonical_text(spec, [r.as_dict() for r in rows]) == text


def test_read_rows_gives_the_typed_rows_of_the_shipped_data() -> None:
    diseases = read_rows(DiseaseRow, REPO / "data")
    assert all(type(row) is DiseaseRow for row in diseases)
    als = next(row for row in diseases if row.id == "MONDO:0004976")
    assert (als.role, als.line > 1) == ("disease", True)
