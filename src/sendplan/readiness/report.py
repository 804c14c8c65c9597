"""``sendplan ready``: each week the call may come, what it would set and what
would hurt, the weeks ranked, and the stale evidence by owner.

:func:`build_readiness` takes the case and ``today`` (never the clock).  Each
candidate's dates come from the schedule (``build_schedule`` on the case with
that notification, the one rule resolver); its risks, each in words with its
source, from the case's absences and deputies, the calendar, the school
holidays and the Annex A items due within one working day.  A week's score is
the weighted count of its risks (``data/readiness.toml`` ``[weights]``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import TYPE_CHECKING, Any

from sendplan.case.absences import Absence
from sendplan.dates import date_text, day_span
from sendplan.errors import UsageError
from sendplan.events import NOTIFICATION, ON_SITE_END, ON_SITE_START
from sendplan.namedtuples import NamedTuple
from sendplan.readiness.candidates import Candidate, candidates
from sendplan.readiness.freshness import Freshness, by_owner, freshness, next_day_events
from sendplan.readiness.people import away, case_absences, find, is_away, overlaps
from sendplan.readiness.settings import RISK_KINDS, ReadinessData, Window, readiness_data
from sendplan.words import plural

if TYPE_CHECKING:
    from sendplan.advisories import Holiday
    from sendplan.calendar import WorkingCalendar
    from sendplan.case import Case
    from sendplan.checklist import Item
    from sendplan.events import Event
    from sendplan.history import Record
    from sendplan.readiness.national import National
    from sendplan.rules import RuleSet
    from sendplan.schedule import Schedule


class Risk(NamedTuple):
    """One thing that would make a week hard, in words, with its source."""

    kind: str
    text: str
    source: str
    #: How many people, items or days it stands for; each counts ``weight``.
    number: int
    weight: int

    @property
    def score(self) -> int:
        return self.number * self.weight

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "source": self.source,
            "count": self.number,
            "weight": self.weight,
            "score": self.score,
        }


class Week(NamedTuple):
    """One candidate: the call on ``notification``, and what it brings."""

    week: date
    notification: date
    on_site_start: date
    on_site_end: date
    moved_by: tuple[tuple[date, str], ...]
    #: The call, the Annex A deadlines it sets and the on-site days, from the schedule.
    deadlines: tuple[Event, ...]
    risks: tuple[Risk, ...]
    rank: int = 0

    @property
    def score(self) -> int:
        return sum(r.score for r in self.risks)

    def to_json(self) -> dict[str, Any]:
        return {
            "week": self.week.isoformat(),
            "notification": self.notification.isoformat(),
            "on_site_start": self.on_site_start.isoformat(),
            "on_site_end": self.on_site_end.isoformat(),
            "moved_by": [{"date": d.isoformat(), "name": n} for d, n in self.moved_by],
            "deadlines": [d.to_json() for d in self.deadlines],
            "risks": [r.to_json() for r in self.risks],
            "score": self.score,
            "rank": self.rank,
        }


def hardest_first(week: Week) -> tuple[int, date]:
    """The ranking's order: the higher score first, then the earlier call."""
    return -week.score, week.notification


#: A week's level among the weeks shown, from its share of the way between the
#: lowest and the highest score (the heat strip's colours and words).
LEVELS: tuple[tuple[float, str], ...] = ((0.75, "hard"), (0.4, "middling"), (0.0, "easier"))


