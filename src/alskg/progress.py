"""Progress for long work: a rich spinner with step names on a terminal, silence when piped."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Step = Callable[[str], None]


def quiet(_: str) -> None:
    """A step that shows nothing: the default for library calls and piped output."""
    return None


@contextmanager
def progress(title: str, enabled: bool | None = None) -> Iterator[Step]:
    """Yield a function that names the current step; shown only when stderr is a terminal."""
    show = sys.stderr.isatty() if enabled is None else enabled
    if not show:
        yield quiet
        return
    from rich.console import Console

    console = Console(stderr=True)
    with console.status(title) as status:
        def step(name: str) -> None:
            status.update(f"{title}: {name}")
        yield step
