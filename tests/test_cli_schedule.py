"""`sendplan schedule` end to end: formats, exit codes, stdout/stderr split."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from cli_harness import run_cli
from sendplan.cli import app

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "full-inspection.toml"


def test_json_is_only_json() -> None:
    result = run_cli("schedule", str(EXAMPLE), "--format", "json")
    assert result.code == 0, result.output
    data = json.loads(result.stdout)
    assert data["local_area"] == "Exampleshire"
    assert data["warnings"] == []
    ids = [e["id"] for e in data["events"]]
    assert ids.index("notification") < ids.index("on_site_start") < ids.index("publication_due")


def test_rehearsal_overrides_the_case_file() -> None:
    result = run_cli("schedule", str(EXAMPLE), "-f", "json", "--notification", "2026-04-02")
    assert result.code == 0, result.output
    events = {e["id"]: e for e in json.loads(result.stdout)["events"]}
    assert events["notification"]["date"] == "2026-04-02"
    assert events["on_site_start"]["date"] == "2026-04-20"  # across Easter 2026
    assert EXAMPLE.read_text(encoding="utf-8").count("on_site_start = 2025-05-12") == 1


def test_bad_rehearsal_date_is_a_usage_error() -> None:
    result = run_cli("schedule", str(EXAMPLE), "--on-site-start", "next monday")
    assert result.code == 2
    assert "not a date like 2025-05-12" in result.output


def test_table_and_markdown() -> None:
    table = run_cli("schedule", str(EXAMPLE))
    assert table.code == 0
    assert "Week 1: notification" in table.stdout
    assert "Not a working day: May Day" in table.stdout
    assert "\x1b[" not in table.stdout  # not a terminal: no colour
    markdown = run_cli("schedule", str(EXAMPLE), "--format", "markdown")
    assert markdown.stdout.startswith("# Full area SEND inspection: Exampleshire")
    assert "| 28 Apr 2025 | Mon | 2 | 11:00 |" in markdown.stdout


def test_invalid_case_exits_2_without_traceback(write_case: Callable[[str], Path]) -> None:
    path = write_case('[inspection]\nkind = "full"\nlocal_area = "X"\non_site_strat = 2025-05-12\n')
    result = run_cli("schedule", str(path))
    assert result.code == 2
    assert "Traceback" not in result.output
    assert f"{path}:4: inspection.on_site_strat: unknown key" in result.stderr
    assert result.stdout == ""


def test_warnings_go_to_stderr(write_case: Callable[[str], Path]) -> None:
    path = write_case('[inspection]\nkind = "full"\nlocal_area = "X"\non_site_start = 2025-05-13\n')
    result = run_cli("schedule", str(path), "-f", "json")
    assert result.code == 0
    assert "is a Tuesday" in result.stderr
    assert "is a Tuesday" in json.loads(result.stdout)["warnings"][0]


def test_python_dash_m_and_no_colour(tmp_path: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1", "SENDPLAN_CACHE_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "sendplan", "schedule", str(EXAMPLE)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "\x1b[" not in done.stdout
    assert "Person-level data (Lists 1 and 2" in done.stdout


def test_missing_case_file_exits_2() -> None:
    result = run_cli("schedule", "no-such-case.toml")
    assert result.code == 2
    assert "no such case file" in result.stderr


def test_the_lean_entry_point_matches_the_full_app(tmp_path: Path) -> None:
    # main() builds only the command being run (start-up); the output must not change.
    env = {**os.environ, "SENDPLAN_CACHE_DIR": str(tmp_path)}
    args = ["schedule", str(EXAMPLE), "--format", "json"]
    done = subprocess.run(
        [sys.executable, "-m", "sendplan", *args], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    # Both on the real clock.
    assert json.loads(done.stdout) == json.loads(run_cli(*args, today=None).stdout)
    helped = subprocess.run(
        [sys.executable, "-m", "sendplan", "schedule", "--help"], capture_output=True, text=True
    )
    assert "--on-site-start" in helped.stdout


def test_command_only_keeps_one_command_or_none() -> None:
    from sendplan.cli import command_only

    lean = command_only("lists")
    assert lean is not None and [g.name for g in lean.registered_groups] == ["lists"]
    assert lean.registered_commands == []
    assert command_only("no-such-command") is None
    assert len(app.registered_commands) > 5  # the full app is untouched


def test_case_text_is_not_rich_markup(write_case: Callable[[str], Path]) -> None:
    path = write_case(
        '[inspection]\nkind = "full"\nlocal_area = "Upper [bold]Vale[/bold]"\n'
        "on_site_start = 2025-05-12\n[dates]\ndraft_report_due = 2025-06-05\n"
    )
    result = run_cli("schedule", str(path))
    assert result.code == 0, result.output
    assert "Upper [bold]Vale[/bold]" in result.stdout
    assert "[case file]" in result.stdout  # the marker on a recorded date
    assert result.stderr == ""  # early is within "within 14 working days" (para 136)


def test_a_failed_write_is_a_message_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import tempfile

    def full_disk(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", full_disk)
    target = tmp_path / "notification.md"
    result = run_cli("letter", str(EXAMPLE), "notification", "-o", str(target))
    assert result.code == 2
    assert f"cannot write {target}: No space left on device" in result.stderr
    assert "Traceback" not in result.output
    assert not target.exists()