@dataclass(frozen=True)
class Readiness:
    """Everything ``sendplan ready`` shows; :meth:`to_json` is ``--format json``."""

    local_area: str
    kind: str
    today: date
    weeks: tuple[Week, ...]
    #: Open items whose evidence is stale today, in checklist order.
    stale: tuple[Freshness, ...]
    #: Open items due within one working day of notification with no owner.
    unowned: tuple[Item, ...]
    data: ReadinessData
    #: What ``--check`` fails on (empty: it passes).
    failures: tuple[str, ...] = ()
    national: National | None = None
    notes: tuple[str, ...] = ()
    #: The rule the candidate days follow (the box after para 80).
    rule_source: str = ""
    #: Each Annex A deadline relative to notification, whatever the dates:
    #: (event id, title, "notification + 1 working day, 11:00", source, item ids).
    relative: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = ()
    assumptions: tuple[str, ...] = field(default_factory=tuple)

    def level(self, week: Week) -> str:
        """``hard``, ``middling`` or ``easier``: ``week`` against the other weeks
        (its share of the way from the lowest score to the highest; :data:`LEVELS`)."""
        scores = [w.score for w in self.weeks]
        low, top = min(scores, default=0), max(scores, default=0)
        share = (week.score - low) / (top - low) if top > low else 0.0
        return next(name for floor, name in LEVELS if share >= floor)

    def ranked(self) -> list[Week]:
        """Hardest first; equal scores in date order."""
        return sorted(self.weeks, key=hardest_first)

    def stale_by_owner(self) -> list[tuple[str | None, list[Freshness]]]:
        return by_owner(self.stale)

    def to_json(self) -> dict[str, Any]:
        first = self.weeks[0].notification if self.weeks else None
        last = self.weeks[-1].notification if self.weeks else None
        return {
            "local_area": self.local_area,
            "kind": self.kind,
            "today": self.today.isoformat(),
            "candidates": {
                "weeks": len(self.weeks),
                "first": first.isoformat() if first else None,
                "last": last.isoformat() if last else None,
                "rule": f"usually a {self.data.weekday}; in the week before when a bank "
                "holiday falls in week 1 or 2",
                "source": self.rule_source,
            },
            "deadlines": [
                {"id": e, "title": t, "when": w, "source": src, "items": list(ids)}
                for e, t, w, src, ids in self.relative
            ],
            "weeks": [w.to_json() | {"level": self.level(w)} for w in self.weeks],
            "ranking": [w.notification.isoformat() for w in self.ranked()],
            "weights": dict(self.data.weights),
            "stale": [
                {"owner": owner, "items": [f.to_json() for f in items]}
                for owner, items in self.stale_by_owner()
            ],
            "unowned": [i.id for i in self.unowned],
            "window": self.national.to_json() if self.national is not None else None,
            "check": {"passed": not self.failures, "failures": list(self.failures)},
            "assumptions": list(self.assumptions),
            "notes": list(self.notes),
        }


def build_readiness(
    case: Case,
    today: date,
    weeks: int | None = None,
    *,
    record: Record | None = None,
    absences: Sequence[Absence] | None = None,
) -> Readiness:
    """The weeks the call may come in the ``weeks`` weeks from ``today``.

    ``record`` (the published inspection record) adds the national estimate;
    ``absences`` default to the case's ``[[absences]]``.
    """
    from sendplan.checklist import build_checklist
    from sendplan.rules import load_rules, working_days_after
    from sendplan.schedule import case_calendar

    data = readiness_data()
    if case.kind not in data.kinds:
        from sendplan.rules import kind_label

        kinds = " or ".join(kind_label(k, article=True) for k in data.kinds)
        raise UsageError(
            f"`sendplan ready` plans the weeks before the call of {kinds} ({data.source}); "
            f"this case is {kind_label(case.kind, article=True)}"
        )
    weeks = data.weeks if weeks is None else weeks
    if weeks < 1:
        raise UsageError("must be at least 1", option="weeks", value=weeks)
    rules = load_rules(case.kind)
    calendar = case_calendar(case)
    lead = working_days_after(rules, ON_SITE_START, NOTIFICATION)
    if lead is None:  # pragma: no cover - the packaged rules count it in working days
        raise UsageError(f"the {case.kind} rules give no working days from notification to site")
    items = [i for i in build_checklist(case, None).items if i.status != "n/a"]
    next_day = next_day_events(rules, items, data)
    soon = [i for i in items if i.event_id in next_day]
    gone = tuple(absences) if absences is not None else case_absences(case)
    holidays, given = _school_holidays(case, today, weeks, calendar)
    due_events = tuple(dict.fromkeys(i.event_id for i in items))
    # Each candidate is a rehearsal: dates recorded for a real inspection do not apply.
    context = _Context(
        case._replace(dates={}),
        data,
        rules,
        calendar,
        gone,
        holidays,
        given,
        soon,
        next_day,
        due_events,
    )
    found = [context.week(c) for c in candidates(calendar, today, weeks, lead, data.weekday)]
    order = sorted(found, key=hardest_first)
    rank = {w.notification: n for n, w in enumerate(order, start=1)}
    found = [w._replace(rank=rank[w.notification]) for w in found]
    now = freshness(case, items, next_day, today, data)
    unowned = tuple(i for i in soon if not i.owner)
    national = None
    if record is not None:
        from sendplan.readiness.national import national_picture

        national = national_picture(
            record, case.local_area, case.inspection.la_code, today, calendar
        )
    notes = []
    if case.has_dates:
        notes.append(
            "The case gives its inspection dates; `ready` looks at the weeks the call may "
            "come instead, leaving them out."
        )
    return Readiness(
        local_area=case.local_area,
        kind=case.kind,
        today=today,
        weeks=tuple(found),
        stale=tuple(f for f in now if f.stale),
        unowned=unowned,
        data=data,
        failures=tuple(_failures(context, now, unowned, today)),
        national=national,
        notes=tuple(notes),
        rule_source=data.kinds[case.kind],
        relative=tuple(_relative(rules, items)),
        assumptions=tuple(_assumptions(case, data, given)),
    )


