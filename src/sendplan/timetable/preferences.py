"""Preferences: what makes a good timetable once everything that must hold does.

Each is a term of the solver's objective, weighed below every session placed
and below soft attendance (:meth:`.cpsat.CpModel._objective`), and each cites
its source or says it is sendplan's own (:data:`PREFERENCES`, also in the
timetable's JSON):

* the meeting with leaders early on the first on-site day;
* compact days: each day's sessions as early as they can go, so the rest of
  the day is one stretch for review and analysis;
* a tracking meeting's conversation with the child and family, then the
  multi-agency discussion, on the same day and in that order;
* on the on-site days an inspector's video calls are held at the base (the
  office), so the travel time is kept between them and a visit elsewhere.
"""

from __future__ import annotations

from typing import Any

#: Each preference, and where it comes from.
PREFERENCES: tuple[tuple[str, str], ...] = (
    (
        "the meeting with leaders early on the first on-site day",
        "Lancashire's week opens with senior leaders on the Monday (004, What happens when "
        "the inspectors arrive?); the activity's prefer_source",
    ),
    (
        "compact days: sessions as early in the day as they can go, so the rest of the day "
        "is one stretch for review",
        "sendplan's own (handbook para 96 asks for time to review, not for its shape)",
    ),
    (
        "a tracking meeting's conversation with the family, then its multi-agency "
        "discussion, on the same day",
        "handbook paras 103-105",
    ),
    (
        "travel time between an inspector's video call at the base and a visit elsewhere",
        "sendplan's reading of handbook para 96 ('enough time for inspectors to travel "
        "between appointments'): on site, calls are taken at the base",
    ),
)

#: Weights: a slot later in the day, a slot later for the leaders' meeting, a
#: tracking meeting split, a visit without travel time from a call at the base.
COMPACT, EARLY, APART, NO_TRAVEL = 1, 4, 16, 8


def add_preferences(model: Any) -> None:
    """Add each preference to ``model`` (a :class:`.cpsat.CpModel`, which calls this:
    typed loosely so that the two modules do not import each other)."""
    p = model.problem
    m = model.m
    span = model.close_slot - model.open_slot
    for s in p.sessions:
        if s.id not in model.slot_of_day:
            continue
        if s.early:
            low = min(model._domain(s, s.days, hours=True))[0]
            high = max(w[1] for w in model._domain(s, s.days, hours=True))
            model.prefs.append((EARLY, model.starts[s.id] - low, high - low))
        else:
            model.prefs.append((COMPACT, model.slot_of_day[s.id] - model.open_slot, span))
        if s.follows and s.follows[0] in model.slot_of_day:
            other = s.follows[0]
            day, other_day = model.days[s.id], model.days[other]
            if isinstance(day, int) and isinstance(other_day, int) and day != other_day:
                model.prefs.append((APART, model.present[s.id], 1))
                continue
            kept = m.new_bool_var(f"k:{s.id}")
            both = [kept, model.present[s.id], model.present[other]]
            if not (isinstance(day, int) and isinstance(other_day, int)):
                m.add(day == other_day).only_enforce_if(both)
            m.add(model.starts[s.id] >= model.ends[other]).only_enforce_if(both)
            model.prefs.append((APART, 1 - kept, 1))
    _travel_from_base(model)


def _travel_from_base(model: Any) -> None:
    """On site, a visit elsewhere is the travel time away from the inspector's calls."""
    p = model.problem
    if not p.base or not p.on_site:
        return
    on_site = set(p.on_site)
    for inspector in p.inspectors:
        visits = [
            s
            for s in p.sessions
            if s.in_person
            and s.venue != p.base
            and inspector in s.may_attend
            and (s.id, inspector) in model.own
        ]
        if not visits:
            continue
        days = {d for s in visits for d in s.days} & on_site
        calls = [
            model.own[(s.id, inspector)]
            for s in p.sessions
            if not s.in_person and (s.id, inspector) in model.own and days & set(s.days)
        ]
        if not calls:
            continue
        padded: list[Any] = []
        for s in visits:
            gap = -(-p.travel_between(p.base, s.venue) // p.slot)
            if gap <= 0:
                continue
            attends = model.attends[(s.id, inspector)]
            kept = model.m.new_bool_var(f"base:{s.id}:{inspector}")
            model.m.add_implication(kept, attends)
            padded.append(
                model.m.new_optional_fixed_size_interval_var(
                    model.starts[s.id] - gap,
                    model.length(s) + 2 * gap,
                    kept,
                    f"base:{s.id}:{inspector}",
                )
            )
            model.prefs.append((NO_TRAVEL, attends - kept, 1))
        if padded:
            model.m.add_no_overlap(calls + padded)
