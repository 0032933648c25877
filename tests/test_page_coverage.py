"""Every sentence of the GARD page is held by curated rows or listed as left out, with its reason.

The page (``../shared/sources/gard-als-page.txt``) is split by :mod:`alskg.sources.page`;
``data/page_sentences.tsv`` names the rows holding each unit and ``docs/curation-notes.md``
quotes the units left out. Each rule of :mod:`alskg.sources.coverage` has a failing case below,
made by changing one thing in the real, passing data.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable

import pytest

from alskg.sources.coverage import LEFT_OUT_HEADING, coverage_problems, left_out_quotes
from alskg.sources.curated import CuratedData, read_curated
from alskg.sources.page import PageUnit, page_units, split_sentences
from alskg.sources.tables import TableRow

from .conftest import DATA, REPO

PAGE = REPO.parent / "shared" / "sources" / "gard-als-page.txt"
NOTES = REPO / "docs" / "curation-notes.md"


@pytest.fixture(scope="module")
def units() -> list[PageUnit]:
    if not PAGE.is_file():
        pytest.skip(f"GARD page not found at {PAGE}: page coverage not checked")
    return page_units(PAGE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def data() -> CuratedData:
    return read_curated(DATA)


@pytest.fixture(scope="module")
def notes() -> str:
    return NOTES.read_text(encoding="utf-8")


def test_every_unit_of_the_page_is_held_or_left_out(data: CuratedData, units: list[PageUnit], notes: str) -> None:
    problems = coverage_problems(data, units, notes)
    assert not problems, "\n".join(problems)


def test_coverage_figures(data: CuratedData, units: list[PageUnit], notes: str) -> None:
    held = [row for row in data["page_sentences"] if row["held_by"]]
    assert (len(units), len(held)) == (266, 189)
    assert len(left_out_quotes(notes)) == 71  # 77 left-out units, 71 distinct texts
    by_section = {u.section for u in units}
    assert by_section == {"names", "summary", "symptoms", "inheritance", "diagnosis", "treatment", "resources",
                          "references"}


def test_every_summary_and_treatment_sentence_is_held(data: CuratedData) -> None:
    """The sections with facts about ALS leave nothing out; only furniture and genetics basics are."""
    left = [row["unit"] for row in data["page_sentences"]
            if not row["held_by"] and row["section"] in {"summary", "diagnosis", "treatment", "references"}]
    assert left == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One.[1][2] Two [3]. Three?", ["One.[1][2]", "Two [3].", "Three?"]),
        ("JAN is run from the U.S. Department of Labor. Next.", ["JAN is run from the U.S. Department of Labor.",
                                                                 "Next."]),
        ("Kinsley L, Siddique T. Overview.", ["Kinsley L, Siddique T. Overview."]),
        ("About 10% of cases. 5-10% remain.", ["About 10% of cases.", "5-10% remain."]),
        ("ends with a heading", ["ends with a heading"]),
    ],
    ids=["markers-stay", "abbreviation", "initial", "digit-start", "no-period"],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_page_units_sections_and_bullet_markers() -> None:
    page = "\n".join([
        "Title", "Other Names:", "A; B", "Subtypes:", "C; D", "",
        "Summary one.[1] Summary two.", "Last updated: 1/1/2018",
        "Table cell", "Last updated: 1/1/2020",
        "Inheritance.[2]", "Last updated: 1/1/2017",
        "Diagnosis.", "Last updated: 1/1/2018",
        "Care is given by teams.[4]", "  • Nurses: Help.", "Last updated: 1/1/2018",
        "Resources", "  1. Ref one. Venue. 2015; http://x.org/.",
    ])
    units = {u.key: u for u in page_units(page)}
    assert [units[k].section for k in ("001.01", "005.01", "007.01", "009.01", "011.01", "013.01", "016.01",
                                       "018.01", "019.01")] == [
        "names", "names", "summary", "symptoms", "inheritance", "diagnosis", "treatment", "resources", "references"]
    assert units["007.01"].markers == ("1",) and units["007.02"].markers == ()
    assert units["016.01"].text == "Nurses: Help." and units["016.01"].line_markers == ("4",)
    assert units["019.01"].text == "1. Ref one. Venue. 2015; http://x.org/."


def _row(data: CuratedData, table: str, **match: str) -> TableRow:
    return next(r for r in data[table] if all(r[k] == v for k, v in match.items()))


def _change(data: CuratedData, table: str, match: dict[str, str], **cells: str) -> None:
    """Put a copy of the matching row with ``cells`` changed in its place (records are frozen)."""
    rows = data[table]
    rows[rows.index(_row(data, table, **match))] = dataclasses.replace(_row(data, table, **match), **cells)


def _retext(d: CuratedData) -> None:
    _change(d, "page_sentences", {"unit": "015.04"}, text="As the disease progresses, people become stronger.")


def _dangling(d: CuratedData) -> None:
    held_by = _row(d, "page_sentences", unit="015.04")["held_by"]
    _change(d, "page_sentences", {"unit": "015.04"}, held_by=held_by + ";characteristics:late-feature-flying")


def _wrong_section(d: CuratedData) -> None:
    held_by = _row(d, "page_sentences", unit="015.04")["held_by"]
    _change(d, "page_sentences", {"unit": "015.04"},
            held_by=held_by + ";characteristics:mode-share-x-linked-dominant")


def _row_not_held(d: CuratedData) -> None:
    _change(d, "page_sentences", {"unit": "015.04"}, held_by="characteristics:late-feature-progressive-weakness")


def _marker_not_cited(d: CuratedData) -> None:
    _change(d, "page_sentences", {"unit": "108.02"}, held_by="inheritance:MONDO:0004976|HP:0001423|gard:inheritance")


def _ref_not_on_paragraph(d: CuratedData) -> None:
    _change(d, "care_roles", {"id": "ALSKG:role-physician"}, refs="4;8")


def _left_out_not_listed(d: CuratedData) -> None:
    _change(d, "page_sentences", {"unit": "118.08"}, held_by="")


Mutation = Callable[[CuratedData], None]


@pytest.mark.parametrize(
    ("mutate", "needle"),
    [
        (_retext, "unit 015.04 differs from the page"),
        (_dangling, "characteristics:late-feature-flying names no row"),
        (_wrong_section, "holds a summary unit but its source lacks gard:summary"),
        (_row_not_held, "late-feature-loss-of-ambulation cites gard:summary but no unit of it is held"),
        (_marker_not_cited, "the unit cites ['2'] but no row holding it cites them all"),
        (_ref_not_on_paragraph, "role-physician cites ['8'], which no paragraph holding it carries"),
        (_left_out_not_listed, "left-out unit not listed under"),
    ],
    ids=["text-differs", "dangling-pointer", "wrong-section", "row-not-held", "marker-not-cited",
         "ref-not-on-paragraph", "left-out-not-listed"],
)
def test_each_coverage_rule_fails_when_broken(
    mutate: Mutation, needle: str, data: CuratedData, units: list[PageUnit], notes: str
) -> None:
    broken = copy.deepcopy(data)
    mutate(broken)
    problems = coverage_problems(broken, units, notes)
    assert any(needle in p for p in problems), "\n".join(problems) or "no problems found"


def test_stale_left_out_quote_is_reported(data: CuratedData, units: list[PageUnit], notes: str) -> None:
    stale = notes.replace(LEFT_OUT_HEADING + "\n", LEFT_OUT_HEADING + '\n\n- "A sentence the page never had."\n', 1)
    problems = coverage_problems(data, units, stale)
    assert problems == ["curation-notes.md: listed as left out but not a left-out unit of the page: "
                        "'A sentence the page never had.'"]


def test_missing_unit_row_is_reported(data: CuratedData, units: list[PageUnit], notes: str) -> None:
    broken = copy.deepcopy(data)
    broken.tables["page_sentences"] = [r for r in broken["page_sentences"] if r["unit"] != "204.04"]
    problems = coverage_problems(broken, units, notes)
    assert "page_sentences.tsv: unit 204.04 missing: 'See answer'" in problems


def test_left_out_quotes_reads_only_its_section() -> None:
    notes = f'# N\n- "not this"\n{LEFT_OUT_HEADING}\n### why\n- "this one"\ntext\n## Next\n- "nor this"\n'
    assert left_out_quotes(notes) == ["this one"]
    assert left_out_quotes("no heading here") == []


def test_page_file_is_the_pinned_one(units: list[PageUnit]) -> None:
    """The units start and end where the pinned page does (a changed page must be re-curated)."""
    assert units[0].text.startswith("National Center for Advancing")
    assert units[-1].text.startswith("8. Brooks M. FDA Clears Liquid Riluzole (Tiglutik)")

