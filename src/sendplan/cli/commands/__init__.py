"""The commands, one module per group.

:data:`COMMANDS` names each command's module in the order of a LANO's work,
which is the order ``sendplan --help`` shows.  Running one command imports its
module only (:func:`register`); the help, completion and the tests see every
command (:func:`register_all`).
"""

from __future__ import annotations

import importlib
from typing import Any

#: Each command (or group of commands) in the order of the work, with the module
#: of ``sendplan.cli.commands`` that declares it: start and check the case file,
#: plan, track, place the week, brief, write, export; then the tools.
COMMANDS: dict[str, str] = {
    "init": "casefile",
    "validate": "casefile",
    "ready": "readiness",
    "schedule": "plan",
    "checklist": "checklist",
    "mark": "checklist",
    "status": "plan",
    "timetable": "timetable",
    "overview": "board",
    "letter": "letters",
    "calendar": "plan",
    "tell": "tell",
    "select": "tracking",
    "history": "board",
    "schema": "casefile",
    "lists": "tracking",
}

#: The commands in the order ``sendplan --help`` lists them.
WORKFLOW = tuple(COMMANDS)


def command_name(command: Any) -> str:
    """A registered command's name on the command line (Typer's rule)."""
    return str(command.name or command.callback.__name__.replace("_", "-"))


def register(name: str) -> bool:
    """Import the module declaring command ``name`` (it registers its commands);
    False when no command has that name."""
    module = COMMANDS.get(name)
    if module is None:
        return False
    importlib.import_module(f"{__name__}.{module}")
    return True


def register_all() -> None:
    """Import every command module and put the commands in the order of the work."""
    from sendplan.cli.base import app

    for module in dict.fromkeys(COMMANDS.values()):
        importlib.import_module(f"{__name__}.{module}")
    position = {name: i for i, name in enumerate(WORKFLOW)}
    app.registered_commands.sort(key=lambda c: position.get(command_name(c), len(position)))
