"""Why a session is not placed, in words a LANO can act on.

* :func:`nowhere`: a session with no possible time at all (no working day in
  its window; someone it needs away on every day of it);
* :func:`unplaced_reason`: what stops a session at every time it could start,
  once the sessions placed before it are there;
* :func:`explain`: when the solver proved that not everything fits, a minimal
  set of constraints that cannot all hold.  The model is built with each
  relaxable constraint behind an assumption literal; CP-SAT returns a set of
  assumptions that cannot all hold, shrunk here one literal at a time to a
  minimal set while the budget lasts, and each is told as a sentence (people,
  dates, paragraphs, the case file's line).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sendplan.dates import date_text
from sendplan.timetable.activities import PRIORITIES
from sendplan.timetable.budget import Budget
from sendplan.timetable.model import Busy, Problem, Session, hhmm
from sendplan.timetable.results import Placement
from sendplan.words import plural

#: Solves spent shrinking a conflict: past this, the set is told as found (still a
#: set that cannot all hold, perhaps not the smallest).
MAX_SHRINK = 200
#: A conflict longer than this once shrunk is not told (it would not help a LANO).
MAX_TOLD = 8


def explain(problem: Problem, budget: Budget, cap: float) -> list[str]:
    """A minimal set of constraints that cannot all hold, in words (empty if none found)."""
    from sendplan.timetable.cpsat import CpModel, sat

    cp_model = sat()

    model = CpModel(problem, explain=True)
    by_index = {var.index: var for var in model.literals()}
    spend = Budget(min(cap, budget.left()), budget.wall_left())
    status, solver = model.run(spend, spend.deterministic / 2, assumptions=list(by_index.values()))
    if status != cp_model.INFEASIBLE:
        budget.spent(spend.used, spend.stopped_early)
        return []
    core = [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in by_index]
    # Shrink to a minimal set: drop chunks of literals, halving the chunk, while the
    # rest stays infeasible (literals left out of the assumptions are free, so the
    # solver may relax them); a few dozen solves even for a core of thousands.
    needed = list(core)
    chunk = max(1, len(needed) // 2)
    calls = 0
    while chunk >= 1 and len(needed) > 1:
        i = 0
        while i < len(needed) and len(needed) > 1:
            if spend.left() <= 0 or spend.wall_left() <= 0 or calls >= MAX_SHRINK:
                chunk = 0
                break
            trial = needed[:i] + needed[i + chunk :]
            calls += 1
            status, _ = model.run(spend, max(spend.left() / 8, 0.002), assumptions=trial)
            if trial and status == cp_model.INFEASIBLE:
                needed = trial
            else:
                i += chunk
        chunk //= 2
    budget.spent(spend.used, spend.stopped_early)
    if len(needed) > MAX_TOLD:
        return []  # not shrunk in the budget: each session's own reason says more
    reasons = [model.reasons[lit.index] for lit in needed]
    return [_words(problem, reason) for reason in sorted(reasons, key=_reason_order)]


def nowhere(problem: Problem, s: Session) -> str | None:
    """Why ``s`` has no possible time at all, or None."""
    low, high = problem.hours(s)
    window = f"it must be in {s.window_text}"
    if not s.days:
        return f"{window}, which has no working day"
    if high - low < s.length:
        return f"{window}, {hhmm(low)}-{hhmm(high)}, too short for its {s.length} minutes"
    for person in s.inspectors + s.people:
        if all(_away(problem, person, d, low, high, s.length) for d in s.days):
            entries = [
                _words(problem, ("busy", n))
                for n, b in enumerate(problem.busy)
                if b.who == person and b.date in s.days
            ]
            return (
                f"it must be in {s.window_text} ({_days(s.days)}) and needs "
                f"{problem.name(person)}: " + "; ".join(entries)
            )
    if s.choose:
        able = [
            i for i in s.pool if not all(_away(problem, i, d, low, high, s.length) for d in s.days)
        ]
        if len(able) < s.choose:
            return (
                f"it needs {plural(s.choose, 'inspector')} on {_days(s.days)}, "
                f"and only {len(able)} of the team can be there"
            )
    return None


def _away(problem: Problem, person: str, day: dt.date, low: int, high: int, length: int) -> bool:
    """No stretch of ``length`` minutes between ``low`` and ``high`` free of ``person``'s
    unavailability on ``day``."""
    edge = low
    for b in sorted(problem.busy_on(person, day), key=lambda b: b.start):
        if b.start - edge >= length:
            return False
        edge = max(edge, b.end)
    return high - edge < length


#: What stops a session, in words (:meth:`.greedy.Board.why_not`).
_STOPS = {
    "busy": "someone it needs is already booked",
    "unavailable": "someone it needs is unavailable",
    "travel": "someone it needs could not travel there in time",
    "review": "an inspector would lose their review time or slack (para 96)",
    "no_inspector": "no inspector is free",
    "order": "it would break the guidance's order of sessions",
    "window": "there is no time in its window",
}


def unplaced_reasons(
    problem: Problem, placements: Sequence[Placement], sessions: Sequence[Session]
) -> dict[str, str]:
    """What stops each of ``sessions`` at every time it could start, with what was
    placed first (one board for all: a case may list thousands of unavailabilities)."""
    from sendplan.timetable.greedy import Board

    board = Board(problem, placements)
    out = {}
    for s in sessions:
        stops = board.why_not(s)
        said = "; ".join(_STOPS[k] for k in sorted(stops, key=list(_STOPS).index))
        first = [PRIORITIES[k] for k in sorted(PRIORITIES) if k <= s.priority]
        out[s.id] = (
            f"no time for it on {_days(s.days)} ({s.window_text}): at every time it could "
            f"start, {said or 'it does not fit'}. Placed first: {', then '.join(first)}; "
            "free time by moving or shortening one of them, or by adding an inspector"
        )
    return out


def _reason_order(reason: tuple[Any, ...]) -> tuple[int, str]:
    rank = {"window": 0, "after": 1, "busy": 2, "review": 3, "slack": 4, "travel": 5}
    return rank.get(str(reason[0]), 9), str(reason[1:])


def _day(d: dt.date) -> str:
    return date_text(d, weekday=True)


def _days(days: Sequence[dt.date]) -> str:
    if not days:
        return "no working day"
    if len(days) == 1:
        return _day(days[0])
    return f"{_day(days[0])} to {_day(days[-1])}"


def _who(problem: Problem, people: Sequence[str]) -> str:
    names = [problem.name(p) for p in people]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _words(problem: Problem, reason: tuple[Any, ...]) -> str:
    kind = reason[0]
    if kind == "window":
        s = problem.session(reason[1])
        start, end = problem.hours(s)
        who = s.inspectors + s.people
        needs = f", and needs {_who(problem, who)}" if who else ""
        if s.choose:
            needs += f"{' and' if who else ', and needs'} {s.choose} of the inspectors"
        return (
            f"{s.title} ({s.source}) must be in {s.window_text}: {_days(s.days)}, "
            f"{hhmm(start)}-{hhmm(end)}, {s.length} minutes{needs}"
        )
    if kind == "busy":
        b: Busy = problem.busy[reason[1]]
        when = "all day" if b.all_day else f"from {hhmm(b.start)} to {hhmm(b.end)}"
        where = f"{problem.case_name}:{b.line}" if b.line else problem.case_name
        note = f" ({b.note})" if b.note else ""
        return (
            f"{problem.name(b.who)} is unavailable on {_day(b.date)}, {when}{note} "
            f"[{where}, {b.entry}[{b.index}]]"
        )
    if kind == "review":
        return (
            f"{problem.name(reason[1])} keeps {problem.review} minutes each day to review and "
            "analyse evidence (handbook para 96; [timetable] review_minutes)"
        )
    if kind == "slack":
        return (
            f"{problem.name(reason[1])} keeps {problem.slack} minutes free each day for changes "
            "(handbook para 96; [timetable] slack_minutes)"
        )
    if kind == "travel":
        return (
            f"travel between venues of in-person sessions ({problem.travel_default} minutes "
            "unless [[timetable.travel]] says otherwise; handbook para 96)"
        )
    s = problem.session(reason[1])
    others = ", ".join(problem.session(o).title for o in s.after)
    if s.concludes:
        others = (others + " and " if others else "") + "every other session of its day"
    return f"{s.title} comes after {others} ({s.source})"
