"""Every use of Typer's private internals, in one place.

Typer 0.28 (pinned in ``pyproject.toml``) vendors click and has no public API
for these; ``tests/test_typer_private.py`` fails loudly, naming the piece, when
an upgrade moves one.
"""

from __future__ import annotations

from typing import Any

#: The environment variable of the completion protocol (``_SENDPLAN_COMPLETE``).
COMPLETE_VAR = "_SENDPLAN_COMPLETE"


def plain_argument_usage() -> None:
    """Usage lines show required arguments as ``CASE``, as their help does.

    Typer 0.28 writes them as ``{CASE}``, which reads as a literal brace set.
    """
    from typer.core import TyperArgument

    original = TyperArgument.make_metavar
    if getattr(original, "sendplan_plain", False):
        return

    def make_metavar(self: TyperArgument, ctx: Any, *, usage: bool = False) -> str:
        text: str = original(self, ctx, usage=usage)
        if usage and text.startswith("{") and text.endswith("}"):
            return text[1:-1]
        return text

    make_metavar.sendplan_plain = True  # type: ignore[attr-defined]
    TyperArgument.make_metavar = make_metavar  # type: ignore[method-assign]


def completion_script(shell: str) -> str:
    """The completion script for ``shell`` (Typer's own options detect the shell
    and ignore one given; these are the functions their callbacks call)."""
    from typer._completion_classes import completion_init
    from typer._completion_shared import get_completion_script

    completion_init()
    script: str = get_completion_script(
        prog_name="sendplan", complete_var=COMPLETE_VAR, shell=shell
    )
    return script


def install_completion(shell: str) -> tuple[str, object]:
    """Install the completion script for ``shell``: (the shell, where it went)."""
    from typer._completion_classes import completion_init
    from typer._completion_shared import install

    completion_init()
    installed, path = install(shell=shell, prog_name="sendplan", complete_var=COMPLETE_VAR)
    return str(installed), path
