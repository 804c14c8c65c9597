"""Long work shows progress on stderr when stderr is a terminal, and only then (issue 13).

The core calls plain callbacks (``sendplan.progress``); the CLI turns them into
Rich's progress bar.  Checked here: the core's hooks are called by the list
reader, the selection search and ``letter --all``; the bar draws them on a
terminal; piped or with ``--format json`` nothing but warnings reaches stderr.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from rich.console import Console

from cli_harness import run_cli
from sendplan import cli
from sendplan.case import load_case
from sendplan.letters import render_all
from sendplan.progress import quiet
from sendplan.render.progress import progress_bar
from sendplan.schedule import build_schedule
from sendplan.tracking import ListsSource, plan_tracking

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "full-inspection.toml"
LISTS = ROOT / "examples" / "lists"
SOURCE = ListsSource(LISTS / "list1.csv", LISTS / "list2.csv", None)


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int, int | None]] = []

    def __call__(self, what: str, done: int, total: int | None) -> None:
        self.calls.append((what, done, total))


def test_select_reports_reading_and_choosing() -> None:
    hook = Recorder()
    plan_tracking(load_case(EXAMPLE), SOURCE, seed=1, progress=hook)
    phases = [what for what, _, _ in hook.calls]
    assert phases.index("Reading List 1") < phases.index("Reading List 2")
    assert phases.index("Cross-checking the lists") < phases.index("Choosing")
    choosing = [(done, total) for what, done, total in hook.calls if what == "Choosing"]
    assert choosing[0] == (0, choosing[0][1]) and choosing[-1][0] == choosing[-1][1]


def test_letter_all_counts_every_letter() -> None:
    case = load_case(EXAMPLE)
    hook = Recorder()
    letters, _ = render_all(case, build_schedule(case), progress=hook)
    totals = {total for _, _, total in hook.calls}
    assert totals == {len(letters)}
    assert hook.calls[-1] == ("Rendering letters", len(letters), len(letters))


def test_the_bar_draws_on_a_terminal() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, color_system=None, width=100)
    with progress_bar(console, after=0) as hook:
        plan_tracking(load_case(EXAMPLE), SOURCE, seed=1, progress=hook)
    drawn = buffer.getvalue()
    assert "Reading List 1" in drawn and "Choosing" in drawn


def test_a_quick_run_draws_nothing() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, color_system=None, width=100)
    with progress_bar(console, after=60) as hook:
        plan_tracking(load_case(EXAMPLE), SOURCE, seed=1, progress=hook)
    assert buffer.getvalue() == ""


@pytest.mark.parametrize(("format", "terminal", "shown"), [
    ("table", True, True),
    ("json", True, False),
    ("table", False, False),
])  # fmt: skip
def test_the_bar_only_on_a_terminal_and_never_for_json(
    monkeypatch: pytest.MonkeyPatch, format: str, terminal: bool, shown: bool
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: terminal)
    with cli.progress(format) as hook:
        assert (hook is not quiet) == shown


@pytest.mark.parametrize("format", ["table", "json"])
@pytest.mark.parametrize("args", [
    ["select", str(EXAMPLE), "--list1", str(LISTS / "list1.csv"), "--list2", str(LISTS / "list2.csv"), "--seed", "1"],
    # Ages at a fixed notification: at today's date the synthetic children age
    # past 25 (an error, exit 1) from December 2028.
    ["lists", "check", "--list1", str(LISTS / "list1.csv"), "--list2", str(LISTS / "list2.csv"),
     "--notification", "2025-04-25"],
])  # fmt: skip
def test_piped_stderr_holds_warnings_only(args: list[str], format: str) -> None:
    result = run_cli(*args, "--format", format)
    assert result.code == 0, result.output
    assert all(line.startswith("warning: ") for line in result.stderr.splitlines())


def test_the_timetable_solve_reports_its_runs() -> None:
    from sendplan.timetable.model import build_problem
    from sendplan.timetable.solver import solve

    case = load_case(EXAMPLE)
    problem = build_problem(case, build_schedule(case))
    hook = Recorder()
    result = solve(problem, progress=hook)
    assert result.complete
    # Placing, then the preferences from that timetable (issue 19).
    assert hook.calls == [
        (f"Placing {len(problem.sessions)} sessions", 0, None),
        ("Arranging the days", 0, None),
    ]
