"""Placing sessions one at a time, in plain Python: the solver's safety net.

A :class:`Board` is a partial timetable that knows, for each person and day,
what they are booked for, and whether one more session fits there under the
same rules as the CP-SAT model (:mod:`.cpsat`): nobody in two places; in-person
sessions at different venues the travel time apart; each inspector's review
time and slack still fit that day (para 96); windows, hours, "after", the
concluding session and "the same inspector as".  It is used

* to build a first timetable that the solver starts from (a complete hint), so
  the solver's answer is never worse than placing sessions in priority order;
* as the answer itself if the solver finds nothing in its budget (never an
  empty timetable because of a timeout);
* to add sessions the solver left out when they still fit, and to say in
  words why the rest do not.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from datetime import date

from sendplan.timetable.model import Problem, Session
from sendplan.timetable.results import Block, Placement

#: A booked stretch of someone's day: start, end (minutes), venue (None: unavailable).
Entry = tuple[int, int, str | None]


_UNAVAILABLE: dict[int, tuple[Problem, dict[tuple[str, date], list[Entry]]]] = {}


def _unavailable(problem: Problem) -> dict[tuple[str, date], list[Entry]]:
    """Everyone's unavailability in whole slots, by person and day (worked out once per
    problem: a case may list thousands of entries, and every board starts from them)."""
    found = _UNAVAILABLE.get(id(problem))
    if found is not None and found[0] is problem:
        return found[1]
    slot = problem.slot
    days = set(problem.days)
    entries: dict[tuple[str, date], list[Entry]] = {}
    for b in problem.busy:
        if b.date in days:
            low = max(0, b.start // slot * slot)
            high = min(24 * 60, math.ceil(b.end / slot) * slot)
            if high > low:
                entries.setdefault((b.who, b.date), []).append((low, high, None))
    _UNAVAILABLE.clear()  # one problem at a time: no growth over a long process
    _UNAVAILABLE[id(problem)] = (problem, entries)
    return entries


class Board:
    def __init__(self, problem: Problem, placements: Sequence[Placement] = ()) -> None:
        self.p = problem
        slot = problem.slot
        self.open = math.ceil(problem.day_start / slot) * slot
        self.close = problem.day_end // slot * slot
        self.day_index = {d: i for i, d in enumerate(problem.days)}
        self.entries = {key: list(value) for key, value in _unavailable(problem).items()}
        self.placed: dict[str, Placement] = {}
        self.load: dict[str, int] = {}
        self.sessions = {s.id: s for s in problem.sessions}
        self.followers: dict[str, list[str]] = {}
        self.same: dict[str, list[str]] = {}
        for s in problem.sessions:
            for o in s.after:
                self.followers.setdefault(o, []).append(s.id)
            if s.same_inspectors_as:
                self.same.setdefault(s.same_inspectors_as, []).append(s.id)
        self.concluding = [s for s in problem.sessions if s.concludes]
        self.by_day: dict[date, list[Placement]] = {}
        self._lengths: dict[str, int] = {}
        for pl in placements:
            self.add(pl)

    # ---------------------------------------------------------------- booking
    def length(self, s: Session) -> int:
        found = self._lengths.get(s.id)
        if found is None:
            found = self._lengths[s.id] = math.ceil(s.length / self.p.slot) * self.p.slot
        return found

    def add(self, pl: Placement) -> None:
        s = pl.session
        end = pl.start + self.length(s)
        venue = s.venue if s.in_person else ""
        for person in pl.people:
            self.entries.setdefault((person, pl.date), []).append((pl.start, end, venue))
        for i in pl.inspectors:
            self.load[i] = self.load.get(i, 0) + s.length
        self.placed[s.id] = pl
        self.by_day.setdefault(pl.date, []).append(pl)

    # ---------------------------------------------------------------- checks
    def starts(self, s: Session, day: date) -> range:
        slot = self.p.slot
        low = self.open
        high = self.close
        if s.earliest is not None:
            low = max(low, math.ceil(s.earliest / slot) * slot)
        if s.latest_end is not None:
            high = min(high, s.latest_end // slot * slot)
        return range(low, high - self.length(s) + 1, slot)

    def person_free(self, s: Session, person: str, day: date, start: int) -> str | None:
        """None when ``person`` can be at ``s`` then, else what stops them."""
        end = start + self.length(s)
        for low, high, venue in self.entries.get((person, day), ()):
            if low < end and start < high:
                return "busy" if venue is not None else "unavailable"
            if s.in_person and venue and venue != s.venue:
                gap = start - high if high <= start else low - end
                if gap < self.p.travel_between(venue, s.venue):
                    return "travel"
        if (
            person in self.p.inspectors
            and not self.p.away_all_day(person, day)
            and not self._keeps_free_time(person, day, start, end)
        ):
            return "review"
        return None

    def _keeps_free_time(self, person: str, day: date, start: int, end: int) -> bool:
        """Review time (one stretch) and slack (another, or the same) still fit (para 96)."""
        slot = self.p.slot
        review = math.ceil(self.p.review / slot) * slot
        slack = math.ceil(self.p.slack / slot) * slot
        taken = sorted(
            [*((lo, hi) for lo, hi, _ in self.entries.get((person, day), ())), (start, end)]
        )
        runs = []
        edge = self.open
        for low, high in taken:
            if low > edge:
                runs.append(min(low, self.close) - edge)
            edge = max(edge, high)
        if self.close > edge:
            runs.append(self.close - edge)
        runs.sort(reverse=True)
        if not runs:
            return review + slack == 0
        if runs[0] >= review + slack:
            return True
        return len(runs) > 1 and (
            (runs[0] >= review and runs[1] >= slack) or (runs[0] >= slack and runs[1] >= review)
        )

    def order_ok(self, s: Session, day: date, start: int) -> bool:
        """ "After" links and the concluding session, against what is placed."""
        at = self.day_index[day]
        here = (at, start)
        end = (at, start + self.length(s))
        for o in s.after:
            pl = self.placed.get(o)
            if (
                pl is not None
                and (self.day_index[pl.date], pl.start + self.length(pl.session)) > here
            ):
                return False
        for f in self.followers.get(s.id, ()):
            pl = self.placed.get(f)
            if pl is not None and end > (self.day_index[pl.date], pl.start):
                return False
        if s.concludes:
            # Nothing else after it from its day to its window's last day (para 132).
            last = self.day_index[max(s.days)]
            for d in self.p.days[at : last + 1]:
                for pl in self.by_day.get(d, ()):
                    if pl.session.id != s.id and (
                        d != day or pl.start + self.length(pl.session) > start
                    ):
                        return False
        for c in self.concluding:
            pl = self.placed.get(c.id)
            if pl is not None and c.id != s.id and pl.date == day and end[1] > pl.start:
                return False
        return True

    def attend(
        self, s: Session, day: date, start: int
    ) -> tuple[tuple[str, ...], tuple[str, ...]] | str:
        """The inspectors and other people who would attend ``s`` then, or why nobody can."""
        for person in s.inspectors + s.people:
            why = self.person_free(s, person, day, start)
            if why is not None:
                return why
        chosen: tuple[str, ...] = ()
        if s.choose:
            fixed = self._same_as(s)
            if fixed is not None:
                pool = [i for i in s.pool if i in fixed]
            else:
                pool = sorted(s.pool, key=lambda i: (self.load.get(i, 0), s.pool.index(i)))
            free = [i for i in pool if self.person_free(s, i, day, start) is None]
            if len(free) < s.choose or (fixed is not None and len(free) < len(fixed)):
                return "no_inspector"
            chosen = tuple(sorted(free[: s.choose], key=s.pool.index))
        optional = tuple(
            i for i in s.optional_inspectors if self.person_free(s, i, day, start) is None
        )
        if s.optional_inspectors and not (s.inspectors or chosen or optional):
            return "no_inspector"
        present = set(s.people)
        for leader, deputy in s.represented:
            if self.person_free(s, leader, day, start) is None:
                present.add(leader)
            elif deputy is not None and self.person_free(s, deputy, day, start) is None:
                present.add(deputy)
        inspectors = tuple(i for i in self.p.inspectors if i in s.inspectors + chosen + optional)
        return inspectors, s.attending(present)

    def _same_as(self, s: Session) -> tuple[str, ...] | None:
        """The pool inspectors a linked session already has ("the same inspector as")."""
        for other in (s.same_inspectors_as, *self.same.get(s.id, ())):
            pl = self.placed.get(other) if other else None
            if pl is not None:
                return tuple(i for i in pl.inspectors if i in s.pool)
        return None

    # ---------------------------------------------------------------- placing
    def candidates(self, s: Session) -> Iterator[tuple[date, int]]:
        """Days least booked first (spreading the week), each from the start of its hours."""
        booked = {d: 0 for d in s.days}
        for pl in self.placed.values():
            if pl.date in booked:
                booked[pl.date] += pl.session.length * max(1, len(pl.inspectors))
        for day in sorted(s.days, key=lambda d: (booked[d], self.day_index.get(d, 0))):
            if day not in self.day_index:
                continue
            for start in self.starts(s, day):
                yield day, start

    def place(self, s: Session) -> Placement | None:
        for day, start in self.candidates(s):
            if not self.order_ok(s, day, start):
                continue
            found = self.attend(s, day, start)
            if isinstance(found, str):
                continue
            inspectors, people = found
            pl = Placement(
                s,
                day,
                start,
                start + s.length,
                inspectors,
                people if s.represented else None,
            )
            self.add(pl)
            return pl
        return None

    def why_not(self, s: Session) -> set[str]:
        """What stops ``s`` at each time it could start (for the reason in words)."""
        found: set[str] = set()
        any_time = False
        for day, start in self.candidates(s):
            any_time = True
            if not self.order_ok(s, day, start):
                found.add("order")
                continue
            result = self.attend(s, day, start)
            if isinstance(result, str):
                found.add(result)
        if not any_time:
            found.add("window")
        return found


def place_in_order(
    problem: Problem, placements: Sequence[Placement] = (), shuffle: random.Random | None = None
) -> Board:
    """A board with ``placements``, then every other session that fits, in priority order
    (the tightest windows first; with ``shuffle``, in a shuffled order within each priority)."""
    board = Board(problem, placements)
    index = {s.id: n for n, s in enumerate(problem.sessions)}
    order = [s for s in problem.sessions if s.id not in board.placed]
    if shuffle is None:
        order.sort(key=lambda s: (s.priority, len(s.days), index[s.id]))
    else:
        keys = {s.id: shuffle.random() for s in order}
        order.sort(key=lambda s: (s.priority, keys[s.id]))
    for s in order:
        board.place(s)
    return board


#: Orders tried by :func:`best_placement` (each a few milliseconds).
TRIES = 12


def score(placements: Sequence[Placement] | dict[str, Placement]) -> tuple[int, ...]:
    """Sessions placed by priority, the guidance's fixed meetings first (higher is better)."""
    values = placements.values() if isinstance(placements, dict) else placements
    count = [0, 0, 0]
    for pl in values:
        count[min(pl.session.priority, 3) - 1] += 1
    return tuple(count)


