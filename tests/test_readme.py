"""The README's opening commands are the ones CI runs, and stay true."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text)[:2]


def test_readme_opens_with_install_and_test_commands() -> None:
    main_job, tests = readme_commands()
    assert "sendplan schedule examples/full-inspection.toml" in main_job
    assert tests.endswith("python -m pytest")
    assert ".[test]" in tests


def test_ci_runs_the_readme_commands_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    for command in readme_commands():
        assert command in ci, command


def test_readme_example_case_exists() -> None:
    assert (ROOT / "examples" / "full-inspection.toml").is_file()


def test_library_example_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The README's library section is a program; run it as a user would, from the checkout.
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"## Using sendplan as a library.*?```python\n(.*?)```", text, re.S)
    assert found, "the README lost its library example"
    monkeypatch.chdir(ROOT)
    exec(compile(found.group(1), "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "2025-07-10"  # publication: 38 working days after 16 May 2025
    assert printed[1] == "2026-04-20"  # notified 2 April 2026, Easter skipped
    assert printed[4] == "# Area SEND inspection of Exampleshire: notification"


def test_readme_never_installs_sendplan_from_the_package_index() -> None:
    # sendplan is not on PyPI: `pip install sendplan` would install nothing, or
    # someone else's package. Every install in the README is from a path or git.
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = "\n".join(re.findall(r"```(?:sh|yaml)\n(.*?)```", text, re.S))
    installs = re.findall(r"pip install (\S+)", blocks)
    assert installs, "the README lost its install commands"
    for target in installs:
        target = target.strip("`\"'")
        assert target.startswith((".", "-e", "git+", "./")), target
    assert "git submodule add" in text


def test_readme_samples_are_generated() -> None:
    # Every `text` block of program output is inside a cog block (cog --check runs in
    # tests/test_case_keys.py and CI), so none can drift from what sendplan prints.
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    outside = re.sub(r"<!-- \[\[\[cog.*?\[\[\[end\]\]\] -->", "", text, flags=re.S)
    assert "```text" not in outside
