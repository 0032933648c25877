"""The Biolink Model schema (4.4.6), read from the installed ``biolink-model`` package.

Source: ``biolink_model/schema/biolink_model.yaml`` and the ``attributes.yaml`` it imports,
shipped in the PyPI wheel ``biolink-model==4.4.6`` (MIT). Nothing is fetched: the YAML is
parsed with PyYAML's safe loader. Names are LinkML's (``gene to disease association``); the
IRIs are Biolink's (``biolink:GeneToDiseaseAssociation`` for classes, ``biolink:has_phenotype``
for slots). :class:`Schema` answers the questions the conformance checker asks: does a class
or slot exist, is it deprecated, what are a class's ancestors, a slot's inherited domain and
range, a class's constraints on a slot (``slot_usage``, inherited), its required slots.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

from alskg.errors import InputError
from alskg.vocab import BIOLINK, XSD

#: LinkML's built-in types → the XSD datatype of their literals (``None``: an IRI, not a literal).
LINKML_TYPES: dict[str, str | None] = {
    "string": XSD + "string", "integer": XSD + "integer", "boolean": XSD + "boolean",
    "float": XSD + "float", "double": XSD + "double", "decimal": XSD + "decimal",
    "date": XSD + "date", "datetime": XSD + "dateTime", "time": XSD + "time",
    "date_or_datetime": XSD + "date", "ncname": XSD + "string", "jsonpointer": XSD + "string",
    "jsonpath": XSD + "string", "sparqlpath": XSD + "string",
    "uriorcurie": None, "uri": None, "curie": None, "objectidentifier": None, "nodeidentifier": None,
}
Definition = dict[str, Any]
#: libyaml's safe loader when PyYAML was built with it (about ten times faster), else PyYAML's own.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def class_iri(name: str) -> str:
    """``gene to disease association`` → ``…/GeneToDiseaseAssociation`` (words capitalised, joined)."""
    return BIOLINK + "".join(word[:1].upper() + word[1:] for word in name.split(" "))


def slot_iri(name: str) -> str:
    """``has phenotype`` → ``…/has_phenotype``."""
    return BIOLINK + name.replace(" ", "_")


@dataclass(eq=False)  # compared by identity, so methods can be cached per schema
class Schema:
    """Classes, slots, types and enums of the Biolink Model, indexed by name and by IRI."""

    version: str
    classes: dict[str, Definition]
    slots: dict[str, Definition]
    types: dict[str, Definition]
    enums: dict[str, set[str]]
    class_by_iri: dict[str, str] = field(init=False)
    slot_by_iri: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.class_by_iri = {class_iri(name): name for name in self.classes}
        self.slot_by_iri = {slot_iri(name): name for name in self.slots}

    # -- classes ----------------------------------------------------------------------------
    @cache
    def class_ancestors(self, name: str) -> list[str]:
        """The class, then its ``is_a`` parents and mixins, transitively, nearest first."""
        return list(_closure(name, lambda n: [self.classes[n].get("is_a"), *self.classes[n].get("mixins", [])],
                             self.classes))

    @cache
    def is_a(self, name: str, ancestor: str) -> bool:
        return ancestor in self.class_ancestors(name)

    def slot_usage(self, name: str, slot: str) -> list[Definition]:
        """The constraints a class and its ancestors put on one slot, nearest first."""
        out = []
        for cls in self.class_ancestors(name):
            usage = (self.classes[cls].get("slot_usage") or {}).get(slot)
            if usage:
                out.append(usage)
        return out

    @cache
    def required_slots(self, name: str) -> set[str]:
        """Slots a class requires: by its (inherited) slot_usage, or by the slot's own
        definition where the class has the slot."""
        out: set[str] = set()
        for cls in self.class_ancestors(name):
            for slot, usage in (self.classes[cls].get("slot_usage") or {}).items():
                if (usage or {}).get("required"):
                    out.add(slot)
            for slot in self.classes[cls].get("slots", []):
                if self.slots.get(slot, {}).get("required"):
                    out.add(slot)
        return out - {"id"}  # the node's IRI is its id

    @cache
    def class_slots(self, name: str) -> set[str]:
        """Slots a class has: listed in its or an ancestor's ``slots`` or ``slot_usage``."""
        out: set[str] = set()
        for cls in self.class_ancestors(name):
            out.update(self.classes[cls].get("slots", []))
            out.update(self.classes[cls].get("slot_usage") or {})
        return out

    def instantiable(self, name: str) -> bool:
        """False for abstract classes and mixins, which no node may be typed with."""
        definition = self.classes[name]
        return not definition.get("abstract") and not definition.get("mixin")

    # -- slots ------------------------------------------------------------------------------
    @cache
    def slot_ancestors(self, name: str) -> list[str]:
        """The slot, then its ``is_a`` parents and mixins, nearest first."""
        return list(_closure(name, lambda n: [self.slots[n].get("is_a"), *self.slots[n].get("mixins", [])],
                             self.slots))

    def is_predicate(self, name: str) -> bool:
        """A predicate (an edge label) is a slot under ``related to``."""
        return "related to" in self.slot_ancestors(name)

    def is_qualifier(self, name: str) -> bool:
        """A qualifier of an association: a slot under ``qualifier``, or named ``… qualifier``."""
        return "qualifier" in self.slot_ancestors(name) or name.endswith(" qualifier")

    def slot_inherited(self, name: str, key: str) -> Any:
        """A slot's ``domain`` or ``range`` (or other key), inherited along ``is_a``."""
        for slot in self.slot_ancestors(name):
            value = self.slots[slot].get(key)
            if value is not None:
                return value
        return None

    def slot_range(self, name: str) -> str:
        return str(self.slot_inherited(name, "range") or "string")

    # -- ranges -----------------------------------------------------------------------------
    def datatype(self, range_name: str) -> str | None:
        """The XSD datatype a type range takes (None: an IRI); follows ``typeof`` to LinkML's types."""
        seen = 0
        while range_name in self.types and seen < 20:
            definition = self.types[range_name]
            range_name = definition.get("typeof") or definition.get("base", "string")
            seen += 1
        if range_name == "str":
            return XSD + "string"
        return LINKML_TYPES.get(range_name, XSD + "string")


