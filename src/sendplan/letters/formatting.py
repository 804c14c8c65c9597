"""GOV.UK dates and times, and Markdown escaping of every printed value."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from sendplan.dates import date_text
from sendplan.errors import LetterError
from sendplan.text import md_escape

if TYPE_CHECKING:
    from sendplan.schedule import Event


#: Added to the date of an event the guidance dates only loosely (an
#: approximate rule, or one counted from it) while the case records no date:
#: a letter words it as planned, never as a commitment (issue 11).
TO_BE_CONFIRMED = " (to be confirmed)"


def planned(value: object) -> str:
    """:data:`TO_BE_CONFIRMED` for an approximate, unrecorded event, else nothing."""
    approximate = getattr(value, "approximate", False) is True
    return TO_BE_CONFIRMED if approximate and not getattr(value, "recorded", False) else ""


# ------------------------------------------------------------------ GOV.UK style
def govuk_date(value: date | datetime | Event) -> str:
    """``Monday 20 April 2026`` (GOV.UK style: weekday, no comma, no 'th').

    An approximate event prints as planned: ``Monday 20 April 2026 (to be confirmed)``.
    """
    day = _as_date(value)
    return date_text(day, long=True, weekday=True) + planned(value)


def govuk_day(value: date | datetime | Event) -> str:
    """``20 April 2026`` (approximate events marked as for :func:`govuk_date`)."""
    return date_text(_as_date(value), long=True) + planned(value)


def govuk_time(value: time | datetime | Event) -> str:
    """``11am``, ``5pm``, ``5:30pm``, ``midday``, ``midnight`` (GOV.UK style guide)."""
    moment = _as_time(value)
    if moment.hour == 12 and moment.minute == 0:
        return "midday"
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def govuk_when(event: Event) -> str:
    """An event's date the way a letter says it.

    ``11am on Tuesday 28 April 2025`` for a timed deadline, ``Friday 2 May 2025
    to Friday 16 May 2025`` for a window, else the date.
    """
    if event.end_date is not None:
        return f"{govuk_date(event.date)} to {govuk_date(event.end_date)}{planned(event)}"
    if event.time is not None:
        return f"{govuk_time(event.time)} on {govuk_date(event.date)}{planned(event)}"
    return govuk_date(event)


def govuk_span(event: Event, word: str = "to") -> str:
    """An event's day, or its window as ``Friday 2 May 2025 <word> Friday 9 May 2025``."""
    if event.end_date is None:
        return govuk_date(event)
    return f"{govuk_date(event.date)} {word} {govuk_date(event.end_date)}{planned(event)}"


def join_and(items: Sequence[Any]) -> str:
    """``a, b and c`` (no Oxford comma, GOV.UK style)."""
    words = [str(i) for i in items]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    inner = getattr(value, "date", None)
    if isinstance(inner, date):
        return inner
    raise LetterError(f"expected a date or an event, got {type(value).__name__}")


def _as_time(value: Any) -> time:
    if isinstance(value, datetime):
        return value.time()
    if isinstance(value, time):
        return value
    inner = getattr(value, "time", None)
    if isinstance(inner, time):
        return inner
    raise LetterError(f"expected a time or a timed event, got {type(value).__name__}")


# ------------------------------------------------------------------ Markdown
class Markdown(str):
    """Text that is already Markdown: printed as is."""


# Only a marker followed by a space (or nothing) starts a list item.
_LINE_START = re.compile(r"(\d+)([.)])(?= |$)")


def md_text(text: str) -> str:
    """Case text made safe to drop anywhere in a Markdown line, table cell included.

    Builds on :func:`sendplan.text.md_escape`; also ``|`` (table cells), ``~``
    (strike-through), ``&`` before an entity name, and a list or heading
    marker at the start.  Line breaks become spaces: a newline inside a
    value would end a table row or start a new block.
    """
    text = " ".join(text.split())
    out = md_escape(text).replace("|", "\\|").replace("~", "\\~")
    out = re.sub(r"&(?=#?\w+;)", r"\\&", out)
    match = _LINE_START.match(out)
    if match:
        out = f"{match.group(1)}\\{match.group(2)}{out[match.end() :]}"
    elif out[:1] == ">" or re.match(r"[-+](?= |$)", out):
        out = "\\" + out
    return out


class _Unprintable(LetterError):
    pass


def _finalize(value: Any) -> Any:
    """Applied to every ``{{ }}``: escape text, write dates the GOV.UK way."""
    from jinja2 import Undefined

    if isinstance(value, Undefined):
        str(value)  # StrictUndefined: raises, naming the variable
    if isinstance(value, Markdown):
        return value
    if isinstance(value, str):
        return md_text(value)
    if isinstance(value, bool) or value is None:
        raise _Unprintable(f"prints {value!r}; test it with {{% if %}} instead of printing it")
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, date):  # datetime too
        return govuk_date(value)
    if isinstance(value, time):
        return govuk_time(value)
    raise _Unprintable(
        f"prints a whole {type(value).__name__}; print one of its fields, e.g. "
        "`.name`, or a date with `|govuk_date`"
    )
