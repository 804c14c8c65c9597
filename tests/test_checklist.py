"""The Annex A checklist: items, deadlines from the schedule, RAG, filters, CLI.

Expected dates are counted by hand on a calendar, not copied from output.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path

import pytest

from cli_harness import run_cli
from example_cases import DATED
from sendplan.annex import load_annex
from sendplan.case import load_case, parse_case
from sendplan.checklist import Checklist, build_checklist, build_status, match_items
from sendplan.errors import CaseFileError, UsageError
from sendplan.rules import KINDS, load_rules
from sendplan.schedule import build_schedule

# On site Monday 12 May 2025; the May Day bank holiday (5 May) is in week 2, so
# notification moves back to Friday 25 April (para 80).
FULL = """\
[inspection]
kind = "full"
local_area = "Testshire"
on_site_start = 2025-05-12

[tracking]
selected = ["C014", "C027"]
reserves = ["C031"]
"""

ANNEX_A_IDS = (
    ["list-1", "list-2", "providers"]
    + [f"1.{n}" for n in range(1, 8)]
    + [f"2.{n}" for n in range(1, 9)]
    + [f"3.{n}" for n in range(1, 8)]
    + [f"4.{n}" for n in range(1, 6)]
    + ["5.1", "5.2"]
    + [f"6.{n}" for n in range(1, 5)]
)


def checklist_of(text: str) -> Checklist:
    case = parse_case(text)
    return build_checklist(case, build_schedule(case))


# ------------------------------------------------------------------ the items
def test_full_inspection_has_every_annex_a_item_and_7x_per_tracked_child() -> None:
    ids = checklist_of(FULL).ids()
    per_child = [f"7.{n}:{uid}" for n in range(1, 8) for uid in ("C014", "C027")]
    assert ids == ANNEX_A_IDS + per_child
    assert len(ANNEX_A_IDS) == 36  # 2 lists, providers, 7+8+7+5+2+4 numbered items


def test_7x_items_wait_for_the_tracking_selection() -> None:
    checklist = checklist_of(FULL.replace('selected = ["C014", "C027"]', "selected = []"))
    assert not [i for i in checklist.ids() if i.startswith("7.")]
    assert any("tracking.selected" in note for note in checklist.notes)


def test_groups_follow_annex_a_order_with_titles() -> None:
    groups = checklist_of(FULL).groups()
    titles = [title for title, _ in groups]
    assert titles[0] == "Week 1: person-level data"
    assert titles[5].startswith("4. Information about care")
    assert [i.id for i in groups[6][1]] == ["5.1", "5.2"]
    assert titles[-1].startswith("7. Additional information about each child")


def test_item_carries_number_title_short_and_full_description() -> None:
    item = checklist_of(FULL).item("7.2:C014")
    assert (item.number, item.title, item.group, item.subject) == ("7.2", "Chronology", "7", "C014")
    assert (
        item.description
        == "A chronology of significant events in the 2 years before the inspection"
    )
    assert item.source == "handbook para 206"
    assert item.label == "Chronology (C014)"


# ------------------------------------------------------------------ deadlines
def test_due_dates_are_the_schedule_events_across_may_day() -> None:
    checklist = checklist_of(FULL)
    # Notified Fri 25 Apr: next working day Mon 28 Apr by 11am (paras 192, 196).
    for item_id in ("list-1", "list-2", "providers", "1.1", "1.7"):
        item = checklist.item(item_id)
        assert (item.due_date, item.due_time) == (date(2025, 4, 28), time(11, 0)), item_id
    # End of week 1: 4th working day after Fri 25 Apr = Thu 1 May, 5pm.
    for item_id in ("2.1", "6.4", "7.7:C027"):
        item = checklist.item(item_id)
        assert (item.due_date, item.due_time) == (date(2025, 5, 1), time(17, 0)), item_id


def test_easter_moves_the_deadlines() -> None:
    # Notified Thu 17 Apr 2025: Good Friday 18 and Easter Monday 21 April are
    # bank holidays, so "the day following" is Tue 22 April and the 4th working
    # day is Fri 25 April.
    text = FULL.replace("on_site_start = 2025-05-12", "notification = 2025-04-17")
    checklist = checklist_of(text)
    assert checklist.item("list-1").due_date == date(2025, 4, 22)
    assert checklist.item("3.3").due_date == date(2025, 4, 25)


def test_due_dates_agree_with_sendplan_schedule(write_case: Callable[[str], Path]) -> None:
    path = write_case(FULL)
    env = {"SENDPLAN_TODAY": "2025-04-20"}
    plan = run_cli("schedule", str(path), "-f", "json", env=env)
    listed = run_cli("checklist", str(path), "-f", "json", env=env)
    assert plan.code == 0 and listed.code == 0, listed.output
    events = {e["id"]: e for e in json.loads(plan.stdout)["events"]}
    for item in json.loads(listed.stdout)["items"]:
        event = events[item["event_id"]]
        assert (item["due_date"], item["due_time"]) == (event["date"], event["time"])


def test_a_recorded_date_moves_the_items_it_dates() -> None:
    text = FULL + "\n[dates]\nperson_level_data_due = 2025-04-29T09:30:00\n"
    checklist = checklist_of(text)
    assert (checklist.item("list-2").due_date, checklist.item("list-2").due_time) == (
        date(2025, 4, 29),
        time(9, 30),
    )
    assert checklist.item("providers").due_date == date(2025, 4, 28)


def test_every_due_event_exists_in_its_kinds_rules() -> None:
    for spec in load_annex().items:
        for kind, event_id in spec.due.items():
            if kind in KINDS:
                load_rules(kind).rule(event_id)  # raises RuleError if not


# ------------------------------------------------------------------ RAG, overdue
@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime(2025, 4, 24, 9, 0), "green"),  # Thu: 2 working days before
        (datetime(2025, 4, 25, 16, 0), "amber"),  # Fri: due the next working day (Mon)
        (datetime(2025, 4, 28, 10, 59), "amber"),  # due at 11:00 today
        (datetime(2025, 4, 28, 11, 0), "amber"),  # at the deadline, not yet past it
        (datetime(2025, 4, 28, 11, 1), "red"),
        (date(2025, 4, 29), "red"),
    ],
)
def test_rag_relative_to_today(today: datetime, expected: str) -> None:
    checklist = checklist_of(FULL)
    assert checklist.rag(checklist.item("list-1"), today) == expected


def test_done_and_na_items_are_never_overdue() -> None:
    text = FULL + (
        '\n[checklist.items."list-1"]\nstatus = "done"\n'
        '\n[checklist.items."list-2"]\nstatus = "n/a"\n'
        '\n[checklist.items."providers"]\nstatus = "in-progress"\n'
    )
    checklist = checklist_of(text)
    late = datetime(2025, 4, 28, 12, 0)
    overdue = [i.id for i in checklist.overdue(late)]
    assert "list-1" not in overdue and "list-2" not in overdue
    assert overdue[0] == "providers"
    assert checklist.rag(checklist.item("list-1"), late) == "green"


# ------------------------------------------------------------------ owners, filters
OWNED = (
    FULL
    + """
