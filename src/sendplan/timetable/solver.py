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

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sendplan.dates import date_text
from sendplan.timetable.model import Busy, Problem, Session, hhmm

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

#: Seconds the solver may take before giving up (the realistic week takes well under 1).
TIME_LIMIT = 20.0
#: Conflicts explained (and their sessions left out) before the rest is placed.
MAX_CONFLICTS = 5


@dataclass(frozen=True)
class Placement:
    session: Session
    date: dt.date
    start: int
    end: int
    inspectors: tuple[str, ...]

    @property
    def people(self) -> tuple[str, ...]:
        return self.inspectors + self.session.people

    def key(self) -> tuple[dt.date, int, str]:
        return (self.date, self.start, self.session.id)


@dataclass(frozen=True)
class Block:
    """An inspector's review time or slack on one day."""

    who: str
    date: dt.date
    start: int
    end: int
    kind: str  # "review" or "slack"


@dataclass(frozen=True)
class Booked:
    """A session as a saved timetable has it (for re-planning and checks)."""

    id: str
    title: str
    date: dt.date
    start: int
    end: int
    people: tuple[str, ...]
    venue: str
    mode: str


@dataclass(frozen=True)
class Move:
    """A session that moved (or changed inspectors, or appeared, or went) in a re-plan."""

    id: str
    title: str
    before: Booked | None
    after: Placement | None
    tell: tuple[str, ...]


@dataclass(frozen=True)
class Timetable:
    problem: Problem
    placements: tuple[Placement, ...] = ()
    blocks: tuple[Block, ...] = ()
    unplaced: tuple[Session, ...] = ()
    conflict: tuple[str, ...] = ()
    moves: tuple[Move, ...] = ()
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0
    replanned: bool = False

    @property
    def complete(self) -> bool:
        return not self.unplaced and not self.conflict

    def placement(self, session_id: str) -> Placement | None:
        return next((p for p in self.placements if p.session.id == session_id), None)


def solve(
    problem: Problem,
    previous: Mapping[str, Booked] | None = None,
    time_limit: float = TIME_LIMIT,
) -> Timetable:
    """The timetable, or the smallest set of constraints that cannot all hold."""
    import time

    from ortools.sat.python import cp_model

    began = time.perf_counter()
    status = cp_model.UNKNOWN
    if previous is not None:
        # First try moving only the sessions that no longer fit on their own (a lower
        # bound on any re-plan): when that works it is the fewest moves, found fast.
        free = must_move(problem, previous)
        model = _Model(problem, explain=False, previous=previous, free=free)
        status, solver = model.run(time_limit)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            # Then also those sharing someone with them: they may need to make room.
            wider = free | _neighbours(problem, previous, free)
            model = _Model(problem, explain=False, previous=previous, free=wider)
            status, solver = model.run(time_limit / 2)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        model = _Model(problem, explain=False, previous=previous)
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
    for _ in range(MAX_CONFLICTS):
        found, sessions = explain(rest, time_limit)
        lines += found
        unplaced += sessions
        if not sessions:
            break
        rest = _without(rest, {x.id for x in sessions})
        model = _Model(rest, explain=False, previous=previous)
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


def explain(problem: Problem, time_limit: float = TIME_LIMIT) -> tuple[list[str], list[Session]]:
    """A minimal set of constraints that cannot all hold, in words, and the sessions in it."""
    from ortools.sat.python import cp_model

    model = _Model(problem, explain=True)
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


# ------------------------------------------------------------------ the model
class _Model:
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
        low = max(problem.day_start, s.earliest or 0)
        high = min(problem.day_end, s.latest_end or 24 * 60)
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


# ------------------------------------------------------------------ words
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
        start = max(problem.day_start, s.earliest or 0)
        end = min(problem.day_end, s.latest_end or 24 * 60)
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