def _closure(start: str, parents: Any, known: dict[str, Definition]) -> dict[str, None]:
    """``start`` and every ancestor reachable through ``parents`` (an ordered set)."""
    out: dict[str, None] = {}
    todo = [start]
    while todo:
        name = todo.pop(0)
        if name in out or name not in known:
            continue
        out[name] = None
        todo.extend(p for p in parents(name) if p)
    return out


def _enum_values(enums: dict[str, Definition]) -> dict[str, set[str]]:
    return {name: set((definition or {}).get("permissible_values") or {}) for name, definition in enums.items()}


def _read_yaml(name: str) -> Definition:
    path = resources.files("biolink_model") / "schema" / name
    try:
        loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read the Biolink Model schema: {exc}", str(path)) from None
    if not isinstance(loaded, dict):
        raise InputError("the Biolink Model schema is not a YAML mapping", str(path))
    return loaded


@lru_cache(maxsize=1)
def load_schema() -> Schema:
    """The installed Biolink Model schema, with the slots and classes of its local imports."""
    main = _read_yaml("biolink_model.yaml")
    classes = _definitions(main, "classes")
    slots = _definitions(main, "slots")
    for module in main.get("imports") or []:
        if ":" not in module:  # local modules ship beside the schema; ``linkml:types`` is built in
            extra = _read_yaml(f"{module}.yaml")
            classes.update(_definitions(extra, "classes"))
            slots.update(_definitions(extra, "slots"))
    return Schema(str(main.get("version", "")), classes, slots, _definitions(main, "types"),
                  _enum_values(_definitions(main, "enums")))


def _definitions(schema: Definition, key: str) -> dict[str, Definition]:
    """One section of a schema, every definition a mapping (an empty one stands for ``{}``)."""
    return {str(name): dict(definition or {}) for name, definition in (schema.get(key) or {}).items()}
