"""The first hour of a new user (issue 25): Windows, conventions, errors that teach,
placeholders, one screen.

CI runs Linux only; the code Windows runs is tested here with what Windows lacks
taken away (``fcntl``; ``os.fchown``, ``os.fchmod``, ``os.geteuid``), and a
replace refused while another program holds the file is simulated.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from cli_harness import run_cli
from sendplan import files

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "full-inspection.toml"
CASE = (
    '[inspection]\nkind = "full"\nlocal_area = "Testshire"\non_site_start = 2025-05-12\n\n'
    '[checklist.items."1.3"]\nstatus = "in-progress"\n'
)


@pytest.fixture
def case(tmp_path: Path) -> Path:
    path = tmp_path / "case.toml"
    path.write_text(CASE, encoding="utf-8")
    return path


@pytest.fixture
def like_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """What Windows lacks: fcntl, owner ids and fchmod."""
    # filelock loads its back ends lazily: load them while fcntl is there, so the
    # flock lock of later tests is not the one built without it.
    import filelock._native._unix  # noqa: F401

    files._lock_type()
    monkeypatch.setitem(sys.modules, "fcntl", None)  # `import fcntl` raises ImportError
    for name in ("fchown", "fchmod", "geteuid", "getegid"):
        monkeypatch.delattr(os, name, raising=False)


# ------------------------------------------------------------------ Windows
def test_the_lock_without_fcntl_is_filelocks_portable_one(like_windows: None) -> None:
    import filelock

    assert files._lock_type() == (filelock.SoftFileLock, True)


def test_the_lock_with_fcntl_is_flock_and_sendplan_removes_its_file() -> None:
    import filelock

    assert files._lock_type() == (filelock.UnixFileLock, False)


def test_mark_works_without_fcntl_and_leaves_nothing_behind(like_windows: None, case: Path) -> None:
    result = run_cli("mark", str(case), "2.1", "2.2", "-s", "done")
    assert result.code == 0, result.stderr
    assert '[checklist.items."2.1"]' in case.read_text(encoding="utf-8")
    assert sorted(p.name for p in case.parent.iterdir()) == ["case.toml"]
    failed = run_cli("mark", str(case), "99.9", "-s", "done")  # no such item
    assert failed.code == 2
    assert sorted(p.name for p in case.parent.iterdir()) == ["case.toml"]


def test_mark_keeps_crlf_without_fcntl(like_windows: None, case: Path) -> None:
    case.write_bytes(CASE.replace("\n", "\r\n").encode())
    assert run_cli("mark", str(case), "2.1", "-s", "done").code == 0
    raw = case.read_bytes()
    assert b'"2.1"' in raw and raw.count(b"\n") == raw.count(b"\r\n")


def _mark_in_a_process(case: Path, item: str, block_fcntl: bool) -> subprocess.Popen[str]:
    block = "import sys; sys.modules['fcntl'] = None; " if block_fcntl else ""
    code = (
        f"{block}import sys; from sendplan.cli.entry import main; "
        f"sys.argv = ['sendplan', 'mark', {str(case)!r}, {item!r}, '-s', 'done']; main()"
    )
    env = {**os.environ, "SENDPLAN_TODAY": "2025-05-01T12:00"}
    return subprocess.Popen(
        [sys.executable, "-c", code],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("block_fcntl", [True, False], ids=["no fcntl", "fcntl"])
def test_concurrent_marks_all_land_and_no_lock_file_stays(case: Path, block_fcntl: bool) -> None:
    items = ["2.1", "2.2", "2.3", "4.1", "4.2", "4.3"]
    processes = [_mark_in_a_process(case, item, block_fcntl) for item in items]
    results = [p.communicate(timeout=120) + (p.returncode,) for p in processes]
    assert [r[2] for r in results] == [0] * len(items), [r[1] for r in results]
    text = case.read_text(encoding="utf-8")
    for item in items:
        assert f'[checklist.items."{item}"]\nstatus = "done"' in text
    assert sorted(p.name for p in case.parent.iterdir()) == ["case.toml"]


def test_a_lock_file_left_by_a_crash_is_removed_by_the_next_edit(case: Path) -> None:
    files.lock_path(case).write_text("", encoding="utf-8")
    assert run_cli("mark", str(case), "2.1", "-s", "done").code == 0
    assert sorted(p.name for p in case.parent.iterdir()) == ["case.toml"]


def test_an_edit_that_cannot_get_the_lock_says_so(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "LOCK_WAIT_SECONDS", 0.2)
    holding = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with files.locked(case):
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(10)
        result = run_cli("mark", str(case), "2.1", "-s", "done")
    finally:
        release.set()
        holder.join()
    assert result.code == 2
    assert "is being edited by another sendplan" in result.stderr
    assert result.stderr.startswith("sendplan: ")
    assert '"2.1"' not in case.read_text(encoding="utf-8")


def _refuse_replace(monkeypatch: pytest.MonkeyPatch, times: int) -> list[int]:
    calls: list[int] = []
    real = os.replace

    def replace(source: str | Path, target: str | Path) -> None:
        calls.append(1)
        if len(calls) <= times:
            raise PermissionError(13, "The process cannot access the file")
        real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(files, "REPLACE_TRIES", 4)
    monkeypatch.setattr(files, "REPLACE_PAUSE", 0.0)
    return calls


def test_a_replace_refused_for_a_moment_is_retried(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _refuse_replace(monkeypatch, times=2)
    assert run_cli("mark", str(case), "2.1", "-s", "done").code == 0
    assert len(calls) == 3
    assert '"2.1"' in case.read_text(encoding="utf-8")


def test_a_file_held_open_by_another_program_is_reported(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _refuse_replace(monkeypatch, times=99)
    result = run_cli("mark", str(case), "2.1", "-s", "done")
    assert len(calls) == 4
    assert result.code == 2
    assert "another program has it open" in result.stderr
    assert case.read_text(encoding="utf-8") == CASE
    assert sorted(p.name for p in case.parent.iterdir()) == ["case.toml"]  # no temporary


def test_on_posix_a_refused_replace_is_not_retried(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _refuse_replace(monkeypatch, times=99)
    monkeypatch.setattr(files, "REPLACE_TRIES", 1)
    assert run_cli("mark", str(case), "2.1", "-s", "done").code == 2
    assert len(calls) == 1


def test_output_redirected_under_a_windows_code_page_is_utf8() -> None:
    # Windows encodes a redirected stdout in cp1252, which has no table borders.
    done = subprocess.run(
        [sys.executable, "-m", "sendplan", "schedule", str(EXAMPLE)],
        env={**os.environ, "PYTHONIOENCODING": "cp1252"},
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-500:]
    assert "─" in done.stdout.decode("utf-8")


def test_reading_opens_files_as_bytes_everywhere() -> None:
    # Windows' os.open is text mode unless O_BINARY: CRLF would read as LF.
    assert files.READ_FLAGS & getattr(os, "O_BINARY", 0) == getattr(os, "O_BINARY", 0)


# ------------------------------------------------------------------ CASE: -, SENDPLAN_CASE, ./case.toml
def test_case_from_standard_input_reads_like_the_file() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    from_file = run_cli("schedule", str(EXAMPLE), "-f", "json")
    from_stdin = run_cli("schedule", "-", "-f", "json", input=text)
    assert from_stdin.code == 0, from_stdin.stderr
    assert from_stdin.json == from_file.json
    assert run_cli("validate", "-", input=text).stdout.startswith("<stdin>: valid")


def test_relative_paths_in_a_case_from_stdin_resolve_against_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = CASE + '\n[history]\ndata = "record.csv"\n'
    result = run_cli("schedule", "-", input=text)
    assert result.code == 2
    assert "record.csv" in result.stderr
    shutil.copy(ROOT / "src" / "sendplan" / "data" / "area-send-inspections.csv", "record.csv")
    assert run_cli("schedule", "-", input=text).code == 0


def test_a_bad_case_on_stdin_is_named_stdin() -> None:
    result = run_cli("validate", "-", input='[inspection]\nkind = "ful"\n')
    assert result.code == 2
    assert result.stderr.startswith("sendplan: <stdin>:2: inspection.kind:")


@pytest.mark.parametrize(
    "args",
    [["mark", "-", "1.1", "-s", "done"], ["select", "-", "--lists", "x.xlsx", "--save"]],
    ids=["mark", "select --save"],
)
def test_commands_that_write_the_case_refuse_stdin(args: list[str]) -> None:
    result = run_cli(*args, input=CASE)
    assert result.code == 2
    assert "writes the case file, so it needs its path" in result.stderr
    assert result.stderr.startswith("sendplan: ")


def test_sendplan_case_names_the_case_when_case_is_left_out(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path.parent)  # no case.toml here
    result = run_cli("status", "-f", "json", env={"SENDPLAN_CASE": str(case)})
    assert result.code == 0, result.stderr
    assert result.json["local_area"] == "Testshire"
    marked = run_cli("mark", "2.1", "-s", "done", env={"SENDPLAN_CASE": str(case)})
    assert marked.code == 0, marked.stderr
    assert '"2.1"' in case.read_text(encoding="utf-8")


def test_case_toml_here_is_the_case_when_nothing_else_names_one(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(case.parent)
    monkeypatch.delenv("SENDPLAN_CASE", raising=False)
    assert run_cli("checklist", "-f", "json").code == 0
    assert run_cli("mark", "2.1", "2.2", "-s", "done").code == 0
    assert '"2.2"' in case.read_text(encoding="utf-8")
    letters = run_cli("letter", "--list")
    assert letters.code == 0 and "notification" in letters.stdout


def test_completion_reads_the_case_a_command_would_find(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typing import cast

    import typer

    from sendplan.cli import complete_item

    class Params:
        params: dict[str, object] = {}

    context = cast(typer.Context, Params())
    text = EXAMPLE.read_text(encoding="utf-8") + '\n[tracking]\nselected = ["C014"]\n'
    (tmp_path / "case.toml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SENDPLAN_CASE", raising=False)
    assert "7.1:C014" in complete_item(context, "7.")
    monkeypatch.chdir(tmp_path.parent)
    assert "7.1:C014" not in complete_item(context, "7.")  # Annex A's own ids
    monkeypatch.setenv("SENDPLAN_CASE", str(tmp_path / "case.toml"))
    assert "7.1:C014" in complete_item(context, "7.")


def test_no_case_anywhere_suggests_init(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SENDPLAN_CASE", raising=False)
    result = run_cli("schedule")
    assert result.code == 2
    assert "SENDPLAN_CASE" in result.stderr and "`sendplan init`" in result.stderr


def test_a_missing_case_file_suggests_init(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    result = run_cli("status", str(missing))
    assert result.code == 2
    assert result.stderr == (
        f"sendplan: {missing}: no such case file (start one with `sendplan init {missing}`)\n"
    )


def test_help_says_where_case_comes_from() -> None:
    text = run_cli("schedule", "-h").stdout
    assert "$SENDPLAN_CASE" in text and "./case.toml" in text and "standard input" in text
    assert "standard input" not in run_cli("mark", "-h").stdout.split("ITEM")[0]


# ------------------------------------------------------------------ errors that teach
def _validate(tmp_path: Path, text: str) -> str:
    path = tmp_path / "case.toml"
    path.write_text(text, encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.code == 2
    return result.stderr


def test_an_unknown_role_lists_the_roles_and_people_other(tmp_path: Path) -> None:
    from sendplan.roles import PEOPLE_ROLES

    stderr = _validate(tmp_path, CASE + '[people.director]\nname = "A"\n')
    assert "people.director: is not a role" in stderr
    assert all(role in stderr for role in PEOPLE_ROLES)
    assert "[[people.other]]" in stderr
    # "Director of children's services" is the dcs's description.
    assert "(did you mean `dcs`?)" in stderr
    none_close = _validate(tmp_path, CASE + '[people.zzz]\nname = "A"\n')
    assert "did you mean" not in none_close and "[[people.other]]" in none_close


@pytest.mark.parametrize(
    ("written", "meant"),
    [("Full inspection", "full"), ("Re-visit", "revisit"), ("Monitoring", "monitoring")],
)
def test_a_kind_as_people_write_it_suggests_the_kind(
    tmp_path: Path, written: str, meant: str
) -> None:
    stderr = _validate(tmp_path, CASE.replace('kind = "full"', f'kind = "{written}"'))
    assert f"(did you mean `{meant}`?)" in stderr
    assert stderr.startswith("sendplan: ")
    init = run_cli("init", "-", "--kind", written)
    assert init.code == 2 and f"did you mean `{meant}`?" in init.stderr


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (
            ["mark", "{case}", "1.1", "-s", "finished"],
            "one of: not-started, in-progress, done, n/a",
        ),
        (["mark", "{case}", "1.1", "-s", "Done"], "did you mean `done`?"),
        (["checklist", "{case}", "--status", "in progress"], "did you mean `in-progress`?"),
        (["schedule", "{case}", "-f", "tabel"], "did you mean `table`?"),
        (["schedule", "{case}", "-f", "pdf"], "one of: table, json, markdown, csv, xlsx"),
        (["init", "-", "--kind", "inspection"], "one of: full, monitoring, revisit, engagement"),
    ],
)
def test_fixed_values_suggest_or_list(case: Path, args: list[str], hint: str) -> None:
    result = run_cli(*[a.replace("{case}", str(case)) for a in args])
    assert result.code == 2
    assert hint in result.stderr
    assert result.stderr.startswith("sendplan: ") and "Usage:" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["schedule", str(EXAMPLE), "--no-such-option"],
        ["status", str(EXAMPLE), "--today", "2025-13-01"],
        ["mark", str(EXAMPLE), "1.1"],
        ["schedul"],
    ],
)
def test_usage_errors_in_the_one_style(args: list[str]) -> None:
    result = run_cli(*args)
    assert result.code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("sendplan: "), result.stderr
    assert "Error:" not in result.stderr and "Usage:" not in result.stderr
    assert "--help`" in result.stderr


def test_validate_problems_carry_the_prefix_too(tmp_path: Path) -> None:
    stderr = _validate(tmp_path, '[inspection]\nkind = "ful"\nlocal_area = 3\n')
    assert all(line.startswith("sendplan: ") for line in stderr.splitlines())
    assert len(stderr.splitlines()) >= 2


# ------------------------------------------------------------------ placeholders
def test_init_marks_its_placeholders_and_validate_warns_until_they_are_changed(
    tmp_path: Path,
) -> None:
    path = tmp_path / "case.toml"
    assert run_cli("init", str(path), today="2026-12-06").code == 0
    text = path.read_text(encoding="utf-8")
    assert "on_site_start = 2027-01-04 # placeholder: the real date" in text
    assert 'local_area = "Exampleshire" # placeholder:' in text
    result = run_cli("validate", str(path), "-f", "json")
    assert result.code == 0
    warned = [w for w in result.json["warnings"] if "placeholder" in w]
    keys = {re.search(r":\d+: (\S+) is still", w).group(1) for w in warned}  # type: ignore[union-attr]
    assert keys == {
        "inspection.local_area",
        "inspection.on_site_start",
        "people.lano.name",
        "people.dcs.name",
    }
    text = text.replace('"Exampleshire" # placeholder: your local area\'s name', '"Barnet"')
    text = text.replace("2027-01-04 # placeholder: the real date", "2027-01-11")
    text = re.sub(r'"(LANO|DCS)\'s name" # placeholder: the real name', '"A Person"', text)
    path.write_text(text, encoding="utf-8")
    clean = run_cli("validate", str(path), "-f", "json")
    assert clean.code == 0
    assert not [w for w in clean.json["warnings"] if "placeholder" in w]


def test_validate_text_warns_of_placeholders_on_stderr_and_q_keeps_quiet(tmp_path: Path) -> None:
    path = tmp_path / "case.toml"
    assert run_cli("init", str(path), today="2026-12-06").code == 0
    shown = run_cli("validate", str(path))
    assert shown.code == 0
    assert "inspection.local_area is still the placeholder" in shown.stderr
    quiet = run_cli("validate", str(path), "-q")
    assert quiet.code == 0 and quiet.stderr == ""


# ------------------------------------------------------------------ -q and -o
def test_q_leaves_warnings_and_notes_out(tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    loud = run_cli("schedule", str(EXAMPLE), "-f", "markdown", "-o", str(target))
    assert loud.code == 0 and loud.stderr == f"wrote {target}\n"
    quiet = run_cli("schedule", str(EXAMPLE), "-f", "markdown", "-o", str(target), "--force", "-q")
    assert quiet.code == 0 and quiet.stderr == ""


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["schedule", str(EXAMPLE), "-f", "csv"], "plan.csv"),
        (["checklist", str(EXAMPLE), "-f", "xlsx"], "list.xlsx"),
        (["overview", str(EXAMPLE)], "page.html"),
        (["letter", str(EXAMPLE), "notification"], "letter.md"),
        (["calendar", str(EXAMPLE)], "plan.ics"),
        (["timetable", str(EXAMPLE), "-f", "markdown"], "week.md"),
    ],
)
def test_every_o_names_the_file_on_stderr(tmp_path: Path, args: list[str], name: str) -> None:
    target = tmp_path / name
    result = run_cli(*args, "-o", str(target))
    assert result.code == 0, result.stderr
    assert target.exists()
    assert re.search(rf"^wrote (\d+ events to )?{re.escape(str(target))}$", result.stderr, re.M)
    again = run_cli(*args, "-o", str(target), "--force", "-q")
    assert again.code == 0 and again.stderr == ""


def test_o_dash_is_standard_output() -> None:
    result = run_cli("schedule", str(EXAMPLE), "-f", "json", "-o", "-")
    assert result.code == 0 and result.json["local_area"] == "Exampleshire"
    assert result.stderr == ""


# ------------------------------------------------------------------ status and history
def _status_lines(today: str) -> list[str]:
    result = run_cli("status", str(EXAMPLE), "--today", today, env={"LINES": "24", "COLUMNS": "80"})
    assert result.code == 0, result.stderr
    return result.stdout.splitlines()


@pytest.mark.parametrize(
    "today", ["2025-04-25T09:00", "2025-05-01T12:00", "2025-05-09T10:00", "2025-05-14T10:00"]
)
def test_status_at_80x24_keeps_its_header(today: str) -> None:
    lines = _status_lines(today)
    assert len(lines) <= 23  # and the prompt's line below: the header stays on screen
    assert lines[0] == "Full area SEND inspection: Exampleshire"
    day = today[:10]
    import datetime as dt

    date = dt.date.fromisoformat(day)
    assert lines[1].startswith(f"{date:%A} {date.day} {date:%B %Y}")
    assert "Week" in " ".join(lines[1:3])


def test_status_names_the_real_case_for_what_it_leaves_out() -> None:
    lines = _status_lines("2025-05-09T10:00")
    text = " ".join(line.strip() for line in lines)
    assert f"more events to come: sendplan schedule {EXAMPLE}" in text
    next_rows = [n for n, line in enumerate(lines) if line.startswith("Next")]
    assert next_rows


def test_status_shows_at_most_the_next_three() -> None:
    from datetime import datetime

    from sendplan.case import load_case
    from sendplan.checklist import build_checklist, build_status
    from sendplan.render.checklist import NEXT_SHOWN
    from sendplan.schedule import build_schedule

    case = load_case(EXAMPLE)
    plan = build_schedule(case)
    board = build_status(plan, build_checklist(case, plan), datetime(2025, 4, 25, 9))
    result = run_cli("status", str(EXAMPLE), "--today", "2025-04-25T09:00")
    lines = result.stdout.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("Next"))
    end = next(n for n, line in enumerate(lines) if line.startswith("Overdue"))
    days = "Mon|Tue|Wed|Thu|Fri|Sat|Sun"
    rows = [line for line in lines[start + 1 : end] if re.match(rf"  ({days}) \d", line)]
    assert NEXT_SHOWN == 3 and len(board.next_events) > 3
    assert len(rows) <= NEXT_SHOWN


def test_history_never_breaks_a_path(tmp_path: Path) -> None:
    folder = tmp_path / ("a_folder_name_long_enough_to_pass_the_edge_of_an_80_column_terminal" * 2)
    folder.mkdir()
    record = folder / "record.csv"
    shutil.copy(ROOT / "src" / "sendplan" / "data" / "area-send-inspections.csv", record)
    result = run_cli("history", "Hampshire", "--data", str(record), env={"COLUMNS": "80"})
    assert result.code == 0, result.stderr
    assert f"{record}." in result.stdout.splitlines()  # whole, on a line of its own
    for line in result.stdout.splitlines():
        assert len(line) <= 80 or str(record) in line  # only the path runs past the edge


# ------------------------------------------------------------------ the pager
def _at_a_terminal(args: list[str], env: dict[str, str], cwd: Path) -> str:
    """What a terminal of 24 rows shows of ``sendplan ARGS`` (stdout and stderr)."""
    from test_cli_contract import _run_in_terminal

    terminal = {"LINES": "24", "COLUMNS": "100", "NO_COLOR": "1", **env}
    code, shown = _run_in_terminal(args, terminal, cwd)
    assert code == 0, shown[-2000:]
    return shown.decode("utf-8", "replace")


def test_a_long_table_at_a_terminal_goes_through_the_pager(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    shown = _at_a_terminal(["schedule", str(EXAMPLE)], {"PAGER": f"cat > {paged}"}, tmp_path)
    assert "Week 1" in paged.read_text(encoding="utf-8")
    assert "Week 1" not in shown
    paged.unlink()
    direct = _at_a_terminal(
        ["schedule", str(EXAMPLE), "--no-pager"], {"PAGER": f"cat > {paged}"}, tmp_path
    )
    assert "Week 1" in direct and not paged.exists()


def test_a_short_output_or_a_pipe_never_pages(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    shown = _at_a_terminal(["validate", str(EXAMPLE)], {"PAGER": f"cat > {paged}"}, tmp_path)
    assert "valid (Full area SEND inspection, Exampleshire)" in shown
    assert not paged.exists()
    piped = subprocess.run(
        [sys.executable, "-m", "sendplan", "schedule", str(EXAMPLE)],
        env={**os.environ, "PAGER": f"cat > {paged}"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Week 1" in piped.stdout and not paged.exists()


# ------------------------------------------------------------------ the README's path
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_opens_with_the_first_inspection_in_workflow_order() -> None:
    from sendplan.cli.commands import WORKFLOW

    first = re.search(r"^## (.+)$", README, re.M)
    assert first and first.group(1) == "Your first inspection"
    path = README.split("## Your first inspection", 1)[1].split("\n## ", 1)[0]
    steps = re.findall(r"^\| (\d+) \| \[`sendplan ([a-z]+)", path, re.M)
    assert [int(n) for n, _ in steps] == list(range(1, 11))
    commands = [name for _, name in steps]
    assert commands == sorted(commands, key=WORKFLOW.index)
    assert README.index("## Your first inspection") > README.index("python -m pytest")


def test_every_link_within_the_readme_names_a_heading() -> None:
    body = re.sub(r"```.*?```", "", README, flags=re.S)
    slugs = {
        re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        for heading in re.findall(r"^#+ (.+)$", body, re.M)
    }
    links = set(re.findall(r"\]\(#([^)]+)\)", README))
    assert links and links <= slugs, links - slugs
