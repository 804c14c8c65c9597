"""One way for tests to run the command line: in process, with a fixed clock.

Every call passes ``--today`` (through ``SENDPLAN_TODAY``, which every command
that reads the clock honours) unless the test gives its own, so no test
depends on the day it runs. The result carries the exit code, stdout, stderr
and, for ``--format json``, the parsed document.

No other test module makes a ``CliRunner`` (tests/test_harness.py checks): a
test that needs more of the runner adds it here, documented.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from unittest import mock

import typer.main
import typer.testing
from typer.testing import CliRunner

from sendplan.cli import app

#: The moment every test runs at unless it says otherwise: the example
#: inspection's week 1 (notified 25 Apr 2025), so its dates read as future.
TODAY = "2025-05-01T12:00"


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    #: With ``catch_exceptions``: an exception the command let out (a traceback a
    #: person would see); None when it ended by exiting.
    exception: BaseException | None = None

    @property
    def json(self) -> Any:
        return json.loads(self.stdout)

    @property
    def output(self) -> str:
        """What a person at the terminal sees: stdout, then stderr."""
        return self.stdout + self.stderr


def run_cli(
    *args: str,
    today: str | None = TODAY,
    env: Mapping[str, str | None] | None = None,
    input: str | None = None,
    catch_exceptions: bool = False,
) -> Run:
    """Run ``sendplan ARGS`` in process.

    ``today=None`` runs on the real clock (no ``SENDPLAN_TODAY``); an ``--today``
    among ``args`` wins over ``today`` as it does for a user. ``env`` adds to the
    environment (a value of None removes the variable); the terminal is 120
    columns wide and colourless unless ``env`` says otherwise (``COLUMNS``,
    ``NO_COLOR``). Output is read as UTF-8 with CRLF read as LF, as Click reads it.

    An exception the command lets out is a traceback a user would see (bad input
    gets a clear error, never a traceback): it is raised here and fails the test,
    unless ``catch_exceptions`` (the fuzzers, which collect them) puts it in
    ``Run.exception`` with exit code 1.
    """
    environment: dict[str, str | None] = {"NO_COLOR": "1", "COLUMNS": "120", **(env or {})}
    environment.setdefault("SENDPLAN_TODAY", today)
    # Typer rebuilds the Click command on every invoke (15 ms, more than most
    # commands take): build it once, and the same command runs. patch.object fails
    # loudly if a Typer upgrade renames what it patches.
    with mock.patch.object(typer.testing, "_get_command", _command):
        result = CliRunner().invoke(
            app, list(args), env=environment, input=input, catch_exceptions=catch_exceptions
        )
    escaped = None if isinstance(result.exception, SystemExit) else result.exception
    return Run(result.exit_code, result.stdout, result.stderr, escaped)


@functools.cache
def _command(typer_app: typer.Typer) -> Any:
    return typer.main.get_command(typer_app)
