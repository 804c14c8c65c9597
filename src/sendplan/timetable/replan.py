"""Re-planning from a saved timetable: what must move, what may, and what changed.

The solver (:mod:`.solver`) places sessions; this module knows the saved
timetable (:class:`~.results.Booked`) a re-plan starts from:

* :func:`migrate` reads a timetable saved before daily sessions were numbered
  by on-site day (``team_meeting:2025-05-13`` is now ``team_meeting:day-2``);
* :func:`frame` takes the day of the re-plan into account: sessions before
  it have happened and never move, today's move only if they must, and
  nothing moves into the past;
* :func:`must_move` and :func:`neighbours` say which sessions the solver
  tries freeing first;
* :func:`replan` runs the solver in that frame and gives the timetable with
  what moved (:func:`moves_between`), who must be told (:func:`tell_list`)
  and the record of what was taken out (:class:`~.results.Cancelled`, which
  calendars send as cancelled).

Who must be told comes from handbook para 96 ("work with the LANO to ensure
that local leaders and practitioners are aware of the timetable and any
changes to it") and para 114 (the LANO sets up the visits): the LANO hears
of every change, and tells the attendees the case names only in words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from sendplan.progress import Progress, quiet
from sendplan.timetable.model import Problem, Session
from sendplan.timetable.results import (
    REMOVED,
    RENAMED,
    Booked,
    Cancelled,
    Move,
    Placement,
    Tell,
    Timetable,
)

if TYPE_CHECKING:
    from sendplan.timetable.saved import Saved

#: The LANO: on every tell list, and the one who tells free-text attendees.
LANO = "lano"
#: A daily session's id as saved before day numbering: ``team_meeting:2025-05-13``.
_DATED = re.compile(r"^(?P<activity>[a-z_]+):(?P<day>\d{4}-\d{2}-\d{2})$")


# ------------------------------------------------------------------ old saved files
def migrate(
    problem: Problem, booked: Mapping[str, Booked]
) -> tuple[dict[str, Booked], dict[str, str]]:
    """The saved sessions under today's ids, and the renames (old id -> new id).

    A daily session saved with its date in its id goes to the session of the
    same activity on that date; when the dates moved too, the activity's
    remaining sessions are paired in date order.  What cannot be paired keeps
    its old id (the re-plan then takes it out, and calendars cancel it).
    """
    daily: dict[str, list[Session]] = {}
    for s in problem.sessions:
        if len(s.days) == 1 and s.id.startswith(s.activity + ":") and s.about is None:
            daily.setdefault(s.activity, []).append(s)
    old: dict[str, list[tuple[date, str]]] = {}
    for sid in booked:
        found = _DATED.match(sid)
        if found and found["activity"] in daily and sid not in daily:
            old.setdefault(found["activity"], []).append((date.fromisoformat(found["day"]), sid))
    renames: dict[str, str] = {}
    for activity, dated in old.items():
        free = [s for s in daily[activity] if s.id not in booked]
        for day, sid in sorted(dated):
            match = next((s for s in free if s.days == (day,)), None)
            if match is not None:
                renames[sid] = match.id
                free.remove(match)
        rest = [sid for _, sid in sorted(dated) if sid not in renames]
        for sid, s in zip(rest, sorted(free, key=lambda s: s.days), strict=False):
            renames[sid] = s.id
    out = {renames.get(sid, sid): replace(b, id=renames.get(sid, sid)) for sid, b in booked.items()}
    return out, renames


# ------------------------------------------------------------------ the day of the re-plan
@dataclass(frozen=True)
class Frame:
    """A re-plan on one day: what the solver may still change.

    ``problem`` holds the sessions still to place (today's pinned to their
    booking unless they must move; the others on today or later only);
    ``kept`` the sessions before today (or already begun), as booked;
    ``late`` the sessions not booked whose days are all past.
    """

    problem: Problem
    previous: dict[str, Booked]
    kept: tuple[Placement, ...]
    pinned: frozenset[str]
    late: tuple[Session, ...]


def frame(
    problem: Problem, previous: Mapping[str, Booked], today: date, now: int | None = None
) -> Frame:
    """The re-plan of ``previous`` on ``today`` (at ``now``, minutes after midnight, if known).

    A session booked before today, or today before ``now``, has happened: it
    is kept as booked even if the case changed since.  One booked today is
    pinned to its booking unless it no longer fits (:func:`must_move`).
    Anything placed anew goes on today (if the working day has not begun) or
    later.
    """
    must = must_move(problem, previous)
    begun = now is not None and now > problem.day_start
    kept: list[Placement] = []
    fixed: dict[str, tuple[str, ...]] = {}  # inspectors of kept and pinned sessions
    pinned: set[str] = set()
    rest: list[Session] = []
    late: list[Session] = []
    for s in problem.sessions:
        b = previous.get(s.id)
        if b is not None and (b.date < today or (b.date == today and now and b.start < now)):
            chosen = s.inspectors + tuple(i for i in s.pool if i in b.people)
            # As booked, soft attendance included (a leader's deputy, an inspector away).
            came = tuple(i for i in s.optional_inspectors if i in b.people)
            others = tuple(p for p in b.people if p not in problem.inspectors)
            kept.append(Placement(s, b.date, b.start, b.end, chosen + came, others))
            fixed[s.id] = chosen
        elif b is not None and b.date == today and s.id not in must:
            chosen = s.inspectors + tuple(i for i in s.pool if i in b.people)
            fixed[s.id] = chosen
            pinned.add(s.id)
            rest.append(
                replace(
                    s,
                    days=(b.date,),
                    earliest=b.start,
                    latest_end=b.end,
                    inspectors=chosen,
                    pool=(),
                    choose=0,
                    same_inspectors_as=None,
                )
            )
        else:
            days = tuple(d for d in s.days if d > today or (d == today and not begun))
            if days:
                rest.append(replace(s, days=days))
            else:
                late.append(s)
    gone = {pl.session.id for pl in kept} | {s.id for s in late}
    linked = []
    for s in rest:
        if s.same_inspectors_as in fixed and s.id not in pinned:
            s = replace(
                s,
                inspectors=s.inspectors + fixed[s.same_inspectors_as],
                pool=(),
                choose=0,
                same_inspectors_as=None,
            )
        elif s.same_inspectors_as in gone:
            s = replace(s, same_inspectors_as=None)
        linked.append(replace(s, after=tuple(a for a in s.after if a not in gone)))
    ids = {s.id for s in linked}
    return Frame(
        problem=replace(problem, sessions=tuple(linked)),
        previous={sid: b for sid, b in previous.items() if sid in ids},
        kept=tuple(kept),
        pinned=frozenset(pinned),
        late=tuple(late),
    )


class Solve(Protocol):
    """The solver (:func:`sendplan.timetable.solver.solve`), passed in: it imports this
    module for :func:`must_move`, so this module does not import it back."""

    def __call__(
        self, problem: Problem, previous: Mapping[str, Booked] | None = ..., *, progress: Progress
    ) -> Timetable: ...


def replan(
    problem: Problem,
    previous: Mapping[str, Booked],
    today: date,
    solve: Solve,
    *,
    now: int | None = None,
    cancelled: Sequence[Cancelled] = (),
    renames: Mapping[str, str] | None = None,
    progress: Progress = quiet,
) -> Timetable:
    """Re-plan ``previous`` (already :func:`migrate`-d) on ``today``, moving as few as possible.

    ``cancelled`` is the record the saved timetable already holds; sessions
    this re-plan takes out join it (``renames``: those only renamed).
    """
    framed = frame(problem, previous, today, now)
    result = solve(framed.problem, framed.previous, progress=progress)
    original = {s.id: s for s in problem.sessions}
    placements = tuple(
        sorted(
            framed.kept
            + tuple(replace(pl, session=original[pl.session.id]) for pl in result.placements),
            key=Placement.key,
        )
    )
    unplaced = tuple(original[s.id] for s in result.unplaced) + framed.late
    conflict = result.conflict + tuple(
        f"{s.title} ({s.source}) can no longer be placed: {s.window_text} ended before "
        f"{_day(today)}, the day of this re-plan"
        for s in framed.late
    )
    # What happened stays as it happened: a kept session is never "changed".
    done = {pl.session.id for pl in framed.kept}
    moves = tuple(
        m
        for m in moves_between(problem, placements, previous)
        if m.id not in done and (result.placements or framed.kept or m.after is None)
    )
    return replace(
        result,
        problem=problem,
        placements=placements,
        unplaced=unplaced,
        conflict=conflict,
        moves=moves,
        replanned=True,
        today=today,
        cancelled=cancellations(cancelled, moves, renames or {}, previous, today, placements),
    )


def _day(day: date) -> str:
    from sendplan.dates import date_text

    return date_text(day, weekday=True)


def cancellations(
    earlier: Sequence[Cancelled],
    moves: Sequence[Move],
    renames: Mapping[str, str],
    previous: Mapping[str, Booked],
    today: date | None,
    placements: Sequence[Placement],
) -> tuple[Cancelled, ...]:
    """The record of sessions taken out: the earlier record, this re-plan's removals and
    renames, less any id back in the timetable (its event lives again)."""
    live = {pl.session.id for pl in placements}
    out: dict[str, Cancelled] = {c.id: c for c in earlier}
    for move in moves:
        if move.after is None and move.before is not None:
            out[move.id] = Cancelled(move.before, REMOVED, since=today)
    for old, new in renames.items():
        b = previous.get(new)
        if b is not None:
            out[old] = Cancelled(replace(b, id=old), RENAMED, replaced_by=new, since=today)
    return tuple(c for sid, c in sorted(out.items()) if sid not in live)


# ------------------------------------------------------------------ who must be told
def tell_list(moves: Sequence[Move]) -> tuple[Tell, ...]:
    """One entry per (attendee, changed session): the LANO on every one (paras 96, 114),
    the people of the case booked before or after, and the free-text attendees,
    whom the LANO tells.  In the order of the moves; the LANO's entries first."""
    out: list[Tell] = []
    for move in moves:
        change = move_change(move)
        out += [Tell(p, move.id, move.title, change) for p in move.tell]
        out += [Tell(o, move.id, move.title, change, free_text=True, via=LANO) for o in move.others]
    return tuple(sorted(out, key=lambda t: (t.attendee != LANO, t.free_text)))


