"""Shared helpers of the submission tests (no tests here): the reference, read once per session,
and the expectation format of the fixtures in tests/fixtures/submissions/.

Fixture names: ``<RULE-ID>--pass[-what].<ext>`` must give no finding at all;
``<RULE-ID>--fail[-what].<ext>`` must give exactly the findings listed in it, one per line:

    # expect: HPOA-VALUE-SEX 3:78 error

(rule id, line:column, severity). A fixture that cannot hold such a line (a gzip or UTF-16
file) has them in ``<name>.expect`` beside it, without the ``# expect:`` prefix.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path

from alskg.mondo import packaged_mondo_dir
from alskg.packaged import hpo_release_dir
from alskg.submission.reference import ReferenceData, load_reference

from .conftest import DATA

FIXTURES = Path(__file__).parent / "fixtures" / "submissions"
#: "today" for the date rules, so the fixtures' verdicts never depend on the day the tests run
TODAY = date(2025, 6, 30)
Expected = tuple[str, int, int, str]
_EXPECT = re.compile(r"^(?:# expect: )?(?P<rule>[A-Z][A-Za-z-]+) (?P<line>\d+):(?P<column>\d+) "
                     r"(?P<severity>error|warning|info)\s*$", re.MULTILINE)


@lru_cache(maxsize=1)
def reference() -> ReferenceData:
    """The pinned HPO release, data/ and (when present) MONDO's mappings, loaded once."""
    return load_reference(hpo_release_dir(), DATA, packaged_mondo_dir())


def fixture_files(kind: str) -> list[Path]:
    """Fixtures of one kind, ``pass`` or ``fail``."""
    return sorted(p for p in FIXTURES.iterdir() if f"--{kind}" in p.name and p.suffix != ".expect")


def expected(path: Path) -> set[Expected]:
    """The findings a fixture declares: ``# expect:`` lines in it, or its ``.expect`` file."""
    side = path.with_name(path.name + ".expect")
    text = side.read_text(encoding="utf-8") if side.exists() else path.read_bytes().decode("latin-1")
    return {(m["rule"], int(m["line"]), int(m["column"]), m["severity"]) for m in _EXPECT.finditer(text)}


def rule_of(path: Path) -> str:
    """The rule a fixture is about: its name before ``--``."""
    return path.name.split("--", 1)[0]
