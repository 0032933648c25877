"""The report of a submission check, and its four renderings: text, JSON, TSV, SHACL Turtle.

Every rendering starts with the summary (file; HPO release and shapes versions; what the
consistency rules compared with; the SHACL pass; counts by severity and by rule; verdict),
then one finding per line: ``file:line:column``, severity, rule id, field, offending value
(with its label where there is one), message, suggestion.

The Turtle form is a standard ``sh:ValidationReport`` extended with the source positions:
``alskg:line``, ``alskg:column``, ``alskg:field``, ``alskg:rule_id``, ``alskg:value_label``,
``alskg:suggestion`` on each result; ``alskg:source_file``, ``alskg:sha256``, ``alskg:hpo_version``,
``alskg:shapes_version`` on the report; each rule is the ``sh:ConstraintComponent``
``alskg:<RULE-ID>``. All are declared in ``ontology/alskg.ttl`` (tests/test_submission_vocab.py).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field

from alskg import vocab
from alskg.errors import printable
from alskg.rdfmodel import BlankNode, Literal, NamedNode, RdfFormat, Triple, serialize_rdf

from .rules import ERROR, INFO, SEVERITIES, SEVERITY_RANK, WARNING, RuleFinding
from .shacl_pass import ShaclSummary

FAIL_ON = ("error", "warning", "none")
REPORT_FORMATS = ("text", "json", "tsv", "ttl")
_FORMAT_NAMES = {"hpoa": "HPOA TSV", "ttl": "Turtle", "nt": "N-Triples"}
_COLOURS = {ERROR: "\x1b[31m", WARNING: "\x1b[33m", INFO: "\x1b[36m"}
_BOLD, _RESET = "\x1b[1m", "\x1b[0m"
_SHACL_SEVERITY = {ERROR: "Violation", WARNING: "Warning", INFO: "Info"}


@dataclass
class SubmissionReport:
    """The outcome of checking one submission."""

    file: str
    format: str
    sha256: str
    rows: int
    hpo_version: str
    hpoa_version: str
    shapes_version: str
    compared: str
    shacl: ShaclSummary
    findings: list[RuleFinding] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        found = Counter(f.severity for f in self.findings)
        return {severity: found.get(severity, 0) for severity in SEVERITIES}

    def by_rule(self) -> dict[str, int]:
        found = Counter(f.rule for f in self.findings)
        return dict(sorted(found.items(), key=lambda kv: (SEVERITY_RANK[self._severity(kv[0])], kv[0])))

    def _severity(self, rule_id: str) -> str:
        return next(f.severity for f in self.findings if f.rule == rule_id)

    def fails(self, fail_on: str) -> bool:
        """True when a finding is at or above ``fail_on`` (error, warning; none never fails)."""
        if fail_on == "none":
            return False
        limit = SEVERITY_RANK[fail_on]
        return any(SEVERITY_RANK[f.severity] <= limit for f in self.findings)

    def verdict(self, fail_on: str) -> str:
        return "FAIL" if self.fails(fail_on) else "PASS"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def summary_lines(report: SubmissionReport, fail_on: str) -> list[str]:
    """The summary, one fact per line (``key: value``)."""
    counts = report.counts()
    shacl = f"{report.shacl.note}; {_plural(report.shacl.results, 'result')}" if report.shacl.ran \
        else f"skipped: {report.shacl.note}"
    rules = ", ".join(f"{rule_id} {n}" for rule_id, n in report.by_rule().items()) or "none"
    reason = f"findings at or above {fail_on}" if report.fails(fail_on) else (
        f"no finding at or above {fail_on}" if fail_on != "none" else "--fail-on none")
    return [
        f"file: {report.file} ({_FORMAT_NAMES.get(report.format, report.format)}, "
        f"{_plural(report.rows, 'annotation')}, sha256 {report.sha256[:12]})",
        f"checked against: HPO release {report.hpo_version} (phenotype.hpoa {report.hpoa_version}); "
        f"shapes {report.shapes_version}",
        f"compared with: {report.compared}",
        f"SHACL: {shacl}",
        f"findings: {_plural(counts[ERROR], 'error')}, {_plural(counts[WARNING], 'warning')}, {counts[INFO]} info",
        f"by rule: {rules}",
        f"verdict: {report.verdict(fail_on)} ({reason})",
    ]


def finding_line(file: str, f: RuleFinding) -> str:
    """``file:line:column: severity RULE [field] value (label): message — suggestion``."""
    where = f"{file}:{f.line}:{f.column}" if f.line else file
    value = f" {f.value!r}" if f.value else ""
    label = f" ({f.label})" if f.label and f.label != f.value else ""
    column = f" [{f.field}]" if f.field else ""
    suggestion = f" — {f.suggestion}" if f.suggestion else ""
    return f"{where}: {f.severity} {f.rule}{column}{value}{label}: {f.message}{suggestion}"


def render_text(report: SubmissionReport, fail_on: str, colour: bool = False) -> str:
    """Summary, then findings grouped by severity; ANSI colours only when ``colour``."""
    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    out = summary_lines(report, fail_on)
    if colour:
        verdict = out[-1]
        out[-1] = paint(verdict, _BOLD + (_COLOURS[ERROR] if report.fails(fail_on) else "\x1b[32m"))
    ordered = sorted(report.findings, key=RuleFinding.sort_key)
    for severity in SEVERITIES:
        group = [f for f in ordered if f.severity == severity]
        if group:
            out += ["", paint(f"{_plural(len(group), severity) if severity != INFO else f'{len(group)} info'}:",
                              _BOLD + _COLOURS[severity])]
            out += [finding_line(report.file, f) for f in group]
    return "\n".join(out) + "\n"


_FINDING_FIELDS = tuple(RuleFinding.__dataclass_fields__)


def _finding_dict(file: str, f: RuleFinding) -> dict[str, object]:
    data: dict[str, object] = {"file": file}
    data.update((name, getattr(f, name)) for name in _FINDING_FIELDS)  # asdict() deep-copies: slow for 10k
    return data


def render_json(report: SubmissionReport, fail_on: str) -> str:
    doc = {
        "file": report.file, "format": report.format, "sha256": report.sha256, "annotations": report.rows,
        "hpo_release": report.hpo_version, "hpoa_version": report.hpoa_version,
        "shapes_version": report.shapes_version, "compared_with": report.compared,
        "shacl": asdict(report.shacl), "counts": report.counts(), "by_rule": report.by_rule(),
        "fail_on": fail_on, "verdict": report.verdict(fail_on),
        "findings": [_finding_dict(report.file, f) for f in sorted(report.findings, key=RuleFinding.sort_key)],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


_TSV_COLUMNS = ("file", "line", "column", "severity", "rule", "field", "value", "label", "message", "suggestion")


def _cell(value: object) -> str:
    """One TSV cell: tabs and line ends become spaces, other control and bidi characters are escaped."""
    return printable(" ".join(str(value).split("\t")).replace("\n", " ").replace("\r", " "))


def render_tsv(report: SubmissionReport, fail_on: str) -> str:
    """``#`` summary lines, a header, one finding per row."""
    out = [f"# {line}" for line in summary_lines(report, fail_on)]
    out.append("\t".join(_TSV_COLUMNS))
    for f in sorted(report.findings, key=RuleFinding.sort_key):
        values = (report.file, f.line, f.column, f.severity, f.rule, f.field, f.value, f.label, f.message,
                  f.suggestion)
        out.append("\t".join(_cell(v) for v in values))
    return "\n".join(out) + "\n"


