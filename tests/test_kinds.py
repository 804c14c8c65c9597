"""Monitoring inspections, WSoA re-visits and engagement meetings (issue 3).

Dates are pinned two ways: the guidance's own worked example (the 2018
re-visit table: day 1 on Monday 4 November 2019) and hand-counted calendars
with bank holidays in the notice period (Christmas, Easter, the 2022 and 2023
one-off bank holidays).  Longer chains (28 and 33 working days, 70 working
days) are checked against an independent counter over GOV.UK's bank-holiday
feed in ``tests/fixtures``, not against sendplan's own calendar.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from datetime import date, time, timedelta
from functools import cache
from pathlib import Path

import pytest

from cli_harness import run_cli
from sendplan.case import load_case, parse_case
from sendplan.errors import CaseFileError
from sendplan.render.schedule import schedule_markdown, schedule_renderable
from sendplan.rules import load_rules
from sendplan.schedule import Schedule, build_schedule

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
HOLIDAYS_CSV = Path(__file__).parent / "fixtures" / "england-wales-bank-holidays.csv"


# ------------------------------------------------------------------ oracle
@cache
def _bank_holidays() -> frozenset[date]:
    with HOLIDAYS_CSV.open(encoding="utf-8") as handle:
        return frozenset(date.fromisoformat(row["date"]) for row in csv.DictReader(handle))


def _working(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays()


def wd(start: date, n: int) -> date:
    """Independent working-day count: ``n`` working days after ``start`` (before if < 0)."""
    step = timedelta(days=1 if n > 0 else -1)
    day = start
    for _ in range(abs(n)):
        day += step
        while not _working(day):
            day += step
    return day


def plan(text: str) -> Schedule:
    return build_schedule(parse_case(text))


#: Advisories about the calendar (issue 20): bank holidays in the notice
#: period, school holidays, deadlines on awkward days, the para 22 visit limit
#: (uncheckable without ILACS visits).  Tests of other rules set them aside.
CALENDAR_ADVISORIES = (
    "Bank holiday or closure in ",
    "The notice period and the on-site days ",
    "Deadlines on awkward days: ",
    "Monitoring visits across the area SEND and ILACS frameworks ",
)


def rule_warnings(s: Schedule) -> list[str]:
    """The schedule's warnings less the calendar advisories."""
    return [w for w in s.warnings if not w.startswith(CALENDAR_ADVISORIES)]


def revisit(on_site_start: str, days: int = 4, extra: str = "") -> Schedule:
    return plan(
        f'[inspection]\nkind = "revisit"\nlocal_area = "Testshire"\n'
        f"on_site_start = {on_site_start}\non_site_days = {days}\n{extra}"
    )


def monitoring(on_site_start: str, extra: str = "", days: str = "") -> Schedule:
    return plan(
        f'[inspection]\nkind = "monitoring"\nlocal_area = "Testshire"\n'
        f"on_site_start = {on_site_start}\n{days}\n{extra}"
    )


def engagement(meeting: str, extra: str = "") -> Schedule:
    return plan(
        f'[inspection]\nkind = "engagement"\nlocal_area = "Testshire"\n'
        f"[engagement]\nmeeting_date = {meeting}\n{extra}"
    )


def dated(schedule: Schedule, event_id: str) -> tuple[date, time | None]:
    event = schedule.event(event_id)
    return event.date, event.time


# ------------------------------------------------------------------ re-visits
def test_revisit_reproduces_the_guidance_table() -> None:
    """The 2018 guidance's indicative timeline: day 1 is Monday 4 November 2019."""
    s = revisit("2019-11-04", 4)
    assert dated(s, "notification") == (date(2019, 10, 21), None)
    assert s.event("notification").day == -10
    assert dated(s, "evidence_upload_due") == (date(2019, 10, 24), None)
    assert s.event("evidence_upload_due").day == -7
    assert s.event("evidence_review_call").date == date(2019, 10, 25)
    assert s.event("evidence_review_call").day == -6
    assert "PM" in s.event("evidence_review_call").title
    assert dated(s, "parent_survey_open") == (date(2019, 10, 28), time(12, 0))
    assert s.event("parent_survey_open").day == -5
    assert dated(s, "parent_survey_close") == (date(2019, 11, 1), time(12, 0))
    assert s.event("parent_survey_close").day == -1
    assert s.event("on_site_end").date == date(2019, 11, 7)
    assert s.event("final_feedback").day == 4
    # Para 26, counted by hand: 28 and 33 working days after Thursday 7 November.
    assert s.event("final_letter_due").date == date(2019, 12, 17)
    assert s.event("publication_due").date == date(2019, 12, 24)


