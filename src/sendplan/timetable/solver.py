"""Place every session with OR-Tools CP-SAT; re-plan moving as few as possible; explain.

The model (times in slots of ``problem.slot`` minutes on one line through the
days, ``day index * slots per day + slot of the day``):

* each session has a start whose domain is its window's working days inside
  the working hours (and ``not_before``/``end_by``); its length is fixed;
* each person has a no-overlap constraint over their sessions and the times
  they are unavailable; a session needing *n* of the inspectors has one
  optional interval per inspector, *n* of them present;
* each inspector keeps a review block (para 96: "time for inspectors to review
  and analyse their evidence") and a slack block ("flexible enough to be
  changed") inside every working day;
* two in-person sessions at different venues that share a person are apart by
  at least the travel time between the venues (para 96);
* "after" links keep the guidance's order (the final feedback follows the
  final team meeting, para 132).

When nothing fits, the model is built again with each relaxable constraint
(a session's window, an unavailability, an inspector's review or slack, the
travel times, an order) behind an assumption literal; CP-SAT returns a set of
assumptions that cannot all hold, which is shrunk one by one to a minimal set
and told in words (:attr:`Timetable.conflict`).

Re-planning (``previous``) adds, for each session of the saved timetable, a
"moved" literal that frees its start and inspectors, and minimises how many
move.  ``ortools`` is imported here only, so other commands do not pay for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sendplan.progress import Progress, quiet
from sendplan.timetable.cpsat import CpModel
from sendplan.timetable.explain import TIME_LIMIT, explain
from sendplan.timetable.model import Problem, Session
from sendplan.timetable.results import Block, Booked, Move, Placement, Timetable
from sendplan.words import plural

__all__ = ["TIME_LIMIT", "Block", "Booked", "Move", "Placement", "Timetable", "solve"]

#: Conflicts explained (and their sessions left out) before the rest is placed.
MAX_CONFLICTS = 5


def solve(
    problem: Problem,
    previous: Mapping[str, Booked] | None = None,
    time_limit: float = TIME_LIMIT,
    progress: Progress = quiet,
) -> Timetable:
    """The timetable, or the smallest set of constraints that cannot all hold.

    ``progress`` hears of each solver run as it starts (the run itself is one
    call into CP-SAT, so the CLI's bar shows a spinner and the time taken).
    """
    import time

    from ortools.sat.python import cp_model

    began = time.perf_counter()
    status = cp_model.UNKNOWN
    if previous is not None:
        # First try moving only the sessions that no longer fit on their own (a lower
        # bound on any re-plan): when that works it is the fewest moves, found fast.
        free = must_move(problem, previous)
        progress("Re-planning: moving only what no longer fits", 0, None)
        model = CpModel(problem, explain=False, previous=previous, free=free)
        status, solver = model.run(time_limit)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            # Then also those sharing someone with them: they may need to make room.
            wider = free | _neighbours(problem, previous, free)
            progress("Re-planning: moving their neighbours too", 0, None)
            model = CpModel(problem, explain=False, previous=previous, free=wider)
            status, solver = model.run(time_limit / 2)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        progress(f"Placing {plural(len(problem.sessions), 'session')}", 0, None)
        model = CpModel(problem, explain=False, previous=previous)
        status, solver = model.run(time_limit)

    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        placements, blocks = model.read(solver)
        moves = _moves(problem, placements, previous) if previous is not None else ()
        warnings = problem.warnings
        if previous is not None and status != cp_model.OPTIMAL:
            warnings += (
                f"re-planned within the time limit ({time_limit:.0f} s) without proving that "
                f"{len(moves)} moves are the fewest possible",
            )
        return Timetable(
            problem,
            placements,
            blocks,
            moves=moves,
            warnings=warnings,
            seconds=time.perf_counter() - began,
            replanned=previous is not None,
        )
    if status != cp_model.INFEASIBLE:
        return Timetable(
            problem,
            unplaced=problem.sessions,
            conflict=(
                f"no timetable found within {time_limit:.0f} seconds; the solver could neither "
                "place every session nor prove it impossible",
            ),
            warnings=problem.warnings,
            seconds=time.perf_counter() - began,
            replanned=previous is not None,
        )
    # Explain, then place the rest: leave out the sessions of each conflict in turn.
    lines: list[str] = []
    unplaced: list[Session] = []
    rest = problem
    partial: tuple[Placement, ...] = ()
    partial_blocks: tuple[Block, ...] = ()
    for attempt in range(MAX_CONFLICTS):
        progress("Finding what cannot all hold", attempt, MAX_CONFLICTS)
        found, sessions = explain(rest, time_limit)
        lines += found
        unplaced += sessions
        if not sessions:
            break
        rest = _without(rest, {x.id for x in sessions})
        model = CpModel(rest, explain=False, previous=previous)
        status, solver = model.run(time_limit)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            partial, partial_blocks = model.read(solver)
            break
        if status != cp_model.INFEASIBLE:
            break
    moves = _moves(problem, partial, previous) if previous is not None and partial else ()
    return Timetable(
        problem,
        partial,
        partial_blocks,
        unplaced=tuple(unplaced),
        conflict=tuple(lines),
        moves=moves,
        warnings=problem.warnings,
        seconds=time.perf_counter() - began,
        replanned=previous is not None,
    )


def _without(problem: Problem, ids: set[str]) -> Problem:
    """The problem less some sessions (and the links to them)."""
    from dataclasses import replace

    kept = tuple(
        replace(
            s,
            after=tuple(a for a in s.after if a not in ids),
            same_inspectors_as=None if s.same_inspectors_as in ids else s.same_inspectors_as,
        )
        for s in problem.sessions
        if s.id not in ids
    )
    return replace(problem, sessions=kept)


# ------------------------------------------------------------------ re-planning
def _neighbours(problem: Problem, previous: Mapping[str, Booked], ids: set[str]) -> set[str]:
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


def _moves(
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
