"""Hostile and clumsy input (issue 16): each reproducer is one message and exit 2, never a traceback.

Case files, options, user templates and batch writes; the lists are in
tests/test_hostile_lists.py, case-file edits in tests/test_mark.py.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from cli_harness import run_cli
from sendplan.schema import key_lines

GOOD = '[inspection]\nkind = "full"\nlocal_area = "Testshire"\non_site_start = 2025-05-12\n'


def people() -> str:
    from sendplan.case import PEOPLE_ROLES

    return "".join(f'\n[people.{role}]\nname = "N {role}"\n' for role in PEOPLE_ROLES)


def case(tmp_path: Path, text: str, name: str = "case.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return str(path)


# ------------------------------------------------------------------ case files
@pytest.mark.parametrize("depth", [500, 5000])
def test_deep_nesting_is_a_message(tmp_path: Path, depth: int) -> None:
    text = GOOD + "x = " + "[" * depth + "]" * depth + "\n"
    result = run_cli("validate", case(tmp_path, text))
    assert result.code == 2
    assert "nested too deeply" in result.stderr or "unknown key" in result.stderr


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "case.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode())
    assert run_cli("validate", str(path)).code == 0
    assert run_cli("schedule", str(path), "--format", "json").code == 0


@pytest.mark.parametrize(
    "dates",
    [
        "on_site_start = 0001-01-01",
        "on_site_start = 9999-12-27",
        "notification = 2025-05-01\non_site_start = 9025-05-12",
    ],
)
def test_dates_outside_the_window_are_refused_by_validate_at_once(
    tmp_path: Path, dates: str
) -> None:
    text = f'[inspection]\nkind = "full"\nlocal_area = "T"\n{dates}\n'
    started = time.monotonic()
    result = run_cli("validate", case(tmp_path, text))
    assert result.code == 2
    assert "outside the dates sendplan plans (2000 to 2100)" in result.stderr
    assert run_cli("calendar", case(tmp_path, text), "-o", "-").code == 2
    assert time.monotonic() - started < 5


def test_a_century_apart_is_still_quick(tmp_path: Path) -> None:
    text = '[inspection]\nkind = "full"\nlocal_area = "T"\nnotification = 2000-01-04\non_site_start = 2100-12-27\n'
    started = time.monotonic()
    assert run_cli("calendar", case(tmp_path, text), "-o", "-").code in (0, 1, 2)
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("where", ["local_area", "people"])
@pytest.mark.parametrize("bad", ["Test\nshire", "Test\rshire", "Test\x07shire", "Test\x85shire"])
def test_control_characters_in_names_are_refused(tmp_path: Path, where: str, bad: str) -> None:
    escaped = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in bad)
    if where == "local_area":
        text = GOOD.replace('"Testshire"', f'"{escaped}"')
    else:
        text = GOOD + f'\n[people.lano]\nname = "{escaped}"\n'
    result = run_cli("calendar", case(tmp_path, text), "-o", "-")
    assert result.code == 2
    assert (
        "control character" in result.stderr
        or "line break" in result.stderr
        or "carriage return" in result.stderr
    )


def test_a_utc_time_in_dates_is_the_same_moment_in_england(tmp_path: Path) -> None:
    import json

    text = GOOD + "\n[dates]\ndraft_report_due = 2025-06-05T10:00:00Z\n"
    result = run_cli("schedule", case(tmp_path, text), "--format", "json")
    assert result.code == 0
    event = next(e for e in json.loads(result.stdout)["events"] if e["id"] == "draft_report_due")
    assert (event["date"], event["time"]) == ("2025-06-05", "11:00")  # BST in June


@pytest.mark.parametrize("today", ["2025-05-14T09:00+00:00", "2025-05-14T09:00Z"])
def test_today_with_a_utc_offset(tmp_path: Path, today: str) -> None:
    path = case(tmp_path, GOOD)
    result = run_cli("status", path, "--today", today, "--format", "json")
    assert result.code == 0, result.stderr
    assert '"today": "2025-05-14T10:00"' in result.stdout
    result = run_cli("status", path, "--format", "json", env={"SENDPLAN_TODAY": today})
    assert result.code == 0, result.stderr
    assert '"today": "2025-05-14T10:00"' in result.stdout


def test_today_far_away_is_refused(tmp_path: Path) -> None:
    result = run_cli("status", case(tmp_path, GOOD), "--today", "9999-01-01")
    assert result.code == 2
    assert "2000 to 2100" in result.stderr


@pytest.mark.parametrize("command", ["validate", "schedule", "status", "mark"])
def test_a_fifo_or_device_as_case_file_is_refused(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.toml"
    zero.symlink_to("/dev/zero")
    for path in (fifo, zero):
        args = [command, str(path)] + (["1.1", "--status", "done"] if command == "mark" else [])
        result = run_cli(*args)
        assert result.code == 2
        assert "not a regular file" in result.stderr


def test_a_huge_case_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "case.toml"
    path.write_text(GOOD + "#" * (5 << 20), encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.code == 2
    assert "at most 4 MB" in result.stderr


def test_line_locating_is_linear_for_very_long_keys() -> None:
    started = time.monotonic()
    key_lines("[a" + " " * 200_000 + "b\n" + "k" * 200_000 + " x\n" + "a." * 100_000 + "\n")
    assert time.monotonic() - started < 1


def test_a_long_unknown_key_is_reported_quickly(tmp_path: Path) -> None:
    text = GOOD + "[inspection" + " " * 100_000 + "x\n" + "y" * 100_000 + " = 1\n"
    started = time.monotonic()
    assert run_cli("validate", case(tmp_path, text)).code == 2
    assert time.monotonic() - started < 5


# ------------------------------------------------------------------ options
@pytest.mark.parametrize("alarm", ["99999999999999999999d", "53w", "0m", "1x", "-1d"])
def test_alarm_values(tmp_path: Path, alarm: str) -> None:
    result = run_cli("calendar", case(tmp_path, GOOD), "-o", "-", "--alarm", alarm)
    assert result.code == 2
    assert "--alarm" in result.stderr


@pytest.mark.parametrize(
    "previous",
    [
        b"\x00\xff\xfe binary \x89PNG",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20250512\r\nSEQUENCE:abc\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20250512\r\nSEQUENCE:99999999999999999999999\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:notadate\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    ],
)
def test_bad_previous_exports_are_refused_without_echoing_them(
    tmp_path: Path, previous: bytes
) -> None:
    earlier = tmp_path / "earlier.ics"
    earlier.write_bytes(previous)
    result = run_cli(
        "calendar",
        case(tmp_path, GOOD),
        "-o",
        str(tmp_path / "new.ics"),
        "--previous",
        str(earlier),
    )
    assert result.code == 2
    assert "previous export" in result.stderr
    for fragment in ("binary", "PNG", "abc", "99999999", "notadate"):
        assert fragment not in result.stderr


def test_a_fifo_as_previous_export_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "earlier.ics"
    os.mkfifo(fifo)
    result = run_cli("calendar", case(tmp_path, GOOD), "-o", "-", "--previous", str(fifo))
    assert result.code == 2
    assert "not a regular file" in result.stderr


def test_mark_note_with_bytes_that_are_not_text(tmp_path: Path) -> None:
    path = case(tmp_path, GOOD)
    note = b"bad \xff\xfe note".decode("utf-8", "surrogateescape")  # as Python reads argv
    result = run_cli("mark", path, "1.1", "--status", "done", "--note", note)
    assert result.code == 2
    assert "--note" in result.stderr and "not valid text" in result.stderr
    assert Path(path).read_text(encoding="utf-8") == GOOD
    # A note is free text (shown only in checklist views): a line break is kept.
    assert run_cli("mark", path, "1.1", "--status", "done", "--note", "a\nb").code == 0


@pytest.mark.parametrize("command", ["calendar", "checklist"])
def test_an_output_name_too_long_is_a_message(tmp_path: Path, command: str) -> None:
    long = str(tmp_path / ("x" * 300 + ".out"))
    args = [command, case(tmp_path, GOOD), "-o", long]
    if command == "checklist":
        args += ["--format", "csv"]
    result = run_cli(*args)
    assert result.code == 2
    assert "name too long" in result.stderr.lower() or "cannot" in result.stderr


# ------------------------------------------------------------------ templates
def templates(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    for name, text in files.items():
        (folder / f"{name}.md.j2").write_text(text, encoding="utf-8")
    return folder


def test_a_symlink_out_of_the_templates_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:SECRET", encoding="utf-8")
    folder = templates(tmp_path, ok='{% include "inc.md.j2" %}')
    (folder / "leak.md.j2").symlink_to(secret)
    (folder / "inc.md.j2").symlink_to(secret)
    path = case(tmp_path, GOOD)
    for name in ("leak", "ok"):
        result = run_cli("letter", path, name, "--templates", str(folder))
        assert result.code == 2
        assert "SECRET" not in result.output
        assert "outside its folder" in result.stderr


def test_a_symlink_inside_the_folder_is_fine(tmp_path: Path) -> None:
    folder = templates(tmp_path, real="Hello {{ case.local_area }}\n")
    (folder / "alias.md.j2").symlink_to(folder / "real.md.j2")
    result = run_cli("letter", case(tmp_path, GOOD), "alias", "--templates", str(folder))
    assert result.code == 0
    assert "Hello Testshire" in result.stdout


@pytest.mark.parametrize(
    "front",
    ["kinds = 5", 'kinds = ["full", 3]', "purpose = 7", "each = []",
     "x = " + "[" * 3000 + "]" * 3000],
)  # fmt: skip
def test_bad_front_matter_is_a_clear_error(tmp_path: Path, front: str) -> None:
    folder = templates(tmp_path, mine="{#\n" + front + "\n#}\nHi\n")
    result = run_cli("letter", case(tmp_path, GOOD), "mine", "--templates", str(folder))
    assert result.code == 2
    assert "front matter" in result.stderr


@pytest.mark.parametrize(
    "body",
    [
        "{{ 'x' * 10**9 }}",
        "{{ 10 ** 100000 }}",
        "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    ],
)
def test_rendering_has_limits(tmp_path: Path, body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from sendplan.letters import sandbox

    monkeypatch.setattr(sandbox, "MAX_SECONDS", 1.0)
    folder = templates(tmp_path, loop=body)
    started = time.monotonic()
    result = run_cli("letter", case(tmp_path, GOOD), "loop", "--templates", str(folder))
    assert result.code == 2
    assert "the limit for a letter" in result.stderr or "digits" in result.stderr
    assert time.monotonic() - started < 15


# ------------------------------------------------------------------ batch writes
def test_letters_for_ids_that_sanitise_alike_get_distinct_files(tmp_path: Path) -> None:
    text = GOOD + '\n[tracking]\nselected = ["C/1", "C-1", "c-1", "C-1"]\n' + people()
    out = tmp_path / "letters"
    path = case(tmp_path, text)
    folder = templates(tmp_path, each='{#\neach = "child"\n#}\nFor {{ child.id }}\n')
    result = run_cli("letter", path, "each", "--templates", str(folder), "--out-dir", str(out))
    assert result.code == 0, result.stderr
    written = sorted(p.name for p in out.iterdir() if p.name.startswith("each-"))
    assert len(written) == 4
    assert len({n.casefold() for n in written}) == 4
    texts = sorted(
        p.read_text(encoding="utf-8") for p in out.iterdir() if p.name.startswith("each-")
    )
    assert texts == sorted(f"For {i}\n" for i in ["C/1", "C-1", "c-1", "C-1"])
    # With --force again, nothing is lost either: the same four files, rewritten.
    result = run_cli(
        "letter", path, "each", "--templates", str(folder), "--out-dir", str(out), "--force"
    )
    assert result.code == 0
    assert sorted(p.name for p in out.iterdir() if p.name.startswith("each-")) == written


def test_long_ids_and_provider_names_make_short_file_names(tmp_path: Path) -> None:
    long_id = "C" * 400
    text = (
        GOOD
        + f'\n[tracking]\nselected = ["{long_id}", "{long_id}X"]\n\n[[providers]]\nname = "{"P" * 400}"\n'
        + people()
    )
    out = tmp_path / "letters"
    result = run_cli("letter", case(tmp_path, text), "--all", "--out-dir", str(out))
    assert result.code == 0, result.stderr
    names = [p.name for p in out.iterdir()]
    assert all(len(n) < 120 for n in names)
    assert len([n for n in names if "CCCC" in n]) >= 2


def test_letter_all_checks_every_target_before_writing_any(tmp_path: Path) -> None:
    out = tmp_path / "letters"
    out.mkdir()
    (out / "notification.md").write_text("mine", encoding="utf-8")
    result = run_cli("letter", case(tmp_path, GOOD + people()), "--all", "--out-dir", str(out))
    assert result.code == 2
    assert "already exist" in result.stderr
    assert [p.name for p in out.iterdir()] == ["notification.md"]


def test_a_fifo_or_device_as_inspection_record_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "record.csv"
    os.mkfifo(fifo)
    for path in (str(fifo), "/dev/zero"):
        result = run_cli("history", "Bedford", "--data", path)
        assert result.code == 2
        assert "not a regular file" in result.stderr


def test_a_templates_folder_name_too_long_is_a_message(tmp_path: Path) -> None:
    # Found by benchmarks/fuzz.py: `[letters] templates` of 300 characters.
    path = case(tmp_path, GOOD + '\n[letters]\ntemplates = "' + "x" * 300 + '"\n')
    for args in (["--list"], ["--all", "--out-dir", str(tmp_path / "out")]):
        result = run_cli("letter", path, *args)
        assert result.code == 2
        assert "cannot be used" in result.stderr
