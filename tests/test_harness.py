"""One way to run the command line in the tests (issue 24): ``cli_harness.run_cli``.

No other module under tests/ makes its own ``CliRunner`` (each used to, with its
own helpers and its own idea of today), and the harness keeps its promises: a
fixed clock unless a test asks otherwise, and an uncaught exception fails the test.
"""

from __future__ import annotations

import ast
from pathlib import Path
from unittest import mock

import pytest

from cli_harness import TODAY, run_cli

TESTS = Path(__file__).resolve().parent
EXAMPLE = TESTS.parent / "examples" / "full-inspection.toml"
#: Where a runner of the command line may be found: Typer's and Click's testing modules.
RUNNER_MODULES = {"typer.testing", "click.testing", "typer._click.testing"}


def runner_uses(source: str) -> list[str]:
    """Each place ``source`` imports a CLI test runner or names ``CliRunner``, as
    ``line: what``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module in RUNNER_MODULES:
            found.append(f"{node.lineno}: from {node.module} import ...")
        elif isinstance(node, ast.Import):
            found += [
                f"{node.lineno}: import {a.name}" for a in node.names if a.name in RUNNER_MODULES
            ]
        elif (isinstance(node, ast.Name) and node.id == "CliRunner") or (
            isinstance(node, ast.Attribute) and node.attr == "CliRunner"
        ):
            found.append(f"{node.lineno}: CliRunner")
    return found


@pytest.mark.parametrize(
    "source",
    [
        "from typer.testing import CliRunner\nCliRunner().invoke(app, [])\n",
        "import typer.testing\nrunner = typer.testing.CliRunner()\n",
        "def f():\n    from click.testing import CliRunner as R\n    return R()\n",
    ],
)
def test_the_finder_finds_a_runner(source: str) -> None:
    assert runner_uses(source)


def test_the_finder_ignores_words_about_a_runner() -> None:
    assert runner_uses('"""Not a CliRunner: cli_harness.run_cli."""\n# CliRunner\n') == []


def test_no_module_but_the_harness_makes_a_runner() -> None:
    modules = sorted(TESTS.rglob("*.py"))
    assert TESTS / "cli_harness.py" in modules and len(modules) > 50
    found = {
        str(path.relative_to(TESTS)): uses
        for path in modules
        if path.name != "cli_harness.py" and (uses := runner_uses(path.read_text(encoding="utf-8")))
    }
    assert found == {}, "run the command line with cli_harness.run_cli (extend it if need be)"


def test_the_clock_is_fixed_unless_the_test_says() -> None:
    args = ("status", str(EXAMPLE), "--format", "json")
    assert run_cli(*args).json["today"] == TODAY
    assert run_cli(*args, today="2025-05-14T10:00").json["today"] == "2025-05-14T10:00"
    given = run_cli(*args, "--today", "2025-05-20T09:00").json["today"]  # as for a user
    assert given == "2025-05-20T09:00"


def test_an_uncaught_exception_fails_the_test_unless_collected() -> None:
    boom = KeyError("boom")
    with mock.patch("sendplan.case.loading.parse_case", side_effect=boom):
        with pytest.raises(KeyError):
            run_cli("validate", str(EXAMPLE))
        collected = run_cli("validate", str(EXAMPLE), catch_exceptions=True)
    assert (collected.code, collected.exception) == (1, boom)
    assert run_cli("validate", str(EXAMPLE)).exception is None
