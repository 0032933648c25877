"""Curator submissions: check an HPOA-format (or RDF) file against named rules, report, merge.

- :mod:`.reader`, :mod:`.rdf_reader`: the file → rows with positions (and structural findings);
- :mod:`.rules`: the rule registry (id, severity, trigger, fix);
- :mod:`.reference`: what rows are checked against (HPO release, curated tables, MONDO);
- :mod:`.row_rules`, :mod:`.file_rules`: the checks;
- :mod:`.shacl_pass`, :mod:`.graph`: the submission as alskg RDF, validated with the shapes;
- :mod:`.report`: the report in text, JSON, TSV or SHACL Turtle;
- :mod:`.merge`: ``alskg submit``: merge a passing submission into the curated tables.

The names below are imported on first use, so ``alskg build`` (which needs only
:mod:`.graph`) does not load the checker.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "CheckOptions": "check", "check_file": "check", "check_submission": "check", "read_submission": "check",
    "Reference": "reference", "load_reference": "reference", "Report": "report", "render": "report",
    "RULES": "rules", "Finding": "rules", "Rule": "rules", "rules_markdown": "rules", "submit": "merge",
    "MergeResult": "merge",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
