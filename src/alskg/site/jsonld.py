"""Schema.org / Bioschemas ``MedicalCondition`` JSON-LD for a disease page.

Names, codes (``MedicalCode`` with ``codingSystem`` = the CURIE prefix), signs or symptoms (the
positive phenotype annotations) and possible treatments (drugs that treat it), so search
engines and other tools read the page's subject without scraping it. The ``@context`` is the
schema.org IRI as a name, never fetched by the page.
"""

from __future__ import annotations

import json


def _code(curie: str) -> dict[str, str]:
    prefix, _, local = curie.partition(":")
    return {"@type": "MedicalCode", "codeValue": local, "codingSystem": prefix}


def medical_condition(curie: str, name: str, synonyms: list[str], codes: list[str], description: str,
                      signs: list[tuple[str, str]], treatments: list[str], url: str) -> str:
    """The JSON-LD text (sorted keys, so byte-stable) to embed in a ``<script type="application/ld+json">``.

    Compact (no indentation): Python's JSON encoder is in C only without ``indent``, and a whole
    release embeds ten thousand of these."""
    doc: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "MedicalCondition",
        "@id": url,
        "identifier": curie,
        "name": name,
        "code": [_code(c) for c in [curie, *codes]],
    }
    if synonyms:
        doc["alternateName"] = synonyms
    if description:
        doc["description"] = description
    if signs:
        doc["signOrSymptom"] = [{"@type": "MedicalSignOrSymptom", "name": label, "code": _code(hp)}
                                for hp, label in signs]
    if treatments:
        doc["possibleTreatment"] = [{"@type": "Drug", "name": t} for t in treatments]
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/")  # never closes the script element early
