"""Calendar export: the schedule as iCalendar (RFC 5545) events, for Outlook and Google.

:func:`calendar_ics` turns a :class:`~sendplan.schedule.Schedule` into one
VCALENDAR, written by the ``icalendar`` library (never by hand):

* an event with a time of day (``11:00`` deadlines) is timed in Europe/London,
  with the zone's VTIMEZONE; a deadline (an id ending ``_due``) lasts
  :data:`DEADLINE_LENGTH`, anything else :data:`MEETING_LENGTH`;
* an event without a time is an all-day event; a window (``end_date``) spans
  its days, DTEND being the day *after* the last (RFC 5545 3.6.1: exclusive).
  All-day events are TRANSPARENT, so a two-week window does not mark anyone
  busy;
* UIDs are derived from the local area, the inspection kind and the event id
  (:func:`event_uid`), so importing a new export updates events rather than
  duplicating them;
* SEQUENCE starts at 0 and rises by one each time an event's start or end
  moves.  A calendar file cannot know what was exported before, so the caller
  passes the previous export (:func:`read_previous`); :func:`export_calendar`
  reads the file it is about to replace or the one named by ``previous``.

Nothing here reads the clock: DTSTAMP is the ``stamp`` argument.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sendplan import __version__
from sendplan.dates import date_text
from sendplan.errors import UsageError, suggestion_text
from sendplan.rules import ROLES

if TYPE_CHECKING:
    import icalendar

    from sendplan.schedule import Event, Schedule

LONDON = ZoneInfo("Europe/London")
#: How long a timed event lasts in the calendar (the guidance gives only a start).
MEETING_LENGTH = timedelta(hours=1)
#: A deadline ("due by 11:00") is a short marker at the deadline, not a meeting.
DEADLINE_LENGTH = timedelta(minutes=15)
#: An earlier export larger than this is not one inspection's calendar (a
#: --previous file is read whole, so it is refused rather than trusted): one
#: inspection's export is about 40 KB.
MAX_PREVIOUS_BYTES = 5 << 20
#: Components an earlier export may nest (VCALENDAR > VEVENT > VALARM) and hold:
#: checked in one pass before the iCalendar parser, which slows down more than
#: linearly on thousands of unclosed BEGIN lines.
MAX_PREVIOUS_DEPTH = 3
MAX_PREVIOUS_COMPONENTS = 20_000
#: The longest --alarm: a year before an event is already not a reminder.
MAX_ALARM = timedelta(weeks=52)
#: SEQUENCE is a non-negative integer (RFC 5545 3.8.7.4); clients store it in 32 bits.
MAX_SEQUENCE = 2**31 - 2
#: Fixed namespace for :func:`event_uid`; changing it would duplicate every
#: event already imported by a user, so it never changes.
UID_NAMESPACE = uuid.UUID("6f0b8a52-3c1e-5d4a-9f1b-2e7c5a9d8e41")

_ALARM = re.compile(r"(\d+)([wdhm])")
_ALARM_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}


@dataclass(frozen=True)
class Previous:
    """What an earlier export said about one event (by UID)."""

    sequence: int
    start: date | datetime
    end: date | datetime | None
    cancelled: bool = False


# ------------------------------------------------------------------ inputs
def parse_alarm(text: str) -> timedelta:
    """``1d``, ``2h``, ``30m``, ``1w`` or combinations (``1d12h``) as a duration.

    Raises :class:`UsageError` for anything else, or for zero.
    """
    cleaned = text.strip().lower()
    parts = _ALARM.findall(cleaned)
    if not parts or "".join(n + u for n, u in parts) != cleaned:
        raise UsageError(
            "is not a duration like 1d, 2h, 30m or 1d12h (w weeks, d days, h hours, m minutes)",
            option="alarm",
            value=text,
        )
    try:
        total = sum((timedelta(**{_ALARM_UNITS[u]: int(n)}) for n, u in parts), timedelta())
    except (OverflowError, ValueError):  # 10**20 days: more than a timedelta holds
        total = MAX_ALARM + timedelta(days=1)
    if total <= timedelta(0):
        raise UsageError("must be longer than zero", option="alarm", value=text)
    if total > MAX_ALARM:
        raise UsageError(
            "is longer than a reminder can usefully be (at most 52w)", option="alarm", value=text
        )
    return total


def check_roles(roles: Iterable[str]) -> tuple[str, ...]:
    """The ``--who`` roles, lower-cased and checked against :data:`sendplan.rules.ROLES`."""
    out: list[str] = []
    for role in roles:
        key = role.strip().lower()
        if key not in ROLES:
            hint = suggestion_text(key, ROLES)
            raise UsageError(
                f"is not a role; roles are: {', '.join(ROLES)}" + (f" ({hint})" if hint else ""),
                option="who",
                value=role,
            )
        if key not in out:
            out.append(key)
    return tuple(out)


def event_uid(local_area: str, kind: str, event_id: str) -> str:
    """A stable UID for one event of one local area's inspection of one kind.

    Case and surrounding spaces in the local area's name do not matter, so
    tidying the case file does not duplicate imported events.
    """
    key = f"{' '.join(local_area.split()).casefold()}/{kind}/{event_id}"
    return f"{uuid.uuid5(UID_NAMESPACE, key)}@sendplan"


def read_previous(text: str | bytes) -> dict[str, Previous]:
    """The events of an earlier export, by UID, to carry SEQUENCE forward.

    Raises :class:`UsageError` when ``text`` is not an iCalendar file.
    """
    import icalendar

    # The file is hostile until read: no message here quotes its bytes.
    _check_shape(text.encode("utf-8", "replace") if isinstance(text, str) else text)
    try:
        calendar = icalendar.Calendar.from_ical(text)
        events = list(calendar.walk("VEVENT"))
    except Exception:  # icalendar raises many types on garbage; none reaches the user raw
        raise UsageError("the previous export is not an iCalendar file") from None
    out: dict[str, Previous] = {}
    for number, event in enumerate(events, start=1):
        uid = str(event.get("UID", ""))
        if not uid or "DTSTART" not in event:
            continue
        try:
            sequence = int(str(event.get("SEQUENCE", 0)))
            start = event.decoded("DTSTART")
            end = event.decoded("DTEND") if "DTEND" in event else None
        except Exception:
            raise UsageError(
                f"event {number} of the previous export has a SEQUENCE, DTSTART or DTEND "
                "that is not valid iCalendar"
            ) from None
        if not 0 <= sequence <= MAX_SEQUENCE or not isinstance(start, date):
            raise UsageError(
                f"event {number} of the previous export has SEQUENCE outside 0 to "
                f"{MAX_SEQUENCE:,} or no date: not an export sendplan wrote"
            )
        cancelled = str(event.get("STATUS", "")).upper() == "CANCELLED"
        out[uid] = Previous(sequence, start, end if isinstance(end, date) else None, cancelled)
    return out


def _check_shape(data: bytes) -> None:
    """Refuse, in one linear pass, components nested or repeated past what an export holds."""
    depth = components = 0
    for line in data.splitlines():
        head = line[:6].upper()
        if head == b"BEGIN:":
            depth += 1
            components += 1
            if depth > MAX_PREVIOUS_DEPTH or components > MAX_PREVIOUS_COMPONENTS:
                raise UsageError(
                    f"the previous export nests components more than {MAX_PREVIOUS_DEPTH} deep "
                    f"or holds more than {MAX_PREVIOUS_COMPONENTS:,}: not an export sendplan wrote"
                )
        elif head[:4] == b"END:":
            depth = max(depth - 1, 0)


# ------------------------------------------------------------------ export
def event_span(event: Event) -> tuple[date | datetime, date | datetime]:
    """DTSTART and DTEND of an event (DTEND exclusive for all-day events)."""
    last = event.end_date or event.date
    if event.time is None:
        return event.date, last + timedelta(days=1)
    start = datetime.combine(event.date, event.time, tzinfo=LONDON)
    length = DEADLINE_LENGTH if event.id.endswith("_due") else MEETING_LENGTH
    return start, datetime.combine(last, event.time, tzinfo=LONDON) + length


def describe(event: Event, schedule: Schedule) -> str:
    """The event's DESCRIPTION: who acts, the paragraph, the note."""
    lines = [
        f"Who acts: {', '.join(ROLES[w] for w in event.who)}",
        f"Source: {event.source} ({schedule.rules.source})",
    ]
    if event.end_date is not None:
        lines.append(f"From {_day(event.date)} to {_day(event.end_date)}.")
    if event.approximate:
        lines.append("The guidance gives this date loosely; it is agreed locally.")
    if event.recorded:
        lines.append("Date recorded in the case file.")
    if event.note:
        lines.append(event.note)
    lines.append(f"{schedule.rules.title}: {schedule.case.local_area} (sendplan)")
    return "\n".join(lines)


