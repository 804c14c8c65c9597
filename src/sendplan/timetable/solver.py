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

Always a timetable (issue 19): every session ends up placed, or unplaced
with its reason in words.  In turn, all inside one :class:`.Budget`:

1. the capacity check (:mod:`.capacity`) leaves out, window by window, the
   sessions that give way first when there is not enough inspector time, and
   sessions with nowhere to go at all (no working day; someone needed away on
   every day) are set aside with their reason;
2. the rest is placed in full if it can be (preferences as the objective);
3. if not, as much as possible, by priority, starting from a Python placement
   in priority order (:mod:`.greedy`), which is also the answer if the solver
   finds nothing in its budget; sessions that still fit are added;
4. each session left out gets its reason, and when the solver proved the
   week impossible a minimal set of constraints that cannot all hold is told
   in words (:mod:`.explain`, :attr:`Timetable.conflict`).

Re-planning (``previous``) adds, for each session of the saved timetable, a
"moved" literal that frees its start and inspectors, and minimises how many
move.  ``ortools`` is imported here only, so other commands do not pay for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sendplan.progress import Progress, quiet
from sendplan.timetable.budget import STOPPED_EARLY, Budget
from sendplan.timetable.capacity import trim, without
from sendplan.timetable.cpsat import CpModel, sat
from sendplan.timetable.explain import explain, nowhere, unplaced_reasons
from sendplan.timetable.greedy import best_placement, free_time_blocks, place_in_order, score
from sendplan.timetable.model import Problem, hhmm
from sendplan.timetable.replan import moves_between, must_move, neighbours
from sendplan.timetable.results import Block, Booked, Move, Placement, Timetable
from sendplan.words import plural

__all__ = ["Block", "Booked", "Budget", "Move", "Placement", "Timetable", "solve"]

#: Shares of the budget (deterministic seconds, at most), in turn: placing
#: everything (following the hints, then CP-SAT's default search); the preferences;
#: placing as much as possible (QUICK when the capacity check already found the
#: week short of inspector time: it is answered in well under a second); a
#: re-plan's narrow tries; the explanation.
PLACE = (("fixed", 0.05), ("default", 0.1))
POLISH, BEST, QUICK, REPLAN, EXPLAIN = 0.03, 0.2, 0.02, 0.1, 0.1


