"""The saved timetable in ``sendplan calendar``: one timed entry per session.

UIDs come from the session ids (``sampling_visit:hillcrest-academy``,
``team_meeting:day-2``), which do not change when a session moves, so a
re-planned timetable re-imported into Outlook updates the meeting instead of
duplicating it; SEQUENCE rises as for any moved event (``sendplan.ics``).
A session a re-plan took out (the saved timetable's ``[[cancelled]]``) is
sent again under its old UID with ``STATUS:CANCELLED``, so no calendar keeps
a ghost of it.

``--who`` takes the schedule's roles (``lano``, ``inspectors``...) and, for a
timetable, one person too: a ``[people]`` role (``dcs``,
``lead_inspector``), a name from ``[people]``/``[[people.other]]`` or a
provider.  A person gets their own sessions and the schedule events of their
role (the DCS gets the DCS's deadlines).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sendplan.case.timetable import resolve_who
from sendplan.dates import date_text
from sendplan.errors import UsageError, suggestion_text
from sendplan.rules import ROLES
from sendplan.timetable.model import CORE_TEAM, VIRTUAL, hhmm, person_names

if TYPE_CHECKING:
    from sendplan.case import Case
    from sendplan.ics import Timed
    from sendplan.timetable.results import Booked, Cancelled

#: The schedule role each ``[people]`` role acts in (``sendplan.rules.ROLES``).
PERSON_ROLES: dict[str, str] = {
    "lead_inspector": "inspectors",
    "cqc_inspector": "inspectors",
    "lano": "lano",
    "dcs": "dcs",
    "icb_representative": "icb",
    "icb_chief_executive": "icb",
    "designated_clinical_officer": "icb",
    "pcf_contact": "pcf",
    "principal_authority_contact": "principal_authority",
}


def _inspectors(case: Case, ids: Mapping[str, str]) -> set[str]:
    """The inspection team's person ids: the core team and ``[timetable] inspectors``."""
    return set(CORE_TEAM) | {resolve_who(i, ids) or i for i in case.timetable.inspectors}


def role_of(person: str, inspectors: set[str]) -> str | None:
    """The schedule role a person of the case acts in (``sendplan.rules.ROLES``)."""
    if person in inspectors:
        return "inspectors"
    if person.startswith("provider:"):
        return "providers"
    return PERSON_ROLES.get(person)


def split_who(
    case: Case, who: Sequence[str]
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """``--who`` values as (schedule roles, roles given as such, person ids).

    A person brings their role's schedule events but only their own sessions.
    :class:`UsageError` for a value that is neither a role nor a person.
    """
    from sendplan.timetable.model import case_ids

    ids = case_ids(case)
    inspectors = _inspectors(case, ids)
    roles: list[str] = []
    given: list[str] = []
    people: list[str] = []
    for value in who:
        key = value.strip()
        person = resolve_who(key, ids)
        role = key.lower() if key.lower() in ROLES else None
        if role is not None:
            given.append(role)
        if person is not None and person not in ROLES:
            people.append(person)
            role = role or role_of(person, inspectors)
        if role is None and person is None:
            known = list(ROLES) + sorted(k for k in ids if k == k.casefold())
            hint = suggestion_text(key.casefold(), known)
            raise UsageError(
                f"--who {value!r} is neither a role ({', '.join(ROLES)}) nor a person of the "
                "case ([people] role or name, or a provider)" + (f" ({hint})" if hint else "")
            )
        if role is not None and role not in roles:
            roles.append(role)
        if person is not None and person in ROLES and person not in people:
            people.append(person)  # lano, dcs: a role and one person
    return tuple(roles), tuple(given), tuple(people)


def timetable_entries(
    case: Case, saved: Path, roles: Sequence[str], people: Sequence[str]
) -> list[Timed]:
    """The saved timetable's sessions for ``roles`` and ``people`` (all when neither)."""
    from sendplan.timetable.model import case_ids
    from sendplan.timetable.saved import read_saved

    timetable = read_saved(saved, case.local_area, case.kind)
    names = person_names(case)
    inspectors = _inspectors(case, case_ids(case))
    note = f"Timetable: {saved.name} (sendplan timetable); it may change (handbook para 96)."
    live: list[tuple[Booked, Cancelled | None]] = [(b, None) for b in timetable.booked.values()]
    gone: list[tuple[Booked, Cancelled | None]] = [(c.booked, c) for c in timetable.cancelled]
    out = []
    for b, cancelled in sorted(live + gone, key=lambda x: (x[0].date, x[0].start, x[0].id)):
        session_roles = {r for r in (role_of(p, inspectors) for p in b.people) if r}
        if (roles or people) and not (set(b.people) & set(people) or session_roles & set(roles)):
            continue
        why = None if cancelled is None else _cancelled_text(cancelled, saved.name)
        out.append(_entry(b, names, session_roles, why or note, cancelled is not None))
    return out


def _cancelled_text(cancelled: Cancelled, saved: str) -> str:
    """Why a session's event is cancelled, for its description."""
    since = f" on {date_text(cancelled.since)}" if cancelled.since else ""
    if cancelled.replaced_by:
        return (
            f"Cancelled: the session goes on as another calendar entry "
            f"({cancelled.replaced_by}) in {saved}, re-planned{since}."
        )
    return f"Cancelled: no longer in the timetable ({saved}), re-planned{since}."


def _entry(
    b: Booked, names: Mapping[str, str], roles: set[str], note: str, cancelled: bool
) -> Timed:
    """One booked session as a calendar entry (UID from its id, ``timetable/<id>``)."""
    from sendplan.ics import LONDON, Timed

    where = b.venue if b.mode == "in_person" else b.mode.replace("_", " ")
    description = "\n".join(
        [f"Who: {', '.join(names.get(p, p) for p in b.people)}", f"Where: {where}", note]
    )
    start = datetime.combine(b.date, datetime.min.time(), tzinfo=LONDON)
    return Timed(
        id="timetable/" + b.id,
        title=("Cancelled: " if cancelled else "") + b.title,
        start=start.replace(hour=b.start // 60, minute=b.start % 60),
        end=start.replace(hour=b.end // 60, minute=b.end % 60),
        description=description + f"\n{hhmm(b.start)}-{hhmm(b.end)}",
        categories=tuple(sorted(ROLES[r] for r in roles)),
        who=tuple(sorted(roles)),
        opaque=not cancelled,
        location=None if b.venue == VIRTUAL else b.venue,
        cancelled=cancelled,
    )