def _component(rule_id: str) -> NamedNode:
    if rule_id.startswith("SHACL-"):
        return NamedNode(f"{vocab.SH}{rule_id.removeprefix('SHACL-')}ConstraintComponent")
    return NamedNode(vocab.ALSKG_VOCAB + rule_id)


def _focus(report: SubmissionReport, f: RuleFinding) -> NamedNode | BlankNode:
    if f.focus.startswith("_:"):
        return BlankNode(f.focus[2:])
    if f.focus:
        return NamedNode(f.focus)
    return NamedNode(f"{vocab.ALSKG_ID}source-submission-{report.sha256[:12]}#L{f.line}")


def report_triples(report: SubmissionReport, fail_on: str) -> list[Triple]:
    """The report as a ``sh:ValidationReport`` with alskg's position properties."""
    sh, a = vocab.SH, vocab.ALSKG_VOCAB
    root = BlankNode("report")
    rdf_type = NamedNode(vocab.RDF + "type")
    integer = NamedNode(vocab.XSD + "integer")
    out = [
        Triple(root, rdf_type, NamedNode(sh + "ValidationReport")),
        Triple(root, NamedNode(sh + "conforms"), Literal(str(not report.fails("error")).lower(),
                                                                  datatype=NamedNode(vocab.XSD + "boolean"))),
        Triple(root, NamedNode(a + "source_file"), Literal(report.file)),
        Triple(root, NamedNode(a + "sha256"), Literal(report.sha256)),
        Triple(root, NamedNode(a + "hpo_version"), Literal(report.hpo_version)),
        Triple(root, NamedNode(a + "shapes_version"), Literal(report.shapes_version)),
    ]
    for n, f in enumerate(sorted(report.findings, key=RuleFinding.sort_key)):
        node = BlankNode(f"r{n}")
        props: list[tuple[str, NamedNode | BlankNode | Literal]] = [
            (vocab.RDF + "type", NamedNode(sh + "ValidationResult")),
            (sh + "resultSeverity", NamedNode(sh + _SHACL_SEVERITY[f.severity])),
            (sh + "focusNode", _focus(report, f)),
            (sh + "sourceConstraintComponent", _component(f.rule)),
            (sh + "resultMessage", Literal(f.message)),
            (a + "rule_id", Literal(f.rule)),
            (a + "line", Literal(str(f.line), datatype=integer)),
            (a + "column", Literal(str(f.column), datatype=integer)),
        ]
        for predicate, text in ((sh + "value", f.value), (a + "field", f.field), (a + "value_label", f.label),
                                (a + "suggestion", f.suggestion)):
            if text:
                props.append((predicate, Literal(text)))
        out.append(Triple(root, NamedNode(sh + "result"), node))
        out += [Triple(node, NamedNode(p), o) for p, o in props]
    return out


def render_ttl(report: SubmissionReport, fail_on: str) -> str:
    prefixes = {"sh": vocab.SH, "alskg": vocab.ALSKG_VOCAB, "ALSKG": vocab.ALSKG_ID, "xsd": vocab.XSD}
    data = serialize_rdf(report_triples(report, fail_on), format=RdfFormat.TURTLE, prefixes=prefixes)
    return data.decode("utf-8")


def render(report: SubmissionReport, fmt: str, fail_on: str = "error", colour: bool = False) -> str:
    """The report in one of :data:`REPORT_FORMATS`."""
    if fmt == "json":
        return render_json(report, fail_on)
    if fmt == "tsv":
        return render_tsv(report, fail_on)
    if fmt == "ttl":
        return render_ttl(report, fail_on)
    return render_text(report, fail_on, colour)

