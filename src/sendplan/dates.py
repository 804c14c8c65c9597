"""Dates as people read them: the one formatter every output uses (GOV.UK style).

GOV.UK style writes a date as ``25 April 2025`` (no "th", no comma) and a
weekday before it in full; tables short of width use the abbreviated month
(``25 Apr 2025``).  Plain text, no Rich: the core's messages use it too.
"""

from __future__ import annotations

from datetime import date, datetime, time

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

#: When something with a date but no time is due: the end of that day
#: (``Event.moment``, a checklist item's ``due``).
END_OF_DAY = time(23, 59, 59)


def date_text(day: date, *, long: bool = False, weekday: bool = False, year: bool = True) -> str:
    """``25 Apr 2025``; ``long``: ``25 April 2025``; ``weekday``: ``Fri 25 Apr 2025``
    or, with ``long``, ``Friday 25 April 2025``; ``year=False``: ``25 Apr`` (a
    timeline's axis)."""
    text = f"{day.day} {day:%B}" if long else f"{day.day} {day:%b}"
    if year:
        text += f" {day.year}"
    if weekday:
        name = WEEKDAYS[day.weekday()]
        text = f"{name if long else name[:3]} {text}"
    return text


def clock_text(value: time | datetime) -> str:
    """``14:30``: the one way a time of day is written (24-hour, GOV.UK style)."""
    return f"{value.hour:02d}:{value.minute:02d}"


def moment_text(moment: datetime, *, long: bool = True) -> str:
    """``Tuesday 20 May 2025, 14:30`` (``long=False``: ``Tue 20 May 2025, 14:30``): the
    moment a status board describes (no time at midnight: a date given alone)."""
    text = date_text(moment.date(), long=long, weekday=True)
    return text if moment.time() == time(0, 0) else f"{text}, {clock_text(moment)}"


def day_span(first: date, last: date) -> str:
    """``Mon 12 - Fri 16 May``: the days of a run, the month and year said once.

    The year is left out when both days are in the same one, as a table's
    date column gives it; ``Wed 31 Dec 2025 - Fri 2 Jan 2026`` otherwise.
    """
    if first.year != last.year:
        return f"{date_text(first, weekday=True)} - {date_text(last, weekday=True)}"
    start = short_date(first)
    if first.month == last.month:
        start = start.rsplit(" ", 1)[0]
    return f"{start} - {short_date(last)}"


def short_date(day: date) -> str:
    """``Tue 1 Dec``: a day this year or next, where the year goes without saying."""
    return f"{WEEKDAYS[day.weekday()][:3]} {day.day} {day:%b}"
