"""Shell completion: the values offered as the shell completes an option or an
argument, and ``--show-completion SHELL`` / ``--install-completion SHELL``.

Typer calls the ``complete_*`` functions through the ``_SENDPLAN_COMPLETE``
protocol.  They read the case file named on the command line when there is one,
so a case's own children and templates are offered; a case that cannot be read
still gets the shipped values, never an error.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

from sendplan.errors import (
    EXIT_BAD_INPUT,
    SendplanError,
)

if TYPE_CHECKING:
    from sendplan.case import Case
from sendplan.cli.base import load


def _matching(values: Iterable[str], incomplete: str) -> list[str]:
    return [v for v in dict.fromkeys(values) if v.startswith(incomplete)]


def _case_for_completion(ctx: typer.Context) -> Case | None:
    """The case named on the command line, else the one a command would find
    (``$SENDPLAN_CASE``, ``./case.toml``); never standard input."""
    import os

    from sendplan.cli.options import CASE_VARIABLE, DEFAULT_CASE

    path = ctx.params.get("case_file") or os.environ.get(CASE_VARIABLE) or DEFAULT_CASE
    if str(path) == "-" or not Path(path).is_file():
        return None
    try:
        return load(Path(path))
    except (SendplanError, OSError, ValueError):
        return None


def complete_status(incomplete: str) -> list[str]:
    """``--status``: the checklist's statuses."""
    from sendplan.annex import STATUSES

    return _matching(STATUSES, incomplete)


def complete_role(incomplete: str) -> list[str]:
    """``--who``: the roles events name (``sendplan.rules.ROLES``)."""
    from sendplan.rules import ROLES

    return _matching(ROLES, incomplete.lower())


def complete_item(ctx: typer.Context, incomplete: str) -> list[str]:
    """``mark ITEM``: the case's checklist item ids (per tracked child too), else Annex A's."""
    case = _case_for_completion(ctx)
    if case is not None:
        from sendplan.checklist import build_checklist
        from sendplan.schedule import build_schedule

        try:
            ids = build_checklist(case, build_schedule(case)).ids()
        except SendplanError:
            ids = []
    else:
        from sendplan.annex import load_annex

        ids = [item.id for item in load_annex().items]
    return _matching(ids, incomplete)


def complete_letter(ctx: typer.Context, incomplete: str) -> list[str]:
    """``letter NAME``: the letters for the case's kind, else every shipped letter."""
    from sendplan import letters as lt

    case = _case_for_completion(ctx)
    try:
        if case is not None:
            names = [t.name for t in lt.available(case, ctx.params.get("templates") or [])]
        else:
            names = list(lt.discover([lt.shipped_dir()]))
    except SendplanError:
        names = []
    return _matching(names, incomplete)


#: Shells Typer writes completion scripts for.
SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def completion_for(argv: list[str]) -> tuple[str, str] | None:
    """``(action, shell)`` for ``--show-completion SHELL`` / ``--install-completion SHELL``.

    Typer's own options are flags that detect the running shell and ignore a
    shell given after them (``--show-completion zsh`` printed bash's script
    from bash).  Given a shell, sendplan uses it; without one, Typer detects it.
    """
    if len(argv) < 2:
        return None
    action, _, shell = argv[1].partition("=")
    if action not in ("--show-completion", "--install-completion"):
        return None
    if not shell and len(argv) > 2:
        shell = argv[2]
    return (action, shell) if shell else None


def complete(action: str, shell: str) -> NoReturn:
    """Print or install the completion script for ``shell``."""
    from sendplan.cli.typer_private import completion_script, install_completion

    if shell not in SHELLS:
        sys.stderr.write(
            f"sendplan: {action} {shell!r}: not a shell sendplan completes; "
            f"shells are: {', '.join(SHELLS)}\n"
        )
        raise SystemExit(EXIT_BAD_INPUT)
    if action == "--show-completion":
        sys.stdout.write(completion_script(shell) + "\n")
    else:
        installed, path = install_completion(shell)
        sys.stdout.write(f"{installed} completion installed in {path}\n")
        sys.stdout.write("Completion will take effect once you restart the terminal\n")
    raise SystemExit(0)