def move_change(move: Move) -> str:
    """What happened to a session in a re-plan: moved, people changed, new or dropped."""
    if move.before and move.after:
        same = (move.before.date, move.before.start, move.before.end) == (
            move.after.date,
            move.after.start,
            move.after.end,
        )
        return "people changed" if same else "moved"
    return "new" if move.after else "dropped"


# ------------------------------------------------------------------ what may move
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
    """What changed from ``previous`` to ``placements``: moved, new, dropped, or
    with other inspectors or venue; each with who must be told."""
    out = []
    now = {pl.session.id: pl for pl in placements}
    for pl in placements:
        booked = previous.get(pl.session.id)
        if booked is None:
            others = _others(pl.session.others)
            tell = _tell(pl.people)
            out.append(Move(pl.session.id, pl.session.title, None, pl, tell, others))
            continue
        same_time = (booked.date, booked.start, booked.end) == (pl.date, pl.start, pl.end)
        same_people = set(booked.people) == set(pl.people)
        same_place = (booked.venue, booked.mode) == (pl.session.venue, pl.session.mode)
        if same_time and same_people and same_place:
            continue
        tell = _tell(booked.people + pl.people)
        others = _others(booked.others, pl.session.others)
        out.append(Move(pl.session.id, pl.session.title, booked, pl, tell, others))
    for sid, booked in previous.items():
        if sid not in now:
            others = _others(booked.others)
            out.append(Move(sid, booked.title, booked, None, _tell(booked.people), others))
    return tuple(out)


def _others(*texts: str | None) -> tuple[str, ...]:
    """The free-text attendees of a session before and after, each once."""
    return tuple(dict.fromkeys(t for t in texts if t))


def replan_saved(
    problem: Problem, saved: Saved, moment: datetime, solve: Solve, progress: Progress = quiet
) -> Timetable:
    """Re-plan a saved timetable at ``moment`` (a date alone is midnight: all of that day
    is still to come), its old ids migrated and its record of cancellations carried on."""
    booked, renames = migrate(problem, saved.booked)
    now = moment.hour * 60 + moment.minute or None
    return replan(
        problem,
        booked,
        moment.date(),
        solve,
        now=now,
        cancelled=saved.cancelled,
        renames=renames,
        progress=progress,
    )


def _tell(people: Sequence[str]) -> tuple[str, ...]:
    """Who of the case hears of a change: the LANO first, always (paras 96, 114),
    then everyone booked before or after, each once."""
    return tuple(dict.fromkeys((LANO, *people)))