[checklist.owners]
"5" = "Designated clinical officer"
"1" = "SEND strategy team"

[checklist.items."5.2"]
status = "done"
owner = "Head of therapies"
note = "pathway maps sent"
"""
)


def test_group_owner_and_item_override() -> None:
    checklist = checklist_of(OWNED)
    assert checklist.item("5.1").owner == "Designated clinical officer"
    assert checklist.item("5.2").owner == "Head of therapies"
    assert checklist.item("5.2").note == "pathway maps sent"
    assert checklist.item("2.1").owner is None


def test_filters() -> None:
    checklist = checklist_of(OWNED)
    assert checklist.filter(owner="clinical").ids() == ["5.1"]
    assert checklist.filter(owner="none").ids()[:3] == ["list-1", "list-2", "providers"]
    assert checklist.filter(statuses=["done"]).ids() == ["5.2"]
    assert len(checklist.filter(due_before=date(2025, 4, 30)).items) == 10
    assert checklist.filter(owner="strategy", due_before=date(2025, 4, 28)).ids()[0] == "1.1"
    with pytest.raises(UsageError, match="did you mean done"):
        checklist.filter(statuses=["dne"])


def test_match_items_patterns() -> None:
    checklist = checklist_of(FULL)
    assert match_items(checklist, ["1.*"]) == [f"1.{n}" for n in range(1, 8)]
    assert match_items(checklist, ["7.*:C014"]) == [f"7.{n}:C014" for n in range(1, 8)]
    assert match_items(checklist, ["7.2"]) == ["7.2:C014", "7.2:C027"]
    with pytest.raises(UsageError, match=r"'1\.8'.*did you mean"):
        match_items(checklist, ["1.8"])


# ------------------------------------------------------------------ validation
def test_unknown_item_in_case_file_names_line_and_nearest(
    write_case: Callable[[str], Path],
) -> None:
    path = write_case(FULL + '\n[checklist.items."2.9"]\nstatus = "done"\n')
    with pytest.raises(CaseFileError) as caught:
        load_case(path)
    assert str(caught.value) == (
        f'{path}:10: checklist.items."2.9": is not an Annex A item of this inspection '
        "(did you mean `2.8`?)"
    )


def test_bad_status_and_group_are_reported(write_case: Callable[[str], Path]) -> None:
    text = FULL + '\n[checklist.owners]\n"55" = "DCO"\n\n[checklist.items."1.1"]\nstatus = "dne"\n'
    with pytest.raises(CaseFileError) as caught:
        load_case(write_case(text))
    message = str(caught.value)
    assert (
        "checklist.items.\"1.1\".status: expected one of 'not-started', 'in-progress', " in message
    )
    assert "(did you mean `done`?)" in message
    assert "checklist.owners.55: is not an Annex A group of this inspection" in message


def test_status_of_a_reserve_survives_but_a_stranger_does_not() -> None:
    parse_case(FULL + '\n[checklist.items."7.1:C031"]\nstatus = "done"\n')
    with pytest.raises(CaseFileError, match="'C099' is not a Unique ID in tracking.selected"):
        parse_case(FULL + '\n[checklist.items."7.1:C099"]\nstatus = "done"\n')


def test_include_is_only_for_monitoring() -> None:
    with pytest.raises(CaseFileError, match="only for monitoring inspections"):
        parse_case(FULL + '\n[checklist]\ninclude = ["1.*"]\n')


# ------------------------------------------------------------------ other kinds
MONITORING = """\
[inspection]
kind = "monitoring"
local_area = "Testshire"
notification = 2025-06-02

