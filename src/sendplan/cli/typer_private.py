"""Every use of Typer's private internals, in one place.

Typer 0.28 (pinned in ``pyproject.toml``) vendors click and has no public API
for these; ``tests/test_typer_private.py`` fails loudly, naming the piece, when
an upgrade moves one.
"""

from __future__ import annotations

from typing import Any

#: The environment variable of the completion protocol (``_SENDPLAN_COMPLETE``).
COMPLETE_VAR = "_SENDPLAN_COMPLETE"


def command_takes(parameter: str) -> bool:
    """Whether the running command has ``parameter`` (``notification``, say)."""
    from typer._click.globals import get_current_context  # Typer vendors click

    context = get_current_context(silent=True)
    return context is not None and any(p.name == parameter for p in context.command.params)


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


def one_error_style() -> None:
    """Click's usage errors in sendplan's style: ``sendplan: message`` on one line,
    naming the help to read, exit 2 (click prints ``Usage: ...`` and ``Error: ...``).

    Typer 0.28 prints them through its vendored click's ``UsageError.show``;
    ``sendplan`` with no command still prints its help (``NoArgsIsHelpError``).
    """
    from typer._click.exceptions import ClickException, UsageError

    if getattr(UsageError.show, "sendplan_style", False):
        return

    def show(self: ClickException, file: Any = None) -> None:
        import sys

        context = getattr(self, "ctx", None)
        message = usage_message(self.format_message())
        if context is not None:
            # The root's name is `sendplan`, or `python -m sendplan` (three words).
            root = context.find_root().info_name or ""
            rest = context.command_path.removeprefix(root).split()
            path = " ".join(["sendplan", *rest])
            message += f"; see `{path} --help`"
        (file or sys.stderr).write(f"sendplan: {message}\n")

    show.sendplan_style = True  # type: ignore[attr-defined]
    UsageError.show = show  # type: ignore[method-assign]
    ClickException.show = show  # type: ignore[method-assign]


def usage_message(text: str) -> str:
    """Click's wording as sendplan's: lower case first, no full stop, a suggestion
    in brackets (``No such option: --todya Did you mean --today?``)."""
    import re

    text = text.strip().rstrip(".")
    # "Invalid value for '--status' / '-s': 'x' is not ...": as sendplan's own
    # errors name a value, "--status 'x' is not ..." (and SENDPLAN_TODAY's too).
    names = r"^Invalid value for '([^']+)'(?: / '[^']+')*(?: \(env var: '[^']+'\))?: "
    text = re.sub(names + "(?=')", r"\1 ", text)
    text = re.sub(names, r"\1: ", text)
    text = re.sub(r"\s*\(Possible options: ([^)]*)\)", r" (did you mean \1?)", text)
    text = re.sub(r"\.?\s+Did you mean ([^?]+)\?", r" (did you mean \1?)", text)
    text = re.sub(r"\.\s*\(did you mean", " (did you mean", text)
    if text[:1].isupper() and text[1:2].islower():
        text = text[0].lower() + text[1:]
    return text
