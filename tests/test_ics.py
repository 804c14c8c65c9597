"""`sendplan calendar`: the .ics read back by an independent parser (vobject).

vobject has its own iCalendar reader and time-zone code (it builds the zone
from the file's VTIMEZONE), so these tests do not trust icalendar, which
wrote the file, to check itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import vobject

from cli_harness import run_cli
from example_cases import DATED
from sendplan.case import load_case, parse_case
from sendplan.casefile_init import case_template
from sendplan.errors import UsageError
from sendplan.ics import (
    DEADLINE_LENGTH,
    MEETING_LENGTH,
    calendar_ics,
    check_roles,
    event_uid,
    parse_alarm,
    read_previous,
)
from sendplan.rules import KINDS, ROLES
from sendplan.schedule import Schedule, build_schedule

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = DATED  # the calendar needs dates (issue 23)
EXAMPLE = ROOT / "examples" / "full-inspection.toml"
LONDON = ZoneInfo("Europe/London")
STAMP = datetime(2025, 4, 1, 9, 0, tzinfo=UTC)


def parse(data: bytes | str) -> Any:
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    return vobject.readOne(text)


def vevents(data: bytes | str) -> dict[str, Any]:
    """The file's VEVENTs by UID, checking UIDs are unique."""
    events = parse(data).vevent_list
    by_uid = {e.uid.value: e for e in events}
    assert len(by_uid) == len(events), "duplicate UIDs"
    return by_uid


def schedules() -> list[tuple[str, Schedule]]:
    """Every example case, and a fresh `init` template of every kind."""
    out = [(path.name, build_schedule(load_case(path))) for path in EXAMPLES]
    for kind in KINDS:
        text = case_template(kind, "Northshire", today=date(2025, 3, 3))
        out.append((f"init-{kind}", build_schedule(parse_case(text))))
    return out


