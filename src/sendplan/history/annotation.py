"""A schedule annotated with the record: observed timings, the last inspection, disagreements."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from sendplan.calendar import WorkingCalendar
from sendplan.dates import date_text
from sendplan.events import ON_SITE_START, PUBLICATION
from sendplan.history.marks import HistoryMention, Observed
from sendplan.history.record import (
    RECORD_KINDS,
    TIMED_KINDS,
    Area,
    Record,
    RecordedInspection,
    RecordView,
)
from sendplan.history.timings import (
    Timing,
    observed_timing,
)
from sendplan.schema import key_value

if TYPE_CHECKING:
    from sendplan.case import Case
    from sendplan.schedule import Event, Schedule


# ------------------------------------------------------------------ the schedule
def annotate_schedule(schedule: Schedule, record: Record | RecordView) -> Schedule:
    """``schedule`` with the record's view added (pure; the record is passed in).

    * ``publication_due`` gets :attr:`Event.observed`: the median and 80th
      percentile working days from the last on-site day to publication in the
      record for this kind, as dates for this case, and how many inspections;
    * :attr:`Schedule.history` names the area's last inspection before this
      one, when the area is in the record;
    * warnings when the case file disagrees with the record.
    """
    case = schedule.case
    events = list(schedule.events)
    day_last = schedule.rules.day_last
    end_event = schedule.get(day_last) if day_last else None
    # Other areas' inspections count bank holidays only, never this case's local closures.
    england = WorkingCalendar(holidays=schedule.calendar.holidays)
    timing = observed_timing(record, case.kind, england) if case.kind in TIMED_KINDS else None
    if timing is not None and end_event is not None:
        for index, event in enumerate(events):
            if event.id == PUBLICATION:
                seen = observed(timing, end_event, event.date, schedule.calendar, record.source)
                events[index] = event._replace(observed=seen)
    area = record.match_area(case.local_area, case.inspection.la_code)
    warnings = list(schedule.warnings)
    mention = None
    if area is not None:
        start = _case_start(schedule)
        same = _same_inspection(area, case, start)
        earlier = area.before(start) if start else list(area.inspections)
        previous = [i for i in earlier if i is not same]
        mention = HistoryMention(area, previous[-1] if previous else None, same)
        warnings += disagreements(case, area, previous, same)
    return schedule._replace(events=tuple(events), warnings=tuple(warnings), history=mention)


def observed(
    timing: Timing, last_day: Event, planned: date, calendar: WorkingCalendar, data: str
) -> Observed:
    """The record's figures counted from this case's ``last_day`` (its last on-site day)."""
    last_on_site = last_day.date
    return Observed(
        timing=timing,
        from_event=last_day.id,
        median_date=calendar.add(last_on_site, timing.median),
        p80_date=calendar.add(last_on_site, timing.p80),
        plan_working_days=calendar.count(last_on_site, planned),
        data=data,
    )


def describe(inspection: RecordedInspection) -> str:
    """``Full inspection (2023 framework), on site from 10 Jul 2023, published ...``."""
    parts = [inspection.kind_label]
    if inspection.first_on_site:
        parts.append(f"on site from {date_text(inspection.first_on_site)}")
    if inspection.publication:
        parts.append(f"published {date_text(inspection.publication)}")
    if inspection.outcome_text:
        parts.append(f"outcome: {inspection.outcome_text}")
    return ", ".join(parts)


def disagreements(
    case: Case,
    area: Area,
    previous: Sequence[RecordedInspection],
    same: RecordedInspection | None,
) -> list[str]:
    """Where the case file and the record disagree, as warnings."""
    out = []
    where = f"the inspection record ({area.name})"
    code = case.inspection.la_code
    if code and area.codes and code.upper() not in area.codes:
        out.append(f"la_code {code} differs from {where}: {', '.join(area.codes)}.")
    said = key_value(case, "history.previous_outcome")
    if said and previous:
        last = previous[-1]
        if last.outcome is not None and last.outcome != said:
            out.append(
                f"history.previous_outcome is {said!r} but {where} has the last inspection "
                f"before this one as {last.outcome!r} ({describe(last)})."
            )
    fulls = [i for i in previous if i.kind == "full"]
    said = key_value(case, "engagement.previous_inspection_outcome")
    if said and fulls and fulls[-1].outcome and fulls[-1].outcome != said:
        out.append(
            f"engagement.previous_inspection_outcome is {said!r} but {where} has "
            f"{fulls[-1].outcome!r} ({describe(fulls[-1])})."
        )
    said = key_value(case, "monitoring.full_report_published")
    if said and fulls and fulls[-1].publication and fulls[-1].publication != said:
        out.append(
            f"monitoring.full_report_published is {said} but {where} has the full "
            f"inspection report published {fulls[-1].publication}."
        )
    said = key_value(case, "revisit.initial_inspection_start")
    olds = [i for i in previous if i.kind == "inspection_2016" and i.first_on_site]
    if said and olds and olds[-1].first_on_site != said:
        out.append(
            f"revisit.initial_inspection_start is {said} but {where} has the 2016-framework "
            f"inspection on site from {olds[-1].first_on_site}."
        )
    if same is not None:
        outcome = case.inspection.outcome
        if outcome and same.outcome and outcome != same.outcome:
            out.append(
                f"inspection.outcome is {outcome!r} but {where} has {same.outcome!r} for this "
                f"inspection ({describe(same)})."
            )
        start = case.inspection.on_site_start
        if start and same.first_on_site and start != same.first_on_site:
            out.append(
                f"inspection.on_site_start is {start} but {where} has this inspection on site "
                f"from {same.first_on_site}."
            )
    return out


def _case_start(schedule: Schedule) -> date | None:
    for event_id in (ON_SITE_START, schedule.rules.day_one or ""):
        event = schedule.get(event_id)
        if event is not None:
            return event.date
    return schedule.case.inspection.on_site_start or schedule.case.inspection.notification


def _same_inspection(area: Area, case: Case, start: date | None) -> RecordedInspection | None:
    """The record's row for the case's own inspection: same kind, on site within 14 days."""
    if case.kind not in RECORD_KINDS or start is None:
        return None
    for inspection in area.inspections:
        on_site = inspection.first_on_site
        near = on_site is not None and abs((on_site - start).days) <= 14
        if inspection.kind == case.kind and near:
            return inspection
    return None