def _day(day: date) -> str:
    return date_text(day, weekday=True)


def select_events(schedule: Schedule, who: Sequence[str] = ()) -> list[Event]:
    """The schedule's events, only those one of ``who`` acts on when given."""
    if not who:
        return list(schedule.events)
    return [e for e in schedule.events if set(e.who) & set(who)]


def calendar_ics(
    schedule: Schedule,
    *,
    stamp: datetime,
    who: Sequence[str] = (),
    alarms: Sequence[timedelta] = (),
    previous: Mapping[str, Previous] | None = None,
) -> bytes:
    """The schedule (or the events ``who`` act on) as an iCalendar file.

    ``stamp`` (timezone-aware) is every event's DTSTAMP; ``alarms`` are
    reminders before each event's start; ``previous`` (from
    :func:`read_previous`) carries each UID's SEQUENCE forward, one higher
    where the event's start or end moved.
    """
    return calendar_export(schedule, stamp=stamp, who=who, alarms=alarms, previous=previous).data


@dataclass(frozen=True)
class Timed:
    """One calendar entry: a schedule event, or a session of the saved timetable."""

    id: str
    title: str
    start: date | datetime
    end: date | datetime
    description: str
    categories: tuple[str, ...]
    who: tuple[str, ...]
    opaque: bool = True
    location: str | None = None
    #: Sent as STATUS:CANCELLED (RFC 5545 3.8.1.11): a session taken out of the
    #: timetable, so a calendar that has it drops it instead of keeping a ghost.
    cancelled: bool = False


