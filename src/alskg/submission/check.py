"""``alskg check``: read a submission, apply every rule, return a :class:`SubmissionReport`.

Order: the reader (structure: ``HPOA-STRUCT-*``), the row rules (identifiers, labels,
hierarchy, values), the file rules (duplicates, negation, the graph), then the SHACL pass on
the rows without errors. The reference data (:class:`~.reference.ReferenceData`: the ontology,
read once, and the rest) is loaded by the caller and can be reused for many files.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from alskg import vocab
from alskg.errors import InputError, UsageError
from alskg.memory import collector_paused
from alskg.rdf.submissions import SubmissionRecord

from .file_rules import against_graph, within_file
from .rdf_reader import read_rdf
from .reader import FORMATS, detect_format, read_hpoa
from .records import Submission, SubmittedRow
from .reference import ReferenceData
from .report import SubmissionReport
from .row_rules import RowRules
from .rules import ERROR, RuleFinding, finding
from .shacl_pass import ShaclSummary, shacl_hpoa, shacl_rdf

SHACL_MODES = ("auto", "always", "never")
#: In ``auto`` mode, larger submissions skip the SHACL pass (the row rules cover its constraints).
SHACL_AUTO_LIMIT = 50_000


@dataclass(frozen=True)
class CheckOptions:
    """How to check: input format (auto = from extension and content), SHACL mode, today's date."""

    input_format: str = "auto"
    shacl: str = "auto"
    today: date | None = None
    display_name: str | None = None


def read_bytes(path: Path) -> bytes:
    """The file's bytes; a missing or unreadable file is an InputError (exit 2)."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("missing submission file", path) from None
    except IsADirectoryError:
        raise InputError("a folder, not a submission file", path) from None
    except PermissionError:
        raise InputError("cannot read the submission file (permission denied)", path) from None


def read_submission(path: Path, data: bytes, input_format: str = "auto") -> Submission:
    """Parse ``data`` (the bytes of ``path``) as HPOA TSV, Turtle or N-Triples."""
    if input_format not in ("auto", *FORMATS):
        raise UsageError(f"unknown input format: choose auto, {', '.join(FORMATS)}", value=input_format)
    fmt = detect_format(path, data[:65536]) if input_format == "auto" else input_format
    sha256 = hashlib.sha256(data).hexdigest()
    with collector_paused():
        return read_hpoa(path, data, sha256) if fmt == "hpoa" else read_rdf(path, data, fmt, sha256)


def _focus(row: SubmittedRow) -> str:
    """The association IRI of a row: as written (RDF), or as the HPOA mapper mints it."""
    if row.node:
        return row.node[1:-1] if row.node.startswith("<") else row.node
    return vocab.mint("assoc", "hpoa", *row.key()).value


def row_findings(rows: list[SubmittedRow], rules: RowRules) -> tuple[list[RuleFinding], list[SubmittedRow]]:
    """Row-rule findings (each about its row's association), and the rows without errors."""
    out: list[RuleFinding] = []
    clean: list[SubmittedRow] = []
    for row in rows:
        found = list(rules.check(row))
        if found:
            focus = _focus(row)
            out += [replace(f, focus=focus) for f in found]
        if not any(f.severity == ERROR for f in found):
            clean.append(row)
    return out, clean


def _compared(reference: ReferenceData, submission: Submission) -> tuple[str, bool]:
    """What the consistency rules compare with, and whether to compare with the release at all."""
    is_release = submission.sha256 == reference.hpoa_sha256
    release = (f"phenotype.hpoa {reference.hpoa_version} ({reference.release.count:,} annotations)"
               if not is_release else "not the release (this file is the release's phenotype.hpoa itself)")
    merged = f"{reference.merged.count:,} merged submission annotations" if reference.data_dir else "no data folder"
    mondo = "MONDO mappings" if reference.mondo_dir else "no MONDO mappings"
    return f"{release}; {merged}; curated tables; {mondo}", not is_release


def file_findings(submission: Submission, reference: ReferenceData, with_release: bool) -> list[RuleFinding]:
    """The rules across rows: within the file, and against the release and merged submissions."""
    stores = ([reference.release] if with_release else []) + [reference.merged]
    by_line = {row.line: row for row in submission.rows}
    return [replace(f, focus=_focus(by_line[f.line])) if f.line in by_line else f
            for f in (*within_file(submission.rows), *against_graph(submission.rows, stores))]


def check_submission(submission: Submission, reference: ReferenceData, options: CheckOptions) -> SubmissionReport:
    """Apply every rule to a read submission; rows with an error are left out of the SHACL pass."""
    with collector_paused():
        return _check(submission, reference, options)


def _check(submission: Submission, reference: ReferenceData, options: CheckOptions) -> SubmissionReport:
    """The reader's findings, then the row rules, the file rules and the SHACL pass."""
    today = options.today or date.today()
    findings = list(submission.findings)
    if not submission.rows and not submission.unreadable:
        findings.append(finding("HPOA-STRUCT-EMPTY", 1, 1, "", "", "no annotation rows in the file",
                                "add at least one annotation row"))
    found, clean = row_findings(submission.rows, RowRules(reference, today))
    compared, with_release = _compared(reference, submission)
    across = file_findings(submission, reference, with_release)
    conflicted = {f.line for f in across if f.severity == ERROR}
    clean = [row for row in clean if row.line not in conflicted]
    shacl_findings, summary = _shacl(submission, clean, reference, options, today)
    findings += found + across + shacl_findings
    name = options.display_name or str(submission.path)
    return SubmissionReport(name, submission.format, submission.sha256, len(submission.rows), reference.hpo_version,
                  reference.hpoa_version, reference.shapes_version, compared, summary,
                  sorted(findings, key=RuleFinding.sort_key))


def _shacl(submission: Submission, clean: list[SubmittedRow], reference: ReferenceData, options: CheckOptions,
           today: date) -> tuple[list[RuleFinding], ShaclSummary]:
    if options.shacl not in SHACL_MODES:
        raise UsageError(f"unknown SHACL mode: choose {', '.join(SHACL_MODES)}", value=options.shacl)
    if options.shacl == "never":
        return [], ShaclSummary(False, "--shacl never")
    if options.shacl == "auto" and len(submission.rows) > SHACL_AUTO_LIMIT:
        return [], ShaclSummary(False, f"{len(submission.rows):,} rows > {SHACL_AUTO_LIMIT:,} (--shacl auto); "
                                       "the row rules check what the shapes would (identifiers, vocabularies, "
                                       "frequencies, dates); use --shacl always to run it")
    if submission.format != "hpoa":
        return shacl_rdf(submission, reference)
    record = SubmissionRecord(submission.sha256[:12], submission.path.name, submission.sha256, "", today.isoformat())
    return shacl_hpoa(submission, submission.rows, clean, reference, record)


def check_file(path: Path, reference: ReferenceData, options: CheckOptions = CheckOptions()) -> SubmissionReport:
    """Read and check one submission file."""
    return check_submission(read_submission(path, read_bytes(path), options.input_format), reference, options)