def test_revisit_same_day_events_and_day_one_meetings() -> None:
    s = revisit("2019-11-04", 4)
    day_minus_10 = {"notification", "pcf_notification", "lano_follow_up_call"}
    assert {s.event(i).date for i in day_minus_10} == {date(2019, 10, 21)}
    for event_id in ("children_questions_shared", "dfe_nhse_discussion"):
        assert s.event(event_id).day == -6
    for event_id in ("senior_leaders_meeting", "pcf_parents_meeting", "parents_open_meeting"):
        assert s.event(event_id).date == date(2019, 11, 4)
        assert s.event(event_id).day == 1


@pytest.mark.parametrize(
    ("on_site", "days", "notification", "upload", "call", "survey_open", "survey_close"),
    [
        # Christmas 2019 and New Year 2020 in the notice period.
        ("2020-01-06", 3, "2019-12-18", "2019-12-23", "2019-12-24", "2019-12-27", "2020-01-03"),
        # Easter 2020: Good Friday 10 April and Easter Monday 13 April.
        ("2020-04-20", 4, "2020-04-02", "2020-04-07", "2020-04-08", "2020-04-09", "2020-04-17"),
        # The State Funeral of Queen Elizabeth II, Monday 19 September 2022.
        ("2022-09-26", 2, "2022-09-09", "2022-09-14", "2022-09-15", "2022-09-16", "2022-09-23"),
        # The Coronation bank holiday, Monday 8 May 2023 (and Early May, 1 May).
        ("2023-05-15", 4, "2023-04-27", "2023-05-03", "2023-05-04", "2023-05-05", "2023-05-12"),
        # No bank holiday: Lancashire's real re-visit, 9 to 12 March 2020.
        ("2020-03-09", 4, "2020-02-24", "2020-02-27", "2020-02-28", "2020-03-02", "2020-03-06"),
    ],
)
def test_revisit_notice_period_across_bank_holidays(
    on_site: str,
    days: int,
    notification: str,
    upload: str,
    call: str,
    survey_open: str,
    survey_close: str,
) -> None:
    s = revisit(on_site, days)
    expected = {
        "notification": notification,
        "evidence_upload_due": upload,
        "evidence_review_call": call,
        "parent_survey_open": survey_open,
        "parent_survey_close": survey_close,
    }
    assert {k: s.event(k).date.isoformat() for k in expected} == expected
    # The same days from the independent counter: day -k is k working days before day 1.
    start = date.fromisoformat(on_site)
    for event_id, k in [
        ("notification", 10),
        ("evidence_upload_due", 7),
        ("parent_survey_close", 1),
    ]:
        assert s.event(event_id).date == wd(start, -k)
    end = wd(start, days - 1)
    assert s.event("on_site_end").date == end
    assert s.event("final_letter_due").date == wd(end, 28)
    assert s.event("publication_due").date == wd(end, 33)
    assert rule_warnings(s) == []
    # A bank holiday in days -10 to -1 is named (issue 20).
    if s.closures() and s.closures()[0][0] < start:
        assert any(w.startswith("Bank holiday or closure in the notice period") for w in s.warnings)


def test_revisit_day_numbers_skip_zero_and_stop_at_the_last_day() -> None:
    s = revisit("2020-04-20", 4, "[revisit]\ninitial_inspection_start = 2017-11-13\n")
    days = {e.day for e in s.events if e.day is not None}
    assert days == {-10, -7, -6, -5, -1, 1, 2, 3, 4}
    assert s.event("initial_inspection").day is None  # background, not numbered
    assert s.event("publication_due").day is None
    # Closures listed from the notice period to publication, not since 2017.
    closures = [d for d, _ in s.closures()]
    assert closures[:2] == [date(2020, 4, 10), date(2020, 4, 13)]
    assert closures[-1] <= s.event("publication_due").date


