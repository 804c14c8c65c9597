"""Progress hooks: plain callbacks the core calls during long work.

The core never imports Rich and never knows whether anyone is watching: a
long loop calls ``progress(what, done, total)`` now and then (``total`` is
None when it is not known ahead, as with a CSV read as it streams).  The CLI
passes a hook that draws Rich's progress bar on stderr when stderr is a
terminal, and :func:`quiet` otherwise.
"""

from __future__ import annotations

from collections.abc import Callable

#: ``progress(what, done, total)``: ``what`` is a short phrase ("Reading List 1").
Progress = Callable[[str, int, "int | None"], None]

#: Rows between two calls while reading a list: cheap against 100,000 rows, and often
#: enough to move the bar.
ROWS_BETWEEN = 5_000


def quiet(what: str, done: int, total: int | None) -> None:
    """The hook when no one is watching: does nothing."""
