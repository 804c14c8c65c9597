"""Re-planning a saved timetable (issue 19): from today, with a tell list a LANO can send.

Every check reads the command's JSON and the saved files, not the solver:
sessions before the moment of the re-plan are exactly as booked; nothing new
lands in the past; the LANO is on every tell list (handbook paras 96, 114);
daily sessions keep their ids when the on-site week moves; a timetable saved
with the old dated ids still loads, keeps its sessions in place and records
the renamed ids as cancelled.
"""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from cli_harness import run_cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
FULLER = EXAMPLES / "full-inspection-timetable.toml"
SAVED = EXAMPLES / "timetables" / "full-inspection-timetable.toml"
DATED = ROOT / "tests" / "fixtures" / "timetable-dated-ids.toml"
#: Two changes on the second on-site day: Hillcrest Academy closes on Wednesday, and
#: the lead inspector is called away on Tuesday morning.
CHANGES = (
    '\n[[timetable.unavailable]]\nwho = "Hillcrest Academy"\ndate = 2025-05-14\n'
    '\n[[timetable.unavailable]]\nwho = "lead_inspector"\ndate = 2025-05-13\n'
    'from = "08:30"\nto = "12:00"\n'
)


def copy_case(tmp_path: Path, extra: str = "", saved: Path = SAVED) -> tuple[Path, Path]:
    case = tmp_path / "case.toml"
    case.write_text(FULLER.read_text() + extra)
    (tmp_path / "timetables").mkdir()
    target = tmp_path / "timetables" / "full-inspection-timetable.toml"
    shutil.copy(saved, target)
    return case, target


