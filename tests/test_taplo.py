"""Editors accept what sendplan writes: Taplo (the engine of VS Code's Even Better
TOML) checks every example, every `init` file and files `mark` and `select --save`
have edited against `sendplan schema`, as an editor would (issue 13)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cli_harness import run_cli
from sendplan.rules import KINDS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
LISTS = ROOT / "examples" / "lists"


def taplo() -> str:
    """The binary of the `taplo` PyPI package (test extras), beside this Python."""
    beside = Path(sys.executable).parent / "taplo"
    found = str(beside) if beside.exists() else shutil.which("taplo")
    assert found, "taplo is not installed: pip install -e '.[test]'"
    return found


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("schema") / "case.schema.json"
    result = run_cli("schema")
    assert result.code == 0
    path.write_text(result.stdout, encoding="utf-8")
    return path


def taplo_check(schema: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [taplo(), "check", "--no-auto-config", "--schema", schema.as_uri(), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_taplo_accepts_every_example_and_init_file(schema: Path, tmp_path: Path) -> None:
    files = list(EXAMPLES)
    for kind in KINDS:
        path = tmp_path / f"init-{kind}.toml"
        made = run_cli("init", str(path), "--kind", kind, "--today", "2025-03-03")
        assert made.code == 0, made.output
        files.append(path)
    result = taplo_check(schema, *files)
    assert result.returncode == 0, result.stderr


def test_taplo_accepts_files_mark_and_select_wrote(schema: Path, tmp_path: Path) -> None:
    case = tmp_path / "case.toml"
    shutil.copy(ROOT / "examples" / "full-inspection.toml", case)
    lists = ["--list1", str(LISTS / "list1.csv"), "--list2", str(LISTS / "list2.csv")]
    saved = run_cli("select", str(case), *lists, "--seed", "1", "--save", "-f", "json")
    assert saved.code == 0, saved.output
    for args in (
        ["1.1", "1.2", "--status", "done", "--today", "2025-04-28T10:30"],
        ["2.*", "--status", "in-progress", "--note", "drafts in", "--owner", "SEND team"],
        ["7.*", "--status", "not-started", "--today", "2025-04-29"],
    ):
        marked = run_cli("mark", str(case), *args)
        assert marked.code == 0, marked.output
    text = case.read_text(encoding="utf-8")
    assert "updated = 2025-04-28T10:30:00" in text  # a TOML local date-time
    result = taplo_check(schema, case)
    assert result.returncode == 0, result.stderr


CHECKED = '[checklist.items."1.1"]\nstatus = "done"\n'


@pytest.mark.parametrize(
    ("extra", "shown"),
    [
        ("on_site_strat = 2025-05-12\n", "on_site_strat"),
        (CHECKED + 'updated = "yesterday"\n', "yesterday"),
    ],
)
def test_taplo_flags_mistakes(schema: Path, tmp_path: Path, extra: str, shown: str) -> None:
    # The check can fail: a misspelt key, a word for a date.
    path = tmp_path / "case.toml"
    head = '[inspection]\nkind = "full"\nlocal_area = "X"\non_site_start = 2025-05-12\n'
    path.write_text(head + extra, encoding="utf-8")
    result = taplo_check(schema, path)
    assert result.returncode != 0
    assert shown in result.stderr


def test_taplo_and_the_loader_agree_on_offset_date_times(schema: Path, tmp_path: Path) -> None:
    # The loader converts an offset date-time to England's local time, so the
    # schema editors read must take it too (one answer for one file).
    from sendplan.case import load_case

    path = tmp_path / "case.toml"
    path.write_text(
        '[inspection]\nkind = "full"\nlocal_area = "X"\non_site_start = 2025-05-12\n'
        "[dates]\ndraft_report_due = 2025-06-05T10:00:00Z\n"
        + CHECKED
        + "updated = 2025-04-28T10:30:00+01:00\n",
        encoding="utf-8",
    )
    load_case(path)  # raises on a value the loader refuses
    result = taplo_check(schema, path)
    assert result.returncode == 0, result.stderr
