"""Re-planning from a saved timetable: what must move, what may, and what changed.

The solver (:mod:`.solver`) places sessions; this module knows the saved
timetable (:class:`~.results.Booked`) a re-plan starts from: which sessions
no longer fit where they are (:func:`must_move`), which may have to make room
for them (:func:`neighbours`), and what changed between the saved and the new
timetable (:func:`moves_between`), with who must be told (handbook para 96:
"work with the LANO to ensure that local leaders and practitioners are aware
of the timetable and any changes to it").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sendplan.timetable.model import Problem
from sendplan.timetable.results import Booked, Move, Placement


def neighbours(problem: Problem, previous: Mapping[str, Booked], ids: set[str]) -> set[str]:
    """Saved sessions on the same day as one of ``ids`` with someone in common."""
    touched = [(b.date, set(b.people)) for sid in ids if (b := previous.get(sid)) is not None]
    for sid in ids:
        s = next(x for x in problem.sessions if x.id == sid)
        touched += [(d, set(s.inspectors + s.people)) for d in s.days]
    out = set()
    for sid, b in previous.items():
        if any(b.date == day and people & set(b.people) for day, people in touched):
            out.add(sid)
    return out


def must_move(problem: Problem, previous: Mapping[str, Booked]) -> set[str]:
    """Sessions whose saved booking no longer fits by itself: any re-plan moves these."""
    out = set()
    for s in problem.sessions:
        b = previous.get(s.id)
        if b is None:
            out.add(s.id)
            continue
        low, high = problem.hours(s)
        chosen = [i for i in s.pool if i in b.people]
        fixed = s.inspectors + s.people
        wrong = (
            b.date not in s.days
            or b.start < low
            or b.start + s.length > high
            or b.start % problem.slot
            or b.end - b.start != s.length
            or (b.venue, b.mode) != (s.venue, s.mode)
            or any(person not in b.people for person in fixed)
            or len(chosen) != s.choose
        )
        busy = any(
            u.who in fixed + tuple(chosen)
            and u.date == b.date
            and u.start < b.end
            and b.start < u.end
            for u in problem.busy
        )
        if wrong or busy:
            out.add(s.id)
    return out


def moves_between(
    problem: Problem, placements: Sequence[Placement], previous: Mapping[str, Booked]
) -> tuple[Move, ...]:
    out = []
    now = {pl.session.id: pl for pl in placements}
    for pl in placements:
        booked = previous.get(pl.session.id)
        if booked is None:
            out.append(Move(pl.session.id, pl.session.title, None, pl, pl.people))
            continue
        same_time = (booked.date, booked.start, booked.end) == (pl.date, pl.start, pl.end)
        same_people = set(booked.people) == set(pl.people)
        same_place = (booked.venue, booked.mode) == (pl.session.venue, pl.session.mode)
        if same_time and same_people and same_place:
            continue
        tell = tuple(dict.fromkeys(booked.people + pl.people))
        out.append(Move(pl.session.id, pl.session.title, booked, pl, tell))
    for sid, booked in previous.items():
        if sid not in now:
            out.append(Move(sid, booked.title, booked, None, booked.people))
    return tuple(out)
