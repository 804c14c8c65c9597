"""Every command's output, in every text format, on every example, byte for byte.

The snapshot is what the commands printed before a restructuring (the house
moves of issue 24): a move that changes no behaviour leaves it as it is. A
change that means to alter output regenerates it with
``SENDPLAN_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_command_snapshots.py``
and the diff is reviewed like code.

The timetable is left out: its own tests check its output (and the solve
takes seconds a case); the letters have their own snapshots (test_letters).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cli_harness import run_cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
SNAPSHOTS = ROOT / "tests" / "snapshots" / "commands"
UPDATE = os.environ.get("SENDPLAN_UPDATE_SNAPSHOTS") == "1"

COMMANDS: dict[str, list[str]] = {
    "validate": ["validate", "{case}"],
    "validate.json": ["validate", "{case}", "--format", "json"],
    "schedule": ["schedule", "{case}"],
    "schedule.json": ["schedule", "{case}", "--format", "json"],
    "schedule.md": ["schedule", "{case}", "--format", "markdown"],
    "schedule.csv": ["schedule", "{case}", "--format", "csv"],
    "checklist": ["checklist", "{case}"],
    "checklist.json": ["checklist", "{case}", "--format", "json"],
    "checklist.md": ["checklist", "{case}", "--format", "markdown"],
    "checklist.csv": ["checklist", "{case}", "--format", "csv"],
    "status": ["status", "{case}"],
    "status.json": ["status", "{case}", "--format", "json"],
    "status.md": ["status", "{case}", "--format", "markdown"],
    "overview.html": ["overview", "{case}"],
    "overview.json": ["overview", "{case}", "--format", "json"],
    "calendar.ics": ["calendar", "{case}", "-o", "-"],
    "letters.json": ["letter", "{case}", "--list", "--format", "json"],
    "ready": ["ready", "{case}"],
    "ready.json": ["ready", "{case}", "--format", "json"],
}


@pytest.mark.parametrize("case", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_output_unchanged(case: Path, name: str) -> None:
    args = [a.replace("{case}", str(case.relative_to(ROOT))) for a in COMMANDS[name]]
    cwd = Path.cwd()
    os.chdir(ROOT)  # the case path as a user types it, in messages too
    try:
        result = run_cli(*args)
    finally:
        os.chdir(cwd)
    text = f"exit {result.code}\n--- stdout\n{result.stdout}--- stderr\n{result.stderr}"
    snapshot = SNAPSHOTS / case.stem / f"{name}.txt"
    if UPDATE or not snapshot.exists():
        if not UPDATE:
            pytest.fail(f"no snapshot {snapshot}: run with SENDPLAN_UPDATE_SNAPSHOTS=1")
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_bytes(text.encode("utf-8"))
    assert text == snapshot.read_bytes().decode("utf-8"), (
        f"{' '.join(args)} changed; if on purpose, regenerate (see module docstring)"
    )
