"""Who is who when telling: the case's people with their email addresses.

A person id is what a saved timetable's sessions list (``sendplan.timetable.model``):
a ``[people]`` role (``dcs``), the name of someone in ``[[people.other]]``, or
``provider:<name>``.  Only these are ever addressed: attendees the case names
in words (a family, officers) have no address and are told by the LANO.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sendplan.errors import CaseFileError, Problem

if TYPE_CHECKING:
    from sendplan.case import Case

#: The person who organises every invitation and tells everyone else (paras 96, 114).
LANO = "lano"


@dataclass(frozen=True)
class Recipient:
    """A person of the case: ``name`` for a greeting, ``label`` with their role."""

    id: str
    name: str
    label: str
    email: str | None = None
    #: Their job title and organisation, for the LANO's signature.
    role: str | None = None
    organisation: str | None = None
    phone: str | None = None

    @property
    def slug(self) -> str:
        """A file-name stem: stable for the person, so later runs find their files."""
        from sendplan.case.timetable import slug

        return slug(self.id)


def recipients(case: Case) -> dict[str, Recipient]:
    """Every person id of the case, with name and email (when the case gives one)."""
    from sendplan.timetable.model import person_names, role_label

    labels = person_names(case)
    out: dict[str, Recipient] = {}
    for role, person in case.people.items():
        name = person.name or role_label(role)
        out[role] = Recipient(
            role,
            name,
            labels.get(role, name),
            person.email,
            person.role,
            person.organisation,
            person.phone,
        )
    for person in case.other_people:
        if person.name:
            label = labels.get(person.name, person.name)
            out[person.name] = Recipient(
                person.name,
                person.name,
                label,
                person.email,
                person.role,
                person.organisation,
                person.phone,
            )
    for provider in case.providers:
        key = "provider:" + provider.name
        who = f"{provider.contact}, {provider.name}" if provider.contact else provider.name
        out[key] = Recipient(key, who, provider.name, provider.email)
    return out


def organiser(case: Case, people: dict[str, Recipient]) -> Recipient:
    """The LANO, who organises the invitations; a :class:`CaseFileError` naming the key
    when the case gives no email for them (invitations cannot go out without one)."""
    lano = people.get(LANO)
    if lano is None or not lano.email:
        raise CaseFileError(
            [
                Problem(
                    str(case.path or "the case file"),
                    None,
                    "people.lano.email",
                    "is needed: invitations go out from the LANO, who organises every "
                    "session (handbook paras 96, 114)",
                    'add email = "name@example.gov.uk" under [people.lano]',
                )
            ]
        )
    return lano
