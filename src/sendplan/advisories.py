"""Advisories: what a LANO would want to know about the dates before the call comes.

Three checks, each driven by the ``[advisories]`` data of the kind's rules file
(every one citing its paragraph), run on a built schedule:

* **windows** of consecutive working days the guidance describes (week 1, the
  on-site days, para 122) that a bank holiday or local closure splits: what
  moved and what to check;
* **term time** (para 74): weeks 1-3 against the case's ``[calendar]
  school_holidays``, or, without them, against the holidays every English
  school keeps (``data/school_holidays.toml``);
* a **usual weekday** (para 80: notification on a Monday) not kept where no
  closure in weeks 1-2 explains it;
* **awkward days**: deadlines that fall on 24 or 31 December, or on the working
  day before or after a bank holiday or closure, named in the warning;
* the **words of the day** (``data/eras.toml``): a 2019 re-visit case that
  names an integrated care board, which did not exist until July 2022;
* a **visit limit** (para 22): no more than 3 monitoring visits across the
  area SEND and ILACS frameworks within 12 months, checked against the case's
  list of the local authority's ILACS monitoring visits, or said to be
  uncheckable without it.

Pure: no clock, no printing; returns the sentences.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sendplan.dates import WEEKDAYS, clock_text, date_text
from sendplan.namedtuples import NamedTuple

if TYPE_CHECKING:
    from sendplan.calendar import WorkingCalendar
    from sendplan.case import Case
    from sendplan.events import Event


def _day(day: date) -> str:
    """``Mon 21 Apr 2025``, as the schedule's tables write dates."""
    return date_text(day, weekday=True)


def _sentence(title: str) -> str:
    """A data file's title (``weeks 1-3``) opening a sentence."""
    return title[:1].upper() + title[1:]


class Holiday(NamedTuple):
    """A school holiday, first and last day included.

    ``usual`` marks a holiday of the fallback that most local authorities keep
    but some may not (the summer holiday, the half-terms): said so in warnings.
    """

    start: date
    end: date
    name: str
    usual: bool = False


def advisories(
    spec: Mapping[str, Any],
    events: Mapping[str, Event],
    calendar: WorkingCalendar,
    school_holidays: Sequence[Holiday] | None = None,
    case: Case | None = None,
) -> list[str]:
    """The advisories for one schedule's ``events`` (by id), as sentences.

    ``school_holidays`` are the case's own term dates; None means the case
    gives none, so the holidays of ``data/school_holidays.toml`` are used.
    ``case`` gives the people (for the words of the day) and case keys the
    checks name (the para 22 visit limit).
    """
    out = [w for window in spec.get("window", ()) if (w := _window(window, events, calendar))]
    if "term_time" in spec:
        out += _term_time(spec["term_time"], events, calendar, school_holidays)
    if "usual_weekday" in spec:
        out += _usual_weekday(spec["usual_weekday"], events, calendar)
    if "awkward_days" in spec:
        out += _awkward_days(spec["awkward_days"], events, calendar)
    if case is not None and "era_names" in spec:
        out += _era_names(spec["era_names"], events, case)
    if case is not None and "visit_limit" in spec:
        out += _visit_limit(spec["visit_limit"], events, case)
    return out


def _span(spec: Mapping[str, Any], events: Mapping[str, Event]) -> tuple[date, date] | None:
    """The first and last day of ``from`` to ``to`` (its last day) or to the day
    ``before`` an event (calendar days: closures just before it count, as they
    are what pushed it back); None when an event is not in the schedule."""
    first = events.get(str(spec["from"]))
    if first is None:
        return None
    if "before" in spec:
        after = events.get(str(spec["before"]))
        if after is None:
            return None
        return first.date, after.date - timedelta(days=1)
    last = events.get(str(spec["to"]))
    if last is None:
        return None
    return first.date, last.end_date or last.date


