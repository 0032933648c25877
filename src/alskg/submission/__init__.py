"""Curator submissions: check an HPOA-format (or RDF) file against named rules, report, merge.

- :mod:`.reader`, :mod:`.rdf_reader`: the file → rows with positions (and structural findings);
- :mod:`.rules`: the rule registry (id, severity, trigger, fix);
- :mod:`.reference`: what rows are checked against (HPO release, curated tables, MONDO);
- :mod:`.row_rules`, :mod:`.file_rules`: the checks;
- :mod:`.shacl_pass`: the submission as alskg RDF (mapped by :mod:`alskg.rdf.submissions`, which
  the build uses for merged submissions too), validated with the shapes;
- :mod:`.report`: the report in text, JSON, TSV or SHACL Turtle;
- :mod:`.merge`: ``alskg submit``: merge a passing submission into the curated tables.

The build does not import this package: what it needs of submissions lives under :mod:`alskg.rdf`.
"""

from __future__ import annotations

from .check import CheckOptions, check_file, check_submission, read_submission
from .merge import MergeResult, submit
from .reference import ReferenceData, load_reference
from .report import SubmissionReport, render
from .rules import RULES, Rule, RuleFinding, rules_markdown

__all__ = [
    "CheckOptions", "MergeResult", "RULES", "ReferenceData", "Rule", "RuleFinding", "SubmissionReport", "check_file",
    "check_submission", "load_reference", "read_submission", "render", "rules_markdown", "submit",
]
