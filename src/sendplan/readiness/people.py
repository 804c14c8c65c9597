"""Who is away, and who deputises: ``[[absences]]`` and ``[people] deputy``.

Both keys are the timetable's (issue 19, ``sendplan.case``): the same absence
makes the timetable keep a person out of a day and ``ready`` name the weeks it
hurts.  Deputies stand in at the keep-in-touch meetings (handbook para 128).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from sendplan.case.absences import Absence
from sendplan.namedtuples import NamedTuple
from sendplan.roles import PEOPLE_ROLES

if TYPE_CHECKING:
    from sendplan.case import Case


def overlaps(absence: Absence, first: date, last: date) -> bool:
    """Whether ``absence`` touches a day from ``first`` to ``last``."""
    return absence.first_day <= last and absence.last_day >= first


class Someone(NamedTuple):
    """A person (or team) the case names: by role, by name, or as written."""

    #: How absences and deputies find them: the role id, else the name casefolded.
    key: str
    #: ``Jo Bloggs (Director of children's services)``, or the role alone.
    label: str
    role: str | None = None
    #: Their deputy as the case writes it (a name or a role), if any (para 128).
    deputy: str | None = None


def case_absences(case: Case) -> tuple[Absence, ...]:
    """The case's ``[[absences]]``, earliest first."""
    return tuple(sorted(case.absences, key=lambda a: (a.first_day, a.last_day, a.who)))


def role_title(role: str) -> str:
    """``Director of children's services``: a role as a reader knows it."""
    return PEOPLE_ROLES[role].split(" (")[0]


def find(case: Case, who: str) -> Someone:
    """The person ``who`` names: a ``[people]`` role, else a name in ``[people]`` or
    ``[[people.other]]`` (any case), else ``who`` as written (a team, a provider)."""
    if who in PEOPLE_ROLES:
        person = case.people.get(who)
        name = person.name if person is not None else None
        title = role_title(who)
        label = f"{name} ({title})" if name else title
        return Someone(who, label, who, person.deputy if person is not None else None)
    wanted = who.casefold()
    for role, person in case.people.items():
        if person.name and person.name.casefold() == wanted:
            return find(case, role)
    for person in case.other_people:
        if person.name and person.name.casefold() == wanted:
            label = f"{person.name} ({person.role})" if person.role else person.name
            return Someone(wanted, label, None, person.deputy)
    return Someone(wanted, who)


def away(
    case: Case, absences: Sequence[Absence], first: date, last: date
) -> list[tuple[Someone, Absence]]:
    """Who is away on some day from ``first`` to ``last``, with the absence."""
    return [(find(case, a.who), a) for a in absences if overlaps(a, first, last)]


def is_away(
    case: Case, someone: Someone, absences: Iterable[Absence], first: date, last: date
) -> bool:
    """Whether ``someone`` has an absence touching ``first`` to ``last``."""
    return any(find(case, a.who).key == someone.key for a in absences if overlaps(a, first, last))