@pytest.mark.parametrize(
    ("name", "schedule"), schedules(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_event_reads_back_with_start_end_zone_and_uid(name: str, schedule: Schedule) -> None:
    data = calendar_ics(schedule, stamp=STAMP)
    by_uid = vevents(data)
    assert len(by_uid) == len(schedule.events)
    for event in schedule.events:
        uid = event_uid(schedule.case.local_area, schedule.case.kind, event.id)
        got = by_uid[uid]
        start, end = got.dtstart.value, got.dtend.value
        last = event.end_date or event.date
        if event.time is None:
            # All-day: DATE values, DTEND the day after the last day (exclusive).
            assert type(start) is date and type(end) is date, event.id
            assert (start, end) == (event.date, last + timedelta(days=1)), event.id
            assert got.transp.value == "TRANSPARENT"
        else:
            # vobject moves TZID to X-VOBJ-ORIGINAL-TZID when it resolves the zone.
            assert got.dtstart.params["X-VOBJ-ORIGINAL-TZID"] == ["Europe/London"], event.id
            expected = datetime.combine(event.date, event.time, tzinfo=LONDON)
            assert start == expected, event.id  # aware comparison: same instant
            # vobject's zone comes from the file's VTIMEZONE: its offset must be London's.
            assert start.utcoffset() == expected.utcoffset(), event.id
            length = DEADLINE_LENGTH if event.id.endswith("_due") else MEETING_LENGTH
            assert end - start == length, event.id
        assert got.summary.value == event.title
        assert got.sequence.value == "0"
        assert got.dtstamp.value == STAMP
        assert got.categories.value == [ROLES[w] for w in event.who]
        assert event.source in got.description.value
        assert ROLES[event.who[0]] in got.description.value


def test_timed_events_carry_a_vtimezone_that_covers_them() -> None:
    schedule = build_schedule(load_case(EXAMPLE))
    calendar = parse(calendar_ics(schedule, stamp=STAMP))
    assert [tz.tzid.value for tz in calendar.vtimezone_list] == ["Europe/London"]
    # The VTIMEZONE itself, read by vobject, gives London's offsets either side
    # of both 2025 clock changes.
    zone = calendar.vtimezone.gettzinfo()
    for moment in ["2025-01-15T12:00", "2025-04-28T11:00", "2025-10-27T12:00", "2025-12-31T12:00"]:
        naive = datetime.fromisoformat(moment)
        assert zone.utcoffset(naive) == naive.replace(tzinfo=LONDON).utcoffset(), moment
    # 28 April 2025 11:00 is BST: 10:00 UTC.
    event = vevents(calendar_ics(schedule, stamp=STAMP))[
        event_uid("Exampleshire", "full", "person_level_data_due")
    ]
    assert event.dtstart.value.astimezone(UTC) == datetime(2025, 4, 28, 10, 0, tzinfo=UTC)


def test_uids_are_stable_and_specific_to_the_local_area_and_kind() -> None:
    assert event_uid("Exampleshire", "full", "notification") == event_uid(
        "  exampleshire ", "full", "notification"
    )
    assert event_uid("Exampleshire", "full", "x") != event_uid("Northshire", "full", "x")
    assert event_uid("Exampleshire", "full", "x") != event_uid("Exampleshire", "monitoring", "x")
    schedule = build_schedule(load_case(EXAMPLE))
    later = datetime(2025, 5, 1, tzinfo=UTC)
    assert set(vevents(calendar_ics(schedule, stamp=STAMP))) == set(
        vevents(calendar_ics(schedule, stamp=later))
    )


def test_re_export_after_a_date_change_keeps_uids_and_raises_sequence() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    first = calendar_ics(build_schedule(parse_case(text)), stamp=STAMP)
    moved = text.replace("# draft_report_due = 2025-06-05", "draft_report_due = 2025-06-05")
    assert moved != text
    schedule = build_schedule(parse_case(moved))
    second = calendar_ics(schedule, stamp=STAMP, previous=read_previous(first))
    before, after = vevents(first), vevents(second)
    assert set(before) == set(after)
    uid = event_uid("Exampleshire", "full", "draft_report_due")
    assert (before[uid].dtstart.value, after[uid].dtstart.value) == (
        date(2025, 6, 6),
        date(2025, 6, 5),
    )
    changed = {u for u in after if before[u].dtstart.value != after[u].dtstart.value}
    assert uid in changed
    for u in after:
        expected = "1" if u in changed else "0"
        assert after[u].sequence.value == expected, after[u].summary.value
    # A third export with no change keeps the raised numbers.
    third = vevents(calendar_ics(schedule, stamp=STAMP, previous=read_previous(second)))
    assert {u: e.sequence.value for u, e in third.items()} == {
        u: e.sequence.value for u, e in after.items()
    }


def test_cli_re_export_with_force_reads_the_file_it_replaces(
    tmp_path: Path, write_case: Callable[[str], Path]
) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    case = write_case(text)
    out = tmp_path / "plan.ics"
    args = ["calendar", str(case), "-o", str(out), "--today", "2025-04-01"]
    assert run_cli(*args).code == 0
    original = out.read_bytes()
    again = run_cli(*args)
    assert again.code == 2
    assert "already exists; use --force" in again.stderr
    assert out.read_bytes() == original
    case.write_text(text.replace("on_site_start = 2025-05-12", "on_site_start = 2025-05-19"))
    result = run_cli(*args, "--force", "--format", "json")
    assert result.code == 0, result.output
    summary = json.loads(result.stdout)
    sequences = {e["id"]: e["sequence"] for e in summary["events"]}
    assert sequences["on_site_start"] == 1
    assert (
        vevents(out.read_bytes())[event_uid("Exampleshire", "full", "on_site_start")].sequence.value
        == "1"
    )


def test_previous_option_names_an_earlier_export(tmp_path: Path) -> None:
    earlier = tmp_path / "earlier.ics"
    assert run_cli("calendar", str(EXAMPLE), "-o", str(earlier)).code == 0
    result = run_cli(
        "calendar",
        str(EXAMPLE),
        "-o",
        "-",
        "--previous",
        str(earlier),
        "--on-site-start",
        "2025-06-02",
    )
    assert result.code == 0, result.output
    assert {e.sequence.value for e in vevents(result.stdout).values()} == {"1"}


def test_previous_that_is_not_a_calendar_is_bad_input(tmp_path: Path) -> None:
    junk = tmp_path / "junk.ics"
    junk.write_text("hello\n")
    result = run_cli("calendar", str(EXAMPLE), "-o", "-", "--previous", str(junk))
    assert result.code == 2
    assert "not an iCalendar file" in result.stderr
    assert "Traceback" not in result.output


def test_who_exports_only_that_roles_events() -> None:
    schedule = build_schedule(load_case(EXAMPLE))
    data = calendar_ics(schedule, stamp=STAMP, who=("lano", "icb"))
    got = vevents(data)
    expected = [e for e in schedule.events if {"lano", "icb"} & set(e.who)]
    assert 0 < len(got) == len(expected) < len(schedule.events)
    for event in got.values():
        assert {"LANO", "ICB"} & set(event.categories.value)
    assert "(LANO and ICB)" in parse(data).contents["x-wr-calname"][0].value


def test_who_is_checked_with_a_suggestion() -> None:
    assert check_roles(["LANO", "lano", "icb"]) == ("lano", "icb")
    with pytest.raises(UsageError, match=r"is not a role.*did you mean `lano`\?") as raised:
        check_roles(["lanoo"])
    # The core says which parameter and value; the CLI names the flag.
    assert (raised.value.option, raised.value.value) == ("who", "lanoo")
    result = run_cli("calendar", str(EXAMPLE), "-o", "-", "--who", "inspector")
    assert result.code == 2
    assert "sendplan: --who 'inspector' is not a role" in result.stderr
    assert "did you mean `inspectors`?" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1d", timedelta(days=1)),
        ("2h", timedelta(hours=2)),
        ("30m", timedelta(minutes=30)),
        ("1w", timedelta(weeks=1)),
        ("1d12h", timedelta(days=1, hours=12)),
        (" 2H ", timedelta(hours=2)),
    ],
)
def test_alarm_durations(text: str, expected: timedelta) -> None:
    assert parse_alarm(text) == expected


