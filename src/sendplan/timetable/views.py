"""What a view of the timetable says besides the sessions: for whom, in which words,
whether agreed, and what the guidance has that this week does not.

* :func:`agreed_on`: the day the lead inspector agreed the timetable with the
  LANO (handbook para 98), from ``[timetable] agreed`` or a recorded
  ``[dates] timetable_agreed``; until then every view says :data:`DRAFT`;
* :func:`not_planned`: activities of the guidance with no session, and why
  (no providers, no topics, no tracked children, too few days on site);
* :func:`era_words`: the words of the inspection's time: a re-visit before
  integrated care boards (1 July 2022) speaks of the CCG, as its guidance does;
* :func:`for_audience`: one person's or role's week (``--who``), and the
  leaders' view, which carries no child's Unique ID.

Plain functions of the timetable and the case: no terminal, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from sendplan.timetable.activities import load_activities
from sendplan.timetable.model import Problem, Session
from sendplan.timetable.results import Timetable

if TYPE_CHECKING:
    from sendplan.case import Case
    from sendplan.schedule import Schedule

#: What every view of a timetable not yet agreed says (handbook para 98).
DRAFT = "Draft: not yet agreed with the lead inspector (handbook para 98)"
#: ``--who`` for the leaders' view: every session, no child's Unique ID.
LEADERS = "leaders"
#: Who may see tracked children's pseudonymous Unique IDs in a view: the
#: inspectors, who chose them, and the LANO, who arranges their meetings
#: (paras 104-105).  Anyone else's view numbers the children instead.
SEES_CHILDREN: tuple[str, ...] = ("inspectors", "lano")


# ------------------------------------------------------------------ agreement
def agreed_on(case: Case, schedule: Schedule | None = None) -> date | None:
    """The day the timetable was agreed, or None while it is a draft."""
    if case.timetable.agreed is not None:
        return case.timetable.agreed
    event = schedule.get("timetable_agreed") if schedule is not None else None
    return event.date if event is not None and event.recorded else None


# ------------------------------------------------------------------ what is not planned
def not_planned(problem: Problem) -> tuple[str, ...]:
    """Activities of the guidance the timetable has no session of, each with why."""
    activities = load_activities(problem.kind)
    have = {s.activity for s in problem.sessions}
    out: list[str] = []
    for a in activities.activities:
        if a.id in have:
            continue
        what = _plural(a.title)
        if a.min_on_site_days:
            why = f"they are held only when on site at least {a.min_on_site_days} days"
        elif a.each == "provider":
            why = "the case lists no providers ([[providers]])"
        elif a.each == "topic":
            why = "the case names no sampling topics ([timetable] sampling_topics)"
        elif a.each == "child":
            why = "no children are selected for tracking ([tracking] selected)"
        else:
            continue  # a window the schedule does not reach: warned of when built
        line = f"No {what} planned: {why} ({a.source})."
        if not any(x.startswith(f"No {what} planned") for x in out):
            out.append(line)
    return tuple(out)


def _plural(title: str) -> str:
    """``Sampling visit: {provider}`` -> ``sampling visits``; what a line calls an activity."""
    head = re.split(r"[:{]", title)[0].strip().lower()
    if head.endswith(("meeting", "visit", "discussion", "call")):
        return head + "s"
    return "sessions of " + head


# ------------------------------------------------------------------ the era's words
def era_words(problem: Problem) -> Problem:
    """``problem`` in the words of its time (the kind's ``[[vocabulary]]`` data)."""
    change = words_for(problem.kind, max(problem.days, default=None))
    if change is None:
        return problem
    sessions = tuple(
        replace(s, title=change(s.title), others=change(s.others) if s.others else None)
        for s in problem.sessions
    )
    names = {k: change(v) for k, v in problem.names.items()}
    return replace(problem, sessions=sessions, names=names)


def words_for(kind: str, day: date | None) -> Callable[[str], str] | None:
    """The rewording for an inspection of ``kind`` on ``day``, if its era needs one."""
    from pathlib import Path

    from sendplan.cache import load_toml

    if day is None:
        return None
    path = Path(__file__).parent.parent / "data" / "timetable" / f"{kind}.toml"
    pairs: list[tuple[str, str]] = []
    for era in load_toml(path).get("vocabulary", ()):
        if day < era["before"]:
            pairs += [(str(old), str(new)) for old, new in era["words"].items()]
    if not pairs:
        return None
    pattern = re.compile("|".join(rf"\b{re.escape(old)}\b" for old, _ in pairs))
    table = dict(pairs)
    return lambda text: pattern.sub(lambda m: table[m[0]], text)


# ------------------------------------------------------------------ audiences
@dataclass(frozen=True)
class Audience:
    """Whose view: a heading, the people and roles whose sessions it shows (none: all),
    and whether it may show children's Unique IDs."""

    heading: str | None
    people: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    children: bool = True
    #: The inspection team's person ids, to tell who acts in the role ``inspectors``.
    inspectors: frozenset[str] = frozenset()

    def attends(self, people: Sequence[str]) -> bool:
        """Whether a session with ``people`` is in this view."""
        from sendplan.timetable.export import role_of

        if not self.people and not self.roles:
            return True
        roles = {role_of(p, set(self.inspectors)) for p in people}
        return bool(set(self.people) & set(people)) or bool(set(self.roles) & roles)


def audience(case: Case, who: Sequence[str]) -> Audience:
    """``--who`` values as an :class:`Audience`: ``leaders``, roles or people of the case.

    :class:`~sendplan.errors.UsageError` for a value that is none of these.
    """
    from sendplan.timetable.export import split_who

    if not who:
        return Audience(None)
    if [w.strip().lower() for w in who] == [LEADERS]:
        return Audience("Leaders' view (tracked children by number, not Unique ID)", (), (), False)
    from sendplan.rules import ROLES
    from sendplan.timetable.export import _inspectors
    from sendplan.timetable.model import case_ids, person_names

    if [w.strip().lower() for w in who] == [LEADERS]:
        return Audience("Leaders' view: tracked children by number, not Unique ID", children=False)
    roles, given, people = split_who(case, who)
    names = person_names(case)
    shown = [ROLES[r] for r in given if r not in people] + [names.get(p, p) for p in people]
    sees = bool(set(roles) & set(SEES_CHILDREN))
    team = frozenset(_inspectors(case, case_ids(case)))
    return Audience("For " + ", ".join(shown), people, given, sees, team)


def for_audience(timetable: Timetable, audience: Audience) -> Timetable:
    """The timetable as ``audience`` sees it: their sessions, children numbered if need be."""
    if audience.people or audience.roles:
        see = audience.attends
        timetable = replace(
            timetable,
            placements=tuple(pl for pl in timetable.placements if see(pl.people)),
            blocks=tuple(b for b in timetable.blocks if see((b.who,))),
            unplaced=tuple(s for s in timetable.unplaced if see(s.inspectors + s.people + s.pool)),
            moves=tuple(m for m in timetable.moves if see(m.tell)),
        )
    if audience.children:
        return timetable
    return without_children(timetable)


def without_children(timetable: Timetable) -> Timetable:
    """Every tracked child's Unique ID replaced by ``tracked child N`` (N: the order of
    their first session), in ids, titles and what a session is about."""
    numbers: dict[str, int] = {}
    per_child = {
        a.id for a in load_activities(timetable.problem.kind).activities if a.each == "child"
    }
    sessions = [pl.session for pl in timetable.placements] + list(timetable.unplaced)
    for s in sessions:
        if s.activity in per_child and s.about and s.about not in numbers:
            numbers[s.about] = len(numbers) + 1
    if not numbers:
        return timetable

    def hide(text: str) -> str:
        for child, n in numbers.items():
            text = text.replace(child, f"tracked child {n}")
        return text

    def session(s: Session) -> Session:
        if s.about not in numbers:
            return s
        return replace(s, id=hide(s.id), title=hide(s.title), about=hide(s.about or ""))

    return replace(
        timetable,
        placements=tuple(replace(pl, session=session(pl.session)) for pl in timetable.placements),
        unplaced=tuple(session(s) for s in timetable.unplaced),
        moves=tuple(
            replace(
                m,
                id=hide(m.id),
                title=hide(m.title),
                before=m.before and replace(m.before, id=hide(m.id), title=hide(m.title)),
                after=m.after and replace(m.after, session=session(m.after.session)),
            )
            for m in timetable.moves
        ),
        conflict=tuple(hide(x) for x in timetable.conflict),
        cancelled=(),
    )


def presented(timetable: Timetable, case: Case, schedule: Schedule, view: Audience) -> Timetable:
    """The timetable as a view shows it: agreed or draft, what is not planned, for whom."""
    marked = replace(
        timetable,
        agreed=agreed_on(case, schedule),
        not_planned=not_planned(timetable.problem),
        audience=view.heading,
    )
    return for_audience(marked, view)