def _window(
    spec: Mapping[str, Any], events: Mapping[str, Event], calendar: WorkingCalendar
) -> str | None:
    span = _span(spec, events)
    if span is None:
        return None
    first, last = span
    closed = calendar.non_working_weekdays(first, last)
    if not closed:
        return None
    last = max(first, calendar.roll(last, "previous_working_day"))  # its last working day
    names = ", ".join(f"{name} ({_day(day)})" for day, name in closed)
    return (
        f"Bank holiday or closure in {spec['title']} ({_day(first)} to {_day(last)}): "
        f"{names}; {spec['check']} ({spec['source']})."
    )


def _term_time(
    spec: Mapping[str, Any],
    events: Mapping[str, Event],
    calendar: WorkingCalendar,
    school_holidays: Sequence[Holiday] | None,
) -> list[str]:
    span = _span(spec, events)
    if span is None:
        return []
    first, last = span
    given = school_holidays is not None
    if school_holidays is None:
        holidays = default_holidays(range(first.year - 1, last.year + 1), calendar)
        where = "a school holiday everywhere in England"
    else:
        holidays = list(school_holidays)
        where = "the case file's school holidays"
    out = []
    for holiday in holidays:
        if holiday.start <= last and holiday.end >= first:
            if holiday.usual:
                where = (
                    "a school holiday in most of England, usual rather than certain: "
                    "term dates differ between local authorities"
                )
            elif not given:
                where = "a school holiday everywhere in England"
            verb = "touches" if spec.get("singular") else "touch"
            out.append(
                f"{_sentence(spec['title'])} ({_day(first)} to {_day(last)}) {verb} "
                f"{holiday.name} ({_day(holiday.start)} to {_day(holiday.end)}, {where}): "
                f"{spec.get('usually', 'inspections usually take place during school term time')} "
                f"({spec['source']}); check the "
                "dates of tracking meetings, visits and surveys that need schools and families"
                + (
                    ""
                    if given
                    else "; `[calendar] school_holidays` in the case file checks local term dates"
                )
                + "."
            )
    return out


@cache
def _school_holidays_data() -> dict[str, Any]:
    """``data/school_holidays.toml``, read once a process (``ready`` asks 52 times)."""
    from sendplan.cache import load_toml

    return load_toml(Path(__file__).parent / "data" / "school_holidays.toml")


def default_holidays(years: Iterable[int], calendar: WorkingCalendar) -> list[Holiday]:
    """The holidays of ``data/school_holidays.toml`` in ``years`` (each starting in that year)."""
    data = _school_holidays_data()
    good_fridays = {d.year: d for d, name in calendar.holidays.items() if name == "Good Friday"}
    out = []
    for year in years:
        for holiday in data["holiday"]:
            usual = holiday.get("certainty", "certain") == "usual"
            if "from_easter" in holiday:
                if year not in good_fridays:
                    continue
                easter = good_fridays[year] + timedelta(days=2)
                start = easter + timedelta(days=int(holiday["from_easter"]))
                end = easter + timedelta(days=int(holiday["to_easter"]))
            elif "week_of" in holiday:
                start = _monday(year, holiday["week_of"])
                end = start + timedelta(days=4)  # Monday to Friday
            else:
                start = date(year, holiday["from"]["month"], holiday["from"]["day"])
                end = date(year, holiday["to"]["month"], holiday["to"]["day"])
                if end < start:  # runs into the new year
                    end = date(year + 1, end.month, end.day)
            out.append(Holiday(start, end, str(holiday["name"]), usual))
    return out


def _monday(year: int, spec: Mapping[str, Any]) -> date:
    """The Monday a half-term week starts: the ``last`` Monday of ``month``, or the
    Monday between the days ``between`` gives (mid-February)."""
    month = int(spec["month"])
    if spec.get("monday") == "last":
        last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        return last - timedelta(days=last.weekday())
    low, high = (int(d) for d in spec["between"])
    first = date(year, month, low)
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    if monday.day > high:
        raise ValueError(f"no Monday between {low} and {high} of month {month}")
    return monday


