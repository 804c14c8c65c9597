"""What a person reads (issue 13): repeated meetings as one row, dates in
GOV.UK style, words that agree with their numbers, overdue items summed up.

JSON keeps one event per occurrence (scripts filter and sort them); every
person-facing view (table, Markdown, status) shows a repeated rule once, with
its days.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cli_harness import run_cli
from sendplan.case import parse_case
from sendplan.checklist import build_checklist, build_status, by_group
from sendplan.dates import date_text, day_span, short_date
from sendplan.render.checklist import status_markdown
from sendplan.render.schedule import schedule_markdown
from sendplan.schedule import Schedule, as_series, build_schedule, series_text
from sendplan.words import plural

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "full-inspection.toml"
FULL = """\
[inspection]
kind = "full"
local_area = "Testshire"
on_site_start = 2025-05-12
"""


def plan() -> Schedule:
    return build_schedule(parse_case(FULL))


# ------------------------------------------------------------------ repeated rows
def test_json_keeps_one_event_per_occurrence() -> None:
    ids = [e["id"] for e in plan().to_json()["events"]]
    assert [i for i in ids if i.startswith("team_meeting")] == [
        f"team_meeting_day{k}" for k in range(1, 6)
    ]


def test_a_repeated_rule_reads_as_one_row_with_its_days() -> None:
    rows = as_series(plan().events)
    meetings = [e for e in rows if e.id in ("team_meeting", "keep_in_touch")]
    assert [e.id for e in meetings] == ["team_meeting", "keep_in_touch"]
    team = meetings[0]
    assert team.title == "Team meeting on emerging findings (daily, as far as is practicable)"
    assert (team.date, team.end_date) == (date(2025, 5, 12), date(2025, 5, 16))
    assert series_text(team) == "each on-site day, Mon 12 - Fri 16 May"
    assert not any("_day" in e.id for e in rows)
    # Nothing else is lost or doubled.
    others = [e for e in plan().events if e.occurrence is None]
    assert [e for e in rows if e.occurrence is None] == others


def test_part_of_a_series_says_which_days() -> None:
    later = [e for e in plan().events if e.date >= date(2025, 5, 14)]
    team = next(e for e in as_series(later) if e.id == "team_meeting")
    assert series_text(team) == "on-site days 3 to 5, Wed 14 - Fri 16 May"
    last = [e for e in plan().events if e.date == date(2025, 5, 16)]
    one = [e for e in as_series(last) if e.occurrence is not None]
    assert [e.id for e in one] == ["team_meeting_day5", "keep_in_touch_day5"]  # one day: itself


def test_table_and_markdown_show_each_meeting_once() -> None:
    markdown = schedule_markdown(plan())
    assert markdown.count("Team meeting on emerging findings") == 1
    assert "(each on-site day, Mon 12 - Fri 16 May)" in markdown
    table = run_cli("schedule", str(EXAMPLE), env={"COLUMNS": "200"})
    assert table.stdout.count("Team meeting on emerging findings") == 1
    assert "on-site day 2" not in table.stdout


def test_status_counts_a_series_as_one_of_the_next_five() -> None:
    schedule = plan()
    board = build_status(schedule, build_checklist(parse_case(FULL), schedule), date(2025, 5, 9))
    rows = as_series(board.next_events)
    assert len(rows) == 5
    # JSON keeps every occurrence of the rows shown.
    ids = [e["id"] for e in board.to_json()["next_events"]]
    assert {f"team_meeting_day{k}" for k in range(1, 6)} <= set(ids)


# ------------------------------------------------------------------ dates
@pytest.mark.parametrize(("first", "last", "text"), [
    (date(2025, 5, 12), date(2025, 5, 16), "Mon 12 - Fri 16 May"),
    (date(2025, 5, 29), date(2025, 6, 4), "Thu 29 May - Wed 4 Jun"),
    (date(2025, 12, 31), date(2026, 1, 2), "Wed 31 Dec 2025 - Fri 2 Jan 2026"),
])  # fmt: skip
def test_day_spans(first: date, last: date, text: str) -> None:
    assert day_span(first, last) == text


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_no_leading_zero_ever(day: date) -> None:
    for text in (date_text(day), date_text(day, long=True, weekday=True), short_date(day)):
        assert f" 0{day.day} " not in f" {text} " and str(day.day) in text.split()


def test_status_speaks_govuk_dates(write_case: Callable[[str], Path]) -> None:
    result = run_cli("status", str(write_case(FULL)), "--today", "2026-12-01T09:30")
    assert "Tuesday 1 December 2026, 09:30" in result.stdout
    assert " 01 " not in result.stdout


def test_status_before_the_first_event_gives_its_date_in_govuk_style(
    write_case: Callable[[str], Path],
) -> None:
    result = run_cli("status", str(write_case(FULL)), "--today", "2025-01-06")
    assert "Not started: the first event is on Friday 25 April 2025" in result.stdout
    assert "2025-04-25" not in result.stdout


# ------------------------------------------------------------------ plurals
@pytest.mark.parametrize(
    ("count", "text"), [(0, "0 items"), (1, "1 item"), (2, "2 items"), (1200, "1,200 items")]
)
def test_plural(count: int, text: str) -> None:
    assert plural(count, "item") == text


def test_irregular_plurals() -> None:
    assert plural(1, "query", "queries") == "1 query"
    assert plural(3, "query", "queries") == "3 queries"
    assert plural(2, "child", "children", number=False) == "children"


def test_mark_says_1_item(write_case: Callable[[str], Path]) -> None:
    path = write_case(FULL)
    result = run_cli("mark", str(path), "1.1", "--status", "done", "--today", "2025-04-28")
    assert result.stdout.startswith(f"{path}: 1 item done: 1.1")
    assert "(s)" not in result.stdout


# ------------------------------------------------------------------ status summary
def test_overdue_items_by_group_and_owner() -> None:
    case = parse_case(
        FULL
        + '\n[checklist.owners]\n"1" = "Policy team"\n\n[checklist.items."1.3"]\nstatus = "done"\n'
    )
    schedule = build_schedule(case)
    checklist = build_checklist(case, schedule)
    groups = by_group(checklist, checklist.overdue(datetime(2025, 5, 20)))
    one = next(g for g in groups if g.group == "1")
    # 1.3 is done: the run breaks around it rather than claim 1.1 to 1.7.
    assert one.runs == ("1.1", "1.2", "1.4 to 1.7") and one.owner == "Policy team"
    assert len(one.ids) == 6
    assert sum(len(g.ids) for g in groups) == len(checklist.overdue(datetime(2025, 5, 20)))
    board = build_status(schedule, checklist, datetime(2025, 5, 20))
    data = json.loads(json.dumps(board.to_json()))
    assert {"group": "1", "owner": "Policy team", "count": 6}.items() <= data["overdue_by_group"][
        2
    ].items()
    assert "- 1.1, 1.2, 1.4 to 1.7: 6 items, Policy team, due Mon 28 Apr 11:00" in status_markdown(
        board
    )


def test_a_letter_lists_an_item_repeated_per_child_once() -> None:
    case = parse_case(FULL + '\n[tracking]\nselected = ["C014", "C027"]\n')
    checklist = build_checklist(case, build_schedule(case))
    rows = checklist.as_one([i for i in checklist.items if i.group == "7"])
    assert [(item.number, subjects) for item, subjects in rows][:2] == [
        ("7.1", ("C014", "C027")),
        ("7.2", ("C014", "C027")),
    ]
    assert len(rows) == 7
    plain = checklist.as_one([i for i in checklist.items if i.group == "1"])
    assert [subjects for _, subjects in plain] == [()] * 7