def _relative(
    rules: RuleSet, items: Sequence[Item]
) -> list[tuple[str, str, str, str, tuple[str, ...]]]:
    """Each due event with its deadline relative to notification and its items."""
    by_event: dict[str, list[Item]] = {}
    for item in items:
        by_event.setdefault(item.event_id, []).append(item)
    out = []
    for event_id, mine in by_event.items():
        rule = rules.rule(event_id)
        when = mine[0].due_relative or "not counted from notification"
        out.append((event_id, rule.title, when, rule.source, tuple(i.id for i in mine)))
    return out


def _school_holidays(
    case: Case, today: date, weeks: int, calendar: WorkingCalendar
) -> tuple[list[Holiday], bool]:
    """The case's school holidays, else sendplan's fallback over the years the
    candidates can reach; and whether they are the case's own."""
    from sendplan.advisories import Holiday, default_holidays

    if case.school_holidays is not None:
        return [Holiday(h.start, h.end, h.title) for h in case.school_holidays], True
    last = today + timedelta(weeks=weeks + 4)
    return default_holidays(range(today.year - 1, last.year + 1), calendar), False


def _assumptions(case: Case, data: ReadinessData, given: bool) -> list[str]:
    out = []
    settings = case.readiness
    if settings.refresh_days is None or settings.next_day_refresh_days is None:
        out.append(
            f"Evidence counts as stale {plural(data.next_day_refresh_days, 'day')} after its "
            f"`refreshed` date for items due within one working day and "
            f"{plural(data.refresh_days, 'day')} for the rest: {data.freshness_note}."
        )
    out.append(
        "Weeks are ranked by a weighted count of their risks ("
        + ", ".join(f"{k.replace('_', ' ')} {w}" for k, w in data.weights.items())
        + "): the order is the issue's, the numbers sendplan's own (data/readiness.toml)."
    )
    if not given:
        out.append(
            "No `[calendar] school_holidays` in the case: school holidays are sendplan's "
            "fallback (data/school_holidays.toml), not the local term dates."
        )
    return out