def _awkward_days(
    spec: Mapping[str, Any], events: Mapping[str, Event], calendar: WorkingCalendar
) -> list[str]:
    """Deadlines on 24 or 31 December, or next to a bank holiday or closure, named."""
    named = {(int(d["month"]), int(d["day"])): str(d["name"]) for d in spec.get("days", ())}
    readings = {str(e) for e in spec.get("even_if_planned", ())}
    found = []
    for event_id in spec["events"]:
        event = events.get(str(event_id))
        if event is None:
            continue
        if event.approximate and not event.recorded and event.id not in readings:
            continue  # still planned: its day moves once the day it follows is recorded
        day = event.end_date or event.date
        why = []
        if (day.month, day.day) in named:
            why.append(named[(day.month, day.day)])
        after = calendar.non_working_weekdays(day + timedelta(days=1), calendar.add(day, 1))
        if after:
            why.append(f"the last working day before {after[0][1]}")
        before = calendar.non_working_weekdays(calendar.add(day, -1), day - timedelta(days=1))
        if before:
            why.append(f"the first working day after {before[-1][1]}")
        if why:
            when = f"{clock_text(event.time)} on {_day(day)}" if event.time else _day(day)
            found.append(f"{event.id} ({when}: {' and '.join(why)})")
    if not found:
        return []
    return [f"Deadlines on awkward days: {'; '.join(found)}. {spec['check']} ({spec['source']})."]


def _era_names(spec: Mapping[str, Any], events: Mapping[str, Event], case: Case) -> list[str]:
    """A case whose people name a body of the wrong era (an ICB in a 2019 re-visit)."""
    import re

    from sendplan.eras import describe

    event = events.get(str(spec["event"]))
    change = describe(str(spec["change"]))
    if event is None or event.date >= change["from"]:
        return []
    pattern = re.compile(str(spec["pattern"]), re.IGNORECASE)
    people = [(role, p) for role, p in case.people.items()] + [
        ("other", p) for p in case.other_people
    ]
    named = sorted(
        {
            f"people.{role}"
            for role, person in people
            for text in (person.organisation, person.role)
            if text and pattern.search(text)
        }
    )
    if not named:
        return []
    return [
        f"{', '.join(named)} {'names' if len(named) == 1 else 'name'} an integrated care board, "
        f"but {event.id} is {_day(event.date)}, before {_day(change['from'])}: "
        f"{spec['text']} ({change['source']}; {spec['source']})."
    ]


def _visit_limit(spec: Mapping[str, Any], events: Mapping[str, Event], case: Case) -> list[str]:
    """Para 22: more monitoring visits across both frameworks in 12 months than usual."""
    from sendplan.calendar import move
    from sendplan.schema import key_value

    event = events.get(str(spec["event"]))
    if event is None:
        return []
    key = str(spec["input"])
    visits = key_value(case, key)
    limit, months = int(spec["limit"]), int(spec["months"])
    if visits is None:
        return [
            f"{spec['title']}: the check cannot be made without `{key}` "
            f"(list the dates; `{key} = []` if there are none) ({spec['source']})."
        ]
    days = sorted([*visits, event.date])
    worst: list[date] = []
    for start in days:
        end = move(start, months, "months")
        inside = [d for d in days if start <= d < end]
        if start <= event.date < end and len(inside) > len(worst):
            worst = inside
    if len(worst) <= limit:
        return []
    listed = ", ".join(_day(d) for d in worst)
    return [
        f"{spec['title']}: {len(worst)} monitoring visits within {months} months "
        f"({listed}; {event.id} included), more than the usual {limit}; "
        f"{spec['check']} ({spec['source']})."
    ]


def _usual_weekday(
    spec: Mapping[str, Any], events: Mapping[str, Event], calendar: WorkingCalendar
) -> list[str]:
    event = events.get(str(spec["event"]))
    if event is None or WEEKDAYS[event.date.weekday()] == spec["weekday"]:
        return []
    span = _span(
        {"from": spec["unless_closure_from"], "before": spec["unless_closure_before"]}, events
    )
    if span is not None and calendar.non_working_weekdays(*span):
        return []  # a bank holiday or closure in that span explains it
    return [
        f"{event.id} {_day(event.date)} is a {WEEKDAYS[event.date.weekday()]}: it "
        f'"{spec["usually"]}", and no bank holiday or closure falls in '
        f"{spec['unless_closure_in']} here "
        f"({spec['source']}). Check the date with the lead inspector."
    ]
