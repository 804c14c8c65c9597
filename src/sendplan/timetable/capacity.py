"""Capacity first, in words: is there enough inspector time before anything is placed?

For each window (week 2 off site; the on-site days; each day) the inspector
time the sessions need is compared with the time the team has once review
time, slack and unavailability are kept (handbook para 96), and likewise
for each inspector's own sessions.  A shortfall is said as a LANO can act
on it ("the on-site days need 66 inspector-hours; 2 inspectors have 65: drop
a sampling visit, shorten visits to 135 minutes, or add an inspector").

The check is a necessary condition only (it never calls a feasible week
impossible): travel is not counted, since in this model review time, slack
and video calls may fill a journey.  :func:`trim` leaves out, window by
window, the sessions that give way first (sampling visits and extra
meetings, then tracking meetings, then the guidance's fixed meetings) until
every window has the time; the solver then places the rest.  Plain Python,
no solver: a capacity-impossible week is answered in milliseconds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from sendplan.dates import date_text
from sendplan.timetable.activities import PRIORITIES
from sendplan.timetable.model import Problem, Session
from sendplan.words import plural


@dataclass(frozen=True)
class Window:
    """Days over which to compare need and time, and for whom (None: the whole team)."""

    text: str
    days: tuple[date, ...]
    inspector: str | None = None


@dataclass(frozen=True)
class Shortfall:
    window: Window
    need: int  # inspector-minutes
    have: int
    sentence: str


def slot_minutes(problem: Problem, length: int) -> int:
    """A session's length as the solver books it: whole slots."""
    return math.ceil(length / problem.slot) * problem.slot


