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
  closure in weeks 1-2 explains it.

Pure: no clock, no printing; returns the sentences.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sendplan.case.records import SchoolHoliday
from sendplan.dates import WEEKDAYS, date_text

if TYPE_CHECKING:
    from sendplan.calendar import WorkingCalendar
    from sendplan.events import Event


def _day(day: date) -> str:
    """``Mon 21 Apr 2025``, as the schedule's tables write dates."""
    return date_text(day, weekday=True)


def _sentence(title: str) -> str:
    """A data file's title (``weeks 1-3``) opening a sentence."""
    return title[:1].upper() + title[1:]


#: A school holiday: the case file's record, also for the England-wide defaults.
Holiday = SchoolHoliday


def advisories(
    spec: Mapping[str, Any],
    events: Mapping[str, Event],
    calendar: WorkingCalendar,
    school_holidays: Sequence[SchoolHoliday] | None = None,
) -> list[str]:
    """The advisories for one schedule's ``events`` (by id), as sentences.

    ``school_holidays`` are the case's own term dates; None means the case
    gives none, so the holidays of ``data/school_holidays.toml`` are used.
    """
    out = [w for window in spec.get("window", ()) if (w := _window(window, events, calendar))]
    if "term_time" in spec:
        out += _term_time(spec["term_time"], events, calendar, school_holidays)
    if "usual_weekday" in spec:
        out += _usual_weekday(spec["usual_weekday"], events, calendar)
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
    school_holidays: Sequence[SchoolHoliday] | None,
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
            out.append(
                f"{_sentence(spec['title'])} ({_day(first)} to {_day(last)}) touch {holiday.title} "
                f"({_day(holiday.start)} to {_day(holiday.end)}, {where}): inspections "
                f"usually take place during school term time ({spec['source']}); check the "
                "dates of tracking meetings, visits and surveys that need schools and families"
                + (
                    ""
                    if given
                    else "; `[calendar] school_holidays` in the case file checks local term dates"
                )
                + "."
            )
    return out


def default_holidays(years: Iterable[int], calendar: WorkingCalendar) -> list[SchoolHoliday]:
    """The holidays of ``data/school_holidays.toml`` in ``years`` (each starting in that year)."""
    from sendplan.cache import load_toml

    data = load_toml(Path(__file__).parent / "data" / "school_holidays.toml")
    good_fridays = {d.year: d for d, name in calendar.holidays.items() if name == "Good Friday"}
    out = []
    for year in years:
        for holiday in data["holiday"]:
            if "from_easter" in holiday:
                if year not in good_fridays:
                    continue
                easter = good_fridays[year] + timedelta(days=2)
                start = easter + timedelta(days=int(holiday["from_easter"]))
                end = easter + timedelta(days=int(holiday["to_easter"]))
            else:
                start = date(year, holiday["from"]["month"], holiday["from"]["day"])
                end = date(year, holiday["to"]["month"], holiday["to"]["day"])
                if end < start:  # runs into the new year
                    end = date(year + 1, end.month, end.day)
            out.append(SchoolHoliday(start, end, str(holiday["name"])))
    return out


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
