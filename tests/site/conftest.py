from __future__ import annotations

import pytest

from alskg.build import BuildResult
from alskg.site import SiteSummary
from tests.site.sitebuild import als_site


@pytest.fixture(scope="session")
def site(built: BuildResult) -> SiteSummary:
    return als_site(built)
