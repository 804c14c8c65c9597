"""Invitations that update themselves: the organiser's requests and cancellations.

Each session of the saved timetable is one meeting with one UID, the UID its
calendar export has (``sendplan.ics.event_uid`` of ``timetable/<session id>``:
session ids do not change when a session moves, issue 19), so Outlook and
Google Calendar move the entry they already hold instead of adding another.

``SEQUENCE`` (RFC 5545 3.8.7.4) is one per UID, the same in every
recipient's file: read from the invitations sent before (the files of the
folder, :func:`read_sent`), raised by one when the session's time, place,
attendees or status changed since; with no earlier invitation, the
timetable the change started from (``--from``) counts as sent at 0.

A session the timetable no longer holds (its record of cancelled sessions,
:class:`~sendplan.timetable.results.Cancelled`, the one source of the
calendar's ``STATUS:CANCELLED`` too) goes to its attendees as a
``METHOD:CANCEL`` under its old UID; so does a session someone no longer
attends, to them alone.

RFC 5546: a request names the organiser (the LANO) and every attendee with
an address; people without one are named in the description as invited
"via the LANO".  Children and families are never attendees.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sendplan.errors import UsageError
from sendplan.ics import MAX_SEQUENCE
from sendplan.tell.people import LANO, Recipient
from sendplan.timetable.model import VIRTUAL, hhmm

if TYPE_CHECKING:
    import icalendar

    from sendplan.case import Case
    from sendplan.timetable.results import Booked, Cancelled

REQUEST = "REQUEST"
CANCEL = "CANCEL"
#: An invitation file of one person is a few kB; anything past this is not one.
MAX_FILE_BYTES = 1 << 20
#: More files than this in the folder is not one inspection's invitations.
MAX_FILES = 2000
#: The calendar property naming whom a file is for: person id, with CN and EMAIL
#: parameters (RFC 5545 3.8.8.2 allows X- properties; clients ignore them).
FOR = "X-SENDPLAN-FOR"
#: What a change is called (the drafts' words): see :func:`change_of`.
NEW, MOVED, CHANGED, CANCELLED, SAME = "new", "moved", "changed", "cancelled", ""


@dataclass(frozen=True)
class Sent:
    """What an earlier invitation said of one UID (the highest SEQUENCE found)."""

    sequence: int
    start: datetime
    end: datetime
    location: str
    attendees: frozenset[str]
    cancelled: bool


@dataclass(frozen=True)
class Folder:
    """The invitations sent before: each UID's latest, and by person (file stem) the
    UIDs of their requests and of their cancellations."""

    sent: dict[str, Sent]
    requests: dict[str, frozenset[str]]
    cancels: dict[str, frozenset[str]]
    #: Who each file was for (:data:`FOR`): someone taken out of the case since (a
    #: provider withdrawn) still gets the cancellation of what they were sent.
    people: dict[str, Recipient] = field(default_factory=dict)


@dataclass(frozen=True)
class Invitation:
    """One session as every recipient gets it: UID, SEQUENCE, what changed."""

    uid: str
    booked: Booked
    sequence: int
    change: str
    before: Booked | None = None
    cancelled: bool = False
    #: When cancelled: why, in the saved timetable's words (removed or renamed).
    record: Cancelled | None = None


@dataclass(frozen=True)
class PersonInvitations:
    """A person's requests (their sessions) and cancellations (sessions gone, or
    that they no longer attend)."""

    recipient: Recipient
    requests: tuple[Invitation, ...]
    cancels: tuple[Invitation, ...]

    @property
    def changed(self) -> tuple[Invitation, ...]:
        """What changed for them: requests and cancellations not sent as they are."""
        return tuple(i for i in self.requests + self.cancels if i.change)


# ------------------------------------------------------------------ reading what was sent
def read_sent(folder: Path) -> Folder:
    """The invitations in ``folder`` (``*.ics`` files sendplan wrote), by UID.

    Hostile input: at most :data:`MAX_FILES` files of :data:`MAX_FILE_BYTES`;
    a file that is not iCalendar is a :class:`UsageError` naming it.
    """
    from sendplan.files import read_input

    sent: dict[str, Sent] = {}
    requests: dict[str, frozenset[str]] = {}
    cancels: dict[str, frozenset[str]] = {}
    people: dict[str, Recipient] = {}
    if not folder.is_dir():
        return Folder(sent, requests, cancels, people)
    paths = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".ics")
    if len(paths) > MAX_FILES:
        raise UsageError(f"{folder} holds {len(paths)} .ics files: not one inspection's")
    for path in paths:
        raw = read_input(path, "earlier invitation", MAX_FILE_BYTES)
        found, person = _events(raw, path)
        if person is not None:
            people[person.slug] = person
        name = path.name.removesuffix(".ics")
        files = cancels if name.endswith(".cancel") else requests
        stem = name.removesuffix(".cancel")
        files[stem] = files.get(stem, frozenset()) | {uid for uid, _ in found}
        for uid, item in found:
            known = sent.get(uid)
            # At one SEQUENCE a request outranks a cancellation to one removed attendee.
            if (
                known is None
                or item.sequence > known.sequence
                or (item.sequence == known.sequence and known.cancelled and not item.cancelled)
            ):
                sent[uid] = item
    return Folder(sent, requests, cancels, people)


def _events(raw: bytes, path: Path) -> tuple[list[tuple[str, Sent]], Recipient | None]:
    import icalendar

    from sendplan.ics import _check_shape

    try:
        # Linear, before the parser: nesting or components past what sendplan writes.
        _check_shape(raw)
    except UsageError as error:
        raise UsageError(f"{path}: {error}") from None
    try:
        calendar = icalendar.Calendar.from_ical(raw)
        events = list(calendar.walk("VEVENT"))
    except Exception:  # icalendar raises many types on garbage; none reaches the user raw
        raise UsageError(f"{path} is not an iCalendar file (an earlier invitation)") from None
    cancel = str(calendar.get("METHOD", "")).upper() == CANCEL
    person = None
    mark = calendar.get(FOR)
    if mark is not None and getattr(mark, "params", None) is not None:
        name, address = str(mark.params.get("CN", "")), str(mark.params.get("EMAIL", ""))
        if "@" in address and "\n" not in name + address:
            person = Recipient(str(mark), name or str(mark), name or str(mark), address)
    out = []
    for event in events:
        uid = str(event.get("UID", ""))
        try:
            sequence = int(str(event.get("SEQUENCE", 0)))
            start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        except Exception:
            raise UsageError(f"{path}: an event's SEQUENCE or times are not valid") from None
        if not uid or not isinstance(start, datetime) or not isinstance(end, datetime):
            raise UsageError(f"{path}: an event without UID or times: not an invitation")
        if not 0 <= sequence <= MAX_SEQUENCE:
            raise UsageError(f"{path}: SEQUENCE {sequence} is out of range")
        out.append(
            (
                uid,
                Sent(
                    sequence,
                    start.astimezone(UTC),
                    end.astimezone(UTC),
                    str(event.get("LOCATION", "")),
                    frozenset(_addresses(event.get("ATTENDEE"))),
                    cancel or str(event.get("STATUS", "")).upper() == "CANCELLED",
                ),
            )
        )
    return out, person


def _addresses(value: object) -> list[str]:
    values = value if isinstance(value, list) else [] if value is None else [value]
    return [str(v).removeprefix("mailto:").removeprefix("MAILTO:").lower() for v in values]


# ------------------------------------------------------------------ what to send
def session_uid(case: Case, session_id: str) -> str:
    """The UID of a session: the one its calendar export has (``sendplan calendar``)."""
    from sendplan.ics import event_uid

    return event_uid(case.local_area, case.kind, "timetable/" + session_id)


def plan_invitations(
    case: Case,
    people: Mapping[str, Recipient],
    booked: Mapping[str, Booked],
    cancelled: Sequence[Cancelled],
    folder: Folder,
    before: Mapping[str, Booked] | None = None,
) -> tuple[dict[str, Invitation], dict[str, Invitation]]:
    """Every session's invitation (by session id) and every cancellation (by old id).

    ``before`` is the timetable the change started from (``--from``), read as
    what was sent at SEQUENCE 0 when the folder has no earlier invitation.
    """
    live: dict[str, Invitation] = {}
    for sid, b in booked.items():
        uid = session_uid(case, sid)
        old = before.get(sid) if before is not None else None
        live[sid] = _invitation(uid, b, old, folder.sent.get(uid), people, before is not None)
    gone: dict[str, Invitation] = {}
    records = {c.id: c for c in cancelled}
    # A session of the earlier timetable with neither a booking nor a record (a fresh
    # plan saved over it) is cancelled all the same.
    for sid, b in (before or {}).items():
        if sid not in booked and sid not in records:
            records[sid] = _record(b)
    for sid, record in sorted(records.items()):
        uid = session_uid(case, sid)
        sent = folder.sent.get(uid)
        if sent is None:
            sequence, change = 1, CANCELLED
        else:
            sequence = sent.sequence + (0 if sent.cancelled else 1)
            change = SAME if sent.cancelled else CANCELLED
        gone[sid] = Invitation(uid, record.booked, sequence, change, record.booked, True, record)
    return live, gone


def _record(b: Booked) -> Cancelled:
    from sendplan.timetable.results import REMOVED, Cancelled

    return Cancelled(b, REMOVED)


def _invitation(
    uid: str,
    b: Booked,
    old: Booked | None,
    sent: Sent | None,
    people: Mapping[str, Recipient],
    replanned: bool,
) -> Invitation:
    if sent is not None:
        start, end = moment(b, b.start), moment(b, b.end)
        moved = (sent.start, sent.end) != (start.astimezone(UTC), end.astimezone(UTC))
        changed = (
            sent.location != location(b)
            or sent.attendees != frozenset(_emails(b.people, people))
            or sent.cancelled
        )
        change = MOVED if moved else CHANGED if changed else SAME
        return Invitation(uid, b, sent.sequence + (1 if change else 0), change, old)
    if old is None:
        return Invitation(uid, b, 0, NEW if replanned else SAME)
    change = change_of(old, b)
    return Invitation(uid, b, 1 if change else 0, change, old)


def change_of(old: Booked, new: Booked) -> str:
    """:data:`MOVED` (day or time), :data:`CHANGED` (place or people) or :data:`SAME`."""
    if (old.date, old.start, old.end) != (new.date, new.start, new.end):
        return MOVED
    if (old.venue, old.mode) != (new.venue, new.mode) or set(old.people) != set(new.people):
        return CHANGED
    return SAME


def for_people(
    people: Mapping[str, Recipient],
    live: Mapping[str, Invitation],
    gone: Mapping[str, Invitation],
    folder: Folder,
) -> list[PersonInvitations]:
    """Each person with an email and something to receive: their sessions only.

    A person gets a cancellation for a session taken out that they attended,
    and for a session they no longer attend (it was in their earlier file, or
    they were booked in it before).
    """
    out = []
    for person in people.values():
        if not person.email:
            continue
        mine = tuple(i for i in live.values() if person.id in i.booked.people)
        had = folder.requests.get(person.slug, frozenset())
        told = folder.cancels.get(person.slug, frozenset())
        dropped = tuple(
            Invitation(
                i.uid,
                i.before or i.booked,
                i.sequence,
                SAME if i.uid in told and i.uid not in had else CANCELLED,
                i.before,
                True,
            )
            for i in live.values()
            if person.id not in i.booked.people
            and (
                i.uid in had
                or i.uid in told
                or (i.before is not None and person.id in i.before.people)
            )
        )
        cancels = tuple(
            i
            for i in gone.values()
            if person.id in i.booked.people or i.uid in had or i.uid in told
        )
        if mine or cancels or dropped:
            out.append(PersonInvitations(person, _ordered(mine), _ordered(cancels + dropped)))
    return out


def _ordered(items: Iterable[Invitation]) -> tuple[Invitation, ...]:
    return tuple(sorted(items, key=lambda i: (i.booked.date, i.booked.start, i.booked.id)))


# ------------------------------------------------------------------ iCalendar
def moment(b: Booked, minutes: int) -> datetime:
    """A booked time as a Europe/London datetime."""
    from sendplan.ics import LONDON

    return datetime(
        b.date.year, b.date.month, b.date.day, minutes // 60, minutes % 60, tzinfo=LONDON
    )


def location(b: Booked) -> str:
    """LOCATION: the venue, or how the session is held when not in person."""
    if b.mode == "in_person" and b.venue != VIRTUAL:
        return b.venue
    return {"video": "Video call", "phone": "Telephone call"}.get(b.mode, b.mode)


def _emails(ids: Iterable[str], people: Mapping[str, Recipient]) -> list[str]:
    out = []
    for pid in ids:
        person = people.get(pid)
        if person is not None and person.email and person.email.lower() not in out:
            out.append(person.email.lower())
    return out


def calendar_file(
    case: Case,
    title: str,
    people: Mapping[str, Recipient],
    invitations: Sequence[Invitation],
    method: str,
    stamp: datetime,
    to: Recipient | None = None,
) -> bytes:
    """One iCalendar object: ``invitations`` as the LANO's ``method`` (REQUEST or CANCEL).

    A cancellation names only its recipient ``to`` as attendee (RFC 5546 3.2.5: the
    attendees being removed); a request every attendee with an address.
    """
    import icalendar

    from sendplan.ics import event_uid

    lano = people[LANO]
    # The object's own UID is stable too: the same invitations are the same bytes.
    key = f"invitations/{method}/{to.id if to else ''}/" + ",".join(i.uid for i in invitations)
    calendar = icalendar.Calendar.new(
        prodid="-//sendplan//sendplan invitations//EN",
        method=method,
        name=f"{title}: {case.local_area}",
        uid=event_uid(case.local_area, case.kind, key),
    )
    if to is not None and to.email:
        calendar.add(FOR, to.id, parameters={"CN": to.name, "EMAIL": to.email})
    for invitation in invitations:
        calendar.add_component(_vevent(invitation, people, lano, method, stamp, title, to))
    if invitations:
        first = min(i.booked.date for i in invitations)
        last = max(i.booked.date for i in invitations)
        from datetime import date

        calendar.add_missing_timezones(date(first.year, 1, 1), date(last.year + 1, 1, 1))
    return bytes(calendar.to_ical())


def _vevent(
    invitation: Invitation,
    people: Mapping[str, Recipient],
    lano: Recipient,
    method: str,
    stamp: datetime,
    title: str,
    to: Recipient | None,
) -> icalendar.Event:
    import icalendar

    b = invitation.booked
    event = icalendar.Event.new(
        uid=invitation.uid,
        summary=("Cancelled: " if method == CANCEL else "") + b.title,
        start=moment(b, b.start),
        end=moment(b, b.end),
        stamp=stamp.astimezone(UTC),
        sequence=invitation.sequence,
        description=describe(b, people, title, method == CANCEL),
    )
    event.add("LOCATION", location(b))
    event.add("STATUS", "CANCELLED" if method == CANCEL else "CONFIRMED")
    organizer = icalendar.vCalAddress(f"mailto:{lano.email}")
    organizer.params["CN"] = lano.name
    event.add("ORGANIZER", organizer)
    invited = [to.id] if method == CANCEL and to is not None else list(b.people)
    for pid in invited:
        person = people.get(pid)
        if person is None or not person.email:
            continue
        attendee = icalendar.vCalAddress(f"mailto:{person.email}")
        attendee.params["CN"] = person.name
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        attendee.params["PARTSTAT"] = "NEEDS-ACTION"
        attendee.params["RSVP"] = "TRUE" if method == REQUEST else "FALSE"
        event.add("ATTENDEE", attendee)
    return event


def describe(b: Booked, people: Mapping[str, Recipient], title: str, cancelled: bool) -> str:
    """DESCRIPTION: who, where, who else the LANO arranges, who is invited via the LANO."""
    names = [people[p].label if p in people else p.removeprefix("provider:") for p in b.people]
    lines = []
    if cancelled:
        lines.append("This session is cancelled: it is no longer in the timetable for you.")
    lines += [
        f"When: {hhmm(b.start)}-{hhmm(b.end)}",
        f"Where: {location(b)}",
        f"Who: {', '.join(names)}",
    ]
    if b.others:
        lines.append(f"Also attending, arranged by the LANO: {b.others}")
    via = [people[p].label for p in b.people if p in people and not people[p].email]
    via += [p.removeprefix("provider:") for p in b.people if p not in people]
    if via:
        lines.append(f"Invited via the LANO (no email address in the case file): {', '.join(via)}")
    lines.append(f"{title}: the LANO's timetable (sendplan); it may change (handbook para 96).")
    return "\n".join(lines)


def via_lano(people: Mapping[str, Recipient], booked: Iterable[Booked]) -> dict[str, list[Booked]]:
    """The people of the case in ``booked`` sessions without an email: the LANO tells them."""
    out: dict[str, list[Booked]] = {}
    for b in booked:
        for pid in b.people:
            person = people.get(pid)
            if person is None or not person.email:
                label = person.label if person else pid.removeprefix("provider:")
                out.setdefault(label, []).append(b)
    return out
