"""Issue 13's command-line items: help that says what an option takes, dates that
name the option they came from, completion scripts for the shell asked for."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from cli_harness import run_cli
from sendplan.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "full-inspection.toml"

#: Every option holding a date, by command.
DATE_OPTIONS = [
    ("schedule", "--notification"),
    ("schedule", "--on-site-start"),
    ("letter", "--notification"),
    ("letter", "--on-site-start"),
    ("calendar", "--notification"),
    ("calendar", "--on-site-start"),
    ("calendar", "--today"),
    ("init", "--notification"),
    ("init", "--on-site-start"),
    ("init", "--today"),
    ("checklist", "--today"),
    ("checklist", "--due-before"),
    ("status", "--today"),
    ("mark", "--today"),
    ("ready", "--today"),
    ("history", "--today"),
    ("select", "--notification"),
    ("lists check", "--notification"),
    ("lists check", "--today"),
    ("overview", "--notification"),
    ("overview", "--on-site-start"),
    ("overview", "--today"),
    ("timetable", "--notification"),
    ("timetable", "--on-site-start"),
    ("timetable", "--today"),
    ("tell", "--today"),
]


def _help(name: str) -> str:
    result = run_cli(*name.split(), "--help", env={"COLUMNS": "200"})
    assert result.code == 0, result.output
    return result.stdout


def test_every_date_option_is_listed_here() -> None:
    command = typer.main.get_command(app)
    found = set()
    for name, sub in command.commands.items():  # type: ignore[attr-defined]
        subs = getattr(sub, "commands", None)
        for full, leaf in [(f"{name} {n}", c) for n, c in subs.items()] if subs else [(name, sub)]:
            for param in leaf.params:
                if param.metavar == "DATE":
                    found.add((full, param.opts[0]))
    assert found == set(DATE_OPTIONS)


@pytest.mark.parametrize(("name", "option"), DATE_OPTIONS)
def test_date_options_show_date_in_help(name: str, option: str) -> None:
    (line,) = [line for line in _help(name).splitlines() if line.strip().startswith(option + " ")]
    assert line.split()[:2] == [option, "DATE"]


@pytest.mark.parametrize("name", ["schedule", "letter", "calendar", "checklist", "select"])
def test_the_case_argument_shows_as_case(name: str) -> None:
    text = _help(name)
    assert f"Usage: sendplan {name} [OPTIONS] [CASE]" in text  # optional: SENDPLAN_CASE
    assert "{CASE}" not in text


@pytest.mark.parametrize(("name", "option"), DATE_OPTIONS)
def test_a_bad_date_names_its_option(name: str, option: str, tmp_path: Path) -> None:
    args = [*name.split(), option, "2025-13-01"]
    if name not in ("history", "init", "lists check"):
        args.insert(len(name.split()), str(EXAMPLE))
    if name == "history":
        args.insert(1, "Barnet")
    result = run_cli(*args)
    assert result.code == 2, result.output
    assert result.stderr.startswith(
        f"sendplan: {option} '2025-13-01' is not a date like 2025-05-12"
    )
    assert "Traceback" not in result.output


def test_a_bad_sendplan_today_names_the_variable() -> None:
    result = run_cli("status", str(EXAMPLE), env={"SENDPLAN_TODAY": "12/05/2025"})
    assert result.code == 2, result.output
    assert result.stderr.startswith("sendplan: SENDPLAN_TODAY '12/05/2025' is not a date")
    given = run_cli("status", str(EXAMPLE), "--today", "2025-05-12T10:00")
    assert given.code == 0, given.output


def _sendplan(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sendplan", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": str(home), "SHELL": "/bin/bash"},
        timeout=60,
    )


#: A line only each shell's script has.
SCRIPT_MARK = {
    "bash": "complete -o default -F _sendplan_completion sendplan",
    "zsh": "#compdef sendplan",
    "fish": "complete --command sendplan",
    "powershell": "Register-ArgumentCompleter",
}


@pytest.mark.parametrize("shell", list(SCRIPT_MARK))
def test_show_completion_writes_the_shell_asked_for(shell: str, tmp_path: Path) -> None:
    for args in (["--show-completion", shell], [f"--show-completion={shell}"]):
        run = _sendplan(*args, home=tmp_path)  # from bash: detection would say bash
        assert run.returncode == 0, run.stderr
        assert SCRIPT_MARK[shell] in run.stdout
        for other, mark in SCRIPT_MARK.items():
            if other != shell:
                assert mark not in run.stdout


def test_install_completion_zsh_installs_zsh(tmp_path: Path) -> None:
    run = _sendplan("--install-completion", "zsh", home=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "zsh completion installed" in run.stdout
    installed = (tmp_path / ".zfunc" / "_sendplan").read_text(encoding="utf-8")
    assert "#compdef sendplan" in installed
    assert "fpath+=~/.zfunc" in (tmp_path / ".zshrc").read_text(encoding="utf-8")
    assert not (tmp_path / ".bash_completions").exists()


def test_an_unknown_shell_is_refused(tmp_path: Path) -> None:
    run = _sendplan("--show-completion", "tcsh", home=tmp_path)
    assert run.returncode == 2
    assert "shells are: bash, zsh, fish, powershell, pwsh" in run.stderr


def test_the_zsh_script_completes_commands(tmp_path: Path) -> None:
    """What the zsh script asks sendplan at a TAB is answered (zsh's protocol)."""
    script = Path(sys.executable).with_name("sendplan")  # the name the script completes
    run = subprocess.run(
        [str(script)],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "_SENDPLAN_COMPLETE": "complete_zsh",
            "_TYPER_COMPLETE_ARGS": "sendplan sch",
        },
        timeout=60,
    )
    assert "schedule" in run.stdout and "schema" in run.stdout, run.stdout + run.stderr


def test_the_workbook_hint_names_the_command_s_own_formats() -> None:
    # A text format under a workbook's name is refused, with a hint from the
    # formats the command's --format offers (its format_option): schedule
    # offers xlsx, overview does not.
    offers = run_cli("schedule", "x.toml", "-o", "out.xlsx")
    assert offers.code == 2
    assert "use --format xlsx" in offers.stderr
    lacks = run_cli("overview", "x.toml", "-o", "out.xlsx")
    assert lacks.code == 2
    assert "name the file for what it holds" in lacks.stderr
