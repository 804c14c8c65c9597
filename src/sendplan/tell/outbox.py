"""The LANO's outbox: what ``sendplan tell`` and ``calendar --invitations`` write.

:func:`outbox` reads what it needs (the saved timetable, the one the change
started from, the invitations sent before) and :func:`prepare` decides: the
invitations (:mod:`.invitations`), per-person invitation files, the drafts
(:mod:`.drafts`) and who the LANO tells in person.  :func:`write` writes them
owner-only, every target checked before any is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sendplan.errors import UsageError
from sendplan.tell.drafts import Draft, draft, eml
from sendplan.tell.invitations import (
    CANCEL,
    REQUEST,
    Folder,
    Invitation,
    PersonInvitations,
    calendar_file,
    for_people,
    plan_invitations,
    read_sent,
)
from sendplan.tell.people import LANO, Recipient, organiser, recipients

if TYPE_CHECKING:
    from sendplan.case import Case
    from sendplan.schedule import Schedule
    from sendplan.timetable.saved import Saved


def outbox(
    case: Case,
    schedule: Schedule,
    folder: Path,
    timetable_file: Path | None,
    from_file: Path | None,
    today: datetime,
) -> tuple[Outbox, Recipient]:
    """The outbox for the case's saved timetable (``--timetable``, else ``[timetable]
    saved``), re-planned from ``from_file`` when given; ``folder`` holds the invitations
    sent before.  ``today`` (London time) is every invitation's DTSTAMP."""
    from sendplan.ics import LONDON
    from sendplan.timetable.saved import read_saved

    path = timetable_file or case.timetable.saved
    if path is None:
        raise UsageError(
            "there is no saved timetable to send: give --timetable FILE or set "
            "[timetable] saved (sendplan timetable CASE --save FILE)"
        )
    saved = read_saved(path, case.local_area, case.kind)
    before = read_saved(from_file, case.local_area, case.kind) if from_file else None
    sent = read_sent(folder)
    box = prepare(case, schedule, saved, sent, today.replace(tzinfo=LONDON), before)
    return box, organiser(case, recipients(case))


@dataclass(frozen=True)
class Outbox:
    """What ``sendplan tell`` writes: drafts, per-person invitation files, and those the
    LANO tells in person (who, what)."""

    title: str
    people: tuple[PersonInvitations, ...]
    files: dict[str, bytes]
    drafts: tuple[Draft, ...]
    in_person: tuple[tuple[str, str], ...]
    replanned: bool


def prepare(
    case: Case,
    schedule: Schedule,
    saved: Saved,
    folder: Folder,
    stamp: datetime,
    before: Saved | None = None,
) -> Outbox:
    """The outbox for the case's saved timetable ``saved``: after a re-plan from
    ``before``, drafts for everyone a change touches; without, first invitations."""
    from sendplan.tell.why import reasons
    from sendplan.timetable.model import build_problem
    from sendplan.timetable.replan import migrate
    from sendplan.timetable.views import era_words

    people = recipients(case)
    lano = organiser(case, people)
    # Someone taken out of the case since (a withdrawn provider) is still told of
    # the cancellation of what they were sent, at the address it went to.
    for known in folder.people.values():
        people.setdefault(known.id, known)
    title = schedule.rules.title
    problem = era_words(build_problem(case, schedule))
    earlier = migrate(problem, before.booked)[0] if before is not None else None
    live, gone = plan_invitations(case, people, saved.booked, saved.cancelled, folder, earlier)
    persons = tuple(for_people(people, live, gone, folder))
    files = invitation_files(case, title, people, persons, stamp)
    names = {pid: p.label for pid, p in people.items()}
    changed = [i for i in (*live.values(), *gone.values()) if i.change]
    why = reasons(
        problem,
        [(i.booked.id, i.before, None if i.cancelled else i.booked, i.record) for i in changed],
        names,
    )
    replanned = before is not None
    in_person = _in_person(people, changed if replanned else list(live.values()))
    drafts = []
    for person in persons:
        items = person.changed if replanned else person.requests
        others: list[Invitation] = []
        if person.recipient.id == LANO:
            # The LANO hears of every change (paras 96, 114): told, not attached.
            mine = {i.uid for i in items}
            others = [i for i in changed if i.uid not in mine] if replanned else []
        elif not items:
            continue
        if not (items or others or in_person):
            continue
        drafts.append(
            draft(
                case, title, people, lano, person, items, why, replanned, in_person, stamp, others
            )
        )
    return Outbox(title, persons, files, tuple(drafts), tuple(in_person), replanned)