@dataclass(frozen=True)
class Export:
    """An export: the iCalendar bytes and one summary row per event (for JSON)."""

    data: bytes
    events: list[dict[str, object]]


def calendar_export(
    schedule: Schedule,
    *,
    stamp: datetime,
    who: Sequence[str] = (),
    alarms: Sequence[timedelta] = (),
    previous: Mapping[str, Previous] | None = None,
    timed: Sequence[Timed] = (),
    replaced: Mapping[str, str] | None = None,
) -> Export:
    """:func:`calendar_ics` with a summary of what was exported.

    ``timed`` adds entries from elsewhere (the saved timetable's sessions).
    ``replaced`` maps a schedule event id to the ``timed`` entry that books the
    meeting (one entry per meeting, ``sendplan.timetable.meetings``): the event
    is left out, or, when ``previous`` shows it was exported, sent once more as
    cancelled so the calendar holding it drops it.
    """
    import icalendar

    if stamp.tzinfo is None:
        raise ValueError("stamp must be timezone-aware")
    stamp = stamp.astimezone(UTC)
    previous = previous or {}
    case = schedule.case
    calendar = icalendar.Calendar.new(
        prodid=f"-//sendplan//sendplan {__version__}//EN",
        # The calendar's own UID is stable too, so a re-export is the same calendar.
        uid=event_uid(case.local_area, case.kind, "calendar/" + ",".join(who)),
        method="PUBLISH",
    )
    # NAME (RFC 7986) and X-WR-CALNAME are TEXT: `;`, `,` and `\` escaped (RFC 5545
    # 3.3.11). icalendar's `name=` writes both unescaped, so they are added as vText.
    name = _calendar_name(schedule, who)
    calendar.add("NAME", icalendar.vText(name))
    calendar.add("X-WR-CALNAME", icalendar.vText(name))
    events = select_events(schedule, who)
    rows: list[dict[str, object]] = []
    entries = _entries(schedule, events)
    if replaced:
        entries = _without_replaced(case.local_area, case.kind, entries, replaced, previous)
    for entry in entries + list(timed):
        uid = event_uid(case.local_area, case.kind, entry.id)
        sequence = _sequence(previous.get(uid), entry.start, entry.end, entry.cancelled)
        calendar.add_component(_component(entry, uid, stamp, sequence, alarms))
        rows.append(
            {
                "id": entry.id,
                "uid": uid,
                "sequence": sequence,
                "start": entry.start.isoformat(),
                "end": entry.end.isoformat(),
                "all_day": not isinstance(entry.start, datetime),
                "who": list(entry.who),
                "cancelled": entry.cancelled,
            }
        )
    _add_timezones(calendar, events, timed)
    return Export(bytes(calendar.to_ical()), rows)


def _calendar_name(schedule: Schedule, who: Sequence[str]) -> str:
    """``Full inspection: Exampleshire (LANO and DCS)``: the calendar's display name."""
    name = f"{schedule.rules.title}: {schedule.case.local_area}"
    if who:
        # " and ", not commas: some readers split X-WR-CALNAME at escaped commas.
        name += f" ({' and '.join(ROLES[w] for w in who)})"
    return name


def _entries(schedule: Schedule, events: Sequence[Event]) -> list[Timed]:
    """The schedule's events as calendar entries; a timed event blocks the time (opaque)."""
    return [
        Timed(
            event.id,
            event.title,
            *event_span(event),
            describe(event, schedule),
            tuple(ROLES[w] for w in event.who),
            tuple(event.who),
            opaque=event.time is not None,
        )
        for event in events
    ]


