"""Does a saved timetable still fit the case?  (``sendplan timetable --check``)

Plain Python, no solver: every session of the case is booked, on a day of its
window and inside its hours, with the people it needs; nobody is booked
twice or while unavailable; in-person sessions at different venues leave
the travel time; each inspector keeps review time and slack each day.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sendplan.dates import date_text
from sendplan.timetable.model import Busy, Problem, hhmm
from sendplan.timetable.results import Booked
from sendplan.words import plural


def _day(d: date) -> str:
    return date_text(d, weekday=True)


def check(problem: Problem, booked: Mapping[str, Booked]) -> list[str]:
    """What no longer fits, one sentence each (empty: the timetable still holds)."""
    found: list[str] = []
    sessions = {s.id: s for s in problem.sessions}
    for s in problem.sessions:
        b = booked.get(s.id)
        if b is None:
            found.append(f"{s.title} ({s.source}) is not in the timetable")
            continue
        when = f"{_day(b.date)} {hhmm(b.start)}-{hhmm(b.end)}"
        low, high = problem.hours(s)
        if b.date not in s.days or b.start < low or b.end > high:
            found.append(
                f"{s.title} ({s.source}) is booked {when}, outside {s.window_text} "
                f"({hhmm(low)}-{hhmm(high)})"
            )
        if b.end - b.start < s.length:
            found.append(f"{s.title} is booked for {b.end - b.start} minutes, needs {s.length}")
        missing = [p for p in s.inspectors + s.people if p not in b.people]
        if missing:
            names = ", ".join(problem.name(p) for p in missing)
            found.append(f"{s.title} ({s.source}) is booked without {names}")
        if s.choose and len([p for p in s.pool if p in b.people]) < s.choose:
            found.append(f"{s.title} needs {plural(s.choose, 'inspector')}")
        if (b.venue, b.mode) != (s.venue, s.mode):
            found.append(
                f"{s.title} is booked {b.mode} at {b.venue}; the case now says "
                f"{s.mode} at {s.venue}"
            )
    for sid, b in booked.items():
        if sid not in sessions:
            found.append(f"{b.title} ({_day(b.date)} {hhmm(b.start)}) is no longer in the case")
    found += _people(problem, booked)
    return found


def _people(problem: Problem, booked: Mapping[str, Booked]) -> list[str]:
    found: list[str] = []
    by_person: dict[str, list[Booked]] = {}
    for b in booked.values():
        for person in b.people:
            by_person.setdefault(person, []).append(b)
    for person, items in sorted(by_person.items()):
        items.sort(key=lambda b: (b.date, b.start))
        name = problem.name(person)
        for a, b in zip(items, items[1:], strict=False):
            if a.date != b.date:
                continue
            if b.start < a.end:
                found.append(f"{name} is booked twice on {_day(a.date)}: {a.title} and {b.title}")
            elif a.mode == b.mode == "in_person":
                need = problem.travel_between(a.venue, b.venue)
                if b.start - a.end < need:
                    found.append(
                        f"{name} has {b.start - a.end} minutes to travel from {a.venue} to "
                        f"{b.venue} on {_day(a.date)}; needs {need} (para 96)"
                    )
        for busy in problem.busy:
            if busy.who != person:
                continue
            for b in items:
                if b.date == busy.date and b.start < busy.end and busy.start < b.end:
                    found.append(
                        f"{name} is unavailable on {_day(b.date)}, "
                        f"{_span(busy)}, but booked "
                        f"for {b.title} at {hhmm(b.start)}"
                    )
        if person in problem.inspectors:
            found += _free_time(problem, person, name, items)
    return found


def _free_time(problem: Problem, person: str, name: str, items: list[Booked]) -> list[str]:
    """Each working day: a free stretch for review, and slack on top (para 96)."""
    found = []
    for day in problem.days:
        if problem.away_all_day(person, day):
            continue
        edges = [problem.day_start]
        gaps = []
        for b in sorted((b for b in items if b.date == day), key=lambda b: b.start):
            gaps.append(max(0, b.start - edges[-1]))
            edges.append(max(edges[-1], b.end))
        gaps.append(max(0, problem.day_end - edges[-1]))
        if max(gaps) < problem.review or sum(gaps) < problem.review + problem.slack:
            found.append(
                f"{name} has no {problem.review} minutes for review and {problem.slack} minutes "
                f"free on {_day(day)} (para 96)"
            )
    return found


def _span(busy: Busy) -> str:
    return "all day" if busy.all_day else f"{hhmm(busy.start)}-{hhmm(busy.end)}"
