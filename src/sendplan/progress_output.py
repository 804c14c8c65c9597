"""Rich's progress bar on stderr, driven by the core's plain progress callbacks.

The bar appears only when stderr is a terminal, the output is not JSON, and
the work has already taken :data:`SHOW_AFTER` seconds: a quick run prints
nothing extra (no cursor codes), a long one (100,000 rows of lists, every
letter for many children) shows what it is doing.  It is transient: gone
when the work ends, so what stays on the screen is the result.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sendplan.progress import Progress, quiet

if TYPE_CHECKING:
    from rich.console import Console

#: Seconds of work before the bar appears.
SHOW_AFTER = 0.4


class _Bar:
    """The hook: one Rich task per phrase, the bar started once work has gone on a while."""

    def __init__(self, console: Console, after: float) -> None:
        self.console = console
        self.start = time.monotonic() + after
        self.bar: Any = None
        self.tasks: dict[str, Any] = {}

    def __call__(self, what: str, done: int, total: int | None) -> None:
        if self.bar is None:
            if time.monotonic() < self.start:
                return
            from rich.progress import (
                BarColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            self.bar = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.completed:,}"),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self.bar.start()
        task = self.tasks.get(what)
        if task is None:
            for earlier in self.tasks.values():  # a new phase: the earlier ones are done
                finished = self.bar.tasks[earlier].completed
                self.bar.update(earlier, total=finished, completed=finished)
            task = self.tasks[what] = self.bar.add_task(what, total=total)
        self.bar.update(task, completed=done, total=total)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@contextmanager
def progress_bar(console: Console | None, after: float = SHOW_AFTER) -> Iterator[Progress]:
    """A progress hook drawing on ``console`` (stderr), or :func:`quiet` without one."""
    if console is None:
        yield quiet
        return
    bar = _Bar(console, after)
    try:
        yield bar
    finally:
        bar.stop()
