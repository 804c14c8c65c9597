"""The ``sendplan`` command: parse, call the core, print, map errors to exit codes.

A thin layer over the core, in small modules:

- :mod:`~sendplan.cli.base`: the app, the one error handler, the output dispatch,
  the console and the clock, shared by every command;
- :mod:`~sendplan.cli.options`: the options commands share, declared once;
- :mod:`~sendplan.cli.completion`: shell completion;
- :mod:`~sendplan.cli.typer_private`: every use of Typer's internals, in one place;
- :mod:`~sendplan.cli.commands`: the commands, one module per group;
- :mod:`~sendplan.cli.entry`: ``main``, which builds only the command asked for.
"""

from __future__ import annotations

from sendplan.cli.base import app, console, error_text, progress, resume_collection
from sendplan.cli.commands import register_all
from sendplan.cli.completion import complete_item, complete_letter, complete_role, complete_status
from sendplan.cli.entry import command_only, main

register_all()

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
