"""The saved timetable in calendars and letters (issue 12).

Calendars are read back with vobject, an independent parser: a re-planned
timetable keeps every UID (a moved meeting updates in Outlook rather than
duplicating) and raises SEQUENCE only for what moved.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import vobject

from cli_harness import run_cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
FULLER = EXAMPLES / "full-inspection-timetable.toml"


def events(path: Path) -> dict[str, tuple[str, int, str]]:
    """UID -> (summary, sequence, start) of every VEVENT."""
    calendar = vobject.readOne(path.read_text(encoding="utf-8"))
    return {
        str(e.uid.value): (str(e.summary.value), int(e.sequence.value), e.dtstart.value.isoformat())
        for e in calendar.vevent_list
    }


def copy_case(tmp_path: Path, extra: str = "") -> Path:
    case = tmp_path / "case.toml"
    case.write_text(FULLER.read_text() + extra)
    (tmp_path / "timetables").mkdir()
    shutil.copy(EXAMPLES / "timetables" / "full-inspection-timetable.toml", tmp_path / "timetables")
    return case


def test_calendar_includes_every_session_with_its_venue(tmp_path: Path) -> None:
    saved = EXAMPLES / "timetables" / "full-inspection-timetable.toml"
    sessions = saved.read_text().count("[[session]]")
    out = tmp_path / "all.ics"
    result = run_cli("calendar", str(FULLER), "-o", str(out), "--today", "2025-04-01")
    assert result.code == 0, result.stderr
    found = events(out)
    calendar = vobject.readOne(out.read_text())
    timed = [e for e in calendar.vevent_list if "Sampling visit: Hillcrest" in e.summary.value]
    assert len(timed) == 1 and timed[0].location.value == "Hillcrest Academy"
    assert len([u for u in found if u]) >= sessions


def _timetable_summaries(path: Path) -> list[str]:
    calendar = vobject.readOne(path.read_text())
    return sorted(
        e.summary.value for e in calendar.vevent_list if "Timetable:" in e.description.value
    )


def _booked_for(person: str) -> list[str]:
    import tomllib

    saved = tomllib.loads((EXAMPLES / "timetables" / "full-inspection-timetable.toml").read_text())
    return sorted(s["title"] for s in saved["session"] if person in s["people"])


def test_who_one_person_gets_only_their_sessions(tmp_path: Path) -> None:
    out = tmp_path / "dcs.ics"
    result = run_cli(
        "calendar",
        str(FULLER),
        "-o",
        str(out),
        "--who",
        "dcs",
        "--today",
        "2025-04-01",
        "--format",
        "json",
    )
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["who"] == ["dcs"]
    assert _timetable_summaries(out) == _booked_for("dcs")
    out2 = tmp_path / "ellis.ics"
    result = run_cli("calendar", str(FULLER), "-o", str(out2), "--who", "Ellis Grant")
    assert result.code == 0, result.stderr
    assert _timetable_summaries(out2) == _booked_for("Ellis Grant")
    assert len(_booked_for("Ellis Grant")) > 3


def test_replanned_timetable_keeps_uids_and_raises_sequence_only_for_moves(
    tmp_path: Path,
) -> None:
    case = copy_case(tmp_path)
    first = tmp_path / "inspection.ics"
    assert run_cli("calendar", str(case), "-o", str(first), "--today", "2025-04-01").code == 0
    before = events(first)
    # Hillcrest Academy cancels on the day it was booked: re-plan and save over the timetable.
    with case.open("a") as handle:
        handle.write('\n[[timetable.unavailable]]\nwho = "Hillcrest Academy"\ndate = 2025-05-14\n')
    saved = tmp_path / "timetables" / "full-inspection-timetable.toml"
    result = run_cli(
        "timetable",
        str(case),
        "--from",
        str(saved),
        "--today",
        "2025-04-01",
        "--save",
        str(saved),
        "--force",
        "--format",
        "json",
    )
    assert result.code == 0, result.stderr
    moved = {m["title"] for m in json.loads(result.stdout)["moved"]}
    assert moved == {"Sampling visit: Hillcrest Academy"}
    result = run_cli("calendar", str(case), "-o", str(first), "--force", "--today", "2025-04-02")
    assert result.code == 0, result.stderr
    after = events(first)
    assert set(after) == set(before)  # no duplicates, nothing lost
    changed = {after[u][0] for u in after if after[u][1] != before[u][1]}
    assert changed == moved
    assert all(after[u][1] == before[u][1] + 1 for u in after if after[u][0] in moved)


def test_letters_show_the_booked_time_and_venue() -> None:
    result = run_cli(
        "letter", str(FULLER), "provider-sampling-notice", "--for", "Hillcrest Academy"
    )
    assert result.code == 0, result.stderr
    saved = (EXAMPLES / "timetables" / "full-inspection-timetable.toml").read_text()
    block = saved[saved.index('id = "sampling_visit:hillcrest-academy"') :]
    start = block.split('start = "')[1][:5]
    hour = int(start[:2]) % 12 or 12
    assert (
        f"{hour}:{start[3:]}" in result.stdout
        or f"{hour}am" in result.stdout
        or f"{hour}pm" in result.stdout
    )
    assert (
        "at Hillcrest Academy" in result.stdout
        and "will contact you to set up the visit" not in result.stdout
    )
    result = run_cli(
        "letter", str(EXAMPLES / "full-inspection.toml"), "provider-sampling-notice", "--for", "1"
    )
    assert result.code == 0 and "will contact you to set up the visit" in result.stdout


def test_a_rehearsal_leaves_the_saved_timetable_out() -> None:
    # The saved timetable is booked for the case's own weeks (May 2025): a
    # rehearsal on site from 16 June must not quote a May booking.
    rehearse = ("--on-site-start", "2025-06-16")
    result = run_cli(
        "letter", str(FULLER), "provider-sampling-notice", "--for", "Hillcrest Academy", *rehearse
    )
    assert result.code == 0, result.stderr
    assert (
        "May 2025" not in result.stdout and "will contact you to set up the visit" in result.stdout
    )
    assert "Monday 16 June 2025" in result.stdout
    result = run_cli("calendar", str(FULLER), "-o", "-", "--today", "2025-04-01", *rehearse)
    assert result.code == 0, result.stderr
    assert "DTSTART" in result.stdout and "DTSTART;TZID=Europe/London:202505" not in result.stdout
    result = run_cli("overview", str(FULLER), "--format", "json", *rehearse)
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["timetable"] is None


# ------------------------------------------------------------------ no ghosts (issue 19)
def _khal(tmp_path: Path, *args: str) -> str:
    """Run khal, a real calendar client, on a calendar folder of its own under ``tmp_path``."""
    import subprocess
    import sys

    config = tmp_path / "khal.conf"
    if not config.exists():
        (tmp_path / "khal-calendar").mkdir()
        config.write_text(
            "[calendars]\n[[inspection]]\n"
            f"path = {tmp_path / 'khal-calendar'}\ntype = calendar\n"
            "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\n"
            "longdateformat = %Y-%m-%d\ndatetimeformat = %Y-%m-%d %H:%M\n"
            "longdatetimeformat = %Y-%m-%d %H:%M\n"
            "local_timezone = Europe/London\ndefault_timezone = Europe/London\n"
            "[default]\ndefault_calendar = inspection\n"
            f"[sqlite]\npath = {tmp_path / 'khal.db'}\n"
        )
    done = subprocess.run(
        [sys.executable, "-m", "khal", "-c", str(config), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _khal_events(tmp_path: Path) -> dict[str, tuple[str, str, str]]:
    """What khal holds for the inspection weeks: UID -> (start, title, status)."""
    listed = _khal(
        tmp_path,
        "list",
        "--day-format",
        "",
        "--format",
        "{uid}\t{start}\t{title}\t{status}",
        "2025-04-20",
        "60d",
    )
    out: dict[str, tuple[str, str, str]] = {}
    for line in listed.splitlines():
        if line.count("\t") == 3:
            uid, start, title, status = line.split("\t")
            out.setdefault(uid, (start, title, status.strip()))
    return out


def test_khal_keeps_no_ghost_of_a_moved_renamed_or_removed_session(tmp_path: Path) -> None:
    # Start from a timetable saved before daily sessions were numbered (dated ids), as
    # a LANO upgrading sendplan mid-inspection would: its calendar is imported first.
    case = copy_case(tmp_path)
    saved = tmp_path / "timetables" / "full-inspection-timetable.toml"
    shutil.copy(ROOT / "tests" / "fixtures" / "timetable-dated-ids.toml", saved)
    first = tmp_path / "first.ics"
    assert run_cli("calendar", str(case), "-o", str(first), "--today", "2025-04-01").code == 0
    _khal(tmp_path, "import", "--batch", "-a", "inspection", str(first))
    imported = _khal_events(tmp_path)
    # Then Oak Tree Nursery leaves the case and Hillcrest Academy closes on its day.
    text = case.read_text()
    for gone in (
        '\n[[providers]]\nname = "Oak Tree Nursery"\ntype = "education"\ncontact = "Manager"\n',
        '\n[[timetable.unavailable]]\nwho = "Oak Tree Nursery"\ndate = 2025-05-12\n',
    ):
        assert gone in text
        text = text.replace(gone, "\n")
    case.write_text(
        text + '\n[[timetable.unavailable]]\nwho = "Hillcrest Academy"\ndate = 2025-05-14\n'
    )
    result = run_cli(
        "timetable", str(case), "--from", str(saved), "--today", "2025-04-01",
        "--save", str(saved), "--force", "--format", "json",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    replanned = json.loads(result.stdout)
    assert {c["reason"] for c in replanned["cancelled"]} == {"removed", "renamed"}
    second = tmp_path / "second.ics"
    result = run_cli(
        "calendar", str(case), "-o", str(second), "--previous", str(first), "--today", "2025-04-02"
    )
    assert result.code == 0, result.stderr
    _khal(tmp_path, "import", "--batch", "-a", "inspection", str(second))
    held = _khal_events(tmp_path)
    exported = vobject.readOne(second.read_text())
    live = {str(e.uid.value) for e in exported.vevent_list if "status" not in e.contents}
    cancelled = {str(e.uid.value) for e in exported.vevent_list if "status" in e.contents}
    assert cancelled and live
    for uid, (start, title, status) in held.items():
        # Everything khal shows is either in the new export, or shown as cancelled.
        assert uid in live or status == "CANCELLED", (uid, title, start)
    assert set(imported) <= set(held)  # every old event was overwritten or cancelled
    # The moved visit is there once, at its new time.
    visits = [v for v in held.values() if v[1] == "Sampling visit: Hillcrest Academy"]
    (after,) = [s for s in replanned["sessions"] if s["id"] == "sampling_visit:hillcrest-academy"]
    assert len(visits) == 1 and visits[0][0] == f"{after['date']} {after['start']}"
    # Each old daily event is cancelled, and its renamed session is live.
    old_daily = [v for v in held.values() if v[2] == "CANCELLED" and "meeting" in v[1].lower()]
    assert len(old_daily) == len([c for c in replanned["cancelled"] if c["reason"] == "renamed"])


def test_a_cancelled_session_keeps_its_uid_and_raises_its_sequence(tmp_path: Path) -> None:
    case = copy_case(tmp_path)
    first = tmp_path / "first.ics"
    assert run_cli("calendar", str(case), "-o", str(first), "--today", "2025-04-01").code == 0
    block = '\n[[providers]]\nname = "Oak Tree Nursery"\ntype = "education"\ncontact = "Manager"\n'
    closed = '\n[[timetable.unavailable]]\nwho = "Oak Tree Nursery"\ndate = 2025-05-12\n'
    case.write_text(case.read_text().replace(block, "\n").replace(closed, "\n"))
    saved = tmp_path / "timetables" / "full-inspection-timetable.toml"
    result = run_cli(
        "timetable", str(case), "--from", str(saved), "--today", "2025-04-01",
        "--save", str(saved), "--force",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    second = tmp_path / "second.ics"
    result = run_cli(
        "calendar", str(case), "-o", str(second), "--previous", str(first), "--today", "2025-04-02"
    )
    assert result.code == 0, result.stderr
    before, after = events(first), events(second)
    assert set(before) == set(after)  # the dropped visit's UID is still there...
    calendar = vobject.readOne(second.read_text())
    (gone,) = [e for e in calendar.vevent_list if "status" in e.contents]
    assert gone.status.value == "CANCELLED" and "Oak Tree Nursery" in gone.summary.value
    uid = str(gone.uid.value)
    assert after[uid][1] == before[uid][1] + 1  # ...cancelled, one SEQUENCE higher
    # Exported again from the same file: the cancellation is not raised again.
    third = tmp_path / "third.ics"
    result = run_cli(
        "calendar", str(case), "-o", str(third), "--previous", str(second), "--today", "2025-04-03"
    )
    assert result.code == 0, result.stderr
    assert events(third)[uid][1] == after[uid][1]
