"""Recipes for loading a release into the engines groups use when one machine is not enough.

Generated from code so ``docs/scale-out.md`` cannot drift from the release's file names: the
tests compare the document's blocks with these functions. Only Oxigraph and Virtuoso run on
this project's machines (and are tested); QLever and Amazon Neptune are described from their
documentation.
"""

from __future__ import annotations

MERGED_GRAPH = "https://w3id.org/alskg/graph/merged"


def release_name(version: str) -> str:
    """The stem every file of a release shares: ``alskg-VERSION``."""
    return f"alskg-{version}"


def qleverfile(version: str, port: int = 7019) -> str:
    """A Qleverfile (qlever-control's format) that indexes the release's merged N-Triples."""
    name = release_name(version)
    return f"""# Qleverfile for alskg {version}, for the QLever CLI (`pip install qlever`)
#
# qlever index    # builds the index from {name}.nt.gz (the merged view)
# qlever start    # serves it on port {port}

[data]
NAME        = {name}
DESCRIPTION = alskg {version}: a knowledge graph of amyotrophic lateral sclerosis (merged view)
FORMAT      = nt

[index]
INPUT_FILES     = {name}.nt.gz
CAT_INPUT_FILES = zcat ${{INPUT_FILES}}
SETTINGS_JSON   = {{ "ascii-prefixes-only": false, "num-triples-per-batch": 1000000 }}

[server]
PORT               = {port}
MEMORY_FOR_QUERIES = 4G

[runtime]
SYSTEM = docker
IMAGE  = docker.io/adfreiburg/qlever:latest
"""


def virtuoso_script(version: str, folder: str = "/data/alskg") -> str:
    """isql commands that bulk-load the release's merged N-Triples into one graph."""
    return (f"ld_dir('{folder}', '{release_name(version)}.nt.gz', '{MERGED_GRAPH}');\n"
            "rdf_loader_run();\n"
            "checkpoint;\n"
            "SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;\n")


def neptune_request(version: str, bucket: str = "s3://YOUR-BUCKET/alskg", role: str = "arn:aws:iam::ACCOUNT:role/NeptuneLoadFromS3",
                    region: str = "us-east-1") -> str:
    """The JSON body of a Neptune bulk-load request for the release's N-Quads (named graphs kept)."""
    return f"""{{
  "source": "{bucket}/{release_name(version)}.nq.gz",
  "format": "nquads",
  "iamRoleArn": "{role}",
  "region": "{region}",
  "failOnError": "TRUE",
  "parallelism": "MEDIUM"
}}
"""