def best_placement(problem: Problem) -> list[Placement]:
    """The best of :data:`TRIES` placements in priority order (a fixed seed: the same case,
    the same answer), stopping at the first that places everything."""
    shuffle = random.Random(0)
    best = place_in_order(problem)
    for _ in range(TRIES):
        if len(best.placed) == len(problem.sessions):
            break
        board = place_in_order(problem, shuffle=shuffle)
        if score(board.placed) > score(best.placed):
            best = board
    return list(best.placed.values())


def free_time_blocks(problem: Problem, placements: Sequence[Placement]) -> tuple[Block, ...]:
    """Each inspector's review time and slack on each day, in the time left free.

    Review in the longest free stretch (the earliest of equals), slack in what
    then remains longest: the blocks the timetable shows (para 96).
    """
    board = Board(problem, placements)
    slot = problem.slot
    out = []
    for inspector in problem.inspectors:
        for day in problem.days:
            if problem.away_all_day(inspector, day):
                continue
            taken = sorted((lo, hi) for lo, hi, _ in board.entries.get((inspector, day), ()))
            for kind, minutes in (("review", problem.review), ("slack", problem.slack)):
                length = math.ceil(minutes / slot) * slot
                if length <= 0:
                    continue
                runs = _runs(taken, board.open, board.close)
                fitting = [(high - low, -low, low) for low, high in runs if high - low >= length]
                if not fitting:
                    continue
                low = max(fitting)[2]
                taken = sorted([*taken, (low, low + length)])
                out.append(Block(inspector, day, low, low + length, kind))
    return tuple(out)


def _runs(taken: Sequence[tuple[int, int]], open_: int, close: int) -> list[tuple[int, int]]:
    runs = []
    edge = open_
    for low, high in taken:
        if low > edge:
            runs.append((edge, min(low, close)))
        edge = max(edge, high)
    if close > edge:
        runs.append((edge, close))
    return [r for r in runs if r[1] > r[0]]
