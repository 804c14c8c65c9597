"""The CLI's contract with scripts and CI, checked for every registered command.

The commands are read from the Typer app, so a new command is held to the
same contract without anyone remembering to add it here: help text, a README
mention, exit codes 0/1/2, JSON-only stdout under ``--format json``, no
terminal escapes when stdout is not a terminal or ``NO_COLOR`` is set.  A
command that needs more than a case file to succeed gets its arguments in
:data:`OK_ARGS`.
"""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main

from cli_harness import run_cli
from sendplan.cli import app
from sendplan.cli.base import FILE_FORMATS
from sendplan.pdf import find_browser

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "full-inspection.toml"
README = (ROOT / "README.md").read_text(encoding="utf-8")
ESCAPE = re.compile(r"\x1b\[")


def _walk(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    out = []
    for name, command in sorted(group.commands.items()):
        if getattr(command, "hidden", False):
            continue
        if hasattr(command, "commands"):
            out += _walk(command, prefix + (name,))
        else:
            out.append((prefix + (name,), command))
    return out


COMMANDS = _walk(typer.main.get_command(app))
NAMES = [" ".join(path) for path, _ in COMMANDS]
BY_NAME = dict(zip(NAMES, (c for _, c in COMMANDS), strict=True))

#: Arguments with which a command succeeds (exit 0) on the example case;
#: ``{case}`` is a copy of the example, ``{tmp}`` a fresh folder.  Commands
#: not listed are run with just the case file (or nothing, if they take none).
OK_ARGS: dict[str, list[str]] = {
    "calendar": ["{case}", "-o", "{tmp}/plan.ics"],
    "history": ["Barnet"],
    "init": ["{tmp}/new.toml"],
    "letter": ["{case}", "--list"],
    "lists check": [
        "--case",
        "{case}",
        "--list1",
        "{lists}/list1.csv",
        "--list2",
        "{lists}/list2.csv",
    ],
    "mark": ["{case}", "1.1", "--status", "done"],
    "schema": [],
    "tell": [
        "{case}",
        "--timetable",
        str(ROOT / "examples" / "timetables" / "full-inspection-timetable.toml"),
        "--out-dir",
        "{tmp}/outbox",
    ],
    "select": [
        "{case}",
        "--list1",
        "{lists}/list1.csv",
        "--list2",
        "{lists}/list2.csv",
        "--seed",
        "1",
    ],
}
LISTS = ROOT / "examples" / "lists"


def params(name: str) -> dict[str, Any]:
    return {p.name: p for p in BY_NAME[name].params}


def takes_case(name: str) -> bool:
    """Whether the command reads a case file (as its argument or ``--case``)."""
    return "case_file" in params(name) or "{case}" in OK_ARGS.get(name, [])


def formats(name: str) -> list[str]:
    """The formats ``--format`` offers, as its help shows them: ``[table|json]``."""
    option = params(name).get("format")
    if option is None:
        return []
    metavar = str(option.metavar)
    assert metavar.startswith("[") and metavar.endswith("]"), metavar
    return metavar[1:-1].split("|")


def ok_args(name: str, tmp_path: Path) -> list[str]:
    case = tmp_path / "case.toml"
    if not case.exists():
        case.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    default = ["{case}"] if takes_case(name) else []
    args = [a.format(case=case, tmp=tmp_path, lists=LISTS) for a in OK_ARGS.get(name, default)]
    if "today" in params(name):
        args += ["--today", "2025-05-01"]
    return name.split() + args


def test_commands_are_found() -> None:
    assert {"schedule", "calendar", "init", "validate", "schema"} <= set(NAMES)


# ------------------------------------------------------------------ help and README
@pytest.mark.parametrize("name", NAMES)
def test_every_command_has_help_and_is_in_the_readme(name: str) -> None:
    command = BY_NAME[name]
    assert (command.help or "").strip(), f"`sendplan {name}` has no help text (a docstring)"
    result = run_cli(*name.split(), "--help")
    assert result.code == 0
    assert f"sendplan {name}" in README, f"README does not mention `sendplan {name}`"
    for param in command.params:
        if param.param_type_name == "option":
            assert (param.help or "").strip(), f"`sendplan {name} {param.opts[0]}` has no help"


def test_version_and_completion() -> None:
    from sendplan import __version__

    result = run_cli("--version")
    assert (result.code, result.stdout) == (0, f"sendplan {__version__}\n")
    top = run_cli("--help")
    assert "--install-completion" in top.stdout
    assert "--install-completion" in README


# ------------------------------------------------------------------ exit codes
@pytest.mark.parametrize("name", NAMES)
def test_exit_0_on_good_input(name: str, tmp_path: Path) -> None:
    result = run_cli(*ok_args(name, tmp_path))
    assert result.code == 0, (
        f"`sendplan {name}` failed on the example; give it arguments in OK_ARGS:\n{result.output}"
    )


@pytest.mark.parametrize("name", NAMES)
def test_exit_2_on_an_unknown_option(name: str) -> None:
    result = run_cli(*name.split(), "--no-such-option")
    assert result.code == 2
    assert "no such option" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", [n for n in NAMES if takes_case(n)])
def test_exit_2_on_a_missing_case_file(name: str, tmp_path: Path) -> None:
    args = ok_args(name, tmp_path)
    args[args.index(str(tmp_path / "case.toml"))] = str(tmp_path / "missing.toml")
    result = run_cli(*args)
    assert result.code == 2, result.output
    assert "missing.toml" in result.stderr and "no such case file" in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", [n for n in NAMES if takes_case(n)])
def test_exit_2_on_an_invalid_case_file(name: str, tmp_path: Path) -> None:
    args = ok_args(name, tmp_path)
    case = tmp_path / "case.toml"
    case.write_text(
        case.read_text(encoding="utf-8").replace("on_site_start =", "on_site_strat ="),
        encoding="utf-8",
    )
    result = run_cli(*args)
    assert result.code == 2, result.output
    assert "on_site_strat: unknown key (did you mean `on_site_start`?)" in result.stderr
    assert "Traceback" not in result.output


# Commands whose --check fails when --today is long after every deadline.  Not the
# timetable: its --check compares the saved timetable with the case, whatever the day
# (tests/test_timetable.py); its --today is the moment of a re-plan.
CHECKS = [n for n in NAMES if "check" in params(n) and "today" in params(n) and n != "timetable"]


@pytest.mark.parametrize("name", CHECKS)
def test_exit_1_when_a_check_fails(name: str, tmp_path: Path) -> None:
    args = ok_args(name, tmp_path)
    args[args.index("--today") + 1] = "2030-01-01"  # long after: everything is overdue
    result = run_cli(*args, "--check")
    assert result.code == 1, result.output
    assert "Traceback" not in result.output


# ------------------------------------------------------------------ output for scripts
JSON_COMMANDS = [n for n in NAMES if "json" in formats(n)]


def test_the_format_lists_are_read() -> None:
    # If `formats` stopped finding the choices, the tests below would run on nothing.
    assert len(JSON_COMMANDS) >= 10
    assert formats("schedule") == ["table", "json", "markdown", "csv", "xlsx"]


@pytest.mark.parametrize(
    ("name", "fmt"), [(n, f) for n in NAMES for f in formats(n)], ids=lambda v: str(v)
)
def test_every_format_offered_prints_something(name: str, fmt: str, tmp_path: Path) -> None:
    """Issue 13: an option does what its help says for every value, or is not offered."""
    if fmt in FILE_FORMATS:  # a workbook, PDF or Word document is only written to a file
        if fmt == "pdf" and find_browser() is None:
            pytest.skip("no Chromium, Chrome or Edge to print the PDF")
        book = tmp_path / f"out.{fmt}"
        # `letter --list` names the letters; a Word document needs a letter.
        args = [a if a != "--list" else "notification" for a in ok_args(name, tmp_path)]
        result = run_cli(*args, "--format", fmt, "-o", str(book))
        assert result.code == 0, result.output
        assert book.read_bytes()[:4] in (b"PK\x03\x04", b"%PDF") and book.stat().st_size > 5000
        return
    result = run_cli(*ok_args(name, tmp_path), "--format", fmt)
    assert result.code == 0, result.output
    # Only `text` (one line saying what was done) may say it on stderr.
    said = result.stdout.strip() or (fmt == "text" and result.stderr.strip())
    assert said, f"`sendplan {name} --format {fmt}` printed nothing"


@pytest.mark.parametrize("name", [n for n in NAMES if formats(n)])
def test_a_format_not_offered_is_refused_with_the_choices(name: str, tmp_path: Path) -> None:
    result = run_cli(*ok_args(name, tmp_path), "--format", "xml")
    assert result.code == 2
    assert (
        "--format 'xml' is not a format (one of: " + ", ".join(formats(name)) + ")" in result.stderr
    )


@pytest.mark.parametrize("name", JSON_COMMANDS)
def test_format_json_prints_only_json(name: str, tmp_path: Path) -> None:
    result = run_cli(*ok_args(name, tmp_path), "--format", "json")
    assert result.code == 0, result.output
    json.loads(result.stdout)  # the whole of stdout, nothing else
    assert not ESCAPE.search(result.stdout + result.stderr)


@pytest.mark.parametrize("name", JSON_COMMANDS)
def test_format_json_does_not_import_rich(name: str, tmp_path: Path) -> None:
    args = ok_args(name, tmp_path)
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "sendplan", *args, "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=60,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines() if "|" in line}
    assert not {m for m in imported if m == "rich" or m.startswith("rich.")}


@pytest.mark.parametrize("name", [n for n in NAMES if {"json", "markdown"} & set(formats(n))])
def test_json_and_markdown_do_not_depend_on_the_terminal_width(name: str, tmp_path: Path) -> None:
    for fmt in {"json", "markdown"} & set(formats(name)):
        outputs = set()
        for columns in ("40", "250"):
            sub = tmp_path / f"{fmt}-{columns}"
            sub.mkdir()
            result = run_cli(*ok_args(name, sub), "--format", fmt, env={"COLUMNS": columns})
            assert result.code == 0, result.output
            outputs.add(result.stdout.replace(str(sub), "<tmp>"))
        assert len(outputs) == 1, f"`sendplan {name} --format {fmt}` depends on COLUMNS"


@pytest.mark.parametrize("name", NAMES)
def test_no_escapes_when_stdout_is_not_a_terminal(name: str, tmp_path: Path) -> None:
    result = run_cli(*ok_args(name, tmp_path), env={"NO_COLOR": None, "TERM": "xterm-256color"})
    assert result.code == 0, result.output
    assert not ESCAPE.search(result.stdout + result.stderr)
    assert "[bold]" not in result.stdout and "[/" not in result.stdout  # no Rich markup


def _run_in_terminal(
    args: list[str], env: dict[str, str], cwd: Path, *, stderr: bool = True
) -> tuple[int, bytes]:
    """Run sendplan with stdout (and stderr, unless ``stderr`` is False: then it goes
    nowhere) on a pseudo-terminal; (exit code, what the terminal shows)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: become sendplan, never return into pytest
        try:
            if not stderr:
                os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
            os.chdir(cwd)
            os.environ.pop("NO_COLOR", None)
            # What the terminal shows, not a pager's screen (tests/test_first_hour.py pages).
            os.environ.update({"PAGER": "cat", **env})
            os.execv(sys.executable, [sys.executable, "-m", "sendplan", *args])
        finally:
            os._exit(127)
    output = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(fd)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), output


@pytest.mark.parametrize("name", NAMES)
def test_no_escapes_on_a_terminal_with_no_color(name: str, tmp_path: Path) -> None:
    # The output itself. A progress bar on a terminal's stderr moves the cursor,
    # which NO_COLOR allows (it is about colour); the timetable's solve is long
    # enough to show one (tests/test_progress.py tests the bar and when it shows).
    code, output = _run_in_terminal(
        ok_args(name, tmp_path),
        {"NO_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "160"},
        tmp_path,
        stderr=False,
    )
    assert code == 0, output[-2000:]
    assert b"\x1b[" not in output


def test_a_terminal_without_no_color_does_get_styles(tmp_path: Path) -> None:
    """The check above can fail: the same run without NO_COLOR has escapes."""
    env = {"TERM": "xterm-256color", "COLUMNS": "160"}
    code, output = _run_in_terminal(["schedule", str(EXAMPLE)], env, tmp_path)
    assert code == 0
    assert b"\x1b[" in output


@pytest.mark.skipif("lists check" not in NAMES, reason="no `lists check` command")
def test_exit_1_when_the_lists_have_errors(tmp_path: Path) -> None:
    good = (LISTS / "list1.csv").read_text(encoding="utf-8")
    bad = good.replace("SYN000001,Z000000000001,,21/10/2013", "SYN000001,Z000000000001,,31/02/2013")
    assert bad != good
    (tmp_path / "list1.csv").write_text(bad, encoding="utf-8")
    args = ok_args("lists check", tmp_path)
    args[args.index("--list1") + 1] = str(tmp_path / "list1.csv")
    result = run_cli(*args)
    assert result.code == 1, result.output
    assert "Traceback" not in result.output


def test_core_errors_name_parameters_and_the_cli_words_the_flags() -> None:
    """Issue 15: the core's message names its parameter (```workbook```); the
    one handler in the CLI puts the flag there (``--lists``)."""
    from sendplan.cli import error_text
    from sendplan.errors import ListError
    from sendplan.lists.reading import open_lists

    with pytest.raises(ListError) as raised:
        open_lists()
    error = raised.value
    assert str(error) == "give the lists: `list1` FILE `list2` FILE, or `workbook` WORKBOOK"
    assert error_text(error) == "give the lists: --list1 FILE --list2 FILE, or --lists WORKBOOK"


def test_the_progress_bar_console_keeps_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bar on stderr is made by the one console factory: NO_COLOR sends no styles
    there either (no_color alone would still send bold), FORCE_COLOR standing in
    for a terminal on stderr."""
    from rich.text import Text

    from sendplan.cli import console

    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert console(stderr=True).color_system is not None  # the check below can fail
    monkeypatch.setenv("NO_COLOR", "1")
    bar = console(stderr=True)
    assert bar.stderr and bar.color_system is None
    with bar.capture() as captured:
        bar.print(Text("working", style="bold"))
    assert "\x1b[" not in captured.get()
