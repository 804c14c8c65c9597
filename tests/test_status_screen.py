"""``sendplan status`` is one screen on any date of any example (issue 13).

The board is rendered at widths from 80 columns on dates drawn from a week
before notification to a week after the last event (weeks 1-3, the report
period and either side), and must keep to ``SCREEN_LINES`` while the overdue
and due-today summaries stay whole and every event left off is counted.
"""

from __future__ import annotations

import io
import json
import re
from datetime import datetime, time, timedelta
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from cli_harness import run_cli
from example_cases import DATED
from sendplan.case import load_case
from sendplan.checklist import Checklist, Status, build_checklist, build_status, by_group
from sendplan.render.checklist import SCREEN_LINES, status_renderable
from sendplan.schedule import Schedule, as_series, build_schedule

EXAMPLES = DATED  # status needs dates (issue 23)
FULL = Path(__file__).resolve().parents[1] / "examples" / "full-inspection.toml"


@cache
def planned(example: Path) -> tuple[Schedule, Checklist]:
    case = load_case(example)
    plan = build_schedule(case)
    return plan, build_checklist(case, plan)


def render(board: Status, width: int) -> list[str]:
    buffer = io.StringIO()
    # As the CLI's console: text from case files is not Rich markup ("[case file]").
    console = Console(
        file=buffer, width=width, color_system=None, highlight=False, markup=False, emoji=False
    )
    console.print(status_renderable(board))
    return buffer.getvalue().splitlines()


def section(lines: list[str], start: str) -> list[str]:
    """The indented lines under the heading that starts with ``start``."""
    heads = [n for n, line in enumerate(lines) if line.startswith(start)]
    if not heads:
        return []
    rows = []
    for line in lines[heads[0] + 1 :]:
        if not line.startswith("  "):
            break
        rows.append(line)
    return rows


def more(rows: list[str]) -> int:
    found = [re.search(r"and (\d+) more events? ", row) for row in rows]
    return next((int(m.group(1)) for m in found if m), 0)


def check_board(board: Status, width: int, budget: int = SCREEN_LINES) -> None:
    lines = render(board, width)
    assert len(lines) <= budget, "\n".join(lines)
    assert all(cell_len(line) <= width for line in lines)
    assert "…" not in "\n".join(lines)
    # Overdue and due today: every group-and-owner summary is there, whole.
    for start, items in (("Overdue:", board.overdue), ("Due today:", board.due_today)):
        groups = by_group(board.checklist, items)
        rows = section(lines, start)
        counts = [r for r in rows if re.match(r"  \d+ items? ", r)]
        assert len(counts) == len(groups), (start, rows)
        words = {w.strip(",") for w in " ".join(rows).split()}
        for group in groups:  # each id run whole (a long one may wrap)
            assert all(w.strip(",") in words for w in ", ".join(group.runs).split()), rows
    # Today and next: the rows shown and the "and N more" line add up to every event.
    for start, events in (("Today", board.today_events), ("Next", board.next_events)):
        rows = section(lines, start)
        series = as_series(events)
        left_off = more(rows)
        assert bool(rows) == bool(series), (start, rows)
        assert left_off < len(series) or not series  # at least one row is shown
        # The rows shown have their sources whole (what happens may wrap).
        words = {w.strip(",") for w in " ".join(rows).split()}
        whole = [e for e in series if all(w.strip(",") in words for w in e.source.split())]
        assert len(whole) >= len(series) - left_off, (start, rows)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
@settings(max_examples=20, deadline=None)
@given(days=st.integers(-7, 200), hour=st.integers(7, 19), width=st.sampled_from([80, 100, 160]))
def test_status_is_one_screen_on_any_date(example: Path, days: int, hour: int, width: int) -> None:
    plan, checklist = planned(example)
    first = min(e.date for e in plan.events)
    last = max(e.end_date or e.date for e in plan.events)
    day = min(first + timedelta(days=days), last + timedelta(days=7))
    check_board(build_status(plan, checklist, datetime.combine(day, time(hour))), width)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_status_is_one_screen_on_every_day_something_happens(example: Path) -> None:
    """Every date an event starts or ends: the busiest days, at 80 columns."""
    plan, checklist = planned(example)
    days = sorted({e.date for e in plan.events} | {e.end_date for e in plan.events if e.end_date})
    for day in days:
        check_board(build_status(plan, checklist, datetime.combine(day, time(10))), 80)


def test_the_full_inspection_on_day_10_is_cut_to_one_screen() -> None:
    """The issue's own case: six windows under way on day 10 and five events next."""
    plan, checklist = planned(FULL)
    board = build_status(plan, checklist, datetime(2025, 5, 9, 10, 0))
    lines = render(board, 80)
    today = section(lines, "Today")
    assert len(as_series(board.today_events)) == 6
    # The windows ending soonest lead; the rest are counted and pointed to.
    assert today[0].startswith("  Fri 2 May to") and today[1].strip().startswith("Fri 9 May")
    assert "and 4 more events under way: sendplan schedule CASE" in "\n".join(today)
    assert more(section(lines, "Next")) == 4  # one event, soonest, is shown
    assert len(section(lines, "Overdue:")) == 8
    assert "Checklist: 36 items, 36 not-started" in lines  # one line, no owner rows
    # The JSON keeps every event and item.
    result = run_cli(
        "status",
        str(FULL),
        "--today",
        "2025-05-09T10:00",
        "-f",
        "json",
    )
    data = json.loads(result.stdout)
    assert len(data["today_events"]) == 6 and len(data["overdue"]) == 36


def test_the_check_can_fail() -> None:
    """Ten lines fewer than the budget do not hold day 10: the line check bites."""
    plan, checklist = planned(FULL)
    board = build_status(plan, checklist, datetime(2025, 5, 9, 10, 0))
    with pytest.raises(AssertionError):
        check_board(board, 80, budget=SCREEN_LINES - 10)
