"""Every submission rule on its fixtures: exact rule id, line, column and severity.

Fixture files are globbed (adding one adds a test); see ``test_submission_support`` for the
``# expect:`` convention. Each rule of the registry needs a failing and a passing fixture.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from alskg.submission.check import CheckOptions, check_file
from alskg.submission.report import finding_line
from alskg.submission.rules import RULES, SEVERITIES

from .test_submission_support import TODAY, expected, fixture_files, reference, rule_of

FAILING = fixture_files("fail")
PASSING = fixture_files("pass")
OPTIONS = CheckOptions(shacl="always", today=TODAY)


def _found(path: Path) -> tuple[set[tuple[str, int, int, str]], str]:
    report = check_file(path, reference(), OPTIONS)
    listing = "\n".join(finding_line(path.name, f) for f in report.findings)
    return {(f.rule, f.line, f.column, f.severity) for f in report.findings}, listing


@pytest.mark.parametrize("path", FAILING, ids=lambda p: p.name)
def test_failing_fixture_gives_exactly_its_findings(path: Path) -> None:
    want = expected(path)
    assert want, f"{path.name} declares no '# expect:' finding"
    assert all(rule_of(path) == rule or rule_of(path) == "SHACL" or rule.startswith("SHACL-") for rule, *_ in want)
    got, listing = _found(path)
    assert got == want, f"{path.name}: got\n{listing}"


@pytest.mark.parametrize("path", PASSING, ids=lambda p: p.name)
def test_passing_fixture_gives_no_finding(path: Path) -> None:
    assert not expected(path)
    got, listing = _found(path)
    assert not got, f"{path.name}: got\n{listing}"


@pytest.mark.parametrize("rule_id", [*sorted(RULES), "SHACL"])
def test_every_rule_has_a_failing_and_a_passing_fixture(rule_id: str) -> None:
    failing = [p for p in FAILING if rule_of(p) == rule_id]
    passing = [p for p in PASSING if rule_of(p) == rule_id]
    assert failing and passing, f"add tests/fixtures/submissions/{rule_id}--fail.tsv and --pass.tsv"
    if rule_id in RULES:
        assert any(rule == rule_id for p in failing for rule, *_ in expected(p)), f"no fixture expects {rule_id}"


def test_registry_is_well_formed() -> None:
    for rule in RULES.values():
        assert rule.id.startswith("HPOA-") and rule.id == rule.id.upper()
        assert rule.severity in SEVERITIES
        assert rule.title and rule.trigger and rule.fix


def test_fixture_rule_names_are_registered() -> None:
    for path in [*FAILING, *PASSING]:
        assert rule_of(path) in RULES or rule_of(path) == "SHACL", path.name