def _without_replaced(
    local_area: str,
    kind: str,
    entries: Sequence[Timed],
    replaced: Mapping[str, str],
    previous: Mapping[str, Previous],
) -> list[Timed]:
    """``entries`` less those a timed entry replaces; one an earlier export sent is
    sent again as cancelled (under its own UID), so no calendar shows the meeting twice."""
    from dataclasses import replace

    out = []
    for entry in entries:
        by = replaced.get(entry.id)
        if by is None:
            out.append(entry)
        elif event_uid(local_area, kind, entry.id) in previous:
            note = "Cancelled: this day-only entry is replaced by the timetable's booking of "
            out.append(
                replace(
                    entry,
                    title="Cancelled: " + entry.title,
                    description=f"{note}the meeting, its own calendar entry.\n" + entry.description,
                    opaque=False,
                    cancelled=True,
                )
            )
    return out


def _component(
    entry: Timed, uid: str, stamp: datetime, sequence: int, alarms: Sequence[timedelta]
) -> icalendar.Event:
    """One VEVENT, with a display alarm ``before`` each of ``alarms``."""
    import icalendar
    from icalendar.enums import TRANSP

    component = icalendar.Event.new(
        uid=uid,
        summary=entry.title,
        start=entry.start,
        end=entry.end,
        stamp=stamp,
        sequence=sequence,
        description=entry.description,
        categories=list(entry.categories),
        transparency=TRANSP.OPAQUE if entry.opaque else TRANSP.TRANSPARENT,
    )
    if entry.location:
        component.add("LOCATION", entry.location)
    if entry.cancelled:
        component.add("STATUS", "CANCELLED")
    for before in alarms:
        alarm = icalendar.Alarm()
        alarm.add("ACTION", "DISPLAY")
        alarm.add("DESCRIPTION", entry.title)
        alarm.add("TRIGGER", -before)
        component.add_component(alarm)
    return component


def _add_timezones(
    calendar: icalendar.Calendar, events: Sequence[Event], timed: Sequence[Timed]
) -> None:
    """The VTIMEZONE timed entries need, for the years the events use only
    (a 1970-2038 VTIMEZONE is 60 lines of RDATEs)."""
    timed_days = [e.date for e in events if e.time is not None] + [
        t.start.date() for t in timed if isinstance(t.start, datetime)
    ]
    if timed_days:
        first = min(timed_days + [e.date for e in events])
        last = max(timed_days + [e.end_date or e.date for e in events])
        calendar.add_missing_timezones(date(first.year, 1, 1), date(last.year + 1, 1, 1))


def export_calendar(
    schedule: Schedule,
    *,
    today: datetime,
    output: Path | None,
    previous: Path | None = None,
    force: bool = False,
    who: Sequence[str] = (),
    alarms: Sequence[timedelta] = (),
    timed: Sequence[Timed] = (),
    replaced: Mapping[str, str] | None = None,
) -> Export:
    """The export for ``sendplan calendar``, checked against what it will replace.

    ``today`` is a wall-clock time in Europe/London (DTSTAMP; a fixed one makes
    the file reproducible).  ``output`` is the file to be written (None:
    stdout); an existing one is refused without ``force``, before any work.
    SEQUENCE is carried forward from ``previous``, else from the file being
    replaced.
    """
    from sendplan.files import is_regular_file, output_target

    if output is not None:
        output_target(output, force)  # an existing file without force: refused before any work
    # The file --force replaces is the previous export (never a device or FIFO).
    earlier = previous or (output if output is not None and is_regular_file(output) else None)
    known: dict[str, Previous] = {}
    if earlier is not None:
        from sendplan.files import read_input

        # A regular file, and small: an export of one inspection is about 40 KB.
        known = read_previous(read_input(earlier, "previous calendar export", MAX_PREVIOUS_BYTES))
    stamp = today.replace(tzinfo=LONDON)
    return calendar_export(
        schedule,
        stamp=stamp,
        who=who,
        alarms=alarms,
        previous=known,
        timed=timed,
        replaced=replaced,
    )


def _sequence(
    before: Previous | None, start: date | datetime, end: date | datetime, cancelled: bool = False
) -> int:
    """SEQUENCE: one higher than before when the event moved or is newly cancelled.

    A cancellation with no earlier export to compare with is 1, above the 0 a
    first export gives, so a calendar holding the event takes the cancellation.
    """
    if before is None:
        return 1 if cancelled else 0
    moved = not _same(before.start, start) or not _same(before.end, end)
    changed = moved or cancelled != before.cancelled
    return before.sequence + 1 if changed else before.sequence


def _same(old: date | datetime | None, new: date | datetime) -> bool:
    # A date and a datetime never compare equal, so all-day <-> timed counts as moved.
    if old is None or isinstance(old, datetime) != isinstance(new, datetime):
        return False
    return old == new