def free_minutes(problem: Problem, inspector: str, day: date) -> int:
    """An inspector's working minutes on ``day`` that sessions may use (whole slots,
    less unavailability, less review time and slack unless away all day)."""
    slot = problem.slot
    first, last = math.ceil(problem.day_start / slot), problem.day_end // slot
    taken: set[int] = set()
    for b in problem.busy_on(inspector, day):
        taken.update(range(max(first, b.start // slot), min(last, math.ceil(b.end / slot))))
    free = max(0, last - first - len(taken)) * slot
    if problem.away_all_day(inspector, day):
        return free
    kept = slot_minutes(problem, problem.review) + slot_minutes(problem, problem.slack)
    return max(0, free - kept)


def windows(problem: Problem) -> list[Window]:
    """Each day, each inspector's day, week 2 off site and the on-site days."""
    out = [Window(_day(d), (d,)) for d in problem.days]
    out += [
        Window(f"{_day(d)}", (d,), inspector)
        for inspector in problem.inspectors
        for d in problem.days
    ]
    on_site = set(problem.on_site)
    before = tuple(d for d in problem.days if on_site and d < min(on_site))
    if len(before) > 1:
        out.append(Window("week 2, off site", before))
    if len(problem.on_site) > 1:
        out.append(Window("the on-site days", problem.on_site))
    return out


def need(problem: Problem, window: Window, sessions: Sequence[Session]) -> int:
    """Inspector-minutes of the sessions that must fall inside ``window``."""
    days = set(window.days)
    total = 0
    for s in sessions:
        if not s.days or not set(s.days) <= days:
            continue
        if window.inspector is None:
            total += slot_minutes(problem, s.length) * s.team_demand
        elif window.inspector in s.inspectors:
            total += slot_minutes(problem, s.length)
    return total


def have(problem: Problem, window: Window) -> int:
    inspectors = (window.inspector,) if window.inspector else problem.inspectors
    return sum(free_minutes(problem, i, d) for i in inspectors for d in window.days)


def shortfalls(problem: Problem, sessions: Sequence[Session] | None = None) -> list[Shortfall]:
    """Every window whose sessions need more inspector time than there is."""
    sessions = problem.sessions if sessions is None else sessions
    out = []
    for window in windows(problem):
        needed, has = need(problem, window, sessions), have(problem, window)
        if needed > has:
            out.append(
                Shortfall(window, needed, has, _sentence(problem, window, sessions, needed, has))
            )
    return out


def trim(problem: Problem) -> tuple[list[Session], dict[str, str], list[str]]:
    """The sessions that can have time, those left out (id: reason) and every shortfall.

    Window by window (days first: a day's shortfall also relieves its week),
    the sessions inside it that give way first (highest priority number, the
    last of them first) are left out until its sessions fit its time.
    """
    kept = list(problem.sessions)
    reasons: dict[str, str] = {}
    said: list[str] = []
    for window in windows(problem):
        needed, has = need(problem, window, kept), have(problem, window)
        if needed <= has:
            continue
        sentence = _sentence(problem, window, kept, needed, has)
        said.append(sentence)
        days = set(window.days)
        candidates = [
            s
            for s in kept
            if s.days
            and set(s.days) <= days
            and (s.team_demand if window.inspector is None else window.inspector in s.inspectors)
        ]
        candidates.sort(key=lambda s: (-s.priority, -kept.index(s)))
        for s in candidates:
            if needed <= has:
                break
            needed -= slot_minutes(problem, s.length) * (
                s.team_demand if window.inspector is None else 1
            )
            kept.remove(s)
            reasons[s.id] = (
                f"not enough inspector time: {sentence} ({_gives_way(s)} give way first)"
            )
    return kept, reasons, said


def _gives_way(s: Session) -> str:
    return PRIORITIES.get(s.priority, "these sessions")


def _day(d: date) -> str:
    return date_text(d, weekday=True)


def hours(minutes: int) -> str:
    """Minutes as hours: ``66``, ``65.5``, ``65.25``."""
    text = f"{minutes / 60:.2f}".rstrip("0").rstrip(".")
    return text


def _sentence(
    problem: Problem, window: Window, sessions: Sequence[Session], needed: int, has: int
) -> str:
    """The shortfall as a LANO can act on it: need, time, and what would make it fit."""
    short = needed - has
    if window.inspector is not None:
        name = problem.name(window.inspector)
        return (
            f"{name}'s own sessions on {window.text} need {hours(needed)} hours; "
            f"{name} has {hours(has)} after review time and slack (para 96): move one of "
            "them to another inspector or day, or shorten it"
        )
    team = plural(len(problem.inspectors), "inspector")
    ideas = []
    days = set(window.days)
    visits = [
        s
        for s in sessions
        if s.kind == "sampling_visit" and s.days and set(s.days) <= days and s.team_demand
    ]
    if visits:
        each = slot_minutes(problem, visits[0].length)
        ideas.append(f"drop {plural(math.ceil(short / each), 'sampling visit')}")
        shorter = (each - math.ceil(short / len(visits))) // problem.slot * problem.slot
        if shorter >= 60:
            ideas.append(f"shorten visits to {shorter} minutes ([timetable.lengths])")
    per_inspector = sum(
        max(0, problem.day_end - problem.day_start - problem.review - problem.slack)
        for _ in window.days
    )
    if per_inspector > 0:
        extra = math.ceil(short / per_inspector)
        ideas.append(f"add {'an inspector' if extra == 1 else plural(extra, 'inspector')}")
    if not visits:
        ideas.insert(0, "move a session to another day")
    text = ", ".join(ideas[:-1]) + (" or " if len(ideas) > 1 else "") + ideas[-1]
    return (
        f"{window.text} need{'s' if len(window.days) == 1 else ''} {hours(needed)} "
        f"inspector-hours; {team} have {hours(has)} after review time and slack "
        f"(para 96): {text}"
    )


def without(problem: Problem, ids: set[str]) -> Problem:
    """The problem less some sessions (and the links to them)."""
    kept = tuple(
        replace(
            s,
            after=tuple(a for a in s.after if a not in ids),
            same_inspectors_as=None if s.same_inspectors_as in ids else s.same_inspectors_as,
            follows=None if s.follows and s.follows[0] in ids else s.follows,
        )
        for s in problem.sessions
        if s.id not in ids
    )
    return replace(problem, sessions=kept)