@pytest.mark.parametrize("days", [2, 3, 4])
def test_keep_in_touch_each_day_only_when_longer_than_two_days(days: int) -> None:
    s = revisit("2019-11-04", days)
    kit = [e for e in s.events if e.id.startswith("keep_in_touch")]
    if days == 2:
        assert kit == []
    else:
        assert [e.id for e in kit] == [f"keep_in_touch_day{k}" for k in range(1, days + 1)]
        assert [e.date for e in kit] == [wd(date(2019, 11, 4), k) for k in range(days)]
    assert s.event("final_feedback").day == days


@pytest.mark.parametrize(
    ("days_line", "message"),
    [
        ("", "inspection.on_site_days: is required for a WSoA re-visit: 2 to 4 days"),
        (
            "on_site_days = 5",
            "must be 2 to 4 for a WSoA re-visit, got 5 (re-visit guidance para 19)",
        ),
        (
            "on_site_days = 1",
            "must be 2 to 4 for a WSoA re-visit, got 1 (re-visit guidance para 19)",
        ),
    ],
)
def test_revisit_needs_two_to_four_days(days_line: str, message: str) -> None:
    text = f'[inspection]\nkind = "revisit"\nlocal_area = "X"\non_site_start = 2019-11-04\n{days_line}\n'
    with pytest.raises(CaseFileError) as caught:
        parse_case(text)
    assert message in str(caught.value)
    assert "inspection.on_site_days" in str(caught.value)


def test_revisit_cli_error_is_one_clear_message(write_case: Callable[[str], Path]) -> None:
    path = write_case(
        '[inspection]\nkind = "revisit"\nlocal_area = "X"\non_site_start = 2019-11-04\n'
    )
    result = run_cli("schedule", str(path))
    assert result.code == 2
    assert "Traceback" not in result.output
    assert "re-visit guidance para 19" in result.stderr


def test_revisit_letter_dates_and_wsoa_from_recorded_dates() -> None:
    s = revisit(
        "2019-11-04",
        4,
        "[revisit]\ninitial_letter_received = 2018-01-15\n"
        "[dates]\ndraft_letter_received = 2019-11-27\n",
    )
    assert s.event("draft_letter_received").recorded
    assert s.event("factual_accuracy_due").date == wd(date(2019, 11, 27), 10)
    assert s.event("wsoa_due").date == wd(date(2018, 1, 15), 70)
    assert not s.event("factual_accuracy_due").approximate
    without = revisit("2019-11-04", 4)
    assert without.get("wsoa_due") is None
    # The draft letter and its 10-working-day check show from the start, as
    # planned (2018 paras 24-25, 27; handbook para 136).
    draft = without.event("draft_letter_received")
    assert draft.approximate and not draft.recorded
    assert draft.date == wd(without.event("on_site_end").date, 14)
    check = without.event("factual_accuracy_due")
    assert check.approximate and check.date == wd(draft.date, 10)


def test_revisit_warns_when_later_than_18_months_after_fit_for_purpose() -> None:
    late = revisit("2019-11-04", 4, "[revisit]\nwsoa_fit_for_purpose = 2018-04-30\n")
    assert late.event("revisit_due_by").date == date(2019, 10, 30)
    assert any("on_site_start 2019-11-04 is later than revisit_due_by" in w for w in late.warnings)
    in_time = revisit("2019-11-04", 4, "[revisit]\nwsoa_fit_for_purpose = 2018-05-04\n")
    assert rule_warnings(in_time) == []


def test_revisit_from_notification_only() -> None:
    s = plan(
        '[inspection]\nkind = "revisit"\nlocal_area = "X"\n'
        "notification = 2019-10-21\non_site_days = 4\n"
    )
    assert s.event("on_site_start").date == date(2019, 11, 4)
    assert s.event("parent_survey_open").date == date(2019, 10, 28)


