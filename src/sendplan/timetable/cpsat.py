"""The CP-SAT model of a timetable (OR-Tools, imported only when a model is built).

Times are slots of ``problem.slot`` minutes on one line through the days
(``day index * slots per day + slot of the day``); see :mod:`.solver` for
what the model holds.  Three forms:

* the plain form: every session placed; the objective is the preferences
  (:mod:`.preferences`) and who attends where attendance is soft;
* ``optional``: each session has a "placed" literal, and the objective first
  places as much as possible, by priority (the guidance's fixed meetings,
  then tracking meetings, then sampling visits and extra meetings);
* ``explain``: each relaxable constraint sits behind an assumption literal
  (:attr:`CpModel.reasons`), for a minimal conflict in words (:mod:`.explain`).

The model is built in the order of ``problem.sessions`` and ``problem.inspectors``
and of sorted keys elsewhere, never of a set or a hash, so the same case gives
the same model (and timetable) in every process.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sendplan.timetable.budget import Budget
from sendplan.timetable.model import Problem, Session
from sendplan.timetable.results import Block, Booked, Placement

if TYPE_CHECKING:
    from types import ModuleType

    from ortools.sat.python import cp_model


def sat() -> ModuleType:
    """OR-Tools' CP-SAT module, imported without pandas when nothing has loaded it yet.

    ``cp_model`` imports pandas only for its ``*_series`` helpers, which sendplan
    never calls, and pandas is about two thirds of its import time (0.3 of 0.45 s
    of CPU here).  A stand-in holding the two names ``cp_model`` reads at import
    stands in for pandas during that import only, and is removed again, so a
    real ``import pandas`` later works as usual.
    """
    import sys
    import types

    name = "ortools.sat.python.cp_model"
    if name in sys.modules:
        return sys.modules[name]
    if "pandas" in sys.modules:
        from ortools.sat.python import cp_model as loaded

        return loaded
    stand_in = types.ModuleType("pandas")
    stand_in.Index = type("Index", (), {})  # type: ignore[attr-defined]
    stand_in.Series = type("Series", (), {})  # type: ignore[attr-defined]
    sys.modules["pandas"] = stand_in
    try:
        from ortools.sat.python import cp_model as loaded
    finally:
        if sys.modules.get("pandas") is stand_in:
            del sys.modules["pandas"]
    return loaded


class CpModel:
    def __init__(
        self,
        problem: Problem,
        *,
        explain: bool = False,
        optional: bool = False,
        previous: Mapping[str, Booked] | None = None,
        free: set[str] | None = None,
        hint: Sequence[Placement] = (),
        objective: bool = True,
    ) -> None:
        cp_model = sat()

        self.problem = problem
        self.explain = explain
        self.optional = optional
        self.m = cp_model.CpModel()
        self.reasons: dict[int, tuple[Any, ...]] = {}
        self._lits: dict[tuple[Any, ...], Any] = {}
        self.true = self.m.new_constant(1)
        p = problem
        self.per_day = 24 * 60 // p.slot
        self.day_index = {d: i for i, d in enumerate(p.days)}
        self.open_slot = math.ceil(p.day_start / p.slot)
        self.close_slot = p.day_end // p.slot
        self.starts: dict[str, Any] = {}
        self.ends: dict[str, Any] = {}
        self.days: dict[str, Any] = {}
        self.slot_of_day: dict[str, Any] = {}
        self.present: dict[str, Any] = {}
        self.assigned: dict[tuple[str, str], Any] = {}
        #: Who may attend each session, and the literal that says they do.
        self.attends: dict[tuple[str, str], Any] = {}
        #: Each (session, person)'s interval in that person's no-overlap.
        self.own: dict[tuple[str, str], Any] = {}
        self.blocks: list[tuple[str, dt.date, str, Any, int]] = []
        #: The redundant cumulative over the team: (interval, inspectors it takes).
        self.team: list[tuple[Any, int]] = []
        #: Objective terms to minimise, (weight, linear expression, its upper bound):
        #: soft attendance, preferences (:mod:`.preferences`), moves when re-planning.
        self.costs: list[tuple[int, Any, int]] = []
        self.prefs: list[tuple[int, Any, int]] = []
        self.moved: list[Any] = []
        intervals: dict[str, list[Any]] = {}
        for s in p.sessions:
            self._session(s, intervals)
        self._busy(intervals)
        self._review_and_slack(intervals)
        for person in sorted(intervals):
            if len(intervals[person]) > 1:
                self.m.add_no_overlap(intervals[person])
        if len(p.inspectors) > 1 and self.team:
            self.m.add_cumulative(
                [iv for iv, _ in self.team], [d for _, d in self.team], len(p.inspectors)
            )
        self._travel()
        self._order()
        if not explain:
            self._symmetry()
        if objective and not explain:
            from sendplan.timetable.preferences import add_preferences

            add_preferences(self)
        if previous is not None:
            self._stay(previous, free)
        elif hint:
            self._hint(hint)
        elif not explain:
            self._spread()
        if objective and not explain:
            self._objective()

    # literals behind which a relaxable constraint sits (explain mode only)
    def lit(self, reason: tuple[Any, ...]) -> Any:
        if not self.explain:
            return self.true
        if reason not in self._lits:
            var = self.m.new_bool_var(str(reason))
            self._lits[reason] = var
            self.reasons[var.index] = reason
        return self._lits[reason]

    def literals(self) -> list[Any]:
        return list(self._lits.values())

    def length(self, s: Session) -> int:
        return math.ceil(s.length / self.problem.slot)

    def _domain(self, s: Session, days: Sequence[dt.date], hours: bool) -> list[list[int]]:
        length = self.length(s)
        low, high = self.open_slot, self.close_slot
        if hours and s.earliest is not None:
            low = max(low, math.ceil(s.earliest / self.problem.slot))
        if hours and s.latest_end is not None:
            high = min(high, s.latest_end // self.problem.slot)
        out = []
        for d in days:
            if d not in self.day_index:
                continue
            base = self.day_index[d] * self.per_day
            if high - length >= low:
                out.append([base + low, base + high - length])
        return out

    def _session(self, s: Session, intervals: dict[str, list[Any]]) -> None:
        from ortools.util.python.sorted_interval_list import Domain

        m = self.m
        window = self._domain(s, s.days, hours=True)
        present = self.true
        if self.optional:
            present = m.new_bool_var(f"p:{s.id}")
            if not window:
                m.add(present == 0)
        self.present[s.id] = present
        if self.explain:
            everywhere = self._domain(s, self.problem.days, hours=False)
            start = m.new_int_var_from_domain(Domain.from_intervals(everywhere), s.id)
            m.add_linear_expression_in_domain(
                start, Domain.from_intervals(window) if window else Domain.from_values([])
            ).only_enforce_if(self.lit(("window", s.id)))
        elif not window and self.optional:
            start = m.new_int_var(0, 0, s.id)
        else:
            start = m.new_int_var_from_domain(Domain.from_intervals(window), s.id)
        length = self.length(s)
        self.starts[s.id] = start
        self.ends[s.id] = start + length
        if len(s.days) > 1 and window and not self.explain:
            # start = day * slots per day + slot of the day, both linear (for preferences).
            days = sorted({w[0] // self.per_day for w in window})
            day = m.new_int_var_from_domain(Domain.from_values(days), f"d:{s.id}")
            sod = m.new_int_var(self.open_slot, self.close_slot, f"h:{s.id}")
            m.add(start == day * self.per_day + sod)
            self.days[s.id], self.slot_of_day[s.id] = day, sod
        elif window and not self.explain:
            day_value = window[0][0] // self.per_day
            self.days[s.id] = day_value
            self.slot_of_day[s.id] = start - day_value * self.per_day
        main = self._interval(start, length, present, f"i:{s.id}")
        for person in s.inspectors + s.people:
            intervals.setdefault(person, []).append(main)
            self.attends[(s.id, person)] = present
            self.own[(s.id, person)] = main
        if s.inspectors:
            self.team.append((main, len(s.inspectors)))
        if s.choose:
            chosen = []
            for inspector in s.pool:
                on = m.new_bool_var(f"a:{s.id}:{inspector}")
                self.assigned[(s.id, inspector)] = on
                self.attends[(s.id, inspector)] = on
                chosen.append(on)
                own = m.new_optional_fixed_size_interval_var(
                    start, length, on, f"o:{s.id}:{inspector}"
                )
                intervals.setdefault(inspector, []).append(own)
                self.own[(s.id, inspector)] = own
            m.add(sum(chosen) == s.choose * present)
            self.team.append((main, s.choose))
        if s.same_inspectors_as:
            other_present = self.present.get(s.same_inspectors_as, self.true)
            for inspector in s.pool:
                other = self.assigned.get((s.same_inspectors_as, inspector))
                if other is not None:
                    m.add(self.assigned[(s.id, inspector)] == other).only_enforce_if(
                        [present, other_present]
                    )
        self._soft(s, start, length, present, intervals)

    def _interval(self, start: Any, length: int, present: Any, name: str) -> Any:
        if present is self.true:
            return self.m.new_fixed_size_interval_var(start, length, name)
        return self.m.new_optional_fixed_size_interval_var(start, length, present, name)

    def _soft(
        self, s: Session, start: Any, length: int, present: Any, intervals: dict[str, list[Any]]
    ) -> None:
        """Attendance the guidance makes soft: it costs, but the session goes ahead.

        An inspector away at some time of a team meeting's days attends if they can
        (para 122); a leader away at some time of a session's days attends, or their
        deputy does (para 128), or the meeting goes ahead without them.
        """
        m = self.m
        came = []
        for inspector in s.optional_inspectors:
            on = m.new_bool_var(f"t:{s.id}:{inspector}")
            m.add_implication(on, present)
            self.attends[(s.id, inspector)] = on
            came.append(on)
            iv = m.new_optional_fixed_size_interval_var(start, length, on, f"t:{s.id}:{inspector}")
            intervals.setdefault(inspector, []).append(iv)
            self.own[(s.id, inspector)] = iv
            self.team.append((iv, 1))
            self.costs.append((2, present - on, 1))  # missing the meeting: 2 units
        if s.optional_inspectors and not s.inspectors and not s.choose:
            m.add(sum(came) >= 1).only_enforce_if(present)  # someone of the team holds it
        for leader, deputy in s.represented:
            here = m.new_bool_var(f"l:{s.id}:{leader}")
            self.attends[(s.id, leader)] = here
            intervals.setdefault(leader, []).append(
                m.new_optional_fixed_size_interval_var(start, length, here, f"l:{s.id}:{leader}")
            )
            stand_in = None
            if deputy is not None:
                stand_in = m.new_bool_var(f"r:{s.id}:{deputy}")
                self.attends[(s.id, deputy)] = stand_in
                intervals.setdefault(deputy, []).append(
                    m.new_optional_fixed_size_interval_var(
                        start, length, stand_in, f"r:{s.id}:{deputy}"
                    )
                )
                m.add(here + stand_in <= present)
                self.costs.append((1, stand_in, 1))  # a deputy instead: 1 unit
            else:
                m.add(here <= present)
            # Nobody there for them: 2 units.
            self.costs.append((2, present - here - (stand_in if stand_in is not None else 0), 1))

    def attendee(self, s: Session, person: str) -> Any | None:
        return self.attends.get((s.id, person))

    def _busy(self, intervals: dict[str, list[Any]]) -> None:
        """Unavailability, as disjoint pieces: two entries for one person may overlap.

        Each piece (between consecutive entry boundaries) is present when any entry
        covering it holds, so each entry can still be relaxed on its own.
        """
        p = self.problem
        team = set(p.inspectors)
        spans: dict[tuple[str, int], list[tuple[int, int, Any]]] = {}
        for n, b in enumerate(p.busy):
            if b.date not in self.day_index or b.who not in intervals:
                continue
            base = self.day_index[b.date] * self.per_day
            low = base + max(0, b.start // p.slot)
            high = base + min(self.per_day, math.ceil(b.end / p.slot))
            if high > low:
                key = (b.who, self.day_index[b.date])
                spans.setdefault(key, []).append((low, high, self.lit(("busy", n))))
        for (who, day), entries in sorted(spans.items()):
            edges = sorted({x for low, high, _ in entries for x in (low, high)})
            for low, high in zip(edges, edges[1:], strict=False):
                covering = [lit for a, b, lit in entries if a <= low and high <= b]
                if not covering:
                    continue
                present = covering[0]
                if len(covering) > 1 and self.explain:
                    present = self.m.new_bool_var(f"busy:{who}:{day}:{low}")
                    self.m.add_max_equality(present, covering)
                piece = self._interval(low, high - low, present, f"busy:{who}:{low}")
                intervals[who].append(piece)
                if who in team:
                    self.team.append((piece, 1))

    def _review_and_slack(self, intervals: dict[str, list[Any]]) -> None:
        from ortools.util.python.sorted_interval_list import Domain

        p = self.problem
        for kind, minutes_ in (("review", p.review), ("slack", p.slack)):
            length = math.ceil(minutes_ / p.slot)
            if length <= 0:
                continue
            for inspector in p.inspectors:
                lit = self.lit((kind, inspector))
                for d in p.days:
                    if p.away_all_day(inspector, d):
                        continue
                    base = self.day_index[d] * self.per_day
                    low, high = base + self.open_slot, base + self.close_slot - length
                    if high < low:
                        high = low
                    start = self.m.new_int_var_from_domain(
                        Domain.from_intervals([[low, high]]), f"{kind}:{inspector}:{d}"
                    )
                    block = self._interval(start, length, lit, f"{kind}:{inspector}:{d}")
                    intervals.setdefault(inspector, []).append(block)
                    self.team.append((block, 1))
                    self.blocks.append((inspector, d, kind, start, length))

    def _travel(self) -> None:
        """In-person sessions at different venues, shared by a person, leave the travel time.

        Pairwise disjunctions grow with the square of the sessions, so most of
        the work is done by padding instead: each person has two extra
        no-overlap constraints over their in-person sessions, one with each
        session at a venue they visit once stretched by that venue's shortest
        travel time after it, one before it; sessions at a venue they visit
        more than once (the office) stay as they are, so meetings there can
        follow one another.  Pairs the padding cannot cover (two repeated
        venues, a listed travel time longer than the padding) get a
        disjunction of their own.
        """
        p = self.problem
        lit = self.lit(("travel",))
        venues = sorted({s.venue for s in p.sessions if s.in_person})
        pad = {
            v: min((p.travel_between(v, w) for w in venues if w != v), default=0) for v in venues
        }
        people: dict[str, list[Session]] = {}
        for s in p.sessions:
            if s.in_person:
                for person in dict.fromkeys(s.may_attend):
                    people.setdefault(person, []).append(s)
        pairs: set[tuple[str, str]] = set()
        for person in sorted(people):
            sessions = people[person]
            if len(sessions) < 2:
                continue
            counts: dict[str, int] = {}
            for s in sessions:
                counts[s.venue] = counts.get(s.venue, 0) + 1
            after, before = [], []
            for s in sessions:
                present = self._present(s, person, lit)
                length = self.length(s)
                gap = math.ceil(pad[s.venue] / p.slot) if counts[s.venue] == 1 else 0
                start = self.starts[s.id]
                after.append(
                    self.m.new_optional_fixed_size_interval_var(
                        start, length + gap, present, f"ta:{s.id}:{person}"
                    )
                )
                before.append(
                    self.m.new_optional_fixed_size_interval_var(
                        start - gap, length + gap, present, f"tb:{s.id}:{person}"
                    )
                )
            self.m.add_no_overlap(after)
            self.m.add_no_overlap(before)
            for i, s in enumerate(sessions):
                for t in sessions[i + 1 :]:
                    need = p.travel_between(s.venue, t.venue)
                    covered = max(
                        pad[s.venue] if counts[s.venue] == 1 else 0,
                        pad[t.venue] if counts[t.venue] == 1 else 0,
                    )
                    if need > covered and set(s.days) & set(t.days):
                        pairs.add((s.id, t.id) if s.id < t.id else (t.id, s.id))
        sessions_by_id = {s.id: s for s in p.sessions}
        for sid, tid in sorted(pairs):
            self._apart(sessions_by_id[sid], sessions_by_id[tid], lit)

    def _present(self, s: Session, person: str, lit: Any) -> Any:
        """A literal true when ``person`` attends ``s`` (and, explaining, travel applies)."""
        attends = self.attendee(s, person)
        assert attends is not None  # person was taken from the session's own lists
        if not self.explain:
            return attends
        both = self.m.new_bool_var(f"travel:{s.id}:{person}")
        self.m.add_bool_and([attends, lit]).only_enforce_if(both)
        self.m.add_bool_or([attends.Not(), lit.Not(), both])
        return both

    def _apart(self, s: Session, t: Session, lit: Any) -> None:
        """The pairwise form: s and t, when they share a person, are the travel time apart."""
        p = self.problem
        gap = math.ceil(p.travel_between(s.venue, t.venue) / p.slot)
        shared = sorted(set(s.may_attend) & set(t.may_attend))
        first = self.m.new_bool_var(f"before:{s.id}:{t.id}")
        for person in shared:
            a, b = self.attendee(s, person), self.attendee(t, person)
            if a is None or b is None:
                continue
            self.m.add(self.ends[s.id] + gap <= self.starts[t.id]).only_enforce_if(
                [first, a, b, lit]
            )
            self.m.add(self.ends[t.id] + gap <= self.starts[s.id]).only_enforce_if(
                [first.Not(), a, b, lit]
            )

    def _order(self) -> None:
        p = self.problem
        for s in p.sessions:
            for other in s.after:
                lit = self.lit(("after", s.id))
                self.m.add(self.starts[s.id] >= self.ends[other]).only_enforce_if(
                    [lit, self.present[s.id], self.present[other]]
                )
            if not s.concludes:
                continue
            # Nothing else that day after it: each other session ends before it
            # starts, or starts on a later day.
            lit = self.lit(("after", s.id))
            next_day = (self.day_index[max(s.days)] + 1) * self.per_day
            for t in p.sessions:
                if t.id == s.id or not min(s.days) <= max(t.days) or max(s.days) < min(t.days):
                    continue
                later = self.m.new_bool_var(f"later:{t.id}:{s.id}")
                both = [lit, self.present[s.id], self.present[t.id]]
                self.m.add(self.ends[t.id] <= self.starts[s.id]).only_enforce_if(
                    [later.Not(), *both]
                )
                self.m.add(self.starts[t.id] >= next_day).only_enforce_if([later, *both])

    def _symmetry(self) -> None:
        """Interchangeable inspectors take the work in team order (symmetry breaking).

        Inspectors named by no session, never unavailable and deputising for
        nobody differ only by name: any timetable can be relabelled so that each
        has at least as many minutes as the next, so only those are searched.
        """
        p = self.problem
        named = {x for s in p.sessions for x in s.inspectors + s.people + s.optional_inspectors}
        named |= {x for s in p.sessions for pair in s.represented for x in pair if x}
        named |= {b.who for b in p.busy}
        free = [i for i in p.inspectors if i not in named]
        pooled = [s for s in p.sessions if s.choose]
        if len(free) < 2 or not pooled or any(not set(free) <= set(s.pool) for s in pooled):
            return
        for a, b in zip(free, free[1:], strict=False):
            self.m.add(
                sum(self.length(s) * self.assigned[(s.id, a)] for s in pooled)
                >= sum(self.length(s) * self.assigned[(s.id, b)] for s in pooled)
            )

    def _objective(self) -> None:
        """Minimise, each level outweighing every level below it together:
        preferences < moves (re-planning) < soft attendance < sessions left out
        (sampling visits and extra meetings, then tracking meetings, then the
        guidance's fixed meetings)."""
        levels: list[list[tuple[int, Any, int]]] = [
            self.prefs,
            [(1, lit, 1) for lit in self.moved],
            self.costs,
        ]
        if self.optional:
            for priority in (3, 2, 1):
                levels.append(
                    [
                        (1, 1 - self.present[s.id], 1)
                        for s in self.problem.sessions
                        if s.priority == priority
                    ]
                )
        unit = 1
        terms = []
        for level in levels:
            terms += [(w * unit, e) for w, e, _ in level]
            unit *= sum(w * bound for w, _, bound in level) + 1
        if terms:
            self.m.minimize(sum(w * e for w, e in terms))

    def _hint(self, placements: Sequence[Placement]) -> None:
        """Start from a known timetable (the Python placement): a complete hint."""
        by_id = {pl.session.id: pl for pl in placements}
        for s in self.problem.sessions:
            pl = by_id.get(s.id)
            if self.optional:
                self.m.add_hint(self.present[s.id], int(pl is not None))
            if pl is None:
                continue
            slot = self.day_index[pl.date] * self.per_day + pl.start // self.problem.slot
            self.m.add_hint(self.starts[s.id], slot)
            for person in s.may_attend:
                lit = self.attends.get((s.id, person))
                if lit is not None and lit is not self.true and lit is not self.present[s.id]:
                    self.m.add_hint(lit, int(person in pl.people))

    def _spread(self) -> None:
        """Hints that spread sessions over their windows and the team.

        Left alone, the search puts every session on its window's first day;
        the hints ask it to try a round-robin first (still only hints: every
        constraint holds either way).
        """
        p = self.problem
        seen: dict[tuple[dt.date, ...], int] = {}
        turn = 0
        for s in p.sessions:
            k = seen.get(s.days, 0)
            seen[s.days] = k + 1
            if len(s.days) > 1:
                day = s.days[k % len(s.days)]
                self.m.add_hint(
                    self.starts[s.id], self.day_index[day] * self.per_day + self.open_slot
                )
            for n, inspector in enumerate(s.pool):
                chosen = (n - turn) % len(s.pool) < s.choose
                self.m.add_hint(self.assigned[(s.id, inspector)], int(chosen))
            if s.choose and not s.same_inspectors_as:
                turn += 1

    def _stay(self, previous: Mapping[str, Booked], free: set[str] | None) -> None:
        """Re-planning: every saved session stays unless its "moved" literal is set.

        With ``free``, only those sessions may move at all.
        """
        p = self.problem
        moved_lits = []
        for s in p.sessions:
            booked = previous.get(s.id)
            if booked is None or booked.date not in self.day_index:
                continue
            slot = self.day_index[booked.date] * self.per_day + booked.start // p.slot
            moved = self.m.new_bool_var(f"moved:{s.id}")
            if free is not None and s.id not in free:
                self.m.add(moved == 0)
            moved_lits.append(moved)
            self.m.add(self.starts[s.id] == slot).only_enforce_if(moved.Not())
            self.m.add_hint(self.starts[s.id], slot)
            # Who attends stays too: the inspectors chosen, and where attendance is
            # soft (paras 122, 128), who came.
            for person in dict.fromkeys(s.may_attend):
                present = self.attends.get((s.id, person))
                if present is None or person in s.inspectors + s.people:
                    continue
                was = person in booked.people
                self.m.add(present == int(was)).only_enforce_if(moved.Not())
                self.m.add_hint(present, int(was))
        self.moved = moved_lits

    def run(
        self,
        budget: Budget,
        cap: float,
        assumptions: Sequence[Any] = (),
        strategy: str = "default",
    ) -> tuple[Any, Any]:
        """One solve within the budget: at most ``cap`` deterministic seconds of what is left.

        One thread, a fixed seed and a deterministic time limit, so the result
        depends on the model alone, not on the machine's load (CP-SAT's
        interleaved portfolio was tried: its result changed from one process to
        the next under load).  The strategies run in turn, one call each:
        "fixed" follows the hints (the spread, the Python placement, the saved
        timetable) and is fastest when they are nearly right; "default" is
        CP-SAT's own search.  The wall-clock limit is the budget's safety stop.
        """
        cp_model = sat()

        deterministic, wall = budget.share(cap)
        solver = cp_model.CpSolver()
        solver.parameters.max_deterministic_time = max(deterministic, 0.001)
        solver.parameters.max_time_in_seconds = max(wall, 0.001)
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = 0
        if strategy == "fixed":
            solver.parameters.search_branching = cp_model.FIXED_SEARCH
        self.m.clear_assumptions()
        if assumptions:
            self.m.add_assumptions(assumptions)
        status = solver.solve(self.m)
        finished = status in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
        # Unfinished before its deterministic limit: only the wall clock stops it so.
        hit_wall = not finished and solver.deterministic_time < 0.95 * deterministic
        budget.spent(solver.deterministic_time, hit_wall)
        return status, solver

    def read(self, solver: cp_model.CpSolver) -> tuple[tuple[Placement, ...], tuple[Block, ...]]:
        p = self.problem
        placements = []
        for s in p.sessions:
            if self.optional and not solver.boolean_value(self.present[s.id]):
                continue
            value = solver.value(self.starts[s.id])
            day, slot = divmod(value, self.per_day)
            came = tuple(
                i
                for i in p.inspectors
                if (lit := self.attends.get((s.id, i))) is not None and solver.boolean_value(lit)
            )
            people = None
            if s.represented:
                people = s.attending(
                    {
                        x
                        for x in s.may_attend
                        if (lit := self.attends.get((s.id, x))) is not None
                        and solver.boolean_value(lit)
                    }
                )
            start = slot * p.slot
            placements.append(Placement(s, p.days[day], start, start + s.length, came, people))
        blocks = []
        for inspector, d, kind, start_var, length in self.blocks:
            start = (solver.value(start_var) % self.per_day) * p.slot
            blocks.append(Block(inspector, d, start, start + length * p.slot, kind))
        placements.sort(key=Placement.key)
        return tuple(placements), tuple(blocks)
