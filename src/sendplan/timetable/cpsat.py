"""The CP-SAT model of a timetable (OR-Tools, imported only when a model is built).

Times are slots of ``problem.slot`` minutes on one line through the days
(``day index * slots per day + slot of the day``); see :mod:`.solver` for
what the model holds.  In ``explain`` mode each relaxable constraint sits
behind an assumption literal (:attr:`CpModel.reasons`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sendplan.timetable.model import Problem, Session
from sendplan.timetable.results import Block, Booked, Placement

if TYPE_CHECKING:
    from ortools.sat.python import cp_model


class CpModel:
    def __init__(
        self,
        problem: Problem,
        *,
        explain: bool,
        previous: Mapping[str, Booked] | None = None,
        free: set[str] | None = None,
    ) -> None:
        from ortools.sat.python import cp_model

        self.problem = problem
        self.explain = explain
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
        self.assigned: dict[tuple[str, str], Any] = {}
        self.blocks: list[tuple[str, dt.date, str, Any, int]] = []
        intervals: dict[str, list[Any]] = {}
        for s in p.sessions:
            self._session(s, intervals)
        self._busy(intervals)
        self._review_and_slack(intervals)
        for intervals_of_one in intervals.values():
            if len(intervals_of_one) > 1:
                self.m.add_no_overlap(intervals_of_one)
        self._travel()
        self._order()
        if previous is not None:
            self._stay(previous, free)
        elif not explain:
            self._spread()

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

    def _length(self, s: Session) -> int:
        return math.ceil(s.length / self.problem.slot)

    def _domain(self, s: Session, days: Sequence[dt.date], hours: bool) -> list[list[int]]:
        length = self._length(s)
        low, high = self.open_slot, self.close_slot
        if hours and s.earliest is not None:
            low = max(low, math.ceil(s.earliest / self.problem.slot))
        if hours and s.latest_end is not None:
            high = min(high, s.latest_end // self.problem.slot)
        out = []
        for d in days:
            base = self.day_index[d] * self.per_day
            if high - length >= low:
                out.append([base + low, base + high - length])
        return out

    def _session(self, s: Session, intervals: dict[str, list[Any]]) -> None:
        from ortools.util.python.sorted_interval_list import Domain

        m = self.m
        window = self._domain(s, s.days, hours=True)
        if self.explain:
            everywhere = self._domain(s, self.problem.days, hours=False)
            start = m.new_int_var_from_domain(Domain.from_intervals(everywhere), s.id)
            m.add_linear_expression_in_domain(
                start, Domain.from_intervals(window) if window else Domain.from_values([])
            ).only_enforce_if(self.lit(("window", s.id)))
        else:
            if not window:
                start = m.new_int_var_from_domain(Domain.from_values([]), s.id)
            else:
                start = m.new_int_var_from_domain(Domain.from_intervals(window), s.id)
        length = self._length(s)
        end = start + length
        self.starts[s.id] = start
        self.ends[s.id] = end
        main = m.new_fixed_size_interval_var(start, length, f"i:{s.id}")
        for person in s.inspectors + s.people:
            intervals.setdefault(person, []).append(main)
        if s.choose:
            chosen = []
            for inspector in s.pool:
                present = m.new_bool_var(f"a:{s.id}:{inspector}")
                self.assigned[(s.id, inspector)] = present
                chosen.append(present)
                optional = m.new_optional_fixed_size_interval_var(
                    start, length, present, f"o:{s.id}:{inspector}"
                )
                intervals.setdefault(inspector, []).append(optional)
            m.add(sum(chosen) == s.choose)
        if s.same_inspectors_as:
            for inspector in s.pool:
                other = self.assigned.get((s.same_inspectors_as, inspector))
                if other is not None:
                    m.add(self.assigned[(s.id, inspector)] == other)

    def _attends(self, s: Session, person: str) -> Any | None:
        if person in s.inspectors or person in s.people:
            return self.true
        return self.assigned.get((s.id, person))

    def _busy(self, intervals: dict[str, list[Any]]) -> None:
        """Unavailability, as disjoint pieces: two entries for one person may overlap.

        Each piece (between consecutive entry boundaries) is present when any entry
        covering it holds, so each entry can still be relaxed on its own.
        """
        p = self.problem
        spans: dict[tuple[str, int], list[tuple[int, int, Any]]] = {}
        for b in p.busy:
            if b.date not in self.day_index or b.who not in intervals:
                continue
            base = self.day_index[b.date] * self.per_day
            low = base + max(0, b.start // p.slot)
            high = base + min(self.per_day, math.ceil(b.end / p.slot))
            if high > low:
                key = (b.who, self.day_index[b.date])
                spans.setdefault(key, []).append((low, high, self.lit(("busy", b.index))))
        for (who, day), entries in spans.items():
            edges = sorted({x for low, high, _ in entries for x in (low, high)})
            for low, high in zip(edges, edges[1:], strict=False):
                covering = [lit for a, b, lit in entries if a <= low and high <= b]
                if not covering:
                    continue
                present = covering[0]
                if len(covering) > 1 and self.explain:
                    present = self.m.new_bool_var(f"busy:{who}:{day}:{low}")
                    self.m.add_max_equality(present, covering)
                intervals[who].append(
                    self.m.new_optional_fixed_size_interval_var(
                        low, high - low, present, f"busy:{who}:{low}"
                    )
                )

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
                    block = self.m.new_optional_fixed_size_interval_var(
                        start, length, lit, f"{kind}:{inspector}:{d}"
                    )
                    intervals.setdefault(inspector, []).append(block)
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
        venues = {s.venue for s in p.sessions if s.in_person}
        pad = {
            v: min((p.travel_between(v, w) for w in venues if w != v), default=0) for v in venues
        }
        people: dict[str, list[Session]] = {}
        for s in p.sessions:
            if s.in_person:
                for person in s.inspectors + s.people + s.pool:
                    people.setdefault(person, []).append(s)
        pairs: set[tuple[str, str]] = set()
        for person, sessions in people.items():
            if len(sessions) < 2:
                continue
            counts: dict[str, int] = {}
            for s in sessions:
                counts[s.venue] = counts.get(s.venue, 0) + 1
            after, before = [], []
            for s in sessions:
                present = self._present(s, person, lit)
                length = self._length(s)
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
        attends = self._attends(s, person)
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
        shared = set(s.inspectors + s.people + s.pool) & set(t.inspectors + t.people + t.pool)
        first = self.m.new_bool_var(f"before:{s.id}:{t.id}")
        for person in sorted(shared):
            a, b = self._attends(s, person), self._attends(t, person)
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
                self.m.add(self.starts[s.id] >= self.ends[other]).only_enforce_if(lit)
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
                self.m.add(self.ends[t.id] <= self.starts[s.id]).only_enforce_if([later.Not(), lit])
                self.m.add(self.starts[t.id] >= next_day).only_enforce_if([later, lit])

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
            for inspector in s.pool:
                present = self.assigned[(s.id, inspector)]
                was = inspector in booked.people
                self.m.add(present == int(was)).only_enforce_if(moved.Not())
                self.m.add_hint(present, int(was))
        if moved_lits:
            self.m.minimize(sum(moved_lits))

    def run(self, time_limit: float, assumptions: Sequence[Any] = ()) -> tuple[Any, Any]:
        from ortools.sat.python import cp_model

        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = time_limit
        # One worker and a fixed seed: the same case gives the same timetable.
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = 0
        if not self.explain:
            # Search from the hints first (spread sessions, or the saved timetable when
            # re-planning): on 200 sessions, 3 s instead of a minute.
            solver.parameters.search_branching = cp_model.HINT_SEARCH
        self.m.clear_assumptions()
        if assumptions:
            self.m.add_assumptions(assumptions)
        status = solver.solve(self.m)
        return status, solver

    def read(self, solver: cp_model.CpSolver) -> tuple[tuple[Placement, ...], tuple[Block, ...]]:
        p = self.problem
        placements = []
        for s in p.sessions:
            value = solver.value(self.starts[s.id])
            day, slot = divmod(value, self.per_day)
            chosen = tuple(i for i in s.pool if solver.boolean_value(self.assigned[(s.id, i)]))
            start = slot * p.slot
            placements.append(
                Placement(s, p.days[day], start, start + s.length, s.inspectors + chosen)
            )
        blocks = []
        for inspector, d, kind, start_var, length in self.blocks:
            start = (solver.value(start_var) % self.per_day) * p.slot
            blocks.append(Block(inspector, d, start, start + length * p.slot, kind))
        placements.sort(key=Placement.key)
        return tuple(placements), tuple(blocks)