# ------------------------------------------------------------------ monitoring
def test_monitoring_without_bank_holidays() -> None:
    s = monitoring("2026-01-19", days="on_site_days = 3")
    assert s.event("notification").date == date(2026, 1, 5)
    assert s.event("notification").day == 1
    assert s.event("pcf_notification").date == date(2026, 1, 5)
    assert dated(s, "person_level_data_due") == (date(2026, 1, 6), time(11, 0))
    assert dated(s, "week1_information_due") == (date(2026, 1, 6), time(11, 0))
    assert dated(s, "end_of_week1_information_due") == (date(2026, 1, 9), time(17, 0))
    end = s.event("on_site_end").date
    assert end == date(2026, 1, 21)
    assert s.event("final_feedback").date == end
    assert s.event("draft_letter_due").date == wd(end, 14)
    assert s.event("factual_accuracy_due").date == wd(wd(end, 14), 10)
    assert s.event("final_letter_due").date == wd(end, 30)
    assert s.event("complaint_deadline").date == wd(end, 35)
    assert s.event("publication_due").date == wd(end, 38)
    assert rule_warnings(s) == []


def test_monitoring_across_the_2023_coronation_and_early_may() -> None:
    s = monitoring("2023-05-15")
    assert s.event("notification").date == date(2023, 4, 27)  # hand count
    assert s.event("person_level_data_due").date == date(2023, 4, 28)
    assert dated(s, "end_of_week1_information_due") == (date(2023, 5, 4), time(17, 0))
    assert s.event("on_site_end").date == date(2023, 5, 16)  # default 2 days (para 169)
    assert [d for d, _ in s.closures()][:2] == [date(2023, 5, 1), date(2023, 5, 8)]


def test_monitoring_across_christmas() -> None:
    s = monitoring("2025-01-06", days="on_site_days = 2")
    # 10 working days back past New Year's Day, Boxing Day and Christmas Day.
    assert s.event("notification").date == date(2024, 12, 18)
    assert s.event("notification").date == wd(date(2025, 1, 6), -10)
    assert s.event("end_of_week1_information_due").date == date(2024, 12, 24)


def test_monitoring_locally_agreed_events_are_marked() -> None:
    s = monitoring("2026-01-19")
    for event_id in ("information_update_contact", "evidence_review_call", "dfe_nhse_discussion"):
        event = s.event(event_id)
        assert event.approximate
        assert "agreed locally" in event.note
        assert event.end_date is not None and event.end_date < s.event("on_site_start").date
    upload = s.event("evidence_upload_due")
    assert upload.approximate and "gives no day" in upload.note
    assert upload.date < s.event("evidence_review_call").date


def test_monitoring_warns_below_two_days() -> None:
    s = monitoring("2026-01-19", days="on_site_days = 1")
    assert any("at least 2 days on site (handbook para 169)" in w for w in s.warnings)
    assert s.event("on_site_end").date == date(2026, 1, 19)


def test_monitoring_warns_far_from_about_18_months() -> None:
    near = monitoring("2026-01-19", "[monitoring]\nfull_report_published = 2024-07-22\n")
    assert near.event("monitoring_expected").date == date(2026, 1, 22)
    assert rule_warnings(near) == []
    far = monitoring("2026-01-19", "[monitoring]\nfull_report_published = 2023-07-22\n")
    assert any("more than 3 months from monitoring_expected" in w for w in far.warnings)
    early = monitoring("2026-01-19", "[monitoring]\nfull_report_published = 2025-03-03\n")
    assert any("monitoring_expected 2026-09-03" in w for w in early.warnings)


def test_monitoring_triggered_by_concern() -> None:
    s = monitoring(
        "2026-01-19",
        "[monitoring]\ntriggered_by_concern = true\nfull_report_published = 2023-07-24\n",
    )
    assert s.get("monitoring_expected") is None  # no 18-month cadence to miss
    assert rule_warnings(s) == []
    assert s.event("concern_next_steps").date == s.event("final_letter_due").date
    assert monitoring("2026-01-19").get("concern_next_steps") is None


