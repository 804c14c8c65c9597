"""One entry per meeting: the saved timetable's session in place of the schedule's guess.

The schedule dates a meeting the way the guidance does: "the first on-site
day", "at key points", an all-day entry marked approximate.  Once a saved
timetable books the meeting (``sendplan timetable --save``), that booking is
the meeting: the calendar export, the overview and ``sendplan status`` show it
once, at its booked day and time, instead of the guess beside the booking.

Which schedule entry a session books is data: the activity's ``schedule``
rules (``data/timetable/<kind>.toml``).  A rule with one entry is booked by
the activity's session whatever its day; a daily rule's entry (``repeat``) by
the session held on that day (the final team meeting books the last day's
team meeting too: it takes its place, para 123).  An entry of a linked rule
that no session books keeps its approximate entry, marked
:data:`NOT_BOOKED`, so a reader sees it is the guidance's reading only.

Plain functions of the schedule and the saved timetable: no terminal, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from sendplan.namedtuples import NamedTuple

if TYPE_CHECKING:
    from sendplan.case import Case
    from sendplan.schedule import Event, Schedule
    from sendplan.timetable.results import Booked

# The timetable's model is imported where a saved timetable is read: `sendplan
# status` on a case without one needs none of it (ten dataclasses, ~50 M
# instructions of start-up; issue 24).

#: How a meeting the saved timetable does not book is marked (its title and note).
NOT_BOOKED = "approx.: not in the timetable"


class Meetings(NamedTuple):
    """Which schedule entries a saved timetable books.

    ``booked`` maps a schedule event id to the session booking it (one
    session may book two entries: the final team meeting books the last
    day's team meeting too); ``unbooked`` holds the entries of linked rules
    that no session books; ``saved`` names the saved timetable's file.
    """

    booked: Mapping[str, Booked] = MappingProxyType({})
    unbooked: frozenset[str] = frozenset()
    saved: str = ""

    def replaced(self) -> dict[str, str]:
        """Schedule event id -> the calendar entry id (``timetable/<session>``) replacing it."""
        return {eid: "timetable/" + b.id for eid, b in self.booked.items()}


def match(schedule: Schedule, booked: Mapping[str, Booked], saved: str = "") -> Meetings:
    """The schedule entries ``booked`` (a saved timetable's sessions) book."""
    from sendplan.timetable.activities import TIMETABLE_KINDS, load_activities

    kind = schedule.case.kind
    if kind not in TIMETABLE_KINDS:
        return Meetings(saved=saved)
    by_rule: dict[str, list[Event]] = {}
    for event in schedule.events:
        rule = event.occurrence.rule if event.occurrence is not None else event.id
        by_rule.setdefault(rule, []).append(event)
    sessions: dict[str, list[Booked]] = {}
    for b in sorted(booked.values(), key=lambda b: (b.date, b.start, b.id)):
        sessions.setdefault(b.id.partition(":")[0], []).append(b)
    out: dict[str, Booked] = {}
    linked: set[str] = set()
    for activity in load_activities(kind).activities:
        for rule in activity.schedule:
            events = by_rule.get(rule, [])
            linked.update(e.id for e in events)
            single = len(events) == 1 and events[0].occurrence is None
            for b in sessions.get(activity.id, ()):
                free = [e for e in events if e.id not in out]
                hit = free[0] if single and free else None
                if not single:
                    hit = next((e for e in free if e.date == b.date), None)
                if hit is not None:
                    out[hit.id] = b
    return Meetings(out, frozenset(linked - set(out)), saved)


def case_meetings(case: Case, schedule: Schedule, saved: Path | None = None) -> Meetings | None:
    """The meetings the case's saved timetable books (``saved``, else ``[timetable] saved``
    once it exists); None when there is none."""
    path = saved or case.timetable.saved
    if path is None or (saved is None and not path.exists()):
        return None
    from sendplan.timetable.saved import read_saved

    return match(schedule, read_saved(path, case.local_area, case.kind).booked, path.name)


def unbooked_title(title: str) -> str:
    """A linked meeting's title when no session books it."""
    return f"{title} ({NOT_BOOKED})"


def marked(event: Event, meetings: Meetings) -> Event:
    """``event`` marked as not booked when it is a meeting the timetable does not hold."""
    if event.id not in meetings.unbooked:
        return event
    note = (
        f"Not in the saved timetable ({meetings.saved}): the day is the guidance's reading, "
        "no time is booked."
    )
    occurrence = event.occurrence
    return event._replace(
        title=unbooked_title(event.title),
        note=f"{note} {event.note}".strip(),
        occurrence=occurrence._replace(title=unbooked_title(occurrence.title))
        if occurrence is not None
        else None,
    )


def one_entry_per_meeting(schedule: Schedule, meetings: Meetings | None) -> Schedule:
    """The schedule with each booked meeting at its booking, once, and the meetings
    the timetable does not hold marked (:func:`marked`): for the overview and ``status``."""
    if meetings is None:
        return schedule
    seen: set[str] = set()
    events: list[Event] = []
    for event in schedule.events:
        b = meetings.booked.get(event.id)
        if b is None:
            events.append(marked(event, meetings))
        elif b.id not in seen:  # the final team meeting stands for the last team meeting too
            seen.add(b.id)
            events.append(booked_event(event, b, meetings.saved))
    events.sort(key=lambda e: (e.date, e.time or time(0)))
    return schedule._replace(events=tuple(events))


def booked_event(event: Event, b: Booked, saved: str) -> Event:
    """``event`` as the timetable books it: the session's title, day and start."""
    from sendplan.timetable.model import hhmm

    return event._replace(
        title=b.title,
        date=b.date,
        time=time(b.start // 60, b.start % 60),
        end_date=None,
        approximate=False,
        occurrence=None,
        booked=b.id,
        note=f"Booked {hhmm(b.start)}-{hhmm(b.end)}, {where(b)} (saved timetable {saved}).",
    )


def where(b: Booked) -> str:
    """Where a session is held, in words: its venue, or by video or phone."""
    from sendplan.timetable.model import VIRTUAL

    if b.mode == "in_person" and b.venue != VIRTUAL:
        return f"at {b.venue}"
    return {"video": "by video", "phone": "by phone"}.get(b.mode, b.mode.replace("_", " "))


def marked_schedule(schedule: Schedule, meetings: Meetings) -> Schedule:
    """The schedule with the meetings the timetable does not hold marked (the calendar
    export: booked ones are left to the timetable's own entries, ``Meetings.replaced``)."""
    return schedule._replace(events=tuple(marked(e, meetings) for e in schedule.events))
