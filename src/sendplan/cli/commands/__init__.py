"""The commands, one module per group; :func:`register_all` lists them in the
order of a LANO's work, which is the order ``sendplan --help`` shows."""

from __future__ import annotations

#: The commands in the order of the work: start and check the case file, plan,
#: track, place the week, brief, write, export; then the tools.
WORKFLOW = (
    "init",
    "validate",
    "ready",
    "schedule",
    "checklist",
    "mark",
    "status",
    "timetable",
    "overview",
    "letter",
    "calendar",
    "tell",
    "select",
    "history",
    "schema",
)


def register_all() -> None:
    """Import every command module (each registers its commands) and order them."""
    from sendplan.cli.base import app
    from sendplan.cli.commands import (
        board,
        casefile,
        checklist,
        letters,
        plan,
        readiness,
        tell,
        timetable,
        tracking,
    )
    from sendplan.cli.entry import command_name

    # Imported to register their commands.
    del board, casefile, checklist, letters, plan, readiness, tell, timetable, tracking
    position = {name: i for i, name in enumerate(WORKFLOW)}
    app.registered_commands.sort(key=lambda c: position.get(command_name(c), len(position)))
