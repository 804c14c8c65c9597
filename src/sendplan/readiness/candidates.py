"""The days the call may come: one a week, by the rule of the box after para 80.

"Inspectors notify the local leaders of the inspection ... 10 working days
before coming on site.  This will usually be on a Monday, but may be in the
previous week if there is a bank holiday in week 1 or 2 of the inspection."

So each week's candidate is its Monday; when a bank holiday or closure falls
in that week or the next (weeks 1 and 2), the inspectors still come on site
on the Monday of week 3 and the call comes 10 working days before it, in the
week before.  The on-site date and every deadline then come from the
schedule's own rules (``sendplan.schedule``), not from here.
"""

from __future__ import annotations

from datetime import date, timedelta

from sendplan.calendar import WorkingCalendar
from sendplan.dates import WEEKDAYS
from sendplan.namedtuples import NamedTuple


class Candidate(NamedTuple):
    """A week the call may come in, and the day it would come."""

    #: The usual day of week 1 (the week the call usually comes in).
    week: date
    notification: date
    #: The bank holidays and closures in weeks 1-2 that moved it (para 80).
    moved_by: tuple[tuple[date, str], ...] = ()


def first_week(today: date, weekday: str = "Monday") -> date:
    """The first usual call day on or after ``today``."""
    wanted = WEEKDAYS.index(weekday)
    return today + timedelta(days=(wanted - today.weekday()) % 7)


def candidates(
    calendar: WorkingCalendar, today: date, weeks: int, lead: int, weekday: str = "Monday"
) -> list[Candidate]:
    """One candidate a week for ``weeks`` weeks from ``today`` (none before it).

    ``lead`` is the working days from notification to the first on-site day
    (10, para 82), as the rules give it.
    """
    first = first_week(today, weekday)
    out = []
    for n in range(weeks):
        week = first + timedelta(weeks=n)
        # Weeks 1-2 from the usual day's Monday (the box after para 80).
        monday = week - timedelta(days=week.weekday())
        week3 = monday + timedelta(weeks=2)
        closed = calendar.non_working_weekdays(monday, week3 - timedelta(days=1))
        if not closed and calendar.is_working_day(week):
            out.append(Candidate(week, week))
            continue
        notification = calendar.add(calendar.add(week3, 0), -lead)
        if notification >= today:
            out.append(Candidate(week, notification, tuple(closed)))
    return out
