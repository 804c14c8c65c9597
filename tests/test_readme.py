"""The README's opening commands are the ones CI runs, and stay true."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text)[:2]


def test_readme_opens_with_install_and_test_commands() -> None:
    main_job, tests = readme_commands()
    assert "sendplan schedule examples/full-inspection.toml" in main_job
    assert tests.endswith("python -m pytest")
    assert '.[test]' in tests


def test_ci_runs_the_readme_commands_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    for command in readme_commands():
        assert command in ci, command


def test_readme_example_case_exists() -> None:
    assert (ROOT / "examples" / "full-inspection.toml").is_file()
