"""Why nothing fits: a minimal set of constraints that cannot all hold, in words.

The model is built with each relaxable constraint behind an assumption
literal; CP-SAT returns a set of assumptions that cannot all hold, shrunk here
one literal at a time to a minimal set, and each is told as a sentence a LANO
can act on (people, dates, paragraphs, the case file's line).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sendplan.dates import date_text
from sendplan.timetable.cpsat import CpModel
from sendplan.timetable.model import Busy, Problem, Session, hhmm

#: Seconds the solver may take before giving up (the realistic week takes well under 1).
TIME_LIMIT = 20.0


def explain(problem: Problem, time_limit: float = TIME_LIMIT) -> tuple[list[str], list[Session]]:
    """A minimal set of constraints that cannot all hold, in words, and the sessions in it."""
    from ortools.sat.python import cp_model

    model = CpModel(problem, explain=True)
    by_index = {var.index: var for var in model.literals()}
    status, solver = model.run(time_limit, assumptions=list(by_index.values()))
    if status != cp_model.INFEASIBLE:
        return ["the sessions cannot all be placed, but no smaller reason was found"], list(
            problem.sessions
        )
    core = [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in by_index]
    # Shrink to a minimal set: drop each literal whose absence keeps it infeasible
    # (literals left out of the assumptions are free, so the solver may relax them).
    needed = list(core)
    for lit in list(core):
        if len(needed) <= 1:
            break
        trial = [x for x in needed if x is not lit]
        status, _ = model.run(min(time_limit, 5.0), assumptions=trial)
        if status == cp_model.INFEASIBLE:
            needed = trial
    reasons = [model.reasons[lit.index] for lit in needed]
    lines = [_words(problem, reason) for reason in sorted(reasons, key=_reason_order)]
    ids = {r[1] for r in reasons if r[0] in ("window", "after")}
    people = {p for r in reasons if r[0] in ("busy",) for p in (problem.busy[r[1]].who,)}
    sessions = [
        s
        for s in problem.sessions
        if s.id in ids or (not ids and people & set(s.people + s.inspectors))
    ]
    if not lines:
        lines = ["nobody can be in two places at once, and these sessions need the same people"]
    return lines, sessions


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
            f"[{where}, timetable.unavailable[{b.index}]]"
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
