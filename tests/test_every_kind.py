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

from test_cli_contract import NAMES, formats, invoke, ok_args

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


def _run(name: str, example: Path, tmp_path: Path, *more: str) -> tuple[int, str, str]:
    case = tmp_path / "case.toml"
    shutil.copyfile(example, case)
    result = invoke([*ok_args(name, tmp_path), *more])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"`sendplan {name}` on {example.name} raised {result.exception!r}"
    )
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("name", NAMES)
def test_every_command_on_every_kind(name: str, example: Path, tmp_path: Path) -> None:
    code, _, stderr = _run(name, example, tmp_path)
    assert code in (0, 1, 2)
    if code == 2:
        assert stderr.strip(), f"`sendplan {name}` on {example.name} exits 2 without a word"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("name", [n for n in NAMES if "json" in formats(n)])
def test_every_json_command_on_every_kind(name: str, example: Path, tmp_path: Path) -> None:
    code, stdout, _ = _run(name, example, tmp_path, "--format", "json")
    if code != 2:
        json.loads(stdout)


@pytest.mark.parametrize("name", ["select", "lists check"])
def test_a_kind_without_a_notification_is_refused_clearly(name: str, tmp_path: Path) -> None:
    code, stdout, stderr = _run(name, ROOT / "examples" / "engagement-meeting.toml", tmp_path)
    assert code == 2
    assert stdout == ""
    assert "engagement meeting, which has no notification" in stderr
    assert "paras 196, 199" in stderr