def test_monitoring_is_followed_by_the_full_reinspection() -> None:
    """Para 20: after widespread failings, "full reinspection usually within 3 years"."""
    s = monitoring("2026-01-19", "[monitoring]\nfull_report_published = 2024-07-22\n")
    event = s.event("full_reinspection")
    assert (event.date, event.stage, event.approximate) == (date(2027, 7, 22), "follow_up", True)
    assert "para 20" in event.note and "usually within 3 years" in event.note
    assert monitoring("2026-01-19").get("full_reinspection") is None  # nothing to count from
    concern = monitoring(
        "2026-01-19",
        "[monitoring]\ntriggered_by_concern = true\nfull_report_published = 2023-07-24\n",
    )
    assert concern.get("full_reinspection") is None  # no widespread failings to follow


def test_monitoring_areas_listed_with_the_schedule() -> None:
    s = monitoring(
        "2026-01-19", '[monitoring]\nareas_for_priority_action = ["EHC plans", "Co-production"]\n'
    )
    data = s.to_json()
    assert data["lists"] == [
        {
            "id": "areas_for_priority_action",
            "title": "Areas for priority action under review",
            "source": "handbook paras 158, 160, 172",
            "items": ["EHC plans", "Co-production"],
        }
    ]
    assert "1. EHC plans" in schedule_markdown(s)


# ------------------------------------------------------------------ engagement
def test_engagement_default_and_own_lead_days() -> None:
    s = engagement("2026-03-17")
    assert s.event("self_evaluation_due").date == wd(date(2026, 3, 17), -10)
    assert s.event("self_evaluation_due").approximate
    assert s.event("agenda_agreed").end_date == date(2026, 3, 16)
    assert s.event("engagement_meeting").recorded
    assert s.event("meeting_note_due").date == date(2026, 4, 17)
    own = engagement("2026-04-21", "self_evaluation_lead_days = 15\n")
    # Back across Easter 2026 (Good Friday 3 April, Easter Monday 6 April).
    assert own.event("self_evaluation_due").date == date(2026, 3, 27)
    assert own.event("self_evaluation_due").date == wd(date(2026, 4, 21), -15)
    assert load_rules("engagement").params["self_evaluation_lead_days"] == 10


@pytest.mark.parametrize(
    ("meeting", "note"),
    # Sat 28 Feb 2026 is not a working day: the note is due the Friday before.
    [("2026-01-31", "2026-02-27"), ("2024-01-31", "2024-02-29"), ("2025-12-15", "2026-01-15")],
)
def test_engagement_note_within_one_calendar_month(meeting: str, note: str) -> None:
    assert engagement(meeting).event("meeting_note_due").date.isoformat() == note


def test_engagement_lists_questions_and_agenda() -> None:
    s = engagement("2026-03-17")
    lists = {t["id"]: t for t in s.to_json()["lists"]}
    assert len(lists["self_evaluation_questions"]["items"]) == 3
    assert lists["self_evaluation_questions"]["source"] == "handbook para 184"
    assert len(lists["agenda_points"]["items"]) == 5
    assert lists["agenda_points"]["source"] == "handbook para 190"
    assert lists["agenda_points"]["items"][-1].startswith("The approximate timing")
    markdown = schedule_markdown(s)
    assert "## The 3 questions the self-evaluation covers" in markdown
    assert "| Date | Weekday | Time |" in markdown  # no Day column: no day numbers


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[inspection]\nkind = "engagement"\nlocal_area = "X"\n',
            "engagement.meeting_date: is required for an engagement meeting",
        ),
        (
            '[inspection]\nkind = "engagement"\nlocal_area = "X"\nnotification = 2026-03-02\n'
            "[engagement]\nmeeting_date = 2026-03-17\n",
            "inspection.notification: an engagement meeting is not an inspection",
        ),
        (
            '[inspection]\nkind = "monitoring"\nlocal_area = "X"\non_site_start = 2026-01-19\n'
            '[revisit]\nareas_of_significant_weakness = ["A"]\n',
            "the [revisit] section is for kind = 'revisit'",
        ),
        (
            '[inspection]\nkind = "engagement"\nlocal_area = "X"\n'
            "[engagement]\nmeeting_date = 2026-03-17\nself_evaluation_lead_day = 5\n",
            "did you mean `self_evaluation_lead_days`?",
        ),
    ],
)
def test_kind_specific_errors(text: str, message: str) -> None:
    with pytest.raises(CaseFileError) as caught:
        parse_case(text)
    assert message in str(caught.value)