@dataclass(frozen=True)
class _Context:
    case: Case
    data: ReadinessData
    rules: RuleSet
    calendar: WorkingCalendar
    absences: tuple[Absence, ...]
    holidays: list[Holiday]
    holidays_given: bool
    soon: list[Item]
    next_day: set[str]
    #: The due events of every Annex A item, in checklist order.
    due_events: tuple[str, ...]

    def week(self, candidate: Candidate) -> Week:
        from sendplan.schedule import build_schedule

        case = self.case.with_dates(notification=candidate.notification)
        plan = build_schedule(case, self.calendar, self.rules)
        on_site = plan.event(ON_SITE_START).date
        last = plan.event(ON_SITE_END)
        windows = {w.id: (w, *self.span(w, plan)) for w in self.data.windows}
        risks = self.absence_risks(windows)
        risks += self.closure_risks(candidate, windows)
        risks += self.holiday_risks(candidate.notification, last.end_date or last.date)
        risks += self.item_risks(candidate.notification)
        return Week(
            week=candidate.week,
            notification=candidate.notification,
            on_site_start=on_site,
            on_site_end=last.end_date or last.date,
            moved_by=candidate.moved_by,
            deadlines=tuple(self.deadlines(plan)),
            risks=tuple(sorted(risks, key=lambda r: RISK_KINDS.index(r.kind))),
        )

    def span(self, window: Window, plan: Schedule) -> tuple[date, date]:
        start = plan.event(window.start).date
        if window.end is not None:
            end = plan.event(window.end)
            return start, end.end_date or end.date
        return start, self.calendar.add(start, (window.working_days or 1) - 1)

    def deadlines(self, plan: Schedule) -> list[Event]:
        """The call, every Annex A deadline it sets, and the on-site days."""
        wanted = [NOTIFICATION, *self.due_events, ON_SITE_START, ON_SITE_END]
        found = [plan.get(event_id) for event_id in dict.fromkeys(wanted)]
        return sorted((e for e in found if e), key=lambda e: (e.date, e.time or time(0)))

    # -- risks ------------------------------------------------------------------
    def absence_risks(self, windows: Mapping[str, tuple[Window, date, date]]) -> list[Risk]:
        """Who is away in week 1 or on site, and whether a deputy stands in (para 128)."""
        found: dict[tuple[str, Absence], list[Window]] = {}
        people = {}
        for window, first, last in windows.values():
            for someone, absence in away(self.case, self.absences, first, last):
                found.setdefault((someone.key, absence), []).append(window)
                people[someone.key] = someone
        risks = []
        weights = self.data.weights
        for (key, absence), hit in found.items():
            someone = people[key]
            spans = [windows[w.id][1:] for w in hit]
            deputy = find(self.case, someone.deputy) if someone.deputy else None
            deputy_away = deputy is not None and any(
                is_away(self.case, deputy, self.absences, a, b) for a, b in spans
            )
            when = day_span(absence.first_day, absence.last_day)
            why = f" ({absence.note})" if absence.note else ""
            during = " and ".join(w.title for w in hit)
            if deputy is None:
                cover = "no deputy named in the case file"
            elif deputy_away:
                cover = f"their deputy, {deputy.label}, is away too"
            else:
                cover = f"deputy: {deputy.label}"
            kind = (
                "away_with_deputy"
                if deputy is not None and not deputy_away
                else ("away_without_deputy")
            )
            sources = "; ".join(dict.fromkeys(w.source for w in hit))
            risks.append(
                Risk(
                    kind,
                    f"{someone.label} away {when}{why}: during {during}; {cover}",
                    f"{sources}; handbook para 128 (deputies); absences in the case file",
                    1,
                    weights[kind],
                )
            )
        return risks

    def closure_risks(
        self, candidate: Candidate, windows: Mapping[str, tuple[Window, date, date]]
    ) -> list[Risk]:
        """Bank holidays and closures that move the call (para 80) or fall in a window."""
        days: dict[date, str] = dict(candidate.moved_by)
        where: dict[date, str] = {d: "weeks 1-2" for d in days}
        sources = ["handbook para 80"] if days else []
        for window, first, last in windows.values():
            for day, name in self.calendar.non_working_weekdays(first, last):
                days[day] = name
                where.setdefault(day, window.title)  # weeks 1-2 holds week 1
                sources.append(window.source)
        if not days:
            return []
        names = "; ".join(
            f"{name} ({date_text(day, weekday=True)}, in {where[day]})"
            for day, name in sorted(days.items())
        )
        text = names
        if candidate.moved_by:
            text += (
                f": the call moves to {date_text(candidate.notification, weekday=True)}, "
                "in the week before, and every deadline with it"
            )
        return [
            Risk(
                "bank_holiday",
                text,
                "; ".join(dict.fromkeys(sources)),
                len(days),
                self.data.weights["bank_holiday"],
            )
        ]

    def holiday_risks(self, first: date, last: date) -> list[Risk]:
        """School holidays touching weeks 1-3: inspections usually come in term time."""
        term = self.data.term_time
        risks = []
        for holiday in self.holidays:
            if not (holiday.start <= last and holiday.end >= first):
                continue
            if self.holidays_given:
                where = "the case file's school holidays"
            elif holiday.usual:
                where = (
                    "a school holiday in most of England, usual rather than certain "
                    "(sendplan's fallback: term dates differ between local authorities)"
                )
            else:
                where = "a school holiday everywhere in England (sendplan's fallback)"
            inside = holiday.start <= first <= holiday.end
            text = (
                f"the call itself would come in {holiday.name}"
                if inside
                else f"{term.title} touch {holiday.name}"
            )
            text += (
                f" ({day_span(holiday.start, holiday.end)}, {where}): inspections usually "
                "take place in term time, so a call this week is less likely, and harder "
                "for schools and families if it comes"
            )
            risks.append(
                Risk("school_holiday", text, term.source, 1, self.data.weights["school_holiday"])
            )
        return risks

    def item_risks(self, notification: date) -> list[Risk]:
        """Items due within one working day with no owner, or stale on the day of the call."""
        risks = []
        unowned = [i for i in self.soon if not i.owner]
        due = _due_words(self.soon)
        if unowned:
            risks.append(
                Risk(
                    "no_owner",
                    f"no owner for {plural(len(unowned), 'item')} due {due}: "
                    + ", ".join(i.id for i in unowned),
                    _sources(unowned),
                    len(unowned),
                    self.data.weights["no_owner"],
                )
            )
        stale = [
            f
            for f in freshness(self.case, self.soon, self.next_day, notification, self.data)
            if f.stale
        ]
        if stale:
            risks.append(
                Risk(
                    "stale",
                    f"stale evidence on the day of the call for {plural(len(stale), 'item')} "
                    f"due {due}: " + stale_words(stale),
                    _sources(f.item for f in stale),
                    len(stale),
                    self.data.weights["stale"],
                )
            )
        return risks


