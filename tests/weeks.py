"""A generator of realistic inspection weeks for `sendplan timetable` (issue 19).

:func:`random_week` draws a full inspection as LANOs meet them: 2-5 inspectors,
0-25 providers of every kind (education, health, care), 0-12 tracked children,
0-4 absences of inspectors, leaders and providers (part days, whole days in
``[[timetable.unavailable]]``, runs of days in ``[[absences]]``), bank holidays
in week 2 or on site, deputies, extra meetings, shorter visits.

:func:`feasible_week` draws the placement first, then the case: a random
timetable is built session by session, each checked by :class:`Witness` (the
rules written again here from handbook para 96 and the activities, not taken
from the solver); what does not fit is left out of the case (a provider, a
child, an extra meeting), and absences are added only where the placement
leaves room.  Such a week has a known complete timetable, so the solver must
place it in full.

Used by tests/test_timetable_properties.py (hypothesis draws the ``Random``)
and by benchmarks/timetable.py (a seeded ``Random``).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sendplan.calendar import england_bank_holidays
from sendplan.case import parse_case
from sendplan.schedule import build_schedule
from sendplan.timetable.model import Problem, Session, build_problem

LEADERS = ("dcs", "lano", "icb_representative", "pcf_contact")
KINDS = ("education", "health", "care")
#: Mondays near a bank holiday (week 2 or the on-site week holds one), and ordinary ones.
NEAR_HOLIDAYS = (
    date(2025, 5, 12), date(2025, 5, 27), date(2025, 6, 2), date(2025, 9, 1),
    date(2026, 4, 13), date(2026, 4, 20), date(2026, 5, 11), date(2026, 6, 1),
    date(2026, 1, 5), date(2027, 1, 4), date(2025, 12, 29),
)  # fmt: skip


@dataclass
class Week:
    """A case file's text; with a witness, a complete timetable known to fit it."""

    text: str
    label: str
    witness: dict[str, tuple[date, int, tuple[str, ...]]] | None = None
    counts: dict[str, int] = field(default_factory=dict)


def _working(day: date, holidays: dict[date, str]) -> bool:
    return day.weekday() < 5 and day not in holidays


def _on_site_start(rnd: random.Random) -> date:
    holidays = england_bank_holidays()
    if rnd.random() < 0.5:
        day = rnd.choice(NEAR_HOLIDAYS) + timedelta(days=rnd.choice((0, 0, 1, 2)))
    else:
        day = date(2025, 1, 6) + timedelta(days=rnd.randrange(0, 2 * 365))
    while not _working(day, holidays):
        day += timedelta(days=1)
    return day


@dataclass
class Draft:
    """What a case holds before it is written: people, providers, children, extras."""

    start: date
    inspectors: int
    providers: list[tuple[str, str]]
    children: list[str]
    extras: list[dict[str, Any]]
    deputies: dict[str, str]
    visit_minutes: int | None
    unavailable: list[dict[str, Any]] = field(default_factory=list)
    absences: list[dict[str, Any]] = field(default_factory=list)

    def text(self) -> str:
        out = [
            "[inspection]",
            'kind = "full"',
            'local_area = "Generated"',
            f"on_site_start = {self.start.isoformat()}",
            "",
        ]
        names = {
            "dcs": "Alex Morgan",
            "lano": "Sam Taylor",
            "icb_representative": "Jordan Lee",
            "pcf_contact": "Chris Evans",
            "lead_inspector": "Robin Clarke",
            "cqc_inspector": "Dana Okafor",
        }
        for role, name in names.items():
            out += [f"[people.{role}]", f'name = "{name}"']
            if role in self.deputies:
                out.append(f'deputy = "{self.deputies[role]}"')
            out.append("")
        for n in range(3, self.inspectors + 1):
            out += ["[[people.other]]", f'name = "Inspector {n}"', 'role = "Team inspector"', ""]
        for n in range(1, 5):
            out += ["[[people.other]]", f'name = "Officer {n}"', 'role = "Officer"', ""]
        if self.children:
            out += [
                "[tracking]",
                "selected = [" + ", ".join(f'"{c}"' for c in self.children) + "]",
                "",
            ]
        for name, kind in self.providers:
            out += ["[[providers]]", f'name = "{name}"', f'type = "{kind}"', ""]
        out.append("[timetable]")
        team = [f'"Inspector {n}"' for n in range(3, self.inspectors + 1)]
        out.append(f"inspectors = [{', '.join(team)}]")
        if self.visit_minutes:
            out += ["[timetable.lengths]", f"sampling_visit = {self.visit_minutes}"]
        out.append("")
        for extra in self.extras:
            out.append("[[timetable.sessions]]")
            out += [f"{k} = {_toml(v)}" for k, v in extra.items()]
            out.append("")
        for entry in self.unavailable:
            out.append("[[timetable.unavailable]]")
            out += [f"{k} = {_toml(v)}" for k, v in entry.items()]
            out.append("")
        for entry in self.absences:
            out.append("[[absences]]")
            out += [f"{k} = {_toml(v)}" for k, v in entry.items()]
            out.append("")
        return "\n".join(out)

    def problem(self) -> Problem:
        case = parse_case(self.text())
        return build_problem(case, build_schedule(case))


