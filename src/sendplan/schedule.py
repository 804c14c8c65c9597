"""Every date of one inspection, resolved from the rules and the case file.

:func:`build_schedule` walks the kind's rules (``sendplan.rules``), resolving
each rule's anchor first, and applies the working-day calendar.  A date the
case gives (``inspection.notification``, ``[dates]``) replaces the computed
one and everything anchored on it follows.  Nothing here reads the clock or
prints.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from sendplan.calendar import WorkingCalendar, build_calendar, move
from sendplan.case import CASE_SCHEMA, Case
from sendplan.dates import WEEKDAYS, day_span
from sendplan.errors import NeedsDates, RuleError
from sendplan.events import Event as Event
from sendplan.events import Occurrence as Occurrence
from sendplan.rules import Rule, RuleSet, TextList, anchor_chain, case_keys, load_rules
from sendplan.schema import declares, key_value
from sendplan.words import plural

if TYPE_CHECKING:
    from sendplan.history.marks import HistoryMention


class Schedule:
    """The dated plan of one inspection.  Immutable: :meth:`_replace` makes a changed copy.

    A slotted class, not a frozen dataclass: defining one compiles its methods
    at import, about 1.4 ms of every command's start-up (issue 24).
    """

    #: The plan's fields, in the constructor's order; ``_by_id`` is a cache of ``events``.
    _FIELDS = ("case", "rules", "calendar", "events", "warnings", "lists", "history")
    __slots__ = (*_FIELDS, "_by_id")

    case: Case
    rules: RuleSet
    calendar: WorkingCalendar
    events: tuple[Event, ...]
    warnings: tuple[str, ...]
    #: Lists shown with the plan (questions, agenda, areas), items filled in.
    lists: tuple[TextList, ...]
    #: The area's inspections in the published record (``sendplan.history``).
    history: HistoryMention | None
    _by_id: dict[str, Event] | None

    def __init__(
        self,
        case: Case,
        rules: RuleSet,
        calendar: WorkingCalendar,
        events: tuple[Event, ...],
        warnings: tuple[str, ...] = (),
        lists: tuple[TextList, ...] = (),
        history: HistoryMention | None = None,
    ) -> None:
        values = (case, rules, calendar, events, warnings, lists, history)
        for name, value in zip(self._FIELDS, values, strict=True):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_by_id", None)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Schedule is immutable: cannot set {name!r}")

    def __repr__(self) -> str:
        return f"Schedule({self.case.local_area!r}, {self.case.kind!r}, {len(self.events)} events)"

    def _replace(self, **changes: Any) -> Schedule:
        """A copy with ``changes`` (as a named tuple's ``_replace``)."""
        fields = {name: getattr(self, name) for name in self._FIELDS}
        return Schedule(**{**fields, **changes})

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def event(self, event_id: str) -> Event:
        for event in self.events:
            if event.id == event_id:
                return event
        raise KeyError(event_id)

    def get(self, event_id: str) -> Event | None:
        """The first event with ``event_id``, or None (indexed once: ``day_of`` asks
        three times an event; ``ready`` plans 52 weeks)."""
        first = self._by_id
        if first is None:
            first = {}
            for event in self.events:
                first.setdefault(event.id, event)
            object.__setattr__(self, "_by_id", first)
        return first.get(event_id)

    def day_of(self, day: date) -> int | None:
        """The guidance's day number of ``day`` (see ``WorkingCalendar.day_number``).

        Day 1 is the rules' ``day_one`` event; numbering runs from ``day_first``
        (default ``day_one``) to ``day_last``; kinds whose guidance numbers no
        days have none.
        """
        one = self.get(self.rules.day_one or "")
        if one is None:
            return None
        first = self.get(self.rules.day_first or self.rules.day_one or "")
        last = self.get(self.rules.day_last or "")
        if (first is not None and day < first.date) or (last is not None and day > last.date):
            return None
        return self.calendar.day_number(one.date, day)

    @property
    def by_id(self) -> dict[str, Event]:
        return {e.id: e for e in self.events}

    @property
    def span(self) -> tuple[date, date]:
        """First and last date of the inspection proper (not the follow-up)."""
        context = {s.id for s in self.rules.stages if s.context} | {"follow_up"}
        inner = [e for e in self.events if e.stage not in context] or list(self.events)
        first = min(e.date for e in inner)
        last = max((e.end_date or e.date) for e in inner)
        return first, last

    def closures(self) -> list[tuple[date, str]]:
        """Bank holidays and local closures on weekdays within :attr:`span`."""
        first, last = self.span
        return self.calendar.non_working_weekdays(first, last)

    def stage_events(self) -> list[tuple[str, list[Event]]]:
        """Events grouped by stage, in the rules' stage order."""
        return [
            (stage.title, [e for e in self.events if e.stage == stage.id])
            for stage in self.rules.stages
            if any(e.stage == stage.id for e in self.events)
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "local_area": self.case.local_area,
            "kind": self.case.kind,
            "title": self.rules.title,
            "events": [e.to_json() for e in self.events],
            "closures": [{"date": d.isoformat(), "name": n} for d, n in self.closures()],
            "warnings": list(self.warnings),
            "lists": [
                {"id": t.id, "title": t.title, "source": t.source, "items": list(t.items)}
                for t in self.lists
            ],
        }


def build_schedule(
    case: Case, calendar: WorkingCalendar | None = None, rules: RuleSet | None = None
) -> Schedule:
    """Resolve every rule of the case's kind into dated events.

    ``calendar`` defaults to England's bank holidays plus the case's closures;
    ``rules`` to the packaged rules for the case's kind.
    """
    if not case.has_dates:
        raise NeedsDates(case.path)
    rules = rules or load_rules(case.kind)
    _check_case_keys(rules)
    if calendar is None:
        calendar = case_calendar(case)
    resolver = _Resolver(case, rules, calendar)
    events = tuple(resolver.events())
    lists = tuple(
        t._replace(items=tuple(key_value(case, t.input) or ())) if t.input else t
        for t in rules.lists
    )
    lists = tuple(t for t in lists if t.items)
    advice = _advise(case, rules, list(events), calendar)
    warnings = tuple([*case.warnings, *resolver.warnings, *advice])
    plan = Schedule(case, rules, calendar, events, warnings, lists)
    return plan._replace(events=tuple(_replace(e, day=plan.day_of(e.date)) for e in events))


def case_calendar(case: Case) -> WorkingCalendar:
    """England's bank holidays plus the case's ``calendar.extra_closures``."""
    return build_calendar({d: "Local closure (case file)" for d in case.extra_closures})


def _check_case_keys(rules: RuleSet) -> None:
    """Every case-file key the rules read is one the case file declares: a typo in
    the rules data fails here, loudly, rather than reading as a key left out."""
    for where, key in case_keys(rules):
        if not declares(CASE_SCHEMA, key):
            raise RuleError(
                f"rules for {rules.kind}: `{where}` reads case-file key `{key}`, "
                "which the case file does not declare"
            )


def _advise(
    case: Case, rules: RuleSet, events: list[Event], calendar: WorkingCalendar
) -> list[str]:
    """Bank holidays inside working-day windows, school holidays, unusual weekdays
    (``sendplan.advisories``, driven by the rules file's ``[advisories]``)."""
    if not rules.advisories:
        return []
    from sendplan.advisories import Holiday, advisories

    holidays = None
    if case.school_holidays is not None:
        holidays = [Holiday(h.start, h.end, h.title) for h in case.school_holidays]
    return advisories(rules.advisories, {e.id: e for e in events}, calendar, holidays, case)


class _Resolver:
    def __init__(self, case: Case, rules: RuleSet, calendar: WorkingCalendar) -> None:
        self.case = case
        self.rules = rules
        self.calendar = calendar
        self.by_id = {r.id: r for r in rules.rules}
        self.resolved: dict[str, tuple[date, time | None, bool] | None] = {}
        self.resolving: list[str] = []
        self.warnings: list[str] = []
        #: Events dated from a later recorded event (``Rule.implied_by``), by id.
        self.implied_by: dict[str, str] = {}
        self.params: dict[str, int] = {
            "on_site_days": case.inspection.on_site_days or rules.params.get("on_site_days", 1)
        }

    # -- the case's own dates -------------------------------------------------
    def given(self, rule: Rule) -> date | datetime | None:
        if rule.id in self.case.dates:
            return self.case.dates[rule.id]
        if rule.input:
            value: date | datetime | None = key_value(self.case, rule.input)
            return value
        return None

    def param(self, name: str) -> int:
        """A number a rule uses: ``on_site_days`` or a case key, else the rules' default."""
        if name in self.params:
            return self.params[name]
        value = key_value(self.case, name) if "." in name else None
        if value is None:
            value = self.rules.params.get(name.rpartition(".")[2])
        if not isinstance(value, int):
            raise RuleError(f"rules for {self.rules.kind}: no value for parameter `{name}`")
        return value

    def condition(self, text: str) -> bool:
        """A rule's ``when``: ``flag``, ``not flag`` or ``number > n`` (also >=, <, <=)."""
        words = text.split()
        if len(words) == 2 and words[0] == "not":
            return not key_value(self.case, words[1])
        if len(words) == 3 and words[1] in _COMPARE:
            return _COMPARE[words[1]](self.param(words[0]), int(words[2]))
        return bool(key_value(self.case, text))

    def applies(self, rule: Rule) -> bool:
        outcome = self.case.inspection.outcome
        if rule.when_outcome and outcome not in rule.when_outcome:
            return False
        if rule.offset_by_outcome and outcome not in dict(rule.offset_by_outcome):
            return False
        return not (rule.when and not self.condition(rule.when))

    # -- resolution -------------------------------------------------------------
    def resolve(self, rule_id: str) -> tuple[date, time | None, bool] | None:
        """(date, time, recorded) of a rule, or None when it does not apply."""
        if rule_id in self.resolved:
            return self.resolved[rule_id]
        if rule_id in self.resolving:
            cycle = " -> ".join(self.resolving + [rule_id])
            raise RuleError(f"cannot place {rule_id}: its anchors go round in a circle ({cycle})")
        rule = self.by_id[rule_id]
        self.resolving.append(rule_id)
        try:
            result = self._resolve(rule)
        finally:
            self.resolving.pop()
        self.resolved[rule_id] = result
        return result

    def _resolve(self, rule: Rule) -> tuple[date, time | None, bool] | None:
        if not self.applies(rule):
            return None
        given = self.given(rule)
        if isinstance(given, datetime):
            return given.date(), given.time(), True
        if given is not None:
            return given, _parse_time(rule.time), True
        implied = self.implied(rule)
        if implied is not None:
            return implied, _parse_time(rule.time), False
        computed = self.compute(rule)
        return None if computed is None else (computed, _parse_time(rule.time), False)

    def implied(self, rule: Rule) -> date | None:
        """The date a later recorded event implies for ``rule`` (``Rule.implied_by``)."""
        later = self.by_id.get(rule.implied_by or "")
        if later is None or not self.applies(later):
            return None
        day = self.given(later)
        if day is None:
            return None
        if isinstance(day, datetime):
            day = day.date()
        for step in anchor_chain(self.rules, later.id, rule.id) or ():
            day = self.move(day, -self.offset(step), step.unit)
        anchor = self.resolve(rule.anchor) if rule.anchor else None
        if anchor is not None and day <= anchor[0]:
            return None  # before what it follows: the rules' own date stands
        self.implied_by[rule.id] = later.id
        return day

    def compute(self, rule: Rule) -> date | None:
        """The rule's date from its anchor, ignoring any date the case gives."""
        if rule.anchor is None:
            return None
        anchor = self.resolve(rule.anchor)
        if anchor is None:
            return None
        day = self.move(anchor[0], self.offset(rule), rule.unit)
        return self.calendar.roll(day, rule.non_working_day) if rule.non_working_day else day

    def approximate(self, rule_id: str) -> bool:
        """Approximate when the rule says so or counts from an approximate date.

        A recorded date is never approximate; a deadline counted from a
        planned date (the factual-accuracy check after a draft letter whose
        day the guidance does not give, 2018 re-visit guidance para 25) is
        planned too.
        """
        rule = self.by_id[rule_id]
        resolved = self.resolved.get(rule_id)
        if resolved is not None and resolved[2]:
            return False
        if rule.approximate or rule_id in self.implied_by:
            return True
        return rule.anchor is not None and (
            self.approximate(rule.anchor) or self.planned_anchor(rule) is not None
        )

    def planned_anchor(self, rule: Rule) -> Rule | None:
        """The unrecorded ``planned`` event ``rule`` is counted from, through its anchors
        (the complaint deadline follows the final report's planned day, para 138)."""
        current = self.by_id.get(rule.anchor or "")
        while current is not None:
            resolved = self.resolved.get(current.id)
            if resolved is not None and resolved[2]:
                return None  # recorded: what follows is counted from a real date
            if current.planned:
                return current
            current = self.by_id.get(current.anchor or "")
        return None

    def offset(self, rule: Rule) -> int:
        offset = rule.offset
        if rule.offset_by_outcome:
            offset = dict(rule.offset_by_outcome)[self.case.inspection.outcome or ""]
        if rule.offset_add:
            name = rule.offset_add.removeprefix("-")
            sign = -1 if rule.offset_add.startswith("-") else 1
            offset += sign * self.param(name)
        return offset

    def move(self, start: date, offset: int, unit: str) -> date:
        return move(start, offset, unit, self.calendar)

    # -- events -------------------------------------------------------------------
    def events(self) -> list[Event]:
        """Every applicable event, in date order (rule order within a day)."""
        ordered: list[tuple[int, Event]] = []
        for index, rule in enumerate(self.rules.rules):
            resolved = self.resolve(rule.id)
            if resolved is not None:
                ordered.extend((index, e) for e in self.expand(rule, *resolved))
        self.check()
        ordered.sort(key=lambda pair: (pair[1].date, pair[1].time or time(0), pair[0]))
        return [event for _, event in ordered]

    def expand(self, rule: Rule, day: date, at: time | None, recorded: bool) -> list[Event]:
        end = None
        if rule.end_anchor is not None:
            anchor = self.resolve(rule.end_anchor)
            if anchor is not None:
                end = self.move(anchor[0], rule.end_offset, "working_days")
        title, note, source, who = self.wording(rule)
        planned = None if recorded else self.planned_anchor(rule)
        if planned is not None:
            anchor_day = self.resolved[planned.id]
            assert anchor_day is not None  # an anchor of a resolved rule is resolved
            note = (
                f"Counted from the planned {planned.id} ({anchor_day[0].isoformat()}): it "
                f"follows that date until [dates] records the real one "
                f"({planned.id} = YYYY-MM-DD). " + note
            ).strip()
        reading = ""
        if rule.usual_weekday and WEEKDAYS[day.weekday()] != rule.usual_weekday:
            reading = rule.reading
        base = Event(
            id=rule.id,
            title=title,
            date=day,
            time=at,
            end_date=end if end and end > day else None,
            who=who,
            source=source,
            stage=rule.stage,
            approximate=self.approximate(rule.id),
            recorded=recorded,
            note=note,
            implied_by=self.implied_by.get(rule.id),
            reading=reading,
        )
        if rule.repeat is None:
            return [base]
        count = self.param(rule.repeat)
        return [
            _replace(
                base,
                id=f"{rule.id}_day{k}",
                title=f"{title} (on-site day {k})",
                date=self.calendar.add(day, k - 1),
                occurrence=Occurrence(rule.id, title, k, count, rule.repeat),
            )
            for k in range(1, count + 1)
        ]

    def wording(self, rule: Rule) -> tuple[str, str, str, tuple[str, ...]]:
        """(title, note, source, who) of ``rule`` for this case: its first
        ``variant`` whose condition holds, in the words of its date (``[[vocabulary]]``,
        ``data/eras.toml``: CCGs before July 2022, ICBs after)."""
        title, note, source, who = rule.title, rule.note, rule.source, rule.who
        for condition, overrides in rule.variant:
            if self.condition(condition):
                title = str(overrides.get("title", title))
                note = str(overrides.get("note", note))
                source = str(overrides.get("source", source))
                who = tuple(overrides.get("who", who))
                break
        for entry in self.rules.vocabulary:
            when = self.resolve(str(entry["event"])) if entry["event"] in self.by_id else None
            if when is None:
                continue
            from sendplan.eras import restate, restate_roles

            change = str(entry["change"])
            title, note = restate(title, change, when[0]), restate(note, change, when[0])
            who = restate_roles(who, change, when[0])
        return title, note, source, who

    def check(self) -> None:
        """Warnings: given dates that break the rule, usual weekdays, closed days."""
        seen_pairs: set[frozenset[str]] = set()
        for rule in self.rules.rules:
            resolved = self.resolved.get(rule.id)
            if resolved is None:
                continue
            day, _, recorded = resolved
            label = rule.id
            if recorded and not self.calendar.is_working_day(day):
                why = self.calendar.why_not_working(day) or WEEKDAYS[day.weekday()]
                self.warnings.append(f"{label} {day} is not a working day ({why}).")
            # An approximate rule's anchor is a planning placement (the draft
            # re-visit letter, the plan's confirmation): a real date that
            # differs from it breaks no rule of the guidance.
            pair = frozenset((rule.id, rule.anchor or ""))
            if recorded and rule.anchor and not rule.approximate and pair not in seen_pairs:
                seen_pairs.add(pair)
                self.check_against_anchor(rule, day)
            if rule.weekday and WEEKDAYS[day.weekday()] != rule.weekday:
                self.warnings.append(
                    f"{label} {day} is a {WEEKDAYS[day.weekday()]}; "
                    f"it is usually a {rule.weekday} ({rule.source})."
                )
            if rule.check_event is not None:
                self.check_event(rule, day)
        usual = self.rules.params.get("on_site_days_usual_min")
        if isinstance(usual, int) and self.params["on_site_days"] < usual:
            self.warnings.append(
                f"on_site_days is {self.params['on_site_days']}; {self.rules.title.lower()}s "
                f"typically spend at least {usual} days on site "
                f"({self.rules.params.get('on_site_days_source', self.rules.source)})."
            )

    def check_event(self, rule: Rule, day: date) -> None:
        """Warn when ``rule.check_event`` breaks the window ``rule`` sets (see Rule)."""
        other = self.resolved.get(rule.check_event or "")
        if other is None:
            return
        when = other[0]
        if rule.check == "not_after" and when > day:
            self.warnings.append(
                f"{rule.check_event} {when} is later than {rule.id} {day}: "
                f"{rule.title} ({rule.source})."
            )
        if rule.check == "near":
            low = self.move(day, -rule.check_margin, rule.unit)
            high = self.move(day, rule.check_margin, rule.unit)
            if not low <= when <= high:
                unit = rule.unit.replace("_", " ")
                self.warnings.append(
                    f"{rule.check_event} {when} is more than {rule.check_margin} {unit} "
                    f"from {rule.id} {day}: {rule.title} ({rule.source})."
                )

    def check_against_anchor(self, rule: Rule, day: date) -> None:
        """Warn when a date the case gives breaks the rule that would place it.

        The case's own inspection dates (``input``: notification, on-site
        start) are checked both ways; a date recorded in ``[dates]`` only when
        it is later than the rule ("within 14 working days" is met early).
        """
        anchor = self.resolved.get(rule.anchor or "")
        if anchor is None or rule.unit != "working_days":
            return
        expected = self.move(anchor[0], self.offset(rule), rule.unit)
        from_input = rule.id not in self.case.dates
        if expected == day or (not from_input and day < expected):
            return
        actual = self.calendar.count(anchor[0], day)
        self.warnings.append(
            f"{rule.id} {day} is {_working_days(actual)} {rule.anchor} {anchor[0]}; "
            f"the rule is {_working_days(self.offset(rule))} ({rule.source}). "
            "Keeping the case file's dates."
        )


_COMPARE: dict[str, Callable[[int, int], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}


def _working_days(n: int) -> str:
    side = "after" if n >= 0 else "before"
    return f"{plural(abs(n), 'working day')} {side}"


def _replace(event: Event, **changes: Any) -> Event:
    return event._replace(**changes)


def _parse_time(text: str | None) -> time | None:
    return time.fromisoformat(text) if text else None


def as_series(events: Iterable[Event]) -> list[Event]:
    """The events as a person reads them: a repeated rule's occurrences as one row.

    The daily team meetings of the on-site week are one event dated from the
    first occurrence to the last, with ``series_dates`` holding each day and
    the rule's own title; the rest pass through.  JSON keeps one event per
    occurrence (machines filter and sort them); this is for tables, Markdown
    and letters.
    """
    events = list(events)
    dates: dict[str, list[Event]] = {}
    for event in events:
        if event.occurrence is not None:
            dates.setdefault(event.occurrence.rule, []).append(event)
    out: list[Event] = []
    for event in events:
        occurrence = event.occurrence
        if occurrence is None:
            out.append(event)
            continue
        series = dates.pop(occurrence.rule, None)
        if series is None:
            continue  # already stands in its first occurrence's row
        if len(series) == 1:
            out.append(event)
            continue
        days = tuple(e.date for e in series)
        out.append(
            _replace(
                event,
                id=occurrence.rule,
                title=occurrence.title,
                end_date=days[-1],
                series_dates=days,
            )
        )
    return out


#: What a repeated rule repeats over, as a reader says it (``Rule.repeat``).
REPEATS = {"on_site_days": "on-site day"}


def series_text(event: Event) -> str:
    """``each on-site day, Mon 12 - Fri 16 May`` for a row standing for repeated events."""
    occurrence, days = event.occurrence, event.series_dates
    if occurrence is None or not days:
        return ""
    unit = REPEATS.get(occurrence.over, "day")
    last = occurrence.number + len(days) - 1
    if occurrence.number == 1 and last == occurrence.of:
        which = f"each {unit}"
    else:
        which = f"{plural(2, unit, number=False)} {occurrence.number} to {last}"
    return f"{which}, {day_span(days[0], days[-1])}"