[monitoring]
areas_for_priority_action = ["Waiting times for therapies", "EHC plan quality"]
"""


def test_monitoring_lists_only_requested_annex_a_items_plus_progress_per_area() -> None:
    # "May request some or all" (para 192): nothing from Annex A is listed as
    # required until the case says it was requested (issue 11).
    checklist = checklist_of(MONITORING)
    assert checklist.ids() == ["progress:1", "progress:2"]
    assert any("para 192" in n and "para 165" in n for n in checklist.notes)
    progress = checklist.item("progress:2")
    assert progress.label == "Evidence of progress: EHC plan quality"
    assert progress.due_approximate  # paras 164-166 give no day
    every = checklist_of(MONITORING + '\n[checklist]\ninclude = ["*"]\n')
    assert every.ids()[: len(ANNEX_A_IDS)] == ANNEX_A_IDS
    # Mon 2 Jun notification: lists due Tue 3 Jun 11:00 (para 192 table).
    assert (every.item("providers").due_date, every.item("1.1").due_time) == (
        date(2025, 6, 3),
        time(11, 0),
    )
    assert not every.item("1.1").due_approximate


def test_monitoring_include_narrows_annex_a_but_keeps_progress() -> None:
    checklist = checklist_of(MONITORING + '\n[checklist]\ninclude = ["list-*", "5.*"]\n')
    assert checklist.ids() == ["list-1", "list-2", "5.1", "5.2", "progress:1", "progress:2"]
    with pytest.raises(CaseFileError, match="'9.\\*' matches no Annex A item"):
        parse_case(MONITORING + '\n[checklist]\ninclude = ["9.*"]\n')


def test_revisit_evidence_due_day_minus_7() -> None:
    text = """\
