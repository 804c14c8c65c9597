"""The LANO's outbox: one unsent draft email per person to tell, and the invitation files.

A draft is an ``.eml`` file with ``X-Unsent: 1``: desktop Outlook opens it as
a draft to send (From is then the account sending it).  It is addressed to
the person, says in plain English what moved, from when and where to when and
where, and why, and carries their updated invitations: one ``.ics`` per
session, because Outlook takes only the first event of an invitation
(Microsoft's [MS-STANOICAL] 2.2.175) and shows the one event as a meeting to
accept.  Built with the standard library's :mod:`email` package.

The LANO's own draft lists everything that changed and who the LANO tells in
person (people without an email, and the attendees the case names in words:
a family, practitioners, officers), paras 96, 104-105, 114.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from sendplan.dates import date_text
from sendplan.errors import UsageError
from sendplan.tell.invitations import (
    CANCEL,
    CANCELLED,
    NEW,
    REQUEST,
    Invitation,
    PersonInvitations,
    calendar_file,
    location,
)
from sendplan.tell.people import LANO, Recipient
from sendplan.words import plural

if TYPE_CHECKING:
    from sendplan.case import Case
    from sendplan.timetable.results import Booked


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    method: str


@dataclass(frozen=True)
class Draft:
    """One draft email: to whom, subject, plain-text body, attached invitations."""

    to: Recipient
    subject: str
    body: str
    attachments: tuple[Attachment, ...]
    #: What they get, for the terminal summary: ``2 moved, 1 cancelled``.
    what: str

    #: The day it was drafted (``--today``): in its file name, so a later run's drafts
    #: never replace ones not yet sent.
    day: date | None = None

    @property
    def filename(self) -> str:
        return f"{self.day.isoformat()}-{self.to.slug}.eml" if self.day else f"{self.to.slug}.eml"


# ------------------------------------------------------------------ the words
def when(b: Booked) -> str:
    """``Tuesday 13 May 2025, 11:30am to 1:30pm, at Hillcrest Academy``."""
    from datetime import time

    from sendplan.letters.formatting import govuk_time

    start = govuk_time(time(b.start // 60, b.start % 60))
    end = govuk_time(time(b.end // 60, b.end % 60))
    place = location(b)
    where = f"at {place}" if b.mode == "in_person" else f"by {place.lower()}"
    return f"{date_text(b.date, long=True, weekday=True)}, {start} to {end}, {where}"


def draft(
    case: Case,
    title: str,
    people: Mapping[str, Recipient],
    lano: Recipient,
    person: PersonInvitations,
    items: Sequence[Invitation],
    why: Mapping[str, str],
    replanned: bool,
    in_person: Sequence[tuple[str, str]],
    stamp: datetime,
    others: Sequence[Invitation] = (),
) -> Draft:
    """A draft to one person; ``others`` (for the LANO, who hears of every change,
    paras 96, 114) are changes to sessions they do not attend: told, not attached."""
    to = person.recipient
    inspection = f"the {title[0].lower() + title[1:]} of {case.local_area}"
    lines = [f"Dear {to.name},", ""]
    if replanned:
        count = f"{len(items)} of your sessions"
        lines += [
            f"The timetable for {inspection} has changed."
            + (f" This affects {count}:" if items else " None of your own sessions changed."),
            "",
        ]
        for n, i in enumerate(items, start=1):
            lines += _change_lines(n, i, why.get(i.booked.id, ""))
    else:
        lines += [
            f"These are your sessions in the timetable for {inspection}:",
            "",
        ]
        for n, i in enumerate(items, start=1):
            lines += [f"{n}. {i.booked.title}", f"   {when(i.booked)}", ""]
    if others:
        lines += [
            "Other changes, to sessions you do not attend (their attendees are told "
            "by the drafts beside this one, or by you):",
            "",
        ]
        for n, i in enumerate(others, start=len(items) + 1):
            lines += _change_lines(n, i, why.get(i.booked.id, ""))
    if items:
        lines += [
            "The invitations attached put these sessions in your calendar, or update the "
            "ones already there: open each one and accept it. A cancelled session is "
            "removed from your calendar when you open its cancellation.",
            "",
        ]
    if to.id == LANO and in_person:
        lines += [
            "Tell these people yourself: they have no email address in the case file, "
            "or the case names them only in words.",
            "",
        ]
        lines += [f"- {who}: {what}" for who, what in in_person]
        lines.append("")
    if to.id != LANO:
        lines += ["Please reply to tell me if you cannot attend.", ""]
    lines += _signature(lano)
    attachments = tuple(_attachment(case, title, people, i, to, stamp) for i in items)
    return Draft(
        to,
        _subject(title, case, items, replanned),
        "\n".join(lines),
        attachments,
        _what([*items, *others], replanned),
        stamp.date(),
    )


def _change_lines(n: int, i: Invitation, why: str) -> list[str]:
    b = i.booked
    if i.cancelled:
        lines = [f"{n}. {b.title}: cancelled", f"   Was: {when(b)}"]
    elif i.change == NEW or i.before is None:
        lines = [f"{n}. {b.title}: new", f"   Now: {when(b)}"]
    else:
        lines = [f"{n}. {b.title}", f"   Was: {when(i.before)}", f"   Now: {when(b)}"]
    if why:
        lines.append(f"   Why: {why}")
    return lines + [""]


def _signature(lano: Recipient) -> list[str]:
    lines = [lano.name]
    work = ", ".join(x for x in (lano.role, lano.organisation) if x)
    if work:
        lines.append(work)
    lines.append("Local area nominated officer (LANO)")
    if lano.phone:
        lines.append(lano.phone)
    return lines


def _subject(title: str, case: Case, items: Sequence[Invitation], replanned: bool) -> str:
    what = f"{title}, {case.local_area}"
    if not replanned:
        return f"Your sessions in the inspection timetable ({what})"
    if not items:
        return f"Inspection timetable changed ({what})"
    sessions = "1 of your sessions" if len(items) == 1 else f"{len(items)} of your sessions"
    return f"Inspection timetable changed: {sessions} ({what})"


def _what(items: Sequence[Invitation], replanned: bool) -> str:
    if not replanned:
        return plural(len(items), "invitation")
    counts: dict[str, int] = {}
    for i in items:
        counts[i.change] = counts.get(i.change, 0) + 1
    return ", ".join(f"{n} {word}" for word, n in counts.items()) or "the summary only"


def _attachment(
    case: Case,
    title: str,
    people: Mapping[str, Recipient],
    i: Invitation,
    to: Recipient,
    stamp: datetime,
) -> Attachment:
    from sendplan.case.timetable import slug

    method = CANCEL if i.cancelled else REQUEST
    data = calendar_file(case, title, people, [i], method, stamp, to)
    prefix = "cancelled-" if i.change == CANCELLED or i.cancelled else ""
    return Attachment(f"{prefix}{slug(i.booked.id)}.ics", data, method)


# ------------------------------------------------------------------ the file
def eml(draft: Draft, lano: Recipient) -> bytes:
    """The draft as an RFC 5322 message: From the LANO, To the person, ``X-Unsent: 1``."""
    import email.errors
    from email.headerregistry import Address
    from email.message import EmailMessage
    from email.policy import SMTP

    message = EmailMessage(policy=SMTP)
    try:
        message["From"] = Address(lano.name, addr_spec=lano.email or "")
        message["To"] = Address(draft.to.name, addr_spec=draft.to.email or "")
        message["Subject"] = draft.subject
    except (ValueError, IndexError, email.errors.HeaderParseError):
        raise UsageError(
            f"the name or email address of {draft.to.label} or the LANO cannot go in an "
            "email header (a line break, or an address that is not name@domain)"
        ) from None
    # Outlook opens a message with this header as an unsent draft (File > Open).
    message["X-Unsent"] = "1"
    message.set_content(draft.body)
    for a in draft.attachments:
        message.add_attachment(
            a.data,
            maintype="text",
            subtype="calendar",
            filename=a.filename,
            params={"method": a.method, "charset": "utf-8"},
        )
    return message.as_bytes()
