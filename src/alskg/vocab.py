"""Namespaces, the prefix map and stable IRI minting.

CURIEs expand through the `curies` package from Biolink's prefix map (shipped by the
``biolink-model`` package). The few prefixes Biolink lacks are declared once, here, in
:data:`EXTRA_PREFIXES`; see ``docs/decisions/0002-identifiers.md`` for why each was chosen.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from importlib import resources

import curies

from alskg.errors import InputError
from alskg.rdfmodel import NamedNode

BIOLINK = "https://w3id.org/biolink/vocab/"
ALSKG_VOCAB = "https://w3id.org/alskg/vocab/"
ALSKG_ID = "https://w3id.org/alskg/id/"
ALSKG_GRAPH = "https://w3id.org/alskg/graph/"
ALSKG_DATASET = "https://w3id.org/alskg/dataset/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
PROV = "http://www.w3.org/ns/prov#"
FOAF = "http://xmlns.com/foaf/0.1/"
OIO = "http://www.geneontology.org/formats/oboInOwl#"
VOID = "http://rdfs.org/ns/void#"
SH = "http://www.w3.org/ns/shacl#"

#: Prefixes Biolink's map lacks. Sources: the curie_map headers of MONDO's SSSOM files
#: (ORPHA as ``Orphanet``, GARD, infores, OMIMPS — MONDO's phenotypic-series ids are
#: numbers, and Biolink's ``OMIM.PS`` expansion would need a ``PS`` in the local id), HPO's own disease links for DECIPHER (phenol's
#: HPOA loader: ``https://www.deciphergenomics.org/syndrome/``) and the VoID specification;
#: ALSKG/alskg are ours.
EXTRA_PREFIXES: dict[str, str] = {
    "ORPHA": "http://www.orpha.net/ORDO/Orphanet_",
    "DECIPHER": "https://www.deciphergenomics.org/syndrome/",
    "OMIMPS": "https://omim.org/phenotypicSeries/PS",
    "GARD": "https://rarediseases.info.nih.gov/diseases/",
    "infores": "https://w3id.org/information-resource-registry/",
    "void": VOID,
    "sh": SH,
    "alskg": ALSKG_VOCAB,
    "ALSKG": ALSKG_ID,
}

#: Knowledge sources (Biolink wants infores ids). The registry's catalogue does not ship with
#: Biolink's package, so these are not checked against it: HPO's and the databases' ids are the
#: ones Monarch's HPOA ingest writes (field notes §3); ``infores:gard``, for the GARD page, is
#: declared by alskg, since no source at hand names one (docs/decisions/0011-biolink-conformance.md).
GARD_INFORES = "infores:gard"
#: HPO's annotation project: the aggregator of the release's annotations, and the primary source
#: of what a disease's id prefix does not attribute (field notes §3).
HPO_ANNOTATIONS_INFORES = "infores:hpo-annotations"
#: Disease id prefix → the database HPO took the annotation from, as primary knowledge source.
PRIMARY_INFORES = {"OMIM": "infores:omim", "ORPHA": "infores:orphanet", "DECIPHER": "infores:decipher"}

#: HPOA evidence code → ECO (field notes §3: IEA→ECO:0000501, PCS→ECO:0006017, TAS→ECO:0000304).
EVIDENCE_ECO = {"IEA": "ECO:0000501", "PCS": "ECO:0006017", "TAS": "ECO:0000304"}
#: Traceable author statement (HPO's TAS), also the evidence of what the GARD page states.
TAS_ECO = EVIDENCE_ECO["TAS"]

#: Other spellings accepted on input, mapped to the canonical prefix.
PREFIX_SYNONYMS: dict[str, list[str]] = {
    "ORPHA": ["Orphanet", "orphanet", "ORPHANET"],
    "MESH": ["mesh"],
    "isbn": ["ISBN", "ISBN-10", "ISBN-13"],
}

#: Prefixes written in Turtle dumps (order fixed for byte-identical output).
DUMP_PREFIXES: tuple[str, ...] = (
    "alskg", "ALSKG", "biolink", "dct", "dcat", "DECIPHER", "ECO", "foaf", "GARD", "HP", "infores", "isbn",
    "MESH", "MONDO", "NCBIGene", "oboInOwl", "OMIM", "OMIMPS", "ORPHA", "owl", "PATO",
    "PMID", "prov", "rdf", "rdfs", "skos", "UMLS", "void", "xsd",
)

#: Prefixes pre-declared for ad-hoc SPARQL (`alskg sparql`, listed by `alskg sparql --prefixes`): those of
#: the dumps, plus SHACL's (the validation reports' terms).
QUERY_PREFIXES: tuple[str, ...] = DUMP_PREFIXES + ("sh",)

#: PREFIX:local, both ASCII (a local id of full-width or Arabic-Indic digits is not an identifier)
_CURIE = re.compile(r"^([A-Za-z][A-Za-z0-9_.-]*):([!-~]+)\Z")


def _biolink_prefix_map() -> dict[str, str]:
    """Biolink Model 4.4.6's prefix map, as shipped in the ``biolink-model`` wheel."""
    path = resources.files("biolink_model") / "prefixmaps" / "biolink_model_prefix_map.json"
    return dict(json.loads(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def converter() -> curies.Converter:
    """The one converter: Biolink's prefixes, our extras and the accepted synonyms."""
    prefix_map = _biolink_prefix_map()
    for prefix, uri in EXTRA_PREFIXES.items():
        if prefix in prefix_map and prefix_map[prefix] != uri:
            raise RuntimeError(f"extra prefix {prefix} clashes with Biolink's map")
        prefix_map[prefix] = uri
    records = []
    for prefix, uri in prefix_map.items():
        if any(prefix in syns for syns in PREFIX_SYNONYMS.values()):
            continue
        records.append(
            curies.Record(prefix=prefix, uri_prefix=uri, prefix_synonyms=PREFIX_SYNONYMS.get(prefix, []))
        )
    return curies.Converter(records, strict=False)


def is_curie(text: str) -> bool:
    """True when ``text`` has CURIE syntax (``PREFIX:local``, no spaces)."""
    return bool(_CURIE.match(text))


@lru_cache(maxsize=1)
def _expansions() -> dict[str, str]:
    """Every accepted prefix (canonical and synonym) → its URI prefix, for O(1) expansion."""
    out: dict[str, str] = {}
    for record in converter().records:
        out[record.prefix] = record.uri_prefix
        for synonym in record.prefix_synonyms:
            out[synonym] = record.uri_prefix
    return out


def has_known_prefix(curie: str) -> bool:
    """True when the prefix of ``curie`` is one we expand (canonical or synonym), in O(1):
    ``curies.Converter.expand`` rebuilds its prefix map on every call (3 ms each)."""
    return curie.partition(":")[0] in _expansions()


def expand(curie: str) -> str:
    """Expand a CURIE (or pass an absolute http(s) IRI through); raise InputError otherwise."""
    if curie.startswith(("http://", "https://")):
        return curie
    if not is_curie(curie):
        raise InputError("malformed CURIE: expected PREFIX:local with no spaces", value=curie)
    prefix, _, local = curie.partition(":")
    uri = _expansions().get(prefix)
    if uri is None:
        raise InputError("unknown CURIE prefix", value=curie)
    return uri + local


def compress(iri: str) -> str:
    """Compress an IRI to its canonical CURIE, or return it unchanged if no prefix fits.

    The converter's look-up walks the IRI one character at a time (tens of microseconds), and
    a whole-release table holds hundreds of thousands of distinct IRIs (association ids). So
    the longest URI prefix is looked up once per *namespace* (the IRI up to its last ``/`` or
    ``#``, :func:`_namespace`), which gives the converter's answer exactly; only IRIs whose
    namespace some URI prefix extends (``…/obo/`` → ``…/obo/HP_``) ask the converter, cached."""
    cut = max(iri.rfind("/"), iri.rfind("#")) + 1
    found = _namespace(iri[:cut])
    if found is None:
        return _compress(iri)
    if not found:
        return iri
    prefix, uri_prefix = found
    return f"{prefix}:{iri[len(uri_prefix):]}"


@lru_cache(maxsize=1 << 12)
def _namespace(stem: str) -> tuple[str, str] | tuple[()] | None:
    """The (prefix, URI prefix) every IRI starting with ``stem`` compresses with, ``()`` when no
    URI prefix fits any of them, or None when a URI prefix longer than ``stem`` starts with it
    (then the answer depends on the rest of the IRI).

    Exact: a URI prefix that fits an IRI is either a prefix of ``stem`` (the same for every IRI
    starting with it: the longest wins, as in the converter) or longer than ``stem`` and
    starting with it."""
    uri_prefixes = _uri_prefixes()
    if any(len(uri) > len(stem) and uri.startswith(stem) for uri in uri_prefixes):
        return None
    fitting = [uri for uri in uri_prefixes if stem.startswith(uri)]
    if not fitting:
        return ()
    longest = max(fitting, key=len)
    return uri_prefixes[longest], longest


@lru_cache(maxsize=1)
def _uri_prefixes() -> dict[str, str]:
    """Every URI prefix the converter knows (synonyms included) → its canonical prefix."""
    return dict(converter().reverse_prefix_map)


@lru_cache(maxsize=1 << 16)
def _compress(iri: str) -> str:
    curie = converter().compress(iri)
    return curie if curie is not None else iri


def standardize(curie: str) -> str:
    """Rewrite a CURIE to the canonical prefix (``Orphanet:803`` → ``ORPHA:803``)."""
    return compress(expand(curie))


def node(curie_or_iri: str) -> NamedNode:
    """A pyoxigraph NamedNode for a CURIE or IRI."""
    return NamedNode(expand(curie_or_iri))


def alskg_node(local: str) -> NamedNode:
    """A term of the alskg vocabulary, as a pyoxigraph NamedNode (``alskg.rdf.terms.v`` gives
    the same term as N-Triples text)."""
    return NamedNode(ALSKG_VOCAB + local)


def biolink_node(local: str) -> NamedNode:
    """A Biolink term (class, slot or enum value), as a pyoxigraph NamedNode
    (``alskg.rdf.terms.bl`` gives the same term as N-Triples text)."""
    return NamedNode(BIOLINK + local)


def graph(name: str) -> NamedNode:
    """The IRI of one of the release's named graphs."""
    return NamedNode(ALSKG_GRAPH + name)


def mint(kind: str, *key: str) -> NamedNode:
    """A stable IRI ``ALSKG:<kind>-<16 hex>`` from a key; the same key always gives the same IRI."""
    return NamedNode(mint_iri(kind, *key))


def mint_iri(kind: str, *key: str) -> str:
    """The IRI :func:`mint` makes, as a plain string (for the mappers' hot paths)."""
    digest = hashlib.sha256("|".join(key).encode("utf-8")).hexdigest()[:16]
    return f"{ALSKG_ID}{kind}-{digest}"


def query_prefix_map() -> dict[str, str]:
    """The prefixes an ad-hoc query may use without declaring them: name → namespace IRI."""
    namespaces = _expansions()
    return {prefix: namespaces[prefix] for prefix in QUERY_PREFIXES}
