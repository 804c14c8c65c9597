"""A schedule annotated with the record: observed timings, the last inspection, disagreements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from sendplan.calendar import WorkingCalendar
from sendplan.dates import date_text
from sendplan.history.record import (
    TIMED_KINDS,
    Area,
    Record,
    RecordedInspection,
)
from sendplan.history.timings import (
    Timing,
    observed_timing,
)
from sendplan.rules import KIND_LABELS

if TYPE_CHECKING:
    from sendplan.case import Case
    from sendplan.schedule import Event, Schedule


# ------------------------------------------------------------------ the schedule
def annotate_schedule(schedule: Schedule, record: Record) -> Schedule:
    """``schedule`` with the record's view added (pure; the record is passed in).

    * ``publication_due`` gets ``extra["observed"]``: the median and 80th
      percentile working days from the last on-site day to publication in the
      record for this kind, as dates for this case, and how many inspections;
    * ``extra["history"]`` on the schedule names the area's last inspection
      before this one, when the area is in the record;
    * warnings when the case file disagrees with the record.
    """
    case = schedule.case
    events = list(schedule.events)
    kind = TIMED_KINDS.get(case.kind)
    day_last = schedule.rules.day_last
    end_event = schedule.get(day_last) if day_last else None
    # Other areas' inspections count bank holidays only, never this case's local closures.
    england = WorkingCalendar(holidays=schedule.calendar.holidays)
    timing = observed_timing(record, kind, england) if kind else None
    if timing is not None and end_event is not None:
        for index, event in enumerate(events):
            if event.id != "publication_due":
                continue
            observed = observed_json(timing, end_event, event.date, schedule.calendar)
            observed["data"] = record.source
            events[index] = replace(event, extra={**event.extra, "observed": observed})
    area = record.match_area(case.local_area, case.inspection.la_code)
    warnings = list(schedule.warnings)
    extra: dict[str, Any] = dict(schedule.extra)
    if area is not None:
        start = _case_start(schedule)
        same = _same_inspection(area, case, start)
        earlier = area.before(start) if start else list(area.inspections)
        previous = [i for i in earlier if i is not same]
        extra["history"] = history_mention(area, previous[-1] if previous else None, same)
        warnings += disagreements(case, area, previous, same)
    return replace(schedule, events=tuple(events), warnings=tuple(warnings), extra=extra)


def observed_json(
    timing: Timing, last_day: Event, planned: date, calendar: WorkingCalendar
) -> dict[str, Any]:
    """The ``observed`` object of a publication event (see :func:`annotate_schedule`):
    the record's figures counted from this case's ``last_day`` (its last on-site day)."""
    last_on_site = last_day.date
    plan_days = calendar.count(last_on_site, planned)
    median_date = calendar.add(last_on_site, timing.median)
    p80_date = calendar.add(last_on_site, timing.p80)
    label = KIND_LABELS[timing.kind].plural
    return {
        "from_event": last_day.id,
        "kind": timing.kind,
        "median_working_days": timing.median,
        "median_date": median_date.isoformat(),
        "p80_working_days": timing.p80,
        "p80_date": p80_date.isoformat(),
        "inspections": timing.size,
        "published_from": timing.first_published.isoformat(),
        "published_to": timing.last_published.isoformat(),
        "plan_working_days": plan_days,
        "within_plan": timing.within(plan_days),
        "text": (
            f"Record: half of {timing.size} {label} published within {timing.median} "
            f"working days ({date_text(median_date)}), 80% within {timing.p80} "
            f"({date_text(p80_date)}); {timing.within(plan_days)} of {timing.size} within "
            f"the {plan_days} planned here."
        ),
    }


def history_mention(
    area: Area, previous: RecordedInspection | None, same: RecordedInspection | None
) -> dict[str, Any]:
    """The schedule's ``history`` object: the area's last inspection in the record."""
    if previous is None:
        text = f"{area.name}: no earlier inspection in the record."
    else:
        text = f"{area.name} in the inspection record: last inspection {describe(previous)}."
    if same is not None:
        text += f" This inspection is in the record: {describe(same)}."
    return {
        "local_area": area.name,
        "la_codes": list(area.codes),
        "last_inspection": None if previous is None else previous.to_json(),
        "this_inspection": None if same is None else same.to_json(),
        "text": text,
    }


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
    history = getattr(case, "history", None)
    said = getattr(history, "previous_outcome", None)
    if said and previous:
        last = previous[-1]
        if last.outcome is not None and last.outcome != said:
            out.append(
                f"history.previous_outcome is {said!r} but {where} has the last inspection "
                f"before this one as {last.outcome!r} ({describe(last)})."
            )
    fulls = [i for i in previous if i.kind == "full"]
    engagement = getattr(case, "engagement", None)
    said = getattr(engagement, "previous_inspection_outcome", None)
    if said and fulls and fulls[-1].outcome and fulls[-1].outcome != said:
        out.append(
            f"engagement.previous_inspection_outcome is {said!r} but {where} has "
            f"{fulls[-1].outcome!r} ({describe(fulls[-1])})."
        )
    monitoring = getattr(case, "monitoring", None)
    said = getattr(monitoring, "full_report_published", None)
    if said and fulls and fulls[-1].publication and fulls[-1].publication != said:
        out.append(
            f"monitoring.full_report_published is {said} but {where} has the full "
            f"inspection report published {fulls[-1].publication}."
        )
    revisit = getattr(case, "revisit", None)
    said = getattr(revisit, "initial_inspection_start", None)
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
    for event_id in ("on_site_start", schedule.rules.day_one or ""):
        event = schedule.get(event_id)
        if event is not None:
            return event.date
    return schedule.case.inspection.on_site_start or schedule.case.inspection.notification


def _same_inspection(area: Area, case: Case, start: date | None) -> RecordedInspection | None:
    """The record's row for the case's own inspection: same kind, on site within 14 days."""
    kind = {"full": "full", "revisit": "revisit", "monitoring": "monitoring"}.get(case.kind)
    if kind is None or start is None:
        return None
    for inspection in area.inspections:
        on_site = inspection.first_on_site
        if inspection.kind == kind and on_site is not None and abs((on_site - start).days) <= 14:
            return inspection
    return None
