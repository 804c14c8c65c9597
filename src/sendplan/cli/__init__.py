"""The ``sendplan`` command: parse, call the core, print, map errors to exit codes.

A thin layer over the core, in small modules:

- :mod:`~sendplan.cli.base`: the app, the one error handler, the output dispatch,
  the console and the clock, shared by every command;
- :mod:`~sendplan.cli.options`: the options commands share, declared once;
- :mod:`~sendplan.cli.completion`: shell completion;
- :mod:`~sendplan.cli.typer_private`: every use of Typer's internals, in one place;
- :mod:`~sendplan.cli.commands`: the commands, one module per group;
- :mod:`~sendplan.cli.entry`: ``main``, which imports and builds only the command
  asked for.

``app`` (the whole command line, every command registered) is made on first use,
so ``sendplan schedule`` does not import the modules of fifteen other commands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sendplan.cli.base import console, error_text, progress, resume_collection
from sendplan.cli.completion import complete_item, complete_letter, complete_role, complete_status
from sendplan.cli.entry import command_only, main

if TYPE_CHECKING:
    from sendplan.cli.base import app


def __getattr__(name: str) -> Any:
    """``sendplan.cli.app``: the app with every command registered (PEP 562)."""
    if name == "app":
        from sendplan.cli.base import app
        from sendplan.cli.commands import register_all

        register_all()
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "app",
    "command_only",
    "complete_item",
    "complete_letter",
    "complete_role",
    "complete_status",
    "console",
    "error_text",
    "main",
    "progress",
    "resume_collection",
]
