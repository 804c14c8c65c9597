"""The full inspection schedule, pinned on real calendars (dates worked by hand).

Each expected date below was counted on a calendar, not copied from output.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest

from sendplan.calendar import WorkingCalendar
from sendplan.case import CalendarSettings, Case, Inspection, load_case, parse_case
from sendplan.errors import RuleError
from sendplan.rules import load_rules, parse_rules
from sendplan.schedule import Schedule, build_schedule


def full(
    on_site_start: date | None = None,
    notification: date | None = None,
    outcome: str | None = None,
    closures: tuple[date, ...] = (),
    dates: dict[str, date] | None = None,
    on_site_days: int | None = None,
) -> Schedule:
    case = Case(
        Inspection(
            kind="full",
            local_area="Testshire",
            notification=notification,
            on_site_start=on_site_start,
            outcome=outcome,
            on_site_days=on_site_days,
        ),
        calendar=CalendarSettings(extra_closures=closures),
        dates=dates or {},
    )
    return build_schedule(case)


def dates_of(schedule: Schedule) -> dict[str, date]:
    return {e.id: e.date for e in schedule}


def test_may_day_in_week_2_moves_notification_to_friday() -> None:
    # Issue 2's acceptance case: on site Monday 12 May 2025, May Day 5 May.
    plan = full(on_site_start=date(2025, 5, 12))
    got = dates_of(plan)
    assert got["notification"] == date(2025, 4, 25)  # a Friday (para 80)
    assert plan.event("person_level_data_due").date == date(2025, 4, 28)
    assert plan.event("person_level_data_due").time == time(11, 0)
    assert plan.event("end_of_week1_information_due").date == date(2025, 5, 1)
    assert plan.event("end_of_week1_information_due").time == time(17, 0)
    assert got["surveys_close"] == date(2025, 5, 2)
    assert got["tracking_selection"] == date(2025, 4, 28)
    assert plan.event("tracking_selection").time == time(17, 0)
    assert got["provider_list_due"] == got["week1_information_due"] == date(2025, 4, 28)
    assert got["remote_fieldwork_start"] == date(2025, 5, 8)
    assert got["on_site_end"] == got["final_feedback"] == date(2025, 5, 16)
    # After: 14, 30 working days from Fri 16 May; Spring bank holiday 26 May.
    assert got["draft_report_due"] == date(2025, 6, 6)
    assert got["final_report_due"] == date(2025, 6, 30)
    assert got["complaint_deadline"] == date(2025, 7, 7)
    assert got["publication_due"] == date(2025, 7, 10)
    assert got["strategic_plan_due"] == date(2025, 8, 18)
    assert plan.warnings == ()


def test_notification_alone_places_on_site_ten_working_days_later() -> None:
    # Hertfordshire: notified Monday 26 June 2023, on site 10 July 2023.
    got = dates_of(full(notification=date(2023, 6, 26)))
    assert got["on_site_start"] == date(2023, 7, 10)


def test_ealing_2025_fieldwork_starts_on_thursday_of_week_2() -> None:
    # Ealing: notified Monday 8 September 2025, off-site fieldwork from
    # Thursday 18 September, on site 22 September 2025.
    got = dates_of(full(on_site_start=date(2025, 9, 22)))
    assert got["notification"] == date(2025, 9, 8)
    assert got["remote_fieldwork_start"] == date(2025, 9, 18)


@pytest.mark.parametrize(
    ("on_site", "notification", "data_due", "week1_end", "surveys_close"),
    [
        # Easter 2026 (Good Friday 3, Easter Monday 6 April) in the notice period.
        (
            date(2026, 4, 20),
            date(2026, 4, 2),
            date(2026, 4, 7),
            date(2026, 4, 10),
            date(2026, 4, 13),
        ),
        # Christmas 2026 (25, 28 December) and New Year 2027 (1 January).
        (
            date(2027, 1, 11),
            date(2026, 12, 23),
            date(2026, 12, 24),
            date(2026, 12, 31),
            date(2027, 1, 4),
        ),
        # Spring bank holiday and Platinum Jubilee, 2 and 3 June 2022.
        (
            date(2022, 6, 13),
            date(2022, 5, 26),
            date(2022, 5, 27),
            date(2022, 6, 1),
            date(2022, 6, 6),
        ),
        # State funeral, Monday 19 September 2022.
        (
            date(2022, 10, 3),
            date(2022, 9, 16),
            date(2022, 9, 20),
            date(2022, 9, 23),
            date(2022, 9, 26),
        ),
        # Coronation, Monday 8 May 2023, after early May bank holiday 1 May.
        (
            date(2023, 5, 15),
            date(2023, 4, 27),
            date(2023, 4, 28),
            date(2023, 5, 4),
            date(2023, 5, 5),
        ),
        # No bank holiday: a plain Monday-to-Monday fortnight.
        (
            date(2024, 3, 11),
            date(2024, 2, 26),
            date(2024, 2, 27),
            date(2024, 3, 1),
            date(2024, 3, 4),
        ),
    ],
)
def test_notice_period_across_real_bank_holidays(
    on_site: date, notification: date, data_due: date, week1_end: date, surveys_close: date
) -> None:
    got = dates_of(full(on_site_start=on_site))
    assert got["notification"] == notification
    assert got["person_level_data_due"] == data_due
    assert got["end_of_week1_information_due"] == week1_end
    assert got["surveys_close"] == surveys_close


def test_christmas_in_the_report_period_and_local_closures() -> None:
    # On site 24-28 November 2025. Final report: 30 working days after Fri
    # 28 Nov, skipping 25, 26 Dec and 1 Jan -> Wednesday 14 January 2026.
    plain = dates_of(full(on_site_start=date(2025, 11, 24)))
    assert plain["draft_report_due"] == date(2025, 12, 18)
    assert plain["final_report_due"] == date(2026, 1, 14)
    # Closing 29-31 December moves it three working days, to Monday 19 January.
    closed = full(
        on_site_start=date(2025, 11, 24),
        closures=(date(2025, 12, 29), date(2025, 12, 30), date(2025, 12, 31)),
    )
    assert dates_of(closed)["final_report_due"] == date(2026, 1, 19)
    shown = [d for d, _ in closed.closures()]
    assert date(2025, 12, 25) in shown and date(2025, 12, 29) in shown


def test_both_dates_disagreeing_are_kept_with_a_warning() -> None:
    plan = full(notification=date(2025, 4, 28), on_site_start=date(2025, 5, 12))
    assert plan.event("notification").date == date(2025, 4, 28)
    assert plan.event("on_site_start").date == date(2025, 5, 12)
    assert plan.event("notification").recorded
    assert len([w for w in plan.warnings if "the rule is 10 working days" in w]) == 1
    # Deadlines follow the notification the case gives.
    assert plan.event("person_level_data_due").date == date(2025, 4, 29)


def test_on_site_not_on_a_monday_warns() -> None:
    plan = full(on_site_start=date(2025, 5, 13))
    assert any("is a Tuesday" in w for w in plan.warnings)


def test_recorded_date_moves_dependent_events() -> None:
    plan = full(on_site_start=date(2025, 5, 12), dates={"final_report_due": date(2025, 7, 1)})
    got = dates_of(plan)
    assert plan.event("final_report_due").recorded
    assert got["complaint_deadline"] == date(2025, 7, 8)
    assert got["publication_due"] == date(2025, 7, 11)
    assert got["strategic_plan_due"] == date(2025, 8, 19)


def test_on_site_days_sets_the_last_day_and_daily_meetings() -> None:
    plan = full(on_site_start=date(2025, 5, 12), on_site_days=3)
    assert plan.event("final_feedback").date == date(2025, 5, 14)
    assert [e.id for e in plan if e.id.startswith("team_meeting")] == [
        "team_meeting_day1",
        "team_meeting_day2",
        "team_meeting_day3",
    ]


def test_no_outcome_no_follow_up_inspection_events() -> None:
    got = dates_of(full(on_site_start=date(2025, 5, 12)))
    assert "priority_action_plan_due" not in got
    assert "next_full_inspection" not in got
    assert "strategic_plan_due" in got  # asked of every partnership (para 143)


def test_widespread_outcome_follow_up() -> None:
    plan = full(on_site_start=date(2025, 5, 12), outcome="widespread")
    got = dates_of(plan)
    assert got["priority_action_plan_due"] == got["strategic_plan_due"] == date(2025, 8, 18)
    # 18 months after 10 Jul 2025 is Sun 10 Jan 2027: "within" 18 months, so Fri 8 Jan.
    assert got["monitoring_inspection"] == date(2027, 1, 8)
    assert got["next_full_inspection"] == date(2028, 5, 16)  # 3 years after 16 May 2025
    assert plan.event("monitoring_inspection").approximate
    # Confirmation and publication show from the start, as planned (para 150).
    confirmed = plan.event("priority_action_plan_confirmed")
    published = plan.event("priority_action_plan_published")
    assert confirmed.approximate and published.approximate
    assert published.date == date(2025, 8, 26)  # 5 working days after 18 Aug 2025


def test_priority_action_plan_publication_after_confirmation() -> None:
    plan = full(
        on_site_start=date(2025, 5, 12),
        outcome="widespread",
        dates={"priority_action_plan_confirmed": date(2025, 9, 1)},
    )
    assert plan.event("priority_action_plan_published").date == date(2025, 9, 8)
    assert not plan.event("priority_action_plan_published").approximate


@pytest.mark.parametrize(("outcome", "years"), [("positive", 5), ("inconsistent", 3)])
def test_next_full_inspection_by_outcome(outcome: str, years: int) -> None:
    got = dates_of(full(on_site_start=date(2025, 5, 12), outcome=outcome))
    assert got["next_full_inspection"] == date(2025 + years, 5, 16)
    assert "priority_action_plan_due" not in got
    assert "monitoring_inspection" not in got
    assert "engagement_meeting" in got


def test_day_numbers_count_from_notification_through_on_site() -> None:
    plan = full(on_site_start=date(2025, 5, 12))
    assert plan.event("notification").day == 1
    assert plan.event("on_site_start").day == 11
    assert plan.event("final_feedback").day == 15
    assert plan.event("publication_due").day is None


def test_every_event_cites_a_paragraph_and_is_on_a_working_day() -> None:
    plan = full(on_site_start=date(2025, 5, 12), outcome="inconsistent")
    for event in plan:
        assert event.source.startswith("handbook para"), event.id
        if not event.approximate:
            assert plan.calendar.is_working_day(event.date), event.id


def test_json_shape() -> None:
    data = full(on_site_start=date(2025, 5, 12)).to_json()
    assert data["local_area"] == "Testshire" and data["kind"] == "full"
    event = next(e for e in data["events"] if e["id"] == "person_level_data_due")
    assert event["date"] == "2025-04-28" and event["time"] == "11:00"
    assert event["source"] == "handbook para 196"
    assert {"id", "title", "date", "time", "who", "source"} <= set(event)
    assert {"date": "2025-05-05", "name": "May Day"} in data["closures"]


def test_example_case_runs_clean() -> None:
    example = Path(__file__).resolve().parents[1] / "examples" / "full-inspection.toml"
    plan = build_schedule(load_case(example))
    assert plan.warnings == ()
    assert plan.event("notification").date == date(2025, 4, 25)


def test_rules_are_validated_on_load() -> None:
    ruleset = load_rules("full")
    assert len({r.id for r in ruleset.rules}) == len(ruleset.rules)
    bad: dict[str, Any] = {
        "stage": [{"id": "s", "title": "S"}],
        "rule": [
            {
                "id": "a",
                "title": "A",
                "who": ["ofsted"],
                "source": "p1",
                "stage": "s",
                "anchor": "b",
            },
            {
                "id": "b",
                "title": "B",
                "who": ["ofsted"],
                "source": "p1",
                "stage": "s",
                "anchor": "a",
            },
        ],
    }
    with pytest.raises(RuleError, match="cycle"):
        parse_rules("full", bad)
    bad["rule"][1]["anchor"] = "nowhere"
    with pytest.raises(RuleError, match="unknown rule `nowhere`"):
        parse_rules("full", bad)
    # A date counted in months must say where a weekend or bank holiday moves it.
    bad["rule"][1].update(anchor="a", unit="months", offset=1)
    bad["rule"][0].pop("anchor")
    with pytest.raises(RuleError, match="give non_working_day"):
        parse_rules("full", bad)
    bad["rule"][1]["non_working_day"] = "next_working_day"
    assert parse_rules("full", bad).rules[1].non_working_day == "next_working_day"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("input", "inspection.notificaton"),
        ("when", "not monitoring.triggerd_by_concern"),
        ("offset_add", "-engagement.lead_days"),
        ("input", "nowhere.at_all"),
    ],
)
def test_a_rule_reading_an_undeclared_case_key_fails_loudly(key: str, value: str) -> None:
    # A typo in a rule's case-file key would read as "not given" (None) for ever:
    # the schedule refuses the rules instead, naming the rule and the key.
    data = load_toml_rules("full")
    rule = next(r for r in data["rule"] if r["id"] == "information_request")
    rule[key] = value
    case = parse_case('[inspection]\nkind = "full"\nlocal_area = "X"\nnotification = 2025-04-25\n')
    with pytest.raises(
        RuleError,
        match=f"`information_request` reads case-file key `{value.lstrip('-').split()[-1]}`",
    ):
        build_schedule(case, rules=parse_rules("full", data))


def test_the_packaged_rules_read_only_declared_case_keys() -> None:
    from sendplan.case import CASE_SCHEMA
    from sendplan.rules import KINDS, case_keys
    from sendplan.schema import declares

    for kind in KINDS:
        keys = case_keys(load_rules(kind))
        assert all(declares(CASE_SCHEMA, key) for _, key in keys), kind
    # Every kind reads some (the checks above are not over an empty list).
    assert ("notification", "inspection.notification") in case_keys(load_rules("full"))
    assert all(case_keys(load_rules(kind)) for kind in KINDS)


def load_toml_rules(kind: str) -> dict[str, Any]:
    import copy
    import tomllib

    from sendplan import rules

    path = Path(rules.__file__).parent / "data" / "rules" / f"{kind}.toml"
    return copy.deepcopy(tomllib.loads(path.read_text(encoding="utf-8")))


def test_a_custom_calendar_can_be_injected() -> None:
    case = parse_case('[inspection]\nkind = "full"\nlocal_area = "X"\non_site_start = 2030-01-14\n')
    no_holidays = WorkingCalendar()
    plan = build_schedule(case, calendar=no_holidays)
    assert plan.event("notification").date == date(2029, 12, 31)


def test_write_case_fixture(write_case: Callable[[str], Path]) -> None:
    path = write_case('[inspection]\nkind = "full"\nlocal_area = "X"\nnotification = 2025-04-25\n')
    assert build_schedule(load_case(path)).event("on_site_start").date == date(2025, 5, 12)