def _toml(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value + '"'
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value)


def _draft(rnd: random.Random) -> Draft:
    extras = []
    for n in range(rnd.choice((0, 0, 1, 2, 3))):
        extra: dict[str, Any] = {
            "title": f"Meeting {n + 1} with officers",
            "kind": rnd.choice(("leaders_meeting", "practitioners_meeting", "parents_meeting")),
            "people": [f"Officer {rnd.randint(1, 4)}"],
        }
        if rnd.random() < 0.3:
            extra["inspectors"] = 2
        extras.append(extra)
    return Draft(
        start=_on_site_start(rnd),
        inspectors=rnd.randint(2, 5),
        providers=[
            (f"{kind.title()} provider {n + 1}", kind)
            for n, kind in enumerate(rnd.choice(KINDS) for _ in range(rnd.randint(0, 25)))
        ],
        children=[f"SYN{rnd.randrange(10**6):06d}" for _ in range(rnd.randint(0, 12))],
        extras=extras,
        deputies={r: f"Deputy for {r}" for r in LEADERS if rnd.random() < 0.3},
        visit_minutes=rnd.choice((None, None, None, 90, 120)),
    )


def _who(rnd: random.Random, draft: Draft) -> str:
    pool = [
        "lead_inspector",
        "cqc_inspector",
        *(f"Inspector {n}" for n in range(3, draft.inspectors + 1)),
    ]
    pool += list(LEADERS) + [name for name, _ in draft.providers]
    return rnd.choice(pool)


def random_week(rnd: random.Random) -> Week:
    """A realistic week, feasible or not."""
    draft = _draft(rnd)
    draft.children = list(dict.fromkeys(draft.children))
    problem = draft.problem()
    days = list(problem.days)
    taken: set[tuple[str, date]] = set()
    for _ in range(rnd.randint(0, 4)):
        who = _who(rnd, draft)
        day = rnd.choice(days)
        form = rnd.choice(("part", "day", "absence"))
        if form == "absence":
            last = day + timedelta(days=rnd.randint(0, 3))
            span = [d for d in days if day <= d <= last]
            if any((who, d) in taken for d in span):
                continue
            taken |= {(who, d) for d in span}
            draft.absences.append({"who": who, "first_day": day, "last_day": last, "note": "Leave"})
            continue
        if (who, day) in taken:
            continue
        taken.add((who, day))
        entry: dict[str, Any] = {"who": who, "date": day}
        if form == "part":
            low = rnd.randrange(9 * 60, 16 * 60, 30)
            high = min(17 * 60, low + rnd.choice((60, 120, 180)))
            entry |= {"from": _hhmm(low), "to": _hhmm(high)}
        draft.unavailable.append(entry)
    text = draft.text()
    return Week(text, _label(draft), counts=_counts(draft))


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _label(draft: Draft) -> str:
    return (
        f"{draft.inspectors} inspectors, {len(draft.providers)} providers, "
        f"{len(draft.children)} children, "
        f"{len(draft.unavailable) + len(draft.absences)} absences, {len(draft.extras)} extras"
    )


