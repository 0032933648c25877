"""Property-based: a valid submission, mutated at random, always ends in a report or a clean
InputError — never another exception, never a hang (each example has a deadline).

Mutations: byte flips, truncation, swapped columns, inserted random Unicode, repeated and
dropped lines; on the HPOA example and on the Turtle and N-Triples fixtures. Every report is
rendered in all four formats.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alskg.errors import InputError
from alskg.submission.check import CheckOptions, check_submission, read_submission
from alskg.submission.report import REPORT_FORMATS, render

from .conftest import DATA
from .test_submission_support import FIXTURES, TODAY, reference

BASES = {
    "submission.tsv": (DATA / "examples" / "good-submission.tsv").read_bytes(),
    "submission.ttl": (FIXTURES / "SHACL--pass.ttl").read_bytes(),
    "submission.nt": (FIXTURES / "SHACL--pass.nt").read_bytes(),
}
OPTIONS = CheckOptions(shacl="always", today=TODAY)
FUZZ = settings(max_examples=40, deadline=3000, suppress_health_check=[HealthCheck.too_slow], derandomize=True)


def outcome(name: str, data: bytes) -> None:
    """Check ``data`` as file ``name``: a rendered report, or a clean InputError."""
    try:
        submission = read_submission(Path(name), data)
    except InputError as exc:
        assert str(exc)  # a message a curator can read
        return
    report = check_submission(submission, reference(), OPTIONS)
    for fmt in REPORT_FORMATS:
        assert render(report, fmt)
    for f in report.findings:
        assert f.line >= 0 and f.column >= 0 and f.severity in ("error", "warning", "info")


names = st.sampled_from(sorted(BASES))


@st.composite
def byte_flips(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(names)
    data = bytearray(BASES[name])
    for _ in range(draw(st.integers(1, 12))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return name, bytes(data)


@st.composite
def truncations(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(names)
    return name, BASES[name][:draw(st.integers(0, len(BASES[name])))]


@st.composite
def swapped_columns(draw: st.DrawFn) -> tuple[str, bytes]:
    lines = BASES["submission.tsv"].decode().split("\n")
    for _ in range(draw(st.integers(1, 4))):
        k = draw(st.integers(3, len(lines) - 2))
        fields = lines[k].split("\t")
        i, j = draw(st.integers(0, len(fields) - 1)), draw(st.integers(0, len(fields) - 1))
        fields[i], fields[j] = fields[j], fields[i]
        lines[k] = "\t".join(fields)
    return "submission.tsv", "\n".join(lines).encode()


@st.composite
def unicode_inserted(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(names)
    text = BASES[name].decode()
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.text(min_size=1, max_size=12)) + text[at:]
    return name, text.encode("utf-8", "surrogatepass")


@st.composite
def lines_shuffled(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(names)
    lines = BASES[name].split(b"\n")
    for _ in range(draw(st.integers(1, 6))):
        k = draw(st.integers(0, len(lines) - 1))
        if draw(st.booleans()):
            lines.insert(k, lines[k])
        elif len(lines) > 1:
            del lines[k]
    return name, b"\n".join(lines)


@FUZZ
@given(byte_flips())
def test_byte_flips(case: tuple[str, bytes]) -> None:
    outcome(*case)


@FUZZ
@given(truncations())
def test_truncation(case: tuple[str, bytes]) -> None:
    outcome(*case)


@FUZZ
@given(swapped_columns())
def test_swapped_columns(case: tuple[str, bytes]) -> None:
    outcome(*case)


@FUZZ
@given(unicode_inserted())
def test_random_unicode(case: tuple[str, bytes]) -> None:
    outcome(*case)


@FUZZ
@given(lines_shuffled())
def test_repeated_and_dropped_lines(case: tuple[str, bytes]) -> None:
    outcome(*case)


_COLUMN_VALUES = {
    "database_id": ["ORPHA:803", "OMIM:105400", "DECIPHER:1", "Orphanet:803", "OMIM:1"],
    "disease_name": ["Amyotrophic lateral sclerosis", "ALS", ""],
    "qualifier": ["", "NOT", "not"],
    "hpo_id": ["HP:0002380", "HP:0002468", "HP:0006983", "HP:0000006", "HP:9999999", "HP_0002380"],
    "reference": ["PMID:24562058", "ORPHA:803", "ISBN-13:978-0-19", "https://example.org/x", "PMID:1;OMIM:105400"],
    "evidence": ["PCS", "TAS", "IEA", "ICE"],
    "onset": ["", "HP:0003581", "HP:0002380"],
    "frequency": ["", "3/7", "0/4", "7/3", "25%", "0%", "100.5%", "HP:0040283", "HP:0040286"],
    "sex": ["", "MALE", "FEMALE", "male"],
    "modifier": ["", "HP:0012828", "HP:0012828;HP:0003678", "HP:0002380"],
    "aspect": ["P", "I", "C", "M", "H", "X"],
    "biocuration": ["HPO:jdoe[2025-03-01]", "ORCID:0000-0002-1825-0097[2025-03-01]", "HP:probinson[2020-01-01]"],
}


@st.composite
def rows(draw: st.DrawFn) -> tuple[str, bytes]:
    """Rows whose cells are typical good and bad values, or random printable text."""
    out = []
    for _ in range(draw(st.integers(1, 4))):
        cells = [draw(st.one_of(st.sampled_from(values), st.text(st.characters(blacklist_categories=["Cc", "Cs"]),
                                                                  max_size=15)))
                 for values in _COLUMN_VALUES.values()]
        out.append("\t".join(cells))
    return "submission.tsv", ("\n".join(out) + "\n").encode()


@FUZZ
@given(rows())
def test_rows_without_errors_always_map(case: tuple[str, bytes]) -> None:
    """A row the rules pass is mapped by the HPOA mapper in the SHACL pass; the mapper must
    never reject it (that would surface as an InputError here)."""
    outcome(*case)
