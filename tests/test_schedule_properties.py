"""Properties of every schedule, on random dates across 2016-2040 (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sendplan.calendar import build_calendar
from sendplan.case import Case, Inspection
from sendplan.schedule import build_schedule

ENGLAND = build_calendar()
# Drawn as whole weeks from a Monday: filtering arbitrary dates for Mondays
# discards six draws in seven and trips Hypothesis's filter_too_much check.
FIRST_MONDAY = date(2016, 1, 4)
MONDAYS = (
    st.integers(min_value=0, max_value=(date(2040, 12, 31) - FIRST_MONDAY).days // 7)
    .map(lambda weeks: FIRST_MONDAY + timedelta(weeks=weeks))
    .filter(ENGLAND.is_working_day)
)


def schedule(kind: str, on_site_start: date, days: int | None = None) -> dict[str, date]:
    case = Case(Inspection(kind, "Propertyshire", on_site_start=on_site_start, on_site_days=days))
    plan = build_schedule(case, calendar=ENGLAND)
    for event in plan:
        if not event.approximate and event.stage != "follow_up":
            assert ENGLAND.is_working_day(event.date), event.id
    return {e.id: e.date for e in plan}


@settings(max_examples=150, deadline=None)
@given(MONDAYS)
def test_full_inspection_offsets_hold_on_any_calendar(on_site: date) -> None:
    got = schedule("full", on_site)
    notified = got["notification"]
    assert ENGLAND.count(notified, on_site) == 10  # para 82
    assert ENGLAND.count(notified, got["person_level_data_due"]) == 1  # para 196
    assert ENGLAND.count(notified, got["end_of_week1_information_due"]) == 4  # para 192
    assert ENGLAND.count(notified, got["surveys_close"]) == 5  # 6 days from notification, para 89
    assert ENGLAND.count(got["remote_fieldwork_start"], on_site) == 2  # para 122
    end = got["on_site_end"]
    assert ENGLAND.count(on_site, end) == 4  # 5 on-site days
    assert ENGLAND.count(end, got["draft_report_due"]) == 14  # para 136
    assert ENGLAND.count(end, got["final_report_due"]) == 30  # para 137
    assert ENGLAND.count(got["final_report_due"], got["publication_due"]) == 8  # para 138


@settings(max_examples=100, deadline=None)
@given(MONDAYS, st.integers(min_value=2, max_value=4))
def test_revisit_days_count_back_from_day_one(on_site: date, days: int) -> None:
    case = Case(Inspection("revisit", "Propertyshire", on_site_start=on_site, on_site_days=days))
    plan = build_schedule(case, calendar=ENGLAND)
    numbered = {e.id: e.day for e in plan if e.day is not None}
    assert 0 not in numbered.values()  # there is no day 0
    assert numbered["notification"] == -10
    assert numbered["evidence_upload_due"] == -7
    assert numbered["parent_survey_open"] == -5
    assert numbered["parent_survey_close"] == -1
    assert numbered["final_feedback"] == days
    end = plan.event("on_site_end").date
    assert ENGLAND.count(end, plan.event("final_letter_due").date) == 28  # re-visit para 26
    assert ENGLAND.count(end, plan.event("publication_due").date) == 33


@settings(max_examples=150, deadline=None)
@given(MONDAYS.filter(lambda d: d >= date(2016, 2, 1)))  # weeks 1-2 inside the calendar
def test_advisories_name_a_split_on_site_week_and_nothing_else(on_site: date) -> None:
    # Issue 11: an on-site week runs Monday to Friday unless a closure splits
    # it (para 122), and a notification is on a Monday unless a bank holiday
    # in weeks 1-2 moves it (para 80).
    case = Case(Inspection("full", "Propertyshire", on_site_start=on_site))
    plan = build_schedule(case, calendar=ENGLAND)
    end = plan.event("on_site_end").date
    split = (end - on_site).days != 4
    assert split == any("in the on-site days" in w for w in plan.warnings)
    notified = plan.event("notification").date
    off_monday = any(w.startswith("notification ") for w in plan.warnings)
    assert not off_monday  # on site on a Monday: a non-Monday notification is para 80's case
    assert (notified.weekday() == 0) == ((on_site - notified).days == 14)


ANY_DAY = st.dates(min_value=date(2016, 1, 1), max_value=date(2038, 12, 31))


def _case_text(kind: str, on_site: date, outcome: str | None, background: date) -> str:
    """A case of ``kind`` whose given dates (the background ones may fall on any day)
    set off every rule of its kind, follow-up rules included."""
    head = f'[inspection]\nkind = "{kind}"\nlocal_area = "Propertyshire"\n'
    if kind == "engagement":
        return head + f"[engagement]\nmeeting_date = {background}\n"
    head += f"on_site_start = {on_site}\n"
    if kind == "full":
        return head + (f'outcome = "{outcome}"\n' if outcome else "")
    if kind == "monitoring":
        return head + f"[monitoring]\nfull_report_published = {background}\n"
    return head + (
        f"on_site_days = 3\n[revisit]\nwsoa_fit_for_purpose = {background}\n"
        f"initial_inspection_start = {background}\n"
    )


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["full", "monitoring", "revisit", "engagement"]),
    MONDAYS,
    st.sampled_from([None, "positive", "inconsistent", "widespread"]),
    ANY_DAY,
)
def test_no_rule_date_falls_on_a_closed_day_unless_the_rule_says_so(
    kind: str, on_site: date, outcome: str | None, background: date
) -> None:
    # Issue 15: a date counted in months or years (the next engagement meeting,
    # "within a month", "by this day") lands on a working day, as the rule's
    # non_working_day says; only dates the case gives, and rules that keep
    # the day, may fall on a weekend or bank holiday.
    from sendplan.case import parse_case

    plan = build_schedule(parse_case(_case_text(kind, on_site, outcome, background)))
    rules = {r.id: r for r in plan.rules.rules}
    for event in plan:
        rule = rules.get(event.id) or rules[event.id.rpartition("_day")[0]]
        if event.recorded or rule.non_working_day == "keep":
            continue
        assert plan.calendar.is_working_day(event.date), (event.id, event.date)