def _counts(draft: Draft) -> dict[str, int]:
    return {
        "inspectors": draft.inspectors,
        "providers": len(draft.providers),
        "children": len(draft.children),
        "absences": len(draft.unavailable) + len(draft.absences),
        "extras": len(draft.extras),
    }


# ---------------------------------------------------------------- known feasible weeks
class Witness:
    """A timetable being drawn, checked against the rules as the issue and para 96 state
    them: nobody in two places; in-person sessions at different venues the travel time
    apart; each inspector keeps one stretch for review and one for slack each day;
    windows, hours, the guidance's order, the same inspector for a child's meetings."""

    def __init__(self, problem: Problem) -> None:
        self.p = problem
        self.at: dict[str, tuple[date, int, tuple[str, ...]]] = {}
        self.booked: dict[tuple[str, date], list[tuple[int, int, Session]]] = {}

    def _end(self, s: Session, start: int) -> int:
        return start + math.ceil(s.length / self.p.slot) * self.p.slot

    def fits(self, s: Session, day: date, start: int, people: tuple[str, ...]) -> bool:
        p = self.p
        end = self._end(s, start)
        if day not in s.days or start < max(p.day_start, s.earliest or 0):
            return False
        if end > min(p.day_end, s.latest_end or 24 * 60):
            return False
        for person in people:
            for b in p.busy_on(person, day):
                if b.start < end and start < b.end:
                    return False
            for low, high, other in self.booked.get((person, day), ()):
                if low < end and start < high:
                    return False
                if s.in_person and other.in_person and other.venue != s.venue:
                    gap = start - high if high <= start else low - end
                    if gap < p.travel_between(s.venue, other.venue):
                        return False
            if person in p.inspectors and not self._free_time(person, day, start, end):
                return False
        when = (p.days.index(day), start)
        for sid, (d, st, _) in self.at.items():
            other = p.session(sid)
            other_end = (p.days.index(d), self._end(other, st))
            if sid in s.after and other_end > when:
                return False
            if s.id in other.after and (p.days.index(day), end) > (p.days.index(d), st):
                return False
            if s.concludes and d == day and other_end > when:
                return False
            if other.concludes and d == day and end > st:
                return False
        return True

    def _free_time(self, person: str, day: date, start: int, end: int) -> bool:
        p = self.p
        if p.away_all_day(person, day):
            return True
        spans = sorted(
            [(lo, hi) for lo, hi, _ in self.booked.get((person, day), ())]
            + [(b.start, b.end) for b in p.busy_on(person, day)]
            + [(start, end)]
        )
        runs, edge = [], p.day_start
        for low, high in spans:
            runs.append(max(0, min(low, p.day_end) - edge) // p.slot * p.slot)
            edge = max(edge, high)
        runs.append(max(0, p.day_end - edge))
        runs.sort(reverse=True)
        review = math.ceil(p.review / p.slot) * p.slot
        slack = math.ceil(p.slack / p.slot) * p.slot
        return runs[0] >= review + slack or (
            len(runs) > 1 and runs[0] >= review and runs[1] >= slack
        )

    def add(self, s: Session, day: date, start: int, people: tuple[str, ...]) -> None:
        self.at[s.id] = (day, start, people)
        for person in people:
            self.booked.setdefault((person, day), []).append((start, self._end(s, start), s))

    def remove(self, sid: str) -> None:
        day, start, people = self.at.pop(sid)
        for person in people:
            self.booked[(person, day)] = [x for x in self.booked[(person, day)] if x[2].id != sid]

    def draw(self, rnd: random.Random, s: Session, tries: int = 60) -> bool:
        p = self.p
        linked = [s.same_inspectors_as or ""] + [
            o.id for o in p.sessions if o.same_inspectors_as == s.id
        ]
        same = next((self.at[x] for x in linked if x in self.at), None)
        for _ in range(tries):
            day = rnd.choice(s.days)
            start = rnd.randrange(p.day_start, p.day_end, p.slot)
            chosen: tuple[str, ...] = ()
            if s.choose:
                if same is not None:
                    chosen = tuple(i for i in same[2] if i in s.pool)
                else:
                    chosen = tuple(rnd.sample(s.pool, s.choose))
            people = s.inspectors + chosen + s.people
            if self.fits(s, day, start, people):
                self.add(s, day, start, people)
                return True
        return False


def feasible_week(rnd: random.Random) -> Week:
    """A week built from a complete timetable drawn first (see the module's docstring)."""
    for _ in range(20):
        week = _try_feasible(rnd)
        if week is not None:
            return week
    raise AssertionError("no feasible week drawn in 20 tries")


def _try_feasible(rnd: random.Random) -> Week | None:
    draft = _draft(rnd)
    draft.children = list(dict.fromkeys(draft.children))
    problem = draft.problem()
    witness = Witness(problem)
    # The guidance's fixed sessions first (their days are few), then the rest at random.
    order = sorted(problem.sessions, key=lambda s: (len(s.days) > 1, rnd.random()))
    dropped: set[str] = set()
    for s in order:
        if s.id in dropped or witness.draw(rnd, s):
            continue
        if (s.about is None or s.kind == "focused_sampling") and s.activity != "extra":
            return None  # a fixed meeting did not fit: draw again
        if s.activity == "extra":
            draft.extras = [e for e in draft.extras if "extra:" + _slug(e["title"]) != s.id]
        elif s.kind == "sampling_visit":
            draft.providers = [x for x in draft.providers if x[0] != s.about]
        elif s.about in draft.children:
            draft.children.remove(s.about)
            for other in problem.sessions:
                if other.about == s.about:
                    dropped.add(other.id)
                    if other.id in witness.at:
                        witness.remove(other.id)
    _absences_that_fit(rnd, draft, witness)
    final = draft.problem()
    at = {sid: witness.at[sid] for sid in witness.at}
    if {s.id for s in final.sessions} != set(at):
        return None
    check = Witness(final)
    for s in final.sessions:
        day, start, people = at[s.id]
        if not check.fits(s, day, start, people):
            return None
        check.add(s, day, start, people)
    return Week(draft.text(), "feasible: " + _label(draft), witness=at, counts=_counts(draft))


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _absences_that_fit(rnd: random.Random, draft: Draft, witness: Witness) -> None:
    """0-4 absences where the drawn timetable leaves room: a provider or leader on a day
    they have no session, an inspector for a part of a day they are free."""
    p = witness.p
    taken: set[tuple[str, date]] = set()
    for _ in range(rnd.randint(0, 4)):
        who = _who(rnd, draft)
        ident = (
            who
            if who in LEADERS
            or who in ("lead_inspector", "cqc_inspector")
            or who.startswith("Inspector")
            else "provider:" + who
        )
        day = rnd.choice(p.days)
        if (ident, day) in taken:
            continue
        booked = witness.booked.get((ident, day), [])
        if ident in p.inspectors:
            # A free hour of theirs that leaves review time and slack.
            spans = sorted((lo, hi) for lo, hi, _ in booked)
            low = rnd.randrange(p.day_start, p.day_end - 60, p.slot)
            if any(lo < low + 60 and low < hi for lo, hi in spans):
                continue
            if not witness._free_time(ident, day, low, low + 60):
                continue
            # Busy counts against review and slack: keep it, as the witness checks.
            witness.booked.setdefault((ident, day), []).append((low, low + 60, _BUSY))
            draft.unavailable.append(
                {"who": who, "date": day, "from": _hhmm(low), "to": _hhmm(low + 60)}
            )
        elif not booked:
            if rnd.random() < 0.5:
                draft.unavailable.append({"who": who, "date": day, "note": "Closed"})
            else:
                draft.absences.append({"who": who, "first_day": day, "last_day": day})
        else:
            continue
        taken.add((ident, day))


_BUSY = Session(
    id="(unavailable)", activity="", title="", kind="", source="", length=0, days=(),
    window_text="",
)  # fmt: skip