# ------------------------------------------------------------------ shape and rendering
def test_event_json_shape_is_the_same_for_every_kind() -> None:
    full = plan('[inspection]\nkind = "full"\nlocal_area = "X"\non_site_start = 2025-05-12\n')
    shape = set(full.to_json()["events"][0])
    for s in (revisit("2019-11-04"), monitoring("2026-01-19"), engagement("2026-03-17")):
        data = json.loads(json.dumps(s.to_json()))
        assert {frozenset(e) for e in data["events"]} == {frozenset(shape)}
        assert set(data) == set(full.to_json())


def test_rich_view_shows_revisit_day_numbers() -> None:
    from rich.console import Console

    console = Console(width=200, record=True, color_system=None)
    console.print(schedule_renderable(revisit("2019-11-04", 4)))
    text = console.export_text()
    assert "there is no day 0" in text
    assert " -10 " in text and " -5 " in text
    assert "Notice period: days -10 to -1" in text


def test_every_rule_cites_a_paragraph() -> None:
    for kind in ("monitoring", "revisit", "engagement"):
        rules = load_rules(kind)
        for rule in rules.rules:
            assert "para" in rule.source, (kind, rule.id)
            if rule.approximate:
                assert rule.note, (kind, rule.id)


# ------------------------------------------------------------------ examples
def test_lancashire_example() -> None:
    case = load_case(EXAMPLES / "lancashire-revisit-2020.toml")
    assert case.kind == "revisit"
    assert len(case.revisit.areas_of_significant_weakness) == 12
    # From the packaged inspection record, as the example's comment says (issue 11).
    assert case.revisit.initial_inspection_start == date(2017, 11, 13)
    assert case.people["lano"].name == "Sian Rees"
    assert {p.name for p in case.other_people} == {"David Middleton", "Diane Booth"}
    s = build_schedule(case)
    assert s.event("on_site_start").date == date(2020, 3, 9)
    assert s.event("on_site_end").date == date(2020, 3, 12)
    assert s.event("notification").date == date(2020, 2, 24)
    assert s.warnings == ()


@pytest.mark.parametrize(
    "name",
    ["monitoring-inspection.toml", "lancashire-revisit-2020.toml", "engagement-meeting.toml"],
)
def test_examples_run_clean(name: str) -> None:
    result = run_cli("schedule", str(EXAMPLES / name), "--format", "json")
    assert result.code == 0, result.output
    assert result.stderr == ""
    assert json.loads(result.stdout)["warnings"] == []


def test_rule_checks_are_validated_on_load() -> None:
    from sendplan.errors import RuleError
    from sendplan.rules import parse_rules

    base = {
        "stage": [{"id": "s", "title": "S"}],
        "rule": [
            {"id": "a", "title": "A", "who": ["ofsted"], "stage": "s", "source": "para 1"},
            {
                "id": "b",
                "title": "B",
                "who": ["ofsted"],
                "stage": "s",
                "source": "para 2",
                "anchor": "a",
                "check_event": "c",
                "check": "near",
            },
        ],
    }
    with pytest.raises(RuleError, match="checks unknown rule `c`"):
        parse_rules("revisit", base)
    base["rule"][1]["check_event"] = "a"  # type: ignore[index]
    base["rule"][1]["check"] = "around"  # type: ignore[index]
    with pytest.raises(RuleError, match="needs check_event and check"):
        parse_rules("revisit", base)


def test_engagement_rehearsal_dates_are_a_usage_error() -> None:
    example = Path(__file__).resolve().parents[1] / "examples" / "engagement-meeting.toml"
    result = run_cli("schedule", str(example), "--on-site-start", "2025-01-06")
    assert result.code == 2
    assert "engagement.meeting_date" in result.stderr
