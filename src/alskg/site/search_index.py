"""The client-side search index: names, synonyms and ids of every page, as a JSON file.

``search-index.json`` is the index; ``search-index.js`` holds the same JSON assigned to a
global, because a page opened from ``file://`` may not ``fetch`` a neighbouring file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    """One page in the index: what it is called and every other name or id it answers to."""

    id: str
    label: str
    kind: str
    url: str
    names: tuple[str, ...]


def index_json(entries: list[Entry]) -> str:
    rows = [[e.id, e.label, e.kind, e.url, sorted(set(e.names))] for e in sorted(entries, key=lambda e: (e.kind, e.id))]
    return json.dumps({"fields": ["id", "label", "kind", "url", "names"], "entries": rows},
                      ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


def index_script(json_text: str) -> str:
    return "window.ALSKG_SEARCH_INDEX = " + json_text.strip().replace("</", "<\\/") + ";\n"
