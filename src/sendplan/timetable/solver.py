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

from collections.abc import Mapping

from sendplan.progress import Progress, quiet
from sendplan.timetable.cpsat import CpModel
from sendplan.timetable.explain import TIME_LIMIT, explain
from sendplan.timetable.model import Problem, Session
from sendplan.timetable.replan import moves_between, must_move, neighbours
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
            wider = free | neighbours(problem, previous, free)
            progress("Re-planning: moving their neighbours too", 0, None)
            model = CpModel(problem, explain=False, previous=previous, free=wider)
            status, solver = model.run(time_limit / 2)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        progress(f"Placing {plural(len(problem.sessions), 'session')}", 0, None)
        model = CpModel(problem, explain=False, previous=previous)
        status, solver = model.run(time_limit)

    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        placements, blocks = model.read(solver)
        moves = moves_between(problem, placements, previous) if previous is not None else ()
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
    moves = moves_between(problem, partial, previous) if previous is not None and partial else ()
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
