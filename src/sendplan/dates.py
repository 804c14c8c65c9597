"""Dates as people read them: the one formatter every output uses (GOV.UK style).

GOV.UK style writes a date as ``25 April 2025`` (no "th", no comma) and a
weekday before it in full; tables short of width use the abbreviated month
(``25 Apr 2025``).  Plain text, no Rich: the core's messages use it too.
"""

from __future__ import annotations

from datetime import date, datetime

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def date_text(day: date, *, long: bool = False, weekday: bool = False) -> str:
    """``25 Apr 2025``; ``long``: ``25 April 2025``; ``weekday``: ``Fri 25 Apr 2025``
    or, with ``long``, ``Friday 25 April 2025``."""
    text = f"{day.day} {day:%B %Y}" if long else f"{day.day} {day:%b %Y}"
    if weekday:
        name = WEEKDAYS[day.weekday()]
        text = f"{name if long else name[:3]} {text}"
    return text


def moment_text(moment: datetime) -> str:
    """``Mon 01 Dec 2025 11:30``: the moment a status board describes."""
    return f"{moment:%a %d %b %Y %H:%M}"
