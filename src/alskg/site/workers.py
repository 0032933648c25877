"""Two processes for one site: a helper pivots the phenotype table and renders half the pages.

On a whole release one core is not enough (issue 12: ``--scope all`` in 120 s on 2 cores). The
site's time is the phenotype long tables (the engine decoding 2.6M solutions, then the pivot
into ``disease-page-phenotypes`` rows) and the pages. So the site forks one helper process at
the start, before anything large is read (a small copy-on-write image):

1. the helper opens the build's store itself and computes the phenotype table while the main
   process asks every other query and computes the differences. The table's long-table queries
   are shared: the main process first writes its parts (:data:`alskg.site.gather.MAIN_PARTS`)
   into a folder both processes see and says so; the helper writes the others, waits for that
   message, then reads every part and pivots them (:func:`alskg.site.gather.read_parts`);
2. the helper sends the table's rows (tuples of text) and receives the other answers, so both
   processes hold the same facts and build the same :class:`~alskg.site.pages.Site`;
3. both render disease and phenotype pages, each a disjoint share (page *i* of a list goes to
   process ``i % 2``) into the same temporary folder; the main process writes everything else
   (family, differences, release, search index, index page) and swaps the folder in only
   after the helper has said it finished.

Every file is written by exactly one process, from the same facts, so the site is the same
bytes whatever the timing (and the same as with one process: tested). A helper that fails
sends its error back (re-raised in the main process: the usual one line); one that dies is an
:class:`~alskg.errors.AlskgError` naming its exit code; either way the temporary folder is
removed and the previous site stays.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from alskg.api import Graph
from alskg.errors import AlskgError, InputError, os_reason
from alskg.memory import collector_paused
from alskg.site.gather import MAIN_PARTS, PHENOTYPE_PARTS, PHENOTYPES, Facts, Table, read_parts, write_parts
from alskg.site.pages import Site
from alskg.site.phenotypes import VARIABLES

#: Processes that render pages: this one and the helper.
SHARES = 2


@dataclasses.dataclass(frozen=True)
class Share:
    """The pages one process renders: page ``i`` of a list when ``i % count == index``."""

    index: int = 0
    count: int = 1

    def pick(self, items: list[str]) -> list[str]:
        return items[self.index::self.count]


def error_message(exc: AlskgError) -> tuple[type[AlskgError], dict[str, Any]]:
    """An error as (class, fields), to raise again in the main process."""
    return type(exc), {f.name: getattr(exc, f.name) for f in dataclasses.fields(exc)}


class Helper:
    """The helper process: started before the store is opened, stopped (killed) if not finished."""

    def __init__(self, build_dir: Path, render: Any, parts: Path) -> None:
        context = multiprocessing.get_context("fork")
        self.conn, theirs = context.Pipe()
        self.process = context.Process(target=_main, args=(theirs, build_dir, render, parts), daemon=True,
                                       name="alskg-site-helper")
        self.process.start()
        theirs.close()

    def _receive(self, expected: str) -> Any:
        try:
            message = self.conn.recv()
        except EOFError:
            raise self._stopped() from None
        if message[0] == "error":
            cls, fields = message[1], message[2]
            raise cls(**fields)
        assert message[0] == expected, message[0]
        return message[1]

    def written(self) -> None:
        """Tell the helper the main process's parts of the phenotype table are written."""
        self._send(("written",))

    def phenotypes(self) -> Table:
        """The helper's ``disease-page-phenotypes`` rows, in the query's order."""
        rows = self._receive("rows")
        return Table(PHENOTYPES, list(VARIABLES), [dict(zip(VARIABLES, row, strict=True)) for row in rows])

    def render(self, facts: Facts, groups: dict[str, list[str]], scope_groups: list[str], root: Path,
               final: Path) -> None:
        """Send the other answers; the helper renders its share of the pages into ``root``."""
        others = Facts({k: t for k, t in facts.tables.items() if k != PHENOTYPES}, facts.roots)
        self._send(("render", others, groups, scope_groups, root, final))

    def _send(self, message: tuple[Any, ...]) -> None:
        try:
            self.conn.send(message)
        except OSError:  # the helper died before or while it was sent (a broken pipe)
            raise self._stopped() from None

    def _stopped(self) -> AlskgError:
        self.process.join()
        return AlskgError(f"the site's helper process stopped (exit code {self.process.exitcode})")

    def finish(self) -> int:
        """Wait for the helper's pages; the number of TSV tables it wrote."""
        tables: int = self._receive("done")
        self.process.join()
        return tables

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


def _main(conn: Connection, build_dir: Path, render: Any, parts: Path) -> None:
    """The helper: the phenotype table, then its share of the pages (``render(site, root, share)``)."""
    try:
        with collector_paused(freeze=True):  # the table's acyclic rows (alskg.memory)
            write_parts(Graph.open(build_dir, timeout=None), parts, [p for p in PHENOTYPE_PARTS if p not in MAIN_PARTS])
            if conn.recv() != ("written",):
                raise AlskgError("the site's main process sent an unexpected message")
            table = read_parts(parts)
            conn.send(("rows", [tuple(row[v] for v in VARIABLES) for row in table.rows]))
            _, facts, groups, scope_groups, root, final = conn.recv()
            facts.tables[PHENOTYPES] = table
            site = Site(facts, groups, scope_groups)
        try:
            tables = render(site, root, Share(1, SHARES), _quiet)
        except OSError as exc:
            raise InputError(f"cannot write the site ({os_reason(exc)})", final) from None
        conn.send(("done", tables))
    except AlskgError as exc:
        conn.send(("error", *error_message(exc)))
    except (EOFError, BrokenPipeError):
        pass  # the main process stopped first: nothing to report to
    finally:
        conn.close()


def _quiet(_: str) -> None:
    return None