def solve(
    problem: Problem,
    previous: Mapping[str, Booked] | None = None,
    budget: Budget | None = None,
    progress: Progress = quiet,
) -> Timetable:
    """The timetable: every session placed, or unplaced with its reason in words.

    ``progress`` hears of each solver run as it starts (the run itself is one
    call into CP-SAT, so the CLI's bar shows a spinner and the time taken).
    """
    import time

    cp_model = sat()

    found = (cp_model.OPTIMAL, cp_model.FEASIBLE)
    budget = budget or Budget()
    began = time.perf_counter()
    reasons = {s.id: why for s in problem.sessions if (why := nowhere(problem, s)) is not None}
    kept, too_much, capacity = trim(without(problem, set(reasons)))
    reasons |= too_much
    rest = without(problem, {s.id for s in problem.sessions} - {s.id for s in kept})
    placements: Sequence[Placement] | None = None
    status = cp_model.UNKNOWN
    warnings: list[str] = list(problem.warnings)
    if previous is not None and rest.sessions:
        # First try moving only the sessions that no longer fit on their own (a lower
        # bound on any re-plan): when that works it is the fewest moves, found fast.
        for label, free in (
            ("moving only what no longer fits", must_move(rest, previous)),
            ("moving their neighbours too", None),
        ):
            if free is None:
                narrow = must_move(rest, previous)
                free = narrow | neighbours(rest, previous, narrow)
            progress(f"Re-planning: {label}", 0, None)
            model = CpModel(rest, previous=previous, free=free)
            status, solver = model.run(budget, REPLAN)
            if status in found:
                placements, _ = model.read(solver)
                break
    # A week short of inspector time is known not to fit as asked: straight to the
    # best effort, answered in well under a second.
    if placements is None and rest.sessions and not capacity:
        progress(f"Placing {plural(len(rest.sessions), 'session')}", 0, None)
        # Feasibility first (no objective: CP-SAT finds a timetable fastest so), one
        # strategy after another, then the preferences from that timetable.
        model = CpModel(rest, objective=previous is not None, previous=previous)
        for strategy, cap in PLACE:
            status, solver = model.run(budget, cap, strategy=strategy)
            if status != cp_model.UNKNOWN:
                break
        if status in found:
            placements, _ = model.read(solver)
            if previous is None and budget.left() > 0:
                progress("Arranging the days", 0, None)
                better = CpModel(rest, hint=placements)
                polished, solver = better.run(budget, POLISH)
                if polished in found:
                    placements, _ = better.read(solver)
    proven = status == cp_model.INFEASIBLE
    if placements is None:
        placements = _best_effort(rest, previous, budget, progress, QUICK if capacity else BEST)
    placed = {pl.session.id for pl in placements}
    unplaced = [s for s in problem.sessions if s.id not in placed]
    conflict: list[str] = []
    if proven and any(s.id not in reasons for s in unplaced) and budget.left() > 0:
        progress("Finding what cannot all hold", 0, None)
        conflict = explain(rest, budget, EXPLAIN)
    reasons |= unplaced_reasons(rest, placements, [s for s in unplaced if s.id not in reasons])
    warnings += _attendance(problem, placements)
    if budget.stopped_early:
        warnings.append(STOPPED_EARLY)
    moves = moves_between(problem, placements, previous) if previous is not None else ()
    placements = tuple(sorted(placements, key=Placement.key))
    return Timetable(
        problem,
        placements,
        free_time_blocks(problem, placements),
        unplaced=tuple(unplaced),
        conflict=tuple(conflict),
        moves=moves,
        warnings=tuple(warnings),
        seconds=time.perf_counter() - began,
        replanned=previous is not None,
        reasons={s.id: reasons[s.id] for s in unplaced},
        capacity=tuple(capacity),
        effort={"deterministic_seconds": round(budget.used, 3), "solver_calls": budget.calls},
    )


def _best_effort(
    problem: Problem,
    previous: Mapping[str, Booked] | None,
    budget: Budget,
    progress: Progress,
    cap: float,
) -> list[Placement]:
    """As much as fits, by priority: the best Python placement, improved by the solver
    from there, then any session the solver left out that still fits (never less than
    the Python placement)."""
    cp_model = sat()

    start = best_placement(problem)
    if len(start) == len(problem.sessions) or budget.left() <= 0:
        return start
    progress("Placing as much as possible", 0, None)
    model = CpModel(problem, optional=True, hint=start, previous=previous)
    status, solver = model.run(budget, cap)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return start
    placements, _ = model.read(solver)
    if score(placements) < score(start):
        return start
    return list(place_in_order(problem, placements).placed.values())


def _attendance(problem: Problem, placements: Sequence[Placement]) -> list[str]:
    """A warning for each soft attendance not kept: who misses what, or who deputises."""
    from sendplan.dates import date_text

    out = []
    for pl in placements:
        s = pl.session
        when = f"{s.title} on {date_text(pl.date, weekday=True)} at {hhmm(pl.start)}"
        for inspector in s.optional_inspectors:
            if inspector not in pl.inspectors:
                out.append(
                    f"{problem.name(inspector)} is away and misses the {when}: the team "
                    f"meets as far as is practicable ({s.attendance_source})"
                )
        for leader, deputy in s.represented:
            if leader in pl.people:
                continue
            if deputy is not None and deputy in pl.people:
                out.append(
                    f"{problem.name(deputy)} represents {problem.name(leader)}, who is away, "
                    f"at the {when} (handbook para 128)"
                )
            else:
                out.append(
                    f"the {when} goes ahead without {problem.name(leader)}, who is away; "
                    "name a deputy (`deputy` in their [people] entry) who can attend for "
                    "them (handbook para 128)"
                )
    return out
