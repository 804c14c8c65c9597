"""Typer's private internals that sendplan uses (``sendplan.cli.typer_private``).

Each test names the piece it needs, so an upgrade of Typer that moves one fails
here, loudly and by name, rather than somewhere in completion or a usage line.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from cli_harness import run_cli
from sendplan.cli import typer_private

PRIVATE = [
    ("typer._click.globals", "get_current_context"),
    ("typer._completion_classes", "completion_init"),
    ("typer._completion_shared", "get_completion_script"),
    ("typer._completion_shared", "install"),
    ("typer.core", "TyperArgument"),
]


@pytest.mark.parametrize(("module", "name"), PRIVATE, ids=lambda v: str(v))
def test_the_private_piece_is_still_there(module: str, name: str) -> None:
    assert hasattr(importlib.import_module(module), name), (
        f"Typer no longer has {module}.{name}: sendplan.cli.typer_private needs a new way"
    )


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish", "powershell"])
def test_the_completion_script_names_sendplan(shell: str) -> None:
    script = typer_private.completion_script(shell)
    assert "_SENDPLAN_COMPLETE" in script
    assert "sendplan" in script


def test_usage_lines_show_arguments_plainly() -> None:
    result = run_cli("schedule", env={"COLUMNS": "100"})
    assert result.code == 2
    assert "CASE" in result.stderr
    assert "{CASE}" not in result.stderr


@pytest.mark.parametrize(
    "program",
    [[str(Path(sys.executable).with_name("sendplan"))], [sys.executable, "-m", "sendplan"]],
    ids=["console script", "python -m"],
)
def test_a_usage_error_points_at_the_command_s_help(program: list[str]) -> None:
    # Under `python -m sendplan` the root's name is three words; the hint names
    # the command as a person types it either way.
    done = subprocess.run(
        [*program, "schedule", "--no-such-option"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert "see `sendplan schedule --help`" in done.stderr, done.stderr
