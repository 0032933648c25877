"""The ALS-scope site, written once per test session from the session's build (shared by
tests/site and tests/browser/test_site.py)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from alskg.build import BuildResult
from alskg.site import SiteSummary, build_site

_BUILT: dict[Path, SiteSummary] = {}
#: The page group of ALS before the graph is normalised to one node per disease: the MONDO node
#: and ORPHA:803, which the release annotates; afterwards ALS is one node.
ALS = "MONDO:0004976"


def als_site(built: BuildResult) -> SiteSummary:
    """The site of the session's build (ALS scope), written once beside the build, in pytest's
    temporary folder for the session (pytest removes old ones; a ``mkdtemp`` folder stayed)."""
    if built.out_dir not in _BUILT:
        out = Path(tempfile.mkdtemp(prefix="als-site-", dir=built.out_dir.parent)) / "site"
        _BUILT[built.out_dir] = build_site(built.out_dir, out, "als")
    return _BUILT[built.out_dir]
