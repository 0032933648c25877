"""``alskg site``: static pages of the graph (disease, phenotype, family, differences, release),
written from packaged queries through the Python API; see :func:`build_site`."""

from alskg.site.render import SCOPES, SiteSummary, build_site

__all__ = ["SCOPES", "SiteSummary", "build_site"]
