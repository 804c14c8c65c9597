"""Every command on every example kind ends in a message and an exit code, never a traceback.

The commands come from the Typer app (as in ``test_cli_contract``), the cases
from ``examples/*.toml``, so a new command or a new kind is covered without
anyone adding it here.  A command may refuse a kind (an engagement meeting has
no notification, so no lists to read): then it exits 2 and says why.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cli_harness import Run, run_cli
from test_cli_contract import NAMES, formats, ok_args

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


def run_on(name: str, example: Path, tmp_path: Path, *more: str) -> Run:
    """`sendplan NAME` on a copy of ``example`` (run_cli fails on an uncaught exception)."""
    case = tmp_path / "case.toml"
    shutil.copyfile(example, case)
    result = run_cli(*ok_args(name, tmp_path), *more)
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("name", NAMES)
def test_every_command_on_every_kind(name: str, example: Path, tmp_path: Path) -> None:
    result = run_on(name, example, tmp_path)
    assert result.code in (0, 1, 2)
    if result.code == 2:
        assert result.stderr.strip(), f"`sendplan {name}` on {example.name} exits 2 without a word"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("name", [n for n in NAMES if "json" in formats(n)])
def test_every_json_command_on_every_kind(name: str, example: Path, tmp_path: Path) -> None:
    result = run_on(name, example, tmp_path, "--format", "json")
    if result.code != 2:
        json.loads(result.stdout)


@pytest.mark.parametrize("name", ["select", "lists check"])
def test_a_kind_without_a_notification_is_refused_clearly(name: str, tmp_path: Path) -> None:
    result = run_on(name, ROOT / "examples" / "engagement-meeting.toml", tmp_path)
    assert result.code == 2
    assert result.stdout == ""
    assert "engagement meeting, which has no notification" in result.stderr
    assert "paras 196, 199" in result.stderr
