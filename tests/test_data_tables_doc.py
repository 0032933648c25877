"""docs/data-tables.md describes every curated table as the code declares it (it cannot drift).

The table of the doc is written by hand (it explains each column), so this test checks it against
``alskg.sources.tables.TABLES``: one row per table, the columns in their order, the key, and every
allowed value of an enumerated column.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from alskg.sources.tables import TABLES

DOC = Path(__file__).resolve().parents[1] / "docs" / "data-tables.md"


def _top_level(cell: str) -> str:
    """The cell without anything inside parentheses (the explanations)."""
    out, depth = [], 0
    for char in cell:
        depth += char == "("
        if depth == 0:
            out.append(char)
        depth -= char == ")" and depth > 0
    return "".join(out)


def _rows() -> dict[str, list[str]]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if line.startswith("| `") and cells[0].endswith(".tsv`"):
            rows[cells[0].strip("`")] = cells
    return rows


def test_every_table_and_only_those_are_described() -> None:
    assert sorted(_rows()) == sorted(spec.filename for spec in TABLES.values())


@pytest.mark.parametrize("name", sorted(TABLES))
def test_columns_key_and_allowed_values_match_the_code(name: str) -> None:
    spec = TABLES[name]
    _, _, key, columns = _rows()[spec.filename][:4]
    assert tuple(re.findall(r"`([a-z0-9_]+)`", _top_level(columns))) == spec.columns
    if key.startswith("`"):
        assert tuple(re.findall(r"`([a-z0-9_]+)`", _top_level(key))) == spec.key
    for column, values in spec.enums.items():
        for value in sorted(values - {""}):
            assert f"`{value}`" in columns, f"{spec.filename}: {column} value {value} is not documented"
