"""Rich's progress bar on stderr, driven by the core's plain progress callbacks.

The bar appears only when stderr is a terminal, the output is not JSON, and
the work is still going after :data:`SHOW_AFTER` seconds: a quick run prints
nothing extra (no cursor codes), a long one (100,000 rows of lists, every
letter for many children) shows what it is doing.  It is transient: gone
when the work ends, so what stays on the screen is the result.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sendplan.progress import Progress, quiet

if TYPE_CHECKING:
    from rich.console import Console

#: Seconds of work before the bar appears.
SHOW_AFTER = 0.4


class _Bar:
    """The hook: one Rich task per phrase.

    The first call starts a timer; when it fires (work still going) the bar
    appears with the latest news and Rich's own thread keeps the spinner
    turning, so a long step that reports nothing (opening a big workbook)
    still shows life.  Calls come from the worker, the timer from its own
    thread: a lock keeps them apart.
    """

    def __init__(self, console: Console, after: float) -> None:
        self.console = console
        self.after = after
        self.lock = threading.Lock()
        self.bar: Any = None
        self.timer: threading.Timer | None = None
        self.stopped = False
        self.latest: tuple[str, int, int | None] | None = None
        self.tasks: dict[str, Any] = {}

    def __call__(self, what: str, done: int, total: int | None) -> None:
        with self.lock:
            self.latest = (what, done, total)
            if self.bar is not None:
                self._update(what, done, total)
                return
        if self.after <= 0:
            self._show()
        elif self.timer is None:
            self.timer = threading.Timer(self.after, self._show)
            self.timer.daemon = True
            self.timer.start()

    def _show(self) -> None:
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        with self.lock:
            if self.stopped or self.bar is not None:
                return
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
            if self.latest is not None:
                self._update(*self.latest)

    def _update(self, what: str, done: int, total: int | None) -> None:
        task = self.tasks.get(what)
        if task is None:
            for earlier in self.tasks.values():  # a new phase: the earlier ones are done
                finished = self.bar.tasks[earlier].completed
                self.bar.update(earlier, total=finished, completed=finished)
            task = self.tasks[what] = self.bar.add_task(what, total=total)
        self.bar.update(task, completed=done, total=total)

    def stop(self) -> None:
        with self.lock:
            self.stopped = True
            if self.timer is not None:
                self.timer.cancel()
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