def invitation_files(
    case: Case,
    title: str,
    people: Mapping[str, Recipient],
    persons: Sequence[PersonInvitations],
    stamp: datetime,
) -> dict[str, bytes]:
    """Per person: ``<person>.ics`` (their sessions, REQUEST) and, when any,
    ``<person>.cancel.ics`` (what they no longer attend, CANCEL)."""
    out: dict[str, bytes] = {}
    for p in persons:
        if p.requests:
            out[f"{p.recipient.slug}.ics"] = calendar_file(
                case, title, people, p.requests, REQUEST, stamp, p.recipient
            )
        if p.cancels:
            out[f"{p.recipient.slug}.cancel.ics"] = calendar_file(
                case, title, people, p.cancels, CANCEL, stamp, p.recipient
            )
    return out


def _in_person(
    people: Mapping[str, Recipient], items: Sequence[Invitation]
) -> list[tuple[str, str]]:
    """Who the LANO tells in person, and about what: people of the case without an
    email, and the attendees the case names only in words."""
    told: dict[str, list[str]] = {}
    for i in items:
        b = i.booked
        what = f"{b.title} ({i.change or 'invited'})"
        for pid in b.people:
            person = people.get(pid)
            if pid != LANO and (person is None or not person.email):
                label = person.label if person else pid.removeprefix("provider:")
                told.setdefault(label, []).append(what)
        if b.others:
            told.setdefault(b.others, []).append(what)
    return [(who, "; ".join(dict.fromkeys(what))) for who, what in told.items()]


def write(
    outbox: Outbox, out_dir: Path, lano: Recipient, *, force: bool, drafts: bool
) -> list[Path]:
    """Write the invitation files (and the drafts) to ``out_dir``, owner-only (they
    name people and pseudonymous children); every target checked before any is written."""
    from sendplan.errors import WriteError
    from sendplan.files import check_outputs, write_output

    targets: list[tuple[Path, bytes]] = [
        (out_dir / name, data) for name, data in outbox.files.items()
    ]
    if drafts:
        targets += [(out_dir / d.filename, eml(d, lano)) for d in outbox.drafts]
    if out_dir.exists() and not out_dir.is_dir():
        raise WriteError(f"{out_dir} is not a folder; --out-dir takes a folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise WriteError(f"cannot create {out_dir}: {error.strerror or error}") from None
    check_outputs([p for p, _ in targets], force)
    # Owner-only, every one: they name people, their addresses and, for tracking
    # meetings, children's pseudonymous ids (README "Children's data").
    for path, data in targets:
        write_output(path, data, force=force, private=True)
    return [p for p, _ in targets]


def to_json(box: Outbox, paths: Sequence[Path]) -> dict[str, Any]:
    """What was written, for ``--format json``: per person their invitations and draft."""
    drafts = {d.to.id: d for d in box.drafts}
    return {
        "replanned": box.replanned,
        "files": [str(p) for p in paths],
        "people": [
            {
                "id": p.recipient.id,
                "name": p.recipient.label,
                "email": p.recipient.email,
                "sessions": [_json(i) for i in p.requests],
                "cancelled": [_json(i) for i in p.cancels],
                "draft": drafts[p.recipient.id].filename if p.recipient.id in drafts else None,
                "what": drafts[p.recipient.id].what if p.recipient.id in drafts else None,
            }
            for p in box.people
        ],
        "via_lano": [{"who": who, "what": what} for who, what in box.in_person],
    }


def _json(i: Invitation) -> dict[str, Any]:
    return {
        "id": i.booked.id,
        "uid": i.uid,
        "sequence": i.sequence,
        "change": i.change or None,
        "date": i.booked.date.isoformat(),
    }
