"""The one-way house of ``../shared/architecture.md``, checked on the imports of every module.

Every ``import`` and ``from … import`` of ``src/alskg`` is read with :mod:`ast` (those inside
functions too: a lazy import is still a dependency) and resolved to a module name. Each rule
says which modules must not import which; an exception is allowed only when listed in
:data:`EXCEPTIONS` with its reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "alskg"


def _module_name(path: Path, src: Path = SRC) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, src: Path = SRC) -> set[str]:
    """Every module ``path`` imports: ``a.b`` for ``import a.b``; ``a.b`` and ``a.b.c`` for
    ``from a.b import c`` (``c`` may be a module); relative imports resolved."""
    name = _module_name(path, src)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


IMPORTS: dict[str, set[str]] = {_module_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def _within(module: str, prefix: str) -> bool:
    """``module`` is ``prefix`` or inside it (``alskg.rdf_guard`` is not inside ``alskg.rdf``)."""
    return module == prefix or module.startswith(prefix + ".")


#: (who, must not import, why). ``who`` and the forbidden names are module prefixes.
RULES: list[tuple[str, tuple[str, ...], str]] = [
    ("alskg.sources", ("alskg.rdf", "alskg.store", "alskg.queries", "alskg.cli", "alskg.api", "alskg.build",
                       "alskg.submission", "alskg.validate", "alskg.serve", "alskg.load", "alskg.export",
                       "alskg.rdfmodel", "pyoxigraph", "click"),
     "readers yield plain typed records: they know nothing of RDF, the store, queries or the CLI"),
    ("alskg.model", ("alskg.sources", "alskg.rdf", "alskg.store", "alskg.cli", "alskg.rdfmodel", "pyoxigraph",
                     "click"),
     "the records every reader yields know nothing of files or RDF"),
    ("alskg.vocab", ("alskg.sources", "alskg.rdf", "alskg.store", "alskg.queries", "alskg.cli", "click"),
     "ids and prefixes know nothing of files, mappers or the CLI"),
    ("alskg.rdf", ("alskg.submission", "alskg.cli", "alskg.build", "alskg.store", "alskg.queries", "alskg.api",
                   "alskg.serve", "alskg.load", "click"),
     "mappers turn records into triples: they know nothing of the checker, the CLI or which store"),
    ("alskg.store", ("alskg.sources", "alskg.rdf", "alskg.submission", "alskg.queries", "alskg.api", "alskg.cli",
                     "click"),
     "the store opens, loads and dumps; it knows nothing of readers, mappers or the CLI"),
    ("alskg.queries", ("alskg.sources", "alskg.rdf", "alskg.submission", "alskg.build", "alskg.cli", "click"),
     "the query catalogue knows nothing of readers, mappers or the CLI"),
    ("alskg.validate", ("alskg.submission", "alskg.cli", "click"), "validation sits below the CLI"),
    ("alskg.api", ("alskg.cli", "click"), "the library API is what the CLI calls, never the reverse"),
    ("alskg.export", ("alskg.sources", "alskg.cli", "click"), "the release is written from a build"),
    ("alskg.serve", ("alskg.sources", "alskg.rdf", "alskg.cli", "click"), "serving reads a build"),
    ("alskg.load", ("alskg.sources", "alskg.rdf", "alskg.cli", "click"), "loading pushes a build"),
    ("alskg.build", ("alskg.submission", "alskg.cli", "click"),
     "the build maps merged submissions with alskg.rdf.submissions, not the checker"),
    ("alskg.submission", ("alskg.build", "alskg.cli", "click"), "the checker is a library under the CLI"),
    ("alskg.release", ("alskg.sources", "alskg.submission", "alskg.cli", "click"),
     "a release is written from a build's store and checked by validation and conformance"),
]

#: Deliberate exceptions: (importing module, imported module) → why. Empty today.
EXCEPTIONS: dict[tuple[str, str], str] = {}


def _violations(who: str, forbidden: tuple[str, ...], imports: dict[str, set[str]] = IMPORTS) -> list[str]:
    return sorted(
        f"{module} imports {imported}"
        for module, imported_set in imports.items() if _within(module, who)
        for imported in imported_set
        if any(_within(imported, f) for f in forbidden) and (module, imported) not in EXCEPTIONS
    )


def test_every_module_is_read() -> None:
    assert {"alskg.cli", "alskg.build", "alskg.sources.hpoa", "alskg.rdf.submissions",
            "alskg.submission.check"} <= set(IMPORTS)
    assert any("alskg.sources.hpoa.Annotation" in found for found in IMPORTS.values())


@pytest.mark.parametrize(("who", "forbidden", "why"), RULES, ids=[rule[0] for rule in RULES])
def test_one_way_imports(who: str, forbidden: tuple[str, ...], why: str) -> None:
    assert any(_within(module, who) for module in IMPORTS), f"no module {who}: update the rule"
    assert _violations(who, forbidden) == [], why


#: The only modules that import the RDF engine (pyoxigraph): the engine boundary (terms and syntaxes
#: in alskg.rdfmodel, stores and query results in alskg.store). A module not yet routed through
#: those two would be listed below with what it still takes from the engine directly (none now).
ENGINE_BOUNDARY = frozenset({"alskg.rdfmodel", "alskg.store"})
ENGINE_NOT_YET_ROUTED: dict[str, str] = {}


def test_only_the_engine_boundary_imports_pyoxigraph() -> None:
    """Swapping the engine touches alskg.rdfmodel and alskg.store (and the listed modules not yet routed)."""
    users = {m for m, found in IMPORTS.items() if any(_within(i, "pyoxigraph") for i in found)}
    assert sorted(users - ENGINE_BOUNDARY - set(ENGINE_NOT_YET_ROUTED)) == [], "import alskg.rdfmodel or alskg.store"
    assert sorted(set(ENGINE_NOT_YET_ROUTED) - users) == [], "routed now: drop it from ENGINE_NOT_YET_ROUTED"
    assert ENGINE_BOUNDARY <= users


def test_rdfmodel_imports_nothing_of_alskg() -> None:
    """vocab mints NamedNodes from alskg.rdfmodel, so the term module sits below everything."""
    assert sorted(i for i in IMPORTS["alskg.rdfmodel"] if _within(i, "alskg")) == []


def test_only_cli_imports_click() -> None:
    users = sorted(m for m, found in IMPORTS.items() if any(_within(i, "click") for i in found))
    assert users == ["alskg.cli"]


def test_nothing_below_the_cli_imports_it() -> None:
    users = sorted(m for m, found in IMPORTS.items() if m != "alskg.cli" and any(_within(i, "alskg.cli") for i in found))
    assert users == ["alskg.__main__"]


def test_exceptions_are_still_needed() -> None:
    """A listed exception that no module uses any more is dropped from the list."""
    unused = [pair for pair in EXCEPTIONS if pair[1] not in IMPORTS.get(pair[0], set())]
    assert unused == []


def test_a_forbidden_import_is_caught(tmp_path: Path) -> None:
    """The checker itself: a reader that imports a mapper is reported, lazily or not."""
    fake = tmp_path / "alskg" / "sources" / "bad.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("def f():\n    from ..rdf import terms\n    import click\n", encoding="utf-8")
    imports = {_module_name(fake, tmp_path): _imports(fake, tmp_path)}
    assert _violations("alskg.sources", RULES[0][1], imports) == [
        "alskg.sources.bad imports alskg.rdf", "alskg.sources.bad imports alskg.rdf.terms",
        "alskg.sources.bad imports click"]
    assert not _within("alskg.rdf_guard", "alskg.rdf") and _within("alskg.rdf.terms", "alskg.rdf")
