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
from typer.testing import CliRunner

from sendplan.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
FULLER = EXAMPLES / "full-inspection-timetable.toml"
runner = CliRunner()


def cli(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


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
    code, _, err = cli("calendar", str(FULLER), "-o", str(out), "--today", "2025-04-01")
    assert code == 0, err
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
    code, stdout, err = cli(
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
    assert code == 0, err
    assert json.loads(stdout)["who"] == ["dcs"]
    assert _timetable_summaries(out) == _booked_for("dcs")
    out2 = tmp_path / "ellis.ics"
    code, _, err = cli("calendar", str(FULLER), "-o", str(out2), "--who", "Ellis Grant")
    assert code == 0, err
    assert _timetable_summaries(out2) == _booked_for("Ellis Grant")
    assert len(_booked_for("Ellis Grant")) > 3


def test_replanned_timetable_keeps_uids_and_raises_sequence_only_for_moves(
    tmp_path: Path,
) -> None:
    case = copy_case(tmp_path)
    first = tmp_path / "inspection.ics"
    assert cli("calendar", str(case), "-o", str(first), "--today", "2025-04-01")[0] == 0
    before = events(first)
    # Hillcrest Academy cancels on the day it was booked: re-plan and save over the timetable.
    with case.open("a") as handle:
        handle.write('\n[[timetable.unavailable]]\nwho = "Hillcrest Academy"\ndate = 2025-05-14\n')
    saved = tmp_path / "timetables" / "full-inspection-timetable.toml"
    code, out, err = cli(
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
    assert code == 0, err
    moved = {m["title"] for m in json.loads(out)["moved"]}
    assert moved == {"Sampling visit: Hillcrest Academy"}
    code, _, err = cli("calendar", str(case), "-o", str(first), "--force", "--today", "2025-04-02")
    assert code == 0, err
    after = events(first)
    assert set(after) == set(before)  # no duplicates, nothing lost
    changed = {after[u][0] for u in after if after[u][1] != before[u][1]}
    assert changed == moved
    assert all(after[u][1] == before[u][1] + 1 for u in after if after[u][0] in moved)


def test_letters_show_the_booked_time_and_venue() -> None:
    code, out, err = cli(
        "letter", str(FULLER), "provider-sampling-notice", "--for", "Hillcrest Academy"
    )
    assert code == 0, err
    saved = (EXAMPLES / "timetables" / "full-inspection-timetable.toml").read_text()
    block = saved[saved.index('id = "sampling_visit:hillcrest-academy"') :]
    start = block.split('start = "')[1][:5]
    hour = int(start[:2]) % 12 or 12
    assert f"{hour}:{start[3:]}" in out or f"{hour}am" in out or f"{hour}pm" in out
    assert "at Hillcrest Academy" in out and "will contact you to set up the visit" not in out
    code, out, _ = cli(
        "letter", str(EXAMPLES / "full-inspection.toml"), "provider-sampling-notice", "--for", "1"
    )
    assert code == 0 and "will contact you to set up the visit" in out


def test_a_rehearsal_leaves_the_saved_timetable_out() -> None:
    # The saved timetable is booked for the case's own weeks (May 2025): a
    # rehearsal on site from 16 June must not quote a May booking.
    rehearse = ("--on-site-start", "2025-06-16")
    code, out, err = cli(
        "letter", str(FULLER), "provider-sampling-notice", "--for", "Hillcrest Academy", *rehearse
    )
    assert code == 0, err
    assert "May 2025" not in out and "will contact you to set up the visit" in out
    assert "Monday 16 June 2025" in out
    code, out, err = cli("calendar", str(FULLER), "-o", "-", "--today", "2025-04-01", *rehearse)
    assert code == 0, err
    assert "DTSTART" in out and "DTSTART;TZID=Europe/London:202505" not in out
    code, out, err = cli("overview", str(FULLER), "--format", "json", *rehearse)
    assert code == 0, err
    assert json.loads(out)["timetable"] is None