def stale_words(stale: Sequence[Freshness]) -> str:
    """``list-1, list-2 never recorded as refreshed; 1.3 refreshed 6 Jan 2025, 140 days
    before (limit 30 days, sendplan's assumption)``: each reason and each limit once."""
    limits: dict[str, dict[str, list[str]]] = {}
    for entry in stale:
        seen = limits.setdefault(entry.limit_text(), {})
        seen.setdefault(entry.seen(), []).append(entry.item.id)
    return "; ".join(
        "; ".join(f"{', '.join(ids)} {seen}" for seen, ids in reasons.items()) + f" ({limit})"
        for limit, reasons in limits.items()
    )


def _due_words(items: Sequence[Item]) -> str:
    """``by notification + 1 working day, 11:00``: when the items are due."""
    relative = list(dict.fromkeys(i.due_relative for i in items if i.due_relative))
    return "by " + " or ".join(relative) if relative else "within one working day"


def _sources(items: Iterable[Item]) -> str:
    return "; ".join(dict.fromkeys(i.source for i in items))


def _failures(
    context: _Context, now: Sequence[Freshness], unowned: Sequence[Item], today: date
) -> list[str]:
    """What ``ready --check`` fails on: an item due within one working day that is
    stale or has no owner today; a key role away in the next weeks without a deputy."""
    out = [
        f"item {f.item.id} is due within one working day of the call and its evidence is "
        f"stale: {f.reason()} ({f.item.source})"
        for f in now
        if f.next_day and f.stale
    ]
    out += [
        f"item {i.id} is due within one working day of the call and has no owner "
        f"([checklist] owners or the item's owner; {i.source})"
        for i in unowned
    ]
    data, case = context.data, context.case
    until = today + timedelta(weeks=data.check_weeks) - timedelta(days=1)
    for role in data.key_roles:
        someone = find(case, role.role)
        for absence in context.absences:
            if find(case, absence.who).key != someone.key or not overlaps(absence, today, until):
                continue
            deputy = find(case, someone.deputy) if someone.deputy else None
            first, last = max(absence.first_day, today), min(absence.last_day, until)
            if deputy is not None and not is_away(case, deputy, context.absences, first, last):
                continue
            cover = "no deputy named" if deputy is None else f"deputy {deputy.label} away too"
            out.append(
                f"{someone.label} is away {day_span(absence.first_day, absence.last_day)}, "
                f"within {plural(data.check_weeks, 'week')}, with {cover}: {role.why} "
                f"({role.source}; deputies, handbook para 128)"
            )
    return out