[inspection]
kind = "revisit"
local_area = "Testshire"
notification = 2025-06-02
on_site_days = 3

[revisit]
areas_of_significant_weakness = ["Joint commissioning", "Local offer"]
"""
    checklist = checklist_of(text)
    assert checklist.ids() == ["impact:1", "impact:2", "tribunals", "self-assessment"]
    # "By the fourth working day following notification (day -7)": Thu 5 June.
    assert {i.due_date for i in checklist.items} == {date(2025, 6, 5)}


def test_engagement_self_evaluation() -> None:
    text = """\
[inspection]
kind = "engagement"
local_area = "Testshire"

[engagement]
meeting_date = 2025-06-20
"""
    checklist = checklist_of(text)
    assert checklist.ids() == ["self-evaluation"]
    assert "What are your plans for the next 12 months" in checklist.items[0].description
    schedule = build_schedule(parse_case(text))
    assert checklist.items[0].due_date == schedule.event("self_evaluation_due").date


# ------------------------------------------------------------------ status
def test_status_dashboard_on_day_3() -> None:
    case = parse_case(FULL + '\n[checklist.items."list-1"]\nstatus = "done"\n')
    plan = build_schedule(case)
    board = build_status(plan, build_checklist(case, plan), datetime(2025, 4, 29, 9, 0))
    assert board.day == 3  # Fri 25 (1), Mon 28 (2), Tue 29 (3)
    assert board.stage.startswith("Week 1")
    assert [e.id for e in board.next_events][0] == "end_of_week1_information_due"
    assert len(board.next_events) == 5
    assert "list-1" not in [i.id for i in board.overdue]
    assert [i.id for i in board.overdue][:2] == ["list-2", "providers"]
    assert board.counts["done"] == 1
    assert board.counts["not-started"] == len(ANNEX_A_IDS) + 14 - 1


def test_status_on_a_bank_holiday_has_no_day_number() -> None:
    case = parse_case(FULL)
    plan = build_schedule(case)
    board = build_status(plan, build_checklist(case, plan), date(2025, 5, 5))
    assert board.day is None
    assert board.stage.startswith("Week 2")


# ------------------------------------------------------------------ CLI
def test_cli_check_fails_with_overdue_items(write_case: Callable[[str], Path]) -> None:
    path = write_case(FULL)
    result = run_cli("checklist", str(path), "--check", "--today", "2025-04-28T11:30", "-f", "csv")
    assert result.code == 1
    assert result.stdout.startswith("\ufeffid,number,group,title,due_date,due_time")
    rows = list(csv.reader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    # Ids Excel would read as numbers are written as ="1.1", which it shows as text.
    ids = [r[0].removeprefix('="').removesuffix('"') for r in rows[1:]]
    assert ids == ANNEX_A_IDS[:10]
    assert result.stderr.startswith("sendplan: 10 overdue items at Monday 28 April 2025, 11:30:\n")
    assert (
        "  list-1  Person-level data: List 1 (due 28 Apr 2025 11:00, not-started)" in result.stderr
    )


def test_cli_check_passes_when_every_due_item_is_closed(
    write_case: Callable[[str], Path],
) -> None:
    closed = "".join(
        f'\n[checklist.items."{i}"]\nstatus = "{"n/a" if i == "1.6" else "done"}"\n'
        for i in ANNEX_A_IDS[:10]
    )
    path = write_case(FULL + closed)
    args = ["checklist", str(path), "--check"]
    result = run_cli(*args, env={"SENDPLAN_TODAY": "2025-04-30T09:00"})
    assert result.code == 0, result.output
    assert result.stderr == ""
    # ...and fails again once the end-of-week-1 deadline passes.
    late = run_cli(*args, env={"SENDPLAN_TODAY": "2025-05-01T17:01"})
    assert late.code == 1


def test_cli_json_shape(write_case: Callable[[str], Path]) -> None:
    path = write_case(OWNED)
    result = run_cli(
        "checklist", str(path), "-f", "json", "--today", "2025-04-28", "--owner", "dCo"
    )
    assert result.code == 0, result.output
    data = json.loads(result.stdout)
    assert [i["id"] for i in data["items"]] == []  # "dCo" is not in any owner's name
    result = run_cli(
        "checklist", str(path), "-f", "json", "--today", "2025-04-28", "--status", "done"
    )
    data = json.loads(result.stdout)
    (item,) = data["items"]
    assert {k: item[k] for k in ("id", "title", "due_date", "due_time", "owner", "status")} == {
        "id": "5.2",
        "title": "Pathways",
        "due_date": "2025-05-01",
        "due_time": "17:00",
        "owner": "Head of therapies",
        "status": "done",
    }
    assert item["rag"] == "green" and data["today"] == "2025-04-28T00:00"


def test_cli_table_detail_and_markdown(write_case: Callable[[str], Path]) -> None:
    path = write_case(OWNED)
    table = run_cli(
        "checklist",
        str(path),
        "--today",
        "2025-04-28T12:00",
        "--detail",
        env={"COLUMNS": "200"},
    )
    assert table.code == 0, table.output
    assert "Joint Strategic Needs Assessment" in table.stdout  # 1.2's full description
    assert "red" in table.stdout and "Designated clinical officer" in table.stdout
    markdown = run_cli("checklist", str(path), "--today", "2025-04-28T12:00", "-f", "markdown")
    assert "## 5. Information about health at the end of week 1" in markdown.stdout
    assert "| 5.2 | Pathways: Referral pathways" in markdown.stdout


def test_cli_bad_status_filter_exits_2(write_case: Callable[[str], Path]) -> None:
    result = run_cli(
        "checklist", str(write_case(FULL)), "--status", "finished", "--today", "2025-04-28"
    )
    assert result.code == 2
    assert result.stderr.startswith("sendplan: --status 'finished' is not a status")


def test_cli_status(write_case: Callable[[str], Path]) -> None:
    path = write_case(FULL)
    result = run_cli("status", str(path), "--today", "2025-04-28T12:00")
    assert result.code == 0, result.output
    assert "Day 2. Week 1: notification, set-up and information request" in result.stdout
    assert "Monday 28 April 2025, 12:00" in result.stdout
    # Ten overdue items read as one line per Annex A group and owner, with a count.
    heading = f"\nOverdue: 10 items (each: sendplan checklist {path} --check)\n"
    overdue = result.stdout.split(heading)[1].split("\n\n")[0].splitlines()
    assert [" ".join(line.split()) for line in overdue] == [
        "2 items list-1, list-2 no owner due Mon 28 Apr 11:00",
        "1 item providers no owner due Mon 28 Apr 11:00",
        "7 items 1.1 to 1.7 no owner due Mon 28 Apr 11:00",
    ]
    markdown = run_cli("status", str(path), "--today", "2025-04-28T12:00", "-f", "markdown").stdout
    assert "- Thu 1 May 17:00 Further information due: Annex A items 2.1-6.4" in markdown
    assert "- 1.1 to 1.7: 7 items, no owner, due Mon 28 Apr 11:00" in markdown
    data = json.loads(
        run_cli("status", str(path), "--today", "2025-04-28T12:00", "-f", "json").stdout
    )
    assert data["day"] == 2 and data["counts"]["not-started"] == len(ANNEX_A_IDS) + 14


@pytest.mark.parametrize("example", DATED, ids=lambda p: p.name)  # status needs dates
def test_every_example_runs_through_checklist_and_status(example: Path) -> None:
    env = {"SENDPLAN_TODAY": "2025-01-06T09:00"}
    listed = run_cli("checklist", str(example), "-f", "json", env=env)
    assert listed.code == 0, listed.output
    assert json.loads(listed.stdout)["items"]
    board = run_cli("status", str(example), env=env)
    assert board.code == 0, board.output


def test_readme_documents_every_json_key() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The Annex A checklist")[1].split("\n## ")[0]
    data = checklist_of(FULL).to_json(date(2025, 4, 28))
    for key in list(data) + list(data["items"][0]):
        assert f"`{key}`" in section, key
    assert "sendplan checklist case.toml --check" in section