def replan(case: Path, saved: Path, today: str, *more: str) -> dict[str, Any]:
    result = run_cli(
        "timetable", str(case), "--from", str(saved), "--today", today, "-f", "json", *more
    )
    assert result.code in (0, 1), result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def mins(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def moment_of(item: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(f"{item['date']}T{item['start']}")


def booked() -> dict[str, dict[str, Any]]:
    rows = tomllib.loads(SAVED.read_text())["session"]
    return {
        r["id"]: {**r, "date": r["date"].isoformat(), "people": sorted(r["people"])} for r in rows
    }


# ------------------------------------------------------------------ --today
@pytest.mark.parametrize(
    "today",
    [
        "2025-05-07",
        "2025-05-12",
        "2025-05-13",
        "2025-05-13T12:00",
        "2025-05-14T10:00",
        "2025-05-16",
    ],
)
def test_a_replan_never_moves_a_past_session_nor_places_one_in_the_past(
    tmp_path: Path, today: str
) -> None:
    case, saved = copy_case(tmp_path, CHANGES)
    data = replan(case, saved, today)
    moment = datetime.fromisoformat(today)
    timed_today = moment.time() != datetime.min.time()
    before = booked()
    now = {s["id"]: s for s in data["sessions"]}
    assert data["today"] == moment.date().isoformat()
    for sid, b in before.items():
        if moment_of(b) < moment and sid in now:
            s = now[sid]
            assert (s["date"], s["start"], s["end"]) == (b["date"], b["start"], b["end"]), sid
            assert sorted(s["people"]) == b["people"], sid
    for m in data["moved"]:
        after = m["after"]
        assert m["before"] is None or moment_of(m["before"]) >= moment, m["id"]
        if after is None:
            continue
        assert date.fromisoformat(after["date"]) >= moment.date(), m["id"]
        if timed_today:  # the day has begun: a moved session goes to a later day
            assert date.fromisoformat(after["date"]) > moment.date(), m["id"]


def test_todays_sessions_move_only_if_they_must(tmp_path: Path) -> None:
    # On Tuesday, the lead inspector's morning away forces their Tuesday-morning
    # sessions to move; every other session of Tuesday stays.
    case, saved = copy_case(tmp_path, CHANGES)
    data = replan(case, saved, "2025-05-13")
    before = booked()
    clash = {
        sid
        for sid, b in before.items()
        if b["date"] == "2025-05-13"
        and "lead_inspector" in b["people"]
        and mins(b["start"]) < mins("12:00")
    }
    assert clash
    moved_today = {m["id"] for m in data["moved"] if m["before"]["date"] == "2025-05-13"}
    assert moved_today == clash
    # Before the inspection (1 April) the same change may move other Tuesday sessions
    # too (to make room); on the day it may not: what moves is never more than then.
    early = replan(case, saved, "2025-04-01")
    assert moved_today <= {m["id"] for m in early["moved"]}


def test_a_replan_after_the_inspection_moves_nothing_and_says_so(tmp_path: Path) -> None:
    case, saved = copy_case(tmp_path, CHANGES)
    data = replan(case, saved, "2025-06-02")
    assert data["moved"] == [] and data["complete"]
    assert {s["id"] for s in data["sessions"]} == set(booked())


def test_a_session_whose_days_are_past_is_listed_as_not_placed(tmp_path: Path) -> None:
    # A child added to the tracked list on Friday: their week-2 and on-site meetings'
    # windows are over or too short, and the re-plan says so instead of back-dating.
    case, saved = copy_case(tmp_path)
    case.write_text(case.read_text().replace('"SYN000005"]', '"SYN000005", "SYN000777"]'))
    data = replan(case, saved, "2025-05-16T12:00")
    unplaced = {u["id"] for u in data["unplaced"]}
    assert {"tracking_family:SYN000777", "tracking_practitioners:SYN000777"} <= unplaced
    assert any("SYN000777" in line and "ended before" in line for line in data["conflict"])
    assert not [s for s in data["sessions"] if "SYN000777" in s["id"]]


# ------------------------------------------------------------------ who must be told
def test_the_lano_is_on_every_tell_list_with_one_entry_per_attendee_and_session(
    tmp_path: Path,
) -> None:
    case, saved = copy_case(tmp_path, CHANGES)
    data = replan(case, saved, "2025-04-01")
    assert data["moved"]
    pairs = [(t["attendee"], t["session"]) for t in data["tell"]]
    assert len(pairs) == len(set(pairs))  # one entry per (attendee, session)
    for m in data["moved"]:
        told = {a for a, s in pairs if s == m["id"]}
        people = set((m["before"] or {}).get("people", [])) | set(
            (m["after"] or {}).get("people", [])
        )
        assert told == {"lano"} | people | set(m["others"]), m["id"]
    free = [t for t in data["tell"] if t["free_text"]]
    assert free, "the change should move a session with a family or practitioners"
    assert all(t["via"] == "lano" for t in free)
    assert all(not t["free_text"] and t["via"] is None for t in data["tell"] if t not in free)
    # Officers, families, practitioners: words, not people of the case.
    assert all(t["attendee"] not in data["people"] for t in free)


def test_the_tell_list_in_words_groups_free_text_attendees_under_the_lano(
    tmp_path: Path,
) -> None:
    case, saved = copy_case(tmp_path, CHANGES)
    result = run_cli(
        "timetable", str(case), "--from", str(saved), "--today", "2025-04-01", "-f", "markdown"
    )
    assert result.code == 0, result.stderr
    section = result.stdout[result.stdout.index("### Who must be told") :].splitlines()[2:]
    assert section[0].startswith("- Sam Taylor (Local area nominated officer): ")
    relayed = [line for line in section if line.startswith("  - tells ")]
    assert relayed
    # Each relayed line sits under the LANO's, before anyone else's.
    first_other = next(i for i, line in enumerate(section[1:], 1) if line.startswith("- "))
    assert all(section.index(line) < first_other for line in relayed)


# ------------------------------------------------------------------ stable ids
def _shifted(text: str, days: int = 7) -> str:
    """The case with its on-site week (and every date in May 2025) a week later."""

    def later(found: re.Match[str]) -> str:
        from datetime import timedelta

        return (date.fromisoformat(found[0]) + timedelta(days=days)).isoformat()

    return re.sub(r"2025-05-\d\d", later, text)


def test_a_date_shift_keeps_every_daily_session_and_its_id(tmp_path: Path) -> None:
    case, saved = copy_case(tmp_path)
    case.write_text(_shifted(case.read_text()))
    data = replan(case, saved, "2025-04-01")
    assert data["complete"]
    ids = {s["id"] for s in data["sessions"]}
    assert ids == set(booked())  # the same sessions, none renamed
    daily = {i for i in ids if re.search(r":(day|remote)-\d$", i)}
    assert {"team_meeting:day-1", "keep_in_touch:day-2", "remote_team_meeting:remote-1"} <= daily
    changes = {m["id"]: m for m in data["moved"]}
    assert len(changes) <= len(ids)  # 49 changes for 46 sessions before
    assert all(m["before"] and m["after"] for m in changes.values())  # moved, none dropped
    assert daily <= set(changes)
    assert data["cancelled"] == []


def test_a_timetable_saved_with_dated_ids_loads_and_keeps_every_session(tmp_path: Path) -> None:
    case, saved = copy_case(tmp_path, saved=DATED)
    result = run_cli("timetable", str(case), "--check", "--from", str(saved))
    assert result.code == 0 and "still fits" in result.stdout, result.output
    data = replan(case, saved, "2025-04-01", "--save", str(saved), "--force")
    assert data["moved"] == [] and data["complete"]
    new = {s["id"]: s for s in data["sessions"]}
    old = {r["id"]: r for r in tomllib.loads(DATED.read_text())["session"]}
    renamed = {c["id"]: c for c in data["cancelled"]}
    assert set(renamed) == {i for i in old if re.search(r":2025-05-\d\d$", i)}
    for sid, c in renamed.items():
        assert c["reason"] == "renamed" and c["replaced_by"] in new
        kept = new[c["replaced_by"]]
        assert (
            (kept["date"], kept["start"])
            == (c["date"], c["start"])
            == (
                old[sid]["date"].isoformat(),
                old[sid]["start"],
            )
        )
    record = tomllib.loads(saved.read_text())
    assert {c["id"] for c in record["cancelled"]} == set(renamed)
    assert {s["id"] for s in record["session"]} == set(new)
    # Re-planned again, the record is kept; nothing moves.
    again = replan(case, saved, "2025-04-02")
    assert {c["id"] for c in again["cancelled"]} == set(renamed) and again["moved"] == []


def test_a_session_back_under_its_old_id_leaves_the_cancelled_record(tmp_path: Path) -> None:
    block = '\n[[providers]]\nname = "Oak Tree Nursery"\ntype = "education"\ncontact = "Manager"\n'
    closed = '\n[[timetable.unavailable]]\nwho = "Oak Tree Nursery"\ndate = 2025-05-12\n'
    case, saved = copy_case(tmp_path)
    full = case.read_text()
    assert block in full and closed in full
    case.write_text(full.replace(block, "\n").replace(closed, "\n"))
    dropped = replan(case, saved, "2025-04-01", "--save", str(saved), "--force")
    assert [c["id"] for c in dropped["cancelled"]] == ["sampling_visit:oak-tree-nursery"]
    assert dropped["cancelled"][0]["reason"] == "removed"
    case.write_text(full)
    back = replan(case, saved, "2025-04-02", "--save", str(saved), "--force")
    assert back["cancelled"] == []
    assert "sampling_visit:oak-tree-nursery" in {s["id"] for s in back["sessions"]}
