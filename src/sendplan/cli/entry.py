"""The ``sendplan`` entry point: completion first, then only the command asked for."""

from __future__ import annotations

import os
import sys

import typer

from sendplan.cli.base import app
from sendplan.cli.commands import command_name, register, register_all
from sendplan.cli.completion import (
    complete,
    completion_for,
)
from sendplan.cli.typer_private import one_error_style, plain_argument_usage


def command_only(name: str) -> typer.Typer | None:
    """``app`` holding just the command (or group) ``name``, or None if there is none.

    Typer builds the options of every command on each start (~15 ms for all of
    them); running one command needs one.  The root callback stays, so
    ``sendplan NAME ...`` parses exactly as with the full app.
    """
    import copy

    commands = [c for c in app.registered_commands if command_name(c) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return None
    lean = copy.copy(app)
    lean.registered_commands = commands
    lean.registered_groups = groups
    return lean


def utf8_streams() -> None:
    """Write stdout and stderr as UTF-8 whatever the locale says.

    On Windows, output redirected to a file or a pipe is encoded in the ANSI
    code page (cp1252), which has no table borders (``─``) or arrows: without
    this, ``sendplan schedule > plan.txt`` would end in a traceback.  Every file
    sendplan writes itself is UTF-8 too.  (A Windows console is UTF-8 already.)
    """
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")


def main() -> None:
    """Entry point of the ``sendplan`` console script and ``python -m sendplan``."""
    utf8_streams()
    wanted = completion_for(sys.argv)
    if wanted is not None:
        complete(*wanted)
    completing = any(key.endswith("_COMPLETE") for key in os.environ)
    # One command: import and build just it.  Otherwise (the help, a typo Typer
    # answers with the list of commands, completion): all of them.
    one = not completing and len(sys.argv) >= 2 and register(sys.argv[1])
    lean = command_only(sys.argv[1]) if one else None
    if lean is None:
        register_all()
    (lean or app)()


plain_argument_usage()
one_error_style()
