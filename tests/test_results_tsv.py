"""TSV lines: escaped per cell only where a cell needs it, always as the per-cell escape does."""

from __future__ import annotations

import pytest

from alskg.results import _tsv_cell, tsv_line


@pytest.mark.parametrize("cells", [
    ["MONDO:0004976", "HP:0002380", "Fasciculations", ""],
    ["a\tb", "c"],            # a tab inside a cell: the joined line has one tab too many
    ["back\\slash", "x"],
    ["line\nbreak", "x"],
    ["carriage\rreturn"],
    ["", ""],
    ["only"],
    [],
])
def test_tsv_line_equals_escaping_every_cell(cells: list[str]) -> None:
    assert tsv_line(cells) == "\t".join(_tsv_cell(c) for c in cells)


def test_an_escaped_tab_stays_one_cell() -> None:
    assert tsv_line(["a\tb", "c"]).split("\t") == ["a\\tb", "c"]
