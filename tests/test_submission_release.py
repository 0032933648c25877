"""The real phenotype.hpoa of the pinned release (2025-01-16, 271,702 annotations) checked as
if a curator had submitted it: the checker finishes and reports what the release gets wrong.

The counts are the release's own problems (see the rule table for each rule's severity):
PCS rows citing only a database entry (no PMID, ISBN or URL), malformed references (``PMID:20037588P``, ``OMIM:18417549``),
curators written ``HP:``, biocuration items with stray spaces, diseases with two spellings
of their name, repeated rows. The comparison with the release is skipped (the file is the
release), and so is the SHACL pass (--shacl auto above 50,000 rows). Run with ``-s`` to see
the counts printed.
"""

from __future__ import annotations

import time

import pytest

from alskg.packaged import hpo_release_dir
from alskg.submission.check import CheckOptions, check_file
from alskg.submission.report import SubmissionReport, finding_line

from .test_submission_support import TODAY, reference

EXPECTED_BY_RULE = {
    "HPOA-VALUE-EVIDENCE": 665,
    "HPOA-VALUE-REFERENCE": 4,
    "HPOA-VALUE-BIOCURATION-PREFIX": 3117,
    "HPOA-LABEL-DISEASE": 566,
    "HPOA-CONSIST-DUPLICATE": 45,
    "HPOA-STRUCT-WHITESPACE": 37,
}


@pytest.fixture(scope="module")
def release_report() -> SubmissionReport:
    start = time.perf_counter()
    report = check_file(hpo_release_dir() / "phenotype.hpoa", reference(), CheckOptions(today=TODAY))
    elapsed = time.perf_counter() - start
    print(f"\nphenotype.hpoa checked in {elapsed:.1f} s: {report.counts()}")
    for rule_id, n in report.by_rule().items():
        print(f"  {rule_id:32} {n:6}")
        for f in [f for f in report.findings if f.rule == rule_id][:3]:
            print("     ", finding_line("phenotype.hpoa", f))
    return report


def test_the_release_is_checked_and_reported(release_report: SubmissionReport) -> None:
    assert release_report.rows == 271_702
    assert release_report.by_rule() == EXPECTED_BY_RULE
    assert not release_report.shacl.ran and "50,000" in release_report.shacl.note
    assert "this file is the release's phenotype.hpoa itself" in release_report.compared


def test_real_problems_are_located(release_report: SubmissionReport) -> None:
    where = {(f.rule, f.line, f.column, f.value) for f in release_report.findings}
    assert ("HPOA-VALUE-REFERENCE", 27134, 75, "PMID:20037588P") in where
    assert ("HPOA-VALUE-REFERENCE", 12873, 45, "OMIM:18417549") in where
    assert ("HPOA-STRUCT-WHITESPACE", 11296, 95, " HPO:sdoelken[2012-04-24]") in where
    assert ("HPOA-CONSIST-DUPLICATE", 66010, 1, "HP:0003774") in where
    prefixes = [f for f in release_report.findings if f.rule == "HPOA-VALUE-BIOCURATION-PREFIX"]
    assert all(f.value.startswith("HP:") and f.severity == "warning" for f in prefixes)
