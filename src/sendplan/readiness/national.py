"""Where the area stands in the national picture: an estimate, with its basis.

From the published inspection record (``sendplan.history``): the area's
likely window for its next inspection, as ``sendplan history`` computes it
(handbook paras 18, 20, 23, 37), how many other areas wait under the same rule,
and the pace of full inspections over the record's last 12 months.  The
record is read as it stood on ``today`` (nothing after it), and the pace is
left out, with the reason, when the record's latest date is more than
:data:`PACE_MAX_AGE_MONTHS` months before ``today``: it would describe another
period.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from sendplan.calendar import WorkingCalendar, move
from sendplan.dates import date_text
from sendplan.namedtuples import NamedTuple
from sendplan.words import plural

if TYPE_CHECKING:
    from sendplan.history import Area, NextStep, Record

#: A record older than this (in months, before ``today``) gives no pace.
PACE_MAX_AGE_MONTHS = 6
#: The pace counts full inspections over this many months.
PACE_MONTHS = 12
#: Next steps that are inspections the area waits for (``sendplan.history``), as
#: a sentence names them.
INSPECTION_STEPS: dict[str, str] = {
    "first_full_inspection": "the first full inspection under the 2023 framework",
    "next_full_inspection": "the next full inspection",
    "monitoring_inspection": "a monitoring inspection",
    "new_area_full_inspection": "the full inspection of a new local area",
}
#: Statuses of a step still to come.
WAITING = ("upcoming", "due", "overdue", "past_window")


class Pace(NamedTuple):
    inspections: int
    first: date
    last: date

    @property
    def per_month(self) -> float:
        return self.inspections / PACE_MONTHS


class National(NamedTuple):
    """The estimate for one area on one day."""

    local_area: str
    found: bool
    record_date: date | None
    source: str
    today: date
    step: NextStep | None = None
    #: Other areas whose next inspection comes under the same rule (and paragraph).
    same_position: int = 0
    pace: Pace | None = None
    #: Why the pace is left out, when it is.
    pace_left_out: str = ""

    def sentences(self) -> list[str]:
        """The estimate in words, each with its basis."""
        if not self.found:
            return [
                f"{self.local_area} is not in the {self.source}: no estimate of its next "
                "inspection (check the name or `inspection.la_code`)."
            ]
        out = []
        if self.step is None:
            out.append(
                f"The {self.source} gives no next inspection for {self.local_area} "
                "to estimate from."
            )
        else:
            step = self.step
            start = f"between {date_text(step.start)} and" if step.start else "by"
            out.append(
                f"Estimate: {INSPECTION_STEPS[step.id]} likely {start} "
                f"{date_text(step.end)} ({step.source}; {_status(step)}); about "
                f"{plural(self.same_position, 'other area')} "
                f"{'is' if self.same_position == 1 else 'are'} in the same position "
                "(waiting under the same rule after the same outcome)."
            )
        if self.pace is not None:
            pace = self.pace
            out.append(
                f"Pace: {plural(pace.inspections, 'full inspection')} began on site from "
                f"{date_text(pace.first)} to {date_text(pace.last)}, about "
                f"{pace.per_month:.1f} a month."
            )
        elif self.pace_left_out:
            out.append(self.pace_left_out)
        if self.record_date is not None:
            out.append(
                f"Basis: the {self.source}, latest entry {date_text(self.record_date)}, "
                f"read as it stood on {date_text(self.today)}; an estimate, not a notice."
            )
        return out

    def to_json(self) -> dict[str, Any]:
        """The likely window and its basis (``ready --format json``'s ``window``)."""
        step = self.step
        return {
            "local_area": self.local_area,
            "in_record": self.found,
            "estimate": True,
            "next": step.id if step else None,
            "title": step.title if step else None,
            "start": step.start.isoformat() if step and step.start else None,
            "end": step.end.isoformat() if step else None,
            "status": step.status if step else None,
            "source": step.source if step else None,
            "same_position": self.same_position,
            "pace": None
            if self.pace is None
            else {
                "full_inspections": self.pace.inspections,
                "from": self.pace.first.isoformat(),
                "to": self.pace.last.isoformat(),
                "per_month": round(self.pace.per_month, 1),
            },
            "pace_left_out": self.pace_left_out or None,
            "record": self.source,
            "record_date": self.record_date.isoformat() if self.record_date else None,
            "sentences": self.sentences(),
        }


def _status(step: NextStep) -> str:
    return {
        "upcoming": "the window has not opened",
        "due": "the window is open",
        "overdue": "the window has closed",
        "past_window": "past the usual window",
    }.get(step.status, step.status)


def record_date(record: Record) -> date | None:
    """The record's latest date: the last publication, on-site day or notification in it."""
    days = [
        d
        for i in record.inspections
        for d in (i.publication, i.last_on_site, i.first_on_site, i.notification)
        if d is not None
    ]
    return max(days, default=None)


def as_of(area: Area, today: date) -> Area:
    """``area`` as the record stood on ``today``: only what had happened by then."""
    return area._replace(inspections=tuple(i for i in area.inspections if i.when <= today))


def waiting_step(
    area: Area, today: date, calendar: WorkingCalendar, record: Record | None = None
) -> NextStep | None:
    """The first inspection ``area`` still waits for (earliest window end); ``record``
    finds the successors of a reorganised area (para 24)."""
    from sendplan.history import next_steps

    steps = [
        s
        for s in next_steps(as_of(area, today), today, calendar, record=record)
        if s.id in INSPECTION_STEPS and s.status in WAITING
    ]
    return min(steps, key=lambda s: s.end, default=None)


def signature(area: Area) -> tuple[object, ...]:
    """Where an area's history puts it: a reorganisation that ended or began it
    (para 24), the outcome of its last full inspection and what followed it, or
    whether its 2016-framework WSoA was never re-visited (para 23 or 18).

    The history's rules (:func:`sendplan.history.next_steps`) read no more than
    this, so areas that share it wait for the same next inspection under the same
    rule after the same outcome (``tests/test_readiness.py`` checks it against
    the history for every area of the record)."""
    from sendplan.history.reorganisations import lineage

    line = lineage(area.name)
    fulls = [i for i in area.inspections if i.kind == "full"]
    if fulls:
        later = tuple(sorted({i.kind for i in area.inspections if i.when > fulls[-1].when}))
        return (line, "full", fulls[-1].outcome, *later)
    old = [i for i in area.inspections if i.kind == "inspection_2016"]
    if not old:
        return (line, "none")
    revisited = any(i.kind == "revisit" and i.when > old[-1].when for i in area.inspections)
    return (line, "2016", old[-1].outcome == "wsoa" and not revisited)


def same_position(areas: Iterable[Area], mine: Area, today: date) -> int:
    """Other areas in ``mine``'s position on ``today``: the same :func:`signature`.

    The history's rules (:func:`sendplan.history.next_steps`) read only what the
    signature holds, so areas that share it wait for the same next inspection
    under the same rule; counting signatures spares building a schedule per
    area (``ready`` stays fast; benchmarks/readiness.py).
    """
    wanted = signature(as_of(mine, today))
    return sum(1 for a in areas if a.key != mine.key and signature(as_of(a, today)) == wanted)


def pace(record: Record, until: date) -> Pace:
    """Full inspections that began on site in the :data:`PACE_MONTHS` months to ``until``."""
    first = move(until, -PACE_MONTHS, "months")
    count = sum(
        1
        for i in record.inspections
        if i.kind == "full" and i.first_on_site is not None and first < i.first_on_site <= until
    )
    return Pace(count, first, until)


def national_picture(
    record: Record,
    local_area: str,
    la_code: str | None,
    today: date,
    calendar: WorkingCalendar,
) -> National:
    """The estimate for ``local_area`` on ``today`` (see the module's docstring)."""
    latest = record_date(record)
    area = record.match_area(local_area, la_code)
    if area is None:
        return National(local_area, False, latest, record.source, today)
    step = waiting_step(area, today, calendar, record)
    others = same_position(record.areas.values(), area, today) if step else 0
    stale_after = move(latest, PACE_MAX_AGE_MONTHS, "months") if latest else None
    if latest is None or (stale_after is not None and today > stale_after):
        left_out = (
            "Pace left out: the record's latest entry"
            + (f", {date_text(latest)}," if latest else "")
            + f" is more than {PACE_MAX_AGE_MONTHS} months before {date_text(today)}, so "
            "its pace would describe another period; point `[history] data` (or --data) "
            "at a newer record."
        )
        return National(area.name, True, latest, record.source, today, step, others, None, left_out)
    until = min(today, latest)
    return National(
        area.name, True, latest, record.source, today, step, others, pace(record, until)
    )