@pytest.mark.parametrize("text", ["", "1", "d", "1x", "-1d", "0m", "1 d", "1d2"])
def test_bad_alarm_durations(text: str) -> None:
    with pytest.raises(UsageError):
        parse_alarm(text)


def test_alarms_become_valarms() -> None:
    result = run_cli("calendar", str(EXAMPLE), "-o", "-", "--alarm", "1d", "--alarm", "2h")
    assert result.code == 0, result.output
    for event in vevents(result.stdout).values():
        triggers = sorted(a.trigger.value for a in event.valarm_list)
        assert triggers == [timedelta(days=-1), timedelta(hours=-2)]
        assert {a.action.value for a in event.valarm_list} == {"DISPLAY"}
    bad = run_cli("calendar", str(EXAMPLE), "-o", "-", "--alarm", "tomorrow")
    assert bad.code == 2
    assert "not a duration like 1d" in bad.stderr


def test_today_makes_the_export_reproducible(tmp_path: Path) -> None:
    args = ["calendar", str(EXAMPLE), "-o", "-", "--today", "2025-04-01T10:00"]
    first, second = run_cli(*args), run_cli(*args)
    assert first.code == 0
    assert first.stdout == second.stdout
    stamps = {e.dtstamp.value for e in vevents(first.stdout).values()}
    assert stamps == {datetime(2025, 4, 1, 9, 0, tzinfo=UTC)}  # 10:00 BST


def test_lines_end_crlf_in_the_written_file(tmp_path: Path) -> None:
    out = tmp_path / "plan.ics"
    result = run_cli("calendar", str(EXAMPLE), "-o", str(out))
    assert result.code == 0
    assert result.stdout == ""
    assert "wrote" in result.stderr
    data = out.read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_json_summary_needs_a_file() -> None:
    result = run_cli("calendar", str(EXAMPLE), "-o", "-", "--format", "json")
    assert result.code == 2
    assert "--format json needs -o FILE" in result.stderr
