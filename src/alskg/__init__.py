"""alskg: a linked-data knowledge graph of amyotrophic lateral sclerosis (ALS).

Curated content of the GARD page on ALS and the HPO release, as Biolink-typed RDF,
validated with SHACL and queried with packaged SPARQL.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("alskg")
except PackageNotFoundError:  # running from a checkout without installing
    __version__ = "0.1.0"

__all__ = ["__version__"]
